"""The local Shopify stand-in answers as API.md documents the Admin GraphQL API (plain pytest with requests)."""

import pytest
import requests

from odoo.addons.oms_channels.stand_ins.shopify import FIXTURES, LocalShopify, fixture_order_nodes

ORDERS_QUERY = (FIXTURES / "orders_query.graphql").read_text(encoding="utf-8")
SET_STOCK = """mutation OmsSetStock($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { id } userErrors { field message code } } }"""
FULFIL = """mutation OmsFulfil($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status } userErrors { field message } } }"""
REFUND = """mutation OmsRefund($input: RefundInput!) {
  refundCreate(input: $input) { refund { id } userErrors { field message } } }"""


@pytest.fixture
def shop():
    with LocalShopify() as shop:
        shop.add_orders(fixture_order_nodes())
        yield shop


def post(shop, query, variables, token=None):
    headers = {"X-Shopify-Access-Token": shop.access_token if token is None else token}
    return requests.post(shop.graphql_url, json={"query": query, "variables": variables}, headers=headers, timeout=5)


def pull(shop, after=None, first=2, since="2026-03-01T00:00:00Z"):
    return post(shop, ORDERS_QUERY, {"first": first, "after": after, "query": f"updated_at:>'{since}'"})


def test_pull_over_two_pages_with_the_updated_at_filter(shop):
    first = pull(shop)
    assert first.status_code == 200
    page1 = first.json()["data"]["orders"]
    assert [node["name"] for node in page1["nodes"]] == ["#1001", "#1003"]
    assert page1["pageInfo"]["hasNextPage"] is True
    assert first.json()["extensions"]["cost"]["throttleStatus"]["restoreRate"] == 100.0

    page2 = pull(shop, after=page1["pageInfo"]["endCursor"]).json()["data"]["orders"]
    assert [node["name"] for node in page2["nodes"]] == ["#1004", "#1002"]
    assert page2["pageInfo"]["hasNextPage"] is False

    # the filter: only the orders updated after #1003's updatedAt; >= keeps #1003 itself (the overlap re-read)
    later = pull(shop, since="2026-03-04T15:40:03Z", first=10).json()["data"]["orders"]
    assert [node["name"] for node in later["nodes"]] == ["#1004", "#1002"]
    overlap = post(shop, ORDERS_QUERY, {"first": 10, "query": "updated_at:>='2026-03-04T15:40:03Z'"})
    assert [node["name"] for node in overlap.json()["data"]["orders"]["nodes"]] == ["#1003", "#1004", "#1002"]
    assert shop.requests[0].operation == "orders"

    # the fixture's own cursor (base64 JSON of the last id and updatedAt) is understood too
    fixture_cursor = "eyJsYXN0X2lkIjo1ODEwMDAwMDAxMDAzLCJsYXN0X3ZhbHVlIjoiMjAyNi0wMy0wNCAxNTo0MDowMy4wMDAwMDAifQ=="
    replayed = pull(shop, after=fixture_cursor).json()["data"]["orders"]
    assert [node["name"] for node in replayed["nodes"]] == ["#1004", "#1002"]


def test_first_over_250_and_a_bad_cursor_are_graphql_errors(shop):
    assert pull(shop, first=251).json()["errors"][0]["extensions"]["code"] == "ARGUMENT_LIMIT_EXCEEDED"
    assert "data" not in pull(shop, after="not a cursor").json()


def test_a_refused_access_token(shop):
    for token in ("shpat_wrong", ""):
        answer = post(shop, ORDERS_QUERY, {"first": 2, "query": ""}, token=token)
        assert answer.status_code == 401
        assert "Invalid API key or access token" in answer.json()["errors"]
    assert requests.post(shop.url + "/admin/api/latest/graphql.json", json={}, timeout=5).status_code == 404


@pytest.mark.parametrize("status", [200, 429])
def test_throttled_then_the_same_page_succeeds(shop, status):
    shop.throttle_next(1, status=status)
    throttled = pull(shop)
    assert throttled.status_code == status
    body = throttled.json()
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert "data" not in body
    cost = body["extensions"]["cost"]
    assert cost["actualQueryCost"] is None
    assert cost["requestedQueryCost"] > cost["throttleStatus"]["currentlyAvailable"]
    retried = pull(shop)
    assert retried.status_code == 200
    assert [node["name"] for node in retried.json()["data"]["orders"]["nodes"]] == ["#1001", "#1003"]


def test_500_and_html_pages_on_demand(shop):
    shop.fail_next(1)
    shop.serve_html_next(1, "login")
    shop.serve_html_next(1, "maintenance")
    assert pull(shop).status_code == 500
    login = pull(shop)
    assert login.status_code == 200 and login.headers["Content-Type"].startswith("text/html")
    assert pull(shop).status_code == 503
    assert pull(shop).json()["data"]["orders"]["nodes"]


def test_push_backs_are_recorded(shop):
    stock = {
        "name": "available",
        "reason": "correction",
        "ignoreCompareQuantity": True,
        "quantities": [
            {
                "inventoryItemId": "gid://shopify/InventoryItem/45100001000001",
                "locationId": "gid://shopify/Location/80100000001",
                "quantity": 37,
            }
        ],
    }
    answer = post(shop, SET_STOCK, {"input": stock}).json()["data"]["inventorySetQuantities"]
    assert answer["userErrors"] == [] and answer["inventoryAdjustmentGroup"]["id"]
    assert shop.stock_updates == [stock]

    without_compare = {**stock, "ignoreCompareQuantity": False}
    refused = post(shop, SET_STOCK, {"input": without_compare}).json()["data"]["inventorySetQuantities"]
    assert refused["userErrors"][0]["code"] == "COMPARE_QUANTITY_REQUIRED"
    assert len(shop.stock_updates) == 1

    fulfillment = {
        "notifyCustomer": True,
        "trackingInfo": {"company": "SEUR", "number": "ES1234567890"},
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/6600000010011"}],
    }
    done = post(shop, FULFIL, {"fulfillment": fulfillment}).json()["data"]["fulfillmentCreate"]
    assert done["userErrors"] == [] and done["fulfillment"]["status"] == "SUCCESS"
    assert shop.fulfillments == [fulfillment]

    refund = {"orderId": "gid://shopify/Order/5810000001002", "currency": "GBP", "notify": False}
    assert post(shop, REFUND, {"input": refund}).json()["data"]["refundCreate"]["userErrors"] == []
    unknown = post(shop, REFUND, {"input": {"orderId": "gid://shopify/Order/1"}}).json()
    assert unknown["data"]["refundCreate"]["userErrors"][0]["field"] == ["orderId"]
    assert shop.refunds == [refund]
