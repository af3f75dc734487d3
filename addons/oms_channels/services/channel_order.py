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
      "prices_include_tax": true,            # optional boolean: whether unit_price, the discount amounts, shipping
                                             #   and fee amounts include tax; absent: as the channel is set
      "reference": "#1001",                  # optional text: the order number the customer sees
      "platform": "shopify", "platform_status": "paid",  # optional texts: the platform and its own order state
      "customer": {                          # required
        "name": "Lucía Fernández",           #   required
        "email": "lucia@example.es",         #   email or phone required
        "phone": "+34 612 345 678",
        "vat": "ES12345678Z",                #   optional, with its country prefix
        "company": "Ferretería Sol S.L.",    #   optional
        "lang": "es_ES"                      #   optional Odoo language code
      },
      "billing_address": {                   # required
        "name": "...", "street": "...", "street2": "...", "city": "...", "zip": "...", "state": "...",
        "country_code": "ES",                #   street, city and country_code (ISO 3166 alpha-2) are required
        "latitude": 40.4189, "longitude": -3.6966, "phone": "...", "email": "...", "company": "...", "vat": "..."
      },
      "shipping_address": {...},             # optional, same keys; default: the billing address
      "lines": [                             # required, at least one line
        {"sku": "OMS-001", "barcode": "8412345678905", "channel_product_id": "B0001",  # at least one of the three
         "name": "Kettle",                   #   optional
         "quantity": 2,                      #   required, > 0
         "unit_price": 24.5,                 #   required, >= 0, one unit before discounts (tax: see above)
         "discount": 0,                      #   optional percentage 0..100, default 0
         "discount_amount": 0,               #   optional, the line's whole discount, 0..quantity x unit_price,
                                             #   default 0; discount and discount_amount not both non-zero
         "external_line_id": "L1",           #   optional: the channel's line id (shipments, refunds)
         "taxes": [{"name": "IVA 21%", "rate": 21, "code": "ES21"}]}  # optional, see below
      ],
      "shipping": {"method": "express", "price": 4.9,  # optional; price >= 0, default 0
                   "discount_amount": 0, "taxes": [...]},  # discount_amount >= 0, at most price
      "fees": [{"kind": "fee", "name": "...", "amount": 2.5, "taxes": [...]}],  # kind ("fee", "gift_wrap",
                                             #   "cash_on_delivery") and amount (>= 0) required
      "discounts": [{"name": "...", "amount": 5, "taxes": [...]}],  # order-level, not on the lines; amount
                                             #   required, >= 0
      "coupon_codes": ["WELCOME10"],
      "grand_total": 54.4,                   # optional, >= 0: what the channel says the customer pays
      "shop_currency": "EUR", "shop_grand_total": 64.29,  # optional: the total in the shop's currency (ISO
                                             #   code; required with shop_grand_total, >= 0)
      "refunds": [{"external_id": "R1",      # refunds already made on the channel; external_id, amount required
                   "date": "...", "amount": 6.6, "shipping_amount": 0,  # amounts >= 0
                   "lines": [{"external_line_id": "L1", "quantity": 1, "amount": 6.6}]}],  # id and quantity
                                             #   (>= 0: 0 gives money back without an item) required
      "gift_message": "Happy birthday",      # optional, like note
      "note": "Leave it with the neighbour"  # optional
    }

``taxes`` (of a line, the shipping, a fee, a discount) is a list of ``{"name", "rate", "code"}``: name and rate
(percent, 0..100) required. Absent ``taxes`` means "not given" (``None``, the import decides); ``[]`` means untaxed.
Absent lists (``fees``, ``discounts``, ``coupon_codes``, ``refunds``) are empty.

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

from .channel_order_money import Discount, Fee, MoneyReader, Refund, Tax
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
    company: str | None = None
    vat: str | None = None


@dataclass(frozen=True, kw_only=True)
class Customer:
    name: str
    email: str | None = None
    phone: str | None = None
    vat: str | None = None
    lang: str | None = None
    company: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrderLine:
    quantity: float
    unit_price: float
    sku: str | None = None
    barcode: str | None = None
    channel_product_id: str | None = None
    name: str | None = None
    discount: float = 0.0  # percent
    discount_amount: float = 0.0  # the line's whole discount, on the order's tax basis
    external_line_id: str | None = None
    taxes: tuple[Tax, ...] | None = None  # None: not given, (): untaxed


@dataclass(frozen=True, kw_only=True)
class Shipping:
    method: str | None = None
    price: float = 0.0
    discount_amount: float = 0.0
    taxes: tuple[Tax, ...] | None = None


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
    prices_include_tax: bool | None = None  # None: as the channel is set
    fees: tuple[Fee, ...] = ()
    discounts: tuple[Discount, ...] = ()
    coupon_codes: tuple[str, ...] = ()
    grand_total: float | None = None
    shop_currency: str | None = None
    shop_grand_total: float | None = None
    refunds: tuple[Refund, ...] = ()
    gift_message: str | None = None
    reference: str | None = None  # the order number the customer sees
    platform: str | None = None
    platform_status: str | None = None
    cleaned: tuple[str, ...] = ()  # paths of the text fields whose control characters were removed
    raw: dict = field(default_factory=dict, compare=False, repr=False)


def parse_channel_order(data: dict) -> ChannelOrder:
    """Validate a channel-order dict and return it typed; raises ChannelOrderError listing every problem."""
    if not isinstance(data, dict):
        raise ChannelOrderError("malformed", f"order must be a JSON object (got {json_type(data)})")
    return _OrderParser(data).parse()


class _OrderParser(MoneyReader):
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
        extended = self.extended()
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
            **extended,
            cleaned=tuple(self.cleaned),
            raw=data,
        )

    def extended(self) -> dict:
        """The order-level keys of the extended schema, as ChannelOrder's keyword arguments."""
        data = self.data
        values = {
            "prices_include_tax": self.optional_boolean(data, "prices_include_tax", "prices_include_tax"),
            "fees": self.objects(data, "fees", "fees", self.fee),
            "discounts": self.objects(data, "discounts", "discounts", self.discount),
            "coupon_codes": self.texts(data, "coupon_codes", "coupon_codes"),
            "grand_total": self.number(data, "grand_total", "grand_total", minimum=0),
            "shop_currency": self.optional_code(
                data, "shop_currency", "shop_currency", 3, "an ISO 4217 code of three letters"
            ),
            "shop_grand_total": self.number(data, "shop_grand_total", "shop_grand_total", minimum=0),
            "refunds": self.objects(data, "refunds", "refunds", self.refund),
            "gift_message": self.text(data, "gift_message", "gift_message", multiline=True),
        }
        for key in ("reference", "platform", "platform_status"):
            values[key] = self.text(data, key, key)
        if values["shop_grand_total"] is not None and is_blank(data.get("shop_currency")):
            self.problem("missing_field", "shop_currency is required with shop_grand_total")
        return values

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
            company=self.text(data, "company", "customer.company"),
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
            company=self.text(data, "company", f"{key}.company"),
            vat=self.text(data, "vat", f"{key}.vat"),
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
        line = OrderLine(
            sku=self.text(data, "sku", f"{path}.sku"),
            barcode=self.text(data, "barcode", f"{path}.barcode"),
            channel_product_id=self.text(data, "channel_product_id", f"{path}.channel_product_id"),
            name=self.text(data, "name", f"{path}.name"),
            quantity=self.number(data, "quantity", f"{path}.quantity", required=True, greater_than=0),
            unit_price=self.number(data, "unit_price", f"{path}.unit_price", required=True, minimum=0),
            discount=self.number(data, "discount", f"{path}.discount", minimum=0, maximum=100) or 0.0,
            discount_amount=self.amount(data, "discount_amount", f"{path}.discount_amount"),
            external_line_id=self.text(data, "external_line_id", f"{path}.external_line_id"),
            taxes=self.taxes(data, path),
        )
        if line.discount > 0 and line.discount_amount > 0:
            self.problem("invalid_value", f"{path}.discount and {path}.discount_amount cannot both be given")
        elif (line.quantity or 0) > 0 and (line.unit_price or 0) >= 0:
            gross = line.quantity * (line.unit_price or 0)
            self.at_most(line.discount_amount, gross, f"{path}.discount_amount", "quantity × unit_price")
        return line

    def shipping(self) -> Shipping | None:
        data = self.mapping(self.data, "shipping", "shipping", required=False)
        if data is None:
            return None
        shipping = Shipping(
            method=self.text(data, "method", "shipping.method"),
            price=self.amount(data, "price", "shipping.price"),
            discount_amount=self.amount(data, "discount_amount", "shipping.discount_amount"),
            taxes=self.taxes(data, "shipping"),
        )
        if shipping.price >= 0:
            self.at_most(shipping.discount_amount, shipping.price, "shipping.discount_amount", "shipping.price")
        return shipping

    def status(self) -> str:
        value = self.data.get("status")
        if is_blank(value):
            return "open"
        if isinstance(value, str) and value.strip().lower() in ORDER_STATUSES:
            return value.strip().lower()
        allowed = ", ".join(f'"{status}"' for status in ORDER_STATUSES)
        self.problem("invalid_value", f"status must be one of {allowed} (got {show(value)})")
        return "open"
