"""The channel-order schema: what every connector (REST marketplace, EDI partner, web-shop webhook, ...) hands to
the OMS, whatever the channel's own format.

A channel order is a JSON object (a ``dict`` in Python)::

    {
      "external_id": "MK-1001",              # required: the order's id on the channel, unique per channel,
                                             #   a non-empty string of at most 64 characters (a number is accepted)
      "updated_at": "2026-11-20T10:00:00Z",  # optional ISO 8601 date-time; default: order_date. A newer value for
                                             #   the same external_id is an update of the order.
      "order_date": "2026-11-20T09:58:00Z",  # optional ISO 8601 date-time
      "status": "open",                      # "open" (default) or "cancelled"
      "currency": "EUR",                     # required ISO 4217 code, three letters (upper-cased on parsing)
      "paid": true,                          # optional boolean, default false
      "customer": {                          # required
        "name": "Lucía Fernández",           #   required
        "email": "lucia@example.es",         #   email or phone required
        "phone": "+34 612 345 678",
        "vat": "ES12345678Z",                #   optional, with its country prefix
        "lang": "es_ES"                      #   optional Odoo language code
      },
      "billing_address": {                   # required
        "name": "...", "street": "...", "street2": "...", "city": "...", "zip": "...", "state": "...",
        "country_code": "ES",                #   street, city and country_code (ISO 3166 alpha-2) are required
        "latitude": 40.4189, "longitude": -3.6966, "phone": "...", "email": "..."
      },
      "shipping_address": {...},             # optional, same keys; default: the billing address
      "lines": [                             # required, at least one line
        {"sku": "OMS-001", "barcode": "8412345678905", "channel_product_id": "B0001",  # at least one of the three
         "name": "Kettle",                   #   optional
         "quantity": 2,                      #   required, > 0
         "unit_price": 24.5,                 #   required, >= 0, tax included as the channel shows it
         "discount": 0}                      #   optional percentage 0..100, default 0
      ],
      "shipping": {"method": "express", "price": 4.9},  # optional; price >= 0, default 0
      "note": "Leave it with the neighbour"  # optional
    }

Rules that apply everywhere:

- ``null`` (``None``), an absent key and an empty string all mean "not given".
- Numbers may be JSON numbers or numeric strings (``"2"``, ``"24.50"``); text fields accept numbers too (a zip
  code sent as ``28014``). Dates are ISO 8601 extended format; a date-time without offset is taken as UTC.
- Keys that are not in the schema are ignored (and kept in ``ChannelOrder.raw``).
- Text is cleaned, never refused for its characters: NUL and the other control characters are removed (a note
  keeps one tab and newline), lone UTF-16 surrogates become U+FFFD, and the paths of the fields that changed are
  listed in ``ChannelOrder.cleaned``; PostgreSQL stores no NUL, and a surrogate cannot be encoded in UTF-8.
  One-line text is at most 1,000 characters, a note 10,000.
- A payload is UTF-8 JSON (a leading byte order mark is ignored; RFC 8259) nested at most 100 levels deep
  (``MAX_JSON_DEPTH``), read the same way from the body as received and from the text staged from it.
- Numbers must be finite and at most 10^21 in size (``"Infinity"``, ``NaN`` and ``1e308`` are refused: they
  overflow the amounts). A quantity or price that is merely unusual is accepted here and held by the channel's
  limits for a person (see ``oms.channel``).

:func:`parse_channel_order` reports *every* problem of an order at once, joined with "; ", so whoever fixes a
quarantined order sees them all; the error's ``category`` is the one of the first problem. Fields are named by
their path with 0-based line indexes, e.g. ``lines[1].quantity must be greater than 0 (got -2)``.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

MAX_PAYLOAD_BYTES = 256 * 1024
# Far above any order (four levels), far below what Python's recursion limit lets json read or write: a payload
# Python could just read in one thread (the webhook's) could fail in another with a deeper stack (the import's).
MAX_JSON_DEPTH = 100
MAX_EXTERNAL_ID_LENGTH = 64
MAX_TEXT_LENGTH = 1_000
MAX_NOTE_LENGTH = 10_000
# Above any real quantity or price, low enough that quantity x price x lines stays a finite float.
MAX_NUMBER = 1e21
ORDER_STATUSES = ("open", "cancelled")

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# C0 controls but tab and newline, DEL and C1 controls; lone surrogates; the two non-characters of the BMP.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK_RE = re.compile(r"[\t\n]+")
_JSON_TYPE_NAMES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


class ChannelOrderError(ValueError):
    """A channel order (or its payload) cannot be accepted.

    ``category`` is a short machine code the UI groups quarantined orders by: "malformed" (not JSON, not an
    object, wrong structure), "missing_field", "invalid_value", "too_large" (and "unknown_product" from
    :mod:`.matching`). ``problems`` lists every (category, message) found.
    """

    def __init__(self, category: str, message: str, *, problems: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.category = category
        self.message = message
        self.problems = problems or ((category, message),)


@dataclass(frozen=True, kw_only=True)
class Address:
    street: str
    city: str
    country_code: str
    name: str | None = None
    street2: str | None = None
    zip: str | None = None
    state: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, kw_only=True)
class Customer:
    name: str
    email: str | None = None
    phone: str | None = None
    vat: str | None = None
    lang: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrderLine:
    quantity: float
    unit_price: float
    sku: str | None = None
    barcode: str | None = None
    channel_product_id: str | None = None
    name: str | None = None
    discount: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Shipping:
    method: str | None = None
    price: float = 0.0


@dataclass(frozen=True, kw_only=True)
class ChannelOrder:
    external_id: str
    currency: str
    customer: Customer
    billing_address: Address
    shipping_address: Address
    lines: tuple[OrderLine, ...]
    status: str = "open"
    paid: bool = False
    order_date: datetime | None = None
    updated_at: datetime | None = None
    shipping: Shipping | None = None
    note: str | None = None
    cleaned: tuple[str, ...] = ()  # paths of the text fields whose control characters were removed
    raw: dict = field(default_factory=dict, compare=False, repr=False)


def parse_datetime(text: str) -> datetime:
    """ISO 8601 date-time -> aware datetime in UTC (naive values are taken as UTC). Raises ValueError."""
    text = text.strip()
    # Python 3.10's fromisoformat does not know the "Z" suffix.
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def format_datetime(value: datetime) -> str:
    """Aware (or naive UTC) datetime -> ISO 8601 in UTC with a "Z" suffix, keeping microseconds when present."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without what a database or a screen cannot hold: control characters (a one-line text also loses
    its tabs and newlines, each run becoming a space) and lone surrogates (U+FFFD instead)."""
    if not multiline:
        text = _LINE_BREAK_RE.sub(" ", text)
    return _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", text))


def storable_json(data) -> str:
    """JSON text of ``data`` that PostgreSQL can store and that decodes to the same data: non-ASCII characters stay
    readable, lone surrogates are written as their ``\\uXXXX`` escapes (json escapes control characters itself)."""
    text = json.dumps(data, indent=1, ensure_ascii=False, default=str)
    return _SURROGATE_RE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_text(raw: bytes | str) -> str:
    """The JSON text of a payload, read the same way from the body as received and from the text staged from it:
    bytes are UTF-8 (RFC 8259; UTF-16 and UTF-32 are refused with UnicodeDecodeError, a ValueError), lone
    surrogates written in UTF-8 are let through to be cleaned, and a leading byte order mark is ignored."""
    text = raw.decode("utf-8", "surrogatepass") if isinstance(raw, bytes) else raw
    return text.removeprefix("\ufeff")


def parse_payload(raw: bytes | str) -> dict:
    """Decode a JSON payload received from a channel into the order dict, refusing oversize or non-object ones."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_PAYLOAD_BYTES:
        raise ChannelOrderError("too_large", f"payload is {size} bytes, more than the {MAX_PAYLOAD_BYTES} allowed")
    too_deep = ChannelOrderError("malformed", f"payload is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        data = json.loads(json_text(raw))
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise ChannelOrderError("malformed", f"payload is not valid JSON: {exc}") from None
    if _nested_deeper_than(data, MAX_JSON_DEPTH):
        raise too_deep
    if not isinstance(data, dict):
        raise ChannelOrderError("malformed", f"payload must be a JSON object (got {_json_type(data)})")
    return data


def _nested_deeper_than(data, limit: int) -> bool:
    """True when arrays and objects are nested more than ``limit`` levels deep (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def parse_channel_order(data: dict) -> ChannelOrder:
    """Validate a channel-order dict and return it typed; raises ChannelOrderError listing every problem."""
    if not isinstance(data, dict):
        raise ChannelOrderError("malformed", f"order must be a JSON object (got {_json_type(data)})")
    return _OrderParser(data).parse()


def external_id_of(data) -> str | None:
    """Best-effort external id of any payload, even an invalid one, so a quarantined order can be found again."""
    if not isinstance(data, dict):
        return None
    value = data.get("external_id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return clean_text(str(value)).strip()[:MAX_EXTERNAL_ID_LENGTH] or None


def payload_fingerprint(data: dict) -> str:
    """sha256 of the canonical JSON of an order: equal for a replay of the same payload whatever its key order,
    different for any change."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _json_type(value) -> str:
    if value is None:
        return "null"
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _OrderParser:
    """Walks one order dict, collecting every problem instead of stopping at the first."""

    def __init__(self, data: dict):
        self.data = data
        self.problems: list[tuple[str, str]] = []
        self.cleaned: list[str] = []

    def problem(self, category: str, message: str) -> None:
        self.problems.append((category, message))

    def parse(self) -> ChannelOrder:
        data = self.data
        external_id = self.text(data, "external_id", "external_id", required=True, max_length=MAX_EXTERNAL_ID_LENGTH)
        currency = self.code(data, "currency", "currency", 3, "an ISO 4217 code of three letters")
        status = self.status()
        paid = self.boolean(data, "paid", "paid")
        order_date = self.date(data, "order_date", "order_date")
        updated_at = self.date(data, "updated_at", "updated_at") or order_date
        customer = self.customer()
        billing_address = self.address("billing_address", required=True)
        shipping_address = self.address("shipping_address", required=False) or billing_address
        lines = self.lines()
        shipping = self.shipping()
        note = self.text(data, "note", "note", multiline=True)
        if self.problems:
            category, _message = self.problems[0]
            raise ChannelOrderError(
                category, "; ".join(message for _category, message in self.problems), problems=tuple(self.problems)
            )
        return ChannelOrder(
            external_id=external_id,
            currency=currency,
            customer=customer,
            billing_address=billing_address,
            shipping_address=shipping_address,
            lines=lines,
            status=status,
            paid=paid,
            order_date=order_date,
            updated_at=updated_at,
            shipping=shipping,
            note=note,
            cleaned=tuple(self.cleaned),
            raw=data,
        )

    # --- parts of the order -------------------------------------------------------------------------------------

    def customer(self) -> Customer | None:
        data = self.mapping(self.data, "customer", "customer", required=True)
        if data is None:
            return None
        name = self.text(data, "name", "customer.name", required=True)
        email = self.email(data, "email", "customer.email")
        phone = self.text(data, "phone", "customer.phone")
        if _is_blank(data.get("email")) and _is_blank(data.get("phone")):
            self.problem("missing_field", "customer.email or customer.phone is required")
        return Customer(
            name=name,
            email=email,
            phone=phone,
            vat=self.text(data, "vat", "customer.vat"),
            lang=self.text(data, "lang", "customer.lang"),
        )

    def address(self, key: str, *, required: bool) -> Address | None:
        data = self.mapping(self.data, key, key, required=required)
        if data is None:
            return None
        return Address(
            street=self.text(data, "street", f"{key}.street", required=True),
            city=self.text(data, "city", f"{key}.city", required=True),
            country_code=self.code(data, "country_code", f"{key}.country_code", 2, "an ISO 3166 alpha-2 code"),
            name=self.text(data, "name", f"{key}.name"),
            street2=self.text(data, "street2", f"{key}.street2"),
            zip=self.text(data, "zip", f"{key}.zip"),
            state=self.text(data, "state", f"{key}.state"),
            latitude=self.number(data, "latitude", f"{key}.latitude", minimum=-90, maximum=90),
            longitude=self.number(data, "longitude", f"{key}.longitude", minimum=-180, maximum=180),
            phone=self.text(data, "phone", f"{key}.phone"),
            email=self.email(data, "email", f"{key}.email"),
        )

    def lines(self) -> tuple[OrderLine, ...]:
        value = self.data.get("lines")
        if value is None:
            self.problem("missing_field", "lines is required")
            return ()
        if not isinstance(value, list):
            self.problem("malformed", f"lines must be an array (got {_json_type(value)})")
            return ()
        if not value:
            self.problem("missing_field", "lines must contain at least one line")
            return ()
        return tuple(line for index, raw_line in enumerate(value) if (line := self.line(index, raw_line)))

    def line(self, index: int, data) -> OrderLine | None:
        path = f"lines[{index}]"
        if not isinstance(data, dict):
            self.problem("malformed", f"{path} must be an object (got {_json_type(data)})")
            return None
        identifiers = ("sku", "barcode", "channel_product_id")
        if all(_is_blank(data.get(key)) for key in identifiers):
            self.problem("missing_field", f"{path} needs a sku, barcode or channel_product_id")
        return OrderLine(
            sku=self.text(data, "sku", f"{path}.sku"),
            barcode=self.text(data, "barcode", f"{path}.barcode"),
            channel_product_id=self.text(data, "channel_product_id", f"{path}.channel_product_id"),
            name=self.text(data, "name", f"{path}.name"),
            quantity=self.number(data, "quantity", f"{path}.quantity", required=True, greater_than=0),
            unit_price=self.number(data, "unit_price", f"{path}.unit_price", required=True, minimum=0),
            discount=self.number(data, "discount", f"{path}.discount", minimum=0, maximum=100) or 0.0,
        )

    def shipping(self) -> Shipping | None:
        data = self.mapping(self.data, "shipping", "shipping", required=False)
        if data is None:
            return None
        return Shipping(
            method=self.text(data, "method", "shipping.method"),
            price=self.number(data, "price", "shipping.price", minimum=0) or 0.0,
        )

    def status(self) -> str:
        value = self.data.get("status")
        if _is_blank(value):
            return "open"
        if isinstance(value, str) and value.strip().lower() in ORDER_STATUSES:
            return value.strip().lower()
        allowed = ", ".join(f'"{status}"' for status in ORDER_STATUSES)
        self.problem("invalid_value", f"status must be one of {allowed} (got {_show(value)})")
        return "open"

    # --- typed values ---------------------------------------------------------------------------------------------

    def mapping(self, data: dict, key: str, path: str, *, required: bool) -> dict | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem("missing_field", f"{path} is required")
            return None
        if not isinstance(value, dict):
            self.problem("malformed", f"{path} must be an object (got {_json_type(value)})")
            return None
        return value

    def text(
        self,
        data: dict,
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int = MAX_TEXT_LENGTH,
        multiline: bool = False,
    ) -> str | None:
        value = data.get(key)
        if isinstance(value, str):
            cleaned = clean_text(value, multiline=multiline)
            if cleaned != value and cleaned.strip() != value.strip():
                self.cleaned.append(path)
            value = cleaned
        if _is_blank(value):
            if required:
                self.problem("missing_field", f"{path} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem("invalid_value", f"{path} must be a string (got {_json_type(value)})")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem("invalid_value", f"{path} must be a string (got {_show(value)})")
            return None
        text = str(value).strip()
        if multiline and max_length == MAX_TEXT_LENGTH:
            max_length = MAX_NOTE_LENGTH
        if len(text) > max_length:
            self.problem("invalid_value", f"{path} must be at most {max_length} characters (got {len(text)})")
        return text

    def email(self, data: dict, key: str, path: str) -> str | None:
        email = self.text(data, key, path)
        if email and not _EMAIL_RE.match(email):
            self.problem("invalid_value", f"{path} is not an e-mail address (got {_show(email)})")
        return email

    def code(self, data: dict, key: str, path: str, length: int, description: str) -> str | None:
        """ISO letter codes (currency, country), upper-cased."""
        value = data.get(key)
        if _is_blank(value):
            self.problem("missing_field", f"{path} is required")
            return None
        if not (
            isinstance(value, str)
            and len(value.strip()) == length
            and value.strip().isascii()
            and value.strip().isalpha()
        ):
            self.problem("invalid_value", f"{path} must be {description} (got {_show(value)})")
            return None
        return value.strip().upper()

    def boolean(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem("invalid_value", f"{path} must be true or false (got {_show(value)})")
            return False
        return value

    def date(self, data: dict, key: str, path: str) -> datetime | None:
        value = data.get(key)
        if _is_blank(value):
            return None
        try:
            if not isinstance(value, str):
                raise TypeError
            return parse_datetime(value)
        except (TypeError, ValueError):
            self.problem("invalid_value", f"{path} must be an ISO 8601 date-time (got {_show(value)})")
            return None

    def number(
        self,
        data: dict,
        key: str,
        path: str,
        *,
        required: bool = False,
        greater_than: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        value = data.get(key)
        if _is_blank(value):
            if required:
                self.problem("missing_field", f"{path} is required")
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise TypeError
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            self.problem("invalid_value", f"{path} must be a number (got {_show(value)})")
            return None
        if abs(number) > MAX_NUMBER:
            self.problem("invalid_value", f"{path} must be at most {MAX_NUMBER:g} (got {_show(value)})")
            return None
        if greater_than is not None and number <= greater_than:
            self.problem("invalid_value", f"{path} must be greater than {greater_than:g} (got {_show(value)})")
        elif minimum is not None and maximum is not None and not minimum <= number <= maximum:
            self.problem("invalid_value", f"{path} must be between {minimum:g} and {maximum:g} (got {_show(value)})")
        elif minimum is not None and number < minimum:
            self.problem("invalid_value", f"{path} must be at least {minimum:g} (got {_show(value)})")
        return number
