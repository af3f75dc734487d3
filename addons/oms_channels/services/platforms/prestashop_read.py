"""Typed readers of the PrestaShop documents of one order (numbers, dates, referenced documents, taxes) for
the mapper in :mod:`.prestashop`; plain Python (no ORM)."""

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..payload import ChannelOrderError, json_type
from ..value_reader import format_datetime
from .prestashop_documents import _associated, _items, _text

DEFAULT_CANCELLED_STATE_IDS = ("6",)  # PS_OS_CANCELED of a fresh install
CANCELLED_TEMPLATE = "order_canceled"

_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
# Above any real amount; a larger one (or 1e308) would not survive rounding to the cent.
_MAX_AMOUNT = Decimal(10) ** 15
_MAX_TAX_RATE = Decimal(1000)  # percent; taxes compound, a rate above this is no tax
_NO_ID = ("", "0")
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def _rate(value) -> Decimal | None:
    """A tax rate (percent), None when it is not a number between 0 and :data:`_MAX_TAX_RATE`."""
    try:
        rate = Decimal(_text(value))
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and 0 <= rate <= _MAX_TAX_RATE else None


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _money(amount: Decimal) -> float:
    return float(_cents(amount))


def _quantity(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _flag(entity: dict, key: str) -> bool:
    return _text(entity.get(key)) == "1"


class OrderDocuments:
    """The documents of one order (``payload``: see :func:`.prestashop.map_order`) read as typed values, each
    refused by the PrestaShop field it comes from."""

    def __init__(self, payload: dict):
        self.payload = payload
        self.order = payload["order"]
        self.lang = _text(self.order.get("id_lang"))
        self._indexes: dict[str, dict[str, dict]] = {}
        self.line_taxes: list[dict] = []  # distinct taxes of the order's lines, for shipping, wrapping and discounts
        self.zone = self._zone()

    # --- reading the documents ----------------------------------------------------------------------------------

    def number(self, entity: dict, key: str, path: str, *, required: bool = True) -> Decimal:
        text = _text(entity.get(key))
        if not text:
            if required:
                raise ChannelOrderError("missing_field", f"{path}.{key} is empty")
            return _ZERO
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ChannelOrderError("invalid_value", f"{path}.{key} is not a number (got {text!r})") from None
        if not value.is_finite():
            raise ChannelOrderError("invalid_value", f"{path}.{key} is not a number (got {text!r})")
        if abs(value) > _MAX_AMOUNT:
            raise ChannelOrderError("invalid_value", f"{path}.{key} is out of range (got {text!r})")
        return value

    def required(self, entity: dict, key: str, path: str) -> str:
        text = _text(entity.get(key))
        if not text:
            raise ChannelOrderError("missing_field", f"{path}.{key} is empty")
        return text

    def document(self, resource: str, id_: str, path: str) -> dict:
        """``resource/id_`` among the fetched documents; ``path`` is the field that references it."""
        index = self._indexes.get(resource)
        if index is None:
            items = _items(self.payload.get(resource), resource)
            index = self._indexes[resource] = {_text(item.get("id")): item for item in items}
        if id_ in _NO_ID:
            raise ChannelOrderError("missing_field", f"{path} is empty")
        try:
            return index[id_]
        except KeyError:
            raise ChannelOrderError(
                "missing_field", f"{path} is {id_} but {resource}/{id_} is not among the documents fetched"
            ) from None

    def of_order(self, resource: str) -> list[dict]:
        order_id = _text(self.order.get("id"))
        items = _items(self.payload.get(resource), resource)
        return [item for item in items if _text(item.get("id_order")) == order_id]

    def date(self, entity: dict, key: str, path: str = "order") -> str | None:
        text = _text(entity.get(key))
        if not text or text.startswith("0000-00-00"):
            return None
        try:
            value = datetime.strptime(text, _DATE_FORMAT)
        except ValueError:
            raise ChannelOrderError("invalid_value", f"{path}.{key} is not a date (got {text!r})") from None
        if self.zone is None:
            return value.isoformat()  # the shop's local time, taken as UTC by the schema
        return format_datetime(value.replace(tzinfo=self.zone))

    def _zone(self):
        name = self.payload.get("timezone")
        if not name:
            return None
        if not isinstance(name, str):
            raise ChannelOrderError("invalid_value", f"timezone must be a time zone name (got {json_type(name)})")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ChannelOrderError("invalid_value", f"timezone {name!r} is not a known time zone") from None

    # --- taxes --------------------------------------------------------------------------------------------------

    def detail_taxes(self, detail: dict, path: str) -> tuple[list[dict], Decimal]:
        """The line's taxes and the factor they multiply a tax-excluded price by (combined, or one after another
        when ``tax_computation_method`` is 1)."""
        taxes, rates = [], []
        for index, reference in enumerate(_associated(detail, "taxes", path)):
            tax_path = f"{path}.associations.taxes[{index}].id"
            tax = self.document("taxes", _text(reference.get("id")), tax_path)
            rate = self.number(tax, "rate", f"taxes/{_text(tax.get('id'))}")
            if _rate(rate) is None:
                raise ChannelOrderError(
                    "invalid_value", f"taxes/{_text(tax.get('id'))}.rate is out of range (got {rate})"
                )
            entry = {"name": _text(tax.get("name"), self.lang) or f"{rate.normalize()} %", "rate": float(rate)}
            taxes.append(entry)
            rates.append(rate)
            if entry not in self.line_taxes:
                self.line_taxes.append(entry)
        if _text(detail.get("tax_computation_method")) == "1":
            factor = Decimal(1)
            for rate in rates:
                factor *= 1 + rate / _HUNDRED
        else:
            factor = 1 + sum(rates, _ZERO) / _HUNDRED
        return taxes, factor

    def known_taxes(self) -> Iterable[dict]:
        """The taxes to name a rate by: the order's line taxes first, then every tax fetched."""
        yield from self.line_taxes
        for tax in _items(self.payload.get("taxes"), "taxes"):
            rate = _rate(tax.get("rate"))
            if rate is not None:
                yield {"name": _text(tax.get("name"), self.lang), "rate": float(rate)}

    def tax_for_rate(self, rate: Decimal) -> dict:
        for tax in self.known_taxes():
            if Decimal(str(tax["rate"])) == rate and tax["name"]:
                return tax
        return {"name": f"{rate.normalize():f} %", "rate": float(rate)}

    def taxes_from_amounts(self, incl: Decimal, excl: Decimal) -> list[dict]:
        """The taxes of an amount PrestaShop gives with and without tax but without its tax (wrapping, cart rules):
        the one known tax that turns ``excl`` into ``incl``, else the order's line taxes."""
        if excl <= 0 or incl <= excl:
            return []
        for tax in self.known_taxes():
            if _cents(excl * (1 + Decimal(str(tax["rate"])) / _HUNDRED)) == _cents(incl):
                return [tax]
        return list(self.line_taxes)

    # --- the order's state --------------------------------------------------------------------------------------

    def is_cancelled(self, state_id: str, state: dict) -> bool:
        cancelled_ids = self.payload.get("cancelled_state_ids") or DEFAULT_CANCELLED_STATE_IDS
        if not isinstance(cancelled_ids, list | tuple):
            raise ChannelOrderError(
                "invalid_value", f"cancelled_state_ids must be a list of ids (got {json_type(cancelled_ids)})"
            )
        cancelled_ids = {_text(id_) for id_ in cancelled_ids}
        template = state.get("template")
        templates = template.values() if isinstance(template, dict) else [template]
        return state_id in cancelled_ids or any(_text(name) == CANCELLED_TEMPLATE for name in templates)

    def is_paid(self, state: dict) -> bool:
        """The current state's ``paid`` flag, or an earlier state's: a refunded or cancelled order was paid."""
        if _flag(state, "paid"):
            return True
        for history in self.of_order("order_histories"):
            path = f"order_histories/{_text(history.get('id'))}.id_order_state"
            if _flag(self.document("order_states", _text(history.get("id_order_state")), path), "paid"):
                return True
        return False
