"""The PrestaShop client against the local webservice (plain pytest, no database): what a user of the channel sees."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.errors import ConnectorConfigurationError, ConnectorError
from odoo.addons.oms_channels.services.platforms.client import RefundRequest, Shipment, ShipmentLine, StockLevel
from odoo.addons.oms_channels.services.platforms.prestashop import map_staged
from odoo.addons.oms_channels.services.platforms.prestashop_client import PrestashopClient
from odoo.addons.oms_channels.stand_ins.prestashop import LocalPrestashop

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "prestashop"
DOCUMENTS = {
    "customers": "customers.xml",
    "addresses": "addresses.xml",
    "currencies": "currencies.xml",
    "carriers": "carriers.xml",
    "countries": "countries.xml",
    "states": "states.xml",
    "order_states": "order_states.xml",
    "taxes": "taxes.xml",
    "order_details": "order_details.xml",
    "order_cart_rules": "order_cart_rules.xml",
    "order_carriers": "order_carriers.xml",
    "order_histories": "order_histories.xml",
    "order_slip": "order_slips.xml",
    "stock_availables": "stock_availables_lookup.xml",
}
REFERENCED = ("customers", "addresses", "currencies", "carriers", "countries", "states", "order_states", "taxes")
PER_ORDER = ("order_details", "order_cart_rules", "order_slip", "order_histories")


def _document(list_tag: str, rows: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        f"<{list_tag}>\n{rows}</{list_tag}>\n</prestashop>\n"
    )


def _configuration(id_: int, name: str, value: str) -> str:
    return (
        f"<configuration>\n\t<id><![CDATA[{id_}]]></id>\n\t<value><![CDATA[{value}]]></value>\n"
        f"\t<name><![CDATA[{name}]]></name>\n\t<id_shop_group></id_shop_group>\n\t<id_shop></id_shop>\n</configuration>\n"
    )


CART_RULES = _document(
    "cart_rules",
    "<cart_rule>\n\t<id><![CDATA[7]]></id>\n\t<code><![CDATA[BIENVENIDA5]]></code>\n</cart_rule>\n",
)
CONFIGURATIONS = _document(
    "configurations",
    _configuration(1, "PS_TIMEZONE", "Europe/Madrid")
    + _configuration(2, "PS_CURRENCY_DEFAULT", "1")
    + _configuration(3, "PS_OS_CANCELED", "6")
    + _configuration(4, "PS_OS_SHIPPING", "4")
    + _configuration(5, "PS_SHOP_EMAIL", "tienda@example.es"),
)
# The combination 31 of product 14 (the toaster of order 101), next to product 12's row of the fixture.
COMBINATION_STOCK = _document(
    "stock_availables",
    "<stock_available>\n\t<id><![CDATA[89]]></id>\n\t<id_product><![CDATA[14]]></id_product>\n"
    "\t<id_product_attribute><![CDATA[31]]></id_product_attribute>\n\t<id_shop><![CDATA[1]]></id_shop>\n"
    "\t<id_shop_group><![CDATA[0]]></id_shop_group>\n\t<quantity><![CDATA[5]]></quantity>\n"
    "\t<depends_on_stock><![CDATA[0]]></depends_on_stock>\n\t<out_of_stock><![CDATA[2]]></out_of_stock>\n"
    "\t<location></location>\n</stock_available>\n",
)


@pytest.fixture
def shop():
    with LocalPrestashop() as shop:
        shop.add_orders([(FIXTURES / name).read_text() for name in ("orders_page_1.xml", "orders_page_2.xml")])
        for resource, name in DOCUMENTS.items():
            shop.add_documents(resource, (FIXTURES / name).read_text())
        shop.add_documents("cart_rules", CART_RULES)
        shop.add_documents("configurations", CONFIGURATIONS)
        shop.add_documents("stock_availables", COMBINATION_STOCK)
        yield shop


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def client_of(shop, key=None, page_size=2, sleeps=None) -> PrestashopClient:
    credentials = {"shop_url": shop.url, "webservice_key": key or shop.key}
    return PrestashopClient.from_credentials(
        credentials, page_size=page_size, sleep=Sleeps() if sleeps is None else sleeps, backoff=0
    )


def pulled_ids(client, since=None) -> list[str]:
    return [payload["order"]["id"] for payload in client.fetch_orders(since)]


def calls(shop, resource: str) -> list:
    return [request for request in shop.requests if request.path == f"/api/{resource}" and request.method == "GET"]


def assert_no_secret(shop, message: str):
    assert shop.key not in message and shop.url not in message and "127.0.0.1" not in message


def test_pull_over_pages_oldest_first_and_only_what_changed_since_the_cursor(shop):
    assert pulled_ids(client_of(shop)) == ["101", "103", "102", "104"]
    pages = calls(shop, "orders")
    assert len(pages) >= 2
    assert all(page.query["date"] == "1" and page.query["sort"] == "[date_upd_ASC,id_ASC]" for page in pages)
    shop.requests.clear()
    # 17:30 UTC is 18:30 in Madrid (PS_TIMEZONE), the second order 103 was updated: kept, the cursor is inclusive
    assert pulled_ids(client_of(shop), datetime(2026, 11, 26, 17, 30)) == ["103", "102", "104"]
    assert calls(shop, "orders")[0].query["filter[date_upd]"].startswith("[2026-11-26 18:30:00,")
    assert pulled_ids(client_of(shop), datetime(2026, 11, 30, 11, 0, 1)) == []


def test_orders_updated_in_one_second_over_several_pages_are_all_pulled(shop):
    same_second = (FIXTURES / "orders_page_1.xml").read_text()
    for id_ in ("101", "103", "102"):
        same_second = same_second.replace(f"<id><![CDATA[{id_}]]></id>", f"<id><![CDATA[{int(id_) + 400}]]></id>")
    for date in ("2026-11-20 10:02:40", "2026-11-26 18:30:00", "2026-11-28 09:15:00"):
        same_second = same_second.replace(date, "2026-11-30 12:00:00")
    shop.add_orders([same_second])
    ids = pulled_ids(client_of(shop, page_size=2))
    assert sorted(ids) == sorted({*ids}) and len(ids) == 7
    assert ids[:3] == ["101", "103", "102"] and set(ids[3:]) == {"104", "501", "502", "503"}


def test_referenced_documents_are_fetched_once_per_sync(shop):
    payloads = list(client_of(shop, page_size=2).fetch_orders(None))
    pages = len(calls(shop, "orders"))
    assert len(payloads) == 4 and pages == 3  # 2 + 2 + an empty page
    for resource in REFERENCED + ("cart_rules",):
        asked = [id_ for call in calls(shop, resource) for id_ in call.query["filter[id]"].strip("[]").split("|")]
        assert len(asked) == len(set(asked)), f"{resource} asked twice: {asked}"
        assert len(calls(shop, resource)) <= 2, resource
    assert len(calls(shop, "carriers")) == 2  # carrier 3 of orders 101 and 104, asked once
    for resource in PER_ORDER:
        assert len(calls(shop, resource)) == 2, f"one {resource} call per page with orders"
    assert len(calls(shop, "configurations")) == 1


def test_every_pulled_payload_maps_and_parses(shop):
    payloads = list(client_of(shop).fetch_orders(None))
    orders = [parse_channel_order(map_staged(json.loads(json.dumps(payload)))) for payload in payloads]
    assert [(order.external_id, float(order.grand_total)) for order in orders] == [
        ("101", 85.71),
        ("103", 54.4),
        ("102", 167.76),
        ("104", 27.3),
    ]
    first = map_staged(payloads[0])
    assert (
        first["order_date"].endswith("Z")
        and first["shop_currency"] == "EUR"
        and first["coupon_codes"] == ["BIENVENIDA5"]
    )
    assert map_staged(payloads[2])["status"] == "cancelled"
    assert [line["channel_product_id"] for line in first["lines"]] == ["12", "14-31"]


def test_throttled_then_served_nothing_lost(shop):
    sleeps = Sleeps()
    shop.throttle_next(1, status=429, retry_after=3)
    shop.throttle_next(1, status=503, retry_after=None)
    assert pulled_ids(client_of(shop, sleeps=sleeps)) == ["101", "103", "102", "104"]
    assert sleeps == [3, 0]


def test_server_error_then_served(shop):
    shop.fail_next(2)
    assert pulled_ids(client_of(shop)) == ["101", "103", "102", "104"]


def test_server_error_forever_is_transient(shop):
    shop.fail_next(1000)
    with pytest.raises(ConnectorError) as error:
        pulled_ids(client_of(shop))
    assert error.value.transient and "answered 500 after 4 attempts" in str(error.value)
    assert_no_secret(shop, str(error.value))


def test_a_page_that_fails_ends_the_pull_after_the_oldest_orders(shop):
    orders = client_of(shop).fetch_orders(None)
    first = [next(orders)["order"]["id"], next(orders)["order"]["id"]]
    shop.fail_next(1000)
    with pytest.raises(ConnectorError, match="answered 500"):
        next(orders)
    assert first == ["101", "103"], "the cursor may move past these: nothing older is left behind"


def test_wrong_key_names_the_webservice_key(shop):
    client = client_of(shop, key="X" * 32)
    for attempt in (client.test_connection, lambda: pulled_ids(client)):
        with pytest.raises(ConnectorConfigurationError) as error:
            attempt()
        assert "401" in str(error.value) and "check the webservice key" in str(error.value)
        assert_no_secret(shop, str(error.value))
        assert "X" * 32 not in str(error.value)


def test_forbidden_resource_names_the_permission_to_tick(shop):
    shop.forbid_resource("customers")
    with pytest.raises(ConnectorConfigurationError) as error:
        client_of(shop).test_connection()
    assert "tick customers (GET)" in str(error.value) and "Webservice" in str(error.value)
    with pytest.raises(ConnectorConfigurationError) as error:
        pulled_ids(client_of(shop))
    assert "may not use 'customers'" in str(error.value)
    assert_no_secret(shop, str(error.value))


def test_connection_says_what_works_or_what_to_enable(shop):
    assert client_of(shop).test_connection().startswith("Connected to Tienda Ejemplo")
    shop.webservice_enabled = False
    with pytest.raises(ConnectorConfigurationError) as error:
        client_of(shop).test_connection()
    assert "webservice is disabled: enable it" in str(error.value)
    assert len(shop.requests) == 2, "a disabled webservice is not retried"


def test_pull_without_the_shops_configuration_takes_dates_as_utc(shop):
    shop.forbid_resource("configurations")
    client = client_of(shop)
    assert "the key may not read configurations" in client.test_connection()
    payloads = list(client.fetch_orders(datetime(2026, 11, 26, 18, 30)))
    assert [payload["order"]["id"] for payload in payloads] == ["103", "102", "104"]
    assert "timezone" not in payloads[0] and "shop_currency" not in payloads[0]
    assert map_staged(payloads[0])["updated_at"] == "2026-11-26T18:30:00"


def test_maintenance_page_after_retries_says_so(shop):
    shop.serve_html_next(4, "maintenance")
    with pytest.raises(ConnectorError) as error:
        client_of(shop).test_connection()
    assert "answered 503 with an HTML page" in str(error.value) and "after 4 attempts" in str(error.value)
    assert "maintenance" in str(error.value)
    assert_no_secret(shop, str(error.value))


def test_html_page_is_a_clear_error(shop):
    shop.serve_html_next(1, "login")
    with pytest.raises(ConnectorError) as error:
        client_of(shop).test_connection()
    assert "HTML page instead of data" in str(error.value) and "check the shop URL" in str(error.value)
    assert_no_secret(shop, str(error.value))
    shop.serve_html_next(1, "login")
    with pytest.raises(ConnectorError, match="HTML page"):
        pulled_ids(client_of(shop))


def test_stock_is_set_on_products_and_combinations_in_few_calls(shop):
    levels = [
        StockLevel(quantity=37.6, sku="OMS-KET-01", channel_product_id="12"),
        StockLevel(quantity=4, sku="OMS-TOA-01", channel_product_id="14-31"),
    ]
    assert client_of(shop).push_stock(levels) == 2
    assert len(calls(shop, "stock_availables")) == 1
    assert [(update.id, update.fields["quantity"]) for update in shop.stock_updates] == [(88, "37"), (89, "4")]
    assert shop.stock_updates[0].fields["out_of_stock"] == "2", "the rest of the row is sent as it was"
    gone = StockLevel(quantity=1, sku="OMS-GONE", channel_product_id="99")
    unbound = StockLevel(quantity=1, sku="OMS-SKU-ONLY")
    with pytest.raises(ConnectorConfigurationError) as error:
        client_of(shop).push_stock([*levels, gone, unbound])
    message = str(error.value)
    assert message.startswith("PrestaShop stock set for 2 product(s), not for: ")
    assert "OMS-GONE: no stock_availables row for product 99-0" in message
    assert "OMS-SKU-ONLY: no PrestaShop product id" in message
    assert_no_secret(shop, message)


def test_shipment_sets_tracking_then_shipped_state_once(shop):
    client = client_of(shop)
    line = ShipmentLine(external_line_id="1001", quantity=2)
    partial = Shipment(
        order_external_id="101", tracking_number="3230012345678901", carrier="SEUR", lines=(line,), complete=False
    )
    assert client.push_shipment(partial) == "201"
    assert [(u.id, u.fields["tracking_number"], u.query) for u in shop.carrier_updates] == [
        (201, "3230012345678901", {"sendemail": "1"})
    ]
    assert shop.state_changes == [], "not shipped before the last parcel"
    last = Shipment(
        order_external_id="101", tracking_number="3230012345678999", carrier="SEUR", lines=(line,), complete=True
    )
    client.push_shipment(last)
    client.push_shipment(last)  # a retry changes nothing
    assert [u.fields["tracking_number"] for u in shop.carrier_updates] == ["3230012345678901", "3230012345678999"]
    assert [(c.fields["id_order"], c.fields["id_order_state"]) for c in shop.state_changes] == [("101", "4")]
    with pytest.raises(ValueError, match="tracking number"):
        client.push_shipment(
            Shipment(order_external_id="101", tracking_number=" ", carrier="SEUR", lines=(), complete=True)
        )


def test_refund_is_refused_with_what_to_do(shop):
    refund = RefundRequest(order_external_id="103", key="RINV/2026/0001", amount=6.6, currency="GBP")
    with pytest.raises(ConnectorConfigurationError, match="back office"):
        client_of(shop).push_refund(refund)
    assert not [request for request in shop.requests if request.method != "GET"]
