"""Fuzzing of the carrier clients' readers (tests/test_carrier_answers_fuzz.py): hostile variants of the carriers'
real answers, the local stand-ins serving them in place of their own, and the contract every call must keep (a
well-formed result of services/carrier.py, or a CarrierError that reads as a sentence)."""

import base64
import collections
import copy
import io
import json
import math
import random
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import PyPDF2
from lxml import etree
from werkzeug.wrappers import Response

from odoo.addons.oms_fulfillment.services.carrier import TRACKING_STATUSES, CarrierError, Label, Rate, TrackingStatus
from odoo.addons.oms_fulfillment.stand_ins.correos import SERVICE_PATH, LocalCorreos
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
    "#/content/packages/\u00b2/weight",  # a schema path whose index is a digit int() cannot read
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
    (200, b'{"data": []}', "application/json; charset=utf-16"),
    (200, b'{"data": []}', "application/json; charset=no-such-charset"),
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
    if operation == "drop" and element.getparent() is not None:
        element.getparent().remove(element)  # the answer itself too: a SOAP body with nothing in it
    elif operation == "duplicate" and element is not answer:
        element.addnext(copy.deepcopy(element))
    elif operation == "empty":
        for child in list(element):
            element.remove(child)
        element.text = None
    elif operation == "stranger":
        etree.SubElement(element, f"{{{answer.nsmap.get(None, '')}}}Sorpresa").text = "?"
    else:  # XML holds text: the texts and numbers of the hostile values
        value = rng.choice([value for value in HOSTILE_VALUES if isinstance(value, str | int | float)])
        element.text = "".join(ch for ch in str(value) if ch.isprintable())


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


def is_parcel_number(number) -> bool:
    """A carrier's number as it sent it: short printable text, not the text of a list, an object or None."""
    if not isinstance(number, str) or not number.strip() or len(number) > 100 or not number.isprintable():
        return False
    return number not in ("None", "True", "False") and not number.startswith(("[", "{"))


def check_label(label) -> None:
    assert isinstance(label, Label)
    assert is_parcel_number(label.tracking_number), label.tracking_number
    check_pdf(label.pdf)
    assert label.price is None or (math.isfinite(label.price) and label.price >= 0)
    assert label.currency is None or (isinstance(label.currency, str) and len(label.currency) == 3)
    assert all(is_parcel_number(number) for number in label.parcel_numbers), label.parcel_numbers
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


class Case(NamedTuple):
    """What is asked of a client, what its result must be, the answer fixture (a file name under the carrier's
    fixtures, mutated; or the hostile answers themselves) and how a hostile answer is served."""

    what: str
    call: Callable
    check: Callable
    answers: str | list
    serve: Callable


def fuzz(server, client, carrier: str, cases: list[Case], rng: random.Random) -> None:
    """Every case's hostile answers through ``client``: no crash; some answers still read (the fuzzing reaches the
    reading of well-formed parts), some refused."""
    crashes, outcomes = {}, collections.Counter()
    for what, call, check, answers, serve in cases:
        if isinstance(answers, list):
            hostile = answers
        elif answers.endswith(".xml"):
            hostile = xml_mutations((FIXTURES / carrier / answers).read_bytes(), rng)
        else:
            hostile = json_mutations(fixture_json(carrier, answers), rng)
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


def refusing(method: str, path: str, statuses: tuple[int, ...]):
    """What serves a hostile answer on ``method path`` with one of these statuses (chosen by the body's length)."""

    def serve(server, status, body, content_type):
        server.answer(method, path, body, statuses[len(body) % len(statuses)], content_type)

    return serve


def answering_soap(operation: str, status: int | None = None):
    """What serves a hostile answer to one SOAP operation (with ``status``, else the answer's own)."""

    def serve(server, given_status, body, content_type):
        server.answer("POST", SERVICE_PATH, body, status or given_status, content_type, operation.encode())

    return serve
