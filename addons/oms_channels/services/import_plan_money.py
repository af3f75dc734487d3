"""The money of a planned order beyond its products: its price basis, the Odoo taxes of every part, its fee and
order discount lines of the channel's service products, and the platform's values the sale order keeps (see
:mod:`.import_money` for the arithmetic). Plain Python, no ORM."""

from dataclasses import dataclass, field

from odoo.tools.float_utils import float_round

from .channel_order import ChannelOrder
from .channel_order_money import Refund
from .import_money import TaxNotFound, TaxTable
from .payload import ChannelOrderError


class PlanError(ChannelOrderError):
    """An order this company cannot take as it is. ``reason`` and ``params`` let the model say it in the user's
    language; the message is the English version."""

    def __init__(self, category: str, reason: str, message: str, **params):
        super().__init__(category, message)
        self.reason = reason
        self.params = params


SERVICE_KINDS = ("fee", "gift_wrap", "cash_on_delivery", "discount")


@dataclass(kw_only=True)
class MoneyLookups:
    """What the money of a batch needs from the database, read once per batch."""

    tax_table: TaxTable = field(default_factory=TaxTable)
    service_products: dict[str, int] = field(default_factory=dict)  # kind (SERVICE_KINDS): its service product
    price_digits: int = 2  # Odoo's "Product Price" decimal precision
    currency_rounding: dict[str, float] = field(default_factory=dict)  # ISO code: the currency's rounding
    currency_ids: dict[str, int] = field(default_factory=dict)  # ISO code: id, of the orders' shop currencies

    def rounding(self, currency: str) -> float:
        return self.currency_rounding.get(currency, 0.01)


@dataclass(frozen=True, kw_only=True)
class ExtraLinePlan:
    """A line of a service product: a fee, gift wrap, cash-on-delivery surcharge or order-level discount
    (negative), with its own taxes (None: the product's)."""

    kind: str  # one of SERVICE_KINDS
    product_id: int
    name: str | None
    unit_price: float
    tax_ids: tuple[int, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class ChannelValues:
    """What the platform said about the order that the sale order keeps as it is."""

    prices_include_tax: bool
    grand_total: float | None = None
    reference: str | None = None
    platform_status: str | None = None
    coupon_codes: tuple[str, ...] = ()
    gift_message: str | None = None
    shop_currency_id: int | None = None  # None: not given, or not a currency of this database
    shop_grand_total: float | None = None
    refunds: tuple[Refund, ...] = ()


def channel_values(order: ChannelOrder, include: bool, lookups: MoneyLookups) -> ChannelValues:
    """The platform's values of a parsed order (:class:`.channel_order.ChannelOrder`) the sale order keeps."""
    return ChannelValues(
        prices_include_tax=include,
        grand_total=order.grand_total,
        reference=order.reference,
        platform_status=order.platform_status,
        coupon_codes=order.coupon_codes,
        gift_message=order.gift_message,
        shop_currency_id=lookups.currency_ids.get(order.shop_currency),
        shop_grand_total=order.shop_grand_total,
        refunds=order.refunds,
    )


class MoneyPlanner:
    """The money part of :class:`.import_plan.BatchPlanner` (which sets ``self.lookups``)."""

    def prices_include_tax(self, order: ChannelOrder) -> bool:
        """The order's price basis: as it says, else the company's."""
        if order.prices_include_tax is None:
            return self.lookups.money.tax_table.include_by_default
        return order.prices_include_tax

    def taxes(self, taxes, include: bool, path: str) -> tuple[int, ...] | None:
        """The Odoo taxes of a part's platform taxes; a PlanError naming the first tax that has none."""
        try:
            return self.lookups.money.tax_table.resolve(taxes, include)
        except TaxNotFound as error:
            raise self.tax_error(error, path) from None

    @staticmethod
    def tax_error(error: TaxNotFound, path: str) -> PlanError:
        basis = "included in" if error.include else "excluded from"
        if error.reason == "no_twin":
            message = (
                f"{path}: tax {error.tax.name} ({error.tax.rate:g}%) is mapped to {error.odoo_tax.name}, whose prices "
                f"are not on this order's basis (tax {basis} prices), and the company has no such sale tax of "
                f"{error.odoo_tax.rate:g}%: add it, or map the tax to one in the channel's Taxes"
            )
        else:
            message = (
                f"{path}: tax {error.tax.name} ({error.tax.rate:g}%) has no Odoo tax (a sale tax of that rate, "
                f"{basis} prices): add it to the channel's Taxes"
            )
        params = {"path": path, "tax": error.tax.name, "rate": error.tax.rate, "include": error.include}
        if error.odoo_tax:
            params["odoo_tax"] = error.odoo_tax.name
        return PlanError("unknown_tax", error.reason, message, **params)

    def plan_extra_lines(self, order: ChannelOrder, include: bool) -> tuple[ExtraLinePlan, ...]:
        """The fee lines, then the order discount lines (negative), each with its own taxes."""
        money = self.lookups.money
        parts = [(f"fees[{index}]", fee.kind, fee.name, fee.amount, fee.taxes) for index, fee in enumerate(order.fees)]
        parts += [
            (f"discounts[{index}]", "discount", discount.name, -discount.amount, discount.taxes)
            for index, discount in enumerate(order.discounts)
        ]
        lines = []
        for path, kind, name, amount, taxes in parts:
            product_id = money.service_products.get(kind)
            if not product_id:
                raise PlanError(
                    "unknown_product",
                    "no_service_product",
                    f"{path}: the channel has no service product for {kind} lines",
                    path=path,
                    kind=kind,
                )
            lines.append(
                ExtraLinePlan(
                    kind=kind,
                    product_id=product_id,
                    name=name,
                    unit_price=float_round(amount, precision_rounding=money.rounding(order.currency)),
                    tax_ids=self.taxes(taxes, include, path),
                )
            )
        return tuple(lines)
