"""The fulfilment routing engine on plain dataclasses: distances, scores, eligibility and reasons (plain pytest,
no database). Shipments and lines: test_services_routing_shipments.py."""

import random

import pytest

from odoo.addons.oms_intelligent.services.geo import Location, distance_km, haversine_km
from odoo.addons.oms_intelligent.services.routing import (
    ShippingRates,
    Strategy,
    Weights,
    route_order,
)

from .routing_fixtures import (
    BARCELONA,
    CUSTOMER_IN_TOULOUSE,
    LISBOA,
    MADRID,
    NEAREST_FIRST,
    RATES,
    SEVILLA,
    line,
    order,
    score_of,
    shipped,
    the_four,
    warehouse,
)


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


def test_summary_names_the_chosen_warehouse_its_distance_and_the_runner_up():
    candidates = [warehouse(1, "Madrid", MADRID, {1: 2}), warehouse(3, "Sevilla", SEVILLA, {1: 5})]

    decision = route_order(order(line(1, 1, 5)), candidates, Strategy(), RATES)

    assert decision.summary == (
        "Shipped from Sevilla: full stock, 4 km. Next best: Madrid, has 2 of 5 OMS-001, 385 km."
    )
    assert score_of(decision, 1).reason == "has 2 of 5 OMS-001, 385 km"
    assert score_of(decision, 1).coverage == pytest.approx(0.4)


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
