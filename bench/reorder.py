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
import math
import os
import pstats
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

SEED = 42
# Share of the series per demand pattern; "none": never sold from that warehouse.
PATTERNS = {"flat": 30, "trend": 15, "weekly": 20, "yearly": 15, "intermittent": 17, "none": 3}
WEEKDAY_PROFILE = (-0.25, -0.2, -0.1, 0.0, 0.25, 0.6, -0.3)  # Monday to Sunday, times the series' weekly amplitude
VENDOR_DELAYS = (0, 2, 3, 5, 7, 10, 14, 21, 30)  # 0: no lead time on the vendor, the company's default is used
NO_VENDOR = 0.04  # share of the products without a vendor
NO_COST = 0.03  # share of the products without a cost
RETURNS = 0.005  # share of the deliveries with a customer return three days later
OPEN_ORDERS = 0.1  # share of the series with an order not shipped yet (a third of them larger than the stock)
DAY_CHUNK = 61  # days of history per INSERT statement, oldest first
CREATE_CHUNK = 1000  # products and reorder points created per ORM call
QUERY_TOLERANCE = 3  # queries per batch may differ by this much: Odoo writes one UPDATE per set of changed fields


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


@dataclass
class Series:
    """One product x warehouse: its demand pattern and parameters, its stock and its open order."""

    product_id: int
    warehouse_id: int
    location_id: int
    pattern: str
    base: float = 0.0  # units a day (smooth patterns)
    noise: float = 0.0  # times sqrt(level): the daily deviation
    slope: float = 0.0  # relative change of the level over the two years
    weekly: float = 0.0  # amplitude of WEEKDAY_PROFILE
    yearly: float = 0.0  # amplitude of the yearly sine
    phase: float = 0.0
    chance: float = 1.0  # intermittent: chance of a demand on a day
    size: int = 0  # intermittent: largest demand
    stock: float = 0.0
    open_order: float = 0.0
    open_ago: int = 0  # days since the open order was taken
    open_ahead: int = 0  # days until it is due


def draw_series(rng, product_id, warehouse, pattern):
    series = Series(product_id, warehouse.id, warehouse.lot_stock_id.id, pattern)
    if pattern == "none":
        series.stock = rng.choice((0, 0, 5, 20))
        return series
    if pattern == "intermittent":
        series.chance = rng.uniform(0.03, 0.3)
        series.size = rng.randint(1, 8)
        daily = series.chance * (1 + series.size) / 2
    else:
        series.base = math.exp(rng.uniform(math.log(0.8), math.log(40)))
        series.noise = rng.uniform(0.6, 1.2)
        series.slope = rng.uniform(-0.6, 1.5) if pattern == "trend" else 0.0
        series.weekly = rng.uniform(0.5, 1.0) if pattern == "weekly" else 0.0
        if pattern == "yearly":
            series.yearly = rng.uniform(0.4, 0.9)
            series.phase = rng.uniform(0, 2 * math.pi)
        daily = series.base * (1 + series.slope)
    series.stock = 0 if rng.random() < 0.1 else round(daily * rng.uniform(3, 60))
    if rng.random() < OPEN_ORDERS:
        if rng.random() < 1 / 3:  # more than the stock: plain Odoo finds the pair short
            series.open_order = series.stock + rng.randint(1, 10)
        else:
            series.open_order = min(series.stock, max(1, round(daily * rng.uniform(0.5, 3))))
        series.open_ago = rng.randint(0, 3)
        series.open_ahead = rng.randint(1, 5)
    return series


def make_world(env, rng, product_count, warehouse_count):
    """Warehouses, vendor, products with vendors and costs, and the series drawn for each product x warehouse."""
    suffix = uuid.uuid4().hex[:6]
    company = env.company
    warehouses = env["stock.warehouse"].create(
        [
            {"name": f"Reorder {suffix} {index + 1}", "code": f"R{index}{suffix[:3]}", "company_id": company.id}
            for index in range(warehouse_count)
        ]
    )
    vendor = env["res.partner"].create({"name": f"Reorder vendor {suffix}", "supplier_rank": 1})
    buy = env.ref("purchase_stock.route_warehouse0_buy")
    products = env["product.product"]
    for start in range(0, product_count, CREATE_CHUNK):
        values = []
        for index in range(start, min(start + CREATE_CHUNK, product_count)):
            cost = 0.0 if rng.random() < NO_COST else round(math.exp(rng.uniform(math.log(1), math.log(300))), 2)
            product = {
                "name": f"Reorder item {suffix} {index:05d}",
                "default_code": f"RB-{suffix}-{index:05d}",
                "is_storable": True,
                "standard_price": cost,
                "list_price": round(max(cost, 1.0) * 1.8, 2),
                "route_ids": [(6, 0, buy.ids)],
            }
            if rng.random() >= NO_VENDOR:
                product["seller_ids"] = [
                    (0, 0, {"partner_id": vendor.id, "price": cost, "delay": rng.choice(VENDOR_DELAYS)})
                ]
            values.append(product)
        products |= env["product.product"].create(values)
        env.cr.commit()
    names, weights = zip(*PATTERNS.items(), strict=True)
    series = [
        draw_series(rng, product.id, warehouse, rng.choices(names, weights)[0])
        for product in products
        for warehouse in warehouses
    ]
    return {"suffix": suffix, "warehouses": warehouses, "products": products, "series": series}


def insert_history(env, world, seed, today):
    """Demand history, returns, open orders and stock on hand, in SQL. Returns the counts of rows written."""
    from odoo.addons.oms_intelligent.models.stock_warehouse_orderpoint_recompute import HISTORY_DAYS

    cr = env.cr
    series = world["series"]
    first_day = today - timedelta(days=HISTORY_DAYS)
    common = {
        "company": env.company.id,
        "uom": world["products"][0].uom_id.id,
        "customers": env.ref("stock.stock_location_customers").id,
        "uid": env.uid,
        "first_day": first_day,
        "today": today,
    }
    cr.execute(
        """
        CREATE TEMP TABLE reorder_bench_series (
            id int, product_id int, warehouse_id int, location_id int, pattern varchar, base float, noise float,
            slope float, weekly float, yearly float, phase float, chance float, size int
        ) ON COMMIT DROP
        """
    )
    columns = ("product_id", "warehouse_id", "location_id", "pattern", "base", "noise", "slope", "weekly")
    columns += ("yearly", "phase", "chance", "size")
    types = ("int", "int", "int", "varchar", "float", "float", "float", "float", "float", "float", "float", "int")
    cr.execute(
        f"""
        INSERT INTO reorder_bench_series
        SELECT * FROM unnest(%s::int[], {", ".join(f"%s::{kind}[]" for kind in types)})
        """,
        [list(range(len(series)))] + [[getattr(one, column) for one in series] for column in columns],
    )
    cr.execute("SET LOCAL work_mem = '256MB'")  # the day-ordered rows of a statement sort in memory
    bulk_load(cr)
    cr.execute("SELECT setseed(%s)", [(seed % 10007) / 10007])
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move")
    last_id = cr.fetchone()[0]
    move_columns = """
        company_id, product_id, product_uom, location_id, location_dest_id, warehouse_id, name, reference, state,
        procure_method, priority, sequence, product_uom_qty, product_qty, quantity, picked, scrapped,
        propagate_cancel, is_inventory, additional, date, create_uid, create_date, write_uid, write_date
    """
    delivered = 0
    for start in range(0, HISTORY_DAYS, DAY_CHUNK):
        cr.execute(
            f"""
            INSERT INTO stock_move ({move_columns})
            SELECT %(company)s, product_id, %(uom)s, location_id, %(customers)s, warehouse_id, 'Bench demand',
                   'Bench demand', 'done', 'make_to_stock', '0', 10, qty, qty, qty, TRUE, FALSE, FALSE, FALSE, FALSE,
                   moment, %(uid)s, moment, %(uid)s, moment
              FROM (
                SELECT s.product_id, s.location_id, s.warehouse_id, %(first_day)s::date + d.n + TIME '10:00' AS moment,
                       CASE WHEN s.pattern = 'intermittent' THEN
                                CASE WHEN random() < s.chance THEN 1 + floor(random() * s.size) ELSE 0 END
                            ELSE GREATEST(0, round(level.value + s.noise * sqrt(level.value)
                                                   * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))
                       END AS qty
                  FROM generate_series(%(start)s, %(stop)s) AS d(n)
                 CROSS JOIN reorder_bench_series s
                 CROSS JOIN LATERAL (
                    SELECT s.base * (1 + s.slope * d.n / %(days)s)
                           * (1 + s.weekly * (%(profile)s::float[])[
                                extract(isodow FROM %(first_day)s::date + d.n)::int])
                           * (1 + s.yearly * sin(2 * pi() * extract(doy FROM %(first_day)s::date + d.n) / 365.25
                                                 + s.phase)) AS value
                 ) level
                 WHERE s.pattern <> 'none'
                 ORDER BY d.n, s.id
              ) drawn
             WHERE qty > 0
            """,
            {
                **common,
                "start": start,
                "stop": min(start + DAY_CHUNK, HISTORY_DAYS) - 1,
                "days": float(HISTORY_DAYS),
                "profile": list(WEEKDAY_PROFILE),
            },
        )
        delivered += cr.rowcount
    cr.execute(
        f"""
        INSERT INTO stock_move ({move_columns}, origin_returned_move_id)
        SELECT company_id, product_id, product_uom, location_dest_id, location_id, warehouse_id, 'Bench return',
               'Bench return', 'done', 'make_to_stock', '0', 10, qty, qty, qty, TRUE, FALSE, FALSE, FALSE, FALSE,
               moment, %(uid)s, moment, %(uid)s, moment, id
          FROM (SELECT m.*, m.date + INTERVAL '3 days' AS moment, GREATEST(1, floor(m.product_qty * random())) AS qty
                  FROM stock_move m
                 WHERE m.id > %(last_id)s AND m.date < %(today)s::date - 3 AND random() < %(returns)s
                 ORDER BY m.id) picked
        """,
        {**common, "last_id": last_id, "returns": RETURNS},
    )
    returned = cr.rowcount
    now = env.cr.now()
    open_orders = [one for one in series if one.open_order > 0]
    cr.execute(
        f"""
        INSERT INTO stock_move ({move_columns})
        SELECT %(company)s, product_id, %(uom)s, location_id, %(customers)s, warehouse_id, 'Bench open order',
               'Bench open order', 'confirmed', 'make_to_stock', '0', 10, qty, qty, 0, FALSE, FALSE, TRUE, FALSE,
               FALSE, %(now)s::timestamp + make_interval(days => ahead), %(uid)s,
               %(now)s::timestamp - make_interval(days => ago), %(uid)s, %(now)s
          FROM unnest(%(products)s::int[], %(locations)s::int[], %(warehouses)s::int[], %(quantities)s::float[],
                      %(ahead)s::int[], %(ago)s::int[]) AS o(product_id, location_id, warehouse_id, qty, ahead, ago)
        """,
        {
            **common,
            "now": now,
            "products": [one.product_id for one in open_orders],
            "locations": [one.location_id for one in open_orders],
            "warehouses": [one.warehouse_id for one in open_orders],
            "quantities": [float(one.open_order) for one in open_orders],
            "ahead": [one.open_ahead for one in open_orders],
            "ago": [one.open_ago for one in open_orders],
        },
    )
    stocked = [one for one in series if one.stock > 0]
    cr.execute(
        """
        INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity, in_date,
                                 inventory_quantity_set, create_uid, create_date, write_uid, write_date)
        SELECT product_id, %(company)s, location_id, qty, 0, %(now)s, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM unnest(%(products)s::int[], %(locations)s::int[], %(quantities)s::float[])
               AS q(product_id, location_id, qty)
        """,
        {
            **common,
            "now": now,
            "products": [one.product_id for one in stocked],
            "locations": [one.location_id for one in stocked],
            "quantities": [float(one.stock) for one in stocked],
        },
    )
    env.invalidate_all()
    env.cr.commit()
    return {"delivered": delivered, "returned": returned, "open": len(open_orders), "quants": len(stocked)}


def bulk_load(cr):
    """Skip the foreign key triggers until the commit when the role may (a superuser's, as the one scripts/lib.sh
    creates): every row refers to records just created, and the checks would take two thirds of the insert time."""
    import psycopg2

    try:
        with cr.savepoint(flush=False):
            cr.execute("SET LOCAL session_replication_role = replica")
    except psycopg2.Error:
        print("reorder: foreign keys checked during the bulk insert (the database role may not skip them)")


def vacuum(database, tables):
    """VACUUM ANALYZE outside a transaction, on a connection of its own."""
    import psycopg2

    import odoo.sql_db

    _name, params = odoo.sql_db.connection_info_for(database)
    connection = psycopg2.connect(**params)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
    finally:
        connection.close()


def make_orderpoints(env, rng, world):
    """One forecast reorder point per series, created by the administrator, in the series' order."""
    admin = env.ref("base.user_admin")
    buy = env.ref("purchase_stock.route_warehouse0_buy")
    Orderpoint = env["stock.warehouse.orderpoint"].with_user(admin).with_company(env.company)
    ids = []
    series = world["series"]
    for start in range(0, len(series), CREATE_CHUNK):
        ids += Orderpoint.create(
            [
                {
                    "product_id": one.product_id,
                    "warehouse_id": one.warehouse_id,
                    "location_id": one.location_id,
                    "company_id": env.company.id,
                    "route_id": buy.id,
                    "trigger": "manual",
                    "oms_reorder_mode": "forecast",
                    "oms_service_level": rng.choice((90.0, 95.0, 95.0, 98.0)),
                    "oms_max_rule": "cover" if rng.random() < 0.2 else "eoq",
                }
                for one in series[start : start + CREATE_CHUNK]
            ]
        ).ids
        env.cr.commit()
    return ids


class Recompute:
    """The OMS recomputation, instrumented: queries and time per batch, and the time of its parts."""

    def __init__(self, env):
        from odoo.addons.oms_intelligent.models import stock_warehouse_orderpoint_recompute as module

        self.env = env
        self.module = module
        self.Model = type(env["stock.warehouse.orderpoint"])
        self.batches = []  # (size, queries, seconds, first of its cron chunk)
        self.chunk_started = False
        self.parts = Counter()
        self.histories = []

    def _timed(self, part, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.parts[part] += time.perf_counter() - started

        return wrapper

    def _batch(self, original):
        import odoo.sql_db

        def batch(records):
            queries, started = odoo.sql_db.sql_counter, time.perf_counter()
            original(records)
            records.env.flush_all()
            elapsed = time.perf_counter() - started
            self.batches.append((len(records), odoo.sql_db.sql_counter - queries, elapsed, self.chunk_started))
            self.chunk_started = False

        return batch

    def _forecast(self, original):
        def forecast_many(histories, horizon):
            self.histories.extend(history.copy() for history in histories)
            return original(histories, horizon)

        return self._timed("engine", forecast_many)

    def run(self, ids, profiler=None):
        """Seconds and SQL queries of the recomputation of ``ids`` by the cron's chunks, each committed."""
        import odoo.sql_db
        from odoo.tools import split_every

        module, Model = self.module, self.Model
        saved = (
            module.forecast_many,
            module.daily_histories,
            Model._oms_recompute_batch,
            Model._oms_demand_series,
            Model._oms_store_recomputation,
        )
        own = {
            name: Model.__dict__.get(name)
            for name in ("_oms_recompute_batch", "_oms_demand_series", "_oms_store_recomputation")
        }
        module.forecast_many = self._forecast(saved[0])
        module.daily_histories = self._timed("histories", saved[1])
        # On the registry's class: every recordset of the model goes through the wrappers until they are removed.
        Model._oms_recompute_batch = self._batch(saved[2])
        Model._oms_demand_series = self._timed("demand", saved[3])
        Model._oms_store_recomputation = self._timed("store", saved[4])
        env = self.env
        env.invalidate_all()
        try:
            queries, started = odoo.sql_db.sql_counter, time.perf_counter()
            if profiler:
                profiler.enable()
            for chunk in split_every(module.CRON_CHUNK, ids):
                self.chunk_started = True
                env["stock.warehouse.orderpoint"].browse(chunk)._oms_recompute_reorder_points()
                env.cr.commit()
            if profiler:
                profiler.disable()
            return time.perf_counter() - started, odoo.sql_db.sql_counter - queries
        finally:
            module.forecast_many, module.daily_histories = saved[0], saved[1]
            for name, method in own.items():
                if method is None:
                    delattr(Model, name)  # the inherited method again
                else:
                    setattr(Model, name, method)


def plain_replenishment(env):
    """Odoo's replenishment report opened by the administrator: seconds, SQL queries, reorder points it created and
    removed."""
    import odoo.sql_db

    admin_env = env(user=env.ref("base.user_admin").id, context={"allowed_company_ids": [env.company.id]})
    Orderpoint = admin_env["stock.warehouse.orderpoint"]
    before = set(Orderpoint.with_context(active_test=False).search([]).ids)
    env.cr.commit()
    queries, started = odoo.sql_db.sql_counter, time.perf_counter()
    Orderpoint.action_open_orderpoints()
    env.cr.commit()
    seconds, count = time.perf_counter() - started, odoo.sql_db.sql_counter - queries
    after = set(Orderpoint.with_context(active_test=False).search([]).ids)
    return seconds, count, after - before, before - after


def batch_query_groups(batches):
    """SQL queries of the full batches (RECOMPUTE_BATCH reorder points) in three groups: the run's first, which also
    fills the process's caches (defaults, decimal precisions, languages); the first of each later cron chunk, which
    reads the company, users and partners again (the commit before cleared the records' cache); the others."""
    largest = max(size for size, *_rest in batches)
    groups = ([], [], [])
    for index, (size, queries, _seconds, first) in enumerate(batches):
        if size == largest:
            groups[0 if index == 0 else 1 if first else 2].append(queries)
    return groups


def check(env, ids, series, batches, removed):
    """The failures found, as sentences (none: all good)."""
    failures = []
    env.cr.execute(
        """
        SELECT o.id, o.oms_computed_at IS NOT NULL, o.oms_forecast_method, o.product_min_qty, o.product_max_qty,
               (SELECT count(*) FROM oms_orderpoint_history h WHERE h.orderpoint_id = o.id)
          FROM stock_warehouse_orderpoint o
         WHERE o.id = ANY(%s)
        """,
        [ids],
    )
    rows = {row[0]: row[1:] for row in env.cr.fetchall()}
    if len(rows) != len(ids):
        failures.append(f"{len(ids) - len(rows)} forecast reorder points are gone")
    pattern_of = dict(zip(ids, (one.pattern for one in series), strict=True))
    uncomputed = [key for key, row in rows.items() if not row[0] or not row[1]]
    inverted = [key for key, row in rows.items() if row[2] > row[3]]
    not_none = [key for key, row in rows.items() if pattern_of[key] == "none" and row[1] != "none"]
    histories = Counter(row[4] for row in rows.values())
    if uncomputed:
        failures.append(f"{len(uncomputed)} reorder points without oms_computed_at or a method, e.g. {uncomputed[:5]}")
    if inverted:
        failures.append(f"{len(inverted)} reorder points with min > max, e.g. {inverted[:5]}")
    if not_none:
        failures.append(f"{len(not_none)} series without history not forecast as 'none', e.g. {not_none[:5]}")
    if set(histories) != {1}:
        failures.append(f"history rows per reorder point (count: reorder points): {dict(histories)}, not 1 each")
    _first, chunk_first, others = batch_query_groups(batches)
    for label, counts in (("first of a cron chunk", chunk_first), ("other", others)):
        if counts and max(counts) - min(counts) > QUERY_TOLERANCE:
            failures.append(f"SQL queries per full batch ({label}) vary: {counts}")
    if removed & set(ids):
        failures.append(f"Odoo's replenishment deleted {len(removed & set(ids))} forecast reorder points")
    methods = Counter((pattern_of[key], row[1]) for key, row in rows.items())
    return failures, methods


def span(counts):
    return "-" if not counts else f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)} to {max(counts)}"


def profile_report(profiler, path):
    profiler.dump_stats(path)
    stats = pstats.Stats(profiler)
    print(f"profile: written to {path}; top 25 functions by cumulative time, then by own time")
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(25)


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


def recompute_figure(env, ids, profiler):
    """The OMS recomputation, timed and printed; returns its seconds and batches."""
    from odoo.addons.oms_intelligent.models.stock_warehouse_orderpoint_recompute import (
        CRON_CHUNK,
        FORECAST_DAYS,
        RECOMPUTE_BATCH,
    )
    from odoo.addons.oms_intelligent.services.forecast import forecast_many

    recompute = Recompute(env)
    seconds, queries = recompute.run(ids, profiler)
    batches = recompute.batches
    batch_queries = [count for _size, count, _seconds, _first in batches]
    batch_seconds = [elapsed for _size, _count, elapsed, _first in batches]
    first, chunk_first, others = batch_query_groups(batches)
    parts = recompute.parts
    rest = sum(batch_seconds) - parts["demand"] - parts["histories"] - parts["engine"] - parts["store"]
    print(
        f"reorder: recomputed {len(ids):,} forecast reorder points in {seconds:.1f} s "
        f"({seconds * 1000 / len(ids):.2f} s per 1,000 series; goal <= 60 s for 10,000), "
        f"{len(batches)} batches of {RECOMPUTE_BATCH} in cron chunks of {CRON_CHUNK:,}, each chunk committed"
    )
    print(
        f"reorder: SQL queries per batch of {RECOMPUTE_BATCH}: {span(others)}; the first of each later cron "
        f"chunk {span(chunk_first)} (cache cleared by the commit), the run's first {span(first)} (filling "
        f"caches); per batch in order: {' '.join(map(str, batch_queries))}; {queries:,} in all with the commits"
    )
    print(
        f"reorder: seconds per batch: median {statistics.median(batch_seconds):.2f}, "
        f"{min(batch_seconds):.2f} to {max(batch_seconds):.2f}; in all: demand read (SQL) {parts['demand']:.1f} s, "
        f"daily arrays {parts['histories']:.1f} s, forecast engine {parts['engine']:.1f} s, "
        f"levels and history written {parts['store']:.1f} s, "
        f"the rest (ORM reads, vendors, levels, flush) {rest:.1f} s"
    )
    histories = recompute.histories
    alone = []
    for size in (RECOMPUTE_BATCH, len(histories)):
        started = time.perf_counter()
        for start in range(0, len(histories), size):
            forecast_many(histories[start : start + size], FORECAST_DAYS)
        alone.append(time.perf_counter() - started)
    print(
        f"reorder: forecast engine alone on the same {len(histories):,} histories: {alone[0]:.1f} s in batches of "
        f"{RECOMPUTE_BATCH} as the model calls it ({alone[0] * 1000 / len(histories):.2f} ms per series), "
        f"{alone[1]:.1f} s in one call; the recomputation without the engine: {seconds - parts['engine']:.1f} s"
    )
    return seconds, batches


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
        print(
            f"reorder: load average (1 min) {load[0]:.1f} before the timed parts, {os.getloadavg()[0]:.1f} after, "
            f"on {os.cpu_count()} CPUs"
        )
        failures, methods = check(env, ids, world["series"], batches, removed)
        for pattern in PATTERNS:
            chosen = sorted(
                ((count, method) for (name, method), count in methods.items() if name == pattern), reverse=True
            )
            print(f"reorder: {pattern} series forecast with: " + ", ".join(f"{m} {c:,}" for c, m in chosen))
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
