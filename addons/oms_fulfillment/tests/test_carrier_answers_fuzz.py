"""Hostile answers from the carriers never crash Odoo (plain pytest, no database): each real answer the three
clients read (the fixtures in tests/fixtures/carriers/) is mutated a few hundred times with a fixed seed (keys
dropped, values of other types, empty lists, nested garbage, base64 that is not, PDFs that are not, dates that are
not, huge numbers, NaN, truncated bodies, HTML pages, bytes that are not JSON or XML) and served by the client's
local stand-in in place of its own answer. Every call either gives a well-formed result (the contract of
services/carrier.py) or raises CarrierError, whose message reads as a sentence: nothing else reaches the Odoo side,
which shows a CarrierError on the delivery with Retry but would show any other exception as a traceback."""

import base64
import collections
import copy
import io
import json
import math
import random
import traceback
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import PyPDF2
import pytest
from lxml import etree
from werkzeug.wrappers import Response

from odoo.addons.oms_fulfillment.services.carrier import (
    TRACKING_STATUSES,
    Address,
    CarrierError,
    CustomsLine,
    Label,
    Parcel,
    Rate,
    Shipment,
    TrackingStatus,
    parse_utc,
)
from odoo.addons.oms_fulfillment.services.carrier_correos import CorreosClient
from odoo.addons.oms_fulfillment.services.carrier_dhl_express import DhlExpressClient
from odoo.addons.oms_fulfillment.services.carrier_dhl_express_answers import read_tracking
from odoo.addons.oms_fulfillment.services.carrier_sendcloud import SendcloudClient
from odoo.addons.oms_fulfillment.stand_ins.correos import SERVICE_PATH, TRACKING_PREFIX, LocalCorreos
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud
from odoo.addons.oms_intelligent.stand_ins.soap import soap_call

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "carriers"
MUTATIONS = 100  # per answer fixture: 1,000 to 1,500 hostile answers per client
PDF_BASE64 = base64.b64encode((FIXTURES / "correos" / "label_sample.pdf").read_bytes()).decode()
HOSTILE_VALUES = (
    None,
    "",
    " ",
    "abc",
    "NaN",
    "-1",
    "12,50",
    "1e999",
    -1,
    -0.01,
    0,
    10**400,
    1e308,
    float("nan"),
    float("inf"),
    True,
    [],
    {},
    [None],
    [[[[]]]],
    {"value": {"value": None}},
    "2026-02-30T25:61:00Z",
    "31/02/2026",
    "9999-99-99",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01",
    "x" * 3000,
    "\x00\ud7ff",
    base64.b64encode(b"%PDF-1.4 not really a PDF").decode(),
    base64.b64encode(b"<html>label</html>").decode(),
    PDF_BASE64[: len(PDF_BASE64) // 2],
    "!!not base64!!",
    "JVBERi0",
)
RAW_BODIES = (
    (200, b"", "application/json"),
    (200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"),
    (200, b"\xff\xfe\x00garbage\x80", "application/octet-stream"),
    (200, b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (200, b"null", "application/json"),
    (200, b"42", "application/json"),
    (200, b'"a string"', "application/json"),
    (200, b"%PDF-1.4 truncated", "application/pdf"),
    (204, b"", "application/json"),
    (400, b"<html>Bad request</html>", "text/html"),
    (401, b"not json", "text/plain"),
    (404, b"[1, 2]", "application/json"),
    (409, b"{}", "application/json"),
    (422, b'{"errors": 5}', "application/json"),
)


# --- serving hostile answers --------------------------------------------------------------------------------------


class AnswersGiven:
    """A stand-in that answers requests matching ``given`` (method, path prefix, a word of the body) with a given
    status, body and content type, and serves every other request itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.given = []

    def answer(self, method: str, path: str, body: bytes, status: int = 200, content_type="", word: bytes = b""):
        self.given.append((method, path, word, Response(body, status=status, content_type=content_type or None)))

    def handle(self, request):
        data = request.get_data()
        for method, path, word, response in self.given:
            if request.method == method and request.path.startswith(path) and self.matches(data, word):
                return response
        return super().handle(request)

    def matches(self, data: bytes, word: bytes) -> bool:
        return word in data


class HostileSendcloud(AnswersGiven, LocalSendcloud):
    pass


class HostileDhl(AnswersGiven, LocalDhlExpress):
    pass


class HostileCorreos(AnswersGiven, LocalCorreos):
    """``word``: the SOAP operation whose answer is given (every SOAP call goes to the same path)."""

    def matches(self, data: bytes, word: bytes) -> bool:
        return not word or (data.startswith(b"<") and soap_call(data)[0] == word.decode())


# --- mutations --------------------------------------------------------------------------------------------------------


def json_mutations(document, rng: random.Random, count: int = MUTATIONS):
    """(status, body, content type) of ``count`` hostile variants of a JSON document."""
    for _index in range(count):
        if rng.random() < 0.15:
            yield rng.choice(RAW_BODIES)
            continue
        mutated = copy.deepcopy(document)
        for _change in range(rng.randint(1, 3)):
            mutated = _mutated_json(mutated, rng)
        body = json.dumps(mutated).encode()
        if rng.random() < 0.1:
            body = body[: rng.randint(0, len(body))]
        yield 200, body, rng.choice(("application/json", "application/json", "text/plain", ""))


def _mutated_json(document, rng: random.Random):
    nodes = list(_nodes(document))
    # Prices, weights, counts and dates are what a client computes with: they are hostile more often than the rest.
    figures = [node for node in nodes if _figure(node[2])]
    parent, key, value = rng.choice(figures if figures and rng.random() < 0.4 else nodes)
    operation = rng.choice(("drop", "replace", "replace", "empty", "wrap", "numbers"))
    if operation == "drop" and parent is not None:
        del parent[key]
        return document
    if operation == "empty" and isinstance(value, list | dict):
        new = type(value)()
    elif operation == "wrap":
        new = [value] if rng.random() < 0.5 else {"data": value}
    elif operation == "numbers" and isinstance(value, int | float | str):
        new = rng.choice((str(value), -abs(value) if isinstance(value, int | float) else value, 10**400, "1,5"))
    else:
        new = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    if parent is None:
        return new
    parent[key] = new
    return document


def _figure(value) -> bool:
    """A number, or a text that starts like one (a price, a date, a time)."""
    if isinstance(value, str):
        return value[:1].isdigit()
    return isinstance(value, int | float) and not isinstance(value, bool)


def _nodes(value, parent=None, key=None):
    yield parent, key, value
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for child_key, child in list(children):
        yield from _nodes(child, value, child_key)


def xml_mutations(document: bytes, rng: random.Random, count: int = MUTATIONS):
    """(status, body, content type) of ``count`` hostile variants of a SOAP answer."""
    for _index in range(count):
        if rng.random() < 0.15:
            status, body, _type = rng.choice(RAW_BODIES)
            yield status, body, rng.choice(("text/xml", "text/html", ""))
            continue
        root = etree.fromstring(document)
        answer = root[-1][0]  # Envelope / Body / the response element
        for _change in range(rng.randint(1, 3)):
            _mutate_xml(answer, rng)
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        if rng.random() < 0.1:
            body = body[: rng.randint(0, len(body))]
        yield 200, body, "text/xml"


def _mutate_xml(answer, rng: random.Random) -> None:
    element = rng.choice([answer, *answer.iterdescendants()])
    operation = rng.choice(("drop", "text", "text", "duplicate", "empty", "stranger"))
    if operation == "drop" and element is not answer:
        element.getparent().remove(element)
    elif operation == "duplicate" and element is not answer:
        element.addnext(copy.deepcopy(element))
    elif operation == "empty":
        for child in list(element):
            element.remove(child)
        element.text = None
    elif operation == "stranger":
        etree.SubElement(element, f"{{{answer.nsmap.get(None, '')}}}Sorpresa").text = "?"
    else:
        value = rng.choice(HOSTILE_VALUES)
        element.text = "".join(ch for ch in str(value) if ch.isprintable()) if value is not None else None


# --- the contract ---------------------------------------------------------------------------------------------------


def spanish(template, **values):
    return template % values if values else template


def check_error(error: CarrierError) -> None:
    assert error.message and isinstance(error.message, str)
    assert error.text(spanish)  # the sentence translates with its values
    for python_words in ("Traceback", "NoneType", "has no attribute", "not subscriptable", "object is not"):
        assert python_words not in error.message, error.message


def check_rate(rate) -> None:
    assert isinstance(rate, Rate)
    assert isinstance(rate.price, float) and math.isfinite(rate.price) and rate.price >= 0
    assert isinstance(rate.currency, str) and len(rate.currency) == 3 and rate.currency.isalpha()
    assert rate.transit_days is None or (isinstance(rate.transit_days, int) and rate.transit_days >= 0)
    assert isinstance(rate.service, str) and isinstance(rate.service_name, str)
    assert rate.delivery_date is None or isinstance(rate.delivery_date, date)


def check_pdf(pdf) -> None:
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    assert len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages) >= 1


def check_label(label) -> None:
    assert isinstance(label, Label)
    assert isinstance(label.tracking_number, str) and label.tracking_number.strip()
    check_pdf(label.pdf)
    assert label.price is None or (math.isfinite(label.price) and label.price >= 0)
    assert label.currency is None or (isinstance(label.currency, str) and len(label.currency) == 3)
    assert all(isinstance(number, str) and number for number in label.parcel_numbers)
    assert isinstance(label.shipment_id, str) and isinstance(label.tracking_url, str)
    assert label.delivery_date is None or isinstance(label.delivery_date, date)
    for name, pdf in label.documents:
        assert isinstance(name, str)
        check_pdf(pdf)


def check_tracking(status) -> None:
    assert isinstance(status, TrackingStatus)
    assert isinstance(status.tracking_number, str) and status.tracking_number
    assert status.status in TRACKING_STATUSES
    assert status.delivered_at is None or (isinstance(status.delivered_at, datetime) and not status.delivered_at.tzinfo)
    assert isinstance(status.description, str)
    assert all(isinstance(event, str) for event in status.events)


def check_rates(rates) -> None:
    assert isinstance(rates, list)
    for rate in rates:
        check_rate(rate)


def check_anything(_result) -> None:
    """Cancellations and connection tests: any result will do, only exceptions matter."""


def survive(server, call, check, cases, serve) -> tuple[dict, collections.Counter]:
    """Serves each hostile answer (``serve`` puts it on ``server``) to ``call``: what crashed or broke the contract
    (by kind and place), and how many calls gave a result or a CarrierError."""
    crashes, outcomes = {}, collections.Counter()
    for status, body, content_type in cases:
        server.given.clear()
        serve(server, status, body, content_type)
        try:
            check(call())
            outcomes["result"] += 1
        except CarrierError as error:
            check_error(error)
            outcomes["error"] += 1
        except Exception as exc:  # noqa: BLE001 - any other exception is what this test looks for
            where = traceback.extract_tb(exc.__traceback__)[-1]
            kind = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
            crashes.setdefault(kind, []).append(f"{exc!r:.200} <- {body[:200]!r}")
    server.given.clear()
    return crashes, outcomes


def fuzz(server, client, carrier: str, cases, rng: random.Random) -> None:
    """Every case's hostile answers through ``client``: no crash; some answers still read (the fuzzing reaches the
    reading of well-formed parts), some refused."""
    crashes, outcomes = {}, collections.Counter()
    for what, call, check, answers, serve in cases:
        hostile = json_mutations(fixture_json(carrier, answers), rng) if isinstance(answers, str) else answers
        found, counted = survive(server, lambda call=call: call(client), check, hostile, serve)
        outcomes.update(counted)
        for kind, examples in found.items():
            crashes.setdefault(f"{what}: {kind}", []).extend(examples)
    assert not crashes, "\n".join(f"{len(found)} x {kind}: {found[0]}" for kind, found in sorted(crashes.items()))
    assert outcomes["result"] > 50 and outcomes["error"] > 50, outcomes


def fixture_json(carrier: str, name: str):
    return json.loads((FIXTURES / carrier / name).read_text())


def answering(method: str, path: str, *fixed, word: bytes = b""):
    """What serves a hostile answer on ``method path``, the ``fixed`` (method, path, body, content type, word)
    answers around it given as the fixtures have them."""

    def serve(server, status, body, content_type):
        server.answer(method, path, body, status, content_type, word)
        for fixed_method, fixed_path, fixed_body, fixed_type, fixed_word in fixed:
            server.answer(fixed_method, fixed_path, fixed_body, 200, fixed_type, fixed_word)

    return serve


# --- Sendcloud --------------------------------------------------------------------------------------------------------

MADRID = Address("Expediciones OMS", street="Calle de la Logistica 12", city="Madrid", zip="28021", country_code="ES")
SEVILLA = Address("Lucia Fernandez", street="Calle Sierpes 45", city="Sevilla", zip="41004", country_code="ES")
LISBOA = Address(
    "Joao Pereira", street="Rua Augusta 120", city="Lisboa", zip="1100-053", country_code="PT", phone="+351 9"
)
LONDON = Address(
    "Oliver Bennett", street="14 Buckingham Gate", city="London", zip="SW1A 1AA", country_code="GB", phone="+44 20 7"
)
ONE_PARCEL = Shipment("WH/OUT/00042", MADRID, SEVILLA, (Parcel(2.35, 30, 20, 15),), declared_value=89.9)
THREE_PARCELS = Shipment(
    "WH/OUT/00043", MADRID, LISBOA, (Parcel(4.2, 40, 30, 20), Parcel(2.1, 30, 20, 15), Parcel(6.0, 60, 40, 40))
)
CHOSEN = replace(ONE_PARCEL, service="gls_es:business_parcel/home_delivery")
THREE_CHOSEN = replace(THREE_PARCELS, service="dhl_parcel:europlus/home_delivery")


def sendcloud_cases(rng: random.Random):
    """(name, call on a client, contract check, hostile answers, how they are served) for Sendcloud."""
    real_pdf = (FIXTURES / "sendcloud" / "label_a6.pdf").read_bytes()
    announcing = (
        "POST",
        "/shipments",
        (FIXTURES / "sendcloud" / "shipment_async_response_pt_announcing.json").read_bytes(),
        "application/json",
        b"",
    )
    ready = ("GET", "/shipments/", (FIXTURES / "sendcloud" / "shipment_get_pt_ready.json").read_bytes(), "", b"")
    labels = ("GET", "/parcels/", real_pdf, "application/pdf", b"")
    pdf_cases = [
        (200, body, kind)
        for body in (b"", b"%PDF-1.4 garbage", real_pdf[: len(real_pdf) // 2], b"<html>", real_pdf[:-200])
        for kind in ("application/pdf", "text/html")
    ]
    yield (
        "rates",
        lambda client: client.rates(THREE_PARCELS),
        check_rates,
        "rates_response_3_parcels.json",
        (answering("POST", "/shipping-options")),
    )
    yield (
        "rates",
        lambda client: client.rate(ONE_PARCEL),
        check_rate,
        "rates_response_1_parcel.json",
        (answering("POST", "/shipping-options")),
    )
    yield (
        "label",
        lambda client: client.create_label(CHOSEN),
        check_label,
        "announce_response_es_1_parcel.json",
        (answering("POST", "/shipments/announce")),
    )
    yield (
        "label",
        lambda client: client.create_label(CHOSEN),
        check_label,
        "announce_response_ch_customs.json",
        (answering("POST", "/shipments/announce")),
    )
    yield (
        "labels",
        lambda client: client.create_label(THREE_CHOSEN),
        check_label,
        "shipment_get_pt_ready.json",
        (answering("GET", "/shipments/", announcing, labels)),
    )
    yield (
        "label PDF",
        lambda client: client.create_label(THREE_CHOSEN),
        check_label,
        pdf_cases,
        (answering("GET", "/parcels/401230012/", announcing, ready, labels)),
    )
    yield (
        "bought before",
        lambda client: client.create_label(CHOSEN),
        check_label,
        "announce_response_409_duplicate.json",
        (
            lambda server, status, body, content_type: server.answer(
                "POST", "/shipments/announce", body, 409, content_type
            )
        ),
    )
    for name in ("announce_response_validation_error.json", "error_unauthorized.json", "cancel_response_409.json"):
        yield (
            "refusal",
            lambda client: client.rates(ONE_PARCEL),
            check_rates,
            name,
            (
                lambda server, status, body, content_type: server.answer(
                    "POST", "/shipping-options", body, rng.choice((400, 401, 403, 404, 409, 422)), content_type
                )
            ),
        )
    yield (
        "tracking",
        lambda client: client.tracking("3SOMS0000000001"),
        check_tracking,
        "tracking_response_delivered.json",
        (answering("GET", "/parcels/tracking/")),
    )
    for name in ("cancel_response_200.json", "cancel_response_202.json"):
        yield (
            "cancellation",
            lambda client: client.cancel("7045813"),
            check_anything,
            name,
            (answering("POST", "/shipments/")),
        )
    yield (
        "connection",
        lambda client: client.test_connection(),
        check_anything,
        "parcel_statuses.json",
        (answering("GET", "/parcels/statuses")),
    )


def test_hostile_sendcloud_answers_give_a_result_or_a_carrier_error():
    with HostileSendcloud() as server:
        client = SendcloudClient.from_credentials(
            server.credentials(), sleep=lambda seconds: None, poll_interval=0, poll_attempts=2
        )
        fuzz(server, client, "sendcloud", sendcloud_cases(random.Random(1718)), random.Random(1817))


# --- DHL Express ------------------------------------------------------------------------------------------------------

DHL_SENDER = Address(
    "OMS Demo Logistica S.L.",
    street="Calle de Mendez Alvaro 56",
    city="Madrid",
    zip="28045",
    country_code="ES",
    phone="+34 910 000 123",
    email="almacen@oms-demo.example",
)
DHL_CUSTOMS = (CustomsLine("Cotton kitchen towels, set of 2", 2, 55.5, 0.4, "63026000", "PT", "TOWEL-02"),)
TO_LISBOA = Shipment(
    "WH/OUT/00042",
    DHL_SENDER,
    LISBOA,
    THREE_PARCELS.parcels,
    service="U",
    declared_value=389.7,
    insured_value=389.7,
    ship_date=date(2026, 12, 4),
)
TO_LONDON = replace(TO_LISBOA, recipient=LONDON, parcels=(Parcel(1.4, 30, 25, 10),), service="P", customs=DHL_CUSTOMS)


def dhl_cases(rng: random.Random):
    """(name, call on a client, contract check, hostile answers, how they are served) for DHL Express."""
    bought = ("POST", "/shipments", (FIXTURES / "dhl_express" / "shipment_response_pt_3_parcels.json").read_bytes())
    refusals = ("error_address_refused_400.json", "error_validation_422.json", "error_unauthorized_401.json")
    yield (
        "rates",
        lambda client: client.rates(TO_LISBOA),
        check_rates,
        "rates_response_pt_3_parcels.json",
        (answering("POST", "/rates")),
    )
    yield (
        "rate",
        lambda client: client.rate(TO_LONDON),
        check_rate,
        "rates_response_gb_customs.json",
        (answering("POST", "/rates")),
    )
    yield (
        "rates",
        lambda client: client.rates(TO_LISBOA),
        check_rates,
        "rates_response_es_1_parcel.json",
        (answering("POST", "/rates")),
    )
    yield (
        "label",
        lambda client: client.create_label(TO_LISBOA),
        check_label,
        "shipment_response_pt_3_parcels.json",
        (answering("POST", "/shipments")),
    )
    yield (
        "label",
        lambda client: client.create_label(TO_LONDON),
        check_label,
        "shipment_response_gb_customs.json",
        (answering("POST", "/shipments")),
    )
    yield (
        "bought before",
        lambda client: client.create_label(TO_LISBOA),
        check_label,
        ("tracking_by_reference_response_found.json"),
        answering("GET", "/tracking", (*bought, "application/json", b"")),
    )
    yield (
        "tracking",
        lambda client: client.tracking("4719305826"),
        check_tracking,
        ("tracking_response_delivered.json"),
        answering("GET", "/shipments/"),
    )
    yield (
        "tracking",
        lambda client: client.tracking("4719305826"),
        check_tracking,
        ("tracking_response_in_transit.json"),
        answering("GET", "/shipments/"),
    )
    yield (
        "connection",
        lambda client: client.test_connection(),
        check_anything,
        ("tracking_by_reference_response_404.json"),
        lambda server, status, body, content_type: server.answer("GET", "/tracking", body, 404, content_type),
    )
    for name in (*refusals, "error_process_500.json", "tracking_response_404.json"):
        yield (
            "refusal",
            lambda client: client.rates(TO_LISBOA),
            check_rates,
            name,
            (
                lambda server, status, body, content_type: server.answer(
                    "POST", "/rates", body, rng.choice((400, 401, 403, 404, 422, 500, 503)), content_type
                )
            ),
        )
    pickup = Label("4719305826", b"", shipment_id="PRG201203000042")
    yield (
        "cancellation",
        lambda client: client.cancel(pickup),
        check_anything,
        "cancel_pickup_response_404.json",
        (
            lambda server, status, body, content_type: server.answer(
                "DELETE", "/pickups/", body, rng.choice((200, 400, 404, 500)), content_type
            )
        ),
    )


def test_hostile_dhl_express_answers_give_a_result_or_a_carrier_error():
    with HostileDhl() as server:
        clock = lambda: datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))  # noqa: E731
        client = DhlExpressClient.from_credentials(server.credentials(), clock=clock)
        client.http.sleep = lambda seconds: None
        fuzz(server, client, "dhl_express", dhl_cases(random.Random(1917)), random.Random(1719))


# --- Correos ----------------------------------------------------------------------------------------------------------

CORREOS_SENDER = replace(DHL_SENDER, state="Madrid")
VALENCIA = Address("Ferreteria Turia S.L.", street="Avenida del Puerto 210", city="Valencia", zip="46023",
                   country_code="ES")  # fmt: skip
BY_CORREOS = Shipment("WH/OUT/00042", CORREOS_SENDER, SEVILLA, (Parcel(1.25, 30, 20, 15),), insured_value=180.0)
THREE_BY_CORREOS = Shipment("WH/OUT/00043", CORREOS_SENDER, VALENCIA, THREE_PARCELS.parcels)


def soap_answers(name: str, rng: random.Random):
    return xml_mutations((FIXTURES / "correos" / "soap" / name).read_bytes(), rng)


def answering_soap(operation: str, status: int | None = None):
    def serve(server, given_status, body, content_type):
        server.answer("POST", SERVICE_PATH, body, status or given_status, content_type, operation.encode())

    return serve


def correos_cases(rng: random.Random):
    """(name, call on a client, contract check, hostile answers, how they are served) for Correos."""
    yield (
        "rates",
        lambda client: client.rates(BY_CORREOS),
        check_rates,
        (soap_answers("rate_one_parcel_response.xml", rng)),
        answering_soap("CalculaTarifa"),
    )
    yield (
        "rates",
        lambda client: client.rate(THREE_BY_CORREOS),
        check_rate,
        (soap_answers("rate_refused_response.xml", rng)),
        answering_soap("CalculaTarifa"),
    )
    yield (
        "label",
        lambda client: client.create_label(BY_CORREOS),
        check_label,
        (soap_answers("preregistro_single_response.xml", rng)),
        answering_soap("PreregistroEnvio"),
    )
    yield (
        "label",
        lambda client: client.create_label(BY_CORREOS),
        check_label,
        (soap_answers("preregistro_address_refused_response.xml", rng)),
        answering_soap("PreregistroEnvio"),
    )
    yield (
        "label",
        lambda client: client.create_label(BY_CORREOS),
        check_label,
        (soap_answers("preregistro_validation_fault_response.xml", rng)),
        answering_soap("PreregistroEnvio", status=500),
    )
    yield (
        "labels",
        lambda client: client.create_label(THREE_BY_CORREOS),
        check_label,
        (soap_answers("preregistro_multiparcel_response.xml", rng)),
        answering_soap("PreregistroEnvioMultibulto"),
    )
    yield (
        "bought before",
        lambda client: client.create_label(BY_CORREOS),
        check_label,
        (soap_answers("label_by_reference_response.xml", rng)),
        answering_soap("SolicitudEtiquetaRefCli"),
    )
    for name in ("cancel_response.xml", "cancel_refused_response.xml"):
        yield (
            "cancellation",
            lambda client: client.cancel("PQ7K3B4000000420141004X"),
            check_anything,
            (soap_answers(name, rng)),
            answering_soap("PeticionAnular"),
        )
    for name in ("tracking_delivered.json", "tracking_last_event_in_transit.json", "tracking_unknown_code.json"):
        yield (
            "tracking",
            lambda client: client.tracking("PQ7K3B4000000420141004X"),
            check_tracking,
            (json_mutations(fixture_json("correos", f"tracking/{name}"), rng)),
            answering("GET", TRACKING_PREFIX),
        )


def test_hostile_correos_answers_give_a_result_or_a_carrier_error():
    with HostileCorreos() as server:
        client = CorreosClient.from_credentials(server.credentials())
        client.locator.http.sleep = lambda seconds: None
        fuzz(server, client, "correos", correos_cases(random.Random(2017)), random.Random(1720))


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
