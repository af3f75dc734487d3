"""Steps 5 to 7 of the routing (see the package docstring): which warehouses ship, and how much of each line."""

import math
from collections.abc import Mapping
from itertools import combinations

from .inputs import QUANTITY_EPSILON, Line, Strategy
from .outputs import Assignment, Backorder
from .scoring import Rating

# "minimise_cost" prices the sets drawn from this many best-ranked candidates holding stock: at most 63 sets, a
# fraction of a millisecond; a set needing a warehouse ranked lower is rarely the cheapest.
COST_SEARCH_CANDIDATES = 6
# Costs closer than this are equal: sums of fractions leave float crumbs.
COST_EPSILON = 1e-9


def choose_warehouses(ranked: list[Rating], demand: Mapping[int, float], strategy: Strategy) -> list[Rating]:
    """The warehouses that will ship, in rank order."""
    holding = [rating for rating in ranked if rating.coverage > 0]
    if strategy.split_policy == "minimise_cost":
        return _cheapest_set(holding, demand, strategy)
    complete = next((rating for rating in holding if rating.complete), None)
    if complete is not None:
        return [complete]
    if strategy.split_policy == "never":
        return holding[:1]
    return _greedy_cover(holding, demand, strategy.max_shipments)


def _greedy_cover(holding: list[Rating], demand: Mapping[int, float], max_shipments: int) -> list[Rating]:
    """ "when_needed" once no candidate holds everything: step 5 of the package docstring."""
    remaining = dict(demand)
    pool = list(holding)
    chosen: list[Rating] = []

    def holds_all_remaining(rating: Rating) -> bool:
        return all(rating.held[product_id] >= left - QUANTITY_EPSILON for product_id, left in remaining.items())

    def remaining_units_held(rating: Rating) -> float:
        return sum(min(rating.held[product_id], left) for product_id, left in remaining.items())

    while remaining and pool and len(chosen) < max_shipments:
        pick = next((rating for rating in pool if holds_all_remaining(rating)), None)
        if pick is None:
            # max() keeps the first of equals, and the pool is in rank order.
            pick = max(pool, key=remaining_units_held)
            if remaining_units_held(pick) <= QUANTITY_EPSILON:
                break
        chosen.append(pick)
        pool.remove(pick)
        remaining = {
            product_id: left - pick.held[product_id]
            for product_id, left in remaining.items()
            if left - pick.held[product_id] > QUANTITY_EPSILON
        }
    return sorted(chosen, key=lambda rating: rating.rank)


def _cheapest_set(holding: list[Rating], demand: Mapping[int, float], strategy: Strategy) -> list[Rating]:
    """ "minimise_cost": step 5 of the package docstring."""
    pool = holding[:COST_SEARCH_CANDIDATES]
    best_cost, best_set = math.inf, ()
    # Sizes grow and combinations() keeps rank order, so on equal cost the first set found (fewest shipments, best
    # ranks) stays.
    for size in range(1, min(strategy.max_shipments, len(pool)) + 1):
        for warehouses in combinations(pool, size):
            unshipped = sum(
                max(0.0, quantity - sum(rating.held[product_id] for rating in warehouses))
                for product_id, quantity in demand.items()
            )
            cost = (
                sum(rating.cost for rating in warehouses)
                + strategy.split_penalty * (size - 1)
                + strategy.backorder_penalty * unshipped
            )
            if cost < best_cost - COST_EPSILON:
                best_cost, best_set = cost, warehouses
    return list(best_set)


def fill_lines(
    routed: list[Line], chosen: list[Rating], eligible: list[Rating]
) -> tuple[list[Assignment], list[Backorder]]:
    stock_left = {rating.warehouse_id: dict(rating.held) for rating in chosen}
    assignments: list[Assignment] = []
    backorders: list[Backorder] = []
    for line in routed:
        product_id = line.product_id
        left = line.quantity
        whole = next(
            (rating for rating in chosen if stock_left[rating.warehouse_id][product_id] >= left - QUANTITY_EPSILON),
            None,
        )
        for rating in [whole] if whole is not None else chosen:
            taken = min(left, stock_left[rating.warehouse_id][product_id])
            if taken > QUANTITY_EPSILON:
                assignments.append(Assignment(line.line_id, product_id, rating.warehouse_id, taken))
                stock_left[rating.warehouse_id][product_id] -= taken
                left -= taken
        if left > QUANTITY_EPSILON:
            incoming = [
                rating.candidate.incoming[product_id] for rating in eligible if product_id in rating.candidate.incoming
            ]
            backorders.append(Backorder(line.line_id, product_id, left, min(incoming, default=None)))
    return assignments, backorders


def place_following_lines(
    following: list[Line],
    routed: list[Line],
    chosen: list[Rating],
    assignments: list[Assignment],
    backorders: list[Backorder],
) -> None:
    """Append the following lines' assignments or backorders (step 7 of the package docstring)."""
    rank = {rating.warehouse_id: rating.rank for rating in chosen}
    units_by_line: dict[int, dict[int, float]] = {}
    for assignment in assignments:
        by_warehouse = units_by_line.setdefault(assignment.line_id, {})
        by_warehouse[assignment.warehouse_id] = by_warehouse.get(assignment.warehouse_id, 0.0) + assignment.quantity
    units_by_warehouse = storable_units_by_warehouse(assignments, routed)
    backorder_dates = {backorder.line_id: backorder.earliest_incoming for backorder in backorders}
    routed_ids = {line.line_id for line in routed}

    def most_units(units: Mapping[int, float]) -> int | None:
        return min(units, key=lambda warehouse_id: (-units[warehouse_id], rank[warehouse_id]), default=None)

    for line in following:
        main_id = line.follows_line_id if line.follows_line_id in routed_ids else None
        if main_id is not None:
            warehouse_id = most_units(units_by_line.get(main_id, {}))
        elif routed:
            warehouse_id = most_units(units_by_warehouse)
        else:
            warehouse_id = chosen[0].warehouse_id if chosen else None
        if warehouse_id is not None:
            assignments.append(Assignment(line.line_id, line.product_id, warehouse_id, line.quantity))
            continue
        # It waits for its main line, or for the whole order: it is ready when the last of them is.
        waited = [backorder_dates[main_id]] if main_id is not None else list(backorder_dates.values())
        ready = max(waited) if waited and None not in waited else None
        backorders.append(Backorder(line.line_id, line.product_id, line.quantity, ready))


def storable_units_by_warehouse(assignments: list[Assignment], routed: list[Line]) -> dict[int, float]:
    routed_ids = {line.line_id for line in routed}
    units: dict[int, float] = {}
    for assignment in assignments:
        if assignment.line_id in routed_ids:
            units[assignment.warehouse_id] = units.get(assignment.warehouse_id, 0.0) + assignment.quantity
    return units
