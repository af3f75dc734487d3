"""The WooCommerce client against the local WooCommerce shop (plain pytest, no database): the pull over pages with
its refunds, throttling and server errors survived, refusals that say which setting to fix, webhooks, and the
push-backs the shop records."""

import base64
import hashlib
import hmac
import json
from datetime import datetime
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.errors import ConnectorConfigurationError, ConnectorError
from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms import woocommerce
from odoo.addons.oms_channels.services.platforms.client import (
    RefundLine,
    RefundRequest,
    Shipment,
    ShipmentLine,
    StockLevel,
)
from odoo.addons.oms_channels.services.platforms.woocommerce_client import WooCommerceClient
from odoo.addons.oms_channels.stand_ins.woocommerce import LocalWooCommerce

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "woocommerce"
KEY, SECRET = "ck_3f9a1c77d2e84b5aa01f6c2d", "cs_8e2b44d90c1f4a7b9c3e55aa"
SEUR_URL = "https://www.seur.com/livetracking/?segOnlineIdentificador=1Z999AA10123456784"


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def shop():
    with LocalWooCommerce(consumer_key=KEY, consumer_secret=SECRET) as stand_in:
        stand_in.add_orders(sorted((load(path.name) for path in FIXTURES.glob("order_*.json")), key=lambda o: o["id"]))
        stand_in.add_refund(5098, load("refund_5120_of_order_5098.json"))
        yield stand_in


def connect(shop, key=KEY, secret=SECRET, **options) -> WooCommerceClient:
    credentials = {"site_url": shop.url, "consumer_key": key, "consumer_secret": secret}
    return WooCommerceClient.from_credentials(credentials, **{"sleep": lambda seconds: None, "timeout": 5, **options})


def order_calls(shop) -> list:
    return [request for request in shop.requests if request.path == "/wp-json/wc/v3/orders"]


def assert_no_credentials(message: str):
    assert KEY not in message and SECRET not in message and "127.0.0.1" not in message, message


# --- pull -----------------------------------------------------------------------------------------------------------


def test_pull_over_pages_gives_only_newer_orders_oldest_first_with_their_refunds(shop):
    shop.add_order(
        {**load("order_5101_es_tax_included_coupon.json"), "id": 4000, "date_modified_gmt": "2026-11-19T08:00:00"}
    )
    orders = list(connect(shop, per_page=2).fetch_orders(datetime(2026, 11, 20)))
    assert [order["id"] for order in orders] == [5101, 5102, 5098, 5103]
    first = order_calls(shop)[0].query
    assert first["modified_after"] == "2026-11-20T00:00:00" and first["dates_are_gmt"] == "true"
    assert (first["orderby"], first["order"], first["status"], first["per_page"]) == ("modified", "asc", "any", "2")
    assert len(order_calls(shop)) >= 2
    refund_calls = [request.path for request in shop.requests if request.path.endswith("/refunds")]
    assert refund_calls == ["/wp-json/wc/v3/orders/5098/refunds"], "one call per refunded order only"

    mapped = {order["id"]: woocommerce.map_staged(order) for order in orders}
    for channel_order in mapped.values():
        parse_channel_order(channel_order)
    assert mapped[5098]["refunds"] == [
        {
            "external_id": "5120",
            "amount": 51.73,
            "date": "2026-11-20T15:40:04Z",
            "lines": [{"external_line_id": "6981", "quantity": 1, "amount": 51.73}],
            "shipping_amount": 0.0,
        }
    ]
    assert mapped[5103]["status"] == "cancelled"

    everything = [order["id"] for order in connect(shop, per_page=2).fetch_orders(None)]
    assert everything == [4000, 5101, 5102, 5098, 5103]


def test_an_order_modified_during_the_pull_skips_no_other(shop):
    pull = connect(shop, per_page=2).fetch_orders(datetime(2026, 11, 20))
    first_page = [next(pull)["id"], next(pull)["id"]]
    with shop.lock:  # 5101 changes while page 1 is being staged: page numbers would now skip 5098
        next(order for order in shop.orders if order["id"] == 5101)["date_modified_gmt"] = "2026-11-24T10:00:00"
    assert first_page + [order["id"] for order in pull] == [5101, 5102, 5098, 5103, 5101]


def test_orders_modified_in_the_same_second_are_all_pulled_once(shop):
    same_second = load("order_5102_pt_line_discount_fee.json")
    shop.add_orders([{**same_second, "id": 6000 + n, "date_modified_gmt": "2026-11-25T12:00:00"} for n in range(5)])
    orders = [order["id"] for order in connect(shop, per_page=2).fetch_orders(datetime(2026, 11, 23))]
    assert orders == [5103, 6000, 6001, 6002, 6003, 6004]


def test_throttled_pull_waits_what_the_shop_asks_and_loses_nothing(shop):
    waits = []
    shop.throttle_next(1, retry_after=12)
    shop.throttle_next(1, retry_after=3, html=True)
    orders = list(connect(shop, per_page=2, sleep=waits.append).fetch_orders(datetime(2026, 11, 20)))
    assert waits == [12, 3]
    assert [order["id"] for order in orders] == [5101, 5102, 5098, 5103]


def test_server_error_then_success_loses_nothing(shop):
    shop.fail_next(1)
    orders = list(connect(shop, per_page=2).fetch_orders(datetime(2026, 11, 20)))
    assert [order["id"] for order in orders] == [5101, 5102, 5098, 5103]


def test_a_page_failing_for_good_stops_the_pull_with_a_transient_error(shop):
    pull = connect(shop, per_page=2, max_retries=3).fetch_orders(datetime(2026, 11, 20))
    assert [next(pull)["id"], next(pull)["id"]] == [5101, 5102]
    shop.fail_next(10)
    with pytest.raises(ConnectorError) as failure:
        next(pull)
    assert failure.value.transient and not isinstance(failure.value, ConnectorConfigurationError)
    assert "answered 500 after 3 attempts" in str(failure.value)
    assert_no_credentials(str(failure.value))


# --- connection and refusals -----------------------------------------------------------------------------------------


def test_connection_says_what_works(shop):
    assert (
        connect(shop).test_connection() == "Connected to WooCommerce: the consumer key can read orders (4 in the shop)"
    )


def test_wrong_secret_or_unknown_key_names_which_one(shop):
    with pytest.raises(ConnectorConfigurationError) as wrong_secret:
        connect(shop, secret="cs_0000wrong0000secret").test_connection()
    assert "Consumer secret is invalid" in str(wrong_secret.value) and "check the consumer secret" in str(
        wrong_secret.value
    )
    with pytest.raises(ConnectorConfigurationError) as unknown_key:
        connect(shop, key="ck_0000unknown0000key").test_connection()
    assert "check the consumer key" in str(unknown_key.value) and "Read" in str(unknown_key.value)
    for message in (str(wrong_secret.value), str(unknown_key.value)):
        assert_no_credentials(message)
        assert "cs_0000wrong0000secret" not in message and "ck_0000unknown0000key" not in message


def test_read_only_key_on_a_push_names_the_permission():
    with LocalWooCommerce(consumer_key=KEY, consumer_secret=SECRET, read_only=True) as shop:
        shop.add_order(load("order_5101_es_tax_included_coupon.json"))
        shipment = Shipment(order_external_id="5101", tracking_number="1Z999", carrier="SEUR", lines=(), complete=False)
        with pytest.raises(ConnectorConfigurationError) as refused:
            connect(shop).push_shipment(shipment)
    assert "read-only" in str(refused.value) and "Read/Write" in str(refused.value)
    assert_no_credentials(str(refused.value))
    assert shop.notes == []


def test_html_pages_are_clear_errors(shop):
    shop.serve_html_next(1)  # maintenance: 503, come back in 600 s
    with pytest.raises(ConnectorError) as maintenance:
        connect(shop).test_connection()
    assert "HTML page" in str(maintenance.value) and "maintenance" in str(maintenance.value)
    assert maintenance.value.transient
    shop.serve_html_next(1, page="login")
    with pytest.raises(ConnectorError, match="HTML page instead of data .*check the shop URL"):
        connect(shop).test_connection()
    wrong_site = {"site_url": f"{shop.url}/tienda", "consumer_key": KEY, "consumer_secret": SECRET}
    with pytest.raises(ConnectorConfigurationError) as not_wordpress:
        WooCommerceClient.from_credentials(wrong_site).test_connection()
    assert "answered 404" in str(not_wordpress.value) and "check the site URL" in str(not_wordpress.value)
    shop.woocommerce_active = False
    with pytest.raises(ConnectorConfigurationError) as no_woocommerce:
        connect(shop).test_connection()
    assert "rest_no_route" not in str(no_woocommerce.value)  # the platform's words, not its codes
    assert "check the site URL" in str(no_woocommerce.value) and "WooCommerce is active" in str(no_woocommerce.value)
    assert "Permalinks" in str(no_woocommerce.value)
    for error in (maintenance, not_wordpress, no_woocommerce):
        assert_no_credentials(str(error.value))


def test_settings_that_cannot_work_are_refused_before_any_call():
    remote_http = {"site_url": "http://tienda.example.es", "consumer_key": KEY, "consumer_secret": SECRET}
    with pytest.raises(ConnectorConfigurationError, match="https://"):
        WooCommerceClient.from_credentials(remote_http)
    with pytest.raises(ConnectorConfigurationError, match="consumer secret missing"):
        WooCommerceClient.from_credentials({"site_url": "https://tienda.example.es", "consumer_key": KEY})
    pasted_api_url = {**remote_http, "site_url": "https://tienda.example.es/wp-json/wc/v3/"}
    assert WooCommerceClient.from_credentials(pasted_api_url).http.base_url == "https://tienda.example.es/wp-json/wc/v3"


# --- webhooks --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("webhook_order_created_5101", "create"),
        ("webhook_order_updated_5098_refunded", "update"),
        ("webhook_order_updated_5103_cancelled", "update"),
        ("webhook_order_deleted_5103", "cancel"),
    ],
)
def test_webhook_signature_and_topic(name, topic):
    signed = load(f"{name}.headers.json")
    body = (FIXTURES / f"{name}.body.json").read_bytes()
    headers = signed["headers"]
    assert woocommerce.verify_webhook(signed["secret"], body, headers)
    lower_case = {key.lower(): value for key, value in headers.items()}
    assert woocommerce.verify_webhook(signed["secret"], body, lower_case)
    assert not woocommerce.verify_webhook(
        signed["secret"], body, {**headers, "X-WC-Webhook-Signature": signed["bad_signature"]}
    )
    assert not woocommerce.verify_webhook("another-secret", body, headers)
    assert not woocommerce.verify_webhook(signed["secret"], body + b" ", headers)
    unsigned = {key: value for key, value in headers.items() if key != "X-WC-Webhook-Signature"}
    assert not woocommerce.verify_webhook(signed["secret"], body, unsigned)
    assert not woocommerce.verify_webhook("", body, headers)
    assert woocommerce.webhook_topic(headers) == topic
    assert not woocommerce.is_ping(body, headers)
    if topic == "cancel":
        assert woocommerce.deleted_order_id(body) == "5103"
        with pytest.raises(ChannelOrderError, match="moved to the trash"):
            woocommerce.map_staged(json.loads(body))  # staged by mistake, it says what it is
    else:
        order = json.loads(body)
        assert parse_channel_order(woocommerce.map_staged(order)).external_id == str(order["id"])


def test_webhook_secret_is_read_as_wordpress_decodes_it():
    body = b'{"id":5101}'
    signature = base64.b64encode(hmac.new(b"a&b<c", body, hashlib.sha256).digest()).decode()
    headers = {"X-WC-Webhook-Signature": signature}
    assert woocommerce.verify_webhook("a&amp;b&lt;c", body, headers) and woocommerce.verify_webhook(
        "a&b<c", body, headers
    )


def test_other_topics_and_the_ping():
    assert woocommerce.webhook_topic({"X-WC-Webhook-Topic": "order.restored"}) == "update"
    assert woocommerce.webhook_topic({"X-WC-Webhook-Topic": "product.updated"}) is None
    assert woocommerce.webhook_topic({}) is None
    ping = (FIXTURES / "webhook_ping.body.txt").read_bytes()
    assert woocommerce.is_ping(ping, {"Content-Type": "application/x-www-form-urlencoded"})
    assert not woocommerce.is_ping(b"webhook_id=21&order=5101", {})
    assert woocommerce.deleted_order_id(b"webhook_id=21") is None


# --- push-backs ------------------------------------------------------------------------------------------------------

CATALOGUE = [
    {"id": 812, "sku": "OMS-KET-01"},
    {"id": 820, "sku": "OMS-MUG", "type": "variable"},
    {"id": 823, "sku": "OMS-MUG-BLU", "type": "variation", "parent_id": 820},
    {"id": 824, "sku": "OMS-MUG-GRN", "type": "variation", "parent_id": 820},
    {"id": 840, "sku": "OMS-MOKA-06"},
]


def test_stock_reaches_products_and_variations_in_batches_and_names_what_is_missing(shop):
    shop.add_products(CATALOGUE)
    levels = [
        StockLevel(sku="OMS-KET-01", quantity=37.0),
        StockLevel(sku="OMS-MUG-BLU", channel_product_id="823", quantity=0.0),
        StockLevel(sku="OMS-MUG-GRN", quantity=5.6),  # whole units only, rounded down
        StockLevel(channel_product_id="840", quantity=12.0),  # a binding without SKU
        StockLevel(sku="OMS-GONE", quantity=4.0),
    ]
    with pytest.raises(ConnectorConfigurationError) as missing:
        connect(shop).push_stock(levels)
    assert "SKU OMS-GONE: not found in the shop" in str(missing.value) and "(4 set)" in str(missing.value)
    assert_no_credentials(str(missing.value))
    assert sorted(shop.stock_updates, key=lambda update: (update["product_id"], update["variation_id"] or 0)) == [
        {"product_id": 812, "variation_id": None, "body": {"manage_stock": True, "stock_quantity": 37}},
        {"product_id": 820, "variation_id": 823, "body": {"manage_stock": True, "stock_quantity": 0}},
        {"product_id": 820, "variation_id": 824, "body": {"manage_stock": True, "stock_quantity": 5}},
        {"product_id": 840, "variation_id": None, "body": {"manage_stock": True, "stock_quantity": 12}},
    ]
    calls = [(request.method, request.path) for request in shop.requests]
    assert calls == [
        ("GET", "/wp-json/wc/v3/products"),  # every SKU at once, variations included
        ("GET", "/wp-json/wc/v3/products"),  # the ids without a SKU found
        ("POST", "/wp-json/wc/v3/products/batch"),
        ("POST", "/wp-json/wc/v3/products/820/variations/batch"),
    ]
    assert shop.requests[0].query["sku"] == "OMS-KET-01,OMS-MUG-BLU,OMS-MUG-GRN,OMS-GONE"


def test_stock_of_a_variation_known_by_its_id_only_finds_its_parent(shop):
    shop.add_products(CATALOGUE)
    assert connect(shop).push_stock([StockLevel(channel_product_id="824", quantity=3)]) == 1
    assert shop.stock_updates == [
        {"product_id": 820, "variation_id": 824, "body": {"manage_stock": True, "stock_quantity": 3}}
    ]
    assert connect(shop).push_stock([]) == 0
    assert len(shop.requests) == 3, "include look-up, the variation itself, one batch; nothing for no levels"


def test_shipment_note_then_completed_only_when_everything_shipped(shop):
    client = connect(shop)
    partial = Shipment(
        order_external_id="5101",
        tracking_number="1Z999AA10123456784",
        carrier="SEUR",
        lines=(ShipmentLine(external_line_id="7001", quantity=2),),
        complete=False,
        tracking_url=SEUR_URL,
    )
    note_id = client.push_shipment(partial)
    assert note_id.isdigit()
    ((order_id, note),) = shop.notes
    assert order_id == 5101 and note["customer_note"] is True
    assert "SEUR" in note["note"] and "1Z999AA10123456784" in note["note"] and SEUR_URL in note["note"]
    assert "Hervidor eléctrico Inox 1,7 L × 2" in note["note"]
    assert shop.order_updates == [], "not completed while a line has not shipped"
    assert client.push_shipment(partial) == note_id and len(shop.notes) == 1, "pushed again: no second e-mail"

    rest = Shipment(
        order_external_id="5101",
        tracking_number="1Z999AA10123456799",
        carrier="SEUR",
        lines=(ShipmentLine(external_line_id="7002", quantity=2),),
        complete=True,
    )
    assert client.push_shipment(rest) != note_id
    assert shop.order_updates == [(5101, {"status": "completed"})]
    assert "1Z999AA10123456799" in shop.notes[1][1]["note"] and "1Z999AA10123456784" not in shop.notes[1][1]["note"]


def test_shipment_without_tracking_number_is_refused(shop):
    untracked = Shipment(order_external_id="5101", tracking_number=" ", carrier="SEUR", lines=(), complete=True)
    with pytest.raises(ValueError, match="without tracking number"):
        connect(shop).push_shipment(untracked)
    assert shop.requests == [] and shop.notes == [] and shop.order_updates == []


def test_refund_is_recorded_once_with_its_line_and_tax_and_pulled_back(shop):
    refund = RefundRequest(
        order_external_id="5098",
        key="RINV/2026/00042",
        amount=51.73,
        currency="EUR",
        lines=(RefundLine(external_line_id="6981", quantity=1, amount=51.73),),
        reason="Sartén dañada",
    )
    client = connect(shop)
    refund_id = client.push_refund(refund)
    assert client.push_refund(refund) == refund_id, "asked twice, made once"
    ((order_id, body),) = shop.refunds
    assert order_id == 5098
    assert body == {
        "amount": "51.73",
        "reason": "Sartén dañada [RINV/2026/00042]",
        "api_refund": False,
        "api_restock": False,
        "line_items": [
            {"id": 6981, "quantity": 1, "refund_total": 42.75, "refund_tax": [{"id": 1, "refund_total": 8.98}]}
        ],
    }
    order = next(order for order in client.fetch_orders(None) if order["id"] == 5098)
    refunds = woocommerce.map_staged(order)["refunds"]
    assert [(item["external_id"], item["amount"]) for item in refunds] == [("5120", 51.73), (refund_id, 51.73)]
    assert refunds[1]["lines"] == [{"external_line_id": "6981", "quantity": 1, "amount": 51.73}]


def test_refund_of_shipping_splits_its_tax(shop):
    refund = RefundRequest(
        order_external_id="5101", key="RINV/2026/00043", amount=5.0, currency="EUR", shipping_amount=5.0
    )
    connect(shop).push_refund(refund)
    ((_, body),) = shop.refunds
    assert body["line_items"] == [{"id": 7003, "refund_total": 4.13, "refund_tax": [{"id": 1, "refund_total": 0.87}]}]
    assert body["reason"] == "[RINV/2026/00043]"
    shorter_key = RefundRequest(order_external_id="5101", key="RINV/2026/0004", amount=1.0, currency="EUR")
    connect(shop).push_refund(shorter_key)
    assert len(shop.refunds) == 2, "a key is not found inside a longer one"
