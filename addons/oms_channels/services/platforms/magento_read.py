"""Typed readers of a Magento 2 REST order (amounts, dates, texts, objects, applied taxes) for the mapper in
:mod:`.magento`; plain Python. Each refuses a value by Magento's own field path."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..payload import ChannelOrderError, json_type
from ..value_reader import format_datetime, is_blank, show

CENT = Decimal("0.01")
ZERO = Decimal(0)
# Above any real amount; a larger one (or 1e308) would not survive rounding to the cent.
MAX_AMOUNT = Decimal(10) ** 15


class OrderValues:
    """The values of one order (``self.order``) read as typed values, refused by their field path."""

    def __init__(self, order: dict):
        self.order = order

    def date(self, key: str) -> str | None:
        return _date(self.order.get(key), key)

    def required(self, data: dict, key: str, *, path: str = ""):
        value = data.get(key) if isinstance(data, dict) else None
        if is_blank(value):
            raise ChannelOrderError("missing_field", f"{_path(path, key)} is missing")
        return value

    def amount(self, data, key: str, *, path: str = "", required: bool = False) -> Decimal | None:
        value = data.get(key) if isinstance(data, dict) else None
        if is_blank(value):
            if required:
                raise ChannelOrderError("missing_field", f"{_path(path, key)} is missing")
            return None
        number = _decimal(value)
        if number is None:
            raise ChannelOrderError("invalid_value", f"{_path(path, key)} is not a number (got {show(value)})")
        if abs(number) > MAX_AMOUNT:
            raise ChannelOrderError("invalid_value", f"{_path(path, key)} is out of range (got {show(value)})")
        return number


# --- helpers ------------------------------------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    """A Magento amount as Decimal, None if not one or out of range."""
    number = _decimal(value)
    return number if number is not None and abs(number) <= MAX_AMOUNT else None


def _decimal(value) -> Decimal | None:
    """A JSON number, or a string in the gift-wrapping fields, as a finite Decimal, None if not one."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or is_blank(value):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value, path: str) -> str | None:
    """A Magento date ("2026-03-02 09:12:44", UTC without offset) as the schema's ISO 8601 UTC text."""
    if is_blank(value):
        return None
    try:
        return format_datetime(datetime.fromisoformat(str(value).strip().replace(" ", "T")))
    except (ValueError, OverflowError):
        raise ChannelOrderError("invalid_value", f"{path} is not a date (got {show(value)})") from None


def _quantity(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _out(value: Decimal) -> float:
    return float(_cent(value))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value, path: str = "") -> str | None:
    """A text value; with a ``path``, anything but text or a number is refused by name."""
    if path and (isinstance(value, bool) or not (value is None or isinstance(value, str | int | float))):
        raise ChannelOrderError("invalid_value", f"{path} must be text (got {json_type(value)})")
    return None if is_blank(value) else str(value).strip()


def _object(value, path: str) -> dict:
    """An object of the order, {} when absent (PHP encodes an empty one as [])."""
    if value is None or value == []:
        return {}
    if not isinstance(value, dict):
        raise ChannelOrderError("malformed", f"{path} must be an object (got {json_type(value)})")
    return value


def _objects(value, path: str) -> list[tuple[str, dict]]:
    """(path, object) of each element of a list of objects, none when absent."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ChannelOrderError("malformed", f"{path} must be a list (got {json_type(value)})")
    for index, element in enumerate(value):
        if not isinstance(element, dict):
            raise ChannelOrderError("malformed", f"{path}[{index}] must be an object (got {json_type(element)})")
    return [(f"{path}[{index}]", element) for index, element in enumerate(value)]


def _name(first, last) -> str | None:
    return " ".join(part for part in (_text(first), _text(last)) if part) or None


def _path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _taxes(applied: list[tuple[str, dict]] | None) -> list[dict]:
    """Magento applied taxes ((path, {code, title, percent, amount})) -> [{name, rate, code}], one per rate code."""
    taxes, seen = [], set()
    for path, tax in applied or ():
        percent = _number(tax.get("percent"))
        code, title = _text(tax.get("code"), f"{path}.code"), _text(tax.get("title"), f"{path}.title")
        key = code or (title, percent)
        if percent is None or key in seen:
            continue
        seen.add(key)
        taxes.append({"name": title or code or f"{_plain(percent)}%", "rate": float(percent), "code": code})
    return taxes


def _gift_text(message: dict, item_name) -> str | None:
    text = _text(message.get("message"))
    if not text:
        return None
    head = " → ".join(part for part in (_text(message.get("sender")), _text(message.get("recipient"))) if part)
    prefix = f"[{item_name}] " if item_name else ""
    return f"{prefix}{head}: {text}" if head else f"{prefix}{text}"
