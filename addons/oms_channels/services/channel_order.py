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

from dataclasses import dataclass, field
from datetime import datetime

from .payload import MAX_EXTERNAL_ID_LENGTH, ChannelOrderError, json_type

# format_datetime and parse_datetime: the schema's dates, which connectors and stand-ins import from here.
from .value_reader import ValueReader, format_datetime, is_blank, parse_datetime, show  # noqa: F401

ORDER_STATUSES = ("open", "cancelled")


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


def parse_channel_order(data: dict) -> ChannelOrder:
    """Validate a channel-order dict and return it typed; raises ChannelOrderError listing every problem."""
    if not isinstance(data, dict):
        raise ChannelOrderError("malformed", f"order must be a JSON object (got {json_type(data)})")
    return _OrderParser(data).parse()


class _OrderParser(ValueReader):
    """Walks one order dict, collecting every problem instead of stopping at the first."""

    def __init__(self, data: dict):
        super().__init__()
        self.data = data

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
        self.raise_problems()
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
        if is_blank(data.get("email")) and is_blank(data.get("phone")):
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
            self.problem("malformed", f"lines must be an array (got {json_type(value)})")
            return ()
        if not value:
            self.problem("missing_field", "lines must contain at least one line")
            return ()
        return tuple(line for index, raw_line in enumerate(value) if (line := self.line(index, raw_line)))

    def line(self, index: int, data) -> OrderLine | None:
        path = f"lines[{index}]"
        if not isinstance(data, dict):
            self.problem("malformed", f"{path} must be an object (got {json_type(data)})")
            return None
        identifiers = ("sku", "barcode", "channel_product_id")
        if all(is_blank(data.get(key)) for key in identifiers):
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
        if is_blank(value):
            return "open"
        if isinstance(value, str) and value.strip().lower() in ORDER_STATUSES:
            return value.strip().lower()
        allowed = ", ".join(f'"{status}"' for status in ORDER_STATUSES)
        self.problem("invalid_value", f"status must be one of {allowed} (got {show(value)})")
        return "open"
