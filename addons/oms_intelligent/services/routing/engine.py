"""``route_order``: the steps of the routing in order (see the package docstring)."""

import math
from collections.abc import Sequence

from .choice import choose_warehouses, fill_lines, place_following_lines, storable_units_by_warehouse
from .explanation import candidate_score, decision_summary
from .inputs import QUANTITY_EPSILON, Candidate, Line, Order, ShippingRates, Strategy
from .outputs import Decision, IgnoredLine
from .scoring import locate_and_price, rank_key, rate, score_eligible


def route_order(order: Order, candidates: Sequence[Candidate], strategy: Strategy, rates: ShippingRates) -> Decision:
    """Route one order; see the package docstring for the algorithm. Raises ValueError on duplicate line or
    warehouse ids (a bug in the caller, not a property of the order)."""
    _check_unique(order, candidates)
    routed, following, ignored = _sort_lines(order.lines)
    demand = _sum_by_product(routed)
    labels = _labels(order.lines)
    ratings = [rate(candidate, order, demand) for candidate in sorted(candidates, key=lambda c: c.warehouse_id)]
    locate_and_price(ratings, order.destination, rates)
    eligible = [rating for rating in ratings if rating.ineligible_reason is None]
    fallback = score_eligible(eligible, order.destination, strategy)
    ranked = sorted(eligible, key=rank_key)
    for position, rating in enumerate(ranked):
        rating.rank = position

    chosen = choose_warehouses(ranked, demand, strategy)
    assignments, backorders = fill_lines(routed, chosen, eligible)
    place_following_lines(following, routed, chosen, assignments, backorders)

    units_by_warehouse = storable_units_by_warehouse(assignments, routed)
    by_id = {rating.warehouse_id: rating for rating in ranked}
    shipping = sorted(
        (by_id[warehouse_id] for warehouse_id in {assignment.warehouse_id for assignment in assignments}),
        key=lambda rating: (-units_by_warehouse.get(rating.warehouse_id, 0.0), rating.rank),
    )
    shipping_ids = {rating.warehouse_id for rating in shipping}
    scores = [candidate_score(rating, demand, labels, rating.warehouse_id in shipping_ids) for rating in ranked]
    scores += [candidate_score(rating, demand, labels, False) for rating in ratings if rating.rank is None]
    summary = decision_summary(shipping, units_by_warehouse, backorders, ignored, ranked, demand, labels, strategy)
    return Decision(
        assignments=tuple(assignments),
        backorders=tuple(backorders),
        ignored=tuple(ignored),
        scores=tuple(scores),
        chosen_warehouse_ids=tuple(rating.warehouse_id for rating in shipping),
        shipments=len(shipping),
        estimated_cost=sum(rating.cost for rating in shipping),
        summary=summary,
        fallback=fallback,
    )


def _labels(lines: Sequence[Line]) -> dict[int, str]:
    """Product id -> how reasons name it: the label of its first line, else "product <id>"."""
    labels: dict[int, str] = {}
    for line in lines:
        labels.setdefault(line.product_id, line.label or f"product {line.product_id}")
    return labels


def storable_demand(order: Order) -> dict[int, float]:
    """Units per product the order asks of the warehouses, counted as route_order counts them: ignored and following
    lines left out."""
    routed, _following, _ignored = _sort_lines(order.lines)
    return _sum_by_product(routed)


def _sum_by_product(lines: list[Line]) -> dict[int, float]:
    demand: dict[int, float] = {}
    for line in lines:
        demand[line.product_id] = demand.get(line.product_id, 0.0) + line.quantity
    return demand


def _check_unique(order: Order, candidates: Sequence[Candidate]) -> None:
    line_ids = [line.line_id for line in order.lines]
    if len(set(line_ids)) != len(line_ids):
        raise ValueError(f"order {order.order_id} has duplicate line ids")
    warehouse_ids = [candidate.warehouse_id for candidate in candidates]
    if len(set(warehouse_ids)) != len(warehouse_ids):
        raise ValueError(f"duplicate candidate warehouse ids for order {order.order_id}")


def _sort_lines(lines: Sequence[Line]) -> tuple[list[Line], list[Line], list[IgnoredLine]]:
    """(routed, following, ignored) in the order's line order."""
    routed, following, ignored = [], [], []
    for line in lines:
        if not math.isfinite(line.quantity):
            ignored.append(IgnoredLine(line.line_id, "quantity is not a number"))
        elif line.quantity < 0:
            ignored.append(IgnoredLine(line.line_id, f"negative quantity {line.quantity:g}: returns are not routed"))
        elif line.quantity <= QUANTITY_EPSILON:
            ignored.append(IgnoredLine(line.line_id, "quantity 0: nothing to ship"))
        elif line.follows:
            following.append(line)
        else:
            routed.append(line)
    return routed, following, ignored
