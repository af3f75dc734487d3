"""The fulfilment routing engine on plain dataclasses: which warehouses ship, how lines are split, followed or
backordered (plain pytest, no database)."""

from datetime import date

import pytest

from odoo.addons.oms_intelligent.services.routing import (
    ShippingRates,
    Strategy,
    route_order,
)

from .routing_fixtures import (
    BARCELONA,
    LISBOA,
    MADRID,
    NEAREST_FIRST,
    RATES,
    SEVILLA,
    line,
    order,
    shipped,
    the_four,
    warehouse,
)


def test_never_split_ships_what_the_best_warehouse_holds_and_backorders_the_rest():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 2}), warehouse(3, "Sevilla", SEVILLA, {1: 3})]
    strategy = Strategy(split_policy="never")

    decision = route_order(order(line(1, 1, 5)), candidates, strategy, RATES)

    assert shipped(decision) == {(1, 3): 3}
    assert [(b.line_id, b.quantity) for b in decision.backorders] == [(1, 2)]
    assert decision.shipments == 1
    assert "Backordered, the order is never split: 2 x OMS-001" in decision.summary


def test_split_when_needed_ships_everything_from_two_warehouses():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 2}), warehouse(3, "Sevilla", SEVILLA, {1: 3})]

    decision = route_order(order(line(1, 1, 5)), candidates, Strategy(split_policy="when_needed"), RATES)

    assert shipped(decision) == {(1, 3): 3, (1, 1): 2}
    assert decision.backorders == ()
    assert decision.chosen_warehouse_ids == (3, 1)
    assert decision.summary.startswith("Split into 2 shipments: Sevilla (3 units, 4 km), Madrid (2 units, 385 km).")


def test_split_when_needed_keeps_one_warehouse_when_one_holds_everything():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 5, 2: 1}), warehouse(3, "Sevilla", SEVILLA, {1: 3})]

    decision = route_order(order(line(1, 1, 5), line(2, 2, 1)), candidates, Strategy(), RATES)

    assert decision.chosen_warehouse_ids == (1,)
    assert shipped(decision) == {(1, 1): 5, (2, 1): 1}


@pytest.mark.parametrize(("split_penalty", "chosen"), [(2.0, (1, 2)), (20.0, (3,))])
def test_minimise_cost_splits_over_cheap_warehouses_only_while_the_split_penalty_is_small(split_penalty, chosen):
    # Madrid and Barcelona hold 3 + 2 at 5 each; Sevilla holds all 5 at 20.
    rates = ShippingRates(zone_rates={(1, "ES"): 5.0, (2, "ES"): 5.0, (3, "ES"): 20.0})
    candidates = [
        warehouse(1, "Madrid", MADRID, {1: 3}),
        warehouse(2, "Barcelona", BARCELONA, {1: 2}),
        warehouse(3, "Sevilla", SEVILLA, {1: 5}),
    ]
    strategy = Strategy(split_policy="minimise_cost", split_penalty=split_penalty)

    decision = route_order(order(line(1, 1, 5)), candidates, strategy, rates)

    assert decision.chosen_warehouse_ids == chosen
    assert sum(a.quantity for a in decision.assignments) == 5
    assert decision.estimated_cost == (10.0 if len(chosen) == 2 else 20.0)


def test_minimise_cost_leaves_a_backorder_when_another_shipment_costs_more_than_waiting():
    rates = ShippingRates(zone_rates={(1, "ES"): 5.0, (3, "ES"): 30.0})
    candidates = [warehouse(1, "Madrid", MADRID, {1: 4}), warehouse(3, "Sevilla", SEVILLA, {1: 1})]
    strategy = Strategy(split_policy="minimise_cost", backorder_penalty=10.0)

    decision = route_order(order(line(1, 1, 5)), candidates, strategy, rates)

    assert shipped(decision) == {(1, 1): 4}
    assert "another shipment would cost more than the backorder" in decision.summary


def test_max_shipments_is_respected():
    candidates = [
        warehouse(1, "Madrid", MADRID, {1: 1}),
        warehouse(2, "Barcelona", BARCELONA, {1: 1}),
        warehouse(3, "Sevilla", SEVILLA, {1: 1}),
    ]
    for policy in ("when_needed", "minimise_cost"):
        strategy = Strategy(split_policy=policy, max_shipments=2)

        decision = route_order(order(line(1, 1, 3)), candidates, strategy, RATES)

        assert decision.shipments == 2
        assert [(b.line_id, b.quantity) for b in decision.backorders] == [(1, 1)]
        assert "at most 2 shipments per order" in decision.summary


def test_zero_and_negative_quantities_are_ignored_with_their_reason():
    lines = order(line(1, 1, 0), line(2, 1, -2), line(3, 1, float("nan")), line(4, 1, 1))

    decision = route_order(lines, the_four({1: 5}), Strategy(), RATES)

    assert [(ignored.line_id, ignored.reason) for ignored in decision.ignored] == [
        (1, "quantity 0: nothing to ship"),
        (2, "negative quantity -2: returns are not routed"),
        (3, "quantity is not a number"),
    ]
    assert [a.line_id for a in decision.assignments] == [4]
    assert decision.backorders == ()
    assert "Ignored: line 1 (quantity 0: nothing to ship)" in decision.summary


def test_service_line_goes_with_the_largest_shipment():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 2}), warehouse(3, "Sevilla", SEVILLA, {1: 3})]
    lines = order(line(1, 1, 5), line(2, 50, 1, storable=False))

    decision = route_order(lines, candidates, Strategy(), RATES)

    assert shipped(decision)[2, 3] == 1
    assert decision.shipments == 2


def test_kit_component_follows_its_main_line_rather_than_the_largest_shipment():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 1}), warehouse(3, "Sevilla", SEVILLA, {2: 4})]
    lines = order(line(1, 1, 1), line(2, 2, 4), line(3, 60, 1, follows_line_id=1))

    decision = route_order(lines, candidates, Strategy(), RATES)

    assert shipped(decision) == {(1, 1): 1, (2, 3): 4, (3, 1): 1}


def test_service_line_waits_when_its_main_line_is_backordered():
    candidates = [warehouse(1, "Madrid", MADRID, {2: 1}, incoming={1: date(2025, 3, 10)})]
    lines = order(line(1, 1, 1), line(2, 2, 1), line(3, 60, 1, storable=False, follows_line_id=1))

    decision = route_order(lines, candidates, Strategy(), RATES)

    assert shipped(decision) == {(2, 1): 1}
    assert [(b.line_id, b.earliest_incoming) for b in decision.backorders] == [
        (1, date(2025, 3, 10)),
        (3, date(2025, 3, 10)),
    ]


def test_order_of_services_only_goes_to_the_best_warehouse():
    decision = route_order(order(line(1, 50, 1, storable=False)), the_four(), NEAREST_FIRST, RATES)

    assert shipped(decision) == {(1, 3): 1}
    assert decision.summary.startswith("Shipped from Sevilla: nothing storable to ship, 4 km.")


def test_backorder_carries_the_earliest_incoming_date_of_an_eligible_warehouse():
    candidates = [
        warehouse(1, "Madrid", MADRID, {1: 1}, incoming={2: date(2025, 3, 10)}),
        warehouse(2, "Barcelona", BARCELONA, incoming={2: date(2025, 3, 5)}),
        warehouse(4, "Lisboa", LISBOA, enabled=False, incoming={2: date(2025, 3, 1)}),
    ]

    decision = route_order(order(line(1, 1, 1), line(2, 2, 3)), candidates, Strategy(), RATES)

    assert decision.backorders[0].earliest_incoming == date(2025, 3, 5)
    assert "3 x OMS-002 (incoming 2025-03-05)" in decision.summary
    assert "no eligible warehouse has more in stock" in decision.summary


def test_lines_of_the_same_product_share_the_stock():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 3}), warehouse(3, "Sevilla", SEVILLA, {1: 2})]

    decision = route_order(order(line(1, 1, 2), line(2, 1, 3)), candidates, Strategy(), RATES)

    assert sum(a.quantity for a in decision.assignments) == 5
    assert decision.backorders == ()
    # Each line goes whole to a warehouse still holding all of it: Sevilla (ranked first) takes the 2, Madrid the 3.
    assert shipped(decision) == {(1, 3): 2, (2, 1): 3}
