"""``plan_packing``: the input checked and expanded into units, the units that fit no box set apart, the search
run on the others."""

from collections.abc import Iterable, Sequence

from .plan import (
    ALONE_TOO_BIG,
    ALONE_TOO_HEAVY,
    MAX_UNITS,
    OBJECTIVE_CHEAPEST,
    OBJECTIVES,
    UNPLANNED_NO_BOXES,
    UNPLANNED_NO_DIMENSIONS,
    UNPLANNED_NO_WEIGHT,
    UNPLANNED_TOO_MANY_UNITS,
    AloneParcel,
    Box,
    Item,
    PackingPlan,
    Unplanned,
)
from .search import Search
from .units import BoxType, Unit


def plan_packing(items: Iterable[Item], boxes: Iterable[Box], objective: str = OBJECTIVE_CHEAPEST) -> PackingPlan:
    """Boxes for ``items``: see the package docstring."""
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
