"""Intake benchmark, in three parts (``--parts``, all by default):

- pull: channel orders served by the local REST marketplace, pulled, staged, matched, imported and confirmed end
  to end by ``oms.channel._sync_orders`` (as the cron does), against plain Odoo ``sale.order.create`` +
  ``action_confirm`` of the same orders in the same process and database;
- drain: staged orders imported by one import worker process, then by two at once (``_import_pending()``,
  claiming batches with SKIP LOCKED), in turns;
- webhook: the answer time of signed bodies POSTed over HTTP to an Odoo server on the same database (store first),
  beside Odoo's own version_info route and plain Odoo creating the same order over JSON-RPC.

    .venv/bin/python bench/intake.py --config .local/odoo-bench.conf --database oms_bench [--orders 100]

(``scripts/bench.sh intake -- --orders 100`` makes the database and runs it.) See bench/README.md for the data,
the method and what is printed.
"""

import argparse
import cProfile
import hashlib
import hmac
import json
import os
import pstats
import random
import secrets
import statistics
import sys
import time
from datetime import datetime, timedelta

from support import intake_drain, intake_webhook

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
PARTS = ("pull", "drain", "webhook")
DRAIN_WARMUP = 10  # untimed orders each drain worker imports first


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--database", required=True, help="database with the OMS addons installed")
    parser.add_argument("--orders", type=int, default=1000, help="orders per path (default 1000)")
    parser.add_argument("--lines", type=int, default=3, help="lines per order (default 3)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed orders per path first (default 5)")
    parser.add_argument(
        "--round",
        type=int,
        default=50,
        help="orders per round; the two paths alternate round by round (default 50, the import's batch size)",
    )
    parser.add_argument(
        "--min-ratio", type=float, default=0.0, help="exit non-zero when the ratio is below this (default: report only)"
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile both paths with cProfile (FILE for the OMS path, FILE.plain for plain Odoo) and print where "
        "the time goes; the throughput figures then include the profiler's overhead",
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--drain-orders", type=int, default=2000, help="staged orders per path of the drain part (default 2000)"
    )
    parser.add_argument(
        "--drain-round",
        type=int,
        default=500,
        help="orders per drain round; one worker and two workers take turns round by round (default 500)",
    )
    parser.add_argument(
        "--drain-time-limit",
        type=int,
        default=1200,
        help="seconds a drain round may take before the run fails (default 1200)",
    )
    parser.add_argument(
        "--min-drain-ratio",
        type=float,
        default=0.0,
        help="exit non-zero when two workers are below this ratio to one (default: report only; goal 1.4)",
    )
    parser.add_argument(
        "--webhook-orders", type=int, default=1000, help="signed bodies POSTed to the webhook (default 1000)"
    )
    parser.add_argument(
        "--webhook-time-limit",
        type=int,
        default=900,
        help="seconds the webhook part may take to send its bodies before it fails (default 900)",
    )
    args = parser.parse_args(argv)
    if args.orders < 1 or args.warmup < 0 or args.round < 1 or not 1 <= args.lines <= PRODUCT_COUNT:
        parser.error(f"--orders and --round must be positive, --warmup not negative, --lines 1 to {PRODUCT_COUNT}")
    if args.drain_orders < 1 or args.drain_round < 1 or args.webhook_orders < 1:
        parser.error("--drain-orders, --drain-round and --webhook-orders must be positive")
    args.parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    if not args.parts or set(args.parts) - set(PARTS):
        parser.error(f"--parts takes a comma-separated list of {', '.join(PARTS)}")
    return args


# ---------------------------------------------------------------------------------------------------- the data


def generate(rng, count, lines_per_order):
    """Products, customers and orders, the same for a given seed whatever the database holds."""
    products = [
        {
            "sku": f"BENCH-{index:03d}",
            "barcode": f"29{index:011d}",
            "name": f"Bench Item {index:02d}",
            "price": round(rng.uniform(4, 250), 2),
        }
        for index in range(1, PRODUCT_COUNT + 1)
    ]
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
    return products, customers, orders


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


def channel_payload(order, run, make_order):
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


# ---------------------------------------------------------------------------------------------------- database


def prepare_database(env, products, customers, run, market_url, api_key):
    """Currencies, pricelists, products, known customers, plain-path twins and the channel; committed."""
    company = env.company
    currencies = env["res.currency"].with_context(active_test=False).search([("name", "in", list(CURRENCY_FACTOR))])
    currencies.active = True
    currency = {record.name: record for record in currencies}
    if company.currency_id != currency["EUR"] and not env["account.move.line"].search_count([], limit=1):
        company.currency_id = currency["EUR"]  # an EU marketplace seller; allowed while no journal item exists
    for name, rate in (("USD", 1.08), ("GBP", 0.85), ("EUR", 1.0)):
        if currency[name] != company.currency_id and not currency[name].rate_ids.filtered(
            lambda r: r.company_id == company
        ):
            env["res.currency.rate"].create(
                {"currency_id": currency[name].id, "rate": rate, "name": "2025-01-01", "company_id": company.id}
            )
    # The pricelist of each currency that the import picks (channel's for EUR, first found for the others).
    pricelists = {}
    for name in CURRENCY_FACTOR:
        pricelists[name] = env["product.pricelist"].search(
            [
                ("currency_id.name", "=", name),
                ("currency_id.active", "=", True),
                ("company_id", "in", (company.id, False)),
            ],
            limit=1,
        ) or env["product.pricelist"].create(
            {"name": f"Marketplace {name}", "currency_id": currency[name].id, "company_id": company.id}
        )
    existing = {
        product.default_code: product
        for product in env["product.product"].search([("default_code", "in", [p["sku"] for p in products])])
    }
    missing = [product for product in products if product["sku"] not in existing]
    created = env["product.product"].create(
        [
            {
                "name": product["name"],
                "default_code": product["sku"],
                "barcode": product["barcode"],
                "list_price": product["price"],
                "is_storable": True,
                "sale_ok": True,
            }
            for product in missing
        ]
    )
    existing.update(zip([product["sku"] for product in missing], created, strict=True))
    product_ids = {sku: product.id for sku, product in existing.items()}

    countries = {
        country.code: country for country in env["res.country"].search([("code", "in", [c[0] for c in COUNTRIES])])
    }

    def partner_vals(customer, identity):
        return {
            "name": customer["name"],
            "email": identity["email"],
            "phone": identity["phone"],
            "vat": identity["vat"],
            "street": customer["street"],
            "city": customer["city"],
            "zip": customer["zip"],
            "country_id": countries[customer["country"]].id,
        }

    known = [customer for customer in customers if customer["known"]]
    emails = {customer["index"]: customer_identity(customer, run)["email"] for customer in known}
    found = {
        partner.email: partner.id
        for partner in env["res.partner"].search([("email", "in", list(emails.values()))], order="id desc")
    }
    to_create = [customer for customer in known if emails[customer["index"]] not in found]
    new_partners = env["res.partner"].create(
        [partner_vals(customer, customer_identity(customer, run)) for customer in to_create]
    )
    found.update(zip([emails[customer["index"]] for customer in to_create], new_partners.ids, strict=True))
    plain_partner = {customer["index"]: found[emails[customer["index"]]] for customer in known}
    twins = [customer for customer in customers if not customer["known"]]
    twin_partners = env["res.partner"].create(
        [partner_vals(customer, customer_identity(customer, run, twin=True)) for customer in twins]
    )
    plain_partner.update(zip([customer["index"] for customer in twins], twin_partners.ids, strict=True))

    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    # Imported orders are confirmed at once and invoiced by hand, as plain Odoo's are.
    workflow = env["oms.order.workflow"].create({"name": f"Bench confirm {run}", "auto_confirm": True})
    channel = env["oms.channel"].create(
        {
            "name": f"Bench Marketplace {run}",
            "code": f"BENCH-{run}",
            "kind": "marketplace",
            "connector": "rest",
            "company_id": company.id,
            "pricelist_id": pricelists["EUR"].id,
            "warehouse_id": warehouse.id,
            "endpoint_url": market_url,
            "api_key": api_key,
            "workflow_id": workflow.id,
        }
    )
    env.cr.commit()
    return {
        "channel": channel,
        "warehouse": warehouse,
        "pricelists": pricelists,
        "product_ids": product_ids,
        "plain_partner": plain_partner,
    }


def next_run_number(env):
    channels = env["oms.channel"].with_context(active_test=False).search([("code", "=like", "BENCH-%")])
    numbers = [int(code[6:]) for code in channels.mapped("code") if code[6:].isdigit()]
    return max(numbers, default=0) + 1


# ---------------------------------------------------------------------------------------------------- the paths


class Path:
    """One way of taking orders in, timed (and counted in SQL queries) over the orders it is given."""

    label = ""

    def __init__(self, env, profile):
        self.env = env
        self.seconds = 0.0
        self.queries = 0
        self.orders = 0
        self.round_seconds = []
        self.profiler = cProfile.Profile() if profile else None

    def run(self, orders, timed=True):
        import odoo.sql_db

        self.before(orders)
        queries = odoo.sql_db.sql_counter
        if timed and self.profiler:
            self.profiler.enable()
        start = time.perf_counter()
        self.take(orders)
        elapsed = time.perf_counter() - start
        if timed and self.profiler:
            self.profiler.disable()
        if timed:
            self.seconds += elapsed
            self.round_seconds.append(elapsed)
            self.queries += odoo.sql_db.sql_counter - queries
            self.orders += len(orders)

    def before(self, orders):
        pass

    def take(self, orders):
        raise NotImplementedError


class OmsPath(Path):
    """The cron's pull: the new orders are put on the marketplace, then one ``_sync_orders`` fetches, stages,
    matches, imports and confirms them, committing per batch as it does in a cron worker."""

    label = "intake"

    def __init__(self, env, profile, channel, market, payloads):
        super().__init__(env, profile)
        self.channel = channel
        self.market = market
        self.payloads = payloads

    def before(self, orders):
        self.market.add_orders([self.payloads[order["index"]] for order in orders])

    def take(self, orders):
        self.channel._sync_orders()
        self.env.cr.commit()


class PlainPath(Path):
    """Plain Odoo: ``sale.order.create`` + ``action_confirm``, one order at a time, with the same customers (see
    KNOWN_CUSTOMERS), products, quantities, prices, pricelists and warehouse, committed every ``batch_size``."""

    label = "plain Odoo create+confirm"

    def __init__(self, env, profile, world, run, batch_size):
        super().__init__(env, profile)
        self.world = world
        self.run_number = run
        self.batch_size = batch_size

    def take(self, orders):
        from odoo import Command

        sale_orders = self.env["sale.order"]
        world = self.world
        for done, order in enumerate(orders, start=1):
            sale_order = sale_orders.create(
                {
                    "partner_id": world["plain_partner"][order["customer"]["index"]],
                    "pricelist_id": world["pricelists"][order["currency"]].id,
                    "warehouse_id": world["warehouse"].id,
                    "client_order_ref": plain_ref(order, self.run_number),
                    "date_order": order["date"],
                    "order_line": [
                        Command.create(
                            {
                                "product_id": world["product_ids"][product["sku"]],
                                "product_uom_qty": quantity,
                                "price_unit": price,
                                "discount": 0.0,
                            }
                        )
                        for product, quantity, price in order["lines"]
                    ],
                }
            )
            sale_order.action_confirm()
            if done % self.batch_size == 0:
                self.env.cr.commit()
        self.env.cr.commit()


class TimedMarketplace:
    """Wraps a LocalMarketplace to add up the time its (in-process) server thread spends answering."""

    def __init__(self, market_class, **kwargs):
        outer = self
        self.server_seconds = 0.0

        class _Market(market_class):
            def handle(self, request):
                start = time.perf_counter()
                try:
                    return super().handle(request)
                finally:
                    outer.server_seconds += time.perf_counter() - start

        self.market = _Market(**kwargs)


# ---------------------------------------------------------------------------------------------------- checks


def check(env, world, run, orders, lines_per_order, customers):
    """Every order imported exactly once and confirmed, the same amounts as plain Odoo's, new customers once."""
    problems = []
    channel = world["channel"]
    expected_refs = {external_ref(order, run) for order in orders}
    staged = env["oms.channel.order"].search([("channel_id", "=", channel.id)])
    if set(staged.mapped("external_ref")) != expected_refs or len(staged) != len(expected_refs):
        problems.append(f"{len(staged)} staging records for {len(expected_refs)} orders served")
    not_imported = staged.filtered(lambda record: record.state != "imported")
    if not_imported:
        sample = "; ".join(f"{r.external_ref}: {r.state} {r.error_message or ''}" for r in not_imported[:5])
        problems.append(f"{len(not_imported)} staging records not imported ({sample})")
    replayed = staged.filtered(lambda record: record.receive_count != 1)
    if replayed:
        problems.append(f"{len(replayed)} orders received more than once")
    oms_orders = env["sale.order"].search([("oms_channel_id", "=", channel.id)])
    if len(oms_orders) != len(expected_refs) or set(oms_orders.mapped("oms_channel_ref")) != expected_refs:
        problems.append(f"{len(oms_orders)} sale orders of the channel for {len(expected_refs)} orders")
    if set(staged.sale_order_id.ids) != set(oms_orders.ids):
        problems.append("staging records and the channel's sale orders do not match one to one")
    plain_orders = env["sale.order"].search([("client_order_ref", "in", [plain_ref(o, run) for o in orders])])
    if len(plain_orders) != len(orders):
        problems.append(f"{len(plain_orders)} plain sale orders for {len(orders)} orders")
    for label, records in (("imported", oms_orders), ("plain", plain_orders)):
        unconfirmed = records.filtered(lambda order: order.state != "sale")
        if unconfirmed:
            problems.append(f"{len(unconfirmed)} {label} sale orders not confirmed (state sale)")
        wrong_lines = records.filtered(lambda order: len(order.order_line) != lines_per_order)
        if wrong_lines:
            problems.append(f"{len(wrong_lines)} {label} sale orders without {lines_per_order} lines")
    oms_by_index = {int(order.oms_channel_ref.rsplit("-", 1)[1]): order for order in oms_orders}
    plain_by_index = {int(order.client_order_ref.rsplit("-P", 1)[1]): order for order in plain_orders}
    differing = [
        index
        for index, order in oms_by_index.items()
        if index in plain_by_index
        and (
            order.currency_id != plain_by_index[index].currency_id
            or order.currency_id.compare_amounts(order.amount_total, plain_by_index[index].amount_total)
        )
    ]
    if differing:
        problems.append(f"{len(differing)} imported orders differ from plain Odoo's in currency or total")
    new_customers = {
        order["customer"]["index"]: order["customer"] for order in orders if not order["customer"]["known"]
    }
    emails = [customer_identity(customer, run)["email"] for customer in new_customers.values()]
    partners = env["res.partner"].search([("email", "in", emails), ("parent_id", "=", False)])
    if len(partners) != len(emails) or set(partners.mapped("email")) != set(emails):
        problems.append(f"{len(partners)} customers created for {len(emails)} new customers")
    known_emails = {customer_identity(c, run)["email"] for c in customers if c["known"]}
    known_partners = env["res.partner"].search([("email", "in", list(known_emails))])
    if len(known_partners) != len(known_emails):
        problems.append(f"{len(known_partners)} partners for {len(known_emails)} known customers (duplicates made)")
    return problems, len(new_customers)


# ---------------------------------------------------------------------------------------------------- report


def profile_report(oms_profiler, plain_profiler, oms_orders, plain_orders):
    """Milliseconds per order of the parts of each path (cumulative, so parts may nest)."""
    oms = pstats.Stats(oms_profiler)
    plain = pstats.Stats(plain_profiler)

    def cumulative(stats, func, path_part=""):
        times = [
            ct
            for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
            if name == func and path_part in filename
        ]
        return max(times, default=0.0)

    def total(stats):
        return sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())

    rows = [
        ("total profiled", total(oms), total(plain)),
        ("  fetch from the marketplace (HTTP, JSON)", cumulative(oms, "fetch_orders", "rest_connector"), 0.0),
        ("  staging insert (_receive)", cumulative(oms, "_receive", "oms_channel_order"), 0.0),
        ("    one savepoint per record (_create_or_find)", cumulative(oms, "_create_or_find"), 0.0),
        ("  import loop (_import_pending)", cumulative(oms, "_import_pending", "oms_channel_order"), 0.0),
        ("    payload parsing (parse_channel_order)", cumulative(oms, "parse_channel_order", "channel_order"), 0.0),
        ("    batch look-ups (_lookups)", cumulative(oms, "_lookups", "oms_channel_order"), 0.0),
        ("    customer match/creation (_customer_for)", cumulative(oms, "_customer_for", "oms_channel_order"), 0.0),
        (
            "    sale.order create",
            cumulative(oms, "create", "sale/models/sale_order"),
            cumulative(plain, "create", "sale/models/sale_order"),
        ),
        ("    action_confirm", cumulative(oms, "action_confirm"), cumulative(plain, "action_confirm")),
        ("    message_post", cumulative(oms, "message_post", "mail_thread"), cumulative(plain, "message_post")),
        ("    delivery address look-up", cumulative(oms, "_find_or_create_address"), 0.0),
        (
            "  commits (flush left, COMMIT)",
            cumulative(oms, "commit", "sql_db"),
            cumulative(plain, "commit", "sql_db"),
        ),
        (
            "  cursor flushes (at savepoints and commits)",
            cumulative(oms, "flush", "sql_db"),
            cumulative(plain, "flush", "sql_db"),
        ),
        ("  SQL (cursor.execute)", cumulative(oms, "execute", "odoo/sql_db"), cumulative(plain, "execute", "sql_db")),
    ]
    print(f"profile: ms per order{'':<36} {'intake':>8} {'plain':>8}")
    for label, oms_seconds, plain_seconds in rows:
        oms_ms = 1000 * oms_seconds / oms_orders
        plain_ms = 1000 * plain_seconds / plain_orders
        print(f"profile: {label:<50} {oms_ms:8.1f} {plain_ms:8.1f}")
    print("profile: top 25 functions of the intake path by own time:")
    oms.sort_stats("tottime").print_stats(25)


def import_local_marketplace():
    """LocalMarketplace and make_order from oms_channels/tests/local_marketplace.py, without running the tests
    packages' __init__ (of oms_channels, and of oms_intelligent, whose local_server.py it builds on): they import
    every test module and Odoo's test framework, which logs an error outside test mode. Empty stand-in packages
    take their place; the modules' relative imports work as usual."""
    import importlib
    import types

    import odoo.addons.oms_channels
    import odoo.addons.oms_intelligent

    for addon in (odoo.addons.oms_intelligent, odoo.addons.oms_channels):
        name = f"{addon.__name__}.tests"
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [f"{addon.__path__[0]}/tests"]
            sys.modules[name] = package
    module = importlib.import_module("odoo.addons.oms_channels.tests.local_marketplace")
    return module.LocalMarketplace, module.make_order


def run_pull(args, env, world, run, products_customers_orders, market_parts, make_order):
    """The pull part: the intake's pull against plain create+confirm, in turns; prints its lines, returns problems."""
    from odoo.addons.oms_channels.models.oms_channel_order import IMPORT_BATCH_SIZE

    customers, orders = products_customers_orders
    timed_market, market = market_parts
    warmup, measured = orders[: args.warmup], orders[args.warmup :]
    payloads = {order["index"]: channel_payload(order, run, make_order) for order in orders}
    oms = OmsPath(env, args.profile, world["channel"], market, payloads)
    plain = PlainPath(env, args.profile, world, run, IMPORT_BATCH_SIZE)
    # Warm-up (untimed): registry, caches, prepared statements, the HTTP connection path.
    if warmup:
        plain.run(warmup, timed=False)
        oms.run(warmup, timed=False)
    server_before = timed_market.server_seconds
    # Rounds of --round orders, the two paths taking turns, the first one alternating (ABBA...): both see the
    # database grow alike, and neither always runs right after the other's commits.
    for number, start in enumerate(range(0, len(measured), args.round)):
        chunk = measured[start : start + args.round]
        for path in (plain, oms) if number % 2 == 0 else (oms, plain):
            path.run(chunk)
    server_seconds = timed_market.server_seconds - server_before
    env.cr.commit()
    problems, new_count = check(env, world, run, orders, args.lines, customers)

    oms_rate = oms.orders / oms.seconds
    plain_rate = plain.orders / plain.seconds
    ratio = oms_rate / plain_rate
    round_ratios = [p / o for o, p in zip(oms.round_seconds, plain.round_seconds, strict=True)]
    size = f"{args.orders:,} orders x {args.lines} lines"
    print(
        f"intake: {oms_rate:.1f} orders/s vs plain Odoo create+confirm {plain_rate:.1f} orders/s"
        f" (ratio {ratio:.2f}) on {size}"
    )
    print(
        f"intake: {oms.queries / oms.orders:.1f} SQL queries/order vs plain Odoo create+confirm "
        f"{plain.queries / plain.orders:.1f} SQL queries/order"
    )
    print(
        f"intake: {oms.seconds:.1f} s vs {plain.seconds:.1f} s in {len(round_ratios)} rounds of {args.round} orders"
        f" taken in turns; ratio per round: median {statistics.median(round_ratios):.2f},"
        f" {min(round_ratios):.2f} to {max(round_ratios):.2f}"
    )
    print(
        f"intake: the local marketplace (same process) took {1000 * server_seconds:.0f} ms of the intake's time;"
        f" {new_count} new customers created by the intake, the others matched"
    )
    if args.profile:
        oms.profiler.dump_stats(args.profile)
        plain.profiler.dump_stats(args.profile + ".plain")
        print("intake: figures taken under cProfile (slower than without it)")
        profile_report(oms.profiler, plain.profiler, oms.orders, plain.orders)
    problems = [f"pull: {problem}" for problem in problems]
    if not problems:
        print(f"intake: checked: {len(orders):,} orders imported exactly once and confirmed, same totals as plain Odoo")
    if ratio < args.min_ratio:
        problems.append(f"pull: ratio {ratio:.2f} below --min-ratio {args.min_ratio}")
    return problems


# ---------------------------------------------------------------------------------------------------- drain


def bench_channel(env, world, number, label, secret=False):
    """Another channel of this run (code BENCH-<number>, so that the next run numbers after it), pushing by
    webhook, with the pull channel's pricelist, warehouse and workflow."""
    template = world["channel"]
    channel = env["oms.channel"].create(
        {
            "name": f"Bench {label} {number}",
            "code": f"BENCH-{number}",
            "kind": "marketplace",
            "connector": "webhook",
            "company_id": template.company_id.id,
            "pricelist_id": template.pricelist_id.id,
            "warehouse_id": template.warehouse_id.id,
            "workflow_id": template.workflow_id.id,
            "webhook_secret": secret,
        }
    )
    env.cr.commit()
    return channel


def stage(env, channel, orders, number, make_order):
    """Stage the orders in the channel as webhooks would (``_receive``), committed; untimed. Returns problems."""
    staging = env["oms.channel.order"]
    payloads = [channel_payload(order, number, make_order) for order in orders]
    records = staging.browse()
    for start in range(0, len(payloads), 500):
        records |= staging._receive(channel, payloads[start : start + 500], source="webhook")
        env.cr.commit()
    if len(records) != len(orders) or set(records.mapped("state")) != {"new"}:
        return [f"drain: {len(records)} staged of {len(orders)} orders, states {sorted(set(records.mapped('state')))}"]
    return []


def run_drain(args, env, registry, world, run, make_order):
    """The drain part: staged orders imported by one worker process and by two at once, in rounds taken in turns;
    prints its lines, returns problems."""
    rng = random.Random(SEED)
    _products, _customers, orders = generate(rng, args.drain_orders, args.lines)
    # Each path its own channel and run number (its own references and new customers), on the same orders.
    numbers = {"warmup": run + 1, 1: run + 2, 2: run + 3}
    channels = {
        key: bench_channel(env, world, number, "warm-up" if key == "warmup" else f"{key} worker(s)")
        for key, number in numbers.items()
    }
    env.cr.execute("SELECT count(*) FROM oms_channel_order WHERE state = 'new'")
    leftover = env.cr.fetchone()[0]
    load_before = os.getloadavg()[0]
    round_size = min(args.drain_round, args.drain_orders)
    seconds = {1: [], 2: []}
    reports = {1: [], 2: []}
    machine = {1: 0.0, 2: 0.0}  # CPU seconds the whole machine was busy during each path's drains
    problems = []
    started = time.perf_counter()
    with intake_drain.DrainWorkers(args.config, args.database, 2) as workers:
        print(f"intake drain: 2 import worker processes ready in {time.perf_counter() - started:.1f} s (untimed)")
        # Warm-up (untimed): each worker imports a few orders first (the first also what earlier runs left staged).
        warmup = generate(random.Random(SEED + 1), 2 * DRAIN_WARMUP, args.lines)[2]
        for worker in (0, 1):
            part = warmup[worker * DRAIN_WARMUP : (worker + 1) * DRAIN_WARMUP]
            problems += stage(env, channels["warmup"], part, numbers["warmup"], make_order)
            outcome = workers.drain([worker], None, args.drain_time_limit)[1]
            if outcome[worker]["error"]:
                problems.append(f"drain: worker {worker + 1} (warm-up): {outcome[worker]['error']}")
        with intake_drain.LockSampler(registry) as sampler:
            for number, start in enumerate(range(0, len(orders), round_size)):
                chunk = orders[start : start + round_size]
                for count in (1, 2) if number % 2 == 0 else (2, 1):
                    problems += stage(env, channels[count], chunk, numbers[count], make_order)
                    elapsed, outcome, busy = workers.drain(list(range(count)), None, args.drain_time_limit, sampler)
                    seconds[count].append(elapsed)
                    reports[count].append(outcome)
                    machine[count] += busy
                    for worker, report in outcome.items():
                        if report["error"]:
                            problems.append(f"drain: worker {worker + 1}: {report['error']}")
    env.cr.rollback()  # a new snapshot: what the workers committed
    env.invalidate_all()
    refs = {channels[count]: {external_ref(order, numbers[count]) for order in orders} for count in (1, 2)}
    check_problems, checked = intake_drain.check_drained(env, refs)
    problems += [f"drain: {problem}" for problem in check_problems]
    report_drain(args, seconds, reports, round_size, sampler, leftover)
    report_cpu(args, seconds, reports, machine, (load_before, os.getloadavg()[0]))
    report_duplicates(env, orders, numbers)
    if not problems:
        print(
            f"intake drain: checked: {checked:,} orders imported exactly once (one confirmed sale order per"
            " reference), every staging record imported, none left to import"
        )
    ratio = args.drain_orders / sum(seconds[2]) / (args.drain_orders / sum(seconds[1]))
    if ratio < args.min_drain_ratio:
        problems.append(f"drain: ratio {ratio:.2f} below --min-drain-ratio {args.min_drain_ratio}")
    return problems


def report_drain(args, seconds, reports, round_size, sampler, leftover):
    one_rate = args.drain_orders / sum(seconds[1])
    two_rate = args.drain_orders / sum(seconds[2])
    ratio = two_rate / one_rate
    round_ratios = [one / two for one, two in zip(seconds[1], seconds[2], strict=True)]
    print(
        f"intake drain: 2 workers {two_rate:.1f} orders/s vs 1 worker {one_rate:.1f} orders/s (ratio {ratio:.2f},"
        f" goal >= 1.4) on {args.drain_orders:,} staged orders x {args.lines} lines per path"
    )
    per_worker = [sum(outcome[worker]["orders"] for outcome in reports[2]) for worker in (0, 1)]
    batches = [sum(outcome[worker]["batches"] for outcome in reports[2]) for worker in (0, 1)]
    print(
        f"intake drain: {sum(seconds[2]):.1f} s vs {sum(seconds[1]):.1f} s in {len(round_ratios)} rounds of"
        f" {round_size} orders taken in turns; ratio per round: median {statistics.median(round_ratios):.2f},"
        f" {min(round_ratios):.2f} to {max(round_ratios):.2f}; the two workers imported {per_worker[0]:,} and"
        f" {per_worker[1]:,} orders ({batches[0]} and {batches[1]} batches)"
    )

    def workers_reports(count):
        return [report for outcome in reports[count] for report in outcome.values()]

    def queries(count):
        return sum(report["queries"] for report in workers_reports(count)) / args.drain_orders

    retries = {}
    warnings = []
    for count in (1, 2):
        for report in workers_reports(count):
            for name, times in report["retries"].items():
                retries[name] = retries.get(name, 0) + times
            warnings += report["first_warnings"][: report["warnings"]]
    retried = ", ".join(f"{times} {name}" for name, times in retries.items()) or "none"
    print(
        f"intake drain: {queries(2):.1f} SQL queries/order with 2 workers vs {queries(1):.1f} with 1;"
        f" concurrency errors retried: {retried}; {sampler.summary()}"
    )
    warning_count = sum(report["warnings"] for count in (1, 2) for report in workers_reports(count))
    if warning_count or leftover:
        print(
            f"intake drain: {warning_count} warnings or errors logged by the workers"
            + (f" (first: {warnings[0]})" if warnings else "")
            + (f"; {leftover} orders left staged by earlier runs imported first, untimed" if leftover else "")
        )


def report_cpu(args, seconds, reports, machine, loads):
    """CPU per order of the workers and of their PostgreSQL backends, and the cores they kept busy: two workers can
    only gain what the machine's two cores, shared with PostgreSQL and other processes, leave them."""
    parts = []
    for count in (1, 2):
        outcomes = [report for outcome in reports[count] for report in outcome.values()]
        odoo_cpu = sum(report["cpu"] for report in outcomes)
        backend = [report["backend_cpu"] for report in outcomes]
        pg_cpu = sum(backend) if None not in backend else float("nan")
        elapsed = sum(seconds[count])
        ours = (odoo_cpu + pg_cpu) / elapsed
        parts.append(
            f"{count} worker{'s' if count > 1 else ''} {1000 * odoo_cpu / args.drain_orders:.0f} ms Odoo +"
            f" {1000 * pg_cpu / args.drain_orders:.0f} ms PostgreSQL, {ours:.2f} cores busy with them and"
            f" {max(machine[count] / elapsed - ours, 0):.2f} with other processes"
        )
    print(
        f"intake drain: CPU per order: {'; '.join(parts)}; load average {loads[0]:.1f} before, {loads[1]:.1f} after"
        f" on {os.cpu_count()} cores"
    )


def report_duplicates(env, orders, numbers):
    """New customers created more than once, per path: two workers importing orders of the same new customer at
    the same time each create it (neither sees the other's uncommitted customer)."""
    found = {}
    for count in (1, 2):
        emails = {
            customer_identity(order["customer"], numbers[count])["email"]
            for order in orders
            if not order["customer"]["known"]
        }
        found[count] = (len(intake_drain.duplicate_customers(env, emails)), len(emails))
    if found[1][0] or found[2][0]:
        print(
            f"intake drain: FOUND: new customers created more than once: {found[2][0]} of {found[2][1]} with 2"
            f" workers, {found[1][0]} of {found[1][1]} with 1 worker (each worker creates the customer of an order"
            " it imports when it cannot see one committed: two batches imported at once with the same new customer"
            " make two)"
        )
    else:
        print(f"intake drain: each of the {found[1][1] + found[2][1]} new customers created once")


# ---------------------------------------------------------------------------------------------------- webhook


def run_webhook(args, env, world, run, make_order):
    """The webhook part: answer times over HTTP, in turns with version_info and plain Odoo's JSON-RPC create;
    prints its lines, returns problems."""
    number = run + 4
    secret = secrets.token_hex(16)
    channel = bench_channel(env, world, number, "webhook", secret=secret)
    orders = generate(random.Random(SEED), args.webhook_orders, args.lines)[2]
    bodies = [json.dumps(channel_payload(order, number, make_order)).encode() for order in orders]
    signatures = ["sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest() for body in bodies]
    refs = [external_ref(order, number) for order in orders]
    if len(set(bodies)) != len(bodies):
        return ["webhook: the generated bodies are not all distinct"]
    problems = []
    with intake_webhook.OdooServer(args.config, args.database) as server:
        session = intake_webhook.http_session()
        started = time.perf_counter()
        server.wait_ready(session)
        print(
            f"intake webhook: Odoo HTTP server (threaded, no cron thread) on {server.url} ready in"
            f" {time.perf_counter() - started:.1f} s (untimed)"
        )
        uid = intake_webhook.login(session, server.url, args.database, "admin", "admin")
        plain_calls = None
        if uid:
            plain_calls = [
                {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [args.database, uid, "admin", "sale.order", "create", [plain_vals(order, world, number)]],
                }
                for order in orders
            ]
        times, answers, problems = intake_webhook.measure(
            server, session, channel.id, bodies, signatures, plain_calls, args.webhook_time_limit
        )
        session.close()
    log_problems = intake_webhook.server_log_problems(server.log_lines())
    problems += intake_webhook.answer_problems(answers, refs)
    env.cr.rollback()  # a new snapshot: what the server committed
    env.invalidate_all()
    problems += check_webhook(env, channel, refs, bodies[: len(times["webhook"])])
    median, p95 = intake_webhook.percentiles(times["webhook"])
    version_median, version_p95 = intake_webhook.percentiles(times["version_info"])
    print(
        f"intake webhook: answered in median {median:.1f} ms, p95 {p95:.1f} ms on {len(times['webhook']):,} signed"
        f" bodies over HTTP, one at a time (stored and committed, imported later); Odoo's own"
        f" /web/webclient/version_info on the same server: median {version_median:.1f} ms, p95 {version_p95:.1f} ms"
        " (the server's floor, not the same job: no ratio)"
    )
    if plain_calls:
        plain_median, plain_p95 = intake_webhook.percentiles(times["plain"])
        print(
            f"intake webhook: vs plain Odoo creating the same order as a quotation over JSON-RPC (sale.order create,"
            f" {args.lines} lines): median {plain_median:.1f} ms, p95 {plain_p95:.1f} ms (ratio of medians"
            f" {plain_median / median:.2f}, plain / webhook) in turns with the webhook"
        )
    else:
        print("intake webhook: plain Odoo's JSON-RPC create skipped: admin/admin cannot log in on this database")
    if log_problems:
        problems.append(
            f"webhook: {len(log_problems)} errors or warnings in the server log {server.log.name}, first:"
            f" {log_problems[0]}"
        )
    else:
        server.remove_log()
    if not problems:
        print(
            f"intake webhook: checked: {len(refs):,} bodies answered 200 and staged once each ({len(refs):,} distinct"
            " references, each body stored as sent, all To Import), none imported yet (no cron worker); server log"
            " clean; they stay staged for the import scheduled actions"
        )
    return problems


def plain_vals(order, world, number):
    return {
        "partner_id": world["plain_partner"][order["customer"]["index"]],
        "pricelist_id": world["pricelists"][order["currency"]].id,
        "warehouse_id": world["warehouse"].id,
        "client_order_ref": f"B{number}-W{order['index']:06d}",
        "date_order": order["date"].strftime("%Y-%m-%d %H:%M:%S"),
        "order_line": [
            (
                0,
                0,
                {
                    "product_id": world["product_ids"][product["sku"]],
                    "product_uom_qty": quantity,
                    "price_unit": price,
                    "discount": 0.0,
                },
            )
            for product, quantity, price in order["lines"]
        ],
    }


def check_webhook(env, channel, refs, bodies):
    """One staging record per body sent, with its reference, the body as sent, To Import, received once."""
    staged = env["oms.channel.order"].search([("channel_id", "=", channel.id)])
    by_ref = {record.external_ref: record for record in staged}
    problems = []
    sent = dict(zip(refs, bodies, strict=False))
    if len(staged) != len(sent) or set(by_ref) != set(sent):
        problems.append(f"webhook: {len(staged)} staging records ({len(by_ref)} references) for {len(sent)} bodies")
    wrong = [
        ref
        for ref, body in sent.items()
        if ref in by_ref
        and (
            by_ref[ref].payload != body.decode()
            or by_ref[ref].source != "webhook"
            or by_ref[ref].receive_count != 1
            or by_ref[ref].state not in ("new", "imported")
        )
    ]
    if wrong:
        record = by_ref[wrong[0]]
        problems.append(
            f"webhook: {len(wrong)} staging records differ from the body sent (e.g. {wrong[0]}: state {record.state},"
            f" received {record.receive_count}, {record.error_message or ''})"
        )
    imported = staged.filtered(lambda record: record.state != "new")
    if imported:
        print(f"intake webhook: {len(imported)} staged orders already imported (a cron worker ran on this database)")
    return problems


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"], setup_logging=True)

    LocalMarketplace, make_order = import_local_marketplace()

    rng = random.Random(SEED)
    products, customers, orders = generate(rng, args.warmup + args.orders, args.lines)
    registry = odoo.modules.registry.Registry(args.database)
    timed_market = TimedMarketplace(LocalMarketplace, api_key="bench-key")
    problems = []
    started = time.perf_counter()
    with timed_market.market as market, registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run = next_run_number(env)
        world = prepare_database(env, products, customers, run, market.url, market.api_key)
        if "pull" in args.parts:
            problems += run_pull(args, env, world, run, (customers, orders), (timed_market, market), make_order)
        if "drain" in args.parts:
            problems += run_drain(args, env, registry, world, run, make_order)
        if "webhook" in args.parts:
            problems += run_webhook(args, env, world, run, make_order)
    print(f"intake: {', '.join(args.parts)} done in {time.perf_counter() - started:.0f} s")
    for problem in problems:
        print(f"intake: FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
