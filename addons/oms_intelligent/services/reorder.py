"""Reorder points from a demand forecast, in plain Python (no Odoo import).

The orderpoint model reads each product x warehouse demand history, forecasts it with :mod:`.forecast`, and
turns the forecast into Odoo's min and max quantities here:

- demand over the lead time: ``D_L = forecast.over(L)``, the forecast summed over the vendor lead time ``L`` days;
- safety stock: ``SS = z x sigma x sqrt(L)``, where ``z`` is the standard normal quantile of the service level
  (95 % -> 1.645) and ``sigma`` the standard deviation of the daily forecast error, i.e. the part of daily demand
  the forecast does not explain (for a flat series it is the standard deviation of demand itself);
- minimum: ``min = D_L + SS``;
- maximum: ``max = min + Q``, with ``Q`` either the economic order quantity ``EOQ = sqrt(2 x A x S / H)`` (``A``
  the annual demand, 365 x the average daily forecast over the lead time, ``S`` the cost of placing an order,
  ``H = unit cost x holding rate`` the yearly cost of holding one unit), or ``N`` days of cover ``N x daily``.
  EOQ needs a unit cost: without one the days of cover are used, and the levels say so.

Quantities are rounded up to the unit of measure's rounding, so the minimum never ends below the computed need.

The stockout alert uses :func:`stockout_day` (the first day the projected stock, after committed orders and the
forecast, goes below zero) and :func:`affected_orders` (the open orders that will wait for the reorder).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist

import numpy as np

MAX_RULES = ("eoq", "cover")


@dataclass(frozen=True)
class ReorderPolicy:
    service_level: float  # probability of no stockout during a lead time, 0.5 to 0.999
    max_rule: str = "eoq"  # "eoq" or "cover"
    cover_days: float = 30.0
    order_cost: float = 0.0  # cost of placing one purchase order, company currency
    holding_rate: float = 0.25  # yearly cost of holding stock, as a fraction of its value


@dataclass(frozen=True)
class ReorderLevels:
    min_qty: float
    max_qty: float
    lead_demand: float  # forecast demand over the lead time
    safety_stock: float
    daily_demand: float  # average forecast per day over the lead time
    order_qty: float  # max - min: the EOQ or the days of cover
    notes: tuple[str, ...] = field(default=())


def service_factor(service_level: float) -> float:
    """The standard normal quantile ``z`` of a service level given as a fraction (0.95 -> 1.645)."""
    if not 0.5 <= service_level < 1.0:
        raise ValueError(f"A service level must be between 50 % and 100 % (excluded), not {service_level:.1%}.")
    return NormalDist().inv_cdf(service_level)


def round_up(quantity: float, rounding: float) -> float:
    """``quantity`` rounded up to a multiple of ``rounding`` (a unit of measure's rounding)."""
    if rounding <= 0:
        return quantity
    # The small epsilon keeps 69.0000000001 (float noise) from becoming 70.
    steps = math.ceil(quantity / rounding - 1e-9)
    return round(steps * rounding, 10)


def reorder_levels(forecast, lead_days: float, unit_cost: float, policy: ReorderPolicy, rounding: float = 1.0):
    """Min and max for one product x warehouse from its ``forecast`` (anything with ``over(days)`` and ``sigma``)."""
    lead_days = max(float(lead_days), 0.0)
    lead_demand = float(forecast.over(lead_days)) if lead_days else 0.0
    daily = lead_demand / lead_days if lead_days else float(forecast.over(1))
    safety = service_factor(policy.service_level) * float(forecast.sigma) * math.sqrt(lead_days)
    notes = []
    rule = policy.max_rule
    if rule not in MAX_RULES:
        raise ValueError(f"Unknown maximum rule {rule!r}: use one of {', '.join(MAX_RULES)}.")
    if rule == "eoq" and (unit_cost <= 0 or policy.holding_rate <= 0):
        notes.append("no unit cost or holding rate for the economic order quantity: days of cover used")
        rule = "cover"
    if rule == "eoq":
        yearly_holding_cost = unit_cost * policy.holding_rate
        order_qty = math.sqrt(2.0 * 365.0 * daily * policy.order_cost / yearly_holding_cost)
    else:
        order_qty = policy.cover_days * daily
    min_qty = round_up(lead_demand + safety, rounding)
    max_qty = round_up(min_qty + order_qty, rounding)
    return ReorderLevels(
        min_qty=min_qty,
        max_qty=max_qty,
        lead_demand=lead_demand,
        safety_stock=safety,
        daily_demand=daily,
        order_qty=max_qty - min_qty,
        notes=tuple(notes),
    )


def stockout_day(available: float, daily_forecast: Sequence[float]) -> int | None:
    """Days from today until the projected stock goes below zero (0: it already is), None within the forecast."""
    if available < 0:
        return 0
    remaining = available - np.cumsum(np.asarray(daily_forecast, dtype=float))
    below = np.flatnonzero(remaining < -1e-9)
    return int(below[0]) + 1 if below.size else None


def affected_orders(on_hand: float, commitments: Iterable[tuple[str, date, float]], stockout_date: date | None):
    """The open orders that will wait for the reorder, in date order.

    ``commitments`` are (order reference, scheduled date, quantity) of open outgoing moves. An order waits when the
    stock on hand is used up before its turn, or when it is scheduled on or after the expected stockout date.
    """
    waiting = []
    left = on_hand
    for reference, scheduled, quantity in sorted(commitments, key=lambda commitment: commitment[1]):
        left -= quantity
        late = stockout_date is not None and scheduled >= stockout_date
        if (left < -1e-9 or late) and reference not in waiting:
            waiting.append(reference)
    return waiting


def daily_histories(series: dict, keys: Sequence, span: int) -> list[np.ndarray]:
    """Dense daily demand arrays, oldest first, from sparse series.

    ``series[key] = (offsets, quantities)``: the days with demand, as offsets from the first day of a window of
    ``span`` days, and each day's net demand (sales minus returns). Days without demand count as 0; a day whose
    returns exceed its sales counts as no demand, never negative. A history starts at its first day with a
    movement (a product sold for 30 days has 30 days of history, not 730 with 700 zeros), so a new product is not
    forecast as a slow one. A key without series has an empty history.
    """
    histories = []
    for key in keys:
        offsets, quantities = series.get(key, ((), ()))
        offsets = np.asarray(offsets, dtype=np.int64)
        inside = (offsets >= 0) & (offsets < span)
        offsets = offsets[inside]
        if not offsets.size:
            histories.append(np.zeros(0))
            continue
        dense = np.zeros(span)
        np.add.at(dense, offsets, np.asarray(quantities, dtype=float)[inside])
        histories.append(np.clip(dense[offsets.min() :], 0.0, None))
    return histories
