"""What the routing and lifecycle benchmarks both order from: warehouses at real cities, stocked products and, at the
same addresses, one customer per path (each path its own partner records: Odoo auto-batches deliveries per customer,
and shared customers would let the second path join the batches the first one paid to create)."""

import uuid

WAREHOUSE_CITIES = [
    ("Madrid", 40.4168, -3.7038),
    ("Barcelona", 41.3874, 2.1686),
    ("Sevilla", 37.3891, -5.9845),
    ("Valencia", 39.4699, -0.3763),
    ("Bilbao", 43.2630, -2.9350),
    ("Lisboa", 38.7223, -9.1393),
    ("Porto", 41.1579, -8.6291),
    ("Zaragoza", 41.6488, -0.8891),
    ("Málaga", 36.7213, -4.4214),
    ("A Coruña", 43.3623, -8.4115),
]
WAREHOUSE_COUNT = 5
PRODUCT_COUNT = 30
ADDRESS_COUNT = 100


def twin_world(env, rng, labels, product_values):
    """The company's warehouses completed to WAREHOUSE_COUNT at the first cities, a routing strategy that splits
    only when needed, PRODUCT_COUNT storable products (``product_values(index)`` adds to each) with 200 or 500 in
    every warehouse, and ADDRESS_COUNT addresses in Spain with a customer per path at each, named after
    ``labels`` ({path: label}). Returns {"warehouses", "strategy", "products", "customers": {path: partners}}."""
    suffix = uuid.uuid4().hex[:6]
    warehouses = env["stock.warehouse"].search([("company_id", "=", env.company.id)])
    for index, (name, lat, lon) in enumerate(WAREHOUSE_CITIES[len(warehouses) : WAREHOUSE_COUNT]):
        partner = env["res.partner"].create(
            {"name": f"{name} {suffix}", "partner_latitude": lat, "partner_longitude": lon}
        )
        warehouses |= env["stock.warehouse"].create(
            {"name": f"{name} {suffix}", "code": f"W{index}{suffix[:3]}", "partner_id": partner.id}
        )
    first_city = WAREHOUSE_CITIES[0]
    warehouses[0].partner_id.write({"partner_latitude": first_city[1], "partner_longitude": first_city[2]})
    strategy = env["oms.routing.strategy"].create({"name": f"Bench {suffix}", "split_policy": "when_needed"})
    products = env["product.product"].create(
        [
            {"name": f"Bench item {suffix} {index}", "is_storable": True, **product_values(index)}
            for index in range(PRODUCT_COUNT)
        ]
    )
    for product in products:
        for warehouse in warehouses:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, rng.choice((200, 500)))
    addresses = [
        {
            "street": f"Calle Mayor {rng.randint(1, 200)}",
            "city": "Madrid",
            "country_id": env.ref("base.es").id,
            "partner_latitude": rng.uniform(36.5, 43.5),
            "partner_longitude": rng.uniform(-9, 3),
        }
        for _ in range(ADDRESS_COUNT)
    ]
    customers = {
        path: env["res.partner"].create(
            [dict(address, name=f"{label} customer {suffix} {index}") for index, address in enumerate(addresses)]
        )
        for path, label in labels.items()
    }
    return {"warehouses": warehouses, "strategy": strategy, "products": products, "customers": customers}
