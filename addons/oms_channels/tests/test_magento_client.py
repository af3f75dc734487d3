"""The Magento 2 client against the local Magento stand-in (plain pytest, no database): what a user of the channel
notices, i.e. every order pulled once and oldest first, refunds arriving with their credit memos, throttling and
server errors survived, refusals saying what to fix (without a secret), and stock, shipments and refunds arriving at
the shop once."""

import dataclasses
import json
from datetime import datetime
from pathlib import Path

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
from odoo.addons.oms_channels.services.platforms.magento import STAGED_CREDITMEMOS, map_staged
from odoo.addons.oms_channels.services.platforms.magento_client import MagentoClient
from odoo.addons.oms_channels.stand_ins.magento import LocalMagento

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "magento"
TOKEN = "casa-lumen-integration-token-5f2a"


def order(number: int) -> dict:
    (path,) = FIXTURES.glob(f"order-{number}-*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def creditmemos_103() -> list[dict]:
    return json.loads((FIXTURES / "creditmemos-order-103.json").read_text(encoding="utf-8"))["items"]


@pytest.fixture
def shop():
    with LocalMagento(access_token=TOKEN) as shop:
        older = dict(order(101), entity_id=100, increment_id="1000000099", updated_at="2026-02-10 08:00:00")
        shop.add_orders([older] + [order(number) for number in (101, 102, 103, 104)])
        shop.add_creditmemos(creditmemos_103())
        yield shop


def client_of(shop, token=TOKEN, base_url=None, **options) -> MagentoClient:
    credentials = {"base_url": base_url or shop.url, "access_token": token, "store_code": "default"}
    return MagentoClient.from_credentials(credentials, sleep=options.pop("sleep", lambda seconds: None), **options)


def order_requests(shop) -> list:
    return [request for request in shop.requests if request.path.endswith("/V1/orders")]


def assert_no_secret(shop, message: str, token=TOKEN):
    assert token not in message and shop.url not in message and "127.0.0.1" not in message


# --- pull -----------------------------------------------------------------------------------------------------------


def test_pull_over_pages_gives_only_orders_since_the_cursor_oldest_first_each_once(shop):
    pulled = list(client_of(shop, page_size=2).fetch_orders(datetime(2026, 3, 1)))
    assert [payload["entity_id"] for payload in pulled] == [101, 102, 104, 103]  # not 100 (February)
    assert [payload["updated_at"] for payload in pulled] == sorted(payload["updated_at"] for payload in pulled)
    requests = order_requests(shop)
    assert len(requests) == 2  # the end is known from total_count: no page asked past it
    assert requests[0].store_code == "default"
    first = requests[0].query
    assert first["searchCriteria[filter_groups][0][filters][0][field]"] == "updated_at"
    assert first["searchCriteria[filter_groups][0][filters][0][value]"] == "2026-03-01 00:00:00"
    assert first["searchCriteria[pageSize]"] == "2"
    everything = list(client_of(shop, page_size=2).fetch_orders(None))
    assert [payload["entity_id"] for payload in everything] == [100, 101, 102, 104, 103]


def test_an_order_updated_while_the_pull_reads_skips_no_other_order(shop):
    pulled = []
    for payload in client_of(shop, page_size=2).fetch_orders(datetime(2026, 3, 1)):
        pulled.append(payload["entity_id"])
        if len(pulled) == 1:  # 101 changes on the shop (a comment, an invoice) while page 1 is being staged
            with shop.lock:
                shop.order(101)["updated_at"] = "2026-03-20 09:00:00"
    assert pulled == [101, 102, 104, 103, 101]  # numbered pages would have shifted and skipped 104


def test_refunds_arrive_with_their_credit_memos_in_the_channel_order(shop):
    pulled = {payload["entity_id"]: payload for payload in client_of(shop).fetch_orders(datetime(2026, 3, 1))}
    assert [memo["entity_id"] for memo in pulled[103][STAGED_CREDITMEMOS]] == [9031]
    assert all(STAGED_CREDITMEMOS not in pulled[number] for number in (101, 102, 104))
    memo_requests = [request for request in shop.requests if request.path.endswith("/V1/creditmemos")]
    assert len(memo_requests) == 1  # one search for the page's refunded orders, not one per order
    refunds = parse_channel_order(map_staged(pulled[103])).refunds
    assert [(refund.external_id, refund.amount) for refund in refunds] == [("9031", 239.7)]
    assert sorted((line.external_line_id, line.quantity) for line in refunds[0].lines) == [("1031", 3), ("1032", 4)]


def test_every_pulled_order_maps_and_parses_with_its_grand_total(shop):
    for payload in client_of(shop, page_size=3).fetch_orders(None):
        channel_order = parse_channel_order(map_staged(payload))
        assert channel_order.external_id == str(payload["entity_id"])
        assert channel_order.grand_total == payload["grand_total"]
    cancelled = parse_channel_order(map_staged(shop.order(104)))
    assert cancelled.status == "cancelled"


def test_throttled_answers_are_waited_out_and_nothing_is_lost(shop):
    waits = []
    shop.throttle_next(1)  # Magento's backpressure 429: no Retry-After
    shop.throttle_next(1, status=503, retry_after=2)  # a front end's 503 asking to wait 2 s
    pulled = list(client_of(shop, page_size=2, sleep=waits.append).fetch_orders(None))
    assert [payload["entity_id"] for payload in pulled] == [100, 101, 102, 104, 103]
    assert waits[1] == 2 and len(waits) == 2


def test_a_server_error_is_retried_and_nothing_is_lost(shop):
    shop.fail_next(1)
    pulled = list(client_of(shop, page_size=2).fetch_orders(None))
    assert [payload["entity_id"] for payload in pulled] == [100, 101, 102, 104, 103]


def test_a_server_failing_every_time_is_a_transient_error(shop):
    pulled = []
    shop.fail_next(50)
    with pytest.raises(ConnectorError) as failure:
        pulled.extend(client_of(shop, page_size=2).fetch_orders(None))
    assert failure.value.transient and "500" in str(failure.value)
    assert pulled == []
    assert_no_secret(shop, str(failure.value))


def test_a_later_page_failing_every_time_raises_after_the_pages_read(shop):
    pulled = []
    client = client_of(shop, page_size=2)
    with pytest.raises(ConnectorError) as failure:
        for payload in client.fetch_orders(None):
            pulled.append(payload["entity_id"])
            if len(pulled) == 2:  # page 1 read; every call from now on fails
                shop.fail_next(50)
    assert failure.value.transient and pulled == [100, 101]  # the pull's cursor stays: page 2 comes next run


# --- test connection and refusals -----------------------------------------------------------------------------------


def test_connection_reads_the_orders(shop):
    assert "5 order(s)" in client_of(shop).test_connection()
    assert order_requests(shop)[-1].query["searchCriteria[pageSize]"] == "1"


def assert_names_the_token_and_the_store_setting(message: str):
    assert "401" in message and "access token" in message
    assert "Allow OAuth Access Tokens to be used as standalone Bearer tokens" in message


def test_a_wrong_token_names_the_token_and_the_store_setting(shop):
    with pytest.raises(ConnectorConfigurationError) as refused:
        client_of(shop, token="not-the-right-token").test_connection()
    assert_names_the_token_and_the_store_setting(str(refused.value))
    assert_no_secret(shop, str(refused.value), token="not-the-right-token")


def test_bearer_tokens_not_allowed_by_the_store_names_the_store_setting():
    with LocalMagento(access_token=TOKEN, bearer_enabled=False) as strict:
        with pytest.raises(ConnectorConfigurationError) as refused:
            client_of(strict).test_connection()
        assert_names_the_token_and_the_store_setting(str(refused.value))
        assert_no_secret(strict, str(refused.value))


def test_an_integration_without_the_resource_is_told_which_resource(shop):
    shop.deny("orders")
    with pytest.raises(ConnectorConfigurationError) as refused:
        client_of(shop).test_connection()
    message = str(refused.value)
    assert "Magento_Sales::actions_view" in message and "%resources" not in message
    assert "Integrations" in message
    assert_no_secret(shop, message)


def test_an_html_page_instead_of_data_is_a_clear_error(shop):
    shop.html_next(1, status=200)  # a login or maintenance page served as 200 by a proxy
    with pytest.raises(ConnectorError) as failure:
        list(client_of(shop).fetch_orders(None))
    assert "HTML page" in str(failure.value) and "shop URL" in str(failure.value)
    assert_no_secret(shop, str(failure.value))


def test_a_wrong_base_url_or_host_says_so(shop):
    with pytest.raises(ConnectorConfigurationError) as refused:
        client_of(shop, base_url=f"{shop.url}/magento").test_connection()
    assert "404" in str(refused.value) and "base URL" in str(refused.value) and "store code" in str(refused.value)
    assert_no_secret(shop, str(refused.value))
    with pytest.raises(ConnectorError) as unreachable:
        client_of(shop, base_url="http://127.0.0.1:9", max_retries=1).test_connection()
    assert "host name" in str(unreachable.value) and "127.0.0.1" not in str(unreachable.value)


# --- push-back ------------------------------------------------------------------------------------------------------


def test_stock_reaches_the_magento_sources_and_the_single_stock(shop):
    shop.add_stock_item("CL-SILLA-ROBLE", qty=1)
    levels = [
        StockLevel(sku="CL-TAZA-GRES", location_id="madrid_wh", quantity=37),
        StockLevel(sku="CL-MANTA-LINO-ARENA", location_id="lisboa_wh", quantity=0),
        StockLevel(sku="CL-SILLA-ROBLE", quantity=12.5),
    ]
    assert client_of(shop).push_stock(levels) == 3
    assert shop.source_item_updates == [
        [
            {"sku": "CL-TAZA-GRES", "source_code": "madrid_wh", "quantity": 37, "status": 1},
            {"sku": "CL-MANTA-LINO-ARENA", "source_code": "lisboa_wh", "quantity": 0, "status": 0},
        ]
    ]
    assert shop.stock_items["CL-SILLA-ROBLE"]["qty"] == 12.5 and shop.stock_items["CL-SILLA-ROBLE"]["is_in_stock"]


def test_a_stock_refusal_names_the_sku(shop):
    with pytest.raises(ConnectorConfigurationError) as refused:
        client_of(shop).push_stock([StockLevel(sku="CL-NO-EXISTE", quantity=3)])
    assert "CL-NO-EXISTE" in str(refused.value) and "doesn't exist" in str(refused.value)
    assert shop.stock_item_updates == []


def test_a_partial_shipment_ships_its_lines_with_its_tracking_then_the_rest_completes_the_order(shop):
    client = client_of(shop)
    first = Shipment(
        order_external_id="101",
        tracking_number="SEUR-0001",
        carrier="SEUR",
        lines=(ShipmentLine(external_line_id="1011", quantity=1),),
        complete=False,
    )
    assert client.push_shipment(first).isdigit()
    assert shop.shipments[0] == (
        101,
        {
            "items": [{"order_item_id": 1011, "qty": 1}],
            "tracks": [{"track_number": "SEUR-0001", "title": "SEUR", "carrier_code": "custom"}],
            "notify": True,
        },
    )
    assert shop.order(101)["state"] == "processing"
    rest = Shipment(
        order_external_id="101",
        tracking_number="1Z999AA10123456784",
        carrier="UPS",
        lines=(ShipmentLine(external_line_id="1013", quantity=2),),
        complete=True,
    )
    client.push_shipment(rest)
    assert shop.shipments[1][1]["tracks"][0]["carrier_code"] == "ups"
    assert shop.order(101)["state"] == "complete"


def test_a_shipment_without_tracking_number_is_not_pushed(shop):
    untracked = Shipment(
        order_external_id="101",
        tracking_number=" ",
        carrier="SEUR",
        lines=(ShipmentLine(external_line_id="1011", quantity=1),),
        complete=False,
    )
    with pytest.raises(ValueError, match="tracking number"):
        client_of(shop).push_shipment(untracked)
    assert shop.shipments == []


def refund_of_101(key="RINV/2026/0007", amount=15.73) -> RefundRequest:
    """One cup (10.89 after the coupon, tax included) and the shipping (4.84) of order 101."""
    return RefundRequest(
        order_external_id="101",
        key=key,
        amount=amount,
        currency="EUR",
        lines=(RefundLine(external_line_id="1013", quantity=1, amount=10.89),),
        shipping_amount=4.84,
        reason="Cup arrived broken",
        restock=True,
    )


def test_a_refund_becomes_a_credit_memo_of_the_same_lines_and_amount_once(shop):
    client = client_of(shop)
    memo_id = client.push_refund(refund_of_101())
    assert client.push_refund(refund_of_101()) == memo_id  # asked twice (a retried cron): one credit memo
    assert len(shop.refunds) == 1
    order_id, body = shop.refunds[0]
    assert order_id == 101 and body["items"] == [{"order_item_id": 1013, "qty": 1}]
    assert body["arguments"]["shipping_amount"] == 4.0  # excluding tax: Magento adds the 0.84
    assert body["arguments"]["extension_attributes"] == {"return_to_stock_items": [1013]}
    memo = next(memo for memo in shop.creditmemos if str(memo["entity_id"]) == memo_id)
    assert memo["grand_total"] == 15.73
    assert "RINV/2026/0007" in memo["comments"][0]["comment"]


def test_a_refund_of_another_amount_than_magentos_prices_is_adjusted_to_the_credit_note(shop):
    client = client_of(shop)
    goodwill = client.push_refund(refund_of_101(key="RINV/2026/0008", amount=20.00))
    smaller = client.push_refund(refund_of_101(key="RINV/2026/0009", amount=12.00))
    totals = {str(memo["entity_id"]): memo["grand_total"] for memo in shop.creditmemos}
    assert (totals[goodwill], totals[smaller]) == (20.0, 12.0)
    assert shop.refunds[0][1]["arguments"]["adjustment_positive"] == 4.27
    assert shop.refunds[1][1]["arguments"]["adjustment_negative"] == 3.73


def test_a_refund_magento_refuses_names_the_order(shop):
    unpaid = dataclasses.replace(refund_of_101(), order_external_id="102", lines=(), shipping_amount=0.0, amount=5.0)
    with pytest.raises(ConnectorConfigurationError) as refused:
        client_of(shop).push_refund(unpaid)
    assert "order 102" in str(refused.value) and "creditmemo" in str(refused.value)
    assert_no_secret(shop, str(refused.value))


def test_a_refund_of_an_amount_only_refunds_that_amount_not_the_whole_order(shop):
    goodwill = dataclasses.replace(refund_of_101(key="RINV/2026/0010"), lines=(), shipping_amount=0.0, amount=5.0)
    memo_id = client_of(shop).push_refund(goodwill)
    memo = next(memo for memo in shop.creditmemos if str(memo["entity_id"]) == memo_id)
    assert memo["grand_total"] == 5.0
    assert shop.refunds[0][1]["items"] == [{"order_item_id": 1011, "qty": 0}]
