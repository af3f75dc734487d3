"""The money parts of the extended channel-order schema (see :mod:`.channel_order`): taxes, fees, order-level
discounts and refunds already made on the channel, read with the same rules and the same problem paths as the rest
of the order. Amounts are floats in the order's currency, as the channel sends them (rounding is the import's job).
"""

from dataclasses import dataclass
from datetime import datetime

from .payload import json_type
from .value_reader import ValueReader, is_blank, show

FEE_KINDS = ("fee", "gift_wrap", "cash_on_delivery")


@dataclass(frozen=True, kw_only=True)
class Tax:
    name: str
    rate: float  # percent, 0..100
    code: str | None = None


@dataclass(frozen=True, kw_only=True)
class Fee:
    kind: str  # one of FEE_KINDS
    amount: float
    name: str | None = None
    taxes: tuple[Tax, ...] | None = None  # None: not given (the import decides), (): no tax


@dataclass(frozen=True, kw_only=True)
class Discount:
    amount: float
    name: str | None = None
    taxes: tuple[Tax, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class RefundLine:
    external_line_id: str
    quantity: float
    amount: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Refund:
    external_id: str
    amount: float
    date: datetime | None = None
    lines: tuple[RefundLine, ...] = ()
    shipping_amount: float = 0.0


class MoneyReader(ValueReader):
    """ValueReader plus the readers of the extended schema's lists and optional values."""

    def array(self, data: dict, key: str, path: str) -> list:
        """The list under ``key`` (absent or null: empty); anything else is a problem."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem("malformed", f"{path} must be an array (got {json_type(value)})")
            return []
        return value

    def objects(self, data: dict, key: str, path: str, read) -> tuple:
        """``read(item, item_path)`` for each object of the list under ``key``; a non-object item is a problem."""
        items = []
        for index, item in enumerate(self.array(data, key, path)):
            item_path = f"{path}[{index}]"
            if not isinstance(item, dict):
                self.problem("malformed", f"{item_path} must be an object (got {json_type(item)})")
            elif (result := read(item, item_path)) is not None:
                items.append(result)
        return tuple(items)

    def optional_boolean(self, data: dict, key: str, path: str) -> bool | None:
        if data.get(key) is None:
            return None
        return self.boolean(data, key, path)

    def optional_code(self, data: dict, key: str, path: str, length: int, description: str) -> str | None:
        return None if is_blank(data.get(key)) else self.code(data, key, path, length, description)

    def amount(self, data: dict, key: str, path: str, *, required: bool = False) -> float:
        """An amount >= 0; absent: 0 (or a problem when required)."""
        return self.number(data, key, path, required=required, minimum=0) or 0.0

    def at_most(self, amount: float, limit: float, path: str, limit_name: str) -> None:
        """A discount no greater than what it discounts (half a cent of rounding allowed)."""
        if amount > limit + 0.005:
            self.problem("invalid_value", f"{path} must be at most {limit_name} ({limit:g}) (got {amount:g})")

    def texts(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        """A list of one-line texts; blank items are dropped."""
        items = enumerate(self.array(data, key, path))
        return tuple(text for index, item in items if (text := self.text({key: item}, key, f"{path}[{index}]")))

    def taxes(self, data: dict, path: str) -> tuple[Tax, ...] | None:
        if data.get("taxes") is None:
            return None
        return self.objects(data, "taxes", f"{path}.taxes", self.tax)

    def tax(self, data: dict, path: str) -> Tax:
        return Tax(
            name=self.text(data, "name", f"{path}.name", required=True),
            rate=self.number(data, "rate", f"{path}.rate", required=True, minimum=0, maximum=100),
            code=self.text(data, "code", f"{path}.code"),
        )

    def fee(self, data: dict, path: str) -> Fee:
        kind = data.get("kind")
        if is_blank(kind):
            self.problem("missing_field", f"{path}.kind is required")
        elif not (isinstance(kind, str) and kind.strip().lower() in FEE_KINDS):
            allowed = ", ".join(f'"{kind}"' for kind in FEE_KINDS)
            self.problem("invalid_value", f"{path}.kind must be one of {allowed} (got {show(kind)})")
            kind = None
        return Fee(
            kind=kind.strip().lower() if isinstance(kind, str) and kind.strip() else None,
            name=self.text(data, "name", f"{path}.name"),
            amount=self.amount(data, "amount", f"{path}.amount", required=True),
            taxes=self.taxes(data, path),
        )

    def discount(self, data: dict, path: str) -> Discount:
        return Discount(
            name=self.text(data, "name", f"{path}.name"),
            amount=self.amount(data, "amount", f"{path}.amount", required=True),
            taxes=self.taxes(data, path),
        )

    def refund(self, data: dict, path: str) -> Refund:
        return Refund(
            external_id=self.text(data, "external_id", f"{path}.external_id", required=True),
            date=self.date(data, "date", f"{path}.date"),
            amount=self.amount(data, "amount", f"{path}.amount", required=True),
            lines=self.objects(data, "lines", f"{path}.lines", self.refund_line),
            shipping_amount=self.amount(data, "shipping_amount", f"{path}.shipping_amount"),
        )

    def refund_line(self, data: dict, path: str) -> RefundLine:
        return RefundLine(
            external_line_id=self.text(data, "external_line_id", f"{path}.external_line_id", required=True),
            # 0: money given back on the line without an item returned (a partial refund of its price).
            quantity=self.number(data, "quantity", f"{path}.quantity", required=True, minimum=0),
            amount=self.amount(data, "amount", f"{path}.amount"),
        )
