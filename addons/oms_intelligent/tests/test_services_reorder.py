"""Reorder levels, stockout dates and demand histories (plain pytest, no database)."""

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest

from odoo.addons.oms_intelligent.services.reorder import (
    ReorderPolicy,
    affected_orders,
    daily_histories,
    reorder_levels,
    round_up,
    service_factor,
    stockout_day,
)


@dataclass
class FlatForecast:
    """A forecast of ``rate`` a day with daily error ``sigma``: the two things reorder levels read."""

    rate: float
    sigma: float

    def over(self, days: float) -> float:
        return self.rate * days


def test_levels_follow_the_textbook_formulas():
    policy = ReorderPolicy(service_level=0.95, max_rule="eoq", order_cost=50.0, holding_rate=0.25)
    levels = reorder_levels(FlatForecast(10.0, 2.0), lead_days=5, unit_cost=24.0, policy=policy, rounding=0.01)
    safety = 1.6448536 * 2.0 * math.sqrt(5)
    assert levels.lead_demand == 50.0
    assert levels.safety_stock == pytest.approx(safety, abs=1e-6)
    assert levels.min_qty == pytest.approx(57.36, abs=1e-9)  # 57.3560 rounded up to the cent
    eoq = math.sqrt(2 * 3650 * 50.0 / (24.0 * 0.25))
    assert levels.max_qty == pytest.approx(round_up(57.36 + eoq, 0.01), abs=1e-9)
    assert levels.notes == ()


def test_days_of_cover_and_whole_units():
    policy = ReorderPolicy(service_level=0.9, max_rule="cover", cover_days=30)
    levels = reorder_levels(FlatForecast(4.0, 1.0), lead_days=7, unit_cost=0.0, policy=policy, rounding=1.0)
    assert levels.min_qty == math.ceil(28 + 1.2815516 * math.sqrt(7))
    assert levels.max_qty == levels.min_qty + 120


def test_eoq_without_a_unit_cost_falls_back_to_days_of_cover_and_says_so():
    policy = ReorderPolicy(service_level=0.95, max_rule="eoq", cover_days=10, order_cost=50.0)
    levels = reorder_levels(FlatForecast(3.0, 0.0), lead_days=2, unit_cost=0.0, policy=policy, rounding=1.0)
    assert levels.max_qty - levels.min_qty == 30
    assert levels.notes


def test_service_level_outside_50_to_100_percent_is_refused():
    assert service_factor(0.5) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="service level"):
        service_factor(1.0)
    with pytest.raises(ValueError):
        service_factor(0.3)


def test_round_up_ignores_float_noise():
    assert round_up(69.0000000001, 1.0) == 69.0
    assert round_up(69.2, 1.0) == 70.0
    assert round_up(0.123, 0.01) == 0.13


def test_stockout_day_counts_committed_and_forecast_demand():
    assert stockout_day(10.0, [4, 4, 4, 4]) == 3
    assert stockout_day(-1.0, [4]) == 0
    assert stockout_day(100.0, [1] * 10) is None


def test_orders_that_wait_for_the_reorder():
    commitments = [
        ("S3", date(2026, 1, 10), 5.0),
        ("S1", date(2026, 1, 2), 6.0),
        ("S2", date(2026, 1, 3), 6.0),
    ]
    # 10 on hand: S1 is served, S2 runs short, S3 comes after the stockout.
    assert affected_orders(10.0, commitments, date(2026, 1, 8)) == ["S2", "S3"]
    assert affected_orders(100.0, commitments, None) == []


def test_daily_histories_start_at_the_first_sale_and_clamp_returns():
    series = {
        # day 4: 4 sold; day 6: 2 sold and 9 returned, the same day counted twice is summed
        ("a", 1): ([4, 6, 6], [4.0, -9.0, 2.0]),
        ("b", 1): ([-30], [7.0]),  # before the window: ignored
        ("z", 9): ([4], [1.0]),  # not asked for
    }
    a, b, c = daily_histories(series, [("a", 1), ("b", 1), ("c", 1)], span=10)
    np.testing.assert_array_equal(a, [4, 0, 0, 0, 0, 0])
    assert b.size == 0
    assert c.size == 0
