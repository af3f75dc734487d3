"""Box choice: which of the warehouse's standard boxes a shipment's items go in, by a 3D bin-packing heuristic.

Interface
---------
``plan_packing(items, boxes, objective="cheapest") -> PackingPlan``

- ``items``: :class:`Item` (id, length, width and height in mm, weight, quantity in whole units). An item whose
  dimensions or weight are missing (``None`` or not above zero: Odoo stores an unset weight as 0) is not planned.
- ``boxes``: :class:`Box` types (id, *inner* length, width and height in mm, maximum weight, cost, empty weight).
  ``max_weight`` is the gross weight the box may carry, contents plus the empty box, as Odoo's own package wizard
  checks it (``shipping_weight`` against ``max_weight``); 0 means no limit. Weights are in one unit throughout
  (Odoo's weight unit, kg by default), lengths in mm.
- ``objective``: ``"cheapest"`` (lowest total box cost, then fewest boxes, then least box volume) or ``"fewest"``
  (fewest boxes, then lowest cost, then least volume).

The :class:`PackingPlan` lists the boxes used (:class:`PackedBox`: type, the position and rotated size of every
unit inside, gross weight, cost), ``alone``: one :class:`AloneParcel` per unit that fits no box (larger than every
box in every rotation, or heavier than every box may carry) and ships in its own packaging, and ``unplanned``: the
items that cannot be planned (:class:`Unplanned`, with the reason: no dimensions, no weight, no box types given,
too many units), which the packer boxes by hand. Every unit of every item is in exactly one of the three.

Algorithm
---------
1. Quantities are expanded into units. A unit fits a box type alone when its sorted sides are each at most the
   box's sorted sides (exact for the six axis-aligned rotations) and its weight plus the empty box is within the
   maximum weight; a unit fitting no box type ships alone.
2. Placement inside one box: *extreme points* (Crainic, Perboli and Tadei, 2008). The box starts with the point
   (0, 0, 0); a unit goes to the first point, in (z, y, x) order (bottom, back, left first), where one of its
   rotations stays inside the box and overlaps no placed unit (an exact box-against-box test); placing it adds the
   three corners beyond it and their projections along the axes onto the nearest placed unit or wall (six more
   points), which is what lets later units fill the gaps beside and on top of the earlier ones. Volume and weight
   are checked first, so a full box is rejected at once. Rotations are tried in the order of a *policy*: "most
   copies" (first the rotation of which the most copies fit the empty box side by side: three kettles then stand
   on their narrow side where, lying flat, only two fit), or "flattest" (smallest side up, longest side along the
   box's length).
3. One box for everything: box types are tried from the cheapest (then the smallest); for each, up to six
   attempts, the two policies times three orders of the units (largest volume first, longest side first, largest
   face first), until one fits them all. With ``fewest``, the first type that takes everything is the answer. With
   ``cheapest`` it is too when it costs no more than any plan of two boxes or more can: the cheapest box of the
   unit that needs the dearest one, plus the cheapest box; or the units' volume at the lowest cost per volume.
4. Otherwise, First-Fit Decreasing once per box type as the *main* box: units by decreasing volume, each into the
   first open box where it fits, else into a new main box, or, when it fits no main box alone, into the cheapest
   type that takes it. Each plan is then improved: every box is *right-sized* (its contents repacked into the
   cheapest type that takes them all, when cheaper), then pairs of boxes are *merged* into one box, until nothing
   improves (plans of up to ``MERGE_LIMIT`` boxes), twice: only where the merged box costs no more than the two,
   and wherever a box takes both. The best of these plans by the objective wins; the single box of step 3 competes
   too. As both objectives choose among the same plans, ``fewest`` never gives more boxes than ``cheapest``, and
   ``cheapest`` never costs more than ``fewest``. Which sets of units fit one box of a type is remembered for the
   shipment, as right-sizing and merging ask again for each main type.

Guarantees (checked by the property test on random instances): no box carries more than its maximum weight, no
unit sticks out of its box, no two units overlap (faces may touch; tolerance ``EPSILON`` mm), every unit is placed
exactly once (in a box, alone or unplanned), and the result is deterministic for the same input.

Limits
------
A heuristic, not an optimum: 3D bin packing is NP-hard, and the extreme-point first fit can miss an arrangement
that a person would find (e.g. interlocking several long items), so a plan may use a dearer or one more box than
the best possible; the box it suggests always holds what it says. Items are rigid boxes (no squeezing soft goods,
no nesting, no void fill); there is no check of support or stability (a unit may rest partly over a gap), of
"this side up", of fragile items under heavy ones, or of the weight distribution. Placement is axis-aligned.
Work grows with the square of the units per box: orders of 20 to 60 units take about 8 ms, 400 units 0.2 to
0.5 s; orders above ``MAX_UNITS`` units are not planned (reason ``too_many_units``): such loads go on a pallet, by
hand. Weights and costs are taken as given: the caller converts units (the Odoo side converts box sizes to mm).

Speed: typical orders (1 to 6 items, 1 to 3 units each) take about 0.3 ms of CPU each, 3 s for 10,000; more than
half are settled by step 3 (``bench/packing.py``).
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations

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
# Plans of more boxes are not improved by merging pairs (quadratic in the number of boxes).
MERGE_LIMIT = 12
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


class _Unit:
    """One unit of an item, with what the heuristic reads often precomputed."""

    __slots__ = ("index", "item_id", "sides", "volume", "weight", "fallback")

    def __init__(self, index: int, item: Item):
        self.index = index
        self.item_id = item.item_id
        self.sides = tuple(sorted((float(item.length), float(item.width), float(item.height))))
        self.volume = self.sides[0] * self.sides[1] * self.sides[2]
        self.weight = float(item.weight)
        self.fallback = None  # the _BoxType a new box is opened with when the main type cannot take this unit


class _BoxType:
    __slots__ = (
        "index",
        "box",
        "length",
        "width",
        "height",
        "sides",
        "volume",
        "max_weight",
        "cost",
        "empty_weight",
        "_orientations",
    )

    def __init__(self, index: int, box: Box):
        self.index = index
        self.box = box
        self.length, self.width, self.height = float(box.length), float(box.width), float(box.height)
        self.sides = tuple(sorted((self.length, self.width, self.height)))
        self.volume = self.length * self.width * self.height
        self.max_weight = float(box.max_weight) if box.max_weight else float("inf")
        self.cost = float(box.cost)
        self.empty_weight = float(box.empty_weight)
        self._orientations: dict = {}

    def orientations(self, sides: tuple[float, float, float], policy: int) -> tuple[tuple[float, float, float], ...]:
        """The distinct rotations of a unit of sorted ``sides``, in the order ``policy`` tries them in this box:
        0, most copies first: the rotation of which the most copies fit in the empty box, side by side (which puts
        two kettles side by side on their narrow face when that makes room for four), then flattest first;
        1, flattest first: the smallest side up, then the longest side along the box's length."""
        key = (sides, policy)
        cached = self._orientations.get(key)
        if cached is None:
            rotations = set(permutations(sides))
            if policy == 0:
                cached = tuple(sorted(rotations, key=lambda rotation: (-self._copies(rotation), *_flattest(rotation))))
            else:
                cached = tuple(sorted(rotations, key=_flattest))
            self._orientations[key] = cached
        return cached

    def _copies(self, rotation: tuple[float, float, float]) -> int:
        return (
            int((self.length + EPSILON) // rotation[0])
            * int((self.width + EPSILON) // rotation[1])
            * int((self.height + EPSILON) // rotation[2])
        )

    def takes_alone(self, unit: _Unit) -> bool:
        return self.fits_dimensions(unit) and unit.weight + self.empty_weight <= self.max_weight + EPSILON

    def fits_dimensions(self, unit: _Unit) -> bool:
        # With the six axis-aligned rotations, a box fits inside another exactly when its sorted sides do.
        return all(side <= box_side + EPSILON for side, box_side in zip(unit.sides, self.sides, strict=True))


def _flattest(rotation: tuple[float, float, float]) -> tuple[float, float, float]:
    return (rotation[2], -rotation[0], -rotation[1])


class _Bin:
    """A box being filled: placed units as (x, y, z, x_end, y_end, z_end, unit) and its extreme points; ``policy``
    orders the rotations tried (see :meth:`_BoxType.orientations`)."""

    __slots__ = ("type", "policy", "placed", "points", "weight", "volume")

    def __init__(self, box_type: _BoxType, policy: int = 0):
        self.type = box_type
        self.policy = policy
        self.placed: list[tuple] = []
        self.points: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)]
        self.weight = box_type.empty_weight
        self.volume = 0.0

    @property
    def units(self) -> list[_Unit]:
        return [entry[6] for entry in self.placed]

    def try_place(self, unit: _Unit) -> bool:
        """Place ``unit`` at the first extreme point where a rotation of it fits; False when none does."""
        box = self.type
        if self.volume + unit.volume > box.volume + EPSILON or self.weight + unit.weight > box.max_weight + EPSILON:
            return False
        length, width, height = box.length + EPSILON, box.width + EPSILON, box.height + EPSILON
        placed = self.placed
        orientations = box.orientations(unit.sides, self.policy)
        for x, y, z in self.points:
            for size_x, size_y, size_z in orientations:
                x_end, y_end, z_end = x + size_x, y + size_y, z + size_z
                if x_end > length or y_end > width or z_end > height:
                    continue
                for other in placed:
                    if (
                        x < other[3] - EPSILON
                        and other[0] < x_end - EPSILON
                        and y < other[4] - EPSILON
                        and other[1] < y_end - EPSILON
                        and z < other[5] - EPSILON
                        and other[2] < z_end - EPSILON
                    ):
                        break
                else:
                    self._place(unit, x, y, z, x_end, y_end, z_end)
                    return True
        return False

    def _place(self, unit: _Unit, x: float, y: float, z: float, x_end: float, y_end: float, z_end: float) -> None:
        entry = (x, y, z, x_end, y_end, z_end, unit)
        placed = self.placed
        placed.append(entry)
        self.weight += unit.weight
        self.volume += unit.volume
        box = self.type
        # The corners beyond the unit, each with its projections towards the origin along the two other axes (a
        # projection only moves towards the origin, so a corner inside the box gives points inside the box).
        candidates = []
        if x_end < box.length - EPSILON:
            candidates += (
                (x_end, y, z),
                (x_end, self._project(1, x_end, y, z), z),
                (x_end, y, self._project(2, x_end, y, z)),
            )
        if y_end < box.width - EPSILON:
            candidates += (
                (x, y_end, z),
                (self._project(0, x, y_end, z), y_end, z),
                (x, y_end, self._project(2, x, y_end, z)),
            )
        if z_end < box.height - EPSILON:
            candidates += (
                (x, y, z_end),
                (self._project(0, x, y, z_end), y, z_end),
                (x, self._project(1, x, y, z_end), z_end),
            )
        points = [point for point in self.points if not _inside(point, entry)]
        seen = set(points)
        for point in candidates:
            if point in seen:
                continue
            seen.add(point)
            point_x, point_y, point_z = point
            for other in placed:
                if (
                    other[0] - EPSILON <= point_x < other[3] - EPSILON
                    and other[1] - EPSILON <= point_y < other[4] - EPSILON
                    and other[2] - EPSILON <= point_z < other[5] - EPSILON
                ):
                    break
            else:
                points.append(point)
        points.sort(key=_bottom_back_left)
        self.points = points

    def _project(self, axis: int, x: float, y: float, z: float) -> float:
        """Slide the point (x, y, z) towards the origin along ``axis`` until it meets a placed unit or the wall."""
        point = (x, y, z)
        first, second = (axis + 1) % 3, (axis + 2) % 3
        reach = 0.0
        for other in self.placed:
            face = other[axis + 3]
            if (
                reach < face <= point[axis] + EPSILON
                and other[first] - EPSILON <= point[first] < other[first + 3] - EPSILON
                and other[second] - EPSILON <= point[second] < other[second + 3] - EPSILON
            ):
                reach = face
        return reach

    def packed(self) -> PackedBox:
        placements = tuple(
            Placement(unit.item_id, x, y, z, x_end - x, y_end - y, z_end - z)
            for x, y, z, x_end, y_end, z_end, unit in self.placed
        )
        return PackedBox(self.type.box.box_id, placements, self.weight, self.type.cost)


def _bottom_back_left(point: tuple[float, float, float]) -> tuple[float, float, float]:
    return (point[2], point[1], point[0])


def _inside(point: tuple[float, float, float], placed: tuple) -> bool:
    x, y, z = point
    return (
        placed[0] - EPSILON <= x < placed[3] - EPSILON
        and placed[1] - EPSILON <= y < placed[4] - EPSILON
        and placed[2] - EPSILON <= z < placed[5] - EPSILON
    )


# Rotation policies tried for one box (see _BoxType.orientations), then orders in which its units are tried (step 3
# of the module docstring).
_ORDERS = (
    lambda unit: (-unit.volume, -unit.sides[2], -unit.weight, unit.index),
    lambda unit: (-unit.sides[2], -unit.sides[1], -unit.volume, unit.index),
    lambda unit: (-unit.sides[2] * unit.sides[1], -unit.volume, unit.index),
)
_POLICIES = (0, 1)


class _Search:
    """The search of steps 3 and 4 for one shipment; remembers which sets of units fit in one box of which type, as
    right-sizing and merging ask the same questions again for each main box type."""

    def __init__(self, types_by_cost: Sequence[_BoxType], objective: str):
        self.types_by_cost = types_by_cost
        self.objective = objective
        self._one_box: dict[tuple, _Bin | None] = {}

    def best(self, units: list[_Unit]) -> list[_Bin]:
        single = None
        for box_type in self.types_by_cost:
            single = self.pack_one(units, box_type)
            if single is not None:
                break
        if single is not None and (
            self.objective == OBJECTIVE_FEWEST or single.type.cost <= self._two_box_bound(units) + EPSILON
        ):
            return [single]
        best = [single] if single is not None else None
        best_key = self._key(best) if best else None
        ordered = sorted(units, key=_ORDERS[0])
        seen = set()
        for main in sorted(self.types_by_cost, key=lambda box_type: box_type.index):
            bins = _first_fit(ordered, main)
            signature = tuple((bin_.type.index, *(unit.index for unit in bin_.units)) for bin_ in bins)
            if signature in seen:  # the same start as with another main box type: the same result
                continue
            seen.add(signature)
            self._right_size(bins)
            # Merging only where it costs no more, and wherever it can: each objective keeps the better of the two,
            # so that the fewest boxes never come out more numerous, nor the cheapest dearer, than the other's.
            for within_budget in (True, False):
                merged = list(bins)
                self._merge(merged, within_budget)
                key = self._key(merged)
                if best_key is None or key < best_key:
                    best, best_key = merged, key
        return best

    def _two_box_bound(self, units: Sequence[_Unit]) -> float:
        """The least a plan of two boxes or more can cost: the box of the unit whose cheapest box is the dearest,
        and another box; or the cheapest cost per volume times the volume of all units."""
        cheapest = self.types_by_cost[0].cost
        by_volume = min(box_type.cost / box_type.volume for box_type in self.types_by_cost)
        return max(max(unit.fallback.cost for unit in units) + cheapest, by_volume * sum(unit.volume for unit in units))

    def pack_one(self, units: Sequence[_Unit], box_type: _BoxType) -> _Bin | None:
        """All ``units`` in one box of ``box_type``, or None when the heuristic finds no way."""
        key = (box_type.index, *sorted(unit.index for unit in units))
        if key not in self._one_box:
            self._one_box[key] = _pack_one(units, box_type)
        return self._one_box[key]

    def _key(self, bins: Sequence[_Bin]) -> tuple:
        cost = round(sum(bin_.type.cost for bin_ in bins), 9)
        volume = sum(bin_.type.volume for bin_ in bins)
        if self.objective == OBJECTIVE_FEWEST:
            return (len(bins), cost, volume)
        return (cost, len(bins), volume)

    def _right_size(self, bins: list[_Bin]) -> None:
        for position, bin_ in enumerate(bins):
            for box_type in self.types_by_cost:
                if (box_type.cost, box_type.volume) >= (bin_.type.cost, bin_.type.volume):
                    break
                smaller = self.pack_one(bin_.units, box_type)
                if smaller is not None:
                    bins[position] = smaller
                    break

    def _merge(self, bins: list[_Bin], within_budget: bool) -> None:
        while 1 < len(bins) <= MERGE_LIMIT and self._merge_one_pair(bins, within_budget):
            pass

    def _merge_one_pair(self, bins: list[_Bin], within_budget: bool) -> bool:
        for first in range(len(bins)):
            for second in range(first + 1, len(bins)):
                budget = bins[first].type.cost + bins[second].type.cost
                units = bins[first].units + bins[second].units
                for box_type in self.types_by_cost:
                    if within_budget and box_type.cost > budget + EPSILON:
                        break
                    merged = self.pack_one(units, box_type)
                    if merged is not None:
                        bins[first] = merged
                        del bins[second]
                        return True
        return False


def _pack_one(units: Sequence[_Unit], box_type: _BoxType) -> _Bin | None:
    if (
        sum(unit.volume for unit in units) > box_type.volume + EPSILON
        or box_type.empty_weight + sum(unit.weight for unit in units) > box_type.max_weight + EPSILON
        or not all(box_type.fits_dimensions(unit) for unit in units)
    ):
        return None
    tried = set()
    for policy in _POLICIES:
        for order in _ORDERS:
            sequence = sorted(units, key=order)
            signature = (policy, *(unit.index for unit in sequence))
            if signature in tried:
                continue
            tried.add(signature)
            bin_ = _Bin(box_type, policy)
            if all(bin_.try_place(unit) for unit in sequence):
                return bin_
    return None


def _first_fit(units: Sequence[_Unit], main: _BoxType) -> list[_Bin]:
    bins: list[_Bin] = []
    for unit in units:
        if any(bin_.try_place(unit) for bin_ in bins):
            continue
        bin_ = _Bin(main if main.takes_alone(unit) else unit.fallback)
        placed = bin_.try_place(unit)
        assert placed, "a unit always fits alone in its fallback box"
        bins.append(bin_)
    return bins


def _expand(items: Iterable[Item]) -> tuple[list[_Unit], list[Unplanned]]:
    units: list[_Unit] = []
    unplanned: list[Unplanned] = []
    for item in items:
        if isinstance(item.quantity, bool) or not isinstance(item.quantity, int) or item.quantity < 0:
            raise ValueError(
                f"quantity of item {item.item_id!r} must be a whole number of units, not {item.quantity!r}"
            )
        if not item.quantity:
            continue
        if not all(side is not None and side > 0 for side in (item.length, item.width, item.height)):
            unplanned.append(Unplanned(item.item_id, item.quantity, UNPLANNED_NO_DIMENSIONS))
        elif item.weight is None or item.weight <= 0:
            unplanned.append(Unplanned(item.item_id, item.quantity, UNPLANNED_NO_WEIGHT))
        else:
            first = len(units)
            units += [_Unit(first + offset, item) for offset in range(item.quantity)]
    return units, unplanned


def _box_types(boxes: Iterable[Box]) -> list[_BoxType]:
    types = []
    seen = set()
    for index, box in enumerate(boxes):
        if box.box_id in seen:
            raise ValueError(f"box type {box.box_id!r} is given twice")
        seen.add(box.box_id)
        if not all(side > 0 for side in (box.length, box.width, box.height)):
            raise ValueError(f"box type {box.box_id!r} needs a length, width and height above zero")
        if box.cost < 0 or box.max_weight < 0 or box.empty_weight < 0:
            raise ValueError(f"box type {box.box_id!r} has a negative cost or weight")
        types.append(_BoxType(index, box))
    return types


def plan_packing(items: Iterable[Item], boxes: Iterable[Box], objective: str = OBJECTIVE_CHEAPEST) -> PackingPlan:
    """Boxes for ``items``: see the module docstring."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, not {objective!r}")
    types = _box_types(boxes)
    units, unplanned = _expand(items)
    if units and not types:
        unplanned += _unplanned_units(units, UNPLANNED_NO_BOXES)
        units = []
    if len(units) > MAX_UNITS:
        unplanned += _unplanned_units(units, UNPLANNED_TOO_MANY_UNITS)
        units = []
    types_by_cost = sorted(types, key=lambda box_type: (box_type.cost, box_type.volume, box_type.index))
    alone: list[AloneParcel] = []
    packable: list[_Unit] = []
    for unit in units:
        unit.fallback = next((box_type for box_type in types_by_cost if box_type.takes_alone(unit)), None)
        if unit.fallback is not None:
            packable.append(unit)
        else:
            too_big = not any(box_type.fits_dimensions(unit) for box_type in types)
            alone.append(AloneParcel(unit.item_id, unit.weight, ALONE_TOO_BIG if too_big else ALONE_TOO_HEAVY))
    bins = _Search(types_by_cost, objective).best(packable) if packable else []
    return PackingPlan(
        boxes=tuple(bin_.packed() for bin_ in bins), alone=tuple(alone), unplanned=tuple(unplanned), objective=objective
    )


def _unplanned_units(units: Sequence[_Unit], reason: str) -> list[Unplanned]:
    counts: dict = {}
    for unit in units:
        counts[unit.item_id] = counts.get(unit.item_id, 0) + 1
    return [Unplanned(item_id, quantity, reason) for item_id, quantity in counts.items()]
