"""Estimated arrival dates and the choice of a quote by policy (plain pytest, no database)."""

from datetime import date, datetime

import pytest

from odoo.addons.oms_fulfillment.services.rate_shopping import (
    CHEAPEST,
    CHEAPEST_ON_TIME,
    FASTEST,
    REASON_LATE,
    REASON_NO_PROMISE,
    REASON_NO_QUOTE,
    REASON_ON_TIME,
    Quote,
    choose,
    estimated_arrival,
    with_arrival,
)
from odoo.addons.oms_intelligent.services.working_days import WorkingDays, ship_day

WEEKDAYS = WorkingDays()  # Monday to Friday, no public holidays

FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)
WEDNESDAY = date(2026, 12, 2)


def test_a_parcel_handed_over_on_friday_after_the_cutoff_ships_on_monday_and_arrives_wednesday():
    friday_evening = datetime(2026, 11, 27, 18, 30)
    assert ship_day(friday_evening, 17.0, WEEKDAYS) == MONDAY
    assert estimated_arrival(friday_evening, 17.0, 2, WEEKDAYS) == WEDNESDAY


def test_before_the_cutoff_a_parcel_ships_the_same_day():
    assert ship_day(datetime(2026, 11, 27, 16, 59), 17.0, WEEKDAYS) == FRIDAY
    assert estimated_arrival(datetime(2026, 11, 27, 9, 0), 17.0, 1, WEEKDAYS) == MONDAY
    assert ship_day(datetime(2026, 11, 27, 17, 0), 17.0, WEEKDAYS) == MONDAY, "the cut-off hour itself is too late"
    assert ship_day(datetime(2026, 11, 27, 17, 29), 17.5, WEEKDAYS) == FRIDAY, "half hours count"


def test_a_parcel_handed_over_at_the_weekend_ships_on_monday():
    assert ship_day(datetime(2026, 11, 28, 10, 0), 17.0, WEEKDAYS) == MONDAY
    assert ship_day(datetime(2026, 11, 29, 8, 0), 17.0, WEEKDAYS) == MONDAY


def test_transit_days_skip_saturdays_and_sundays():
    assert WEEKDAYS.add(date(2026, 12, 3), 2) == date(2026, 12, 7)  # Thursday + 2 -> Monday
    assert WEEKDAYS.add(MONDAY, 0) == MONDAY
    assert WEEKDAYS.add(FRIDAY, 5) == date(2026, 12, 4)
    assert estimated_arrival(datetime(2026, 12, 1, 9, 0), 17.0, 0, WEEKDAYS) == date(2026, 12, 1), "same-day delivery"


def test_an_unknown_transit_time_gives_no_arrival_date():
    assert estimated_arrival(datetime(2026, 12, 1, 9, 0), 17.0, None, WEEKDAYS) is None


def quotes(moment=datetime(2026, 11, 30, 9, 0)):  # Monday morning
    return with_arrival(
        [
            Quote("slow", "Slow Post", price=5.0, transit_days=4),  # Friday 4 Dec
            Quote("mid", "Mid Freight", price=7.0, transit_days=2),  # Wednesday 2 Dec
            Quote("fast", "Fast Air", price=12.0, transit_days=1),  # Tuesday 1 Dec
            Quote("broken", "Broken Carrier", price=None, transit_days=None, error="did not answer within 1 s"),
        ],
        moment,
        17.0,
        WEEKDAYS,
    )


def test_cheapest_chooses_the_lowest_price():
    choice = choose(quotes(), CHEAPEST)
    assert choice.quote.key == "slow"
    assert choice.explain() == "Slow Post is the cheapest carrier: 5.00, arriving on 2026-12-04."


def test_fastest_chooses_the_earliest_arrival():
    choice = choose(quotes(), FASTEST)
    assert choice.quote.key == "fast"
    assert choice.quote.eta == date(2026, 12, 1)
    assert "fastest" in choice.explain()


def test_cheapest_on_time_chooses_the_cheapest_arriving_by_the_promise():
    choice = choose(quotes(), CHEAPEST_ON_TIME, promised=date(2026, 12, 2))
    assert (choice.quote.key, choice.reason) == ("mid", REASON_ON_TIME)
    assert choice.explain() == (
        "Mid Freight is the cheapest carrier arriving by the promised date, 2026-12-02: 7.00, arriving on 2026-12-02."
    )
    assert choose(quotes(), CHEAPEST_ON_TIME, promised=date(2026, 12, 4)).quote.key == "slow"


def test_when_nothing_arrives_by_the_promise_the_fastest_is_chosen_and_the_explanation_says_so():
    choice = choose(quotes(), CHEAPEST_ON_TIME, promised=date(2026, 11, 30))
    assert (choice.quote.key, choice.reason) == ("fast", REASON_LATE)
    assert choice.missed_promise
    assert choice.explain().startswith("No carrier arrives by the promised date, 2026-11-30, so the fastest")


def test_without_a_promised_date_the_cheapest_is_chosen_and_the_explanation_says_so():
    choice = choose(quotes(), CHEAPEST_ON_TIME)
    assert (choice.quote.key, choice.reason) == ("slow", REASON_NO_PROMISE)
    assert choice.explain().startswith("There is no promised date")


def test_failed_quotes_are_never_chosen_and_no_quote_says_so():
    failed = [Quote("a", "A", None, None, error="SOAP fault"), Quote("b", "B", 3.0, 1, error="timeout")]
    choice = choose(failed, CHEAPEST)
    assert choice.quote is None and choice.reason == REASON_NO_QUOTE
    assert choice.explain() == "No carrier gave a rate for this shipment."


def test_ties_are_broken_by_arrival_then_name():
    tied = with_arrival(
        [Quote(2, "Beta", 5.0, 3), Quote(1, "Alpha", 5.0, 3), Quote(3, "Gamma", 5.0, 1)],
        datetime(2026, 11, 30, 9, 0),
        17.0,
        WEEKDAYS,
    )
    assert choose(tied, CHEAPEST).quote.carrier == "Gamma"
    assert choose(tied[:2], CHEAPEST).quote.carrier == "Alpha"


def test_a_quote_without_transit_time_is_the_last_for_fastest():
    mixed = with_arrival(
        [Quote(1, "Unknown", 1.0, None), Quote(2, "Known", 9.0, 5)], datetime(2026, 11, 30), 17.0, WEEKDAYS
    )
    assert choose(mixed, FASTEST).quote.carrier == "Known"
    assert choose(mixed, CHEAPEST).explain() == "Unknown is the cheapest carrier: 1.00, arriving on an unknown date."


def test_the_explanation_uses_the_callers_translation_and_formats():
    spanish = {
        "%(carrier)s is the cheapest carrier: %(price)s, arriving on %(eta)s.": "%(carrier)s es el más "
        "barato: %(price)s, llega el %(eta)s."
    }
    choice = choose(quotes(), CHEAPEST)
    text = choice.explain(
        lambda source: spanish.get(source, source),
        money=lambda quote: f"{quote.price:.2f} €".replace(".", ","),
        day=lambda value: value.strftime("%d/%m/%Y"),
    )
    assert text == "Slow Post es el más barato: 5,00 €, llega el 04/12/2026."


def test_an_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        choose(quotes(), "random")
