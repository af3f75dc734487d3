"""The money of an import on plain data (plain pytest, no database): which Odoo tax a platform tax becomes, how a
discount amount is written on a line so that Odoo's line total is the platform's, and the plan of fees and order
discounts."""

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.channel_order_money import Tax
from odoo.addons.oms_channels.services.import_money import (
    OdooTax,
    TaxNotFound,
    TaxRule,
    TaxTable,
    line_total,
    price_line,
)
from odoo.addons.oms_channels.services.import_plan import ImportLookups, PlanError, plan_batch
from odoo.addons.oms_channels.services.import_plan_money import MoneyLookups

IVA21_EXCL, IVA21_INCL, IVA10_EXCL, IVA21_OTHER_GROUP_INCL = 1, 2, 3, 4
KETTLE, FEE, WRAP, DISCOUNT = 30, 90, 91, 92
SALE_TAXES = (
    OdooTax(id=IVA21_OTHER_GROUP_INCL, name="21% other group (incl.)", rate=21, price_include=True, group_id=8),
    OdooTax(id=IVA21_EXCL, name="21% G", rate=21, price_include=False, group_id=7),
    OdooTax(id=IVA21_INCL, name="21% G (incl.)", rate=21, price_include=True, group_id=7),
    OdooTax(id=IVA10_EXCL, name="10% R", rate=10, price_include=False, group_id=9),
)
IVA21 = Tax(name="IVA 21%", rate=21)
IVA21_DICT = {"name": "IVA 21%", "rate": 21}


def table(*rules):
    return TaxTable(rules=rules, sale_taxes=SALE_TAXES)


# --- taxes ----------------------------------------------------------------------------------------------------------


def test_no_platform_taxes_leaves_the_products_taxes_and_an_empty_list_means_untaxed():
    assert table().resolve(None, include=True) is None
    assert table().resolve((), include=True) == ()


def test_without_a_row_the_company_tax_of_the_rate_on_the_orders_basis_is_taken():
    assert table().resolve((IVA21,), include=False) == (IVA21_EXCL,)
    assert table().resolve((IVA21,), include=True) == (IVA21_OTHER_GROUP_INCL,), "the first by sequence"


def test_a_row_by_name_wins_and_its_tax_on_the_other_basis_becomes_its_twin_of_the_same_group():
    rules = table(TaxRule(name="iva  21%", tax_id=IVA21_EXCL))
    assert rules.resolve((IVA21,), include=False) == (IVA21_EXCL,)
    assert rules.resolve((IVA21,), include=True) == (IVA21_INCL,), "same group preferred over the first by sequence"


def test_a_row_by_rate_alone_and_a_named_row_at_another_rate():
    rules = table(TaxRule(rate=21, tax_id=IVA21_INCL), TaxRule(name="IVA 21%", rate=10, tax_id=IVA10_EXCL))
    assert rules.resolve((IVA21,), include=True) == (IVA21_INCL,)
    assert rules.resolve((Tax(name="IVA 21%", rate=10),), include=False) == (IVA10_EXCL,)


def test_a_tax_without_odoo_tax_names_itself_and_a_row_without_twin_names_its_odoo_tax():
    with pytest.raises(TaxNotFound) as caught:
        table().resolve((Tax(name="IVA 4%", rate=4),), include=True)
    assert caught.value.reason == "unknown_tax" and caught.value.tax.name == "IVA 4%"
    with pytest.raises(TaxNotFound) as caught:
        table(TaxRule(name="IVA 10%", tax_id=IVA10_EXCL)).resolve((Tax(name="IVA 10%", rate=10),), include=True)
    assert caught.value.reason == "no_twin" and caught.value.odoo_tax.name == "10% R"


# --- discounts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "unit_price", "discount_amount"),
    [
        (2, 49.9, 9.98),
        (6, 18.4, 7.31),
        (2, 54.9, 12.39),
        (3, 45.0, 6.77),
        (3, 33.33, 0.01),
        (7, 999.99, 123.45),
        (13, 7.77, 3.33),
    ],
)
def test_a_discount_amount_gives_the_platforms_line_total_to_the_cent(quantity, unit_price, discount_amount):
    priced = price_line(quantity, unit_price, discount_amount, price_digits=2, rounding=0.01)
    total = line_total(quantity, priced.unit_price, priced.discount, 0.01)
    assert total == pytest.approx(round(quantity * unit_price - discount_amount, 2), abs=0.001)


def test_a_whole_percentage_is_a_percentage_and_anything_else_is_noted():
    assert price_line(2, 49.9, 9.98, price_digits=2, rounding=0.01).discount == 10.0
    assert price_line(2, 49.9, 9.98, price_digits=2, rounding=0.01).discount_noted is None
    lowered = price_line(3, 45.0, 6.77, price_digits=2, rounding=0.01)
    assert lowered.discount_noted == 6.77
    assert (lowered.unit_price, lowered.discount) == (42.76, 0.04)


def test_a_unit_price_with_more_decimals_than_odoo_keeps_still_gives_the_line_total():
    priced = price_line(3, 10.105, 0, price_digits=2, rounding=0.01)
    assert line_total(3, priced.unit_price, priced.discount, 0.01) == 30.32
    assert priced.discount_noted is None


# --- the plan of an order's money -------------------------------------------------------------------------------


def order(**overrides):
    values = {
        "external_id": "MK-1",
        "currency": "EUR",
        "customer": {"name": "Lucía", "email": "lucia@example.es"},
        "billing_address": {"street": "Calle de Alcalá 42", "city": "Madrid", "country_code": "ES"},
        "lines": [{"sku": "KET-1", "quantity": 2, "unit_price": 24.5, "discount_amount": 4.9, "taxes": [IVA21_DICT]}],
        "prices_include_tax": True,
        "fees": [{"kind": "gift_wrap", "name": "Papel de regalo", "amount": 2.5, "taxes": [IVA21_DICT]}],
        "discounts": [{"name": "BIENVENIDA5", "amount": 5, "taxes": []}],
        "grand_total": 46.6,
    }
    values.update(overrides)
    return parse_channel_order(values)


def plan_of(parsed, **money):
    money_lookups = MoneyLookups(
        tax_table=table(),
        service_products={"fee": FEE, "gift_wrap": WRAP, "discount": DISCOUNT},
        currency_rounding={"EUR": 0.01},
        **money,
    )
    lookups = ImportLookups(
        by_sku={"KET-1": KETTLE},
        unit_rounding={KETTLE: 1.0},
        countries={"ES": 68},
        pricelists={"EUR": 1},
        money=money_lookups,
    )
    return plan_batch([parsed], lookups)


def test_fees_and_order_discounts_become_service_lines_with_their_own_taxes():
    plan = plan_of(order()).orders[0]
    (line,) = plan.lines
    assert (line.unit_price, line.discount, line.tax_ids) == (24.5, 10.0, (IVA21_OTHER_GROUP_INCL,))
    wrap, discount = plan.extra_lines
    assert (wrap.product_id, wrap.name, wrap.unit_price) == (WRAP, "Papel de regalo", 2.5)
    assert wrap.tax_ids == (IVA21_OTHER_GROUP_INCL,)
    assert (discount.product_id, discount.unit_price, discount.tax_ids) == (DISCOUNT, -5.0, ())
    assert plan.values.grand_total == 46.6 and plan.values.prices_include_tax is True


def test_an_order_without_basis_takes_the_companys_and_a_missing_service_product_is_an_error():
    plan = plan_of(order(prices_include_tax=None)).orders[0]
    assert plan.values.prices_include_tax is False
    assert plan.lines[0].tax_ids == (IVA21_EXCL,)
    rejected = plan_of(order(fees=[{"kind": "cash_on_delivery", "amount": 3}])).rejected[0]
    assert isinstance(rejected, PlanError)
    assert (rejected.category, rejected.reason, rejected.params["path"]) == (
        "unknown_product",
        "no_service_product",
        "fees[0]",
    )


def test_a_tax_without_odoo_tax_rejects_the_order_naming_where_it_is():
    rejected = plan_of(order(discounts=[{"amount": 5, "taxes": [{"name": "TVA 5.5%", "rate": 5.5}]}])).rejected[0]
    assert (rejected.category, rejected.reason) == ("unknown_tax", "unknown_tax")
    assert rejected.params == {"path": "discounts[0]", "tax": "TVA 5.5%", "rate": 5.5, "include": True}
    assert "add it to the channel's Taxes" in str(rejected)
