"""What the caller gives the routing engine: the order, the candidate warehouses, the rules and the tariff."""

from collections.abc import Mapping
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Literal

from ..geo import Location

SplitPolicy = Literal["never", "when_needed", "minimise_cost"]
SPLIT_POLICIES = ("never", "when_needed", "minimise_cost")

# Quantities smaller than this are zero: sums of fractions leave float crumbs.
QUANTITY_EPSILON = 1e-9


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
class Weights:
    """How much each criterion counts in a candidate's score. Relative (only their proportions matter), none
    negative and at least one above zero. The defaults count stock twice as much as distance or cost, and let
    priority and capacity settle near-ties."""

    distance: float = 1.0
    cost: float = 1.0
    coverage: float = 2.0
    priority: float = 0.5
    capacity: float = 0.5

    def __post_init__(self):
        if min(astuple(self)) < 0:
            raise ValueError("weights must not be negative")
        if not any(astuple(self)):
            raise ValueError("at least one of the weights must be above zero")

    def score(self, *, distance: float, cost: float, coverage: float, priority: float, capacity: float) -> float:
        """The weighted mean of the criteria, each in 0..1 with 1 the best."""
        weighted = (
            self.distance * distance
            + self.cost * cost
            + self.coverage * coverage
            + self.priority * priority
            + self.capacity * capacity
        )
        return weighted / sum(astuple(self))


@dataclass(frozen=True)
class Strategy:
    """Routing rules. ``split_penalty`` and ``backorder_penalty`` (per unit left unshipped) are in the currency of
    the costs and are used by the ``minimise_cost`` policy only. ``default_warehouse_id`` is preferred when the
    delivery address can be placed neither by coordinates nor by country."""

    weights: Weights = field(default_factory=Weights)
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
