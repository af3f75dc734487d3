"""The Shopify client against the local Shopify (plain pytest): what a channel manager sees of a pull, of its
failures and of the push-backs."""

import copy
from datetime import datetime

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.errors import ConnectorConfigurationError, ConnectorError
from odoo.addons.oms_channels.services.platforms.client import (
    RefundLine,
    RefundRequest,
    Shipment,
    ShipmentLine,
    StockLevel,
)
from odoo.addons.oms_channels.services.platforms.shopify import map_staged
from odoo.addons.oms_channels.services.platforms.shopify_client import ShopifyClient, shop_base_url
from odoo.addons.oms_channels.stand_ins.shopify import LocalShopify, fixture_order_nodes

TOKEN = "shpat_local_test_token"


@pytest.fixture
def shop():
    with LocalShopify(access_token=TOKEN) as shop:
        shop.add_orders(fixture_order_nodes())
        yield shop


def connect(shop, *, token=TOKEN, version=None, page_size=None, **options):
    """A client of the local shop and the waits it asked for (never really waited)."""
    waits = []
    credentials = {"shop_domain": shop.url, "access_token": token, "api_version": version or shop.api_version}
    client = ShopifyClient.from_credentials(credentials, sleep=waits.append, **options)
    if page_size:
        client.page_size = page_size
    return client, waits


def names(nodes):
    return [node["name"] for node in nodes]


def order_calls(shop, operation="orders"):
    return [request for request in shop.requests if request.operation == operation]


def assert_no_secret(message: str, shop) -> None:
    assert TOKEN not in message
    assert shop.url.split("//")[1] not in message


# --- connection -------------------------------------------------------------------------------------------------


def test_the_shop_domain_is_normalised():
    assert shop_base_url("myshop.myshopify.com") == "https://myshop.myshopify.com"
    assert shop_base_url("https://myshop.myshopify.com/") == "https://myshop.myshopify.com"
    assert shop_base_url(" https://myshop.myshopify.com/admin/orders ") == "https://myshop.myshopify.com"
    assert shop_base_url("myshop") == "https://myshop.myshopify.com"
    assert shop_base_url("https://admin.shopify.com/store/myshop/orders") == "https://myshop.myshopify.com"
    assert shop_base_url("http://127.0.0.1:8411") == "http://127.0.0.1:8411"


def test_a_connection_test_reads_the_shop(shop):
    client, _waits = connect(shop)
    message = client.test_connection()
    assert "Casa Ibérica" in message and "EUR" in message and "2026-01" in message
    assert shop.requests[-1].path == "/admin/api/2026-01/graphql.json"


def test_a_wrong_token_names_the_access_token(shop):
    client, _waits = connect(shop, token="shpat_wrong_secret_value")
    with pytest.raises(ConnectorConfigurationError) as refused:
        client.test_connection()
    assert "401" in str(refused.value) and "Admin API access token" in str(refused.value)
    assert "shpat_wrong_secret_value" not in str(refused.value)
    assert_no_secret(str(refused.value), shop)


def test_an_unknown_api_version_is_named(shop):
    client, _waits = connect(shop, version="2099-01")
    with pytest.raises(ConnectorConfigurationError) as refused:
        client.test_connection()
    assert "404" in str(refused.value) and "API version 2099-01" in str(refused.value)
    assert_no_secret(str(refused.value), shop)
    with pytest.raises(ConnectorConfigurationError, match="'2026-02' is not one"):
        connect(shop, version="2026-02")
    assert len(shop.requests) == 1  # a malformed version is refused before any call


def test_a_missing_scope_is_named(shop):
    shop.deny_scope("read_orders")
    client, _waits = connect(shop)
    with pytest.raises(ConnectorConfigurationError) as refused:
        client.test_connection()
    assert "give the app the read_orders access scope" in str(refused.value)
    shop.fail_next(1, status=403, error="Forbidden")
    with pytest.raises(ConnectorConfigurationError, match="403 .*read_orders access scope"):
        list(client.fetch_orders())


def test_an_html_page_is_a_clear_error(shop):
    shop.serve_html_next(1, "login")
    client, _waits = connect(shop)
    with pytest.raises(ConnectorError) as refused:
        client.test_connection()
    assert "HTML page" in str(refused.value) and "check the shop URL" in str(refused.value)
    assert_no_secret(str(refused.value), shop)


def test_an_unreachable_host_says_so():
    client = ShopifyClient.from_credentials(
        {"shop_domain": "http://127.0.0.1:9", "access_token": TOKEN}, sleep=lambda _s: None, max_retries=2, timeout=2
    )
    with pytest.raises(ConnectorError) as failed:
        client.test_connection()
    assert "could not be reached" in str(failed.value) and failed.value.transient
    assert TOKEN not in str(failed.value) and "127.0.0.1" not in str(failed.value)


# --- pull ---------------------------------------------------------------------------------------------------------


def test_a_pull_pages_through_every_order_newer_than_since_oldest_first(shop):
    client, waits = connect(shop, page_size=1)
    everything = list(client.fetch_orders(None))
    assert names(everything) == ["#1001", "#1003", "#1004", "#1002"]

    shop.requests.clear()
    # From #1003's own second: it comes again (a replay the staging only counts), nothing updated since is lost.
    newer = list(client.fetch_orders(datetime(2026, 3, 4, 15, 40, 3)))
    assert names(newer) == ["#1003", "#1004", "#1002"]
    calls = order_calls(shop)
    assert len(calls) == 3  # one page each, each after the previous one's cursor
    assert calls[0].variables["query"] == "updated_at:>='2026-03-04T15:40:03Z'"
    assert calls[1].variables["after"] and calls[1].variables["query"] == calls[0].variables["query"]
    assert waits == []


def test_every_pulled_order_maps_and_parses(shop):
    client, _waits = connect(shop, page_size=3)
    for node in client.fetch_orders(None):
        order = parse_channel_order(map_staged(node))
        assert order.external_id == node["legacyResourceId"]
        assert order.lines


@pytest.mark.parametrize("status", [200, 429])
def test_a_throttled_page_waits_and_loses_nothing(shop, status):
    client, waits = connect(shop, page_size=2)
    shop.throttle_next(1, status=status)
    assert names(client.fetch_orders(None)) == ["#1001", "#1003", "#1004", "#1002"]
    if status == 200:
        # the fixture's cost: (372 requested - 161 available) / 100 points a second
        assert waits == [pytest.approx(2.11)]
    else:
        assert len(waits) == 1  # PlatformHttp's wait before asking again


def test_a_low_bucket_waits_before_the_next_page():
    with LocalShopify(access_token=TOKEN, maximum_available=20.0) as poor_shop:
        poor_shop.add_orders(fixture_order_nodes())
        client, waits = connect(poor_shop, page_size=2)
        assert names(client.fetch_orders(None)) == ["#1001", "#1003", "#1004", "#1002"]
    # a page of 2 asks 16 points, the bucket keeps 20 - 16 = 4: (16 - 4) / 100 s before the second page
    assert waits == [pytest.approx(0.12)]


def test_a_query_too_costly_is_asked_again_with_fewer_orders(shop):
    client, _waits = connect(shop, page_size=200)
    assert names(client.fetch_orders(None)) == ["#1001", "#1003", "#1004", "#1002"]
    assert [call.variables["first"] for call in order_calls(shop)] == [200, 100]


def test_a_500_then_success_loses_nothing(shop):
    shop.fail_next(1)
    client, waits = connect(shop, page_size=2)
    assert names(client.fetch_orders(None)) == ["#1001", "#1003", "#1004", "#1002"]
    assert len(waits) == 1


def test_500_forever_is_a_transient_error_and_nothing_comes_after_it(shop):
    client, _waits = connect(shop, page_size=2)
    pulled = client.fetch_orders(None)
    got = [next(pulled), next(pulled)]
    shop.fail_next(100)
    with pytest.raises(ConnectorError) as failed:
        got.extend(pulled)
    assert failed.value.transient and "500" in str(failed.value)
    assert names(got) == ["#1001", "#1003"]
    assert_no_secret(str(failed.value), shop)


def test_other_graphql_errors_are_named(shop):
    client, _waits = connect(shop)
    with pytest.raises(ConnectorError, match="INVALID_VARIABLE"):
        client.graphql("query { orders(first: 2) { nodes { id } } }", {"first": 0}, what="the orders", scope="x")


def test_a_large_order_comes_with_every_line(shop):
    big = copy.deepcopy(fixture_order_nodes()[0])
    template = big["lineItems"]["nodes"][2]  # the gift wrap
    extra = [
        {**copy.deepcopy(template), "id": f"gid://shopify/LineItem/162000000{index:05d}", "sku": f"WRAP-{index}"}
        for index in range(72)
    ]
    big.update(id="gid://shopify/Order/5810000009999", legacyResourceId="5810000009999", name="#9999")
    big["updatedAt"] = "2026-03-20T10:00:00Z"
    big["lineItems"]["nodes"] += extra
    shop.add_order(big)
    client, _waits = connect(shop, page_size=10)
    pulled = {node["name"]: node for node in client.fetch_orders(datetime(2026, 3, 15))}
    lines = pulled["#9999"]["lineItems"]["nodes"]
    assert len(lines) == 75 and len({line["id"] for line in lines}) == 75
    assert len(order_calls(shop, "order")) == 2  # 10 lines in the page, then 50 and 15
    assert len(parse_channel_order(map_staged(pulled["#9999"])).lines) == 75


def test_a_refund_with_many_lines_comes_whole(shop):
    client, _waits = connect(shop)
    refunded = next(node for node in shop.orders if node["name"] == "#1002")
    template = refunded["refunds"][0]["refundLineItems"]["nodes"][0]
    refunded["refunds"][0]["refundLineItems"]["nodes"] = [copy.deepcopy(template) for _ in range(13)]
    [node] = [node for node in client.fetch_orders(datetime(2026, 3, 10)) if node["name"] == "#1002"]
    assert len(node["refunds"][0]["refundLineItems"]["nodes"]) == 13
    assert len(order_calls(shop, "node")) == 1  # 10 lines in the page, the 3 others after
    assert len(parse_channel_order(map_staged(node)).refunds[0].lines) == 13


# --- push-backs ----------------------------------------------------------------------------------------------------


def test_stock_is_set_per_inventory_item_and_location_with_one_lookup(shop):
    shop.locations.add("gid://shopify/Location/80100000002")
    client, _waits = connect(shop)
    levels = [
        StockLevel(quantity=37, sku="OMS-KET-17", location_id="80100000002"),
        StockLevel(quantity=3.9999999, channel_product_id="45100000000003"),  # the moka pot, by its variant id
        StockLevel(quantity=-2, sku="OMS-TAZ-04W", channel_product_id="9100000000004"),  # a product id: SKU wins
    ]
    assert client.push_stock(levels) == 3
    assert len(order_calls(shop, "variants")) == 1
    [update] = shop.stock_updates
    assert update["name"] == "available"
    assert update["quantities"] == [
        {
            "inventoryItemId": "gid://shopify/InventoryItem/45100001000001",
            "locationId": "gid://shopify/Location/80100000002",
            "quantity": 37,
        },
        {
            "inventoryItemId": "gid://shopify/InventoryItem/45100001000003",
            "locationId": "gid://shopify/Location/80100000001",  # the primary location
            "quantity": 4,
        },
        {
            "inventoryItemId": "gid://shopify/InventoryItem/45100001000004",
            "locationId": "gid://shopify/Location/80100000001",
            "quantity": 0,
        },
    ]


def test_stock_goes_in_batches(shop):
    locations = [f"8020000{index:04d}" for index in range(130)]
    shop.locations.update(f"gid://shopify/Location/{location}" for location in locations)
    client, _waits = connect(shop)
    assert client.push_stock([StockLevel(quantity=1, sku="OMS-KET-17", location_id=loc) for loc in locations]) == 130
    assert [len(update["quantities"]) for update in shop.stock_updates] == [100, 30]
    assert len(order_calls(shop, "variants")) == 2


def test_stock_refused_or_unknown_names_the_sku(shop):
    client, _waits = connect(shop)
    with pytest.raises(ConnectorConfigurationError, match="SKU OMS-KET-17: The specified location could not be"):
        client.push_stock([StockLevel(quantity=3, sku="OMS-KET-17", location_id="999")])
    with pytest.raises(ConnectorConfigurationError, match=r"no variant for NOT-A-SKU.*\(1 other quantities were set"):
        client.push_stock([StockLevel(quantity=3, sku="NOT-A-SKU"), StockLevel(quantity=3, sku="OMS-BAT-15")])
    assert shop.stock_updates[-1]["quantities"][0]["inventoryItemId"] == "gid://shopify/InventoryItem/45100001000007"


def shipment(*lines, tracking="ES1234567890", order="5810000001001"):
    return Shipment(
        order_external_id=order,
        tracking_number=tracking,
        carrier="SEUR",
        tracking_url="https://www.seur.com/track/ES1234567890",
        lines=tuple(ShipmentLine(external_line_id=line, quantity=quantity) for line, quantity in lines),
        complete=False,
    )


def test_a_shipment_fulfils_only_its_lines_with_tracking(shop):
    client, _waits = connect(shop)
    fulfillment_id = client.push_shipment(shipment(("16100000010011", 1)))
    assert fulfillment_id.isdigit()
    [sent] = shop.fulfillments
    assert sent["notifyCustomer"] is True
    assert sent["trackingInfo"] == {
        "number": "ES1234567890",
        "company": "SEUR",
        "url": "https://www.seur.com/track/ES1234567890",
    }
    kettle = {"id": "gid://shopify/FulfillmentOrderLineItem/6700000010011", "quantity": 1}
    assert sent["lineItemsByFulfillmentOrder"] == [
        {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/6610000001001", "fulfillmentOrderLineItems": [kettle]}
    ]
    # the rest of the kettles and the toaster; then no kettle is left to ship
    client.push_shipment(shipment(("gid://shopify/LineItem/16100000010011", 1), ("16100000010012", 1)))
    with pytest.raises(ConnectorConfigurationError, match="0 of line 16100000010011 left to ship .* not 1"):
        client.push_shipment(shipment(("16100000010011", 1)))
    assert len(shop.fulfillments) == 2


def test_a_shipment_without_tracking_is_refused(shop):
    client, _waits = connect(shop)
    with pytest.raises(ValueError, match="tracking number"):
        client.push_shipment(shipment(("16100000010011", 1), tracking="  "))
    with pytest.raises(ConnectorConfigurationError, match="left to ship"):
        client.push_shipment(shipment(("16100000010041", 1), order="5810000001004"))  # cancelled
    assert shop.fulfillments == [] and shop.requests[-1].operation == "order"


def refund(key="RINV/2026/00012", order="5810000001002", **values):
    line = RefundLine(external_line_id="16100000010022", quantity=1, amount=12.5)
    return RefundRequest(
        order_external_id=order,
        key=key,
        amount=values.pop("amount", 12.5),
        currency=values.pop("currency", "GBP"),
        lines=(line,),
        **values,
    )


def test_a_refund_is_sent_once_on_the_orders_payment(shop):
    client, _waits = connect(shop)
    refund_id = client.push_refund(refund(restock=True, shipping_amount=2.0, amount=14.5, reason="damaged"))
    [sent] = shop.refunds
    assert sent["orderId"] == "gid://shopify/Order/5810000001002"
    assert "RINV/2026/00012" in sent["note"] and sent["currency"] == "GBP"
    assert sent["refundLineItems"] == [
        {
            "lineItemId": "gid://shopify/LineItem/16100000010022",
            "quantity": 1,
            "restockType": "RETURN",
            "locationId": "gid://shopify/Location/80100000001",
        }
    ]
    assert sent["shipping"] == {"amount": "2.00"}
    assert sent["transactions"] == [
        {
            "orderId": "gid://shopify/Order/5810000001002",
            "parentId": "gid://shopify/OrderTransaction/6510000001002",
            "gateway": "shopify_payments",
            "kind": "REFUND",
            "amount": "14.50",
        }
    ]
    assert client.push_refund(refund(restock=True, shipping_amount=2.0, amount=14.5)) == refund_id  # asked twice
    assert len(shop.refunds) == 1
    client.push_refund(refund(key="RINV/2026/0001"))  # another credit note, whose key is part of the first's
    assert len(shop.refunds) == 2
    assert shop.refunds[-1]["refundLineItems"][0]["restockType"] == "NO_RESTOCK" and "shipping" not in shop.refunds[-1]


def test_a_refund_of_an_unpaid_order_is_refused(shop):
    client, _waits = connect(shop)
    unpaid = refund(order="5810000001003", currency="EUR")
    with pytest.raises(ConnectorConfigurationError, match="no captured payment"):
        client.push_refund(unpaid)
    with pytest.raises(ConnectorConfigurationError, match="no order 404"):
        client.push_refund(refund(order="404"))
    assert shop.refunds == []
