"""Fulfilment benchmark: releasing ready transfers to pickers by each picking method, and choosing boxes.

1. **Release.** ``--pickings`` ready transfers (default 2,000, 1 to 4 lines each) on the pick step of a two-step
   warehouse whose stock is cut into 3 zones of 2 aisles x 10 racks, with 3 carriers and shipping days over three
   days, are released by each method in turn: single order, batch (by carrier, 20 per batch), wave (by cut-off, 50
   per wave) and zone (one wave per zone, Odoo splitting the transfers between zones). Each method starts from the
   same committed state (its work is rolled back after it is measured).

   Plain Odoo in the same run does the same batching work without the OMS decisions: it creates the very same
   batches (``stock.picking.batch.create`` + ``action_confirm``) or zone waves (``stock.move.line._add_to_wave``)
   from the groups the OMS chose, computed beforehand and not timed. The ratio (plain time / OMS time) is what
   reading the transfers, ordering them by urgency, grouping, locking and ranking cost on top of Odoo's own work.
   Single order picking makes no batch, so it has no plain counterpart; its time per transfer is reported.

2. **Boxes.** ``--packages`` packages (default 10,000) of 1 to 6 items drawn from the demo products' sizes and
   weights, packed into the 4 standard boxes by ``services/packing/`` (plain Python, no database), for each
   objective: time per package, boxes per package, units shipping alone; every plan is checked. This part is
   ``bench/packing.py``, which can also run alone and adds large orders.

Time is ``time.perf_counter()``; SQL queries are counted with ``odoo.sql_db.sql_counter``.

    .venv/bin/python bench/fulfillment.py --config .local/odoo-bench.conf --database oms_bench [--pickings 2000]

(``scripts/bench.sh fulfillment`` makes the database and runs it.) Data are generated with a fixed seed.
"""

import argparse
import random
import sys
import time
import uuid
from datetime import timedelta

import packing

SEED = 42
ZONES = 3
AISLES_PER_ZONE = 2
RACKS = 10


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--pickings", type=int, default=2000, help="ready transfers to release")
    parser.add_argument("--packages", type=int, default=10000, help="packages to choose boxes for")
    args = parser.parse_args(argv)
    if args.pickings < 1 or args.packages < 1:
        parser.error("--pickings and --packages must be positive")
    return args


def prepare(env, rng, count):
    """A two-step warehouse with zones, bins, stocked products, carriers and ``count`` ready pick transfers."""
    suffix = uuid.uuid4().hex[:4].upper()
    warehouse = env["stock.warehouse"].create(
        {"name": f"Bench fulfilment {suffix}", "code": f"F{suffix}", "delivery_steps": "pick_ship"}
    )
    bins = _zoned_bins(env, warehouse)
    products = env["product.product"].create(
        [{"name": f"Bench item {suffix}-{index}", "is_storable": True} for index in range(len(bins))]
    )
    for product, location in zip(products, bins, strict=True):
        env["stock.quant"]._update_available_quantity(product, location, 100000)
    carriers = env["delivery.carrier"].create(
        [
            {
                "name": f"Bench carrier {suffix}-{index}",
                "delivery_type": "fixed",
                "product_id": env["product.product"].create({"name": f"Shipping {index}", "type": "service"}).id,
            }
            for index in range(3)
        ]
    )
    pickings = _ready_pickings(env, rng, warehouse, products, carriers, count)
    env.cr.commit()
    return warehouse.pick_type_id, pickings


def _zoned_bins(env, warehouse):
    """ZONES zones of AISLES_PER_ZONE aisles x RACKS racks in the warehouse's stock; the bins, zone after zone."""
    bins = []
    for zone_index in range(ZONES):
        zone = env["oms.pick.zone"].create(
            {"name": f"Zone {zone_index + 1}", "sequence": zone_index, "warehouse_id": warehouse.id}
        )
        for aisle in range(AISLES_PER_ZONE):
            posx = zone_index * AISLES_PER_ZONE + aisle + 1
            bins += env["stock.location"].create(
                [
                    {
                        "name": f"A{posx:02d}-R{rack:02d}",
                        "location_id": warehouse.lot_stock_id.id,
                        "oms_zone_id": zone.id,
                        "posx": posx,
                        "posy": rack,
                    }
                    for rack in range(1, RACKS + 1)
                ]
            )
    return bins


def _ready_pickings(env, rng, warehouse, products, carriers, count):
    """``count`` pick transfers of 1 to 4 products, confirmed and reserved."""
    pick_type = warehouse.pick_type_id
    now = env.cr.now().replace(tzinfo=None)
    pickings = env["stock.picking"].create(
        [
            {
                "picking_type_id": pick_type.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": pick_type.default_location_dest_id.id,
                "carrier_id": rng.choice(carriers).id,
                "priority": "1" if rng.random() < 0.1 else "0",
                "scheduled_date": now + timedelta(hours=rng.randint(0, 72)),
                "move_ids": [
                    (0, 0, {"name": product.name, "product_id": product.id, "product_uom_qty": rng.randint(1, 3)})
                    for product in rng.sample(products, rng.randint(1, 4))
                ],
            }
            for _ in range(count)
        ]
    )
    pickings.action_confirm()
    pickings.action_assign()
    assert set(pickings.mapped("state")) == {"assigned"}, "every transfer is ready"
    return pickings


def measure(env, work, *args):
    import odoo

    queries = odoo.sql_db.sql_counter
    started = time.perf_counter()
    result = work(*args)
    env.flush_all()
    return time.perf_counter() - started, odoo.sql_db.sql_counter - queries, result


def release_figures(env, pick_type, pickings):
    """(method, OMS seconds, OMS queries, plain seconds or None, batches) per method."""
    from odoo.addons.oms_fulfillment.services.picking import release

    figures = []
    settings = {
        "single": {"oms_batch_size": 1, "oms_group_by": "none"},
        "batch": {"oms_batch_size": 20, "oms_group_by": "carrier"},
        "wave": {"oms_batch_size": 50, "oms_group_by": "cutoff"},
        "zone": {"oms_batch_size": 1, "oms_group_by": "none"},
    }
    for method, values in settings.items():
        pick_type.write({"oms_picking_method": method, **values})
        env.cr.commit()
        seconds, queries, released = measure(env, pick_type._oms_release)
        assert len(released) == len(pickings), f"{method}: every ready transfer released"
        batches = env["stock.picking.batch"].search([("picking_type_id", "=", pick_type.id)])
        check_release(method, pickings, batches)
        env.cr.rollback()
        env.invalidate_all()
        plain = None
        if method != "single":
            groups = release(
                pick_type._oms_release_data(pickings), method, pick_type.oms_batch_size, pick_type.oms_group_by
            )
            plain, _plain_queries, _none = measure(env, plain_batches, env, pick_type, groups, method)
            env.cr.rollback()
            env.invalidate_all()
        figures.append((method, seconds, queries, plain, len(batches)))
    return figures


def plain_batches(env, pick_type, groups, method):
    """Odoo making the same batches (or zone waves) itself, given the groups."""
    for group in groups:
        batch = env["stock.picking.batch"].create(
            {
                "picking_type_id": pick_type.id,
                "is_wave": method in ("zone", "wave"),
                "picking_ids": [] if method == "zone" else [(6, 0, group.picking_ids)],
            }
        )
        if method == "zone":
            env["stock.move.line"].browse(group.line_ids)._add_to_wave(batch)
        if batch.state == "draft":
            batch.action_confirm()


def check_release(method, pickings, batches):
    if method == "single":
        ranks = sorted(pickings.mapped("oms_release_rank"))
        assert ranks == list(range(1, len(pickings) + 1)), "single: every transfer ranked once"
        assert not batches
        return
    if method == "zone":
        for batch in batches:
            assert len(batch.move_line_ids.location_id.oms_zone_id) == 1, "zone: one zone per wave"
        assert len(batches) == ZONES
        return
    size = {"batch": 20, "wave": 50}[method]
    assert all(len(batch.picking_ids) <= size for batch in batches), f"{method}: batch size respected"
    assert sum(len(batch.picking_ids) for batch in batches) == len(pickings), f"{method}: each transfer once"
    if method == "batch":
        assert all(len(batch.picking_ids.carrier_id) == 1 for batch in batches), "batch: one carrier each"


def main(argv):
    args = parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(SEED)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        pick_type, pickings = prepare(env, rng, args.pickings)
        print(f"fulfillment: {args.pickings:,} ready transfers made in {time.perf_counter() - started:.0f} s (untimed)")
        for method, seconds, queries, plain, batches in release_figures(env, pick_type, pickings):
            per_picking = seconds / args.pickings * 1000
            line = (
                f"fulfillment: release by {method}: {seconds:.2f} s for {args.pickings:,} transfers "
                f"({per_picking:.2f} ms per transfer, {queries / args.pickings:.1f} SQL queries per transfer), "
                f"{batches} batches"
            )
            if plain is not None:
                line += f"; plain Odoo making the same batches {plain:.2f} s (ratio {plain / seconds:.2f})"
            print(line)
        cr.rollback()
    return packing.main(["--packages", str(args.packages), "--large", "0"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
