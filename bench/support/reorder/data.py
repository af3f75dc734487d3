"""The reorder benchmark's data: warehouses, a vendor, products with costs and vendors, the demand series drawn for
each product x warehouse (their history is written by history.py) and one forecast reorder point per series."""

import math
import uuid
from dataclasses import dataclass

SEED = 42
# Share of the series per demand pattern; "none": never sold from that warehouse.
PATTERNS = {"flat": 30, "trend": 15, "weekly": 20, "yearly": 15, "intermittent": 17, "none": 3}
WEEKDAY_PROFILE = (-0.25, -0.2, -0.1, 0.0, 0.25, 0.6, -0.3)  # Monday to Sunday, times the series' weekly amplitude
VENDOR_DELAYS = (0, 2, 3, 5, 7, 10, 14, 21, 30)  # 0: no lead time on the vendor, the company's default is used
NO_VENDOR = 0.04  # share of the products without a vendor
NO_COST = 0.03  # share of the products without a cost
OPEN_ORDERS = 0.1  # share of the series with an order not shipped yet (a third of them larger than the stock)
CREATE_CHUNK = 1000  # products and reorder points created per ORM call


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
