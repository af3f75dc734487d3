"""What the routing engine returns: a Decision, with a CandidateScore per warehouse, its assignments and
backorders."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CandidateScore:
    """How one candidate was judged. ``distance_km``: None when the engine does not know it (the warehouse or the
    delivery address has no coordinates). ``coverage``: fraction of the ordered storable units it holds. ``rank``: 1
    for the best eligible candidate, None when ineligible. ``chosen``: it ships part of the order."""

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
