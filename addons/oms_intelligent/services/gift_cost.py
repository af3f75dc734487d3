"""The journal entry that books the cost of gifts: plain data in, the entry's lines out (no ORM)."""

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class GiftCost:
    label: str
    quantity: float
    unit_cost: float  # in the company currency
    expense_account_id: int  # where gifts are booked (e.g. marketing)
    cost_account_id: int  # the product's expense (cost of goods sold) account


def gift_cost_entry_lines(gifts, digits=2, label="Gift cost"):
    """One debit line per gift on its expense account and one credit line per cost account, balanced.

    Amounts are rounded to `digits` (the company currency's decimals); the credits are the sums of the rounded
    debits, so the entry always balances. Gifts that cost nothing are left out; returns [] when none cost anything.
    """
    debits = []
    credits = defaultdict(float)
    for gift in gifts:
        amount = round(gift.quantity * gift.unit_cost, digits)
        if amount <= 0:
            continue
        debits.append(
            {
                "name": f"{label}: {gift.label} x {gift.quantity:g}",
                "account_id": gift.expense_account_id,
                "debit": amount,
                "credit": 0.0,
            }
        )
        credits[gift.cost_account_id] = round(credits[gift.cost_account_id] + amount, digits)
    return debits + [
        {"name": label, "account_id": account_id, "debit": 0.0, "credit": amount}
        for account_id, amount in credits.items()
    ]
