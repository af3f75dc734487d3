"""The local WooCommerce stand-in answers as API.md documents the shop (plain pytest with ``requests``): the orders
pull over two pages with ``modified_after``, refused credentials, throttling then success, recorded push-backs."""

import json
from pathlib import Path

import pytest
import requests

from odoo.addons.oms_channels.stand_ins.woocommerce import LocalWooCommerce

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "woocommerce"
ORDERS = "/wp-json/wc/v3/orders"
QUERY = {
    "modified_after": "2026-11-20T00:00:00",
    "dates_are_gmt": "true",
    "orderby": "modified",
    "order": "asc",
    "per_page": "2",
}


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_orders() -> list[dict]:
    return sorted((load(path.name) for path in FIXTURES.glob("order_*.json")), key=lambda order: order["id"])


@pytest.fixture
def shop():
    with LocalWooCommerce() as stand_in:
        stand_in.add_orders(fixture_orders())
        yield stand_in


def get(shop, path=ORDERS, auth="basic", **params):
    if auth == "basic":
        return requests.get(shop.url + path, params=params, auth=(shop.consumer_key, shop.consumer_secret), timeout=5)
    return requests.get(shop.url + path, params=params, timeout=5)


def test_pull_over_two_pages_as_the_fixtures_show(shop):
    old = {**load("order_5101_es_tax_included_coupon.json"), "id": 4000, "date_modified_gmt": "2026-11-20T00:00:00"}
    shop.add_order(old)  # the filter is strict: modified exactly at modified_after is not served
    first = get(shop, **QUERY, page=1)
    expected = load("list_orders_page_1.json")
    assert first.status_code == 200
    assert [order["id"] for order in first.json()] == [order["id"] for order in expected["body"]] == [5101, 5102]
    assert first.headers["X-WP-Total"] == "4" and first.headers["X-WP-TotalPages"] == "2"
    assert first.headers["Link"].endswith('page=2>; rel="next"')
    assert 'rel="prev"' not in first.headers["Link"]

    second = requests.get(first.headers["Link"][1:].split(">")[0], auth=(shop.consumer_key, "cs_test"), timeout=5)
    assert [order["id"] for order in second.json()] == [
        order["id"] for order in load("list_orders_page_2.json")["body"]
    ]
    assert second.headers["Link"].endswith('page=1>; rel="prev"') and 'rel="next"' not in second.headers["Link"]
    assert second.json()[0] == load("order_5098_es_b2b_tax_excluded_refunded.json")

    past_the_end = get(shop, **QUERY, page=3)
    assert past_the_end.status_code == 200 and past_the_end.json() == []
    nothing = get(shop, **{**QUERY, "modified_after": "2026-12-01T00:00:00"})
    assert nothing.json() == [] and nothing.headers["X-WP-TotalPages"] == "0"
    too_many = get(shop, per_page=101)
    assert too_many.status_code == 400 and too_many.json()["code"] == "rest_invalid_param"


def test_query_string_credentials_and_plain_permalinks(shop):
    credentials = {"consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret}
    assert get(shop, auth=None, **credentials, per_page=1).status_code == 200
    plain = get(shop, path="/", auth=None, rest_route="/wc/v3/orders", **credentials)
    assert plain.status_code == 200 and plain.headers["X-WP-Total"] == "4"  # "any" leaves out nothing here


def test_refused_credentials(shop):
    wrong_secret = requests.get(shop.url + ORDERS, auth=(shop.consumer_key, "cs_wrong"), timeout=5)
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["code"] == "woocommerce_rest_authentication_error"
    assert wrong_secret.json()["message"] == "Consumer secret is invalid."
    assert "WWW-Authenticate" in wrong_secret.headers
    # the query string wins over Basic
    overridden = get(shop, consumer_key=shop.consumer_key, consumer_secret="cs_wrong")
    assert overridden.status_code == 401 and overridden.json()["message"] == "Consumer secret is invalid."
    unknown_key = requests.get(shop.url + ORDERS, auth=("ck_unknown", "cs_test"), timeout=5)
    assert unknown_key.status_code == 401 and unknown_key.json()["code"] == "woocommerce_rest_cannot_view"
    assert get(shop, auth=None).json()["code"] == "woocommerce_rest_cannot_view"


def test_read_only_key_cannot_write():
    with LocalWooCommerce(read_only=True) as shop:
        answer = requests.put(
            f"{shop.url}/wp-json/wc/v3/products/812", json={"stock_quantity": 1}, auth=("ck_test", "cs_test"), timeout=5
        )
    assert answer.status_code == 401
    assert answer.json()["message"] == "The API key provided does not have write permissions."
    assert shop.stock_updates == []


def test_throttled_then_success(shop):
    shop.throttle_next(1, retry_after=12)
    shop.throttle_next(1, retry_after=30, html=True)
    plugin = get(shop, **QUERY)
    assert plugin.status_code == 429 and plugin.headers["Retry-After"] == "12"
    assert plugin.json() == load("answers_errors_and_throttling.json")["throttled_by_plugin_json"]["body"]
    host = get(shop, **QUERY)
    assert host.status_code == 429 and host.headers["Retry-After"] == "30"
    assert host.headers["Content-Type"].startswith("text/html")
    assert get(shop, **QUERY).status_code == 200


def test_server_error_and_html_pages_on_demand(shop):
    shop.fail_next(1)
    shop.serve_html_next(1)
    shop.serve_html_next(1, page="login")
    error = get(shop)
    assert error.status_code == 500 and error.json()["code"] == "internal_server_error"
    maintenance = get(shop)
    assert maintenance.status_code == 503 and maintenance.headers["Retry-After"] == "600"
    login = get(shop)
    assert login.status_code == 200 and "loginform" in login.text
    assert get(shop).status_code == 200


def test_push_backs_are_recorded(shop):
    pushback = load("pushback_requests.json")
    auth = (shop.consumer_key, shop.consumer_secret)
    for name in (
        "stock_simple_product",
        "stock_variation",
        "tracking_note_partial_shipment",
        "complete_when_all_shipped",
    ):
        request = pushback[name]["request"]
        answer = requests.request(
            request["method"], shop.url + request["path"], json=request["body"], auth=auth, timeout=5
        )
        assert answer.status_code == pushback[name]["status"], name
    assert shop.stock_updates == [
        {"product_id": 812, "variation_id": None, "body": {"manage_stock": True, "stock_quantity": 37}},
        {"product_id": 820, "variation_id": 823, "body": {"manage_stock": True, "stock_quantity": 0}},
    ]
    assert shop.notes == [(5101, pushback["tracking_note_partial_shipment"]["request"]["body"])]
    assert shop.order_updates == [(5101, {"status": "completed"})]
    assert get(shop, path=f"{ORDERS}/5101").json()["status"] == "completed"

    refund = pushback["refund_one_line"]["request"]
    gateway_refund = {**refund["body"], "api_refund": True}
    assert requests.post(shop.url + refund["path"], json=gateway_refund, auth=auth, timeout=5).status_code == 500
    created = requests.post(shop.url + refund["path"], json=refund["body"], auth=auth, timeout=5)
    assert created.status_code == 201 and created.json()["amount"] == "51.73"
    assert shop.refunds == [(5098, refund["body"])]
    listed = get(shop, path=f"{ORDERS}/5098/refunds").json()
    assert [item["reason"] for item in listed] == [refund["body"]["reason"]]
    unknown = requests.post(f"{shop.url}{ORDERS}/1/notes", json={"note": "x"}, auth=auth, timeout=5)
    assert unknown.status_code == 404 and unknown.json()["code"] == "woocommerce_rest_shop_order_invalid_id"


def test_products_found_by_sku_with_variations_and_stock_set_in_batches(shop):
    shop.add_products(
        [
            {"id": 812, "sku": "OMS-KET-01"},
            {"id": 820, "sku": "OMS-MUG", "type": "variable"},
            {"id": 823, "sku": "OMS-MUG-BLU", "type": "variation", "parent_id": 820},
        ]
    )
    by_sku = get(shop, path="/wp-json/wc/v3/products", sku="OMS-KET-01,OMS-MUG-BLU").json()
    assert [(product["id"], product["parent_id"]) for product in by_sku] == [(812, 0), (823, 820)]
    by_id = get(shop, path="/wp-json/wc/v3/products", include="812,823").json()
    assert [product["id"] for product in by_id] == [812], "include never finds variations"
    assert get(shop, path="/wp-json/wc/v3/products/823").json()["parent_id"] == 820

    auth = (shop.consumer_key, shop.consumer_secret)
    batch = {
        "update": [{"id": 812, "stock_quantity": 37}, {"id": 823, "stock_quantity": 1}, {"id": 9, "stock_quantity": 1}]
    }
    answer = requests.post(f"{shop.url}/wp-json/wc/v3/products/batch", json=batch, auth=auth, timeout=5)
    assert answer.status_code == 200
    assert [item.get("error", {}).get("code") for item in answer.json()["update"]] == [
        None,
        "woocommerce_rest_invalid_product_id",
        "woocommerce_rest_product_invalid_id",
    ]
    variations = {"update": [{"id": 823, "manage_stock": True, "stock_quantity": 0}]}
    url = f"{shop.url}/wp-json/wc/v3/products/820/variations/batch"
    assert "error" not in requests.post(url, json=variations, auth=auth, timeout=5).json()["update"][0]
    assert shop.stock_updates == [
        {"product_id": 812, "variation_id": None, "body": {"stock_quantity": 37}},
        {"product_id": 820, "variation_id": 823, "body": {"manage_stock": True, "stock_quantity": 0}},
    ]
