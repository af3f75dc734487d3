"""Releasing ready pickings to the floor, in plain Python (no Odoo import).

Interface
---------
``release(pickings, method, batch_size, group_by) -> list[Group]`` splits :class:`Picking` records (one per ready
transfer) into the groups a picker works through, and ``pick_path(lines) -> list[Line]`` orders the lines of a pick
list into a walk through the warehouse. The Odoo models read the transfers, their lines and locations in a few
queries, call these, and turn each group into a ``stock.picking.batch`` (a wave for zone picking).

Order of work
-------------
Within every method, transfers are taken most urgent first (:func:`urgency`): priority transfers (special orders,
starred), then the earliest date promised to the customer (or, without one, the scheduled date), then the oldest.

Methods
-------
- ``single``: one transfer at a time; each group holds one transfer, in order of urgency.
- ``batch``: up to ``batch_size`` transfers per group, one pick list for all of them. With ``group_by`` set, a
  group only holds transfers of the same carrier (``carrier``) or of the same cut-off, i.e. the same shipping day
  (``cutoff``), so that a finished batch goes out with one pickup.
- ``zone``: one group per zone with the lines of every released transfer in that zone (a line without a zone goes
  to the group "no zone"); the transfers are completed at packing, where the zones' picks meet.
- ``wave``: transfers grouped as for ``batch`` (by carrier or cut-off, at most ``batch_size`` per wave), and each
  wave picked in all zones at once: the group keeps the whole transfers, and its pick list is cut per zone, one
  picker per zone, all bringing their items to the consolidation point.

Pick path
---------
Lines are walked zone by zone (zone sequence), then aisle by aisle (the location's ``posx``), in an S-shape: up the
odd aisles, down the even ones (``posy``), then by level (``posz``) and name, so that a picker never walks back
along an aisle. Lines of the same location and product are kept together.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

METHODS = ("single", "batch", "zone", "wave")
GROUP_BY = ("none", "carrier", "cutoff")
NO_ZONE = 0


@dataclass(frozen=True)
class Location:
    location_id: int
    name: str  # full name, e.g. "MAD/Stock/A/01"
    zone_id: int = NO_ZONE
    zone_sequence: int = 0
    posx: int = 0  # aisle
    posy: int = 0  # rack along the aisle
    posz: int = 0  # level


@dataclass(frozen=True)
class Line:
    line_id: int
    picking_id: int
    product_id: int
    quantity: float
    location: Location


@dataclass(frozen=True)
class Picking:
    picking_id: int
    priority: bool
    promised: datetime | None  # what the customer was promised, if anything
    scheduled: datetime
    created: datetime
    carrier_id: int = 0
    ship_day: str = ""  # the warehouse's shipping day for it (cut-off, working days), e.g. "2026-11-26"
    lines: tuple[Line, ...] = ()


@dataclass
class Group:
    key: str  # e.g. "carrier 7", "2026-11-26", "zone 3"
    picking_ids: list[int] = field(default_factory=list)
    carrier_id: int = 0  # groups by carrier: their carrier (0: none)
    ship_day: str = ""  # groups by cut-off: their shipping day
    zone_id: int | None = None  # zone groups only
    line_ids: list[int] = field(default_factory=list)  # zone groups only: the lines to pick in that zone


def urgency(picking: Picking) -> tuple:
    return (not picking.priority, picking.promised or picking.scheduled, picking.created, picking.picking_id)


def release(pickings: Iterable[Picking], method: str, batch_size: int = 10, group_by: str = "none") -> list[Group]:
    if method not in METHODS:
        raise ValueError(f"Unknown picking method {method!r}: use one of {', '.join(METHODS)}.")
    if group_by not in GROUP_BY:
        raise ValueError(f"Unknown grouping {group_by!r}: use one of {', '.join(GROUP_BY)}.")
    if batch_size < 1:
        raise ValueError("A batch holds at least one transfer.")
    ordered = sorted(pickings, key=urgency)
    if method == "single":
        return [Group(key=str(picking.picking_id), picking_ids=[picking.picking_id]) for picking in ordered]
    if method == "zone":
        return _by_zone(ordered)
    return _chunks(ordered, batch_size, group_by)


def _group_key(picking: Picking, group_by: str) -> str:
    if group_by == "carrier":
        return f"carrier {picking.carrier_id}" if picking.carrier_id else "no carrier"
    if group_by == "cutoff":
        return picking.ship_day
    return ""


def _chunks(ordered: Sequence[Picking], batch_size: int, group_by: str) -> list[Group]:
    """Groups of at most ``batch_size``, each of one key; the groups come in the order of their most urgent
    transfer, so the most urgent work is released first."""
    by_key: dict[str, list[Picking]] = defaultdict(list)
    for picking in ordered:
        by_key[_group_key(picking, group_by)].append(picking)
    groups = []
    for key, members in by_key.items():
        for start in range(0, len(members), batch_size):
            chunk = members[start : start + batch_size]
            group = Group(key=key, picking_ids=[picking.picking_id for picking in chunk])
            if group_by == "carrier":
                group.carrier_id = chunk[0].carrier_id
            elif group_by == "cutoff":
                group.ship_day = chunk[0].ship_day
            groups.append((urgency(chunk[0]), group))
    return [group for _urgency, group in sorted(groups, key=lambda pair: pair[0])]


def _by_zone(ordered: Sequence[Picking]) -> list[Group]:
    zones: dict[int, Group] = {}
    sequence: dict[int, int] = {}
    for picking in ordered:
        for line in picking.lines:
            zone_id = line.location.zone_id
            group = zones.setdefault(zone_id, Group(key=f"zone {zone_id}", zone_id=zone_id))
            sequence[zone_id] = line.location.zone_sequence
            group.line_ids.append(line.line_id)
            if picking.picking_id not in group.picking_ids:
                group.picking_ids.append(picking.picking_id)
    return [zones[zone_id] for zone_id in sorted(zones, key=lambda zone_id: (sequence[zone_id], zone_id))]


def walk_key(location: Location) -> tuple:
    """Where a location comes in the S-shaped walk: up odd aisles, down even ones."""
    along = location.posy if location.posx % 2 else -location.posy
    return (location.zone_sequence, location.zone_id, location.posx, along, location.posz, location.name)


def pick_path(lines: Iterable[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (walk_key(line.location), line.product_id, line.picking_id, line.line_id))
