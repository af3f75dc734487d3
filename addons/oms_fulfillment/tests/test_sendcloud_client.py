"""The Sendcloud client against the local Sendcloud over HTTP (plain pytest, no database)."""

import io
import json
import time
from dataclasses import replace
from datetime import date, datetime

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
from odoo.addons.oms_fulfillment.services.carrier_sendcloud import SendcloudClient, verify_webhook, webhook_tracking
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import FIXTURES, LocalSendcloud

MADRID = Address("Expediciones OMS", street="Calle de la Logistica 12", city="Madrid", zip="28021", country_code="ES")
SEVILLA = Address("Lucia Fernandez", street="Calle Sierpes 45", city="Sevilla", zip="41004", country_code="ES")
LISBOA = Address("Joao Pereira", street="Rua Augusta 120", city="Lisboa", zip="1100-053", country_code="PT")
ZURICH = Address("Anna Keller", street="Bahnhofstrasse 21", city="Zurich", zip="8001", country_code="CH")
ONE_PARCEL = Shipment("WH/OUT/00042", MADRID, SEVILLA, (Parcel(2.35, 30, 20, 15),), declared_value=89.9)
THREE_PARCELS = Shipment(
    "WH/OUT/00043",
    MADRID,
    LISBOA,
    (Parcel(4.2, 40, 30, 20), Parcel(2.1, 30, 20, 15), Parcel(6.0, 60, 40, 40)),
    insured_value=300.0,
)
CHOSEN = replace(ONE_PARCEL, service="gls_es:business_parcel/home_delivery")  # labelled with no rate call first
WEBHOOK_SECRET = "oms-sendcloud-webhook-test-secret"


@pytest.fixture
def sendcloud():
    with LocalSendcloud() as server:
        yield server


def client(sendcloud, **options) -> SendcloudClient:
    options.setdefault("sleep", lambda seconds: None)
    return SendcloudClient.from_credentials(sendcloud.credentials(), poll_interval=0, **options)


def sent(call) -> dict:
    return json.loads(call.body)


def page_count(pdf: bytes) -> int:
    return len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages)


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    boxes = [page.mediabox for page in PyPDF2.PdfReader(io.BytesIO(pdf)).pages]
    return {(round(float(box.width)), round(float(box.height))) for box in boxes}


def test_the_connection_test_says_the_keys_are_accepted(sendcloud):
    assert "keys are accepted" in client(sendcloud).test_connection()


def test_one_parcel_gets_every_domestic_option_cheapest_first_with_transit_days(sendcloud):
    rates = client(sendcloud).rates(ONE_PARCEL)
    assert [rate.service_name for rate in rates] == ["GLS Business Parcel", "SEUR Classic", "Correos Express ePaq 24"]
    assert [rate.transit_days for rate in rates] == [3, 2, 1]
    assert rates[0].price == pytest.approx(5.78 + 0.4 * 2.35) and rates[0].currency == "EUR"
    assert sent(sendcloud.calls("POST", "/shipping-options")[0])["calculate_quotes"] is True


def test_three_parcels_are_rated_in_one_call_with_each_weight_and_the_insurance(sendcloud):
    rates = client(sendcloud).rates(THREE_PARCELS)
    assert {rate.service for rate in rates} == {
        "seur:international_classic/home_delivery",
        "dhl_parcel:connect/home_delivery",
    }
    (call,) = sendcloud.calls("POST", "/shipping-options")
    parcels = sent(call)["parcels"]
    assert [parcel["weight"]["value"] for parcel in parcels] == ["4.200", "2.100", "6.000"]
    assert sum(float(parcel["total_insured_price"]["value"]) for parcel in parcels) == pytest.approx(300.0)
    assert sent(call)["functionalities"] == {"multicollo": True}


def test_rate_is_the_shipments_service_else_the_cheapest(sendcloud):
    chosen = replace(ONE_PARCEL, service="seur:classic/home_delivery")
    assert client(sendcloud).rate(chosen).service_name == "SEUR Classic"
    assert client(sendcloud).rate(ONE_PARCEL).service == "gls_es:business_parcel/home_delivery"


def test_a_label_for_one_parcel_is_a_one_page_pdf_with_its_tracking_number(sendcloud):
    label = client(sendcloud).create_label(ONE_PARCEL)
    assert page_count(label.pdf) == 1
    assert label.tracking_number in label.pdf.decode("latin-1")
    assert label.shipment_id and label.tracking_url
    body = sent(sendcloud.calls("POST", "/shipments/announce")[0])
    assert body["external_reference_id"] == "oms-WH/OUT/00042"
    assert body["total_order_price"] == {"value": "89.90", "currency": "EUR"}
    assert body["ship_with"]["properties"]["shipping_option_code"] == "gls_es:business_parcel/home_delivery"


def test_labels_on_a4_paper_are_printed_on_a4_by_sendclouds_documents_endpoint(sendcloud):
    assert page_sizes(client(sendcloud).create_label(CHOSEN).pdf) == {(298, 420)}  # A6, inline in the answer
    assert not sendcloud.calls("GET", "/parcels/")
    a4 = client(sendcloud, paper_size="A4")
    assert page_sizes(a4.create_label(replace(CHOSEN, reference="WH/OUT/00050")).pdf) == {(595, 842)}
    label = a4.create_label(replace(THREE_PARCELS, reference="WH/OUT/00051"))
    assert page_count(label.pdf) == 3 and page_sizes(label.pdf) == {(595, 842)}
    downloads = [call.path for call in sendcloud.calls("GET", "/parcels/")]
    assert len(downloads) == 4 and all(path.endswith("/documents/label") for path in downloads)
    with pytest.raises(CarrierError, match="either A6 or A4"):
        client(sendcloud, paper_size="A3")


def test_three_parcels_get_three_tracking_numbers_and_one_pdf_with_three_pages(sendcloud):
    label = client(sendcloud).create_label(THREE_PARCELS)
    assert len(set(label.parcel_numbers)) == 3 and label.tracking_number == label.parcel_numbers[0]
    pages_of_parcels = zip(label.parcel_numbers, label.parcel_tracking_urls, strict=True)
    assert all(f"code={number}" in url for number, url in pages_of_parcels), "each parcel's own tracking page"
    assert page_count(label.pdf) == 3
    body = sent(sendcloud.calls("POST", "/shipments")[0])
    assert [parcel["additional_insured_price"]["value"] for parcel in body["parcels"]] == ["100.00"] * 3
    assert len(sendcloud.calls("GET", "/shipments/")) == 2  # announced in the background, read until ready


def test_a_shipment_outside_the_eu_carries_its_customs_lines_and_gets_an_invoice(sendcloud):
    shipment = Shipment(
        "WH/OUT/00044",
        MADRID,
        ZURICH,
        (Parcel(3.4, 45, 35, 25),),
        service="dhl_express:worldwide/incoterm=dap",
        declared_value=122.5,
        customs=(
            CustomsLine("Ceramic vase, hand painted", 2, 45.0, 1.8, "691390", "ES", "VASE-AZ-01"),
            CustomsLine("Olive wood cutting board", 1, 32.5, 1.1, "441912", "ES", "BOARD-OL-02"),
        ),
        ship_date=date(2026, 12, 3),
    )
    label = client(sendcloud).create_label(shipment)
    body = sent(sendcloud.calls("POST", "/shipments/announce")[0])
    assert body["customs_information"]["invoice_number"] == "WH/OUT/00044"
    items = body["parcels"][0]["parcel_items"]
    assert [(item["hs_code"], item["quantity"], item["price"]["value"]) for item in items] == [
        ("691390", 2, "45.00"),
        ("441912", 1, "32.50"),
    ]
    assert items[0]["weight"]["value"] == pytest.approx(0.9)
    assert [name for name, _pdf in label.documents] == ["commercial-invoice"]
    assert page_count(label.documents[0][1]) == 1


def test_a_cancelled_label_cannot_be_cancelled_twice(sendcloud):
    label = client(sendcloud).create_label(ONE_PARCEL)
    assert client(sendcloud).cancel(label) == "cancelled"
    tracked = client(sendcloud).tracking(label.tracking_number)
    assert (tracked.status, tracked.description) == (EXCEPTION, "Cancelled")
    with pytest.raises(CarrierError, match="already being cancelled") as refused:
        client(sendcloud).cancel(label.shipment_id)
    assert not refused.value.transient


def test_a_cancelled_label_is_not_handed_out_again_under_the_same_reference(sendcloud):
    client(sendcloud).cancel(client(sendcloud).create_label(CHOSEN))
    with pytest.raises(CarrierError, match="was cancelled in Sendcloud: a new label needs a new reference"):
        client(sendcloud).create_label(CHOSEN)
    assert len(sendcloud.shipments) == 1


def test_a_cancellation_sendcloud_queues_says_so(sendcloud):
    sendcloud.cancellations_queued = True
    label = client(sendcloud).create_label(ONE_PARCEL)
    assert client(sendcloud).cancel(label) == "queued"


def test_tracking_moves_from_ready_to_in_transit_to_delivered(sendcloud):
    number = client(sendcloud).create_label(ONE_PARCEL).tracking_number
    assert client(sendcloud).tracking(number).status == PENDING
    sendcloud.add_event(number, "DRIVER_ON_ROUTE", "2026-12-04T06:48:51Z")
    assert client(sendcloud).tracking(number).status == IN_TRANSIT
    sendcloud.add_event(number, "DELIVERED", "2026-12-04T12:26:07+01:00")
    status = client(sendcloud).tracking(number)
    assert status.delivered and status.delivered_at == datetime(2026, 12, 4, 11, 26, 7)
    assert len(status.events) == 3 and status.events[-1].endswith("Delivered")


def test_tracking_an_unknown_number_says_sendcloud_does_not_know_it(sendcloud):
    with pytest.raises(CarrierError, match="404 .Parcel does not exist.: Sendcloud does not know it") as unknown:
        client(sendcloud).tracking("3SOMS9999999999")
    assert not unknown.value.transient


def test_an_address_the_carrier_refuses_gives_its_reason(sendcloud):
    wrong = Shipment(
        "WH/OUT/00045", MADRID, Address("Ana", city="Sevilla", zip="99999", country_code="ES"), (Parcel(1),)
    )
    with pytest.raises(CarrierError, match="to_address postal_code: The postal code 99999 does not exist") as refused:
        client(sendcloud).create_label(replace(wrong, service="seur:classic/home_delivery"))
    assert not refused.value.transient and not sendcloud.shipments


def test_an_address_refused_while_announcing_several_parcels_gives_the_reason(sendcloud):
    wrong = replace(THREE_PARCELS, recipient=replace(LISBOA, zip="99999"), service="dhl_parcel:connect/home_delivery")
    with pytest.raises(CarrierError, match="refused the shipment .to_address postal_code: The postal code 99999"):
        client(sendcloud).create_label(wrong)
    assert not sendcloud.calls("GET", "/parcels/")  # no label downloaded


def test_a_time_out_during_label_creation_then_a_retry_buys_one_label(sendcloud):
    sendcloud.delay_next(1, 0.8)
    impatient = client(sendcloud, timeout=0.3, max_retries=1)
    with pytest.raises(CarrierError) as timed_out:
        impatient.create_label(CHOSEN)
    assert timed_out.value.transient
    for _ in range(50):  # Sendcloud finishes the purchase nobody waits for any more
        if sendcloud.shipments:
            break
        time.sleep(0.05)
    label = client(sendcloud).create_label(CHOSEN)
    assert len(sendcloud.shipments) == 1 and len(sendcloud.parcels()) == 1
    assert label.tracking_number == sendcloud.parcels()[0]["tracking_number"]
    assert len(sendcloud.calls("POST", "/shipments/announce")) == 2
    assert page_count(label.pdf) == 1 and sendcloud.calls("GET", "/parcels/")  # the 409 answer has no label file


def test_a_time_out_retried_at_once_buys_one_label(sendcloud):
    sendcloud.delay_next(1, 0.8)
    label = client(sendcloud, timeout=0.3).create_label(CHOSEN)
    time.sleep(1.0)  # the first request, served late, is answered 409 with the label bought by the retry
    assert len(sendcloud.calls("POST", "/shipments/announce")) == 2
    assert len(sendcloud.shipments) == 1 and label.tracking_number == sendcloud.parcels()[0]["tracking_number"]


def test_a_server_error_during_label_creation_is_retried_without_a_second_label(sendcloud):
    sendcloud.fail_next(1, status=503)
    label = client(sendcloud).create_label(ONE_PARCEL)
    assert len(sendcloud.shipments) == 1 and label.tracking_number


def test_wrong_keys_are_named_never_shown(sendcloud):
    wrong = SendcloudClient.from_credentials(sendcloud.credentials(secret_key="not-the-secret-key"))
    with pytest.raises(CarrierError) as refused:
        wrong.test_connection()
    message = str(refused.value)
    assert "401" in message and "Public Key and Secret Key" in message
    assert "not-the-secret-key" not in message and sendcloud.public_key not in message
    assert not refused.value.transient


def test_an_unreachable_sendcloud_is_named_without_its_address():
    unreachable = SendcloudClient.from_credentials(
        {"public_key": "pk", "secret_key": "sk", "base_url": "http://127.0.0.1:9/api/v3"}, sleep=lambda seconds: None
    )
    with pytest.raises(CarrierError, match="could not be reached") as failed:
        unreachable.test_connection()
    assert failed.value.unreachable and "127.0.0.1" not in str(failed.value)


def test_a_label_that_is_not_a_pdf_is_refused_and_not_bought_twice(sendcloud):
    sendcloud.labels_are_pdf = False
    with pytest.raises(CarrierError, match="no PDF"):
        client(sendcloud).create_label(ONE_PARCEL)
    with pytest.raises(CarrierError, match="no PDF"):
        client(sendcloud).create_label(ONE_PARCEL)
    assert len(sendcloud.shipments) == 1


def test_a_return_label_is_a_pdf_the_customer_sends_to_the_warehouse(sendcloud):
    back = Shipment("RMA0007", SEVILLA, MADRID, (Parcel(2.35, 30, 20, 15),), service="correos_express:epaq24/return")
    label = client(sendcloud).create_return(back)
    assert page_count(label.pdf) == 1 and label.tracking_number in label.pdf.decode("latin-1")
    assert (label.price, label.currency) == (4.95, "EUR")
    (call,) = sendcloud.calls("POST", "/returns")
    assert sent(call)["from_address"]["city"] == "Sevilla" and sent(call)["external_reference"] == "oms-RMA0007"
    assert len(sendcloud.calls("GET", "/returns/")) == 2  # asked again until the carrier announced it


def test_a_return_label_cancelled_once_then_refused(sendcloud):
    back = Shipment("RMA0008", SEVILLA, MADRID, (Parcel(1.0),), service="correos_express:epaq24/return")
    label = client(sendcloud).create_return(back)
    assert client(sendcloud).cancel_return(label.shipment_id) == "requested"
    with pytest.raises(CarrierError, match="Return is not cancellable"):
        client(sendcloud).cancel_return(label.shipment_id)


def test_a_return_from_outside_the_eu_needs_its_customs_lines(sendcloud):
    back = Shipment("RMA0009", ZURICH, MADRID, (Parcel(1.0),), service="dhl_express:worldwide/return")
    with pytest.raises(CarrierError, match="parcel_items: Parcel items are required") as refused:
        client(sendcloud).create_return(back)
    assert not refused.value.transient


def test_a_webhook_with_a_good_signature_is_read_and_a_bad_one_is_not():
    signatures = json.loads((FIXTURES / "webhook_signatures.json").read_text())
    body = (FIXTURES / "webhook_parcel_status_changed_delivered.json").read_bytes()
    good = {"sendcloud-signature": signatures["webhook_parcel_status_changed_delivered.json"]}
    assert verify_webhook(WEBHOOK_SECRET, body, good)
    assert not verify_webhook(WEBHOOK_SECRET, body, {"Sendcloud-Signature": signatures["_bad_signature_example"]})
    assert not verify_webhook(WEBHOOK_SECRET, body + b" ", good)
    assert not verify_webhook(WEBHOOK_SECRET, body, {})
    status = webhook_tracking(body)
    assert (status.tracking_number, status.status) == ("3SOMS0000000001", DELIVERED)
    assert status.delivered_at == datetime(2026, 12, 4, 11, 25, 7)


def test_the_documented_signature_check_and_an_in_transit_webhook():
    check = json.loads((FIXTURES / "webhook_signatures.json").read_text())["_docs_check"]
    assert verify_webhook(check["secret"], check["body"].encode(), {"Sendcloud-Signature": check["signature"]})
    body = (FIXTURES / "webhook_parcel_status_changed_in_transit.json").read_bytes()
    status = webhook_tracking(body)
    assert status.status == IN_TRANSIT and status.delivered_at is None
    assert webhook_tracking(b'{"action": "integration_updated"}') is None
