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
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..payload import ChannelOrderError, json_type
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
# WooPayments multi-currency: order currency per one unit of the shop's default currency.
EXCHANGE_RATE_META_KEY = "_wcpay_multi_currency_order_exchange_rate"
DEFAULT_CURRENCY_META_KEY = "_wcpay_multi_currency_order_default_currency"
# Fee lines come from plugins with shop-chosen names: the kind is read from words in the name.
FEE_KIND_WORDS = (
    ("cash_on_delivery", ("reembolso", "cash on delivery", "cobrança", "nachnahme", "contrassegno", "cod")),
    ("gift_wrap", ("regalo", "gift", "wrap", "envoltorio", "embrulho", "cadeau", "geschenk")),
)
_CENT = Decimal("0.01")
_NAIVE_DATETIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?")
_MAX_AMOUNT = Decimal(10) ** 15
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


def _fees_and_discounts(payload: dict, rates: dict, include_tax: bool) -> tuple[list, list]:
    fees, discounts = [], []
    for line, path in _entries(payload, "fee_lines"):
        name = _text(line, "name", f"{path}.name", required=True)
        amount = _amount(line, path, "total", include_tax)
        taxes = _taxes(line, path, rates)
        if amount < 0:
            discounts.append({"name": name, "amount": _cents(-amount), "taxes": taxes})
        else:
            fees.append({"kind": _fee_kind(name), "name": name, "amount": _cents(amount), "taxes": taxes})
    return fees, discounts


def _fee_kind(name: str) -> str:
    words = f" {name.lower()} "
    for kind, hints in FEE_KIND_WORDS:
        if any((f" {hint} " if len(hint) <= 3 else hint) in words for hint in hints):
            return kind
    return "fee"


def _tax_rates(payload: dict) -> dict:
    """Rate id → {"name": "IVA 21%", "rate": 21.0}, from the order's tax lines."""
    rates = {}
    for line, path in _entries(payload, "tax_lines"):
        rate = _decimal(line, "rate_percent", f"{path}.rate_percent")
        label = _text(line, "label", f"{path}.label") or _text(line, "rate_code", f"{path}.rate_code") or "Tax"
        rate_id = _identifier(line, "rate_id", f"{path}.rate_id")
        rates[rate_id] = {"name": f"{label} {rate.normalize():f}%", "rate": float(rate)}
    return rates


def _taxes(line: dict, path: str, rates: dict) -> list:
    taxes = []
    for entry, entry_path in _entries(line, "taxes", prefix=path):
        if _text(entry, "total", entry_path) is None and _text(entry, "subtotal", entry_path) is None:
            continue  # a rate listed with no amount does not apply to this line
        rate_id = _identifier(entry, "id", f"{entry_path}.id")
        if rate_id not in rates:
            raise ChannelOrderError("invalid_value", f"{entry_path}.id {rate_id} is not a rate_id of tax_lines")
        if rates[rate_id] not in taxes:
            taxes.append(dict(rates[rate_id]))
    return taxes


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


def _refunds(payload: dict, details) -> list:
    """The order's refunds, each with its date and lines when its detail document was given. Refund amounts are
    money given back, tax included, positive."""
    by_id = {}
    for document in details or ():
        if isinstance(document, dict) and not isinstance(document.get("id"), dict | list):
            by_id[str(document.get("id"))] = document
    refunds = []
    for entry, path in _entries(payload, "refunds"):
        refund_id = _identifier(entry, "id", f"{path}.id")
        refund = {"external_id": refund_id, "amount": _cents(abs(_decimal(entry, "total", f"{path}.total")))}
        refund.update(_refund_detail(by_id[refund_id]) if refund_id in by_id else {"lines": []})
        refunds.append(refund)
    return refunds


def _refund_detail(document: dict) -> dict:
    prefix = f"refunds/{document['id']}"
    lines = []
    for item, path in _entries(document, "line_items", prefix=prefix):
        refunded_item = _meta(item, ("_refunded_item_id",))
        if refunded_item is None:
            raise ChannelOrderError("missing_field", f"{path}.meta_data _refunded_item_id is missing")
        quantity = abs(_decimal(item, "quantity", f"{path}.quantity"))
        amount = abs(_amount(item, path, "total", True))
        lines.append({"external_line_id": refunded_item, "quantity": _quantity(quantity), "amount": _cents(amount)})
    shipping = Decimal(0)
    for line, path in _entries(document, "shipping_lines", prefix=prefix):
        shipping += abs(_amount(line, path, "total", True))
    return {"date": _utc(document, "date_created_gmt"), "lines": lines, "shipping_amount": _cents(shipping)}


def _shop_currency(payload: dict, currency: str) -> dict:
    """The shop's currency and grand total, from the exchange rate WooPayments multi-currency keeps on the order
    (WooCommerce core has no shop-currency amounts)."""
    shop_currency = _meta(payload, (DEFAULT_CURRENCY_META_KEY,))
    rate_text = _meta(payload, (EXCHANGE_RATE_META_KEY,))
    if shop_currency is None or rate_text is None or shop_currency.upper() == currency:
        return {}
    rate = _decimal({"rate": rate_text}, "rate", f"meta_data {EXCHANGE_RATE_META_KEY}")
    if rate <= 0:
        raise ChannelOrderError("invalid_value", f"meta_data {EXCHANGE_RATE_META_KEY} must be positive (got {rate})")
    return {
        "shop_currency": shop_currency.upper(),
        "shop_grand_total": _cents(_decimal(payload, "total", "total") / rate),
    }


# --- reading distrusted values ---------------------------------------------------------------------------------------


def _amount(line: dict, path: str, key: str, include_tax: bool) -> Decimal:
    """A line's ``subtotal`` or ``total`` (always stored without tax), with its tax when the basis includes tax."""
    amount = _decimal(line, key, f"{path}.{key}")
    if include_tax:
        tax = _decimal(line, f"{key}_tax", f"{path}.{key}_tax", required=False)
        amount += tax if tax is not None else Decimal(0)
    return amount


def _decimal(data: dict, key: str, path: str, *, required: bool = True) -> Decimal | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ChannelOrderError("missing_field", f"{path} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ChannelOrderError("invalid_value", f"{path} must be a number (got {json_type(value)})")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ChannelOrderError("invalid_value", f"{path} must be a number (got {str(value)[:40]!r})") from None
    if not number.is_finite() or abs(number) > _MAX_AMOUNT:
        raise ChannelOrderError("invalid_value", f"{path} must be a finite number below 10^15 (got {value!r})")
    return number


def _text(data: dict, key: str, path: str, *, required: bool = False, multiline: bool = False) -> str | None:
    value = data.get(key)
    if isinstance(value, bool) or (value is not None and not isinstance(value, str | int | float)):
        raise ChannelOrderError("invalid_value", f"{path} must be text (got {json_type(value)})")
    text = None if value is None else str(value) if multiline else str(value).strip()
    if text is None or not text.strip():
        if required:
            raise ChannelOrderError("missing_field", f"{path} is missing or empty")
        return None
    return text


def _identifier(data: dict, key: str, path: str, *, required: bool = True) -> str | None:
    """A WooCommerce id as text; 0 (a simple product's variation_id, a deleted product) means none."""
    text = _text(data, key, path, required=required)
    if text in (None, "0"):
        if required:
            raise ChannelOrderError("missing_field", f"{path} is missing or 0")
        return None
    return text


def _object(data: dict, key: str, path: str) -> dict:
    value = data.get(key)
    if value is None:
        raise ChannelOrderError("missing_field", f"{path} is missing")
    if not isinstance(value, dict):
        raise ChannelOrderError("malformed", f"{path} must be an object (got {json_type(value)})")
    return value


def _entries(data: dict, key: str, required: bool = False, *, prefix: str = ""):
    """(object, path) of each element of the array ``data[key]``."""
    path = f"{prefix}.{key}" if prefix else key
    value = data.get(key)
    if value is None or value == []:
        if required:
            raise ChannelOrderError("missing_field", f"{path} is missing or empty")
        return []
    if not isinstance(value, list):
        raise ChannelOrderError("malformed", f"{path} must be an array (got {json_type(value)})")
    for index, element in enumerate(value):
        if not isinstance(element, dict):
            raise ChannelOrderError("malformed", f"{path}[{index}] must be an object (got {json_type(element)})")
    return [(element, f"{path}[{index}]") for index, element in enumerate(value)]


def _meta(data: dict, keys) -> str | None:
    """The first non-empty text value among the ``meta_data`` entries with one of ``keys``."""
    entries = data.get("meta_data")
    if not isinstance(entries, list):
        return None
    for wanted in keys:
        for entry in entries:
            if isinstance(entry, dict) and entry.get("key") == wanted:
                value = entry.get("value")
                if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
                    return str(value).strip()
    return None


def _is_paid(payload: dict) -> bool:
    """WooCommerce's own paid state: the date payment completed (set on processing or completed, for cash on
    delivery only on completed); ``on-hold`` and ``pending`` orders have none."""
    return (_text(payload, "date_paid_gmt", "date_paid_gmt") or _text(payload, "date_paid", "date_paid")) is not None


def _utc(data: dict, key: str) -> str | None:
    """A ``*_gmt`` date (UTC, written without offset) as ISO 8601 with ``Z``; the parser checks the rest."""
    text = _text(data, key, key)
    return f"{text}Z" if text and _NAIVE_DATETIME_RE.fullmatch(text) else text


def _quantity(quantity: Decimal) -> int | float:
    return int(quantity) if quantity == quantity.to_integral_value() else float(quantity)


def _cents(amount: Decimal) -> float:
    return float(amount.quantize(_CENT, ROUND_HALF_UP))


def _compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}
