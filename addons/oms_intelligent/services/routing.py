"""Fulfilment routing: which warehouse(s) ship each line of one order, with a score and a reason per warehouse.

Interface
---------
``route_order(order, candidates, strategy, rates) -> Decision``. The caller gathers the order (:class:`Order` of
:class:`Line`), the warehouses of the order's company with their stock (:class:`Candidate`), the routing rules
(:class:`Strategy`) and the tariff (:class:`ShippingRates`); the engine returns a :class:`Decision`: the quantity of
each line every warehouse ships (:class:`Assignment`), what nobody can ship now (:class:`Backorder`), the lines it
ignored and why (:class:`IgnoredLine`), a :class:`CandidateScore` for every candidate, chosen or not, and a summary
sentence. Everything is a frozen dataclass, nothing touches the database.

Algorithm
---------
1. Lines. A quantity that is zero, negative or not a number is ignored with its reason. A line that is not storable
   (service, kit parent) or names its main line (``follows_line_id``: kit component, installation service...)
   follows: it is not routed on its own (step 7). The other lines are routed; their quantities are summed per
   product into the order's demand.
2. Eligibility. Each candidate is checked in this order, the first failure being its reason: ``disabled``,
   ``other company`` (than the order's), ``does not serve FR`` (``countries_served`` set and without the
   destination's country; not checked when the destination has no country), ``capacity full``
   (``capacity_left`` <= 0). Ineligible candidates are listed with score 0 and never ship.
3. Criteria, each in 0..1 with 1 the best, across the eligible candidates:

   - distance: nearest / this one (distances under 1 km count as 1 km); a warehouse without coordinates gets 0.
     When the delivery address has no coordinates, locality replaces it: same region 1, same country 0.5, other
     0, scaled so the best candidate has 1; when no eligible candidate is in the destination's country (or the
     destination has no country either) the default warehouse gets 1 and the others 0.
     ``Decision.fallback`` says which of these was used.
   - shipping cost: cheapest / this one (costs under 0.01 count as 0.01).
   - coverage: the fraction of the demand's units the candidate holds (1 when nothing storable is ordered).
   - priority: scaled from the lowest (0) to the highest (1); all equal gives 1.
   - capacity: ``capacity_left`` / the largest ``capacity_left``; unlimited (None) gives 1.

   Distance and cost are ratios rather than min-max so they keep proportions: 12 and 14 km score 1 and 0.86,
   not 1 and 0. Score = sum(weight x criterion) / sum(weights), in 0..1.
4. Ranking and tie-breaks: higher score, then higher coverage, then shorter distance (unknown last), then lower
   warehouse id. Scores are compared rounded to 9 decimals so float noise cannot separate equal candidates, and
   candidates are processed sorted by id, so the order they are given in never changes the decision.
5. Warehouses, by split policy, among the eligible candidates holding some of the demand:

   - ``never``: the best-ranked candidate that holds everything; if none, the best-ranked one ships what it holds
     and the rest is backordered.
   - ``when_needed``: the best-ranked candidate that holds everything; if none, greedy: add the best-ranked
     candidate that holds all that remains, else the one holding the most remaining units (ties: rank), until
     nothing remains or ``max_shipments`` warehouses are used.
   - ``minimise_cost``: every set of up to ``max_shipments`` warehouses among the 6 best-ranked is priced at
     sum(shipping costs) + ``split_penalty`` x (shipments - 1) + ``backorder_penalty`` x units left unshipped; the
     cheapest wins, ties going to fewer shipments, then to better-ranked warehouses. Shipping nothing is not an
     option: the stock is there and the order would have to ship later anyway.
6. Quantities. Lines are taken in order; a line goes whole to the best-ranked chosen warehouse that still holds
   all of it (one parcel per line when possible), else it is filled from the chosen warehouses in rank order. What
   is left is backordered with the earliest incoming date of its product among eligible candidates.
7. Following lines go to the warehouse shipping most of their main line, or without a main line to the largest
   shipment (most units; ties: rank). They are backordered with their main line when it ships nothing (with the
   whole order when nothing storable ships); an order of following lines only goes to the chosen warehouse.

Shipping cost of a candidate = its handling cost + :meth:`ShippingRates.shipment_cost`. When its distance is
unknown it is priced at the farthest known candidate distance (pessimistic, so a missing coordinate never makes a
warehouse look cheap). ``Decision.estimated_cost`` sums the cost of the warehouses that ship; the split and
backorder penalties only steer the choice.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Literal

from .geo import Location, distance_km, same_country, same_region

SplitPolicy = Literal["never", "when_needed", "minimise_cost"]
SPLIT_POLICIES = ("never", "when_needed", "minimise_cost")

# "minimise_cost" prices the sets drawn from this many best-ranked candidates holding stock: at most 63 sets, a
# fraction of a millisecond; a set needing a warehouse ranked lower is rarely the cheapest.
COST_SEARCH_CANDIDATES = 6
# Quantities smaller than this are zero, costs closer than this are equal: sums of fractions leave float crumbs.
QUANTITY_EPSILON = 1e-9
COST_EPSILON = 1e-9
# Scores are compared rounded to this many decimals, so float crumbs cannot separate equal candidates.
SCORE_DECIMALS = 9
# Floors of the ratio criteria: a warehouse 200 m away must not make one 2 km away look ten times worse, nor a free
# shipment make every paid one worth nothing.
MIN_DISTANCE_KM = 1.0
MIN_COST = 0.01
LOCALITY_SAME_REGION = 1.0
LOCALITY_SAME_COUNTRY = 0.5
# Reasons and summaries name at most this many products; the rest are counted.
PRODUCTS_NAMED = 3


@dataclass(frozen=True)
class Line:
    """One order line. ``label`` names the product in reasons (its reference, e.g. "OMS-001"), "product <id>" when
    empty. A line that is not ``storable`` or has a ``follows_line_id`` follows its main line instead of being
    routed: pass storable kit components that must be checked for stock as ordinary lines."""

    line_id: int
    product_id: int
    quantity: float
    storable: bool = True
    follows_line_id: int | None = None
    label: str = ""

    @property
    def follows(self) -> bool:
        return not self.storable or self.follows_line_id is not None


@dataclass(frozen=True)
class Order:
    order_id: int
    company_id: int
    destination: Location
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Candidate:
    """A warehouse that may ship the order.

    ``atp``: product id -> quantity available to promise (missing = 0, negative counts as 0); ``incoming``: product
    id -> earliest date more is expected. ``priority``: higher is preferred. ``capacity_left``: orders it can still
    take today, None for unlimited. ``countries_served``: destination countries it ships to, empty for all.
    """

    warehouse_id: int
    name: str
    location: Location
    company_id: int
    atp: Mapping[int, float] = field(default_factory=dict)
    incoming: Mapping[int, date] = field(default_factory=dict)
    enabled: bool = True
    priority: int = 0
    capacity_left: int | None = None
    handling_cost: float = 0.0
    countries_served: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ShippingRates:
    """Price of one shipment, before the warehouse's handling cost.

    ``zone_rates[(warehouse_id, country_code)]`` is the carrier price for that lane when the caller can compute it
    offline (e.g. the cheapest carrier's price for the destination zone); it wins over the distance tariff.
    Otherwise ``distance_bands`` ((up to km, price), ... ascending) price a shipment at the first band reaching its
    distance, and ``per_km`` is added for every km beyond the last band (or from 0 km when there are no bands).
    ``per_shipment`` (label, packing) is added to every shipment.
    """

    per_shipment: float = 0.0
    per_km: float = 0.0
    distance_bands: tuple[tuple[float, float], ...] = ()
    zone_rates: Mapping[tuple[int, str], float] = field(default_factory=dict)

    def __post_init__(self):
        limits = [up_to_km for up_to_km, _price in self.distance_bands]
        if limits != sorted(limits):
            raise ValueError("distance_bands must be sorted by distance")

    def shipment_cost(self, warehouse_id: int, country_code: str | None, km: float) -> float:
        zone_rate = self.zone_rates.get((warehouse_id, country_code)) if country_code else None
        if zone_rate is not None:
            return self.per_shipment + zone_rate
        for up_to_km, price in self.distance_bands:
            if km <= up_to_km:
                return self.per_shipment + price
        last_km, last_price = self.distance_bands[-1] if self.distance_bands else (0.0, 0.0)
        return self.per_shipment + last_price + self.per_km * (km - last_km)


@dataclass(frozen=True)
class Strategy:
    """Routing rules. Weights are relative (only their proportions matter) and must not be negative.
    ``split_penalty`` and ``backorder_penalty`` (per unit left unshipped) are in the currency of the costs and are
    used by the ``minimise_cost`` policy only. ``default_warehouse_id`` is preferred when the delivery address can
    be placed neither by coordinates nor by country. The default weights count stock twice as much as distance or
    cost, and let priority and capacity settle near-ties."""

    weight_distance: float = 1.0
    weight_cost: float = 1.0
    weight_coverage: float = 2.0
    weight_priority: float = 0.5
    weight_capacity: float = 0.5
    split_policy: SplitPolicy = "when_needed"
    split_penalty: float = 0.0
    backorder_penalty: float = 100.0
    max_shipments: int = 3
    default_warehouse_id: int | None = None

    def __post_init__(self):
        if self.split_policy not in SPLIT_POLICIES:
            raise ValueError(f"split_policy must be one of {SPLIT_POLICIES}, not {self.split_policy!r}")
        if self.max_shipments < 1:
            raise ValueError("max_shipments must be at least 1")
        if min(self.weights) < 0:
            raise ValueError("weights must not be negative")

    @property
    def weights(self) -> tuple[float, float, float, float, float]:
        """In the order of the criteria: distance, cost, coverage, priority, capacity."""
        return (
            self.weight_distance,
            self.weight_cost,
            self.weight_coverage,
            self.weight_priority,
            self.weight_capacity,
        )


@dataclass(frozen=True)
class CandidateScore:
    """How one candidate was judged. ``coverage``: fraction of the ordered storable units it holds. ``rank``: 1 for
    the best eligible candidate, None when ineligible. ``chosen``: it ships part of the order."""

    warehouse_id: int
    name: str
    eligible: bool
    reason: str
    distance_km: float | None
    shipping_cost: float
    coverage: float
    score: float
    rank: int | None
    chosen: bool


@dataclass(frozen=True)
class Assignment:
    line_id: int
    product_id: int
    warehouse_id: int
    quantity: float


@dataclass(frozen=True)
class Backorder:
    line_id: int
    product_id: int
    quantity: float
    earliest_incoming: date | None


@dataclass(frozen=True)
class IgnoredLine:
    line_id: int
    reason: str


@dataclass(frozen=True)
class Decision:
    """The routing of one order. ``chosen_warehouse_ids``: the warehouses that ship, largest shipment (most units)
    first, so the first is the order's main warehouse. ``scores``: every candidate, eligible ones by rank, then the
    ineligible by warehouse id. ``fallback``: how the destination was placed when it has no coordinates."""

    assignments: tuple[Assignment, ...]
    backorders: tuple[Backorder, ...]
    ignored: tuple[IgnoredLine, ...]
    scores: tuple[CandidateScore, ...]
    chosen_warehouse_ids: tuple[int, ...]
    shipments: int
    estimated_cost: float
    summary: str
    fallback: str | None


@dataclass
class _Rating:
    """Working state of one candidate while an order is routed."""

    candidate: Candidate
    ineligible_reason: str | None
    held: dict[int, float]  # product id -> units of the demand it can ship
    coverage: float
    complete: bool
    distance: float | None = None
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


def route_order(order: Order, candidates: Sequence[Candidate], strategy: Strategy, rates: ShippingRates) -> Decision:
    """Route one order; see the module docstring for the algorithm. Raises ValueError on duplicate line or
    warehouse ids (a bug in the caller, not a property of the order)."""
    _check_unique(order, candidates)
    routed, following, ignored = _sort_lines(order.lines)
    demand = _sum_by_product(routed)
    labels: dict[int, str] = {}
    for line in order.lines:
        labels.setdefault(line.product_id, line.label or f"product {line.product_id}")

    ratings = [_rate(candidate, order, demand) for candidate in sorted(candidates, key=lambda c: c.warehouse_id)]
    _locate_and_price(ratings, order.destination, rates)
    eligible = [rating for rating in ratings if rating.ineligible_reason is None]
    fallback = _score(eligible, order.destination, strategy)
    ranked = sorted(eligible, key=_rank_key)
    for position, rating in enumerate(ranked):
        rating.rank = position

    chosen = _choose_warehouses(ranked, demand, strategy)
    assignments, backorders = _fill_lines(routed, chosen, eligible)
    _place_following_lines(following, routed, chosen, assignments, backorders)

    units_by_warehouse = _storable_units_by_warehouse(assignments, routed)
    by_id = {rating.warehouse_id: rating for rating in ranked}
    shipping = sorted(
        (by_id[warehouse_id] for warehouse_id in {assignment.warehouse_id for assignment in assignments}),
        key=lambda rating: (-units_by_warehouse.get(rating.warehouse_id, 0.0), rating.rank),
    )
    shipping_ids = {rating.warehouse_id for rating in shipping}
    scores = [_candidate_score(rating, demand, labels, rating.warehouse_id in shipping_ids) for rating in ranked]
    scores += [_candidate_score(rating, demand, labels, False) for rating in ratings if rating.rank is None]
    summary = _summary(shipping, units_by_warehouse, backorders, ignored, ranked, demand, labels, strategy)
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


def _rate(candidate: Candidate, order: Order, demand: Mapping[int, float]) -> _Rating:
    held = {
        product_id: min(quantity, max(0.0, candidate.atp.get(product_id, 0.0)))
        for product_id, quantity in demand.items()
    }
    total = sum(demand.values())
    return _Rating(
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


def _locate_and_price(ratings: list[_Rating], destination: Location, rates: ShippingRates) -> None:
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


def _score(eligible: list[_Rating], destination: Location, strategy: Strategy) -> str | None:
    """Set each eligible rating's score; return the fallback used to place the destination, if any."""
    proximity, fallback = _proximity(eligible, destination, strategy.default_warehouse_id)
    lowest_cost = max(min((rating.cost for rating in eligible), default=0.0), MIN_COST)
    priorities = [rating.candidate.priority for rating in eligible]
    lowest_priority, highest_priority = min(priorities, default=0), max(priorities, default=0)
    largest_capacity = max(
        (rating.candidate.capacity_left for rating in eligible if rating.candidate.capacity_left is not None), default=1
    )
    weights = strategy.weights
    total_weight = sum(weights)
    for rating, closeness in zip(eligible, proximity, strict=True):
        priority = rating.candidate.priority
        capacity = rating.candidate.capacity_left
        criteria = (
            closeness,
            lowest_cost / max(rating.cost, MIN_COST),
            rating.coverage,
            (priority - lowest_priority) / (highest_priority - lowest_priority)
            if highest_priority > lowest_priority
            else 1.0,
            1.0 if capacity is None else capacity / largest_capacity,
        )
        rating.score = (
            sum(w * c for w, c in zip(weights, criteria, strict=True)) / total_weight if total_weight else 0.0
        )
    return fallback


def _proximity(
    eligible: list[_Rating], destination: Location, default_warehouse_id: int | None
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


def _rank_key(rating: _Rating):
    return (
        -round(rating.score, SCORE_DECIMALS),
        -round(rating.coverage, SCORE_DECIMALS),
        rating.distance if rating.distance is not None else math.inf,
        rating.warehouse_id,
    )


def _choose_warehouses(ranked: list[_Rating], demand: Mapping[int, float], strategy: Strategy) -> list[_Rating]:
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


def _greedy_cover(holding: list[_Rating], demand: Mapping[int, float], max_shipments: int) -> list[_Rating]:
    """ "when_needed" once no candidate holds everything: step 5 of the module docstring."""
    remaining = dict(demand)
    pool = list(holding)
    chosen: list[_Rating] = []

    def holds_all_remaining(rating: _Rating) -> bool:
        return all(rating.held[product_id] >= left - QUANTITY_EPSILON for product_id, left in remaining.items())

    def remaining_units_held(rating: _Rating) -> float:
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


def _cheapest_set(holding: list[_Rating], demand: Mapping[int, float], strategy: Strategy) -> list[_Rating]:
    """ "minimise_cost": step 5 of the module docstring."""
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


def _fill_lines(
    routed: list[Line], chosen: list[_Rating], eligible: list[_Rating]
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


def _place_following_lines(
    following: list[Line],
    routed: list[Line],
    chosen: list[_Rating],
    assignments: list[Assignment],
    backorders: list[Backorder],
) -> None:
    """Append the following lines' assignments or backorders (step 7 of the module docstring)."""
    rank = {rating.warehouse_id: rating.rank for rating in chosen}
    units_by_line: dict[int, dict[int, float]] = {}
    for assignment in assignments:
        by_warehouse = units_by_line.setdefault(assignment.line_id, {})
        by_warehouse[assignment.warehouse_id] = by_warehouse.get(assignment.warehouse_id, 0.0) + assignment.quantity
    units_by_warehouse = _storable_units_by_warehouse(assignments, routed)
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


def _storable_units_by_warehouse(assignments: list[Assignment], routed: list[Line]) -> dict[int, float]:
    routed_ids = {line.line_id for line in routed}
    units: dict[int, float] = {}
    for assignment in assignments:
        if assignment.line_id in routed_ids:
            units[assignment.warehouse_id] = units.get(assignment.warehouse_id, 0.0) + assignment.quantity
    return units


def _candidate_score(
    rating: _Rating, demand: Mapping[int, float], labels: Mapping[int, str], chosen: bool
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


def _stock_text(rating: _Rating, demand: Mapping[int, float], labels: Mapping[int, str]) -> str:
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


def _summary(
    shipping: list[_Rating],
    units_by_warehouse: Mapping[int, float],
    backorders: list[Backorder],
    ignored: list[IgnoredLine],
    ranked: list[_Rating],
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
    shipping: list[_Rating], backorders: list[Backorder], ranked: list[_Rating], strategy: Strategy
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
