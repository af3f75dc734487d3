"""The intake benchmark's platform orders: each platform's client pulls them from its stand-in, its mapper maps
them, they parse, and their parts add up to the platform's grand total to the cent; every order carries its bench
customer, its bench products and its own id (plain pytest: ``OMS_TEST_DB=oms_test bash scripts/dev.sh pytest -q
bench/test_platform_orders.py``)."""

import random

import pytest
from support.intake import data
from support.intake.platform_orders import PLATFORMS, Buyer, PlatformOrders
from support.intake.platform_stand_ins import credentials, serve, stand_in

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.matching import normalize_phone
from odoo.addons.oms_channels.services.platforms.staged import channel_order_of, platform_client
from odoo.addons.oms_channels.services.platforms.totals import totals_difference

ORDERS = 24
RUN = 7


@pytest.fixture(scope="module")
def bench_data():
    products, customers, orders = data.generate(random.Random(data.SEED), ORDERS, 3)
    return products, customers, orders


@pytest.mark.parametrize("platform", PLATFORMS)
def test_platform_orders_pulled_map_with_their_grand_total(platform, bench_data):
    products, _customers, orders = bench_data
    generator = PlatformOrders(platform, RUN)
    served = [generator.served(order, products) for order in orders]
    with stand_in(platform) as shop:
        generator.serve_shared(shop)
        serve(platform, shop, served)
        client = platform_client(platform, credentials(platform, shop), max_retries=1)
        pulled = [channel_order_of(platform, payload) for payload in client.fetch_orders(None)]
    by_id = {order["external_id"]: order for order in pulled}
    assert sorted(by_id) == sorted(generator.external_id(order) for order in orders)
    skus = {product["sku"] for product in products}
    for order, served_order in zip(orders, served, strict=True):
        mapped = by_id[generator.external_id(order)]
        assert mapped == generator.channel_order(served_order)
        parsed = parse_channel_order(mapped)
        assert totals_difference(parsed) is None, (platform, mapped["external_id"])
        assert parsed.grand_total > 0 and parsed.status == "open"
        assert parsed.order_date.replace(tzinfo=None) == order["date"]
        buyer = Buyer.of(order["customer"], RUN)
        assert parsed.customer.email == buyer.email
        assert normalize_phone(parsed.customer.phone) == normalize_phone(buyer.phone)
        assert (parsed.customer.vat or parsed.billing_address.vat) == buyer.vat
        assert (parsed.billing_address.city, parsed.billing_address.country_code) == (buyer.city, buyer.country)
        assert {line.sku for line in parsed.lines} <= skus
        assert len({line.sku for line in parsed.lines}) == len(parsed.lines)


def test_orders_dates_increase_and_templates_all_used(bench_data):
    products, _customers, orders = bench_data
    for platform in PLATFORMS:
        generator = PlatformOrders(platform, RUN)
        mapped = [generator.channel_order(generator.served(order, products)) for order in orders]
        dates = [parse_channel_order(order).order_date for order in mapped]
        assert dates == sorted(dates)
        assert len({order["grand_total"] for order in mapped}) == len(generator.templates)
