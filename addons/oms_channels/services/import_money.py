"""The money of a channel order as Odoo will compute it: which Odoo taxes each platform tax becomes, and how a
discount given as an amount is written on a sale order line so that Odoo's total is the platform's to the cent.

Plain data in and out (no ORM), so that every platform's fixtures can be checked down to the plan.

Taxes. A platform tax line (name, rate) becomes, in this order:

1. the Odoo tax of the channel's Taxes table row with the same name (and rate, when the row gives one), else the
   row with no name and the same rate;
2. else the company's sale tax of the same rate (percent) on the order's price basis, the first by sequence;
3. else nothing: the order goes to Import Errors naming the tax, its rate and the channel.

Prices stay as the platform gave them. When they include tax, the Odoo taxes must be price-included ones (else
Odoo adds the tax on top and the total is not the platform's); when they exclude it, tax-excluded ones. A table
row may name a tax of the other basis (an accountant maps "IVA 21%" to "21% G" once, whatever the shop shows):
its *twin* is then taken, the company's sale tax of the same rate and the order's basis, of the same tax group
when there is one. Odoo 18's basis of a tax is ``price_include_override``, else the company's
``account_price_include``; the model reads it as ``price_include``.

Discounts. Odoo's line discount is a percentage with two decimals, and its line total is
``round(price_unit × (1 − discount / 100) × quantity)``. A line's whole ``discount_amount`` is written as, the first
that gives the platform's line total (``quantity × unit_price − discount_amount``) to the cent:

1. the percentage (rounded to two decimals, or a hundredth either side);
2. a lower unit price (the net amount divided by the quantity), the discount noted on the line (also, without
   note, a unit price with more decimals than Odoo's "Product Price" keeps);
3. a unit price a few cents above that with the percentage that brings it down, noted as well.

None fits (never seen with the platforms' fixtures): the percentage is kept, and the import's check of the order's
grand total refuses the order rather than confirm an amount the customer did not pay.
"""

from dataclasses import dataclass

from odoo.tools.float_utils import float_compare, float_round

from .channel_order_money import Tax

RATE_PRECISION = 4  # digits of account.tax.amount
DISCOUNT_DIGITS = 2  # Odoo's "Discount" decimal precision
PRICE_SEARCH_STEPS = 1000  # unit prices tried above the lowered one (step 3): large lines need a few hundred


class TaxNotFound(Exception):
    """A platform tax that no Odoo tax stands for. ``reason``: "unknown_tax" (no row, no tax of its rate) or
    "no_twin" (the table's tax is on the other price basis and has no twin); ``odoo_tax``: the table's tax."""

    def __init__(self, tax: Tax, reason: str, include: bool, odoo_tax: "OdooTax | None" = None):
        super().__init__(f"{tax.name} ({tax.rate:g}%)")
        self.tax = tax
        self.reason = reason
        self.include = include
        self.odoo_tax = odoo_tax


@dataclass(frozen=True, kw_only=True)
class OdooTax:
    """A sale tax of the channel's company (percent), as the resolution needs it."""

    id: int
    name: str
    rate: float
    price_include: bool
    group_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class TaxRule:
    """A row of the channel's Taxes table: a platform tax name and/or rate, and the Odoo tax it becomes."""

    tax_id: int
    name: str | None = None
    rate: float | None = None


@dataclass(kw_only=True)
class TaxTable:
    """The channel's Taxes table and the company's sale taxes (by sequence), read once per batch."""

    rules: tuple[TaxRule, ...] = ()
    sale_taxes: tuple[OdooTax, ...] = ()
    include_by_default: bool = False  # the company's basis: orders that do not say theirs

    def resolve(self, taxes: tuple[Tax, ...] | None, include: bool) -> tuple[int, ...] | None:
        """The Odoo tax ids of these platform taxes on this price basis; None when the platform gave none (the
        product's taxes apply, as before). Raises TaxNotFound for the first one that has no Odoo tax."""
        if taxes is None:
            return None
        return tuple(dict.fromkeys(self._resolve_one(tax, include).id for tax in taxes))

    def _resolve_one(self, tax: Tax, include: bool) -> OdooTax:
        rule = self._rule(tax)
        if rule is None:
            found = self._of_rate(tax.rate, include)
            if found is None:
                raise TaxNotFound(tax, "unknown_tax", include)
            return found
        mapped = next((odoo_tax for odoo_tax in self.sale_taxes if odoo_tax.id == rule.tax_id), None)
        if mapped is None:  # archived, of another company, or not a percent sale tax: as if no row
            raise TaxNotFound(tax, "unknown_tax", include)
        if mapped.price_include == include:
            return mapped
        twin = self._of_rate(mapped.rate, include, prefer_group=mapped.group_id)
        if twin is None:
            raise TaxNotFound(tax, "no_twin", include, odoo_tax=mapped)
        return twin

    def _rule(self, tax: Tax) -> TaxRule | None:
        name = _key(tax.name)
        by_name = [rule for rule in self.rules if rule.name and _key(rule.name) == name]
        for rule in by_name:
            if rule.rate is None or _same_rate(rule.rate, tax.rate):
                return rule
        by_rate = (rule for rule in self.rules if not rule.name and rule.rate is not None)
        return next((rule for rule in by_rate if _same_rate(rule.rate, tax.rate)), None)

    def _of_rate(self, rate: float, include: bool, prefer_group: int | None = None) -> OdooTax | None:
        candidates = [tax for tax in self.sale_taxes if tax.price_include == include and _same_rate(tax.rate, rate)]
        preferred = [tax for tax in candidates if prefer_group and tax.group_id == prefer_group]
        return next(iter(preferred or candidates), None)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _same_rate(first: float, second: float) -> bool:
    return float_compare(first, second, precision_digits=RATE_PRECISION) == 0


@dataclass(frozen=True, kw_only=True)
class PricedLine:
    """How a line is written in Odoo: its unit price and percentage, and the discount noted when the unit price
    carries part of it (None otherwise)."""

    unit_price: float
    discount: float = 0.0
    discount_noted: float | None = None  # the platform's discount amount, when not a plain percentage


def line_total(quantity: float, unit_price: float, discount: float, rounding: float) -> float:
    """A line's amount as Odoo 18's tax engine computes it (``AccountTax._add_tax_details_in_base_line``), rounded
    to the currency: on the order's price basis, so with its tax when prices include tax."""
    return float_round(unit_price * (1 - discount / 100.0) * quantity, precision_rounding=rounding)


def price_line(
    quantity: float, unit_price: float, discount_amount: float, *, price_digits: int, rounding: float
) -> PricedLine:
    """The Odoo unit price and discount of a platform line of ``quantity × unit_price − discount_amount``. A unit
    price with more decimals than Odoo keeps is also moved, without note, to the one giving the line's total."""
    price = float_round(unit_price, precision_digits=price_digits)
    target = float_round(quantity * unit_price - discount_amount, precision_rounding=rounding)
    if not discount_amount and _gives(target, quantity, price, 0.0, rounding):
        return PricedLine(unit_price=price)
    percent = 0.0
    if discount_amount:
        percent = float_round(discount_amount / (quantity * unit_price) * 100, precision_digits=DISCOUNT_DIGITS)
        for candidate in (percent, percent - 0.01, percent + 0.01):
            if 0 <= candidate <= 100 and _gives(target, quantity, price, candidate, rounding):
                return PricedLine(unit_price=price, discount=float_round(candidate, precision_digits=DISCOUNT_DIGITS))
    noted = discount_amount or None
    lowered = float_round(target / quantity, precision_digits=price_digits)
    if _gives(target, quantity, lowered, 0.0, rounding):
        return PricedLine(unit_price=lowered, discount_noted=noted)
    step = 10**-price_digits
    for index in range(1, PRICE_SEARCH_STEPS + 1):
        higher = float_round(lowered + index * step, precision_digits=price_digits)
        needed = float_round((1 - target / (quantity * higher)) * 100, precision_digits=DISCOUNT_DIGITS)
        for candidate in (needed, needed - 0.01, needed + 0.01):
            if 0 <= candidate <= 100 and _gives(target, quantity, higher, candidate, rounding):
                rounded = float_round(candidate, precision_digits=DISCOUNT_DIGITS)
                return PricedLine(unit_price=higher, discount=rounded, discount_noted=discount_amount or None)
    return PricedLine(unit_price=price, discount=percent)


def _gives(target: float, quantity: float, price: float, discount: float, rounding: float) -> bool:
    discount = float_round(discount, precision_digits=DISCOUNT_DIGITS)
    total = line_total(quantity, price, discount, rounding)
    return float_compare(total, target, precision_rounding=rounding) == 0
