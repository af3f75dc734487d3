"""The marketplace REST connector against the local marketplace server (plain pytest, no database)."""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from odoo.addons.oms_channels.services.errors import ConnectorConfigurationError, ConnectorError
from odoo.addons.oms_channels.services.rest_connector import RestConnector
from odoo.addons.oms_channels.stand_ins.marketplace import LocalMarketplace
from odoo.addons.oms_channels.stand_ins.orders import make_order
from odoo.addons.oms_intelligent.stand_ins.tattletale import LocalTattletale


@pytest.fixture
def market():
    with LocalMarketplace(api_key="test-key", shop="Mercado Local") as market:
        yield market


def connector(market, **options):
    options = {"backoff": 0.01, **options}
    return RestConnector(market.url, market.api_key, **options)


def order_requests(market):
    return [request for request in market.requests if request.path == "/orders"]


def test_test_connection_names_the_shop(market):
    assert connector(market).test_connection() == "Connected to Mercado Local"


def test_all_orders_are_fetched_once_across_pages(market):
    market.add_orders([make_order(f"MK-{number:04d}") for number in range(250)])
    orders = list(connector(market, per_page=100).fetch_orders(None))
    assert [order["external_id"] for order in orders] == [f"MK-{number:04d}" for number in range(250)]
    assert [request.query["page"] for request in order_requests(market)] == ["1", "2", "3"]


def test_only_orders_updated_after_since_are_fetched(market):
    market.add_orders(
        [
            make_order("MK-OLD", updated_at="2026-11-20T09:00:00Z"),
            make_order("MK-SAME", updated_at="2026-11-20T10:00:00Z"),
            make_order("MK-NEW", updated_at="2026-11-20T12:00:00+01:00"),
            make_order("MK-NEWER", updated_at="2026-11-21T08:00:00Z"),
        ]
    )
    since = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    orders = list(connector(market).fetch_orders(since))
    assert [order["external_id"] for order in orders] == ["MK-NEW", "MK-NEWER"]
    assert order_requests(market)[0].query["since"] == "2026-11-20T10:00:00Z"


def test_an_empty_since_fetches_every_order(market):
    market.add_orders([make_order("MK-1"), make_order("MK-2")])
    assert len(list(connector(market).fetch_orders(False))) == 2, "False: an empty Odoo Datetime field"
    assert "since" not in order_requests(market)[0].query


def test_malformed_orders_are_passed_through_for_quarantine(market):
    market.add_orders([make_order("MK-1"), {"external_id": "MK-BROKEN", "lines": "nonsense"}])
    orders = list(connector(market).fetch_orders(None))
    assert {"external_id": "MK-BROKEN", "lines": "nonsense"} in orders
    assert len(orders) == 2


def test_server_errors_are_retried_until_the_marketplace_answers(market):
    market.add_orders([make_order("MK-1")])
    market.fail_next(2, status=500)
    orders = list(connector(market).fetch_orders(None))
    assert [order["external_id"] for order in orders] == ["MK-1"]
    assert len(market.requests) == 3


def test_a_marketplace_that_keeps_failing_gives_a_transient_error_after_max_retries(market):
    market.fail_next(10, status=503)
    with pytest.raises(ConnectorError) as caught:
        list(connector(market, max_retries=3).fetch_orders(None))
    assert str(caught.value) == "marketplace answered 503 after 3 attempts"
    assert caught.value.transient is True
    assert not isinstance(caught.value, ConnectorConfigurationError)
    assert len(market.requests) == 3


def test_a_slow_answer_times_out_and_is_retried(market):
    market.delay_next(1, 0.5)
    assert connector(market, timeout=0.2).test_connection() == "Connected to Mercado Local"
    assert len(market.requests) == 2


def test_a_marketplace_that_keeps_timing_out_gives_a_transient_error(market):
    market.delay_next(3, 0.5)
    with pytest.raises(ConnectorError) as caught:
        connector(market, timeout=0.2, max_retries=3).test_connection()
    assert str(caught.value) == "marketplace did not answer within 0.2 s after 3 attempts: check the endpoint URL"
    assert caught.value.transient is True
    assert len(market.requests) == 3


def test_unreachable_marketplace_is_a_transient_error():
    with LocalMarketplace() as market:
        url = market.url
    with pytest.raises(ConnectorError) as caught:
        RestConnector(url, "test-key", backoff=0.01).test_connection()
    assert "could not be reached after 3 attempts" in str(caught.value)
    assert caught.value.transient is True


def test_wrong_api_key_fails_at_once_without_showing_the_key(market, caplog):
    secret = "sk-live-wrong-0123456789"
    with caplog.at_level(logging.DEBUG), pytest.raises(ConnectorConfigurationError) as caught:
        RestConnector(market.url, secret, backoff=0.01).test_connection()
    assert "401" in str(caught.value) and "check the API key" in str(caught.value)
    assert caught.value.transient is False
    assert len(market.requests) == 1, "a refused key is not retried"
    assert secret not in str(caught.value) and secret not in repr(caught.value.args)
    assert secret not in caplog.text


def test_wrong_endpoint_url_says_to_check_it(market):
    with pytest.raises(ConnectorConfigurationError) as caught:
        RestConnector(market.url + "/api/v9", market.api_key).test_connection()
    assert "404" in str(caught.value) and "check the endpoint URL" in str(caught.value)
    assert len(market.requests) == 1


def test_broken_json_page_is_a_connector_error(market):
    market.add_orders([make_order("MK-1")])
    market.serve_broken_json_next(1)
    with pytest.raises(ConnectorError) as caught:
        list(connector(market).fetch_orders(None))
    assert "invalid JSON" in str(caught.value)


def test_push_stock_reaches_the_marketplace(market):
    items = [{"sku": "OMS-001", "quantity": 12.0}, {"sku": "OMS-002", "quantity": 0.0}]
    assert connector(market).push_stock(items) == 2
    assert market.stock_updates == [items]
    assert connector(market).push_stock([]) == 0, "nothing to send: no call"
    assert len(market.stock_updates) == 1


def test_push_tracking_reaches_the_marketplace(market):
    market.add_orders([make_order("MK-1"), make_order("MK 2/B")])
    shop = connector(market)
    shop.push_tracking("MK-1", "SEUR", "1Z999", "https://track.example/1Z999")
    shop.push_tracking("MK 2/B", "Correos", "PK123,PK124", None, tracking_numbers=["PK123", "PK124"])
    assert market.shipments == [
        (
            "MK-1",
            {
                "carrier": "SEUR",
                "tracking_number": "1Z999",
                "tracking_numbers": ["1Z999"],
                "tracking_url": "https://track.example/1Z999",
            },
        ),
        ("MK 2/B", {"carrier": "Correos", "tracking_number": "PK123,PK124", "tracking_numbers": ["PK123", "PK124"]}),
    ]


def test_tracking_of_an_unknown_order_tells_why(market):
    with pytest.raises(ConnectorConfigurationError) as caught:
        connector(market).push_tracking("MK-404", "SEUR", "1Z999")
    assert "unknown order MK-404" in str(caught.value)


def test_marketplace_serves_several_clients_at_once(market):
    market.add_orders([make_order(f"MK-{number:03d}") for number in range(120)])

    def fetch(_index):
        return len(list(connector(market, per_page=25).fetch_orders(None)))

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(fetch, range(8))) == [120] * 8


def test_messages_hold_neither_the_api_key_nor_the_endpoint_url_even_when_the_marketplace_echoes_them():
    with LocalTattletale(status=401) as tattletale:
        url = f"{tattletale.url}/shop-t0k3n-123"
        with pytest.raises(ConnectorConfigurationError) as caught:
            RestConnector(url, "sk-live-key-456", backoff=0.01).test_connection()
    message = str(caught.value)
    assert message.startswith("marketplace answered 401 (") and message.endswith("check the API key")
    for secret in ("sk-live-key-456", "t0k3n-123", "127.0.0.1"):
        assert secret not in message


def test_an_unreachable_or_nameless_marketplace_is_said_without_its_url(market):
    market.shop = ""
    assert RestConnector(market.url, market.api_key).test_connection() == "Connected to the marketplace"
    with LocalMarketplace() as stopped:
        gone = f"{stopped.url}/t0k3n-123"
    with pytest.raises(ConnectorError) as caught:
        RestConnector(gone, "key", max_retries=1).test_connection()
    assert str(caught.value) == "marketplace could not be reached after 1 attempts: check the endpoint URL"
