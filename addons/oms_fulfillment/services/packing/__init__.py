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

Modules
-------
``plan`` (the types above), ``units`` (step 1), ``placement`` (step 2), ``search`` (steps 3 and 4); here,
:func:`plan_packing`: the input checked and expanded into units, the units that fit no box set apart, the search run
on the others.
"""

from collections.abc import Iterable, Sequence

from .plan import (
    ALONE_TOO_BIG,
    ALONE_TOO_HEAVY,
    EPSILON,
    MAX_UNITS,
    OBJECTIVE_CHEAPEST,
    OBJECTIVE_FEWEST,
    OBJECTIVES,
    UNPLANNED_NO_BOXES,
    UNPLANNED_NO_DIMENSIONS,
    UNPLANNED_NO_WEIGHT,
    UNPLANNED_TOO_MANY_UNITS,
    AloneParcel,
    Box,
    Item,
    PackedBox,
    PackingPlan,
    Placement,
    Unplanned,
)
from .search import Search
from .units import BoxType, Unit

__all__ = [
    "ALONE_TOO_BIG",
    "ALONE_TOO_HEAVY",
    "EPSILON",
    "MAX_UNITS",
    "OBJECTIVE_CHEAPEST",
    "OBJECTIVE_FEWEST",
    "OBJECTIVES",
    "UNPLANNED_NO_BOXES",
    "UNPLANNED_NO_DIMENSIONS",
    "UNPLANNED_NO_WEIGHT",
    "UNPLANNED_TOO_MANY_UNITS",
    "AloneParcel",
    "Box",
    "Item",
    "PackedBox",
    "PackingPlan",
    "Placement",
    "Unplanned",
    "plan_packing",
]


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
    packable: list[Unit] = []
    for unit in units:
        unit.fallback = next((box_type for box_type in types_by_cost if box_type.takes_alone(unit)), None)
        if unit.fallback is not None:
            packable.append(unit)
        else:
            too_big = not any(box_type.fits_dimensions(unit) for box_type in types)
            alone.append(AloneParcel(unit.item_id, unit.weight, ALONE_TOO_BIG if too_big else ALONE_TOO_HEAVY))
    bins = Search(types_by_cost, objective).best(packable) if packable else []
    return PackingPlan(
        boxes=tuple(bin_.packed() for bin_ in bins), alone=tuple(alone), unplanned=tuple(unplanned), objective=objective
    )


def _expand(items: Iterable[Item]) -> tuple[list[Unit], list[Unplanned]]:
    units: list[Unit] = []
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
            units += [Unit(first + offset, item) for offset in range(item.quantity)]
    return units, unplanned


def _box_types(boxes: Iterable[Box]) -> list[BoxType]:
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
        types.append(BoxType(index, box))
    return types


def _unplanned_units(units: Sequence[Unit], reason: str) -> list[Unplanned]:
    counts: dict = {}
    for unit in units:
        counts[unit.item_id] = counts.get(unit.item_id, 0) + 1
    return [Unplanned(item_id, quantity, reason) for item_id, quantity in counts.items()]
