"""The local PrestaShop webservice answers as API.md documents it (plain pytest with requests, no database)."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from odoo.addons.oms_channels.stand_ins.prestashop import LocalPrestashop
from odoo.addons.oms_channels.tests.test_prestashop_client import DOCUMENTS

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "prestashop"
REFERENCES = DOCUMENTS  # what a shop's webservice serves besides its orders
WINDOW = "[2026-11-20 00:00:00,2026-12-01 00:00:00]"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


@pytest.fixture
def shop():
    with LocalPrestashop() as shop:
        shop.add_orders([fixture("orders_page_1.xml"), fixture("orders_page_2.xml")])
        for resource, name in REFERENCES.items():
            shop.add_documents(resource, fixture(name))
        yield shop


def get(shop, path, key=None, **params):
    return requests.get(f"{shop.url}/api/{path}", params=params, auth=(key or shop.key, ""), timeout=5)


def page(shop, offset, count=3, **extra):
    params = {"display": "full", "date": "1", "filter[date_upd]": WINDOW, "sort": "[date_upd_ASC,id_ASC]"}
    return get(shop, "orders", limit=f"{offset},{count}", **{**params, **extra})


def ids(response, node="order"):
    return [element.findtext("id") for element in ET.fromstring(response.content).iter(node)]


def test_pull_over_two_pages_with_the_date_filter(shop):
    first, second, third = page(shop, 0), page(shop, 3), page(shop, 6)
    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 200]
    assert ids(first) == ["101", "103", "102"]
    assert ids(second) == ["104"]  # fewer than 3: the end
    assert ids(third) == []
    assert first.headers["Content-Type"] == "text/xml;charset=utf-8"
    assert first.headers["X-Powered-By"] == "PrestaShop Webservice" and first.headers["PSWS-Version"]
    # the order nodes are served as the fixture page has them
    assert "<order>\n\t<id><![CDATA[101]]></id>" in first.text
    # the interval is inclusive, on the shop's local time
    narrow = page(shop, 0, 10, **{"filter[date_upd]": "[2026-11-30 12:00:00,2026-12-01 00:00:00]"})
    assert ids(narrow) == ["104"]
    # without date=1 the date filter does not exist
    refused = get(shop, "orders", display="full", **{"filter[date_upd]": WINDOW})
    assert refused.status_code == 400
    assert ET.fromstring(refused.content).findtext("errors/error/code") == "32"
    # without display=full only ids and links
    assert '<order id="101" xlink:href=' in get(shop, "orders", limit="0,1", **{"sort": "[id_ASC]"}).text


def test_references_by_id_and_by_order(shop):
    customers = get(shop, "customers", display="full", **{"filter[id]": "[1|4]"})
    assert ids(customers, "customer") == ["1", "4"]
    details = get(shop, "order_details", display="full", **{"filter[id_order]": "[101]"})
    assert details.status_code == 200 and ids(details, "order_detail")
    assert all(element.findtext("id_order") == "101" for element in ET.fromstring(details.content).iter("order_detail"))
    slips = get(shop, "order_slip", display="full", **{"filter[id_order]": "[103|104]"})
    assert ids(slips, "order_slip") == ["41", "42"]
    assert get(shop, "orders/103").status_code == 200
    assert get(shop, "orders/999").status_code == 404


def test_refused_credentials(shop):
    bad = get(shop, "orders", key="X" * 32)
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"].startswith('Basic realm="Welcome to PrestaShop Webservice')
    assert "PSWS-Version" not in bad.headers
    assert ET.fromstring(bad.content).findtext("errors/error/code") == "20"
    assert requests.get(f"{shop.url}/api/orders", timeout=5).status_code == 401
    assert ET.fromstring(get(shop, "orders", key="short").content).findtext("errors/error/code") == "18"
    shop.forbid_resource("order_slip")
    forbidden = get(shop, "order_slip", display="full")
    assert forbidden.status_code == 401 and ET.fromstring(forbidden.content).findtext("errors/error/code") == "26"
    shop.webservice_enabled = False
    disabled = get(shop, "orders")
    assert disabled.status_code == 503 and ET.fromstring(disabled.content).findtext("errors/error/code") == "22"


def test_throttled_then_served(shop):
    shop.throttle_next(1, status=429, retry_after=30)
    shop.throttle_next(1, status=503, retry_after=None)
    throttled = page(shop, 0)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "30"
    assert throttled.headers["Content-Type"].startswith("text/html") and "X-Powered-By" not in throttled.headers
    nginx = page(shop, 0)
    assert nginx.status_code == 503 and "Retry-After" not in nginx.headers and "<prestashop" not in nginx.text
    assert ids(page(shop, 0)) == ["101", "103", "102"]


def test_failures_and_html_pages(shop):
    shop.fail_next(1)
    shop.serve_html_next(1, "maintenance")
    shop.serve_html_next(1, "login")
    failed = page(shop, 0)
    assert failed.status_code == 500 and ET.fromstring(failed.content).findtext("errors/error/code") == "2"
    maintenance, login = page(shop, 0), page(shop, 0)
    assert maintenance.status_code == 503 and maintenance.text.startswith("<!doctype html>")
    assert login.status_code == 200 and "<prestashop" not in login.text
    assert page(shop, 0).status_code == 200


def test_push_backs_are_recorded(shop):
    url = shop.url
    auth = (shop.key, "")
    stock_body = fixture("push_stock_available_put.xml")
    stock = requests.put(f"{url}/api/stock_availables/88", data=stock_body, auth=auth, timeout=5)
    assert stock.status_code == 200
    assert shop.stock_updates[0].id == 88 and shop.stock_updates[0].fields["quantity"] == "37"
    carrier = requests.put(
        f"{url}/api/order_carriers/201",
        params={"sendemail": "1"},
        data=fixture("push_order_carrier_put.xml"),
        auth=auth,
        timeout=5,
    )
    assert carrier.status_code == 200
    record = shop.carrier_updates[0]
    assert (record.id, record.fields["tracking_number"], record.query) == (201, "3230012345678901", {"sendemail": "1"})
    history = requests.post(
        f"{url}/api/order_histories",
        params={"sendemail": "1"},
        data=fixture("push_order_history_post.xml"),
        auth=auth,
        timeout=5,
    )
    assert history.status_code == 201 and ET.fromstring(history.content).findtext("order_history/id")
    assert shop.state_changes[0].fields["id_order_state"] == "4" and shop.state_changes[0].fields["id_order"] == "101"
    # the id in the body must be the one of the path; POST on stock_availables is not allowed
    wrong = requests.put(f"{url}/api/stock_availables/89", data=stock_body, auth=auth, timeout=5)
    assert wrong.status_code == 400
    assert requests.post(f"{url}/api/stock_availables", data="<prestashop/>", auth=auth, timeout=5).status_code == 405
    assert len(shop.stock_updates) == 1
