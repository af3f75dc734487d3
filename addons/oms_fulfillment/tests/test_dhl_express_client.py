"""The DHL Express (MyDHL API) client against the local DHL Express over HTTP on 127.0.0.1 (plain pytest)."""

import io
import json
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import PyPDF2
import pytest

from odoo.addons.oms_fulfillment.services.carrier import (
    DELIVERED,
    EXCEPTION,
    IN_TRANSIT,
    PENDING,
    Address,
    CarrierError,
    CustomsLine,
    Parcel,
    Shipment,
)
from odoo.addons.oms_fulfillment.services.carrier_dhl_express import (
    DhlExpressClient,
    DhlNoCancellation,
    DhlShipmentExists,
)
from odoo.addons.oms_fulfillment.services.carrier_dhl_express_answers import (
    problem_text,
    read_label,
    read_rates,
    read_tracking,
)
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.addons.oms_fulfillment.stand_ins.dhl_express_shipments import FIXTURES

MADRID = ZoneInfo("Europe/Madrid")
SENDER = Address(
    "OMS Demo Logística S.L.",
    street="Calle de Méndez Álvaro 56",
    street2="Nave 3",
    city="Madrid",
    zip="28045",
    country_code="ES",
    phone="+34 910 000 123",
    email="almacen@oms-demo.example",
)
BARCELONA = Address(
    "Marc Puig", street="Carrer de Provença 410", city="Barcelona", zip="08013", country_code="ES", phone="+34 600"
)
LISBOA = Address(
    "Joana Silva", street="Avenida da Liberdade 190", city="Lisboa", zip="1250-096", country_code="PT", phone="+351 9"
)
LONDON = Address(
    "Oliver Bennett", street="14 Buckingham Gate", city="London", zip="SW1A 1AA", country_code="GB", phone="+44 20 7"
)
THREE_PARCELS = (Parcel(5.2, 40, 30, 20), Parcel(2.0, 30, 20, 15), Parcel(0.8, 25, 20, 10))
CUSTOMS = (
    CustomsLine("Ceramic olive oil cruet, glazed stoneware", 3, 34.5, 0.75, "6912.00.21", "ES", "CRUET-01"),
    CustomsLine("Cotton kitchen towels, set of 2", 2, 55.5, 0.4, "63026000", "PT", "TOWEL-02"),
)
ONE_PARCEL = (Parcel(2.0, 30, 20, 15),)
SHIP_DATE = date(2026, 12, 4)


def shipment(recipient=BARCELONA, parcels=ONE_PARCEL, **values) -> Shipment:
    return Shipment(
        reference="WH/OUT/00042", sender=SENDER, recipient=recipient, parcels=parcels, ship_date=SHIP_DATE, **values
    )


@pytest.fixture
def dhl():
    with LocalDhlExpress() as dhl:
        yield dhl


def client(dhl, credentials=None, **options) -> DhlExpressClient:
    clock = lambda: datetime(2026, 12, 3, 10, 0, tzinfo=MADRID)  # noqa: E731
    return DhlExpressClient.from_credentials(credentials or dhl.credentials(), clock=clock, **options)


def sent_body(dhl, path: str) -> dict:
    return dhl.calls("POST", path)[-1].body


def pages(pdf: bytes) -> int:
    return len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages)


def page_size(pdf: bytes) -> tuple[int, int]:
    box = PyPDF2.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


# --- rates ------------------------------------------------------------------------------------------------------


def test_rates_for_one_parcel_list_every_dhl_product_with_price_and_delivery_date(dhl):
    rates = client(dhl).rates(shipment())
    assert [(rate.service, rate.service_name, rate.price, rate.currency) for rate in rates] == [
        ("N", "EXPRESS DOMESTIC", 14.85, "EUR"),
        ("1", "EXPRESS DOMESTIC 12:00", 19.4, "EUR"),
    ]
    assert (rates[0].transit_days, rates[0].delivery_date) == (1, date(2026, 12, 7))
    call = dhl.calls("POST", "/rates")[-1]
    assert call.headers["X-Version"] == "2.12.0"
    assert call.body["plannedShippingDateAndTime"] == "2026-12-04T16:00:00 GMT+01:00"
    assert call.body["accounts"] == [{"typeCode": "shipper", "number": "950000012"}]


def test_rates_for_three_parcels_are_asked_in_one_call_with_each_parcel(dhl):
    rates = client(dhl).rates(shipment(LISBOA, THREE_PARCELS, declared_value=389.7))
    assert [(rate.service, rate.price) for rate in rates] == [("W", 29.9), ("U", 48.6), ("T", 61.35)]
    assert rates[0].delivery_date == date(2026, 12, 9) and rates[0].transit_days == 3
    assert len(dhl.calls("POST", "/rates")) == 1
    body = sent_body(dhl, "/rates")
    assert [(package["weight"], package["dimensions"]["length"]) for package in body["packages"]] == [
        (5.2, 40),
        (2.0, 30),
        (0.8, 25),
    ]
    assert body["monetaryAmount"] == [{"typeCode": "declaredValue", "value": 389.7, "currency": "EUR"}]


def test_rate_is_the_chosen_product_else_the_cheapest(dhl):
    assert client(dhl).rate(shipment(LISBOA, THREE_PARCELS)).service == "W"
    assert client(dhl).rate(shipment(LISBOA, THREE_PARCELS, service="T")).price == 61.35
    with pytest.raises(CarrierError, match="does not offer product K on this route .*U EXPRESS WORLDWIDE") as error:
        client(dhl).rate(shipment(LISBOA, THREE_PARCELS, service="K"))
    assert not error.value.transient


def test_the_rate_of_an_insured_shipment_includes_its_insurance(dhl):
    rate = client(dhl).rate(shipment(LISBOA, THREE_PARCELS, service="U", insured_value=389.7))
    assert (rate.service, rate.price) == ("U", 53.1)  # 48.60 + 4.50 insurance, as the label will cost
    asked = sent_body(dhl, "/rates")["productsAndServices"]
    assert asked == [
        {"productCode": "U", "valueAddedServices": [{"serviceCode": "II", "value": 389.7, "currency": "EUR"}]}
    ]


def test_a_server_error_while_rating_is_retried_once(dhl):
    dhl.fail_next(1, 500)
    assert client(dhl).rate(shipment()).service == "N"
    assert len(dhl.calls("POST", "/rates")) == 2


def test_a_parcel_without_size_is_refused_before_asking_dhl(dhl):
    with pytest.raises(CarrierError, match="parcel 2 has no size") as error:
        client(dhl).rates(shipment(parcels=(Parcel(2.0, 30, 20, 15), Parcel(1.0))))
    assert not error.value.transient and not dhl.received


# --- labels -----------------------------------------------------------------------------------------------------


def test_a_label_for_three_parcels_is_one_pdf_with_a_page_per_parcel(dhl):
    label = client(dhl).create_label(
        shipment(LISBOA, THREE_PARCELS, service="U", declared_value=389.7, insured_value=389.7)
    )
    assert label.tracking_number == "4719305826"
    assert pages(label.pdf) == 3
    assert (label.price, label.currency) == (53.1, "EUR")  # 48.60 + 4.50 insurance
    assert len(label.parcel_numbers) == 3 and label.delivery_date == date(2026, 12, 7)
    assert label.tracking_url == "https://www.dhl.com/en/express/tracking.html?AWB=4719305826"
    body = sent_body(dhl, "/shipments")
    assert body["productCode"] == "U"
    assert body["valueAddedServices"] == [{"serviceCode": "II", "value": 389.7, "currency": "EUR"}]
    assert body["customerReferences"] == [{"value": "WH/OUT/00042", "typeCode": "CU"}]
    assert [package["weight"] for package in body["content"]["packages"]] == [5.2, 2.0, 0.8]
    assert body["content"]["isCustomsDeclarable"] is False and "exportDeclaration" not in body["content"]


def test_a_label_without_a_chosen_service_takes_the_cheapest_product(dhl):
    label = client(dhl).create_label(shipment())
    assert sent_body(dhl, "/shipments")["productCode"] == "N" and label.price == 14.85


def test_a_shipment_leaving_the_eu_carries_its_customs_lines_and_the_commercial_invoice(dhl):
    label = client(dhl).create_label(shipment(LONDON, (Parcel(1.4, 30, 25, 10),), service="P", customs=CUSTOMS))
    assert pages(label.pdf) == 1
    assert [name for name, _pdf in label.documents] == ["commercial_invoice.pdf"]
    assert pages(label.documents[0][1]) == 1
    content = sent_body(dhl, "/shipments")["content"]
    assert content["isCustomsDeclarable"] is True
    assert (content["declaredValue"], content["declaredValueCurrency"]) == (214.5, "EUR")
    lines = content["exportDeclaration"]["lineItems"]
    assert [(line["price"], line["quantity"]["value"], line["manufacturerCountry"]) for line in lines] == [
        (34.5, 3, "ES"),
        (55.5, 2, "PT"),
    ]
    assert [line["commodityCodes"][0]["value"] for line in lines] == ["69120021", "63026000"]
    assert content["exportDeclaration"]["invoice"]["number"] == "WH/OUT/00042"


def test_a_label_on_a4_paper_asks_dhl_for_its_a4_template(dhl):
    assert page_size(client(dhl).create_label(shipment(service="N")).pdf) == (298, 420)  # A6 by default
    label = client(dhl, paper_size="A4").create_label(replace(shipment(service="N"), reference="WH/OUT/00043"))
    assert page_size(label.pdf) == (595, 842)
    options = sent_body(dhl, "/shipments")["outputImageProperties"]["imageOptions"]
    assert options[0] == {"typeCode": "label", "templateName": "ECOM26_84_A4_001", "isRequested": True}
    with pytest.raises(CarrierError, match="either A6 or A4"):
        client(dhl, paper_size="Letter")


def test_a_ddp_shipment_is_declared_with_duties_paid_by_the_shipper(dhl):
    client(dhl, incoterm="DDP").create_label(shipment(LONDON, (Parcel(1.4, 30, 25, 10),), service="P", customs=CUSTOMS))
    body = sent_body(dhl, "/shipments")
    assert body["content"]["incoterm"] == "DDP"
    assert body["valueAddedServices"] == [{"serviceCode": "DD"}]
    # Inside the EU there are no duties to pay.
    client(dhl, incoterm="DDP").create_label(replace(shipment(service="N"), reference="WH/OUT/00043"))
    assert "valueAddedServices" not in sent_body(dhl, "/shipments")
    with pytest.raises(CarrierError, match="either DAP or DDP"):
        client(dhl, incoterm="EXW")


def test_a_shipment_to_the_canary_islands_is_dutiable_with_its_customs_lines(dhl):
    las_palmas = Address("Nayra Santana", street="Calle Triana 60", city="Las Palmas de Gran Canaria", zip="35002",
                         country_code="ES", phone="+34 628 000 111")  # fmt: skip
    with pytest.raises(CarrierError, match="needs customs lines"):
        client(dhl).create_label(shipment(las_palmas, service="P"))
    label = client(dhl).create_label(shipment(las_palmas, service="P", customs=CUSTOMS))
    assert [name for name, _pdf in label.documents] == ["commercial_invoice.pdf"]
    content = sent_body(dhl, "/shipments")["content"]
    assert content["isCustomsDeclarable"] is True
    assert [line["commodityCodes"][0]["value"] for line in content["exportDeclaration"]["lineItems"]] == [
        "69120021",
        "63026000",
    ]


def test_a_shipment_leaving_the_eu_without_customs_lines_is_refused_before_buying(dhl):
    with pytest.raises(CarrierError, match="leaving the EU customs union needs customs lines") as error:
        client(dhl).create_label(shipment(LONDON, service="P"))
    assert not error.value.transient and not dhl.shipments


def test_a_customs_line_without_origin_or_in_part_units_is_refused_before_buying(dhl):
    no_origin = (CustomsLine("Olive oil", 2, 12.0, 1.0, "15091000"),)
    with pytest.raises(CarrierError, match="customs line 1 has no country of origin"):
        client(dhl).create_label(shipment(LONDON, service="P", customs=no_origin))
    by_weight = (CustomsLine("Olives", 1.5, 8.0, 1.5, "20057000", "ES", "OLIVES-KG"),)
    with pytest.raises(CarrierError, match=r"customs line 1 \(OLIVES-KG\) has 1.5 units"):
        client(dhl).create_label(shipment(LONDON, service="P", customs=by_weight))
    assert not dhl.received


def test_an_address_dhl_cannot_serve_is_refused_with_its_reason(dhl):
    nowhere = Address("Ana Ruiz", street="Calle Falsa 1", city="ZZZTOWN", zip="99999", country_code="ES", phone="+34")
    with pytest.raises(CarrierError) as error:
        client(dhl).create_label(shipment(nowhere, service="N"))
    assert error.value.message.startswith(
        "DHL Express refused the request: The receiver postal code 99999 is not valid for city ZZZTOWN in country ES"
    )
    assert not error.value.transient and error.value.status == 400
    assert not dhl.shipments


def test_a_label_answer_that_is_not_a_pdf_is_refused(dhl):
    dhl.break_next_label()
    with pytest.raises(DhlShipmentExists, match="created waybill 4719305826 but sent no PDF label") as error:
        client(dhl).create_label(shipment(service="N"))
    assert error.value.tracking_number == "4719305826" and not error.value.transient


def test_a_timeout_during_label_purchase_then_a_retry_buys_one_label(dhl):
    dhl.delay_answer_next(1, 1.5)
    with pytest.raises(CarrierError, match="Retry looks for WH/OUT/00042 at DHL first") as error:
        client(dhl, timeout=0.5).create_label(shipment(service="N"))
    assert error.value.transient
    with pytest.raises(DhlShipmentExists, match="already has waybill 4719305826 for WH/OUT/00042") as again:
        client(dhl, timeout=0.5).create_label(shipment(service="N"))
    assert again.value.tracking_number == "4719305826" and not again.value.transient
    assert len(dhl.calls("POST", "/shipments")) == 1 and list(dhl.shipments) == ["4719305826"]


def test_a_server_error_on_label_purchase_is_not_repeated_blindly(dhl):
    dhl.fail_next_shipment(1)
    with pytest.raises(CarrierError, match=r"answered 500.*may have bought the label") as error:
        client(dhl).create_label(shipment(service="N"))
    assert error.value.transient and len(dhl.calls("POST", "/shipments")) == 1
    assert client(dhl).create_label(shipment(service="N")).tracking_number == "4719305826"


# --- tracking and cancellation -------------------------------------------------------------------------------------


def test_tracking_events_move_a_shipment_from_pending_to_delivered(dhl):
    number = client(dhl).create_label(shipment(LONDON, service="P", customs=CUSTOMS)).tracking_number
    assert client(dhl).tracking(number).status == PENDING
    dhl.advance(number, "in_transit")
    status = client(dhl).tracking(number)
    assert status.status == IN_TRANSIT and "EAST MIDLANDS" in status.description
    dhl.advance(number, "delivered")
    status = client(dhl).tracking(number)
    assert status.delivered and status.status == DELIVERED
    assert status.delivered_at == datetime(2026, 12, 7, 11, 26, 9)
    assert status.events[0] == "2026-12-04 17:42 Shipment picked up (MADRID-ES)"


def test_a_refused_delivery_is_an_exception(dhl):
    number = client(dhl).create_label(shipment(service="N")).tracking_number
    dhl.advance(number, "in_transit")
    dhl.add_event(number, "RD", "Delivery refused by the receiver")
    assert client(dhl).tracking(number).status == EXCEPTION


def test_tracking_an_unknown_waybill_says_dhl_has_no_data(dhl):
    with pytest.raises(CarrierError, match="no tracking data for waybill 4719309999 yet") as error:
        client(dhl).tracking("4719309999")
    assert error.value.status == 404


def test_cancelling_a_label_cancels_the_pickup_booked_with_it(dhl):
    dhl_client = client(dhl, pickup={"closeTime": "18:00", "location": "reception"}, requestor_name="Ana Gil")
    label = dhl_client.create_label(shipment(service="N"))
    assert label.shipment_id.startswith("MAD")
    assert sent_body(dhl, "/shipments")["pickup"] == {
        "isRequested": True,
        "closeTime": "18:00",
        "location": "reception",
    }
    dhl_client.cancel(label)
    assert dhl.pickups[label.shipment_id] == "cancelled"
    assert dhl.calls("DELETE", f"/pickups/{label.shipment_id}")[0].query["requestorName"] == "Ana Gil"
    with pytest.raises(CarrierError, match="Pickup already cancelled or completed"):
        dhl_client.cancel(label)


def test_cancelling_a_waybill_without_pickup_says_dhl_cannot_and_what_to_do(dhl):
    label = client(dhl).create_label(shipment(service="N"))
    with pytest.raises(DhlNoCancellation, match="cannot cancel waybill 4719305826 .*do not hand its parcels") as error:
        client(dhl).cancel(label.tracking_number)
    assert not error.value.transient


# --- credentials and errors ----------------------------------------------------------------------------------------


def test_test_connection_reads_the_account_at_dhl(dhl):
    assert "accepted" in client(dhl).test_connection()
    assert dhl.calls("GET", "/tracking")[0].query["shipperAccountNumber"] == "950000012"


def test_wrong_credentials_are_named_never_shown(dhl):
    wrong = dhl.credentials(api_secret="s3cr3t-wrong-value")
    with pytest.raises(CarrierError, match="401 .*check the DHL API key and API secret") as error:
        client(dhl, wrong).test_connection()
    assert "s3cr3t-wrong-value" not in str(error.value) and not error.value.transient
    assert "s3cr3t" not in repr(client(dhl, wrong))


def test_a_wrong_account_number_is_named(dhl):
    with pytest.raises(CarrierError, match="check the DHL Express account number") as error:
        client(dhl, dhl.credentials(account_number="123456789")).test_connection()
    assert "123456789" not in str(error.value)


def test_a_wrong_service_url_is_named_not_taken_for_no_shipment(dhl):
    with pytest.raises(CarrierError, match="404 .*check the DHL Express service URL"):
        client(dhl, dhl.credentials(base_url=dhl.url + "/mydhlapi/test")).test_connection()


def test_missing_credentials_are_named(dhl):
    with pytest.raises(CarrierError, match="needs the carrier.s API Secret: an OMS manager"):
        client(dhl, {"api_key": "key", "account_number": "950000012"})


def test_an_unreachable_dhl_names_what_to_check():
    credentials = {"api_key": "k", "api_secret": "s", "account_number": "1", "base_url": "http://127.0.0.1:9"}
    with pytest.raises(CarrierError, match="could not be reached .*check the DHL Express service URL") as error:
        DhlExpressClient.from_credentials(credentials).test_connection()
    assert error.value.unreachable


def test_garbled_answers_are_clear_errors_never_crashes():
    garbled = {"shipmentTrackingNumber": "4719305826", "documents": 5, "packages": "x", "shipmentCharges": {}}
    with pytest.raises(DhlShipmentExists, match="sent no PDF label"):
        read_label(garbled)
    assert read_tracking({"shipments": [{"events": "x"}]}, "4719305826").status == PENDING
    with pytest.raises(CarrierError, match="no tracking for waybill"):
        read_tracking({"shipments": "x"}, "4719305826")
    assert read_rates({"products": [None, {"productCode": "N", "totalPrice": "free"}]}) == []
    assert problem_text({"detail": None, "additionalDetails": 3, "title": "Bad request"}) == "Bad request"


def test_dhl_validation_errors_read_in_words():
    body = json.loads((FIXTURES / "error_validation_422.json").read_text())
    text = problem_text(body)
    assert "parcel 1 weight: expected minimum: 0.001, actual: 0" in text
    assert "recipient city: expected minLength: 1" in text
    assert "customs line 1 country of origin" in text
