"""Reorder benchmark: the OMS recomputation of forecast reorder points over two years of daily demand (goal: 60 s or
less for 10,000 product x warehouse series, in a number of SQL queries per batch that does not grow), against plain
Odoo's replenishment computation (``stock.warehouse.orderpoint.action_open_orderpoints``) on the same data in the
same run and database.

- Data (``--seed``, 42 by default: the same every run): ``--warehouses`` new warehouses (default 2) of the company
  and ``--products`` storable products (default 5,000, so 10,000 series) on the Buy route, with a cost (a few
  without one: the maximum then falls back from the economic order quantity to days of cover), a vendor
  (``product.supplierinfo``) with a lead time of 0 to 30 days (0: the company's default is used; a few products
  have no vendor), stock on hand in each warehouse (``stock.quant`` rows, some at zero) and, per product x
  warehouse, HISTORY_DAYS days of daily demand up to yesterday: done ``stock.move`` rows from the warehouse's stock
  to the customers location, one per day with demand, inserted with ``INSERT ... SELECT`` over ``generate_series``
  in date order (as moves accumulate in life), PostgreSQL's ``random()`` seeded with ``setseed``, the foreign key
  triggers skipped for the load when the role may (``session_replication_role``). Patterns, drawn per series
  (PATTERNS): flat with noise, trend (-60 % to +150 % over the two years), weekly season (weekend peak), yearly
  season (a sine over the calendar year), intermittent (a demand of 1 to 8 units on 3 % to 30 % of the days) and
  no history at all; smooth series have Poisson-like noise around their level and about 0.8 to 40 units a day,
  so slow ones have days without demand too. On top: customer returns of 0.5 % of the deliveries three days later
  and, for 10 % of the series, an order not shipped yet (state ``confirmed``), a third of them larger than the stock
  (so plain Odoo finds those short). Rows are only written for days with demand. The generation is untimed, its
  time printed apart; ``stock_move`` and ``stock_quant`` are then vacuumed and analysed, as autovacuum keeps an
  older database. Names carry a random suffix: a second run on the same database adds another set (plain Odoo's
  replenishment, which reads every product, then covers both).
- Reorder points: one per product x warehouse in OMS Forecast mode, trigger manual (no procurement runs), a service
  level of 90 to 98 %, 80 % with the economic order quantity and 20 % with days of cover. They are created by the
  administrator, as a user would: Odoo's replenishment report deletes the manual reorder points that the superuser
  created (its own) when they have nothing to order.
- OMS (timed): ``_oms_recompute_reorder_points()`` over all of them, by the cron's chunks of CRON_CHUNK with a commit
  after each as the cron runner does, as the superuser (the cron's user). The model works in batches of
  RECOMPUTE_BATCH: the benchmark wraps ``_oms_recompute_batch`` to count each batch's SQL queries and time, flushing
  the batch's writes at its end so that its UPDATEs count in it (without that they would go out with a later query
  or the commit), and wraps ``_oms_demand_series``, ``daily_histories``, ``forecast_many`` and
  ``_oms_store_recomputation`` to split the time: the demand read (one grouped SQL query and its fetch), building
  the daily arrays, the forecast engine, writing the levels and history rows (one statement each), and the rest
  (ORM reads, vendors, levels, flush). The engine is also timed alone afterwards on the same
  histories, in batches of RECOMPUTE_BATCH and in one call. The methods chosen per pattern are printed (not
  checked: a slow flat series may well be intermittent, a yearly season may lose to a weekly one).
- Plain Odoo (timed): ``action_open_orderpoints()`` as the administrator opening Inventory > Replenishment, with its
  commit: it reads the forecasted stock (quants, open moves) of every storable product with moves in every
  replenishment location, computes the quantity to order of the short ones and creates manual reorder points where
  none exists (none here: every short pair has its forecast reorder point). The two do different work: OMS fits a
  forecast to two years of history and sets min and max, Odoo looks at the current forecasted stock and the quantity
  to order. The issue asks for this comparison; the ratio printed is OMS time / Odoo time, both on cold caches
  (a commit clears Odoo's).
- Checks (exit 1 on failure): every forecast reorder point has ``oms_computed_at`` and a forecast method; min <= max;
  series without history have the method ``none``; each reorder point (new) has exactly one history row; the SQL
  queries of the full batches are the same within QUERY_TOLERANCE, so they do not grow with the batch index (the
  first batch of each later cron chunk, which reads again the company, users and partners the commit cleared from
  the cache, is compared with its likes; the run's first, which also fills the process's caches, is printed
  apart); Odoo's replenishment left every forecast reorder point in place.

    .venv/bin/python bench/reorder.py --config .local/odoo-bench.conf --database oms_bench [--products 500]

(``scripts/bench.sh reorder`` makes the database and runs it.) ``--profile FILE`` runs the OMS recomputation under
cProfile, writes FILE and prints its top functions (the time figures are then slower).
"""

import argparse
import cProfile
import os
import random
import sys
import time
from collections import Counter
from datetime import timedelta

from support.reorder.data import PATTERNS, SEED, make_orderpoints, make_world, vacuum
from support.reorder.history import insert_history
from support.reorder.recompute import recompute_figure
from support.reorder.report import QUERY_TOLERANCE, check, plain_replenishment, print_methods, profile_report


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--products", type=int, default=5000, help="products, each with a series per warehouse")
    parser.add_argument("--warehouses", type=int, default=2, help="new warehouses, each with a series per product")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="run the OMS recomputation under cProfile, write FILE and print its top functions (slower figures)",
    )
    args = parser.parse_args(argv)
    if args.products < 1 or not 1 <= args.warehouses <= 9:
        parser.error("--products must be positive and --warehouses 1 to 9")
    return args


def generate(env, args, today):
    """The data of the run, printed; returns the world and the reorder points' ids (in the series' order)."""
    from odoo.addons.oms_intelligent.models.stock_warehouse_orderpoint_recompute import HISTORY_DAYS

    rng = random.Random(args.seed)
    steps = [time.perf_counter()]
    world = make_world(env, rng, args.products, args.warehouses)
    steps.append(time.perf_counter())
    rows = insert_history(env, world, args.seed, today)
    steps.append(time.perf_counter())
    ids = make_orderpoints(env, rng, world)
    steps.append(time.perf_counter())
    vacuum(args.database, ("stock_move", "stock_quant", "stock_warehouse_orderpoint"))
    steps.append(time.perf_counter())
    series = world["series"]
    patterns = Counter(one.pattern for one in series)
    print(
        f"reorder: generated {len(series):,} series ({args.products:,} products x {args.warehouses} warehouses, "
        f"{HISTORY_DAYS} days to {today - timedelta(days=1)}): {rows['delivered']:,} done deliveries, "
        f"{rows['returned']:,} returns, {rows['open']:,} open orders, {rows['quants']:,} quants and "
        f"{len(ids):,} forecast reorder points in {steps[-1] - steps[0]:.1f} s, untimed"
    )
    print(
        "reorder: generation: products and warehouses {:.1f} s, moves and quants in SQL {:.1f} s, reorder points "
        "{:.1f} s, vacuum {:.1f} s".format(*(end - start for start, end in zip(steps, steps[1:], strict=False)))
    )
    print("reorder: series by pattern: " + ", ".join(f"{name} {patterns[name]:,}" for name in PATTERNS))
    return world, ids


def main(argv):
    args = parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api, fields

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        world, ids = generate(env, args, fields.Date.context_today(env["stock.warehouse.orderpoint"]))
        load = os.getloadavg()
        profiler = cProfile.Profile() if args.profile else None
        seconds, batches = recompute_figure(env, ids, profiler)
        removed = _plain_figure(env, seconds)
        print(
            f"reorder: load average (1 min) {load[0]:.1f} before the timed parts, {os.getloadavg()[0]:.1f} after, "
            f"on {os.cpu_count()} CPUs"
        )
        failures, methods = check(env, ids, world["series"], batches, removed)
        print_methods(methods)
        if profiler:
            print("reorder: the recomputation ran under cProfile (slower than without it)")
            profile_report(profiler, args.profile)
    for failure in failures:
        print(f"reorder: FAILED: {failure}")
    if failures:
        return 1
    print(
        f"reorder: checked: {len(ids):,} reorder points recomputed with a method and min <= max, one history row "
        f"each, the {sum(one.pattern == 'none' for one in world['series'])} series without history forecast "
        f"'none', queries per batch constant (within {QUERY_TOLERANCE}), none removed by Odoo's replenishment"
    )
    return 0


def _plain_figure(env, seconds):
    """Plain Odoo's replenishment, timed and printed beside the OMS recomputation; the reorder points it removed."""
    plain_seconds, plain_queries, created, removed = plain_replenishment(env)
    print(
        f"reorder: plain Odoo replenishment (action_open_orderpoints) {plain_seconds:.1f} s, "
        f"{plain_queries:,} SQL queries, {len(created)} reorder points created, {len(removed)} removed"
    )
    print(
        f"reorder: ratio OMS recompute / Odoo replenishment: {seconds / plain_seconds:.1f} "
        f"({seconds:.1f} s vs {plain_seconds:.1f} s; different work: a forecast fitted to two years of history "
        f"with min and max, against the current forecasted stock and quantity to order)"
    )
    return removed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
