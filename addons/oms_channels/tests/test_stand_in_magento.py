"""The local Magento REST stand-in answers as API.md documents Magento 2 (plain pytest with ``requests``, no
database): the updated_at filter and its pages as the fixtures show them, the last page served again past the end,
the 401 body, the 429 throttle, 500 and HTML pages on demand, and the push-backs recorded."""

import json
from pathlib import Path

import pytest
import requests

from odoo.addons.oms_channels.stand_ins.magento import LocalMagento

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "magento"
TOKEN = "casa-lumen-token"


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def order(number: int) -> dict:
    (path,) = FIXTURES.glob(f"order-{number}-*.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def shop():
    with LocalMagento(access_token=TOKEN) as shop:
        shop.add_orders([order(number) for number in (101, 102, 103, 104)])
        yield shop


def criteria(page: int, since: str = "2026-03-01 00:00:00", page_size: int = 2) -> dict:
    return {
        "searchCriteria[filter_groups][0][filters][0][field]": "updated_at",
        "searchCriteria[filter_groups][0][filters][0][value]": since,
        "searchCriteria[filter_groups][0][filters][0][condition_type]": "gteq",
        "searchCriteria[sortOrders][0][field]": "updated_at",
        "searchCriteria[sortOrders][0][direction]": "ASC",
        "searchCriteria[sortOrders][1][field]": "entity_id",
        "searchCriteria[sortOrders][1][direction]": "ASC",
        "searchCriteria[pageSize]": str(page_size),
        "searchCriteria[currentPage]": str(page),
    }


def get_orders(shop, params, token=TOKEN, store=""):
    return requests.get(
        f"{shop.url}/rest/{store}V1/orders", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def post(shop, path, body, token=TOKEN):
    return requests.post(
        f"{shop.url}/rest/V1{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def test_pull_over_two_pages_answers_as_the_fixtures_then_repeats_the_last_page(shop):
    pages = [get_orders(shop, criteria(page)) for page in (1, 2, 3)]
    assert [response.status_code for response in pages] == [200, 200, 200]
    assert pages[0].json() == load("orders-list-page-1.json")
    assert pages[1].json() == load("orders-list-page-2.json")
    assert [item["entity_id"] for item in pages[2].json()["items"]] == [104, 103]  # clamped, never empty
    assert pages[2].json()["search_criteria"]["current_page"] == 3


def test_the_filter_on_updated_at_and_the_store_code(shop):
    answer = get_orders(shop, criteria(1, since="2026-03-05 00:00:00", page_size=10), store="default/").json()
    assert [item["entity_id"] for item in answer["items"]] == [104, 103]
    assert answer["total_count"] == 2
    assert shop.requests[-1].store_code == "default"
    everything = get_orders(shop, {}).json()  # no pageSize: everything, entity_id order
    assert [item["entity_id"] for item in everything["items"]] == [101, 102, 103, 104]


def test_camel_case_filters_and_the_default_descending_sort(shop):
    params = {
        "searchCriteria[filterGroups][0][filters][0][field]": "updated_at",
        "searchCriteria[filterGroups][0][filters][0][value]": "2026-03-03 18:40:03",
        "searchCriteria[filterGroups][0][filters][0][conditionType]": "gt",
        "searchCriteria[sortOrders][0][field]": "updated_at",
    }
    assert [item["entity_id"] for item in get_orders(shop, params).json()["items"]] == [103, 104]


def test_a_refused_credential_answers_magentos_401(shop):
    response = get_orders(shop, criteria(1), token="wrong")
    assert response.status_code == 401
    assert response.json() == load("error-401-unauthorized.json")
    with LocalMagento(access_token=TOKEN, bearer_enabled=False) as strict:
        assert get_orders(strict, criteria(1)).status_code == 401
    assert requests.get(f"{shop.url}/rest/V1/orders", timeout=5).status_code == 401


def test_throttled_then_success(shop):
    shop.throttle_next(1)
    throttled = get_orders(shop, criteria(1))
    assert throttled.status_code == 429
    assert throttled.json() == load("throttled-429.json")
    assert throttled.headers["Cache-Control"] == "no-store" and "Retry-After" not in throttled.headers
    assert get_orders(shop, criteria(1)).json() == load("orders-list-page-1.json")
    shop.throttle_next(1, status=503, retry_after=7)
    assert get_orders(shop, criteria(1)).headers["Retry-After"] == "7"


def test_server_error_and_html_page_on_demand(shop):
    shop.fail_next(1)
    shop.html_next(1)
    failed = get_orders(shop, criteria(1))
    assert failed.status_code == 500 and failed.json()["message"] == "internal error"
    html = get_orders(shop, criteria(1))
    assert html.status_code == 503 and html.headers["Content-Type"].startswith("text/html")
    assert get_orders(shop, criteria(1)).status_code == 200


def test_page_size_over_the_input_limit_is_refused(shop):
    response = get_orders(shop, criteria(1, page_size=301))
    assert response.status_code == 400 and response.json()["parameters"] == {"max": 300}


def test_stock_update_is_recorded(shop):
    body = {"sourceItems": [{"sku": "CL-TAZA-GRES", "source_code": "madrid_wh", "quantity": 37, "status": 1}]}
    response = post(shop, "/inventory/source-items", body)
    assert (response.status_code, response.json()) == (200, [])
    assert shop.source_item_updates == [body["sourceItems"]]
    assert post(shop, "/inventory/source-items", {"sourceItems": [{"sku": "X"}]}).status_code == 400
    assert post(shop, "/inventory/source-items", body, token="wrong").json()["parameters"] == {
        "resources": "Magento_InventoryApi::source_item"
    }
    assert len(shop.source_item_updates) == 1


def test_shipment_with_tracks_is_recorded_and_completes_the_order(shop):
    body = {
        "items": [{"order_item_id": 1011, "qty": 1}, {"order_item_id": 1013, "qty": 2}],
        "notify": True,
        "tracks": [{"track_number": "SEUR123", "title": "SEUR", "carrier_code": "custom"}],
    }
    response = post(shop, "/order/101/ship", body)
    assert response.status_code == 200 and isinstance(response.json(), int)
    assert shop.shipments == [(101, body)]
    shipped = shop.order(101)
    assert shipped["state"] == "complete" and shipped["updated_at"] > "2026-03-02 10:05:10"
    assert post(shop, "/order/101/ship", body).status_code == 400  # nothing left to ship
    assert post(shop, "/order/999/ship", body).status_code == 404
    assert len(shop.shipments) == 1


def test_refund_is_recorded_only_on_an_invoiced_order(shop):
    body = {"items": [{"order_item_id": 1013, "qty": 1}], "notify": True, "arguments": {"shipping_amount": 0}}
    response = post(shop, "/order/101/refund", body)
    assert response.status_code == 200 and isinstance(response.json(), int)
    assert shop.refunds == [(101, body)]
    refused = post(shop, "/order/102/refund", body)  # cash on delivery, never invoiced
    assert refused.status_code == 400 and refused.json()["message"] == "We can't create creditmemo for the order."
    assert len(shop.refunds) == 1


def get(shop, path, params=None, token=TOKEN):
    return requests.get(
        f"{shop.url}/rest/V1{path}", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def test_credit_memos_are_listed_by_order_and_a_refund_adds_one_with_its_total_and_comment(shop):
    shop.add_creditmemos(load("creditmemos-order-103.json")["items"])
    by_order = {"searchCriteria[filter_groups][0][filters][0][field]": "order_id"}
    by_order["searchCriteria[filter_groups][0][filters][0][value]"] = "101,103"
    by_order["searchCriteria[filter_groups][0][filters][0][condition_type]"] = "in"
    assert [memo["entity_id"] for memo in get(shop, "/creditmemos", by_order).json()["items"]] == [9031]
    body = {
        "items": [{"order_item_id": 1013, "qty": 1}],
        "arguments": {"shipping_amount": 4, "adjustment_positive": 1},
        "comment": {"comment": "[OMS refund R1]", "is_visible_on_front": 0},
    }
    memo_id = post(shop, "/order/101/refund", body).json()
    listed = get(shop, "/creditmemos", by_order).json()["items"]
    assert [memo["entity_id"] for memo in listed] == [memo_id, 9031]
    assert listed[0]["grand_total"] == 16.73  # 10.89 (one cup after the coupon) + 4.84 shipping + 1
    assert listed[0]["comments"][0]["comment"] == "[OMS refund R1]"
    assert get(shop, "/orders/101").json()["total_refunded"] == 16.73


def test_single_stock_items_are_read_and_set_by_sku(shop):
    item = shop.add_stock_item("CL-TAZA-GRES", qty=3)
    assert get(shop, "/stockItems/CL-TAZA-GRES").json()["item_id"] == item["item_id"]
    body = {"stockItem": {"qty": 40, "is_in_stock": True}}
    url = f"{shop.url}/rest/all/V1/products/CL-TAZA-GRES/stockItems/{item['item_id']}"
    answer = requests.put(url, json=body, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert answer.json() == item["item_id"] and shop.stock_items["CL-TAZA-GRES"]["qty"] == 40
    assert shop.stock_item_updates == [("CL-TAZA-GRES", item["item_id"], body)]
    assert get(shop, "/stockItems/NOPE").json()["parameters"] == ["NOPE"]


def test_an_integration_without_a_resource_is_refused_naming_it(shop):
    shop.deny("orders")
    refused = get_orders(shop, criteria(1))
    assert refused.status_code == 401 and refused.json()["parameters"] == {"resources": "Magento_Sales::actions_view"}
    assert post(shop, "/inventory/source-items", {"sourceItems": []}).status_code == 400  # other resources: allowed
