"""WooCommerce REST API v3 order (``GET /wp-json/wc/v3/orders/{id}``, a list page's item, or the body of an
``order.created`` / ``order.updated`` webhook: the same document) → the channel-order schema.

What WooCommerce gives and how it is read (facts in ``tests/fixtures/platforms/woocommerce/API.md``):

- Line, shipping and fee amounts are stored tax-excluded whatever the shop shows; ``prices_include_tax`` (kept on
  the order at its creation) says how the customer saw them. The mapper keeps that basis: a tax-inclusive order is
  mapped with ``net + tax`` amounts (the prices the customer saw: 2 × 24.50 − 4.90), a tax-exclusive one with the
  net amounts; either way every line, shipping and fee amount adds up to the order's ``total`` to the cent.
- Coupons are already spread over the lines (``subtotal`` − ``total``): they become each line's
  ``discount_amount``, their codes ``coupon_codes``; a negative fee line (a discount an extension added to the
  order) is the only order-level discount and goes to ``discounts``.
- ``taxes[].id`` of lines, shipping and fees is a tax *rate* id, named and rated by the order's ``tax_lines``.
- Paid is ``date_paid_gmt`` (WooCommerce sets it when payment completes; cash on delivery only when completed);
  cancelled is status ``cancelled``, ``failed`` or ``trash``; a refund is a ``refunds[]`` entry whose detail
  (``GET /orders/{id}/refunds``, passed as ``refunds=``) gives its date and lines.
- VAT numbers, gift messages and shop-currency rates are extensions' order meta: the keys are parameters.

Every value is distrusted: a missing or ill-typed field needed for the mapping raises ``ChannelOrderError`` naming
WooCommerce's own path (``line_items[2].sku empty and no product_id or variation_id``).
"""

import html
from decimal import ROUND_HALF_UP, Decimal

from ..payload import ChannelOrderError, json_type
from .woocommerce_money import _fees_and_discounts, _refunds, _shop_currency, _tax_rates, _taxes
from .woocommerce_read import (
    _CENT,
    _amount,
    _cents,
    _compact,
    _decimal,
    _entries,
    _identifier,
    _is_paid,
    _meta,
    _object,
    _quantity,
    _text,
    _utc,
)
from .woocommerce_webhook import deleted_order_id, is_ping, verify_webhook, webhook_topic

# The webhook helpers are reached through this module, the platform's one entry for the channel.
__all__ = [
    "REFUND_DOCUMENTS_KEY",
    "deleted_order_id",
    "is_ping",
    "map_order",
    "map_staged",
    "verify_webhook",
    "webhook_topic",
]

PLATFORM = "woocommerce"
CANCELLED_STATUSES = frozenset({"cancelled", "failed", "trash"})
VAT_META_KEYS = ("_vat_number",)  # the official EU VAT Number extension; other plugins: a channel setting
GIFT_MESSAGE_META_KEYS = ("_gift_message",)  # no standard key: set per shop
# Where the client puts, in a pulled order, the detail of its refunds (``GET orders/<id>/refunds``): a key of ours,
# which WooCommerce's order never has, so that the staging keeps the order as received plus what completes it.
REFUND_DOCUMENTS_KEY = "oms_refund_documents"


def map_staged(payload) -> dict:
    """The channel order of a staged payload: an order the client pulled (with its refund documents under
    ``REFUND_DOCUMENTS_KEY`` when it has refunds) or the body of an ``order.created`` / ``order.updated`` webhook
    (refunds without their detail)."""
    if isinstance(payload, dict) and set(payload) == {"id"}:
        raise ChannelOrderError(
            "malformed",
            f"WooCommerce order {payload['id']} was moved to the trash (order.deleted carries only its id): "
            "it is no order to import; cancel it in the OMS",
        )
    refunds = payload.get(REFUND_DOCUMENTS_KEY) if isinstance(payload, dict) else None
    if refunds is not None and not isinstance(refunds, list):
        raise ChannelOrderError("malformed", f"{REFUND_DOCUMENTS_KEY} must be an array (got {json_type(refunds)})")
    return map_order(payload, refunds=refunds or ())


def map_order(
    payload,
    *,
    refunds=(),
    vat_meta_keys=VAT_META_KEYS,
    gift_message_meta_keys=GIFT_MESSAGE_META_KEYS,
) -> dict:
    """The channel order of one WooCommerce order; ``refunds``: the order's refund documents, when fetched."""
    if not isinstance(payload, dict):
        raise ChannelOrderError("malformed", f"order must be a JSON object (got {json_type(payload)})")
    include_tax = payload.get("prices_include_tax")
    if include_tax is None:
        raise ChannelOrderError("missing_field", "prices_include_tax is missing")
    if not isinstance(include_tax, bool):
        raise ChannelOrderError("invalid_value", f"prices_include_tax must be true or false (got {include_tax!r})")
    rates = _tax_rates(payload)
    fees, discounts = _fees_and_discounts(payload, rates, include_tax)
    status = _text(payload, "status", "status", required=True).lower()
    billing = _object(payload, "billing", "billing")
    order = {
        "platform": PLATFORM,
        "external_id": _identifier(payload, "id", "id"),
        "order_date": _utc(payload, "date_created_gmt"),
        "updated_at": _utc(payload, "date_modified_gmt"),
        "status": "cancelled" if status in CANCELLED_STATUSES else "open",
        "platform_status": status,
        "paid": _is_paid(payload),
        "currency": _text(payload, "currency", "currency", required=True).upper(),
        "prices_include_tax": include_tax,
        "customer": _customer(billing, _meta(payload, vat_meta_keys)),
        "billing_address": _address(billing, "billing"),
        "shipping_address": _shipping_address(payload),
        "lines": [_line(item, path, rates, include_tax) for item, path in _entries(payload, "line_items", True)],
        "shipping": _shipping(payload, rates, include_tax),
        "fees": fees,
        "discounts": discounts,
        "coupon_codes": _coupon_codes(payload),
        "grand_total": _cents(_decimal(payload, "total", "total")),
        "gift_message": _meta(payload, gift_message_meta_keys),
        "note": _text(payload, "customer_note", "customer_note", multiline=True),
        "refunds": _refunds(payload, refunds),
    }
    order.update(_shop_currency(payload, order["currency"]))
    return _compact(order)


# --- parts of the order ---------------------------------------------------------------------------------------------


def _line(item: dict, path: str, rates: dict, include_tax: bool) -> dict:
    quantity = _decimal(item, "quantity", f"{path}.quantity")
    if quantity <= 0:
        raise ChannelOrderError("invalid_value", f"{path}.quantity must be greater than 0 (got {quantity})")
    sku = _text(item, "sku", f"{path}.sku")
    product_id = _identifier(item, "variation_id", f"{path}.variation_id", required=False)
    product_id = product_id or _identifier(item, "product_id", f"{path}.product_id", required=False)
    if sku is None and product_id is None:
        raise ChannelOrderError("missing_field", f"{path}.sku empty and no product_id or variation_id")
    before_discount = _amount(item, path, "subtotal", include_tax)
    after_discount = _amount(item, path, "total", include_tax)
    unit_price = (before_discount / quantity).quantize(_CENT, ROUND_HALF_UP)
    return _compact(
        {
            "external_line_id": _identifier(item, "id", f"{path}.id"),
            "sku": sku,
            "channel_product_id": product_id,
            "name": html.unescape(_text(item, "name", f"{path}.name") or "") or None,
            "quantity": _quantity(quantity),
            "unit_price": float(unit_price),
            # The cent a unit price cannot carry (14.79 for 2 units) stays in the discount, so the line adds up.
            "discount_amount": _cents(unit_price * quantity - after_discount),
            "taxes": _taxes(item, path, rates),
        }
    )


def _shipping(payload: dict, rates: dict, include_tax: bool) -> dict | None:
    methods, price, taxes = [], Decimal(0), []
    for line, path in _entries(payload, "shipping_lines"):
        methods.append(
            _text(line, "method_title", f"{path}.method_title") or _text(line, "method_id", f"{path}.method_id")
        )
        price += _amount(line, path, "total", include_tax)
        taxes += [tax for tax in _taxes(line, path, rates) if tax not in taxes]
    if not methods:
        return None
    # WooCommerce has no shipping discount: a free-shipping coupon makes the method itself cost 0.
    method = " + ".join(method for method in methods if method) or None
    return _compact({"method": method, "price": _cents(price), "discount_amount": 0.0, "taxes": taxes})


def _coupon_codes(payload: dict) -> list:
    """The codes of the coupons (WooCommerce lower-cases them); their amounts are already in the lines."""
    return [_text(line, "code", f"{path}.code", required=True) for line, path in _entries(payload, "coupon_lines")]


def _customer(billing: dict, vat: str | None) -> dict:
    name = _person(billing, "billing")
    email = _text(billing, "email", "billing.email")
    phone = _text(billing, "phone", "billing.phone")
    if email is None and phone is None:
        raise ChannelOrderError("missing_field", "billing.email and billing.phone are empty")
    company = _text(billing, "company", "billing.company")
    return _compact({"name": name, "company": company, "email": email, "phone": phone, "vat": vat})


def _address(data: dict, path: str) -> dict:
    return _compact(
        {
            "name": _person(data, path),
            "company": _text(data, "company", f"{path}.company"),
            "street": _text(data, "address_1", f"{path}.address_1", required=True),
            "street2": _text(data, "address_2", f"{path}.address_2"),
            "city": _text(data, "city", f"{path}.city", required=True),
            "zip": _text(data, "postcode", f"{path}.postcode"),
            "state": _text(data, "state", f"{path}.state"),
            "country_code": _text(data, "country", f"{path}.country", required=True).upper(),
            "phone": _text(data, "phone", f"{path}.phone"),
            "email": _text(data, "email", f"{path}.email"),
        }
    )


def _shipping_address(payload: dict) -> dict | None:
    """The shipping address, or None when the order has none (virtual goods, local pickup): then it is the
    billing address."""
    shipping = payload.get("shipping")
    if shipping is None:
        return None
    shipping = _object(payload, "shipping", "shipping")
    if all(_text(shipping, key, f"shipping.{key}") is None for key in ("address_1", "city", "country")):
        return None
    return _address(shipping, "shipping")


def _person(data: dict, path: str) -> str:
    parts = (_text(data, "first_name", f"{path}.first_name"), _text(data, "last_name", f"{path}.last_name"))
    name = " ".join(part for part in parts if part) or _text(data, "company", f"{path}.company")
    if name is None:
        raise ChannelOrderError("missing_field", f"{path}.first_name, last_name and company are empty")
    return name
