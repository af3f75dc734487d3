"""Customer and product matching on plain look-up tables (plain pytest, no database)."""

import pytest

from odoo.addons.oms_channels.services.channel_order import ChannelOrderError, Customer, OrderLine, parse_channel_order
from odoo.addons.oms_channels.services.matching import (
    UnknownProductsError,
    index_by,
    match_customer,
    match_lines,
    match_product,
    normalize_email,
    normalize_phone,
    normalize_vat,
)
from odoo.addons.oms_channels.stand_ins.orders import make_order

BY_EMAIL = {"lucia@example.es": 1}
BY_VAT = {"ESB12345678": 2}
BY_PHONE = {"612345678": 3}


@pytest.mark.parametrize(
    ("customer", "expected"),
    [
        (Customer(name="L", email="Lucia@Example.es ", vat="ESB12345678", phone="612345678"), (1, "email")),
        (Customer(name="L", email="other@example.es", vat="es-b.12345678", phone="612345678"), (2, "vat")),
        (Customer(name="L", email="other@example.es", vat="FR999", phone="+34 612 34 56 78"), (3, "phone")),
        (Customer(name="L", email="other@example.es", phone="+34 699 000 000"), (None, "new")),
        (Customer(name="L"), (None, "new")),
    ],
)
def test_customer_is_matched_by_email_then_vat_then_phone(customer, expected):
    assert match_customer(customer, BY_EMAIL, BY_VAT, BY_PHONE) == expected


@pytest.mark.parametrize("phone", ["+34 612 345 678", "0034612345678", "612-34-56-78", "(+34) 612.345.678"])
def test_phone_numbers_compare_on_their_last_nine_digits(phone):
    assert normalize_phone(phone) == "612345678"


def test_too_short_phone_numbers_match_nobody():
    assert normalize_phone("112") == ""
    assert normalize_phone(None) == ""
    assert match_customer(Customer(name="L", phone="112"), {}, {}, {"112": 9}) == (None, "new")


def test_email_and_vat_normalisation():
    assert normalize_email("  Lucia.F@Example.ES ") == "lucia.f@example.es"
    assert normalize_vat("es b-12.345.678") == "ESB12345678"
    assert normalize_vat("PT 501 964 843") == "PT501964843"
    assert normalize_vat(None) == ""


def test_index_skips_empty_keys_and_keeps_the_first_id():
    table = index_by([("Lucia@example.es", 4), ("", 5), (None, 6), ("lucia@EXAMPLE.es", 7)], normalize_email)
    assert table == {"lucia@example.es": 4}


BY_BINDING = {"B0001": 10, "MKT-SKU": 11}
BY_SKU = {"OMS-001": 20, "MKT-SKU": 21}
BY_BARCODE = {"8412345678905": 30}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            OrderLine(channel_product_id="B0001", sku="OMS-001", barcode="8412345678905", quantity=1, unit_price=1),
            (10, "binding"),
        ),
        (OrderLine(sku="MKT-SKU", quantity=1, unit_price=1), (11, "binding")),
        (OrderLine(channel_product_id="B9999", sku="OMS-001", quantity=1, unit_price=1), (20, "sku")),
        (OrderLine(sku="UNKNOWN", barcode="8412345678905", quantity=1, unit_price=1), (30, "barcode")),
        (OrderLine(sku="UNKNOWN", barcode="000", quantity=1, unit_price=1), (None, "unknown")),
    ],
)
def test_product_is_matched_by_binding_then_sku_then_barcode(line, expected):
    assert match_product(line, BY_BINDING, BY_SKU, BY_BARCODE) == expected


def test_lines_are_matched_in_order():
    order = parse_channel_order(
        make_order(
            "MK-1",
            lines=[
                {"barcode": "8412345678905", "quantity": 1, "unit_price": 1},
                {"sku": "OMS-001", "quantity": 1, "unit_price": 1},
            ],
        )
    )
    assert match_lines(order, BY_BINDING, BY_SKU, BY_BARCODE) == [(30, "barcode"), (20, "sku")]


def test_unknown_products_are_all_named():
    order = parse_channel_order(
        make_order(
            "MK-1",
            lines=[
                {"sku": "OMS-001", "quantity": 1, "unit_price": 1},
                {"sku": "OMS-999", "quantity": 1, "unit_price": 1},
                {"barcode": "1234567890128", "quantity": 1, "unit_price": 1},
                {"sku": "OMS-999", "quantity": 2, "unit_price": 1},
            ],
        )
    )
    with pytest.raises(UnknownProductsError) as caught:
        match_lines(order, BY_BINDING, BY_SKU, BY_BARCODE)
    assert isinstance(caught.value, ChannelOrderError)
    assert caught.value.category == "unknown_product"
    assert str(caught.value) == "unknown product(s): SKU OMS-999, barcode 1234567890128"
    assert len(caught.value.lines) == 3
