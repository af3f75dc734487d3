"""Magento 2 REST orders -> channel orders (plain pytest, no database): every fixture mapped, its totals equal to the
cent, today's parser accepting it, configurable products, cancellations, refunds and the errors naming Magento's
own fields."""

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms.magento import map_order, prices_include_tax

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "magento"
ORDER_FILES = sorted(FIXTURES.glob("order-*.json"))


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def order(number: int) -> dict:
    (path,) = FIXTURES.glob(f"order-{number}-*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mapped_total(mapped: dict) -> Decimal:
    """What the mapped order adds up to: lines + shipping + fees - discounts, each with its taxes added (rounded per
    part, as Magento rounds per row) when the prices exclude tax."""
    parts = []
    for line in mapped["lines"]:
        amount = Decimal(str(line["unit_price"])) * Decimal(str(line["quantity"])) - Decimal(
            str(line["discount_amount"])
        )
        parts.append((amount, line["taxes"]))
    if mapped.get("shipping"):
        shipping = mapped["shipping"]
        parts.append((Decimal(str(shipping["price"])) - Decimal(str(shipping["discount_amount"])), shipping["taxes"]))
    parts += [(Decimal(str(fee["amount"])), fee["taxes"]) for fee in mapped["fees"]]
    parts += [(-Decimal(str(discount["amount"])), discount["taxes"]) for discount in mapped["discounts"]]
    total = Decimal(0)
    for amount, taxes in parts:
        total += amount
        if not mapped["prices_include_tax"]:
            total += cent(amount * sum(Decimal(str(tax["rate"])) for tax in taxes) / 100)
    return cent(total)


def assert_totals(mapped: dict):
    assert mapped_total(mapped) == cent(Decimal(str(mapped["grand_total"]))), mapped["external_id"]


@pytest.mark.parametrize("path", ORDER_FILES, ids=lambda path: path.stem)
def test_every_fixture_maps_totals_to_the_cent_and_parses(path):
    payload = json.loads(path.read_text(encoding="utf-8"))
    mapped = map_order(payload)
    assert mapped["platform"] == "magento"
    assert mapped["grand_total"] == payload["grand_total"]
    assert_totals(mapped)
    parsed = parse_channel_order(mapped)
    assert parsed.external_id == str(payload["entity_id"])
    assert parsed.currency == payload["order_currency_code"]
    assert all(not any(tax.get("code") is None for tax in line["taxes"]) for line in mapped["lines"])


@pytest.mark.parametrize("path", ORDER_FILES, ids=lambda path: path.stem)
def test_totals_hold_on_either_tax_basis(path):
    """The channel may say its basis; the amounts then all move to it (a discount on prices including tax loses
    its tax compensation when mapped without tax)."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    for include in (True, False):
        mapped = map_order(payload, prices_include_tax=include)
        assert mapped["prices_include_tax"] is include
        assert_totals(mapped)


def test_list_pages_map_like_single_orders():
    for name in ("orders-list-page-1.json", "orders-list-page-2.json"):
        for item in load(name)["items"]:
            mapped = map_order(item)
            assert_totals(mapped)
            parse_channel_order(mapped)


def test_tax_basis_is_read_from_the_order():
    assert prices_include_tax(order(101)) is True
    assert prices_include_tax(order(102)) is True
    assert prices_include_tax(order(103)) is False
    assert prices_include_tax(order(104)) is True


def test_configurable_gives_one_line_priced_from_the_parent_named_by_the_child():
    mapped = map_order(order(101))
    assert mapped["prices_include_tax"] is True
    assert len(mapped["lines"]) == 2  # three rows: configurable parent, its child, a simple product
    manta, taza = mapped["lines"]
    assert manta == {
        "external_line_id": "1011",
        "sku": "CL-MANTA-LINO-ARENA",
        "channel_product_id": "2043",  # the child's product_id: the variant
        "name": "Manta de lino",
        "quantity": 1,
        "unit_price": 60.5,
        "discount_amount": 6.05,
        "taxes": [{"name": "IVA 21%", "rate": 21.0, "code": "ES-IVA-21"}],
    }
    assert (taza["sku"], taza["channel_product_id"], taza["quantity"], taza["unit_price"]) == (
        "CL-TAZA-GRES",
        "1187",
        2,
        12.1,
    )
    assert taza["discount_amount"] == 2.42
    assert mapped["coupon_codes"] == ["VERANO10"]
    assert mapped["discounts"] == []  # the coupon is spread over the items
    assert mapped["shipping"] == {
        "method": "tablerate_bestway",
        "price": 4.84,
        "discount_amount": 0.0,
        "taxes": [{"name": "IVA 21%", "rate": 21.0, "code": "ES-IVA-21"}],
    }
    assert mapped["paid"] is True
    assert mapped["status"] == "open"
    assert mapped["platform_status"] == "processing"
    assert (mapped["currency"], mapped["shop_currency"], mapped["shop_grand_total"]) == ("EUR", "EUR", 81.07)
    assert mapped["order_date"] == "2026-03-02T09:12:44Z"
    assert mapped["reference"] == "000000101"


def test_configurable_takes_the_sku_of_the_child_row():
    payload = order(101)
    payload["items"][1]["sku"] = "CL-MANTA-LINO-ARENA-CHILD"
    line = map_order(payload)["lines"][0]
    assert (line["sku"], line["channel_product_id"], line["unit_price"]) == ("CL-MANTA-LINO-ARENA-CHILD", "2043", 60.5)


def test_configurable_without_its_child_row_names_no_variant_id():
    payload = order(101)
    del payload["items"][1]
    line = map_order(payload)["lines"][0]
    assert (line["sku"], line["channel_product_id"]) == ("CL-MANTA-LINO-ARENA", None)


def test_prices_without_tax_take_the_discount_without_its_tax_compensation():
    mapped = map_order(order(101), prices_include_tax=False)
    manta = mapped["lines"][0]
    assert (manta["unit_price"], manta["discount_amount"]) == (50.0, 5.0)
    assert mapped["shipping"]["price"] == 4.0
    assert mapped["discounts"] == []


def test_line_discount_gift_message_guest_and_other_ship_to():
    mapped = map_order(order(102))
    assert [line["discount_amount"] for line in mapped["lines"]] == [7.38, 0.0]
    assert mapped["coupon_codes"] == []
    assert mapped["discounts"] == []
    assert mapped["paid"] is False  # cash on delivery, not invoiced
    assert mapped["platform_status"] == "new"
    assert mapped["gift_message"] == "Inês → Rui: Parabéns pela casa nova! Um abraço."
    assert mapped["customer"] == {
        "name": "Inês Carvalho",
        "email": "ines.carvalho@example.pt",
        "phone": "+351 912 345 678",
        "company": None,
        "vat": "PT509876543",
    }
    assert mapped["billing_address"]["street2"] == "2º Esq."
    assert mapped["billing_address"]["state"] == "Porto"  # no region_code: the region's name
    shipping_address = mapped["shipping_address"]
    assert (shipping_address["name"], shipping_address["street"], shipping_address["country_code"]) == (
        "Rui Azevedo",
        "Rua do Almada 15",
        "PT",
    )
    assert parse_channel_order(mapped).shipping_address.name == "Rui Azevedo"


def test_excluded_tax_second_currency_company_and_refund():
    mapped = map_order(order(103))
    assert mapped["prices_include_tax"] is False
    assert (mapped["currency"], mapped["grand_total"]) == ("GBP", 239.7)
    assert (mapped["shop_currency"], mapped["shop_grand_total"]) == ("EUR", 282.0)
    assert [line["unit_price"] for line in mapped["lines"]] == [34.0, 21.25]
    assert mapped["shipping"]["price"] == 12.75
    assert mapped["customer"]["company"] == "Harbour & Finch Interiors Ltd"
    assert mapped["customer"]["vat"] == "GB123456789"
    assert mapped["billing_address"]["company"] == "Harbour & Finch Interiors Ltd"
    assert mapped["paid"] is True  # it was paid; the refund is told apart
    assert mapped["status"] == "open"
    assert mapped["platform_status"] == "closed"
    assert mapped["refunds"] == [
        {
            "external_id": "103-refunded",
            "date": "2026-03-09T15:02:11Z",
            "amount": 239.7,
            "lines": [
                {"external_line_id": "1031", "quantity": 3, "amount": 122.4},
                {"external_line_id": "1032", "quantity": 4, "amount": 102.0},
            ],
            "shipping_amount": 15.3,
        }
    ]


def test_refunds_one_per_credit_memo_when_given():
    creditmemo = {
        "entity_id": 9,
        "increment_id": "300000009",
        "order_id": 103,
        "created_at": "2026-03-09 15:02:10",
        "grand_total": 239.7,
        "shipping_amount": 12.75,
        "shipping_tax_amount": 2.55,
        "shipping_incl_tax": 15.3,
        "items": [
            {"order_item_id": 1031, "qty": 3, "row_total": 102, "tax_amount": 20.4, "discount_amount": 0},
            {"order_item_id": 1032, "qty": 4, "row_total": 85, "tax_amount": 17, "discount_amount": 0},
        ],
    }
    (refund,) = map_order(order(103), creditmemos=[creditmemo])["refunds"]
    assert refund["external_id"] == "9"
    assert refund["date"] == "2026-03-09T15:02:10Z"
    assert refund["amount"] == 239.7
    assert sum(line["amount"] for line in refund["lines"]) + refund["shipping_amount"] == pytest.approx(239.7)
    assert map_order(order(101), creditmemos=[])["refunds"] == []


def test_credit_memo_skips_the_child_row_of_a_configurable():
    creditmemo = {
        "entity_id": 12,
        "created_at": "2026-03-10 10:00:00",
        "grand_total": 54.45,
        "shipping_incl_tax": 0,
        "items": [
            {"order_item_id": 1011, "qty": 1, "row_total": 50, "tax_amount": 9.45, "discount_amount": 6.05,
             "discount_tax_compensation_amount": 1.05},
            {"order_item_id": 1012, "qty": 1, "row_total": 0, "tax_amount": 0, "discount_amount": 0},
        ],
    }  # fmt: skip
    (refund,) = map_order(order(101), creditmemos=[creditmemo])["refunds"]
    assert refund["lines"] == [{"external_line_id": "1011", "quantity": 1, "amount": 54.45}]


def test_cancelled_order():
    mapped = map_order(order(104))
    assert mapped["status"] == "cancelled"
    assert mapped["platform_status"] == "canceled"
    assert mapped["paid"] is False
    assert mapped["refunds"] == []
    assert mapped["note"] == "Llamar antes de entregar, por favor."
    assert mapped["shipping"]["method"] == "freeshipping_freeshipping"
    assert mapped["shipping"]["price"] == 0.0
    assert mapped["shipping"]["taxes"] == []
    assert parse_channel_order(mapped).status == "cancelled"


def test_discount_not_spread_over_items_is_an_order_discount():
    payload = order(102)
    payload["discount_amount"] = -10.38  # 3.00 more than the items carry (a third-party rule)
    payload["grand_total"] = 59.73
    mapped = map_order(payload)
    assert mapped["discounts"] == [{"name": "15% em toalhas", "amount": 3.0, "taxes": []}]
    assert_totals(mapped)


def test_gift_wrapping_and_custom_fees_are_fees():
    payload = order(103)
    payload["extension_attributes"].update(
        {
            "gw_price": "5.0000",
            "gw_price_incl_tax": "6.0000",
            "gw_tax_amount": "1.0000",
            "custom_fees": [{"custom_fee_code": "handling", "custom_fee_label": "Handling", "custom_fee_amount": 2}],
        }
    )
    payload["extension_attributes"]["item_applied_taxes"].append(
        {"type": "quote_gw", "applied_taxes": [{"code": "GB-VAT-20", "title": "VAT 20%", "percent": 20, "amount": 1}]}
    )
    payload["grand_total"] = 239.7 + 6 + 2
    mapped = map_order(payload)
    assert mapped["fees"] == [
        {"kind": "gift_wrap", "name": "Gift wrapping (order)", "amount": 5.0,
         "taxes": [{"name": "VAT 20%", "rate": 20.0, "code": "GB-VAT-20"}]},
        {"kind": "fee", "name": "Handling", "amount": 2.0, "taxes": []},
    ]  # fmt: skip
    assert_totals(mapped)


def test_store_credit_lowers_the_total_as_an_untaxed_discount():
    payload = order(101)
    payload["customer_balance_amount"] = 10
    payload["grand_total"] = 71.07
    mapped = map_order(payload)
    assert mapped["discounts"] == [{"name": "Store credit", "amount": 10.0, "taxes": []}]
    assert_totals(mapped)


def test_dynamic_price_bundle_gives_the_children_lines():
    payload = order(103)
    bundle = {
        "item_id": 2000,
        "product_id": 3000,
        "product_type": "bundle",
        "sku": "CL-SET",
        "name": "Set",
        "qty_ordered": 1,
        "price": 0,
        "price_incl_tax": 0,
    }
    child = dict(payload["items"][0], parent_item_id=2000, item_id=2001)
    payload["items"] = [bundle, child, payload["items"][1]]  # fmt: skip
    lines = map_order(payload)["lines"]
    assert [line["external_line_id"] for line in lines] == ["2001", "1032"]
    assert lines[0]["sku"] == "CL-SILLA-ROBLE"


def test_older_magento_without_item_applied_taxes_uses_tax_percent():
    payload = order(103)
    del payload["extension_attributes"]["item_applied_taxes"]
    mapped = map_order(payload)
    assert mapped["lines"][0]["taxes"] == [{"name": "VAT 20%", "rate": 20.0, "code": "GB-VAT-20"}]
    assert mapped["shipping"]["taxes"] == [{"name": "VAT 20%", "rate": 20.0, "code": "GB-VAT-20"}]
    assert_totals(mapped)


@pytest.mark.parametrize(
    ("number", "change", "message"),
    [
        (101, lambda o: o["items"][2].update(sku="", product_id=None), "items[2].sku empty and no product_id"),
        (
            101,
            lambda o: [o["items"][0].update(sku=""), o["items"][1].update(sku=None, product_id=None)],
            "items[1].sku empty and no product_id (variant of items[0])",
        ),
        (101, lambda o: o["items"][2].pop("qty_ordered"), "items[2].qty_ordered is missing"),
        (101, lambda o: o["items"][2].pop("price_incl_tax"), "items[2].price_incl_tax is missing"),
        (103, lambda o: o["items"][0].update(price="34,00"), 'items[0].price is not a number (got "34,00")'),
        (102, lambda o: o.pop("billing_address"), "billing_address is missing"),
        (102, lambda o: o["billing_address"].update(street=[]), "billing_address.street is empty"),
        (
            102,
            lambda o: o["extension_attributes"]["shipping_assignments"][0]["shipping"]["address"].update(street=[""]),
            "extension_attributes.shipping_assignments[0].shipping.address.street is empty",
        ),
        (104, lambda o: o.pop("grand_total"), "grand_total is missing"),
        (104, lambda o: o.pop("order_currency_code"), "order_currency_code is missing"),
        (104, lambda o: o.pop("entity_id"), "entity_id is missing"),
        (104, lambda o: o.update(items=[]), "items is missing or empty"),
        (104, lambda o: o.update(created_at="yesterday"), 'created_at is not a date (got "yesterday")'),
    ],
)
def test_missing_or_bad_field_names_the_magento_path(number, change, message):
    payload = copy.deepcopy(order(number))
    change(payload)
    with pytest.raises(ChannelOrderError) as caught:
        map_order(payload)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda o: o["extension_attributes"]["shipping_assignments"].__setitem__(0, 1.5),
            "extension_attributes.shipping_assignments[0] must be an object (got number)",
        ),
        (
            lambda o: o["extension_attributes"]["item_applied_taxes"][0].update(type={"x": 1}),
            "extension_attributes.item_applied_taxes[0].type must be text (got object)",
        ),
        (lambda o: o.update(billing_address="abc"), "billing_address must be an object (got string)"),
        (lambda o: o.update(discount_amount="1e308"), 'discount_amount is out of range (got "1e308")'),
    ],
)
def test_a_wrong_typed_part_is_refused_by_its_magento_path(change, message):
    payload = copy.deepcopy(order(101))
    change(payload)
    with pytest.raises(ChannelOrderError) as caught:
        map_order(payload)
    assert caught.value.message == message
