"""The words of a routing decision: each candidate's reason and the decision's summary.

A distance is said in km only when the engine knows it; otherwise the place says "distance unknown", "warehouse not
geolocated", or the locality that replaced it (see ``scoring.locate_and_price``).
"""

from collections.abc import Mapping

from .inputs import QUANTITY_EPSILON, Strategy
from .outputs import Backorder, CandidateScore, IgnoredLine
from .scoring import Rating

# Reasons and summaries name at most this many products; the rest are counted.
PRODUCTS_NAMED = 3


def candidate_score(
    rating: Rating, demand: Mapping[int, float], labels: Mapping[int, str], chosen: bool
) -> CandidateScore:
    if rating.ineligible_reason is not None:
        reason = rating.ineligible_reason
    else:
        reason = f"{_stock_text(rating, demand, labels)}, {rating.place}"
    return CandidateScore(
        warehouse_id=rating.warehouse_id,
        name=rating.name,
        eligible=rating.ineligible_reason is None,
        reason=reason,
        distance_km=rating.distance,
        shipping_cost=rating.cost,
        coverage=rating.coverage,
        score=rating.score,
        rank=None if rating.rank is None else rating.rank + 1,
        chosen=chosen,
    )


def _stock_text(rating: Rating, demand: Mapping[int, float], labels: Mapping[int, str]) -> str:
    if not demand:
        return "nothing storable to ship"
    if rating.complete:
        return "full stock"
    if rating.coverage <= 0:
        return "no stock for this order"
    short = [
        f"{rating.held[product_id]:g} of {quantity:g} {labels[product_id]}"
        for product_id, quantity in demand.items()
        if rating.held[product_id] < quantity - QUANTITY_EPSILON
    ]
    return "has " + _named(short, "more products short")


def _named(items: list[str], rest: str) -> str:
    """The first PRODUCTS_NAMED items, then how many more."""
    text = ", ".join(items[:PRODUCTS_NAMED])
    if len(items) > PRODUCTS_NAMED:
        text += f" and {len(items) - PRODUCTS_NAMED} {rest}"
    return text


def decision_summary(
    shipping: list[Rating],
    units_by_warehouse: Mapping[int, float],
    backorders: list[Backorder],
    ignored: list[IgnoredLine],
    ranked: list[Rating],
    demand: Mapping[int, float],
    labels: Mapping[int, str],
    strategy: Strategy,
) -> str:
    if not shipping:
        sentences = ["Nothing ships now" + ("" if ranked else ": no eligible warehouse")]
    elif len(shipping) == 1:
        sentences = [
            f"Shipped from {shipping[0].name}: {_stock_text(shipping[0], demand, labels)}, {shipping[0].place}"
        ]
    else:
        parts = [
            f"{rating.name} ({units_by_warehouse.get(rating.warehouse_id, 0.0):g} units, {rating.place})"
            for rating in shipping
        ]
        sentences = [f"Split into {len(shipping)} shipments: " + ", ".join(parts)]

    if backorders:
        items = [
            f"{backorder.quantity:g} x {labels[backorder.product_id]}"
            + (f" (incoming {backorder.earliest_incoming.isoformat()})" if backorder.earliest_incoming else "")
            for backorder in backorders
        ]
        why = _why_backordered(shipping, backorders, ranked, strategy)
        sentences.append(f"Backordered, {why}: {_named(items, 'more lines')}")

    if len(shipping) == 1:
        runner_up = next((rating for rating in ranked if rating is not shipping[0]), None)
        if runner_up is not None:
            sentences.append(
                f"Next best: {runner_up.name}, {_stock_text(runner_up, demand, labels)}, {runner_up.place}"
            )
    if ignored:
        sentences.append("Ignored: " + _named([f"line {i.line_id} ({i.reason})" for i in ignored], "more lines"))
    return ". ".join(sentences) + "."


def _why_backordered(
    shipping: list[Rating], backorders: list[Backorder], ranked: list[Rating], strategy: Strategy
) -> str:
    backordered_products = {backorder.product_id for backorder in backorders}
    shipping_ids = {rating.warehouse_id for rating in shipping}
    stock_elsewhere = any(
        rating.held.get(product_id, 0.0) > QUANTITY_EPSILON
        for rating in ranked
        if rating.warehouse_id not in shipping_ids
        for product_id in backordered_products
    )
    if not stock_elsewhere:
        return "no eligible warehouse has more in stock"
    if strategy.split_policy == "never":
        return "the order is never split"
    if len(shipping) >= strategy.max_shipments:
        return f"at most {strategy.max_shipments} shipments per order"
    return "another shipment would cost more than the backorder"
