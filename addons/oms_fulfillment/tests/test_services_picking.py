"""Releasing transfers: grouping per method and the pick path (plain pytest, no database)."""

from datetime import datetime, timedelta

import pytest

from odoo.addons.oms_fulfillment.services.picking import Line, Location, Picking, pick_path, release

MONDAY = datetime(2026, 11, 23, 9, 0)


def picking(picking_id, priority=False, promised=None, carrier_id=0, ship="2026-11-23", lines=()):
    return Picking(
        picking_id=picking_id,
        priority=priority,
        promised=promised,
        scheduled=MONDAY,
        created=MONDAY - timedelta(hours=picking_id),
        carrier_id=carrier_id,
        ship_day=ship,
        lines=tuple(lines),
    )


def test_single_order_is_most_urgent_first():
    pickings = [picking(1, promised=MONDAY + timedelta(days=3)), picking(2, priority=True), picking(3, promised=MONDAY)]
    assert [group.picking_ids for group in release(pickings, "single")] == [[2], [3], [1]]


def test_batches_never_mix_carriers_and_respect_the_size():
    pickings = [picking(index, carrier_id=7 if index % 2 else 8) for index in range(1, 8)]
    groups = release(pickings, "batch", batch_size=2, group_by="carrier")
    assert all(len(group.picking_ids) <= 2 for group in groups)
    assert sorted(pid for group in groups for pid in group.picking_ids) == list(range(1, 8))
    for group in groups:
        assert {7 if pid % 2 else 8 for pid in group.picking_ids} == {group.carrier_id}


def test_waves_by_shipping_day():
    pickings = [picking(1, ship="2026-11-23"), picking(2, ship="2026-11-24"), picking(3, ship="2026-11-23")]
    groups = release(pickings, "wave", batch_size=10, group_by="cutoff")
    assert {tuple(sorted(group.picking_ids)): group.ship_day for group in groups} == {
        (1, 3): "2026-11-23",
        (2,): "2026-11-24",
    }


def test_zone_groups_hold_only_their_zone_lines_in_zone_order():
    front = Location(10, "WH/Front", zone_id=1, zone_sequence=1)
    back = Location(20, "WH/Back", zone_id=2, zone_sequence=2)
    loose = Location(30, "WH/Stock")
    pickings = [
        picking(1, lines=[Line(101, 1, 5, 1, back), Line(102, 1, 6, 1, front)]),
        picking(2, lines=[Line(201, 2, 5, 2, back), Line(202, 2, 7, 1, loose)]),
    ]
    groups = release(pickings, "zone")
    assert [(group.zone_id, group.line_ids, group.picking_ids) for group in groups] == [
        (0, [202], [2]),
        (1, [102], [1]),
        (2, [201, 101], [2, 1]),  # the older transfer first
    ]


def test_pick_path_is_an_s_shape_through_the_aisles():
    def at(aisle, rack):
        return Location(aisle * 100 + rack, f"A{aisle}-R{rack}", posx=aisle, posy=rack)

    lines = [
        Line(index, 1, index, 1, location) for index, location in enumerate([at(2, 1), at(1, 9), at(1, 2), at(2, 8)])
    ]
    assert [line.location.name for line in pick_path(lines)] == ["A1-R2", "A1-R9", "A2-R8", "A2-R1"]


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="picking method"):
        release([], "random")
    with pytest.raises(ValueError, match="grouping"):
        release([], "batch", group_by="colour")
    with pytest.raises(ValueError, match="at least one"):
        release([], "batch", batch_size=0)
