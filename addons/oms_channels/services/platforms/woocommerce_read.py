"""Readers of distrusted WooCommerce order values (amounts, texts, ids, arrays, meta data, dates) for the mapper
in :mod:`.woocommerce`; each refuses a value by WooCommerce's own path. Plain Python."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..payload import ChannelOrderError, json_type

_CENT = Decimal("0.01")
_NAIVE_DATETIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?")
_MAX_AMOUNT = Decimal(10) ** 15


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
