"""Steps 2 to 4 of the routing (see the package docstring): eligibility, place and price, score and rank."""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ..geo import Location, distance_km, same_country, same_region
from .inputs import QUANTITY_EPSILON, Candidate, Order, ShippingRates, Strategy

# Scores are compared rounded to this many decimals, so float crumbs cannot separate equal candidates.
SCORE_DECIMALS = 9
# Floors of the ratio criteria: a warehouse 200 m away must not make one 2 km away look ten times worse, nor a free
# shipment make every paid one worth nothing.
MIN_DISTANCE_KM = 1.0
MIN_COST = 0.01
LOCALITY_SAME_REGION = 1.0
LOCALITY_SAME_COUNTRY = 0.5


@dataclass
class Rating:
    """Working state of one candidate while an order is routed."""

    candidate: Candidate
    ineligible_reason: str | None
    held: dict[int, float]  # product id -> units of the demand it can ship
    coverage: float
    complete: bool
    distance: float | None = None  # None when unknown: never said in km
    place: str = ""  # distance or locality, as said in reasons
    cost: float = 0.0
    score: float = 0.0
    rank: int | None = None  # 0-based position among eligible candidates

    @property
    def warehouse_id(self) -> int:
        return self.candidate.warehouse_id

    @property
    def name(self) -> str:
        return self.candidate.name


def rate(candidate: Candidate, order: Order, demand: Mapping[int, float]) -> Rating:
    held = {
        product_id: min(quantity, max(0.0, candidate.atp.get(product_id, 0.0)))
        for product_id, quantity in demand.items()
    }
    total = sum(demand.values())
    return Rating(
        candidate=candidate,
        ineligible_reason=ineligibility(candidate, order),
        held=held,
        coverage=sum(held.values()) / total if total else 1.0,
        complete=all(held[product_id] >= quantity - QUANTITY_EPSILON for product_id, quantity in demand.items()),
    )


def ineligibility(candidate: Candidate, order: Order) -> str | None:
    """Why this warehouse may not ship this order at all, or None when it may (stock aside)."""
    country = order.destination.country_code
    if not candidate.enabled:
        return "disabled"
    if candidate.company_id != order.company_id:
        return "other company"
    if candidate.countries_served and country and country not in candidate.countries_served:
        return f"does not serve {country}"
    if candidate.capacity_left is not None and candidate.capacity_left <= 0:
        return "capacity full"
    return None


def locate_and_price(ratings: list[Rating], destination: Location, rates: ShippingRates) -> None:
    for rating in ratings:
        rating.distance = distance_km(rating.candidate.location, destination)
        if rating.distance is not None:
            rating.place = f"{rating.distance:.0f} km"
        elif destination.has_coordinates:
            rating.place = "warehouse not geolocated"
        else:
            rating.place = "distance unknown"
    farthest_km = max((rating.distance for rating in ratings if rating.distance is not None), default=0.0)
    for rating in ratings:
        km = rating.distance if rating.distance is not None else farthest_km
        rating.cost = rating.candidate.handling_cost + rates.shipment_cost(
            rating.warehouse_id, destination.country_code, km
        )


def score_eligible(eligible: list[Rating], destination: Location, strategy: Strategy) -> str | None:
    """Set each eligible rating's score; return the fallback used to place the destination, if any."""
    proximity, fallback = _proximity(eligible, destination, strategy.default_warehouse_id)
    lowest_cost = max(min((rating.cost for rating in eligible), default=0.0), MIN_COST)
    priorities = [rating.candidate.priority for rating in eligible]
    lowest_priority, highest_priority = min(priorities, default=0), max(priorities, default=0)
    largest_capacity = max(
        (rating.candidate.capacity_left for rating in eligible if rating.candidate.capacity_left is not None), default=1
    )
    for rating, closeness in zip(eligible, proximity, strict=True):
        priority = rating.candidate.priority
        capacity = rating.candidate.capacity_left
        rating.score = strategy.weights.score(
            distance=closeness,
            cost=lowest_cost / max(rating.cost, MIN_COST),
            coverage=rating.coverage,
            priority=(priority - lowest_priority) / (highest_priority - lowest_priority)
            if highest_priority > lowest_priority
            else 1.0,
            capacity=1.0 if capacity is None else capacity / largest_capacity,
        )
    return fallback


def _proximity(
    eligible: list[Rating], destination: Location, default_warehouse_id: int | None
) -> tuple[list[float], str | None]:
    """(distance criterion per eligible rating, fallback sentence or None)."""
    if destination.has_coordinates:
        nearest_km = min((rating.distance for rating in eligible if rating.distance is not None), default=None)
        return [
            max(nearest_km, MIN_DISTANCE_KM) / max(rating.distance, MIN_DISTANCE_KM)
            if rating.distance is not None
            else 0.0
            for rating in eligible
        ], None

    localities = []
    for rating in eligible:
        if same_region(rating.candidate.location, destination):
            rating.place = "same region"
            localities.append(LOCALITY_SAME_REGION)
        elif same_country(rating.candidate.location, destination):
            rating.place = "same country"
            localities.append(LOCALITY_SAME_COUNTRY)
        else:
            localities.append(0.0)
    best = max(localities, default=0.0)
    country = destination.country_code
    if best > 0:
        where = f"region {country}-{destination.region}" if best == LOCALITY_SAME_REGION else f"country {country}"
        fallback = f"no coordinates for the delivery address: ranked by {where}"
        return [locality / best for locality in localities], fallback

    if country:
        unplaced = f"no coordinates for the delivery address and no eligible warehouse in {country}"
    else:
        unplaced = "no coordinates nor country for the delivery address"
    default = next((rating for rating in eligible if rating.warehouse_id == default_warehouse_id), None)
    if default is None:
        return [0.0] * len(eligible), f"{unplaced}, no eligible default warehouse: ranked on the other criteria"
    default.place = "default warehouse"
    fallback = f"{unplaced}: default warehouse {default.name} preferred"
    return [1.0 if rating is default else 0.0 for rating in eligible], fallback


def rank_key(rating: Rating):
    return (
        -round(rating.score, SCORE_DECIMALS),
        -round(rating.coverage, SCORE_DECIMALS),
        rating.distance if rating.distance is not None else math.inf,
        rating.warehouse_id,
    )
