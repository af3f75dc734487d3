"""Estimated arrival dates and the choice of a carrier quote by policy.

**Estimated arrival (ETA).** A parcel leaves on its *ship date*, the warehouse's shipping day (the day it is handed
over when that is a working day before the warehouse's cut-off hour, else the next working day: see
``oms_intelligent.services.working_days``, the rule release uses too). It arrives ``transit_days`` working days
later. Working days are the warehouse's (its company's calendar with its public holidays), given as a
``WorkingDays``. Example: handed over on a Friday at 18:00 with a 17:00 cut-off and 2 transit days -> ships on
Monday -> arrives on Wednesday (on Thursday when Monday or Tuesday is a public holiday).

**Policies.**

- ``cheapest``: the lowest price; ties go to the earlier ETA, then to the carrier's name.
- ``fastest``: the earliest ETA (quotes without a transit time come last); ties go to the lower price.
- ``cheapest_on_time``: the cheapest among the quotes arriving by the promised date. When none arrives by then, the
  fastest (and the explanation says the promise is missed); when there is no promised date, the cheapest (and says
  so).

Quotes that failed (``error``) or have no price are never chosen. Prices must be in one currency (the caller
converts them). :meth:`Choice.explain` says in one sentence why the quote was chosen; it takes the caller's
translation function, so that the sentences are translated like the rest of the user interface.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from odoo.addons.oms_intelligent.services.working_days import WorkingDays, ship_day

CHEAPEST = "cheapest"
FASTEST = "fastest"
CHEAPEST_ON_TIME = "cheapest_on_time"
POLICIES = (CHEAPEST, FASTEST, CHEAPEST_ON_TIME)

# Why a quote was chosen (Choice.reason).
REASON_CHEAPEST = "cheapest"
REASON_FASTEST = "fastest"
REASON_ON_TIME = "on_time"
REASON_LATE = "late_fastest"  # nothing arrives by the promised date: the fastest
REASON_NO_PROMISE = "no_promise_cheapest"  # no promised date: the cheapest
REASON_NO_QUOTE = "no_quote"


def _identity(text: str) -> str:
    return text


def estimated_arrival(
    moment: datetime, cutoff_hour: float, transit_days: int | None, working: WorkingDays
) -> date | None:
    """ETA of a parcel handed over at ``moment`` (the warehouse's local time); None when the transit time is
    unknown."""
    if transit_days is None:
        return None
    return working.add(ship_day(moment, cutoff_hour, working), transit_days)


@dataclass(frozen=True)
class Handover:
    """A parcel handed over at ``moment`` (the warehouse's local time) to a warehouse with this cut-off hour and
    these working days: the day it leaves, and the day it arrives after a transit time."""

    moment: datetime
    cutoff_hour: float
    working: WorkingDays

    @property
    def ship_date(self) -> date:
        return ship_day(self.moment, self.cutoff_hour, self.working)

    def eta(self, transit_days: int | None) -> date | None:
        return estimated_arrival(self.moment, self.cutoff_hour, transit_days, self.working)


@dataclass(frozen=True)
class Quote:
    """A carrier's answer for one shipment. ``key`` is the caller's (e.g. the carrier's id); ``price`` is in the
    currency every quote of the shipment is compared in."""

    key: object
    carrier: str
    price: float | None
    transit_days: int | None
    eta: date | None = None
    error: str | None = None

    @property
    def usable(self) -> bool:
        return self.error is None and self.price is not None


def with_arrival(quotes, moment: datetime, cutoff_hour: float, working: WorkingDays) -> list[Quote]:
    """The quotes with their ETA for a parcel handed over at ``moment`` (local time)."""
    return [replace(quote, eta=estimated_arrival(moment, cutoff_hour, quote.transit_days, working)) for quote in quotes]


def _by_price(quote: Quote):
    return (quote.price, quote.eta or date.max, quote.carrier, str(quote.key))


def _by_arrival(quote: Quote):
    return (quote.eta or date.max, quote.price, quote.carrier, str(quote.key))


@dataclass(frozen=True)
class Choice:
    quote: Quote | None
    policy: str
    reason: str
    promised: date | None = None

    @property
    def missed_promise(self) -> bool:
        return self.reason == REASON_LATE

    def explain(self, _=_identity, money=None, day=None) -> str:
        """One sentence. ``_`` translates a sentence; ``money(quote)`` and ``day(date)`` format a price and a date
        (plain ones by default)."""
        # A plain-Python service has no env: the caller passes its translation function (self.env._), named `_` so
        # that Odoo's extraction of the terms to translate finds the sentences.
        # pylint: disable=prefer-env-translation
        if self.quote is None:
            return _("No carrier gave a rate for this shipment.")
        quote = self.quote
        money = money or (lambda value: f"{value.price:.2f}")
        day = day or (lambda value: value.isoformat())
        values = {
            "carrier": quote.carrier,
            "price": money(quote),
            "eta": day(quote.eta) if quote.eta else _("an unknown date"),
            "promised": day(self.promised) if self.promised else "",
        }
        sentences = {
            REASON_CHEAPEST: _("%(carrier)s is the cheapest carrier: %(price)s, arriving on %(eta)s."),
            REASON_FASTEST: _("%(carrier)s is the fastest carrier: arriving on %(eta)s, for %(price)s."),
            REASON_ON_TIME: _(
                "%(carrier)s is the cheapest carrier arriving by the promised date, %(promised)s: %(price)s, "
                "arriving on %(eta)s."
            ),
            REASON_LATE: _(
                "No carrier arrives by the promised date, %(promised)s, so the fastest was chosen: %(carrier)s, "
                "arriving on %(eta)s, for %(price)s."
            ),
            REASON_NO_PROMISE: _(
                "There is no promised date, so the cheapest carrier was chosen: %(carrier)s, %(price)s, "
                "arriving on %(eta)s."
            ),
        }
        return sentences[self.reason] % values


def choose(quotes, policy: str, promised: date | None = None) -> Choice:
    """The quote to ship with under ``policy`` (see the module's docstring); quotes need their ETA."""
    if policy not in POLICIES:
        raise ValueError(f"unknown rate shopping policy {policy!r}")
    usable = [quote for quote in quotes if quote.usable]
    if not usable:
        return Choice(None, policy, REASON_NO_QUOTE, promised)
    if policy == CHEAPEST:
        return Choice(min(usable, key=_by_price), policy, REASON_CHEAPEST, promised)
    if policy == FASTEST:
        return Choice(min(usable, key=_by_arrival), policy, REASON_FASTEST, promised)
    if promised is None:
        return Choice(min(usable, key=_by_price), policy, REASON_NO_PROMISE, promised)
    on_time = [quote for quote in usable if quote.eta is not None and quote.eta <= promised]
    if on_time:
        return Choice(min(on_time, key=_by_price), policy, REASON_ON_TIME, promised)
    return Choice(min(usable, key=_by_arrival), policy, REASON_LATE, promised)
