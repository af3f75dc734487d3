"""The intake benchmark's data: products, customers and orders generated with a fixed seed (the same whatever the
database holds), and the channel payloads and references made of them."""

from datetime import datetime, timedelta

SEED = 42
PRODUCT_COUNT = 30
CUSTOMER_COUNT = 200
# Customers already in Odoo before the run (shared by both paths); the others buy for the first time: the OMS
# path creates them at their first order, the plain path gets ready-made twins (plain create+confirm takes an
# existing customer).
KNOWN_CUSTOMERS = 100
VAT_SHARE = 0.15
# Country, currency, cities (name, zip) of the generated customers, with their weights.
COUNTRIES = [
    ("ES", "EUR", [("Madrid", "28014"), ("Barcelona", "08001"), ("Valencia", "46002"), ("Sevilla", "41001")], 40),
    ("PT", "EUR", [("Lisboa", "1100-148"), ("Porto", "4000-322")], 10),
    ("FR", "EUR", [("Paris", "75002"), ("Lyon", "69002")], 15),
    ("DE", "EUR", [("Berlin", "10115"), ("München", "80331")], 15),
    ("GB", "GBP", [("London", "EC1A 1BB"), ("Manchester", "M1 1AE")], 10),
    ("US", "USD", [("New York", "10001"), ("Chicago", "60601")], 10),
]
CURRENCY_FACTOR = {"EUR": 1.0, "USD": 1.08, "GBP": 0.85}  # channel prices in other currencies, from EUR ones
FIRST_NAMES = (
    "Lucía Hugo Martina Mateo Sofía Leo Julia Daniel Paula Álvaro Inês João Camille Louis Emma Lukas Mia Oliver Amelia"
    " Noah Olivia Liam Chloé Marta"
).split()
LAST_NAMES = (
    "García Fernández López Martínez Sánchez Pérez Gómez Silva Santos Martin Bernard Dubois Müller Schmidt Weber Smith"
    " Jones Taylor Brown Johnson"
).split()
STREETS = ["Calle Mayor", "Main Street", "Rua Augusta", "Rue de Rivoli", "Hauptstraße", "High Street", "Gran Vía"]
ORDER_DATES_FROM = datetime(2025, 6, 2, 8, 0)


def generate(rng, count, lines_per_order):
    """Products, customers and orders, the same for a given seed whatever the database holds."""
    products = _products(rng)
    customers = _customers(rng)
    return products, customers, _orders(rng, count, lines_per_order, products, customers)


def _products(rng):
    return [
        {
            "sku": f"BENCH-{index:03d}",
            "barcode": f"29{index:011d}",
            "name": f"Bench Item {index:02d}",
            "price": round(rng.uniform(4, 250), 2),
        }
        for index in range(1, PRODUCT_COUNT + 1)
    ]


def _customers(rng):
    countries = [country[:3] for country in COUNTRIES]
    weights = [country[3] for country in COUNTRIES]
    customers = []
    for index in range(CUSTOMER_COUNT):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, currency, cities = rng.choices(countries, weights)[0]
        city, zip_code = rng.choice(cities)
        customers.append(
            {
                "index": index,
                "known": index < KNOWN_CUSTOMERS,
                "name": f"{first} {last}",
                "local": f"{_ascii(first)}.{_ascii(last)}.{index}",
                "has_vat": rng.random() < VAT_SHARE,
                "country": country,
                "currency": currency,
                "street": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
                "city": city,
                "zip": zip_code,
            }
        )
    return customers


def _orders(rng, count, lines_per_order, products, customers):
    orders = []
    for index in range(count):
        customer = rng.choice(customers)
        factor = CURRENCY_FACTOR[customer["currency"]]
        orders.append(
            {
                "index": index,
                "customer": customer,
                "currency": customer["currency"],
                "date": ORDER_DATES_FROM + timedelta(minutes=index),
                "lines": [
                    (product, rng.randint(1, 5), round(product["price"] * factor, 2))
                    for product in rng.sample(products, lines_per_order)
                ],
            }
        )
    return orders


def _ascii(text):
    return text.lower().translate(str.maketrans("áéíóúüöçãêñ", "aeiouuocaen"))


def customer_identity(customer, run, twin=False):
    """E-mail, phone and VAT of a customer. Known customers are the same every run; new ones are new in each run
    (so that a second run on the same database still creates them), and their plain-path twins match nothing."""
    index = customer["index"]
    if customer["known"]:
        return {
            "email": f"{customer['local']}@known.example.com",
            "phone": f"+34 7{index:08d}",
            "vat": f"ES7{index:07d}K" if customer["has_vat"] else False,
        }
    if twin:
        return {"email": f"{customer['local']}.r{run}@plain-twin.example.com", "phone": False, "vat": False}
    return {
        "email": f"{customer['local']}.r{run}@new.example.com",
        "phone": f"+34 6{run % 1000:03d}{index:05d}",
        "vat": f"ES6{run % 1000:03d}{index:04d}N" if customer["has_vat"] else False,
    }


def channel_payload(order, run):
    """The order as the channel sends it (the channel-order schema)."""
    from odoo.addons.oms_channels.stand_ins.orders import make_order

    customer = order["customer"]
    identity = customer_identity(customer, run)
    address = {
        "name": customer["name"],
        "street": customer["street"],
        "city": customer["city"],
        "zip": customer["zip"],
        "country_code": customer["country"],
        "phone": identity["phone"] or None,
        "email": identity["email"],
    }
    stamp = order["date"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return make_order(
        external_ref(order, run),
        currency=order["currency"],
        lines=[
            {
                "sku": product["sku"],
                "barcode": product["barcode"],
                "name": product["name"],
                "quantity": quantity,
                "unit_price": price,
                "discount": 0,
            }
            for product, quantity, price in order["lines"]
        ],
        shipping=None,
        note=None,
        customer={
            "name": customer["name"],
            "email": identity["email"],
            "phone": identity["phone"] or None,
            "vat": identity["vat"] or None,
        },
        billing_address=address,
        order_date=stamp,
        updated_at=stamp,
    )


def external_ref(order, run):
    return f"B{run}-{order['index']:06d}"


def plain_ref(order, run):
    return f"B{run}-P{order['index']:06d}"
