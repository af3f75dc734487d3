"""The gift cost entry on plain data (plain pytest, no database)."""

from odoo.addons.oms_intelligent.services.gift_cost import GiftCost, gift_cost_entry_lines

MARKETING, COGS, OTHER_COGS = 10, 20, 30


def test_each_gift_is_debited_on_marketing_and_credited_per_cost_account():
    lines = gift_cost_entry_lines(
        [GiftCost("Mug", 3, 8.0, MARKETING, COGS), GiftCost("Lamp", 1, 12.5, MARKETING, OTHER_COGS)]
    )
    debits = [(line["account_id"], line["debit"]) for line in lines if line["debit"]]
    credits = {line["account_id"]: line["credit"] for line in lines if line["credit"]}
    assert debits == [(MARKETING, 24.0), (MARKETING, 12.5)]
    assert credits == {COGS: 24.0, OTHER_COGS: 12.5}


def test_rounded_amounts_always_balance():
    gifts = [GiftCost(f"Item {n}", 3, 0.3333, MARKETING, COGS) for n in range(7)]
    lines = gift_cost_entry_lines(gifts, digits=2)
    assert round(sum(line["debit"] for line in lines), 2) == round(sum(line["credit"] for line in lines), 2) == 7.0


def test_gifts_costing_nothing_book_nothing():
    assert gift_cost_entry_lines([GiftCost("Sample", 2, 0.0, MARKETING, COGS)]) == []
