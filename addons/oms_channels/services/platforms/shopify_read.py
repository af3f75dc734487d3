"""Reading Shopify's two order shapes into one neutral view (see :mod:`.shopify` for the mapping itself).

The GraphQL Admin API ``Order`` node (camelCase, gids, MoneyBags ``shopMoney``/``presentmentMoney``, connections with
``nodes``) and the webhook body (the REST-shaped order: snake_case, numeric ids, ``*_set`` MoneyBags
``shop_money``/``presentment_money``, plain lists) carry the same order; each reader below walks one of them and
names the platform's own field path in every error. Amounts stay ``Decimal`` here, read from the platform's strings.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..payload import ChannelOrderError, json_type
from ..value_reader import format_datetime, is_blank, parse_datetime, show


@dataclass(frozen=True)
class Shape:
    """Key names that differ between the GraphQL node and the webhook body."""

    presentment: str
    shop: str
    currency: str


GRAPHQL = Shape(presentment="presentmentMoney", shop="shopMoney", currency="currencyCode")
WEBHOOK = Shape(presentment="presentment_money", shop="shop_money", currency="currency_code")


@dataclass(frozen=True)
class Tax:
    name: str | None
    rate: Decimal  # percent


@dataclass(frozen=True)
class Line:
    path: str
    external_id: str
    sku: str | None
    variant_id: str | None
    product_id: str | None
    name: str | None
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal  # sum of the line's discount allocations
    taxes: tuple[Tax, ...]
    requires_shipping: bool


@dataclass(frozen=True)
class ShippingLine:
    method: str | None
    price: Decimal  # before discounts
    discounted_price: Decimal
    taxes: tuple[Tax, ...]


@dataclass(frozen=True)
class RefundLine:
    external_line_id: str
    quantity: Decimal
    subtotal: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Refund:
    external_id: str
    date: str | None
    amount: Decimal
    lines: tuple[RefundLine, ...]


@dataclass
class OrderView:
    """The order as both shapes say it, before it is written in the channel-order schema."""

    external_id: str
    currency: str
    shop_currency: str | None
    grand_total: Decimal
    shop_grand_total: Decimal | None
    prices_include_tax: bool
    financial_status: str  # lower case, as the webhook spells it: "paid", "partially_refunded", ...
    order_date: str | None
    updated_at: str | None
    cancelled_at: str | None
    cancel_reason: str | None
    email: str | None
    phone: str | None
    locale: str | None
    customer: dict  # first_name, last_name, email, phone (any may be None)
    billing_address: dict | None  # the webhook's snake_case keys (GraphQL's are renamed to them)
    shipping_address: dict | None
    note: str | None
    attributes: dict[str, str]
    coupon_codes: list[str]
    lines: list[Line]
    shipping_lines: list[ShippingLine]
    extra_charges: list[tuple[str, Decimal]] = field(default_factory=list)  # duties, additional fees
    refunds: list[Refund] = field(default_factory=list)


# --- values, each read with the platform's own path for the error ---------------------------------------------------


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def missing(path: str) -> ChannelOrderError:
    return ChannelOrderError("missing_field", f"{path} missing")


def mapping(data: dict, key: str, path: str, *, required: bool = False) -> dict | None:
    value = data.get(key)
    if value is None:
        if required:
            raise missing(join(path, key))
        return None
    if not isinstance(value, dict):
        raise ChannelOrderError("malformed", f"{join(path, key)} must be an object (got {json_type(value)})")
    return value


def items(data: dict, key: str, path: str, *, connection: bool = False) -> list[tuple[str, dict]]:
    """[(path, object)] of a list, or of a GraphQL connection's ``nodes``; absent or null is an empty list."""
    value = data.get(key)
    if connection and value is not None:
        path, value = join(path, key), (value.get("nodes") if isinstance(value, dict) else value)
        key = "nodes"
    if value is None:
        return []
    if not isinstance(value, list):
        raise ChannelOrderError("malformed", f"{join(path, key)} must be an array (got {json_type(value)})")
    result = []
    for index, item in enumerate(value):
        item_path = join(join(path, key), index)
        if not isinstance(item, dict):
            raise ChannelOrderError("malformed", f"{item_path} must be an object (got {json_type(item)})")
        result.append((item_path, item))
    return result


def text(data: dict, key: str) -> str | None:
    value = data.get(key)
    if is_blank(value) or isinstance(value, bool | dict | list):
        return None
    return str(value).strip()


def decimal(value, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ChannelOrderError("invalid_value", f"{path} must be a number (got {show(value)})")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ChannelOrderError("invalid_value", f"{path} must be a number (got {show(value)})") from None
    if not number.is_finite() or abs(number) > Decimal(10) ** 15:
        raise ChannelOrderError("invalid_value", f"{path} is out of range (got {show(value)})")
    return number


def number(data: dict, key: str, path: str, *, default: Decimal | None = None) -> Decimal:
    value = data.get(key)
    if is_blank(value):
        if default is None:
            raise missing(join(path, key))
        return default
    return decimal(value, join(path, key))


def money(data: dict, key: str, path: str, shape: Shape, *, shop: bool = False, required: bool = True):
    """The amount of a MoneyBag: presentment money (the customer's currency), or shop money with ``shop``."""
    bag = mapping(data, key, path, required=required)
    if bag is None:
        return None
    side = shape.shop if shop else shape.presentment
    amount = mapping(bag, side, join(path, key), required=True)
    return number(amount, "amount", join(join(path, key), side))


def money_currency(data: dict, key: str, shape: Shape, *, shop: bool = False) -> str | None:
    bag = data.get(key) if isinstance(data.get(key), dict) else {}
    side = bag.get(shape.shop if shop else shape.presentment)
    return text(side, shape.currency) if isinstance(side, dict) else None


def date(data: dict, key: str, path: str) -> str | None:
    value = text(data, key)
    if value is None:
        return None
    try:
        return format_datetime(parse_datetime(value))
    except ValueError:
        raise ChannelOrderError(
            "invalid_value", f"{join(path, key)} is not an ISO 8601 date (got {show(value)})"
        ) from None


def legacy_id(value, path: str, *, required: bool = False) -> str | None:
    """Numeric id of a gid ("gid://shopify/LineItem/161" -> "161") or of a webhook's number; the join key of the
    two shapes (a gid is rebuilt from it when one is needed)."""
    if is_blank(value):
        if required:
            raise missing(path)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ChannelOrderError("invalid_value", f"{path} must be an id (got {show(value)})")
    tail = str(value).strip().rsplit("/", 1)[-1]
    if not tail.isdigit():
        raise ChannelOrderError("invalid_value", f"{path} must be a Shopify id (got {show(value)})")
    return tail


def tax_lines(data: dict, key: str, path: str) -> tuple[Tax, ...]:
    """``rate`` is a fraction in both shapes (0.21); GraphQL's ``ratePercentage`` only when ``rate`` is missing."""
    taxes = []
    for tax_path, tax in items(data, key, path):
        if not is_blank(tax.get("rate")):
            rate = decimal(tax["rate"], join(tax_path, "rate")) * 100
        else:
            rate = number(tax, "ratePercentage", tax_path)
        taxes.append(Tax(name=text(tax, "title"), rate=rate))
    return tuple(taxes)
