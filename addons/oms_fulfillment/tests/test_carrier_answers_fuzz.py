"""Hostile answers from the carriers never crash Odoo (plain pytest, no database): each real answer the three
clients read (the fixtures in tests/fixtures/carriers/) is mutated a hundred times with a fixed seed (keys dropped,
values of other types, empty lists, nested garbage, base64 that is not, PDFs that are not, dates that are not, huge
numbers, NaN, truncated bodies, HTML pages, bytes that are not JSON or XML) and served by the client's local
stand-in in place of its own answer. Every call either gives a well-formed result (the contract of
services/carrier.py) or raises CarrierError, whose message reads as a sentence: nothing else reaches the Odoo side,
which shows a CarrierError on the delivery with Retry but would show any other exception as a traceback. The
machinery is in carrier_answers_fuzzing.py."""

import json
import random
from dataclasses import replace
from datetime import date, datetime
from operator import methodcaller
from zoneinfo import ZoneInfo

import pytest

from odoo.addons.oms_fulfillment.services.carrier import (
    Address,
    CarrierError,
    CustomsLine,
    Label,
    Parcel,
    Shipment,
    parse_utc,
)
from odoo.addons.oms_fulfillment.services.carrier_correos import CorreosClient
from odoo.addons.oms_fulfillment.services.carrier_dhl_express import DhlExpressClient
from odoo.addons.oms_fulfillment.services.carrier_dhl_express_answers import problem_text, read_tracking
from odoo.addons.oms_fulfillment.services.carrier_sendcloud import SendcloudClient
from odoo.addons.oms_fulfillment.stand_ins.correos import TRACKING_PREFIX

from .carrier_answers_fuzzing import (
    FIXTURES,
    Case,
    HostileCorreos,
    HostileDhl,
    HostileSendcloud,
    answering,
    answering_soap,
    check_anything,
    check_label,
    check_rate,
    check_rates,
    check_tracking,
    fuzz,
    json_mutations,
    refusing,
)

MADRID = Address("Expediciones OMS", street="Calle de la Logistica 12", city="Madrid", zip="28021", country_code="ES",
                 phone="+34 910 000 123", email="almacen@oms-demo.example")  # fmt: skip
SEVILLA = Address("Lucia Fernandez", street="Calle Sierpes 45", city="Sevilla", zip="41004", country_code="ES")
VALENCIA = Address("Ferreteria Turia S.L.", street="Avenida del Puerto 210", city="Valencia", zip="46023",
                   country_code="ES")  # fmt: skip
LISBOA = Address("Joao Pereira", street="Rua Augusta 120", city="Lisboa", zip="1100-053", country_code="PT",
                 phone="+351 9")  # fmt: skip
LONDON = Address("Oliver Bennett", street="14 Buckingham Gate", city="London", zip="SW1A 1AA", country_code="GB",
                 phone="+44 20 7")  # fmt: skip
PARCELS = (Parcel(4.2, 40, 30, 20), Parcel(2.1, 30, 20, 15), Parcel(6.0, 60, 40, 40))
ONE_PARCEL = Shipment("WH/OUT/00042", MADRID, SEVILLA, (Parcel(2.35, 30, 20, 15),), declared_value=89.9)
THREE_PARCELS = Shipment("WH/OUT/00043", MADRID, LISBOA, PARCELS)
ONE_VALENCIA = replace(ONE_PARCEL, recipient=VALENCIA, insured_value=180.0)
THREE_VALENCIA = replace(THREE_PARCELS, recipient=VALENCIA)
REFUSALS = (400, 401, 403, 404, 409, 422)

# --- Sendcloud --------------------------------------------------------------------------------------------------------

CHOSEN = replace(ONE_PARCEL, service="gls_es:business_parcel/home_delivery")
THREE_CHOSEN = replace(THREE_PARCELS, service="dhl_parcel:europlus/home_delivery")
LABEL_PDF = (FIXTURES / "sendcloud" / "label_a6.pdf").read_bytes()
ANNOUNCING_BODY = (FIXTURES / "sendcloud" / "shipment_async_response_pt_announcing.json").read_bytes()
ANNOUNCING = ("POST", "/shipments", ANNOUNCING_BODY, "application/json", b"")
READY = ("GET", "/shipments/", (FIXTURES / "sendcloud" / "shipment_get_pt_ready.json").read_bytes(), "", b"")
LABELS = ("GET", "/parcels/", LABEL_PDF, "application/pdf", b"")
BROKEN_PDFS = [
    (200, body, kind)
    for body in (b"", b"%PDF-1.4 garbage", LABEL_PDF[: len(LABEL_PDF) // 2], b"<html>", LABEL_PDF[:-200])
    for kind in ("application/pdf", "text/html")
]
SENDCLOUD_CASES = [
    Case("rates", methodcaller("rates", THREE_PARCELS), check_rates, "rates_response_3_parcels.json",
         answering("POST", "/shipping-options")),
    Case("rate", methodcaller("rate", ONE_PARCEL), check_rate, "rates_response_1_parcel.json",
         answering("POST", "/shipping-options")),
    Case("label", methodcaller("create_label", CHOSEN), check_label, "announce_response_es_1_parcel.json",
         answering("POST", "/shipments/announce")),
    Case("label", methodcaller("create_label", CHOSEN), check_label, "announce_response_ch_customs.json",
         answering("POST", "/shipments/announce")),
    Case("labels", methodcaller("create_label", THREE_CHOSEN), check_label, "shipment_get_pt_ready.json",
         answering("GET", "/shipments/", ANNOUNCING, LABELS)),
    Case("labels", methodcaller("create_label", THREE_CHOSEN), check_label,
         "shipment_async_response_pt_announcing.json", answering("POST", "/shipments", READY, LABELS)),
    Case("label PDF", methodcaller("create_label", THREE_CHOSEN), check_label, BROKEN_PDFS,
         answering("GET", "/parcels/401230012/", ANNOUNCING, READY, LABELS)),
    Case("bought before", methodcaller("create_label", CHOSEN), check_label, "announce_response_409_duplicate.json",
         refusing("POST", "/shipments/announce", (409,))),
    *(Case("refusal", methodcaller("rates", ONE_PARCEL), check_rates, name,
           refusing("POST", "/shipping-options", REFUSALS))
      for name in ("announce_response_validation_error.json", "error_unauthorized.json", "cancel_response_409.json")),
    Case("tracking", methodcaller("tracking", "3SOMS0000000001"), check_tracking, "tracking_response_delivered.json",
         answering("GET", "/parcels/tracking/")),
    *(Case("cancellation", methodcaller("cancel", "7045813"), check_anything, name, answering("POST", "/shipments/"))
      for name in ("cancel_response_200.json", "cancel_response_202.json")),
    Case("connection", methodcaller("test_connection"), check_anything, "parcel_statuses.json",
         answering("GET", "/parcels/statuses")),
]  # fmt: skip


RETURN = replace(ONE_PARCEL, sender=SEVILLA, recipient=MADRID, service="correos:return/dropoff")
# What GET /returns/<id> answers once the carrier announced the return (the stand-in's shape of it).
RETURN_ANNOUNCED = {"id": 77120, "tracking_number": "3SOMS0000077120", "tracking_url": "https://tracking.example/77120",
                    "is_cancellable": True, "label_cost": {"value": 4.95, "currency": "EUR"}}  # fmt: skip
RETURN_LABEL = ("GET", "/parcels/", LABEL_PDF, "application/pdf", b"")
RETURN_BOUGHT = ("POST", "/returns", (FIXTURES / "sendcloud" / "return_response_201.json").read_bytes(), "", b"")
RETURN_CASES = [
    Case("return", methodcaller("create_return", RETURN), check_label, "return_response_201.json",
         answering("POST", "/returns", ("GET", "/returns/", json.dumps(RETURN_ANNOUNCED).encode(), "", b""),
                   RETURN_LABEL)),
    Case("return", methodcaller("create_return", RETURN), check_label,
         list(json_mutations(RETURN_ANNOUNCED, random.Random(1820))),
         answering("GET", "/returns/", RETURN_BOUGHT, RETURN_LABEL)),
    *(Case("return cancellation", methodcaller("cancel_return", 77120), check_anything, name,
           refusing("PATCH", "/returns/", (200, 202, 409)))
      for name in ("return_cancel_response_202.json", "return_cancel_response_409.json")),
]  # fmt: skip


def test_hostile_sendcloud_answers_give_a_result_or_a_carrier_error():
    with HostileSendcloud() as server:
        client = SendcloudClient.from_credentials(
            server.credentials(), sleep=lambda seconds: None, poll_interval=0, poll_attempts=2
        )
        fuzz(server, client, "sendcloud", SENDCLOUD_CASES + RETURN_CASES, random.Random(1817))


# --- DHL Express ------------------------------------------------------------------------------------------------------

TO_LISBOA = replace(THREE_PARCELS, service="U", declared_value=389.7, insured_value=389.7, ship_date=date(2026, 12, 4))
TOWELS = (CustomsLine("Cotton kitchen towels, set of 2", 2, 55.5, 0.4, "63026000", "PT", "TOWEL-02"),)
TO_LONDON = replace(TO_LISBOA, recipient=LONDON, parcels=(Parcel(1.4, 30, 25, 10),), service="P", customs=TOWELS)
BOUGHT = ("POST", "/shipments", (FIXTURES / "dhl_express" / "shipment_response_pt_3_parcels.json").read_bytes(),
          "application/json", b"")  # fmt: skip
PICKUP = Label("4719305826", b"", shipment_id="PRG201203000042")
DHL_CASES = [
    Case("rates", methodcaller("rates", TO_LISBOA), check_rates, "rates_response_pt_3_parcels.json",
         answering("POST", "/rates")),
    Case("rate", methodcaller("rate", TO_LONDON), check_rate, "rates_response_gb_customs.json",
         answering("POST", "/rates")),
    Case("rates", methodcaller("rates", TO_LISBOA), check_rates, "rates_response_es_1_parcel.json",
         answering("POST", "/rates")),
    Case("label", methodcaller("create_label", TO_LISBOA), check_label, "shipment_response_pt_3_parcels.json",
         answering("POST", "/shipments")),
    Case("label", methodcaller("create_label", TO_LONDON), check_label, "shipment_response_gb_customs.json",
         answering("POST", "/shipments")),
    Case("bought before", methodcaller("create_label", TO_LISBOA), check_label,
         "tracking_by_reference_response_found.json", answering("GET", "/tracking", BOUGHT)),
    *(Case("tracking", methodcaller("tracking", "4719305826"), check_tracking, name, answering("GET", "/shipments/"))
      for name in ("tracking_response_delivered.json", "tracking_response_in_transit.json")),
    Case("connection", methodcaller("test_connection"), check_anything, "tracking_by_reference_response_404.json",
         refusing("GET", "/tracking", (404,))),
    *(Case("refusal", methodcaller("rates", TO_LISBOA), check_rates, name,
           refusing("POST", "/rates", (*REFUSALS, 500, 503)))
      for name in ("error_address_refused_400.json", "error_validation_422.json", "error_unauthorized_401.json",
                   "error_process_500.json", "tracking_response_404.json")),
    Case("cancellation", methodcaller("cancel", PICKUP), check_anything, "cancel_pickup_response_404.json",
         refusing("DELETE", "/pickups/", (200, 400, 404, 500))),
]  # fmt: skip


def test_hostile_dhl_express_answers_give_a_result_or_a_carrier_error():
    with HostileDhl() as server:
        clock = lambda: datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))  # noqa: E731
        client = DhlExpressClient.from_credentials(server.credentials(), clock=clock)
        client.http.sleep = lambda seconds: None
        fuzz(server, client, "dhl_express", DHL_CASES, random.Random(1719))


# --- Correos ----------------------------------------------------------------------------------------------------------

PARCEL_CODE = "PQ7K3B4000000420141004X"
CORREOS_CASES = [
    Case("rates", methodcaller("rates", ONE_VALENCIA), check_rates, "soap/rate_one_parcel_response.xml",
         answering_soap("CalculaTarifa")),
    Case("rate", methodcaller("rate", THREE_VALENCIA), check_rate, "soap/rate_refused_response.xml",
         answering_soap("CalculaTarifa")),
    Case("label", methodcaller("create_label", ONE_VALENCIA), check_label, "soap/preregistro_single_response.xml",
         answering_soap("PreregistroEnvio")),
    Case("label", methodcaller("create_label", ONE_VALENCIA), check_label,
         "soap/preregistro_address_refused_response.xml", answering_soap("PreregistroEnvio")),
    Case("label", methodcaller("create_label", ONE_VALENCIA), check_label,
         "soap/preregistro_validation_fault_response.xml", answering_soap("PreregistroEnvio", status=500)),
    Case("labels", methodcaller("create_label", THREE_VALENCIA), check_label,
         "soap/preregistro_multiparcel_response.xml", answering_soap("PreregistroEnvioMultibulto")),
    Case("bought before", methodcaller("create_label", ONE_VALENCIA), check_label,
         "soap/label_by_reference_response.xml", answering_soap("SolicitudEtiquetaRefCli")),
    *(Case("cancellation", methodcaller("cancel", PARCEL_CODE), check_anything, name, answering_soap("PeticionAnular"))
      for name in ("soap/cancel_response.xml", "soap/cancel_refused_response.xml")),
    *(Case("tracking", methodcaller("tracking", PARCEL_CODE), check_tracking, f"tracking/{name}",
           answering("GET", TRACKING_PREFIX))
      for name in ("tracking_delivered.json", "tracking_last_event_in_transit.json", "tracking_unknown_code.json")),
]  # fmt: skip


def test_hostile_correos_answers_give_a_result_or_a_carrier_error():
    with HostileCorreos() as server:
        client = CorreosClient.from_credentials(server.credentials())
        client.locator.http.sleep = lambda seconds: None
        fuzz(server, client, "correos", CORREOS_CASES, random.Random(1720))


# --- the edge of the calendar -----------------------------------------------------------------------------------------


def test_moments_at_the_edge_of_the_calendar_are_unreadable_dates_not_crashes():
    """Year 1 just after midnight east of UTC, or the last minute of 9999 west of it, is outside the calendar in
    UTC. (Correos' times are Madrid's, which stays inside it.)"""
    with pytest.raises(CarrierError, match="unreadable date"):
        parse_utc("0001-01-01T00:00:00+14:00")
    with pytest.raises(CarrierError, match="unreadable date"):
        parse_utc("9999-12-31T23:59:59-05:00")
    delivered = {"typeCode": "OK", "date": "0001-01-01", "time": "00:10:00", "GMTOffset": "+01:00"}
    check_tracking(read_tracking({"shipments": [{"events": [delivered]}]}, "4719305826"))


def test_a_dhl_schema_path_with_a_digit_int_cannot_read_stays_as_sent():
    """DHL's refusals name fields by schema path (#/content/packages/0/weight reads "parcel 1 weight"); a path whose
    index is a superscript digit is read, not a ValueError."""
    assert problem_text({"detail": "bad #/content/packages/0/weight"}) == "bad parcel 1 weight"
    assert problem_text({"detail": "bad #/content/packages/\u00b2/weight"}) == "bad parcel \u00b2 weight"
