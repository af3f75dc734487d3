"""The EDI SOAP connector against the local EDI partner (plain pytest, no database)."""

from datetime import datetime

import pytest

from odoo.addons.oms_channels.services.channel_order import ChannelOrderError, parse_channel_order
from odoo.addons.oms_channels.services.errors import ConnectorConfigurationError, ConnectorError
from odoo.addons.oms_channels.services.soap_connector import SoapConnector
from odoo.addons.oms_channels.stand_ins.edi_soap import LocalEdiSoap
from odoo.addons.oms_channels.stand_ins.orders import make_order
from odoo.addons.oms_intelligent.stand_ins.hostile_soap import HOSTILE_CASES, LocalHostileWsdl, recording_local_reads


@pytest.fixture
def edi():
    with LocalEdiSoap(api_key="edi-key", partner="Distribuciones Norte") as edi:
        yield edi


def connector(edi, **options):
    return SoapConnector(edi.wsdl_url, edi.api_key, **options)


def test_test_connection_names_the_partner(edi):
    assert connector(edi).test_connection() == "Connected to Distribuciones Norte"


def test_orders_are_converted_to_the_channel_order_schema(edi):
    originals = [
        make_order("EDI-1"),
        make_order(
            "EDI-2",
            currency="GBP",
            paid=False,
            updated_at="2026-11-21T08:00:00.250000Z",
            customer={"name": "Norte Ltd", "phone": "+44 20 7946 0958", "vat": "GB123456789"},
            shipping_address={
                "name": "Warehouse",
                "street": "1 Dock Road",
                "city": "London",
                "zip": "E16 1AA",
                "country_code": "GB",
                "latitude": 51.5072,
                "longitude": 0.0263,
            },
            lines=[
                {"sku": "OMS-001", "quantity": 10, "unit_price": 20.0, "discount": 12.5},
                {"barcode": "8412345678912", "name": "Lamp", "quantity": 1.5, "unit_price": 0},
            ],
        ),
    ]
    edi.add_orders(originals)
    orders = list(connector(edi).fetch_orders(None))
    assert orders == originals
    assert [parse_channel_order(order).external_id for order in orders] == ["EDI-1", "EDI-2"]


def test_only_orders_updated_after_since_are_listed(edi):
    edi.add_orders(
        [
            make_order("EDI-OLD", updated_at="2026-11-20T09:00:00Z"),
            make_order("EDI-SAME", updated_at="2026-11-20T10:00:00Z"),
            make_order("EDI-NEW", updated_at="2026-11-20T10:00:01Z"),
        ]
    )
    since = datetime(2026, 11, 20, 10, 0)  # naive: taken as UTC
    assert [order["external_id"] for order in connector(edi).fetch_orders(since)] == ["EDI-NEW"]
    assert list(connector(edi).fetch_orders(datetime(2030, 1, 1))) == []


def test_an_invalid_order_is_passed_through_for_quarantine(edi):
    invalid = make_order("EDI-BAD", currency="XXQX", lines=[{"sku": "OMS-001", "quantity": -2, "unit_price": 5}])
    del invalid["customer"]
    edi.add_order(invalid)
    (order,) = connector(edi).fetch_orders(None)
    assert "customer" not in order and order["currency"] == "XXQX"
    with pytest.raises(ChannelOrderError) as caught:
        parse_channel_order(order)
    assert "customer is required" in str(caught.value)
    assert "lines[0].quantity must be greater than 0 (got -2.0)" in str(caught.value)


def test_a_partner_fault_is_a_transient_connector_error_with_its_message(edi):
    edi.fault_next(1, "Database offline, try later")
    with pytest.raises(ConnectorError) as caught:
        list(connector(edi).fetch_orders(None))
    assert "Database offline, try later" in str(caught.value)
    assert caught.value.transient is True
    assert not isinstance(caught.value, ConnectorConfigurationError)


def test_a_long_fault_naming_the_api_key_at_its_end_is_still_a_configuration_error(edi):
    """The message shown is shortened; the judgement is made on the whole fault text."""
    edi.fault_next(1, "Request rejected. " + "Details follow. " * 20 + "Reason: the API key has expired.")
    with pytest.raises(ConnectorConfigurationError, match="check the API key") as caught:
        list(connector(edi).fetch_orders(None))
    assert caught.value.transient is False


def test_too_many_requests_from_the_edi_endpoint_is_worth_trying_again(edi):
    """429 and 408 say "not now", as for every REST client: the next run tries again, nobody has to fix a setting."""
    for status in (408, 429):
        error = connector(edi)._status_error(status, "the endpoint in the WSDL")
        assert not isinstance(error, ConnectorConfigurationError) and error.transient is True
    assert isinstance(connector(edi)._status_error(404, "the WSDL URL"), ConnectorConfigurationError)


def test_wrong_api_key_is_a_configuration_error_without_the_key(edi):
    secret = "edi-wrong-key-987654"
    with pytest.raises(ConnectorConfigurationError) as caught:
        SoapConnector(edi.wsdl_url, secret).test_connection()
    assert "Invalid API key" in str(caught.value) and "check the API key" in str(caught.value)
    assert secret not in str(caught.value)
    assert caught.value.transient is False


def test_unreachable_partner_is_a_transient_error():
    with LocalEdiSoap() as edi:
        wsdl_url = edi.wsdl_url
    soap = SoapConnector(wsdl_url, "edi-key")  # the WSDL is loaded on first use, not here
    with pytest.raises(ConnectorError) as caught:
        soap.test_connection()
    assert "could not be reached" in str(caught.value)
    assert caught.value.transient is True


def test_a_slow_partner_times_out_as_a_transient_error(edi):
    edi.delay_next(1, 0.6)
    with pytest.raises(ConnectorError) as caught:
        connector(edi, timeout=0.3).test_connection()
    assert str(caught.value) == "EDI partner did not answer within 0.3 s"
    assert caught.value.transient is True


@pytest.mark.parametrize("path", ["/nowhere?wsdl", "/edi"])
def test_wrong_wsdl_url_says_to_check_it(edi, path):
    with pytest.raises(ConnectorConfigurationError) as caught:
        SoapConnector(edi.url + path, edi.api_key).test_connection()
    assert "check the WSDL URL" in str(caught.value)


def test_a_wsdl_url_that_is_not_http_is_refused():
    with pytest.raises(ConnectorConfigurationError):
        SoapConnector("/etc/passwd", "edi-key").test_connection()


def test_push_tracking_confirms_the_shipment(edi):
    edi.add_order(make_order("EDI-1"))
    connector(edi).push_tracking("EDI-1", "SEUR", "1Z999", "https://track.example/1Z999")
    assert edi.confirmations == [
        {
            "externalId": "EDI-1",
            "carrier": "SEUR",
            "trackingNumber": "1Z999",
            "trackingUrl": "https://track.example/1Z999",
        }
    ]


def test_tracking_of_an_unknown_order_is_not_retried_later(edi):
    with pytest.raises(ConnectorError) as caught:
        connector(edi).push_tracking("EDI-404", "SEUR", "1Z999")
    assert "Unknown order EDI-404" in str(caught.value)
    assert caught.value.transient is False


def test_push_stock_is_refused_by_edi_partners(edi):
    with pytest.raises(ConnectorConfigurationError) as caught:
        connector(edi).push_stock([{"sku": "OMS-001", "quantity": 1.0}])
    assert "does not accept stock updates" in str(caught.value)
    assert edi.requests == [], "nothing is sent"


def test_an_unreachable_or_nameless_partner_is_said_without_its_url():
    with LocalEdiSoap(partner="") as edi:
        assert SoapConnector(edi.wsdl_url, edi.api_key).test_connection() == "Connected to the EDI partner"
        wsdl_url = edi.wsdl_url
    with pytest.raises(ConnectorError) as caught:
        SoapConnector(wsdl_url, "edi-key").test_connection()
    assert str(caught.value) == "EDI partner could not be reached"


@pytest.fixture(scope="module")
def hostile():
    with LocalHostileWsdl() as server:
        yield server


@pytest.mark.parametrize("case", sorted(set(HOSTILE_CASES) - {"harmless"}))
def test_a_wsdl_that_refers_to_a_local_file_is_refused_without_reading_it(hostile, case):
    with recording_local_reads() as reads, pytest.raises(ConnectorConfigurationError) as caught:
        SoapConnector(hostile.url_of(case), "edi-key").test_connection()
    assert reads == [], "no local file was opened"
    assert "only http:// and https:// documents are read" in str(caught.value)
    assert "check the WSDL URL" in str(caught.value)
    assert "passwd" not in str(caught.value) and "127.0.0.1" not in str(caught.value)


def test_a_wsdl_url_redirected_to_a_local_file_is_refused_without_reading_it(hostile):
    with recording_local_reads() as reads, pytest.raises(ConnectorConfigurationError, match="only http"):
        SoapConnector(hostile.redirect_url, "edi-key").test_connection()
    assert reads == []
