"""What box choice takes and gives: items and box types in, a :class:`PackingPlan` out (see the package
docstring)."""

from collections.abc import Hashable
from dataclasses import dataclass

OBJECTIVE_CHEAPEST = "cheapest"
OBJECTIVE_FEWEST = "fewest"
OBJECTIVES = (OBJECTIVE_CHEAPEST, OBJECTIVE_FEWEST)

# Why a unit ships alone in its own packaging.
ALONE_TOO_BIG = "too_big"
ALONE_TOO_HEAVY = "too_heavy"
# Why an item is not planned (the packer chooses its box by hand).
UNPLANNED_NO_DIMENSIONS = "no_dimensions"
UNPLANNED_NO_WEIGHT = "no_weight"
UNPLANNED_NO_BOXES = "no_boxes"
UNPLANNED_TOO_MANY_UNITS = "too_many_units"

# Tolerance of every comparison, in mm for lengths and in the weight unit for weights.
EPSILON = 1e-6
# Orders of more units than this are not planned: a pallet, not a parcel.
MAX_UNITS = 400


@dataclass(frozen=True)
class Item:
    """A product of the shipment: ``quantity`` identical units of ``length`` x ``width`` x ``height`` mm each
    weighing ``weight``."""

    item_id: Hashable
    length: float | None
    width: float | None
    height: float | None
    weight: float | None
    quantity: int = 1


@dataclass(frozen=True)
class Box:
    """A box type: inner dimensions in mm, gross ``max_weight`` (0 = no limit), ``cost`` per box used, and the
    weight of the empty box, which counts against ``max_weight``."""

    box_id: Hashable
    length: float
    width: float
    height: float
    max_weight: float = 0.0
    cost: float = 0.0
    empty_weight: float = 0.0


@dataclass(frozen=True)
class Placement:
    """One unit of ``item_id`` in its box: the corner nearest the box's origin at (``x``, ``y``, ``z``) mm and its
    size along the box's length, width and height once rotated."""

    item_id: Hashable
    x: float
    y: float
    z: float
    length: float
    width: float
    height: float


@dataclass(frozen=True)
class PackedBox:
    """One box of type ``box_id`` used by the plan: its units, gross weight (contents + empty box) and cost."""

    box_id: Hashable
    placements: tuple[Placement, ...]
    weight: float
    cost: float

    @property
    def contents(self) -> dict:
        """item id -> units in this box, in the order they were placed."""
        counts: dict = {}
        for placement in self.placements:
            counts[placement.item_id] = counts.get(placement.item_id, 0) + 1
        return counts


@dataclass(frozen=True)
class AloneParcel:
    """One unit that fits no box and ships in its own packaging, with its weight and why
    (``too_big`` or ``too_heavy``)."""

    item_id: Hashable
    weight: float
    reason: str


@dataclass(frozen=True)
class Unplanned:
    """``quantity`` units of ``item_id`` left to the packer, and why (``no_dimensions``, ``no_weight``,
    ``no_boxes``, ``too_many_units``)."""

    item_id: Hashable
    quantity: int
    reason: str


@dataclass(frozen=True)
class PackingPlan:
    boxes: tuple[PackedBox, ...]
    alone: tuple[AloneParcel, ...]
    unplanned: tuple[Unplanned, ...]
    objective: str

    @property
    def total_cost(self) -> float:
        """What the boxes cost; parcels shipping alone use their own packaging and cost nothing here."""
        return sum(box.cost for box in self.boxes)

    @property
    def box_count(self) -> int:
        return len(self.boxes)
