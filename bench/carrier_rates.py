"""Carrier rates benchmark: rate shopping over Sendcloud, DHL Express and Correos for ``--deliveries`` ready
deliveries (default 1,000) of 1 to 3 packages, against the carriers' local stand-ins (real HTTP and SOAP servers on
127.0.0.1, started by the benchmark in the same process).

The deliveries go to 12 Spanish customers in turn, their packages weigh one of a few weights each (Box S or M):
parcel sets and routes repeat, as in a real release. The OMS shops the rates of every delivery at once
(``action_oms_shop_rates``: each carrier asked once per parcel set and route within the run, the choice and the
quotes kept). Plain Odoo in the same run asks each of the three carriers for each delivery's rate through Odoo's own
API (``rate_shipment`` of the delivery's sale order, as *Add shipping* does), with nothing cached and nothing kept.

Printed: time and carrier calls per delivery for both, and the ratio (plain time / OMS time). The stand-ins answer
at once: the time is Odoo's and the clients', not a network's.

    .venv/bin/python bench/carrier_rates.py --config .local/odoo-bench.conf --database oms_bench [--deliveries 1000]

(``scripts/bench.sh carrier_rates`` makes the database and runs it.) Data are generated with a fixed seed.
"""

import argparse
import random
import sys
import time
from contextlib import ExitStack

SEED = 17
CUSTOMERS = 12
WEIGHTS = (0.8, 1.6, 2.4, 4.0)
POSTCODES = ("28001", "28013", "08001", "08019", "46001", "41004", "48001", "50001", "29001", "15001")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--deliveries", type=int, default=1000, help="ready deliveries to shop rates for")
    args = parser.parse_args(argv)
    if args.deliveries < 1:
        parser.error("--deliveries must be positive")
    return args


def carriers(env, company, servers):
    """The three carriers, pointing at their stand-ins (``servers``: sendcloud, dhl, correos)."""
    sendcloud, dhl, correos = servers
    box = env["stock.package.type"].create(
        {"name": "Bench box", "packaging_length": 300, "width": 200, "height": 150, "max_weight": 10}
    )
    product = env["product.product"].create({"name": "Bench shipping", "type": "service", "company_id": company.id})
    common = {"product_id": product.id, "oms_timeout": 5.0, "oms_default_package_type_id": box.id}
    correos_credentials = correos.credentials()
    return env["delivery.carrier"].create(
        [
            {
                **common,
                "name": "Bench Sendcloud",
                "delivery_type": "oms_sendcloud",
                "oms_api_key": sendcloud.public_key,
                "oms_api_secret": sendcloud.secret_key,
                "oms_service_url": sendcloud.url,
            },
            {
                **common,
                "name": "Bench DHL Express",
                "delivery_type": "oms_dhl_express",
                "oms_api_key": dhl.api_key,
                "oms_api_secret": dhl.api_secret,
                "oms_account": dhl.account,
                "oms_service_url": dhl.url,
            },
            {
                **common,
                "name": "Bench Correos",
                "delivery_type": "oms_correos",
                "oms_account": correos_credentials["user"],
                "oms_api_secret": correos_credentials["password"],
                "oms_labeller_code": correos_credentials["labeller_code"],
                "oms_wsdl_url": correos_credentials["wsdl_url"],
                "oms_service_url": correos_credentials["service_url"],
                "oms_locator_url": correos_credentials["tracking_url"],
            },
        ]
    ), box


def prepare(env, rng, count, servers):
    """The main company's first warehouse in Madrid, a stocked product, the three carriers (the only ones shopping
    rates in the company) and ``count`` ready deliveries of 1 to 3 packages."""
    company = env.company
    es = env.ref("base.es")
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    warehouse.partner_id.write(
        {"street": "Calle de Eduardo Barreiros 110", "zip": "28041", "city": "Madrid", "country_id": es.id}
    )
    warehouse.partner_id.phone = "+34 915 550 110"
    # Only the three carriers shop rates (the run is rolled back at the end).
    env["delivery.carrier"].search([("company_id", "in", [company.id, False])]).oms_rate_shopping = False
    shippers, box = carriers(env, company, servers)
    product = env["product.product"].create(
        {"name": "Bench parcel", "is_storable": True, "weight": 0.8, "list_price": 25.0, "company_id": company.id}
    )
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, count * 4)
    customers = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {index}",
                "street": f"Calle Mayor {index}",
                "city": "Ciudad",
                "zip": POSTCODES[index % len(POSTCODES)],
                "country_id": es.id,
                "phone": "+34 600 000 000",
            }
            for index in range(CUSTOMERS)
        ]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customers[index % CUSTOMERS].id,
                "company_id": company.id,
                "warehouse_id": warehouse.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": rng.randint(1, 3)})],
            }
            for index in range(count)
        ]
    )
    orders.action_confirm()
    pickings = orders.picking_ids
    pickings.action_assign()
    _pack(env, rng, pickings, box)
    return env, shippers, pickings


def _pack(env, rng, pickings, box):
    """One package per unit, of one of a few weights."""
    for picking in pickings:
        line = picking.move_line_ids
        units = int(line.quantity)
        packages = env["stock.quant.package"].create(
            [{"package_type_id": box.id, "shipping_weight": rng.choice(WEIGHTS)} for _ in range(units)]
        )
        line.write({"quantity": 1, "result_package_id": packages[0].id})
        for package in packages[1:]:
            line.copy({"quantity": 1, "result_package_id": package.id, "move_id": line.move_id.id})
    env.flush_all()


def calls(servers):
    """Rate calls the stand-ins answered so far."""
    sendcloud, dhl, correos = servers
    return (
        len(sendcloud.calls("POST", "/shipping-options"))
        + len(dhl.calls("POST", "/rates"))
        + sum(1 for name, _element in correos.received if name == "CalculaTarifa")
    )


def measure(env, servers, work):
    before = calls(servers)
    started = time.perf_counter()
    result = work()
    env.flush_all()
    return time.perf_counter() - started, calls(servers) - before, result


def plain_odoo(shippers, pickings):
    """Odoo's own way: each carrier's rate_shipment for each delivery's sale order."""
    prices = 0
    for picking in pickings:
        for carrier in shippers:
            if carrier.rate_shipment(picking.sale_id).get("success"):
                prices += 1
    return prices


def main(argv):
    args = parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    # Importable once the registry has set the addons path up.
    from odoo.addons.oms_fulfillment.stand_ins.correos import LocalCorreos  # noqa: PLC0415
    from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress  # noqa: PLC0415
    from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud  # noqa: PLC0415

    rng = random.Random(SEED)
    with ExitStack() as stack, registry.cursor() as cr:
        servers = tuple(stack.enter_context(server()) for server in (LocalSendcloud, LocalDhlExpress, LocalCorreos))
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        env, shippers, pickings = prepare(env, rng, args.deliveries, servers)
        parcels = len(pickings.move_line_ids.result_package_id)
        print(
            f"carrier_rates: {len(pickings):,} ready deliveries of {parcels:,} parcels made in "
            f"{time.perf_counter() - started:.0f} s (untimed)"
        )
        oms_time, oms_calls, _choices = measure(env, servers, pickings.action_oms_shop_rates)
        quotes = pickings.oms_carrier_quote_ids.filtered(lambda quote: quote.carrier_id in shippers)
        failed = quotes.filtered("failed")
        plain_time, plain_calls, plain_prices = measure(env, servers, lambda: plain_odoo(shippers, pickings))
        count = len(pickings)
        print(
            f"carrier_rates: OMS rate shopping {oms_time / count * 1000:.1f} ms per delivery, "
            f"{oms_calls / count:.2f} carrier calls per delivery ({oms_calls:,} in all) vs plain Odoo rate_shipment "
            f"{plain_time / count * 1000:.1f} ms per delivery, {plain_calls / count:.2f} carrier calls per delivery "
            f"(ratio {plain_time / oms_time:.2f}) on {count:,} deliveries of 1 to 3 parcels x 3 carriers"
        )
        print(
            f"carrier_rates: checked: {len(quotes):,} quotes kept ({len(failed):,} failed), "
            f"{len(pickings.filtered('carrier_id')):,} deliveries given a carrier; plain Odoo priced {plain_prices:,}"
        )
        cr.rollback()
        if len(quotes) != 3 * count or failed:
            print(f"carrier_rates: FAILED: {sorted(set(failed.mapped('error_message')))[:3]}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
