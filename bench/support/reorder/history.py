"""The reorder benchmark's demand history, written in SQL: one done delivery per product x warehouse and day with
demand over HISTORY_DAYS days up to yesterday (``INSERT ... SELECT`` over ``generate_series``, in date order, with
PostgreSQL's ``random()`` seeded), customer returns, open orders and stock on hand."""

from datetime import timedelta

from .data import WEEKDAY_PROFILE

DAY_CHUNK = 61  # days of history per INSERT statement, oldest first
RETURNS = 0.005  # share of the deliveries with a customer return three days later
MOVE_COLUMNS = """
    company_id, product_id, product_uom, location_id, location_dest_id, warehouse_id, name, reference, state,
    procure_method, priority, sequence, product_uom_qty, product_qty, quantity, picked, scrapped,
    propagate_cancel, is_inventory, additional, date, create_uid, create_date, write_uid, write_date
"""
SERIES_COLUMNS = (
    ("product_id", "int"),
    ("warehouse_id", "int"),
    ("location_id", "int"),
    ("pattern", "varchar"),
    ("base", "float"),
    ("noise", "float"),
    ("slope", "float"),
    ("weekly", "float"),
    ("yearly", "float"),
    ("phase", "float"),
    ("chance", "float"),
    ("size", "int"),
)
DELIVERIES_SQL = f"""
INSERT INTO stock_move ({MOVE_COLUMNS})
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
"""
RETURNS_SQL = f"""
INSERT INTO stock_move ({MOVE_COLUMNS}, origin_returned_move_id)
SELECT company_id, product_id, product_uom, location_dest_id, location_id, warehouse_id, 'Bench return',
       'Bench return', 'done', 'make_to_stock', '0', 10, qty, qty, qty, TRUE, FALSE, FALSE, FALSE, FALSE,
       moment, %(uid)s, moment, %(uid)s, moment, id
  FROM (SELECT m.*, m.date + INTERVAL '3 days' AS moment, GREATEST(1, floor(m.product_qty * random())) AS qty
          FROM stock_move m
         WHERE m.id > %(last_id)s AND m.date < %(today)s::date - 3 AND random() < %(returns)s
         ORDER BY m.id) picked
"""
OPEN_ORDERS_SQL = f"""
INSERT INTO stock_move ({MOVE_COLUMNS})
SELECT %(company)s, product_id, %(uom)s, location_id, %(customers)s, warehouse_id, 'Bench open order',
       'Bench open order', 'confirmed', 'make_to_stock', '0', 10, qty, qty, 0, FALSE, FALSE, TRUE, FALSE,
       FALSE, %(now)s::timestamp + make_interval(days => ahead), %(uid)s,
       %(now)s::timestamp - make_interval(days => ago), %(uid)s, %(now)s
  FROM unnest(%(products)s::int[], %(locations)s::int[], %(warehouses)s::int[], %(quantities)s::float[],
              %(ahead)s::int[], %(ago)s::int[]) AS o(product_id, location_id, warehouse_id, qty, ahead, ago)
"""
QUANTS_SQL = """
INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity, in_date,
                         inventory_quantity_set, create_uid, create_date, write_uid, write_date)
SELECT product_id, %(company)s, location_id, qty, 0, %(now)s, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
  FROM unnest(%(products)s::int[], %(locations)s::int[], %(quantities)s::float[])
       AS q(product_id, location_id, qty)
"""


def insert_history(env, world, seed, today):
    """Demand history, returns, open orders and stock on hand, in SQL. Returns the counts of rows written."""
    from odoo.addons.oms_intelligent.models.stock_warehouse_orderpoint_recompute import HISTORY_DAYS

    cr = env.cr
    series = world["series"]
    common = {
        "company": env.company.id,
        "uom": world["products"][0].uom_id.id,
        "customers": env.ref("stock.stock_location_customers").id,
        "uid": env.uid,
        "first_day": today - timedelta(days=HISTORY_DAYS),
        "today": today,
    }
    _load_series(cr, series)
    cr.execute("SET LOCAL work_mem = '256MB'")  # the day-ordered rows of a statement sort in memory
    bulk_load(cr)
    cr.execute("SELECT setseed(%s)", [(seed % 10007) / 10007])
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move")
    last_id = cr.fetchone()[0]
    delivered = _insert_deliveries(cr, common, HISTORY_DAYS)
    cr.execute(RETURNS_SQL, {**common, "last_id": last_id, "returns": RETURNS})
    returned = cr.rowcount
    now = env.cr.now()
    open_orders = [one for one in series if one.open_order > 0]
    _insert_open_orders(cr, {**common, "now": now}, open_orders)
    stocked = [one for one in series if one.stock > 0]
    _insert_quants(cr, {**common, "now": now}, stocked)
    env.invalidate_all()
    env.cr.commit()
    return {"delivered": delivered, "returned": returned, "open": len(open_orders), "quants": len(stocked)}


def _load_series(cr, series):
    """The series' parameters in a temporary table the inserts draw from."""
    cr.execute(
        """
        CREATE TEMP TABLE reorder_bench_series (
            id int, product_id int, warehouse_id int, location_id int, pattern varchar, base float, noise float,
            slope float, weekly float, yearly float, phase float, chance float, size int
        ) ON COMMIT DROP
        """
    )
    cr.execute(
        f"""
        INSERT INTO reorder_bench_series
        SELECT * FROM unnest(%s::int[], {", ".join(f"%s::{kind}[]" for _column, kind in SERIES_COLUMNS)})
        """,
        [list(range(len(series)))] + [[getattr(one, column) for one in series] for column, _kind in SERIES_COLUMNS],
    )


def _insert_deliveries(cr, common, history_days):
    """The daily demand, DAY_CHUNK days per statement, oldest first; the number of deliveries."""
    delivered = 0
    for start in range(0, history_days, DAY_CHUNK):
        cr.execute(
            DELIVERIES_SQL,
            {
                **common,
                "start": start,
                "stop": min(start + DAY_CHUNK, history_days) - 1,
                "days": float(history_days),
                "profile": list(WEEKDAY_PROFILE),
            },
        )
        delivered += cr.rowcount
    return delivered


def _insert_open_orders(cr, common, open_orders):
    cr.execute(
        OPEN_ORDERS_SQL,
        {
            **common,
            "products": [one.product_id for one in open_orders],
            "locations": [one.location_id for one in open_orders],
            "warehouses": [one.warehouse_id for one in open_orders],
            "quantities": [float(one.open_order) for one in open_orders],
            "ahead": [one.open_ahead for one in open_orders],
            "ago": [one.open_ago for one in open_orders],
        },
    )


def _insert_quants(cr, common, stocked):
    cr.execute(
        QUANTS_SQL,
        {
            **common,
            "products": [one.product_id for one in stocked],
            "locations": [one.location_id for one in stocked],
            "quantities": [float(one.stock) for one in stocked],
        },
    )


def bulk_load(cr):
    """Skip the foreign key triggers until the commit when the role may (a superuser's, as the one scripts/lib.sh
    creates): every row refers to records just created, and the checks would take two thirds of the insert time."""
    import psycopg2

    try:
        with cr.savepoint(flush=False):
            cr.execute("SET LOCAL session_replication_role = replica")
    except psycopg2.Error:
        print("reorder: foreign keys checked during the bulk insert (the database role may not skip them)")
