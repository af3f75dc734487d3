"""The fulfilment routing engine on plain dataclasses (plain pytest, no database)."""

import random
from datetime import date

import pytest

from odoo.addons.oms_intelligent.services.geo import Location, distance_km, haversine_km
from odoo.addons.oms_intelligent.services.routing import (
    Candidate,
    Line,
    Order,
    ShippingRates,
    Strategy,
    Weights,
    route_order,
)

COMPANY_ID = 1
# The demo warehouses' coordinates.
MADRID = Location(40.3585, -3.6948, "ES", "M")
BARCELONA = Location(41.3369, 2.1322, "ES", "B")
SEVILLA = Location(37.4061, -5.9392, "ES", "SE")
LISBOA = Location(38.7468, -9.1037, "PT")
CUSTOMER_IN_SEVILLA = Location(37.3891, -5.9845, "ES", "SE")
CUSTOMER_IN_TOULOUSE = Location(43.6047, 1.4442, "FR", "31")

RATES = ShippingRates(per_shipment=4.0, per_km=0.01)
# Distance first; stock still counts so that a warehouse holding nothing never looks best.
NEAREST_FIRST = Strategy(weights=Weights(distance=5, cost=0, coverage=1, priority=0, capacity=0))


def warehouse(warehouse_id: int, name: str, location: Location, atp: dict | None = None, **fields) -> Candidate:
    return Candidate(warehouse_id, name, location, fields.pop("company_id", COMPANY_ID), atp=atp or {}, **fields)


def line(line_id: int, product_id: int, quantity: float, **fields) -> Line:
    return Line(line_id, product_id, quantity, label=f"OMS-{product_id:03d}", **fields)


def order(*lines: Line, destination: Location = CUSTOMER_IN_SEVILLA) -> Order:
    return Order(order_id=100, company_id=COMPANY_ID, destination=destination, lines=lines)


def the_four(atp: dict | None = None, **fields) -> list[Candidate]:
    """The demo's four warehouses, all holding ``atp``."""
    return [
        warehouse(1, "Madrid", MADRID, atp, **fields),
        warehouse(2, "Barcelona", BARCELONA, atp, **fields),
        warehouse(3, "Sevilla", SEVILLA, atp, **fields),
        warehouse(4, "Lisboa", LISBOA, atp, **fields),
    ]


def score_of(decision, warehouse_id):
    return next(score for score in decision.scores if score.warehouse_id == warehouse_id)


def shipped(decision) -> dict[tuple[int, int], float]:
    return {(a.line_id, a.warehouse_id): a.quantity for a in decision.assignments}


def test_haversine_gives_the_great_circle_distance():
    # Puerta del Sol to Plaça de Catalunya: 505 km as the crow flies.
    assert haversine_km(40.4169, -3.7035, 41.3870, 2.1700) == pytest.approx(505, abs=1)
    assert haversine_km(37.0, -5.0, 37.0, -5.0) == 0


def test_an_address_at_zero_zero_counts_as_not_geolocated():
    # Odoo stores 0.0 for partners it never geolocated.
    assert distance_km(MADRID, Location(0.0, 0.0, "ES")) is None
    assert distance_km(MADRID, Location(None, -3.7, "ES")) is None


def test_nearest_warehouse_with_full_stock_wins_when_distance_weighs_most():
    decision = route_order(order(line(1, 1, 2)), the_four({1: 10}), NEAREST_FIRST, RATES)

    assert decision.chosen_warehouse_ids == (3,)
    assert shipped(decision) == {(1, 3): 2}
    assert decision.summary.startswith("Shipped from Sevilla: full stock, 4 km.")
    assert [score.name for score in decision.scores] == ["Sevilla", "Lisboa", "Madrid", "Barcelona"]


def test_cheaper_warehouse_wins_when_cost_weighs_most_though_farther():
    rates = ShippingRates(per_shipment=1.0, zone_rates={(1, "ES"): 3.0, (3, "ES"): 14.0, (2, "ES"): 9.0})
    cost_first = Strategy(weights=Weights(distance=1, cost=5, coverage=1, priority=0, capacity=0))
    candidates = the_four({1: 10})[:3]

    decision = route_order(order(line(1, 1, 2)), candidates, cost_first, rates)

    assert decision.chosen_warehouse_ids == (1,)
    assert decision.estimated_cost == 4.0
    assert score_of(decision, 1).distance_km > score_of(decision, 3).distance_km
    assert score_of(decision, 1).shipping_cost < score_of(decision, 3).shipping_cost


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


def test_warehouse_with_full_capacity_is_skipped_with_reason():
    candidates = [
        warehouse(1, "Madrid", MADRID, {1: 5}),
        warehouse(3, "Sevilla", SEVILLA, {1: 5}, capacity_left=0),
    ]

    decision = route_order(order(line(1, 1, 1)), candidates, NEAREST_FIRST, RATES)

    assert decision.chosen_warehouse_ids == (1,)
    sevilla = score_of(decision, 3)
    assert (sevilla.eligible, sevilla.reason, sevilla.rank, sevilla.score) == (False, "capacity full", None, 0.0)


def test_ineligible_warehouses_never_ship_and_say_why():
    candidates = [
        warehouse(1, "Madrid", MADRID, {1: 5}),
        warehouse(2, "Barcelona", BARCELONA, {1: 5}, enabled=False),
        warehouse(3, "Sevilla", SEVILLA, {1: 5}, company_id=2),
        warehouse(4, "Lisboa", LISBOA, {1: 5}, countries_served=frozenset({"PT", "ES"})),
    ]

    decision = route_order(order(line(1, 1, 1), destination=CUSTOMER_IN_TOULOUSE), candidates, NEAREST_FIRST, RATES)

    assert decision.chosen_warehouse_ids == (1,)
    assert {score.warehouse_id: score.reason for score in decision.scores if not score.eligible} == {
        2: "disabled",
        3: "other company",
        4: "does not serve FR",
    }
    assert [score.warehouse_id for score in decision.scores] == [1, 2, 3, 4]


def test_nothing_ships_when_no_warehouse_is_eligible():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 5}, enabled=False)]

    decision = route_order(order(line(1, 1, 1)), candidates, Strategy(), RATES)

    assert (decision.assignments, decision.shipments, decision.estimated_cost) == ((), 0, 0)
    assert decision.summary.startswith("Nothing ships now: no eligible warehouse.")


def test_ties_are_broken_the_same_way_whatever_the_order_of_the_candidates():
    # Two warehouses at the same place with the same stock: the lower id wins, every time.
    candidates = [
        warehouse(7, "Sevilla Norte", SEVILLA, {1: 5, 2: 5}),
        warehouse(3, "Sevilla Sur", SEVILLA, {1: 5, 2: 5}),
        warehouse(1, "Madrid", MADRID, {1: 5}),
        warehouse(4, "Lisboa", LISBOA, {2: 5}),
    ]
    lines = order(line(1, 1, 5), line(2, 2, 5), line(3, 9, 1, storable=False))
    first = route_order(lines, candidates, Strategy(), RATES)
    shuffler = random.Random(7)
    for _attempt in range(10):
        shuffled = shuffler.sample(candidates, len(candidates))
        assert route_order(lines, shuffled, Strategy(), RATES) == first
    assert first.chosen_warehouse_ids == (3,)
    assert score_of(first, 3).score == score_of(first, 7).score
    assert (score_of(first, 3).rank, score_of(first, 7).rank) == (1, 2)


@pytest.mark.parametrize(
    ("destination", "chosen", "fallback"),
    [
        (Location(None, None, "ES", "SE"), 3, "no coordinates for the delivery address: ranked by region ES-SE"),
        (Location(None, None, "PT"), 4, "no coordinates for the delivery address: ranked by country PT"),
    ],
)
def test_address_without_coordinates_is_ranked_by_region_then_country(destination, chosen, fallback):
    decision = route_order(order(line(1, 1, 1), destination=destination), the_four({1: 5}), NEAREST_FIRST, RATES)

    assert decision.chosen_warehouse_ids == (chosen,)
    assert decision.fallback == fallback
    assert all(score.distance_km is None for score in decision.scores)


def test_region_ranking_prefers_same_country_over_abroad():
    destination = Location(None, None, "ES", "GR")  # Granada: no warehouse in the region, three in the country

    decision = route_order(order(line(1, 1, 1), destination=destination), the_four({1: 5}), NEAREST_FIRST, RATES)

    assert decision.fallback == "no coordinates for the delivery address: ranked by country ES"
    assert score_of(decision, 4).rank == 4
    assert score_of(decision, 1).reason == "full stock, same country"


@pytest.mark.parametrize(
    ("destination", "fallback"),
    [
        (Location(), "no coordinates nor country for the delivery address: default warehouse Madrid preferred"),
        (
            Location(None, None, "FR"),
            "no coordinates for the delivery address and no eligible warehouse in FR: default warehouse Madrid "
            "preferred",
        ),
    ],
)
def test_address_that_cannot_be_placed_goes_to_the_default_warehouse(destination, fallback):
    strategy = Strategy(weights=Weights(distance=5, cost=0), default_warehouse_id=1)

    decision = route_order(order(line(1, 1, 1), destination=destination), the_four({1: 5}), strategy, RATES)

    assert decision.chosen_warehouse_ids == (1,)
    assert decision.fallback == fallback
    assert score_of(decision, 1).reason == "full stock, default warehouse"


def test_address_that_cannot_be_placed_without_a_default_warehouse_is_ranked_on_the_rest():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 5}, priority=1), warehouse(3, "Sevilla", SEVILLA, {1: 5})]

    decision = route_order(order(line(1, 1, 1), destination=Location()), candidates, Strategy(), RATES)

    assert decision.chosen_warehouse_ids == (1,)
    assert decision.fallback == (
        "no coordinates nor country for the delivery address, no eligible default warehouse: "
        "ranked on the other criteria"
    )


def test_warehouse_without_coordinates_is_priced_at_the_farthest_known_distance():
    rates = ShippingRates(per_km=0.1)
    candidates = [warehouse(1, "Madrid", MADRID, {1: 5}), warehouse(5, "Unknown", Location(country_code="ES"), {1: 5})]

    decision = route_order(order(line(1, 1, 1)), candidates, Strategy(), rates)

    unknown = score_of(decision, 5)
    assert unknown.shipping_cost == score_of(decision, 1).shipping_cost
    assert unknown.reason == "full stock, warehouse not geolocated"
    assert decision.chosen_warehouse_ids == (1,)


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


def test_summary_names_the_chosen_warehouse_its_distance_and_the_runner_up():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 2}), warehouse(3, "Sevilla", SEVILLA, {1: 5})]

    decision = route_order(order(line(1, 1, 5)), candidates, Strategy(), RATES)

    assert decision.summary == (
        "Shipped from Sevilla: full stock, 4 km. Next best: Madrid, has 2 of 5 OMS-001, 385 km."
    )
    assert score_of(decision, 1).reason == "has 2 of 5 OMS-001, 385 km"
    assert score_of(decision, 1).coverage == pytest.approx(0.4)


def test_lines_of_the_same_product_share_the_stock():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 3}), warehouse(3, "Sevilla", SEVILLA, {1: 2})]

    decision = route_order(order(line(1, 1, 2), line(2, 1, 3)), candidates, Strategy(), RATES)

    assert sum(a.quantity for a in decision.assignments) == 5
    assert decision.backorders == ()
    # Each line goes whole to a warehouse still holding all of it: Sevilla (ranked first) takes the 2, Madrid the 3.
    assert shipped(decision) == {(1, 3): 2, (2, 1): 3}


def test_distance_bands_price_a_shipment_then_per_km_beyond_the_last():
    rates = ShippingRates(per_shipment=1.0, per_km=0.02, distance_bands=((100, 5.0), (500, 8.0)))

    assert [rates.shipment_cost(1, "ES", km) for km in (50, 100, 300, 600)] == [6.0, 6.0, 9.0, 11.0]


def test_bad_settings_and_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="split_policy"):
        Strategy(split_policy="sometimes")
    with pytest.raises(ValueError, match="max_shipments"):
        Strategy(max_shipments=0)
    with pytest.raises(ValueError, match="weights"):
        Weights(cost=-1)
    with pytest.raises(ValueError, match="weights"):
        Weights(distance=0, cost=0, coverage=0, priority=0, capacity=0)
    with pytest.raises(ValueError, match="sorted"):
        ShippingRates(distance_bands=((500, 8.0), (100, 5.0)))
    with pytest.raises(ValueError, match="duplicate line ids"):
        route_order(order(line(1, 1, 1), line(1, 2, 1)), the_four(), Strategy(), RATES)
    with pytest.raises(ValueError, match="duplicate candidate"):
        route_order(order(line(1, 1, 1)), the_four() + the_four(), Strategy(), RATES)
