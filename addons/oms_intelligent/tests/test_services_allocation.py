"""Batch allocation of scarce stock, optimal and greedy (plain pytest, no database)."""

import random

import pytest

from odoo.addons.oms_intelligent.services.allocation import Allocation, allocate_greedy, allocate_optimal
from odoo.addons.oms_intelligent.services.geo import Location
from odoo.addons.oms_intelligent.services.routing import Line, Order, storable_demand

MADRID, SEVILLA = 1, 3


def order(order_id: int, *lines: tuple[int, float], services: int = 0) -> Order:
    """An order of (product id, quantity) lines, plus ``services`` non-storable lines."""
    storable = [
        Line(order_id * 100 + index, product_id, quantity) for index, (product_id, quantity) in enumerate(lines)
    ]
    non_storable = [Line(order_id * 100 + 50 + index, 900, 1, storable=False) for index in range(services)]
    return Order(order_id, company_id=1, destination=Location(), lines=tuple(storable + non_storable))


def assert_stock_respected(allocation: Allocation, orders: list[Order], stock: dict) -> None:
    drawn: dict[tuple[int, int], float] = {}
    for each in orders:
        if each.order_id in allocation.served:
            for product_id, quantity in storable_demand(each).items():
                key = (product_id, allocation.served[each.order_id])
                drawn[key] = drawn.get(key, 0.0) + quantity
    for key, quantity in drawn.items():
        assert quantity <= max(0.0, stock.get(key, 0.0)) + 1e-9, key


def test_optimal_serves_two_small_orders_that_greedy_starves_for_one_big_early_order():
    orders = [order(1, (10, 10)), order(2, (10, 5)), order(3, (10, 5))]
    stock = {(10, MADRID): 10}
    costs = {(order_id, MADRID): 5.0 for order_id in (1, 2, 3)}

    greedy = allocate_greedy(orders, stock, costs)
    optimal = allocate_optimal(orders, stock, costs)

    assert (greedy.served, greedy.unserved) == ({1: MADRID}, (2, 3))
    assert (optimal.served, optimal.unserved) == ({2: MADRID, 3: MADRID}, (1,))
    assert (optimal.total_cost, optimal.solver_status) == (10.0, "optimal")


def test_with_as_many_orders_served_the_optimiser_ships_cheaper_than_greedy():
    # Greedy gives order 1 its cheapest warehouse, Madrid, and order 2 must then ship from dear Sevilla.
    orders = [order(1, (10, 1)), order(2, (10, 1))]
    stock = {(10, MADRID): 1, (10, SEVILLA): 1}
    costs = {(1, MADRID): 1.0, (1, SEVILLA): 5.0, (2, MADRID): 2.0, (2, SEVILLA): 10.0}

    greedy = allocate_greedy(orders, stock, costs)
    optimal = allocate_optimal(orders, stock, costs)

    assert (greedy.served, greedy.total_cost) == ({1: MADRID, 2: SEVILLA}, 11.0)
    assert (optimal.served, optimal.total_cost) == ({1: SEVILLA, 2: MADRID}, 7.0)


def test_an_order_is_served_complete_from_one_warehouse_or_not_at_all():
    # Madrid has the shirt, Sevilla the trousers: nobody can ship both, and the batch model does not split.
    orders = [order(1, (10, 1), (11, 1))]
    stock = {(10, MADRID): 5, (11, SEVILLA): 5}
    costs = {(1, MADRID): 1.0, (1, SEVILLA): 1.0}

    for allocate in (allocate_greedy, allocate_optimal):
        allocation = allocate(orders, stock, costs)
        assert (allocation.served, allocation.unserved, allocation.total_cost) == ({}, (1,), 0)


def test_greedy_serves_orders_in_the_given_order_from_their_cheapest_warehouse():
    orders = [order(2, (10, 2)), order(1, (10, 2))]
    stock = {(10, MADRID): 2, (10, SEVILLA): 2}
    costs = {(1, MADRID): 3.0, (1, SEVILLA): 4.0, (2, MADRID): 3.0, (2, SEVILLA): 3.0}

    allocation = allocate_greedy(orders, stock, costs)

    # Order 2 first; Madrid and Sevilla cost the same, the lower id wins.
    assert allocation.served == {2: MADRID, 1: SEVILLA}
    assert allocation.solver_status == "greedy"


def test_a_warehouse_not_priced_for_an_order_never_ships_it():
    orders = [order(1, (10, 1))]
    stock = {(10, MADRID): 5, (10, SEVILLA): 5}
    costs = {(1, SEVILLA): 9.0}  # Madrid does not serve this customer

    for allocate in (allocate_greedy, allocate_optimal):
        assert allocate(orders, stock, costs).served == {1: SEVILLA}


def test_negative_stock_counts_as_none():
    orders = [order(1, (10, 1))]
    costs = {(1, MADRID): 1.0}

    for allocate in (allocate_greedy, allocate_optimal):
        assert allocate(orders, {(10, MADRID): -3}, costs).unserved == (1,)


def test_order_without_storable_lines_is_served_from_its_cheapest_warehouse():
    orders = [order(1, services=2), order(2, (10, 1), (11, 0))]  # the zero line is ignored, as routing does
    stock = {(10, SEVILLA): 1}
    costs = {(1, MADRID): 2.0, (1, SEVILLA): 1.0, (2, MADRID): 1.0, (2, SEVILLA): 1.0}

    for allocate in (allocate_greedy, allocate_optimal):
        assert allocate(orders, stock, costs).served == {1: SEVILLA, 2: SEVILLA}


@pytest.mark.parametrize(
    ("orders", "stock", "costs"),
    [
        ([], {}, {}),
        ([], {(10, MADRID): 5}, {}),
        ([order(1, (10, 1)), order(2, (11, 1))], {}, {(1, MADRID): 1.0, (2, MADRID): 1.0}),
        ([order(1, (10, 1))], {(10, MADRID): 5}, {}),
    ],
    ids=["nothing", "no orders", "no stock", "no warehouse priced"],
)
def test_empty_or_hopeless_batches_serve_nobody(orders, stock, costs):
    for allocate in (allocate_greedy, allocate_optimal):
        allocation = allocate(orders, stock, costs)
        assert allocation.served == {}
        assert allocation.unserved == tuple(each.order_id for each in orders)
        assert allocation.total_cost == 0


def test_duplicate_orders_and_negative_costs_are_refused():
    with pytest.raises(ValueError, match="duplicate order ids"):
        allocate_optimal([order(1, (10, 1)), order(1, (10, 1))], {}, {})
    with pytest.raises(ValueError, match="not negative"):
        allocate_greedy([order(1, (10, 1))], {(10, MADRID): 1}, {(1, MADRID): -1.0})


def random_batch(seed: int, orders_count: int = 80, warehouses: int = 4, products: int = 6):
    """Orders of 1 to 3 lines competing for stock that covers about 80 % of the demand."""
    rng = random.Random(seed)
    orders = [
        order(order_id, *[(rng.randrange(products), rng.randint(1, 3)) for _line in range(rng.randint(1, 3))])
        for order_id in range(1, orders_count + 1)
    ]
    demand: dict[int, float] = {}
    for each in orders:
        for product_id, quantity in storable_demand(each).items():
            demand[product_id] = demand.get(product_id, 0.0) + quantity
    stock = {
        (product_id, warehouse_id): float(int(total * 0.8 * rng.random() * 2 / warehouses))
        for product_id, total in demand.items()
        for warehouse_id in range(1, warehouses + 1)
    }
    costs = {
        (each.order_id, warehouse_id): round(rng.uniform(3, 20), 2)
        for each in orders
        for warehouse_id in range(1, warehouses + 1)
        if rng.random() < 0.9
    }
    return orders, stock, costs


def test_stock_is_never_exceeded_and_the_optimiser_serves_at_least_as_many_as_greedy():
    orders, stock, costs = random_batch(seed=2024)

    greedy = allocate_greedy(orders, stock, costs)
    optimal = allocate_optimal(orders, stock, costs)

    for allocation in (greedy, optimal):
        assert_stock_respected(allocation, orders, stock)
        assert all((order_id, warehouse_id) in costs for order_id, warehouse_id in allocation.served.items())
        assert sorted([*allocation.served, *allocation.unserved]) == [each.order_id for each in orders]
        assert allocation.total_cost == pytest.approx(sum(costs[pair] for pair in allocation.served.items()))
    assert optimal.served_count > greedy.served_count


def test_when_the_time_runs_out_the_best_allocation_found_is_kept_and_never_worse_than_greedy():
    orders, stock, costs = random_batch(seed=7)

    greedy = allocate_greedy(orders, stock, costs)
    rushed = allocate_optimal(orders, stock, costs, time_limit=0.0)

    assert rushed.solver_status.startswith("time limit: ")
    assert rushed.solver_status.endswith(", not proven optimal")
    assert_stock_respected(rushed, orders, stock)
    assert (rushed.served_count, -rushed.total_cost) >= (greedy.served_count, -greedy.total_cost)
