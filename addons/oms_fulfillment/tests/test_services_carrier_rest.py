"""The REST carrier client against the local REST carrier (plain pytest, no database)."""

from datetime import datetime

import pytest

from odoo.addons.oms_fulfillment.services.carrier import (
    DELIVERED,
    PENDING,
    Address,
    CarrierError,
    Parcel,
    Shipment,
)
from odoo.addons.oms_fulfillment.services.carrier_rest import RestCarrierClient
from odoo.addons.oms_fulfillment.stand_ins.rest_carrier import LocalRestCarrier
from odoo.addons.oms_intelligent.stand_ins.tattletale import LocalTattletale

SHIPMENT = Shipment(
    reference="MAD/OUT/00042",
    sender=Address("OMS Iberia - Almacén Madrid", city="Madrid", zip="28041", country_code="ES"),
    recipient=Address("Lucía Fernández", street="Calle de Alcalá 42", city="Madrid", zip="28014", country_code="ES"),
    parcels=(Parcel(2.5, 40, 30, 20, "PACK0001"), Parcel(1.5)),
    service="STANDARD",
)


@pytest.fixture
def carrier():
    with LocalRestCarrier(base_price=6.0, price_per_kg=0.5, transit_days=2) as carrier:
        yield carrier


def client(carrier, **options):
    return RestCarrierClient(carrier.url, carrier.api_key, carrier.account, **options)


def test_a_rate_has_price_currency_and_transit_time(carrier):
    rate = client(carrier).rate(SHIPMENT)
    assert (rate.price, rate.currency, rate.transit_days, rate.service) == (8.0, "EUR", 2, "STANDARD")


def test_a_label_is_a_pdf_with_a_tracking_number(carrier):
    label = client(carrier).create_label(SHIPMENT)
    assert label.tracking_number == "RST000001"
    assert label.pdf.startswith(b"%PDF")
    assert (label.price, label.currency) == (8.0, "EUR")
    sent = carrier.shipments["RST000001"]["shipment"]
    assert sent["reference"] == "MAD/OUT/00042"
    assert [parcel["weight"] for parcel in sent["parcels"]] == [2.5, 1.5]
    assert sent["recipient"]["country_code"] == "ES"


def test_tracking_reads_the_status_and_the_delivery_time_in_utc(carrier):
    number = client(carrier).create_label(SHIPMENT).tracking_number
    assert client(carrier).tracking(number).status == PENDING
    carrier.set_status(number, "delivered", "2026-12-02T11:15:00+01:00")
    status = client(carrier).tracking(number)
    assert status.status == DELIVERED and status.delivered
    assert status.delivered_at == datetime(2026, 12, 2, 10, 15)


def test_a_cancelled_shipment_is_cancelled_at_the_carrier(carrier):
    number = client(carrier).create_label(SHIPMENT).tracking_number
    client(carrier).cancel(number)
    assert carrier.shipments[number]["status"] == "cancelled"


def test_a_timeout_is_a_transient_carrier_error(carrier):
    carrier.delay_next(1, 1.0)
    with pytest.raises(CarrierError, match=r"did not answer the rate request within 0\.2 s") as error:
        client(carrier, timeout=0.2).rate(SHIPMENT)
    assert error.value.transient and error.value.unreachable


def test_a_server_error_says_to_try_again_later(carrier):
    carrier.fail_next(1, 503, "maintenance")
    with pytest.raises(
        CarrierError, match=r"answered 503 \(maintenance\) to the label request: try again later"
    ) as error:
        client(carrier).create_label(SHIPMENT)
    assert error.value.transient and not error.value.unreachable


def test_a_wrong_api_key_is_a_configuration_error_without_the_key(carrier):
    with pytest.raises(CarrierError, match="check the carrier's API key") as error:
        RestCarrierClient(carrier.url, "wrong-secret-key", carrier.account).rate(SHIPMENT)
    assert not error.value.transient
    assert "wrong-secret-key" not in str(error.value)


def test_a_refused_shipment_says_why(carrier):
    weightless = Shipment("X", SHIPMENT.sender, SHIPMENT.recipient, (Parcel(0.0),))
    with pytest.raises(CarrierError, match=r"answered 422 \(parcel 1 has no weight\)"):
        client(carrier).rate(weightless)


def test_an_unreachable_carrier_is_reported_without_its_url():
    with LocalRestCarrier() as stopped:
        url = stopped.url
    with pytest.raises(CarrierError, match="could not be reached") as error:
        RestCarrierClient(url, "key").rate(SHIPMENT)
    assert url not in str(error.value)


def test_an_unknown_tracking_number_is_an_error(carrier):
    with pytest.raises(CarrierError, match=r"404 \(unknown tracking number NOPE\)"):
        client(carrier).tracking("NOPE")


def test_a_url_that_is_not_http_is_refused_before_any_call():
    with pytest.raises(CarrierError, match="must start with http"):
        RestCarrierClient("file:///etc/passwd", "key")


def test_answers_that_do_not_make_sense_are_errors(carrier, monkeypatch):
    class Answer:
        status_code = 200
        headers = {"Content-Type": "application/json"}

        def __init__(self, body):
            self.body = body

        def json(self):
            return self.body

    rest = client(carrier)
    for body, message in (
        ({"price": "cheap", "currency": "EUR"}, "no price"),
        ({"price": 5, "currency": "euro"}, "unknown currency"),
        ({"price": -1, "currency": "EUR"}, "no price"),
        (["not", "a", "dict"], "unexpected document"),
    ):
        monkeypatch.setattr(rest.session, "request", lambda *args, body=body, **kwargs: Answer(body))
        with pytest.raises(CarrierError, match=message):
            rest.rate(SHIPMENT)
    monkeypatch.setattr(
        rest.session, "request", lambda *args, **kwargs: Answer({"tracking_number": "T1", "label_pdf": "bm9wZGY="})
    )
    with pytest.raises(CarrierError, match="no PDF label"):
        rest.create_label(SHIPMENT)


def test_messages_hold_no_key_account_or_url_even_when_the_carrier_echoes_them():
    with LocalTattletale(status=403) as tattletale:
        url = f"{tattletale.url}/t0k3n-123"
        with pytest.raises(CarrierError) as error:
            RestCarrierClient(url, "sk-carrier-456", "ACC-SECRET-789").rate(SHIPMENT)
    message = str(error.value)
    assert message.startswith("the carrier answered 403 (")
    assert message.endswith("check the carrier's API key and account")
    for secret in ("sk-carrier-456", "ACC-SECRET-789", "t0k3n-123", "127.0.0.1"):
        assert secret not in message
