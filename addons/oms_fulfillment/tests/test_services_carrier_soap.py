"""The SOAP carrier client (zeep) against the local SOAP carrier (plain pytest, no database)."""

from datetime import datetime

import pytest
from werkzeug.wrappers import Response

from odoo.addons.oms_fulfillment.services.carrier import DELIVERED, IN_TRANSIT, Address, CarrierError, Parcel, Shipment
from odoo.addons.oms_fulfillment.services.carrier_soap import SoapCarrierClient
from odoo.addons.oms_fulfillment.stand_ins.soap_carrier import LocalSoapCarrier
from odoo.addons.oms_intelligent.stand_ins.hostile_soap import HOSTILE_CASES, LocalHostileWsdl, recording_local_reads

SHIPMENT = Shipment(
    reference="MAD/OUT/00042",
    sender=Address("OMS Iberia - Almacén Madrid", city="Madrid", zip="28041", country_code="ES"),
    recipient=Address("Oliver Smith", street="221B Baker Street", city="London", zip="NW1 6XE", country_code="GB"),
    parcels=(Parcel(2.5, 40, 30, 20, "PACK0001"), Parcel(1.5)),
)


@pytest.fixture
def carrier():
    with LocalSoapCarrier(base_price=4.0, price_per_kg=0.8, transit_days=1) as carrier:
        yield carrier


def client(carrier, **options):
    return SoapCarrierClient(carrier.wsdl_url, carrier.api_key, carrier.account, **options)


def test_a_rate_has_price_currency_and_transit_time(carrier):
    rate = client(carrier).rate(SHIPMENT)
    assert (rate.price, rate.currency, rate.transit_days, rate.service) == (7.2, "EUR", 1, "EXPRESS")


def test_a_label_is_a_pdf_with_a_tracking_number(carrier):
    label = client(carrier).create_label(SHIPMENT)
    assert label.tracking_number == "SOA000001"
    assert label.pdf.startswith(b"%PDF")
    assert carrier.shipments["SOA000001"]["shipment"]["reference"] == "MAD/OUT/00042"
    assert carrier.shipments["SOA000001"]["shipment"]["recipient_country"] == "GB"


def test_tracking_reads_the_status_and_the_delivery_time(carrier):
    soap = client(carrier)
    number = soap.create_label(SHIPMENT).tracking_number
    carrier.set_status(number, "in_transit")
    assert soap.tracking(number).status == IN_TRANSIT
    carrier.set_status(number, "delivered", "2026-12-02T10:15:00Z")
    status = soap.tracking(number)
    assert status.status == DELIVERED
    assert status.delivered_at == datetime(2026, 12, 2, 10, 15)


def test_a_cancelled_shipment_is_cancelled_at_the_carrier(carrier):
    soap = client(carrier)
    number = soap.create_label(SHIPMENT).tracking_number
    soap.cancel(number)
    assert carrier.shipments[number]["status"] == "cancelled"


def test_a_server_fault_is_a_transient_carrier_error(carrier):
    carrier.fault_next(1, "Rating engine unavailable")
    with pytest.raises(CarrierError, match="SOAP fault: Rating engine unavailable") as error:
        client(carrier).rate(SHIPMENT)
    assert error.value.transient and not error.value.unreachable


def test_a_client_fault_is_not_transient(carrier):
    weightless = Shipment("X", SHIPMENT.sender, SHIPMENT.recipient, (Parcel(0.0),))
    with pytest.raises(CarrierError, match="parcel 1 has no weight") as error:
        client(carrier).create_label(weightless)
    assert not error.value.transient


def test_a_wrong_api_key_asks_to_check_the_credentials_without_showing_them(carrier):
    with pytest.raises(CarrierError, match="check the carrier's API key and account") as error:
        SoapCarrierClient(carrier.wsdl_url, "wrong-secret-key", carrier.account).rate(SHIPMENT)
    assert "wrong-secret-key" not in str(error.value)


def test_a_long_fault_naming_the_api_key_at_its_end_still_asks_to_check_the_credentials(carrier):
    carrier.fault_next(1, "Shipment refused. " + "Details follow. " * 20 + "Reason: unauthorized account.")
    with pytest.raises(CarrierError, match="check the carrier's API key and account") as error:
        client(carrier).rate(SHIPMENT)
    assert error.value.transient is False


def test_too_many_requests_from_the_carrier_is_worth_trying_again(carrier):
    for status in (408, 429):
        assert client(carrier)._status_error(status, "the endpoint").transient is True
    assert client(carrier)._status_error(404, "the WSDL URL").transient is False


def test_a_timeout_is_a_carrier_error(carrier):
    soap = client(carrier, timeout=0.3)
    soap.rate(SHIPMENT)  # loads the WSDL
    carrier.delay_next(1, 1.0)
    with pytest.raises(CarrierError, match=r"did not answer the rate request within 0\.3 s") as error:
        soap.rate(SHIPMENT)
    assert error.value.unreachable


def test_an_unknown_tracking_number_is_a_fault(carrier):
    with pytest.raises(CarrierError, match="Unknown tracking number NOPE"):
        client(carrier).tracking("NOPE")


def test_an_unreachable_web_service_is_reported():
    with LocalSoapCarrier() as stopped:
        url = stopped.wsdl_url
    with pytest.raises(CarrierError, match="could not be reached"):
        SoapCarrierClient(url, "key").rate(SHIPMENT)


def test_a_missing_wsdl_is_a_configuration_error(carrier):
    with pytest.raises(CarrierError, match="answered 404: check the WSDL URL") as error:
        SoapCarrierClient(f"{carrier.url}/nowhere?wsdl", "key").rate(SHIPMENT)
    assert not error.value.transient


def test_a_local_file_is_never_read_as_wsdl():
    with pytest.raises(CarrierError, match="must start with http"):
        SoapCarrierClient("/etc/passwd", "key")


@pytest.fixture(scope="module")
def hostile():
    with LocalHostileWsdl() as server:
        yield server


@pytest.mark.parametrize("case", sorted(set(HOSTILE_CASES) - {"harmless", "file_address"}))
def test_a_wsdl_that_refers_to_a_local_file_is_refused_without_reading_it(hostile, case):
    with recording_local_reads() as reads, pytest.raises(CarrierError) as error:
        SoapCarrierClient(hostile.url_of(case), "key", "ACC").rate(SHIPMENT)
    assert reads == [], "no local file was opened"
    assert "only http:// and https:// documents are read" in str(error.value)
    assert "passwd" not in str(error.value) and "127.0.0.1" not in str(error.value)
    assert not error.value.transient


def test_a_wsdl_url_redirected_to_a_local_file_is_refused_without_reading_it(hostile):
    with recording_local_reads() as reads, pytest.raises(CarrierError, match="only http"):
        SoapCarrierClient(hostile.redirect_url, "key", "ACC").rate(SHIPMENT)
    assert reads == []


class EmptyAnswerSoapCarrier(LocalSoapCarrier):
    """A carrier whose service answers every call with an envelope whose body holds nothing."""

    def handle(self, request):
        if request.method == "POST":
            envelope = (
                b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>'
            )
            return Response(envelope, content_type="text/xml")
        return super().handle(request)


def test_an_empty_soap_answer_is_a_carrier_error_to_retry():
    with (
        EmptyAnswerSoapCarrier() as empty,
        pytest.raises(CarrierError, match="answered the rate request with an empty SOAP body") as error,
    ):
        client(empty).rate(SHIPMENT)
    assert error.value.transient
