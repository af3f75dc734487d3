"""Whether a channel order's parts add up to the grand total the platform says the customer pays, without any
Odoo tax: lines (quantity x unit price − discount) + shipping (− its discount) + fees − order discounts, each with
its own tax rates added, rounded half-up to the cent per part, when the prices exclude tax.

This is the check a person can run on a sample (``scripts/map-order.sh``): a difference here is the platform's
data or the mapping; a difference only at import is the channel's tax table. Plain Python.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def totals_difference(order) -> str | None:
    """None when the parsed order (``ChannelOrder``) has no grand total or adds up to it to the cent; else what
    its parts add up to, the grand total and the difference."""
    if order.grand_total is None:
        return None
    total = parts_total(order)
    grand_total = _cents(order.grand_total)
    if total == grand_total:
        return None
    return (
        f"the parts add up to {total} {order.currency}, the platform's grand total is {grand_total} "
        f"(difference {grand_total - total})"
    )


def parts_total(order) -> Decimal:
    parts = [
        (_amount(line.quantity) * _amount(line.unit_price) - _amount(line.discount_amount), line.taxes)
        for line in order.lines
    ]
    if order.shipping:
        parts.append((_amount(order.shipping.price) - _amount(order.shipping.discount_amount), order.shipping.taxes))
    parts += [(_amount(fee.amount), fee.taxes) for fee in order.fees]
    parts += [(-_amount(discount.amount), discount.taxes) for discount in order.discounts]
    total = Decimal(0)
    for amount, taxes in parts:
        total += _cents(amount)
        if not order.prices_include_tax:
            total += sum((_cents(amount * _amount(tax.rate) / 100) for tax in taxes or ()), Decimal(0))
    return _cents(total)


def _amount(value) -> Decimal:
    return Decimal(str(value or 0))


def _cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
