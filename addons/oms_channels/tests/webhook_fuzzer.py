"""The generator of the webhook property test (``test_webhook_fuzz.py``): mutated order bodies, one ``Case`` each,
from valid orders and a fixed seed."""

import copy
import json
import os
import random
import re
import sys
from dataclasses import dataclass

from odoo.addons.oms_channels.stand_ins.orders import make_order

from ..services.payload import MAX_JSON_DEPTH, MAX_PAYLOAD_BYTES
from ..services.signature import sign
from .webhook_fuzz_values import (
    CONTENT_TYPES,
    CONTROL_TEXTS,
    CUSTOMER_NAMES,
    RAW_BYTES,
    RAW_NUMBER_TOKENS,
    WEIRD_NUMBERS,
)

# Fixed, so that a failure happens again on the next run; OMS_FUZZ_SEED=<n> explores other bodies.
SEED = int(os.environ.get("OMS_FUZZ_SEED") or 20261203)
SECRET = "fuzz-s3cret"
SKU = "FUZZ-KET"
# Signed bodies of each kind (plus the replays, the oversize and the refused ones below).
KIND_COUNTS = {
    "valid": 150,  # untouched valid orders: imported and confirmed
    "unusual": 16,  # valid orders above the channel's limits: imported and held
    "control": 70,  # NUL, other control characters, U+202E and lone surrogates in a text field
    "number": 70,  # a number replaced by Infinity, NaN, 1e308, a huge int, "", null, true, [], {}...
    "delete": 30,  # a key deleted
    "swap": 35,  # a value's type swapped (object, array, string, number, boolean)
    "deep": 40,  # arrays or objects nested thousands of levels deep, or just around a limit
    "long": 12,  # 100,000 characters in a text field
    "dupkeys": 20,  # a key written twice in the JSON text
    "raw_bytes": 30,  # invalid UTF-8, raw NUL and control bytes, raw surrogates, a BOM spliced into the body
    "truncated": 25,  # the JSON text cut short
    "not_object": 10,  # empty body, a scalar, an array
    "content_type": 20,  # a valid order under a wrong Content-Type
    "chunked": 4,  # a valid order sent with Transfer-Encoding: chunked
}
DEEP_SWEEP = 25  # of the deep bodies, those nested just below Python's recursion limit
REPLAYS = 5  # bodies sent again as they were
OVERSIZE = 6  # just above MAX_PAYLOAD_BYTES (2 of them chunked): 413, recorded cut
REFUSED = 12  # unsigned or badly signed: 401, not stored, counted

# One-line text (names, streets, e-mails): no control character at all, no lone surrogate.
LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# A note may keep tabs and newlines.
NOTE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class Raw(str):
    """JSON text written as it is (tokens JSON does not allow, deep nesting)."""


class Pairs(list):
    """An object written from (key, value) pairs, so that a key may appear twice."""


def encode(value, ensure_ascii):
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{json.dumps(k)}: {encode(v, ensure_ascii)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return encode(Pairs(value.items()), ensure_ascii)
    if isinstance(value, list):
        return "[" + ", ".join(encode(item, ensure_ascii) for item in value) + "]"
    return json.dumps(value, ensure_ascii=ensure_ascii)


def to_body(order, rng, ensure_ascii=None):
    """UTF-8 JSON text of an order; non-ASCII written as is or escaped, lone surrogates always escaped."""
    text = encode(order, ensure_ascii=rng.random() < 0.5 if ensure_ascii is None else ensure_ascii)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return encode(order, ensure_ascii=True).encode("utf-8")


def leaf_paths(value, path=()):
    """Paths of every value in the order, containers included, but the case marker."""
    paths = []
    if isinstance(value, dict):
        for key, item in value.items():
            if path == () and key == "fuzz_case":
                continue
            paths.append((*path, key))
            paths.extend(leaf_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.append((*path, index))
            paths.extend(leaf_paths(item, (*path, index)))
    return paths


def nesting(value):
    """How many levels of arrays and objects are nested in value (walked without recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return deepest


def get_path(value, path):
    for key in path:
        value = value[key]
    return value


def set_path(value, path, new):
    get_path(value, path[:-1])[path[-1]] = new


@dataclass(eq=False)  # each case is itself, even when a replay shares its body
class Case:
    number: int
    kind: str
    body: bytes
    signature: str | None
    content_type: str | None = "application/json"
    chunked: bool = False
    expected_status: int = 200
    expected_ref: str | None = None  # the body is a JSON object with this external_id: a staged order with it
    must_import: bool = False  # a valid order: imported and confirmed
    must_hold: bool = False  # a valid order above the channel's limits: imported and held

    def describe(self):
        sent = f" as {self.content_type!r}" if self.content_type != "application/json" else ""
        sent += " chunked" if self.chunked else ""
        return f"#{self.number} {self.kind}{sent} ({len(self.body)} bytes) {self.body[:200]!r}"


class PayloadFuzzer:
    """Bodies generated from valid orders with a fixed seed, each mutated one way (its kind)."""

    def __init__(self, seed, currency):
        self.rng = random.Random(seed)
        self.currency = currency
        self.number = 0
        self.deep_count = 0

    def order(self):
        self.number += 1
        rng, n = self.rng, self.number
        lines = [
            {
                "sku": SKU,
                "name": rng.choice(["Kettle", "Hervidor", "Wasserkocher"]),
                "quantity": rng.randint(1, 5),
                "unit_price": round(rng.uniform(1, 80), 2),
                "discount": rng.choice([0, 0, 0, 5, 12.5]),
            }
            for _ in range(rng.randint(1, 3))
        ]
        name = rng.choice(CUSTOMER_NAMES)
        order = make_order(
            f"FUZZ-{n:04d}",
            currency=self.currency,
            lines=lines,
            shipping=rng.choice([None, {"method": "express", "price": 4.9}]),
            customer={"name": name, "email": f"fuzz-{n % 60}@example.es", "phone": f"+34 600 {n:06d}"},
        )
        order["billing_address"]["name"] = name
        if rng.random() < 0.3:
            order["shipping_address"] = copy.deepcopy(order["billing_address"])
            order["shipping_address"]["street"] = f"Calle de Serrano {n}"
        return {"fuzz_case": n, **order}

    def case(self, kind, order, body=None, **values):
        body = to_body(order, self.rng) if body is None else body
        values.setdefault("signature", sign(SECRET, body))
        if len(body) > MAX_PAYLOAD_BYTES:
            values["expected_status"] = 413
        case = Case(number=order["fuzz_case"], kind=kind, body=body, **values)
        if case.expected_status == 200 and case.expected_ref is None:
            case.expected_ref = self.external_id_of(body, order["fuzz_case"])
        return case

    @staticmethod
    def external_id_of(body, number):
        """FUZZ-<n> when the body is a JSON object that kept it as its external_id. JSON bodies are UTF-8 (RFC 8259:
        UTF-16 and UTF-32 are not read; a leading byte order mark is ignored) nested at most MAX_JSON_DEPTH deep."""
        try:
            data = json.loads(body.decode("utf-8", "surrogatepass").removeprefix("\ufeff"))
        except (ValueError, RecursionError):
            return None
        if nesting(data) > MAX_JSON_DEPTH:
            return None
        wanted = f"FUZZ-{number:04d}"
        return wanted if isinstance(data, dict) and data.get("external_id") == wanted else None

    # --- kinds ----------------------------------------------------------------------------------------------------

    def valid(self):
        return self.case("valid", self.order(), must_import=True)

    def unusual(self):
        order = self.order()
        line = self.rng.choice(order["lines"])
        if self.rng.random() < 0.5:
            line["quantity"] = self.rng.choice([10_001, 250_000, 12345678901234567890, 1e21, "99999"])
        else:
            line["unit_price"] = self.rng.choice([2_000_000, 123456789.5, 1e21, "5e9"])
        return self.case("unusual", order, must_hold=True)

    def control(self):
        order = self.order()
        paths = [path for path in leaf_paths(order) if isinstance(get_path(order, path), str)]
        for path in self.rng.sample(paths, self.rng.randint(1, 3)):
            value = get_path(order, path)
            position = self.rng.randint(0, len(value))
            set_path(order, path, value[:position] + self.rng.choice(CONTROL_TEXTS) + value[position:])
        return self.case("control", order)

    def number_(self):
        order = self.order()
        paths = [
            path
            for path in leaf_paths(order)
            if isinstance(get_path(order, path), int | float) and not isinstance(get_path(order, path), bool)
        ]
        path = self.rng.choice(paths)
        if self.rng.random() < 0.3:
            set_path(order, path, Raw(self.rng.choice(RAW_NUMBER_TOKENS)))
        else:
            set_path(order, path, copy.deepcopy(self.rng.choice(WEIRD_NUMBERS)))
        return self.case("number", order)

    def delete(self):
        order = self.order()
        paths = [path for path in leaf_paths(order) if isinstance(get_path(order, path[:-1]), dict)]
        path = self.rng.choice(paths)
        del get_path(order, path[:-1])[path[-1]]
        return self.case("delete", order)

    def swap(self):
        order = self.order()
        path = self.rng.choice(leaf_paths(order))
        value = get_path(order, path)
        if path == ("external_id",):  # another type, still unique
            choices = [order["fuzz_case"] + 10**9, [value], {"id": value}, None, True]
        elif isinstance(value, dict):
            choices = [list(value.values()), json.dumps(value), 0, True]
        elif isinstance(value, list):
            choices = [dict(enumerate(value)), json.dumps(value), 0, None]
        elif isinstance(value, str):
            choices = [{"value": value}, [value], 42, True]
        else:
            choices = [str(value), [value], {"value": value}, "x"]
        set_path(order, path, self.rng.choice(choices))
        return self.case("swap", order)

    def deep(self):
        """Nesting far beyond Python's recursion limit, around MAX_JSON_DEPTH, and a sweep of depths just below the
        recursion limit: what one thread (the webhook's) can just read, another (the import's) may not."""
        order = self.order()
        self.deep_count += 1
        limit = sys.getrecursionlimit()
        if self.deep_count <= DEEP_SWEEP:
            depth = limit - 150 + 6 * self.deep_count
            path = (("extra",), ("lines", 0, "quantity"))[self.deep_count % 2]  # "extra": a key the schema ignores
        else:
            depth = self.rng.choice(
                [5_000, 30_000, self.rng.randint(100, 3_000), MAX_JSON_DEPTH + self.rng.randint(-3, 2)]
            )
            paths = [("note",), ("lines", 0, "quantity"), ("customer",), ("customer", "name"), ("lines",), ("extra",)]
            path = self.rng.choice(paths)
        depth -= len(path)  # the levels of the order above the value
        nested = self.rng.choice(
            [
                Raw("[" * depth + "]" * depth),
                Raw('{"a":' * depth + "1" + "}" * depth),
                Raw("[" * depth + '"x"' + "]" * depth),
            ]
        )
        set_path(order, path, nested)
        return self.case("deep", order)

    def long(self):
        order = self.order()
        path = self.rng.choice(
            [("customer", "name"), ("lines", 0, "name"), ("billing_address", "street"), ("note",), ("external_id",)]
        )
        # 100,000 characters after the case's own prefix (an external id is cut to its first 64 characters),
        # written as UTF-8, not escaped, so that the body stays within the limit.
        filler = self.rng.choice(["x" * 100_000, "é" * 100_000, "abcdefghi\u0000" * 10_000])
        set_path(order, path, f"FUZZ-{order['fuzz_case']:04d}-{filler}")
        return self.case("long", order, body=to_body(order, self.rng, ensure_ascii=False))

    def dupkeys(self):
        order = self.order()
        holders = [()] + [path for path in leaf_paths(order) if isinstance(get_path(order, path), dict)]
        holders += [("lines", index) for index in range(len(order["lines"]))]
        holder = self.rng.choice(holders)
        target = get_path(order, holder) if holder else order
        keys = [key for key in target if key != "fuzz_case"]
        key = self.rng.choice(keys)
        others = [f"DUP-{order['fuzz_case']}", 99_999_999, -1, None, [], {}, "NaN", copy.deepcopy(target[key])]
        if (holder, key) == ((), "external_id"):  # another external id, still unique
            others = [f"DUP-{order['fuzz_case']}", order["fuzz_case"] + 2 * 10**9, None, []]
        other = self.rng.choice(others)
        pairs = Pairs(target.items())
        position = [k for k, _v in pairs].index(key)
        # Before the original (the original wins, as in Python) or after it (the duplicate wins).
        pairs.insert(position + self.rng.choice([0, 1]), (key, other))
        if holder:
            set_path(order, holder, pairs)
            return self.case("dupkeys", order)
        return self.case("dupkeys", order, body=to_body(pairs, self.rng))

    def raw_bytes(self):
        order = self.order()
        body = to_body(order, self.rng)
        marker = f'"fuzz_case": {order["fuzz_case"]}, '.encode()
        start = body.index(marker) + len(marker)  # the case marker stays whole: each body stays unique
        variant = self.rng.random()
        if variant < 0.1:
            body = b"\xef\xbb\xbf" + body  # a UTF-8 byte order mark
        elif variant < 0.15:
            body = body.decode().encode("utf-16")
        else:
            for _ in range(self.rng.randint(1, 3)):
                position = self.rng.randint(start, len(body) - 1)
                body = body[:position] + self.rng.choice(RAW_BYTES) + body[position:]
        return self.case("raw_bytes", order, body=body)

    def truncated(self):
        order = self.order()
        body = to_body(order, self.rng)
        marker = f'"fuzz_case": {order["fuzz_case"]}'.encode()
        cut = self.rng.randint(body.index(marker) + len(marker), len(body) - 1)
        return self.case("truncated", order, body=body[:cut])

    def not_object(self, index):
        order = self.order()
        fixed = [b"", b"null", b"1", b'"order"', b"[]", b"true", b"   ", b"{}", b"[[[", b'{"fuzz_case": 0}']
        body = fixed[index] if index < len(fixed) else to_body([order], self.rng)
        return self.case("not_object", order, body=body)

    def content_type(self):
        return self.case("content_type", self.order(), content_type=self.rng.choice(CONTENT_TYPES), must_import=True)

    def chunked(self):
        return self.case("chunked", self.order(), chunked=True, must_import=True)

    def oversize(self, chunked):
        order = self.order()
        order["note"] = ""
        body = to_body(order, self.rng)
        order["note"] = "x" * (MAX_PAYLOAD_BYTES - len(body) + self.rng.randint(1, 4096))
        return self.case("oversize", order, chunked=chunked, expected_status=413)

    def refused(self):
        order = self.order()
        order["external_id"] = f"FUZZ-R-{order['fuzz_case']}"
        body = to_body(order, self.rng)
        signature = self.rng.choice(
            [
                None,
                "",
                "sha256=",
                "sha256=" + "0" * 64,
                sign("not-the-secret", body),
                sign(SECRET, body + b" "),
                sign(SECRET, body).upper(),
                "sha1=" + sign(SECRET, body)[7:47],
                "sha256=\u00e9",
            ]
        )
        return self.case("refused", order, body=body, signature=signature, expected_status=401)

    def cases(self):
        kinds = [kind for kind, count in KIND_COUNTS.items() for _ in range(count)]
        self.rng.shuffle(kinds)
        cases = []
        not_object = 0
        for kind in kinds:
            if kind == "not_object":
                cases.append(self.not_object(not_object))
                not_object += 1
            elif kind == "number":
                cases.append(self.number_())
            else:
                cases.append(getattr(self, kind)())
        cases += self.rng.sample(cases, REPLAYS)
        cases += [self.oversize(chunked=index < 2) for index in range(OVERSIZE)]
        cases += [self.refused() for _ in range(REFUSED)]
        self.rng.shuffle(cases)
        return cases
