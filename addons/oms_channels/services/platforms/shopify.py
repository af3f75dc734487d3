"""Shopify order -> channel order (the schema of :mod:`..channel_order`, with the keys of issue #16).

Both shapes of an order map to the same channel order: the GraphQL ``Order`` node of a pull
(:func:`map_graphql_order`) and the REST-shaped body of an ``orders/*`` webhook (:func:`map_webhook_order`);
:func:`map_order` tells them apart. How Shopify's fields become the schema's (API facts and traps in
``tests/fixtures/platforms/shopify/API.md``):

- Currency: every amount is the presentment money (what the customer sees and pays), ``currency`` its code;
  ``shop_currency``/``shop_grand_total`` are the shop's money. The webhook's plain amount fields are never read.
- Tax basis: ``prices_include_tax`` is the order's ``taxesIncluded``; unit prices, discounts, shipping and fees are
  as Shopify shows them on that basis. Taxes are the platform's tax lines, ``rate`` in percent.
- Discounts: Shopify allocates every discount (automatic, manual, codes, order-level "across" ones too) to lines or
  shipping lines, so a line's ``discount_amount`` is the sum of its allocations, shipping's is its original price
  minus its discounted price, and ``discounts`` stays empty. ``coupon_codes`` lists the codes used.
- Fees: Shopify has no fee lines. A line with neither SKU nor variant that needs no shipping (a custom line item
  such as a handling fee) becomes a ``fee`` (its amount after its discount allocations); one that needs shipping
  cannot be picked and is refused. Duties and additional (import) fees are fees too.
- Paid: the financial status is "paid", "partially_refunded" or "refunded". ``status`` is "cancelled" when the
  order has a cancellation date; ``platform_status`` is the financial status (and the cancel reason).
- Lines keep their ordered quantity; what was refunded (returned or cancelled lines) is in ``refunds``, amounts
  being the money given back (tax included).
- No ``barcode``: the webhook's line items have none, and a pull and a webhook of one order must give the same
  order (SKU and variant id identify the product).
- Ids are Shopify's numeric ids (``legacyResourceId``), the key shared by both shapes; a gid is
  ``gid://shopify/<Type>/<id>``.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from ..payload import ChannelOrderError
from .shopify_read import Line, OrderView, Tax
from .shopify_shapes import order_view

PLATFORM = "shopify"
PAID_STATUSES = ("paid", "partially_refunded", "refunded")
# Odoo language of a bare locale ("es"); a locale with a region ("pt-PT") becomes "pt_PT".
_LANGUAGES = {"ca": "ca_ES", "de": "de_DE", "en": "en_US", "es": "es_ES", "fr": "fr_FR", "it": "it_IT", "pt": "pt_PT"}
_CENT = Decimal("0.01")
# Webhook topics of an order body -> what the delivery means for the staged order; other topics carry no order.
_TOPICS = {
    "orders/create": "create",
    "orders/updated": "update",
    "orders/paid": "update",
    "orders/edited": "update",
    "orders/fulfilled": "update",
    "orders/partially_fulfilled": "update",
    "orders/cancelled": "cancel",
}


def map_staged(payload) -> dict:
    """Channel order of what the staging keeps for Shopify: a pulled ``Order`` node or a webhook body."""
    return map_order(payload)


def verify_webhook(secret: str, body: bytes, headers) -> bool:
    """Whether ``X-Shopify-Hmac-Sha256`` is the base64 HMAC-SHA256 of the raw body under ``secret`` (the app's
    client secret, or the shop's webhook signing key); no secret or no signature never verifies."""
    signature = _header(headers, "X-Shopify-Hmac-Sha256")
    if not secret or not signature or not isinstance(body, bytes):
        return False
    try:
        given = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(given, expected)


def webhook_topic(headers) -> str | None:
    """ "create", "update" or "cancel" for a delivery of an order topic (``X-Shopify-Topic``); None for another
    topic (``refunds/create`` carries a refund, ``orders/delete`` only an id)."""
    topic = _header(headers, "X-Shopify-Topic")
    return _TOPICS.get(topic.strip().lower()) if topic else None


def _header(headers, name: str) -> str | None:
    """A header's value whatever the case of its name (HTTP/2 lower-cases them; a plain dict does not care)."""
    if headers is None:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, Mapping):
        value = next((v for key, v in headers.items() if str(key).lower() == name.lower()), None)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None


def map_order(payload) -> dict:
    """Channel order of a Shopify order in either shape: a webhook body has ``line_items``, a GraphQL node not."""
    if isinstance(payload, dict) and ("line_items" in payload or "admin_graphql_api_id" in payload):
        return map_webhook_order(payload)
    return map_graphql_order(payload)


def map_graphql_order(node) -> dict:
    """Channel order of one ``Order`` node of the GraphQL Admin API (``data.orders.nodes[i]``)."""
    return _channel_order(order_view(node, graphql=True))


def map_webhook_order(body) -> dict:
    """Channel order of an ``orders/create|updated|cancelled|paid`` webhook body."""
    return _channel_order(order_view(body, graphql=False))


def _channel_order(view: OrderView) -> dict:
    lines, fees = _lines_and_fees(view)
    billing_address = view.billing_address or view.shipping_address
    if billing_address is None:
        raise ChannelOrderError("missing_field", "billing_address and shipping_address missing")
    order = {
        "platform": PLATFORM,
        "external_id": view.external_id,
        "order_date": view.order_date,
        "updated_at": view.updated_at,
        "status": "cancelled" if view.cancelled_at else "open",
        "platform_status": _platform_status(view),
        "paid": view.financial_status in PAID_STATUSES,
        "currency": view.currency,
        "prices_include_tax": view.prices_include_tax,
        "customer": _customer(view, billing_address),
        "billing_address": _address(billing_address),
        "shipping_address": _address(view.shipping_address) if view.shipping_address else None,
        "lines": lines,
        "shipping": _shipping(view),
        "fees": fees + [_fee(name, amount, ()) for name, amount in view.extra_charges],
        "coupon_codes": view.coupon_codes,
        "discounts": [],  # Shopify allocates every discount to lines or shipping (see the module's docstring)
        "grand_total": _cents(view.grand_total),
        "shop_currency": view.shop_currency,
        "shop_grand_total": _cents(view.shop_grand_total) if view.shop_grand_total is not None else None,
        "gift_message": view.attributes.get("gift_message"),
        "note": view.note,
        "refunds": [_refund(view, refund) for refund in view.refunds],
    }
    return _compact(order)


def _lines_and_fees(view: OrderView) -> tuple[list[dict], list[dict]]:
    lines, fees = [], []
    for line in view.lines:
        if line.sku or line.variant_id:
            lines.append(_line(line))
        elif line.requires_shipping:
            raise ChannelOrderError("missing_field", f"{line.path}.sku empty and no variant id")
        else:
            fees.append(_fee(line.name, line.quantity * line.unit_price - line.discount, line.taxes))
    if not lines:
        raise ChannelOrderError("missing_field", "the order has no line with a SKU or a variant")
    return lines, fees


def _line(line: Line) -> dict:
    return _compact(
        {
            "external_line_id": line.external_id,
            "sku": line.sku,
            "channel_product_id": line.variant_id or line.product_id,
            "name": line.name,
            "quantity": _quantity(line.quantity),
            "unit_price": _cents(line.unit_price),
            "discount_amount": _cents(line.discount),
            "taxes": _taxes(line.taxes),
        }
    )


def _fee(name: str | None, amount: Decimal, taxes: tuple[Tax, ...]) -> dict:
    return {"kind": "fee", "name": name, "amount": _cents(amount), "taxes": _taxes(taxes)}


def _shipping(view: OrderView) -> dict | None:
    """One shipping for the order: Shopify allows several shipping lines, their prices add up."""
    if not view.shipping_lines:
        return None
    price = sum((line.price for line in view.shipping_lines), Decimal(0))
    discounted = sum((line.discounted_price for line in view.shipping_lines), Decimal(0))
    taxes = tuple(dict.fromkeys(tax for line in view.shipping_lines for tax in line.taxes))
    methods = [line.method for line in view.shipping_lines if line.method]
    return {
        "method": " + ".join(methods) or None,
        "price": _cents(price),
        "discount_amount": _cents(price - discounted),
        "taxes": _taxes(taxes),
    }


def _customer(view: OrderView, billing_address: dict) -> dict:
    customer = view.customer
    name = _full_name(customer.get("first_name"), customer.get("last_name")) or _address_name(billing_address)
    return _compact(
        {
            "name": name,
            "email": view.email or customer.get("email"),
            "phone": view.phone or customer.get("phone") or _text(billing_address.get("phone")),
            "company": _text(billing_address.get("company")),
            # No VAT field on Shopify orders outside B2B: the shop collects it as a checkout attribute.
            "vat": view.attributes.get("vat_number"),
            "lang": _language(view.locale),
        }
    )


def _address(address: dict) -> dict:
    return _compact(
        {
            "name": _address_name(address),
            "company": _text(address.get("company")),
            "street": _text(address.get("address1")),
            "street2": _text(address.get("address2")),
            "city": _text(address.get("city")),
            "zip": _text(address.get("zip")),
            "state": _text(address.get("province_code")) or _text(address.get("province")),
            "country_code": _text(address.get("country_code")),
            "phone": _text(address.get("phone")),
            "latitude": _coordinate(address.get("latitude")),
            "longitude": _coordinate(address.get("longitude")),
        }
    )


def _refund(view: OrderView, refund) -> dict:
    """Amounts given back, tax included: a refund line's subtotal excludes its tax when the order's prices do."""
    lines = []
    for line in refund.lines:
        amount = line.subtotal if view.prices_include_tax else line.subtotal + line.tax
        quantity = _quantity(line.quantity)
        lines.append({"external_line_id": line.external_line_id, "quantity": quantity, "amount": amount})
    # The pull query reads no refund shipping lines: what the refund gave back beyond its lines is the shipping's.
    rest = refund.amount - sum((line["amount"] for line in lines), Decimal(0))
    return {
        "external_id": refund.external_id,
        "date": refund.date,
        "amount": _cents(refund.amount),
        "lines": [{**line, "amount": _cents(line["amount"])} for line in lines],
        "shipping_amount": _cents(max(rest, Decimal(0))),
    }


def _platform_status(view: OrderView) -> str | None:
    status = view.financial_status or None
    if view.cancelled_at:
        cancelled = f"cancelled ({view.cancel_reason})" if view.cancel_reason else "cancelled"
        return f"{status}, {cancelled}" if status else cancelled
    return status


def _taxes(taxes) -> list[dict]:
    return [{"name": tax.name, "rate": float(tax.rate.quantize(Decimal("0.0001")).normalize())} for tax in taxes]


def _cents(amount: Decimal) -> float:
    return float(amount.quantize(_CENT, rounding=ROUND_HALF_UP))


def _quantity(quantity: Decimal) -> int | float:
    return int(quantity) if quantity == quantity.to_integral_value() else float(quantity)


def _coordinate(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value) -> str | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    return str(value).strip() or None


def _full_name(first, last) -> str | None:
    return " ".join(part for part in (_text(first), _text(last)) if part) or None


def _address_name(address: dict) -> str | None:
    return _full_name(address.get("first_name"), address.get("last_name")) or _text(address.get("name"))


def _language(locale: str | None) -> str | None:
    if not locale:
        return None
    language, _, region = locale.replace("_", "-").partition("-")
    if region:
        return f"{language.lower()}_{region.upper()}"
    return _LANGUAGES.get(language.lower())


def _compact(data: dict) -> dict:
    """Without the keys Shopify gave no value for ("not given" in the schema)."""
    return {key: value for key, value in data.items() if value is not None}
