"""The money parts of a WooCommerce order (see :mod:`.woocommerce`): tax rates and line taxes, fee lines (fees
or discounts), refunds and the shop-currency total; plain Python."""

from decimal import Decimal

from ..payload import ChannelOrderError
from .woocommerce_read import _amount, _cents, _decimal, _entries, _identifier, _meta, _quantity, _text, _utc

# WooPayments multi-currency: order currency per one unit of the shop's default currency.
EXCHANGE_RATE_META_KEY = "_wcpay_multi_currency_order_exchange_rate"
DEFAULT_CURRENCY_META_KEY = "_wcpay_multi_currency_order_default_currency"
# Fee lines come from plugins with shop-chosen names: the kind is read from words in the name.
FEE_KIND_WORDS = (
    ("cash_on_delivery", ("reembolso", "cash on delivery", "cobrança", "nachnahme", "contrassegno", "cod")),
    ("gift_wrap", ("regalo", "gift", "wrap", "envoltorio", "embrulho", "cadeau", "geschenk")),
)


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
