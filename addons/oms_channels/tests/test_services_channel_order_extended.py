"""The extended channel-order schema (#16): taxes, fees, discounts, totals, refunds and the platform's texts are
read, typed and checked with their paths; every order the platform mappers make from the fixtures parses (plain
pytest, no database)."""

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.channel_order_money import Discount, Fee, Refund, RefundLine, Tax
from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms import magento, shopify, woocommerce
from odoo.addons.oms_channels.stand_ins.orders import make_order

from .test_services_platform_prestashop import ORDER_IDS as PRESTASHOP_ORDER_IDS
from .test_services_platform_prestashop import mapped as prestashop_mapped
from .test_services_platform_shopify import WEBHOOKS as SHOPIFY_WEBHOOKS
from .test_services_platform_shopify import graphql_nodes as shopify_graphql_nodes
from .test_services_platform_shopify import webhook as shopify_webhook

PLATFORMS = Path(__file__).parent / "fixtures" / "platforms"
IVA = {"name": "IVA 21%", "rate": 21, "code": "ES21"}


def extended_order(**overrides) -> dict:
    """A valid order using every extended key; ``overrides`` replace top-level keys."""
    order = make_order(
        "EXT-1",
        lines=[
            {
                "external_line_id": 6981,
                "sku": "OMS-001",
                "quantity": 3,
                "unit_price": "45.00",
                "discount_amount": "6.75",
                "taxes": [IVA],
            }
        ],
        shipping={"method": "express", "price": 7.9, "discount_amount": 2.9, "taxes": [{"name": "IVA", "rate": 21}]},
        prices_include_tax=False,
        fees=[
            {"kind": "cash_on_delivery", "name": "Recargo", "amount": "3.00", "taxes": [IVA]},
            {"kind": "Gift_Wrap", "name": "Envoltorio", "amount": 2, "taxes": []},
        ],
        discounts=[{"name": "Bienvenida 5 €", "amount": 5}],
        coupon_codes=["WELCOME10", "", 2026],
        grand_total="239.64",
        shop_currency="gbp",
        shop_grand_total=205.1,
        gift_message="¡Feliz cumpleaños!\nUn abrazo",
        platform="woocommerce",
        platform_status="processing",
        reference="#1001",
        refunds=[
            {
                "external_id": 5120,
                "date": "2026-12-01T14:05:10",
                "amount": 51.73,
                "lines": [{"external_line_id": "6981", "quantity": "1", "amount": 38.25}],
                "shipping_amount": 0,
            }
        ],
    )
    order["customer"]["company"] = "Ferretería Gómez S.L."
    order["billing_address"].update(company="Ferretería Gómez S.L.", vat="ESB12345674")
    order = json.loads(json.dumps(order))  # IVA unshared (deepcopy would keep it shared): tests spoil one of them
    order.update(overrides)
    return order


def problems_of(data: dict) -> list[str]:
    with pytest.raises(ChannelOrderError) as caught:
        parse_channel_order(data)
    return [message for _category, message in caught.value.problems]


# --- each new key, parsed and typed ---------------------------------------------------------------------------


def test_extended_order_parses_every_new_key_typed():
    order = parse_channel_order(extended_order())
    assert order.prices_include_tax is False
    (line,) = order.lines
    assert (line.external_line_id, line.quantity, line.unit_price, line.discount_amount, line.discount) == (
        "6981",
        3.0,
        45.0,
        6.75,
        0.0,
    )
    assert line.taxes == (Tax(name="IVA 21%", rate=21.0, code="ES21"),)
    assert isinstance(line.taxes[0].rate, float)
    assert (order.shipping.price, order.shipping.discount_amount) == (7.9, 2.9)
    assert order.shipping.taxes == (Tax(name="IVA", rate=21.0),)
    assert order.fees == (
        Fee(kind="cash_on_delivery", name="Recargo", amount=3.0, taxes=(Tax(name="IVA 21%", rate=21.0, code="ES21"),)),
        Fee(kind="gift_wrap", name="Envoltorio", amount=2.0, taxes=()),
    )
    assert order.discounts == (Discount(name="Bienvenida 5 €", amount=5.0, taxes=None),)
    assert order.coupon_codes == ("WELCOME10", "2026"), "blank codes dropped, numbers as text"
    assert (order.grand_total, order.shop_currency, order.shop_grand_total) == (239.64, "GBP", 205.1)
    assert order.gift_message == "¡Feliz cumpleaños!\nUn abrazo"
    assert (order.platform, order.platform_status, order.reference) == ("woocommerce", "processing", "#1001")
    assert order.customer.company == "Ferretería Gómez S.L."
    assert (order.billing_address.company, order.billing_address.vat) == ("Ferretería Gómez S.L.", "ESB12345674")
    assert order.shipping_address == order.billing_address
    assert order.refunds == (
        Refund(
            external_id="5120",
            date=datetime(2026, 12, 1, 14, 5, 10, tzinfo=timezone.utc),
            amount=51.73,
            lines=(RefundLine(external_line_id="6981", quantity=1.0, amount=38.25),),
            shipping_amount=0.0,
        ),
    )


def test_an_order_without_the_new_keys_gets_their_defaults():
    order = parse_channel_order(make_order("MK-1001"))
    assert order.prices_include_tax is None, "absent: as the channel is set"
    (line,) = order.lines
    assert (line.discount_amount, line.external_line_id, line.taxes) == (0.0, None, None)
    assert (order.shipping.discount_amount, order.shipping.taxes) == (0.0, None)
    assert (order.fees, order.discounts, order.coupon_codes, order.refunds) == ((), (), (), ())
    assert (order.grand_total, order.shop_currency, order.shop_grand_total) == (None, None, None)
    assert (order.gift_message, order.platform, order.platform_status, order.reference) == (None,) * 4
    assert (order.customer.company, order.billing_address.company, order.billing_address.vat) == (None,) * 3


def test_null_lists_are_empty_and_null_taxes_are_not_given():
    order = parse_channel_order(
        extended_order(fees=None, discounts=None, coupon_codes=None, refunds=None, prices_include_tax=True)
    )
    assert (order.fees, order.discounts, order.coupon_codes, order.refunds) == ((), (), (), ())
    assert order.prices_include_tax is True
    data = extended_order()
    data["lines"][0]["taxes"] = []
    data["shipping"]["taxes"] = None
    order = parse_channel_order(data)
    assert order.lines[0].taxes == (), "[]: untaxed"
    assert order.shipping.taxes is None, "null: not given"


def test_refund_without_date_lines_or_shipping_amount_defaults():
    order = parse_channel_order(extended_order(refunds=[{"external_id": "R1", "amount": "10"}]))
    assert order.refunds == (Refund(external_id="R1", amount=10.0),)
    assert order.refunds[0].date is None and order.refunds[0].lines == () and order.refunds[0].shipping_amount == 0


def test_a_zero_percentage_may_sit_beside_a_discount_amount():
    data = extended_order()
    data["lines"][0]["discount"] = 0
    assert parse_channel_order(data).lines[0].discount_amount == 6.75
    data["lines"][0].update(discount=10, discount_amount=0)
    assert parse_channel_order(data).lines[0].discount == 10.0


def test_new_texts_are_cleaned_with_their_paths():
    order = parse_channel_order(extended_order(reference="#10\x0001", gift_message="Hola\x07 amiga"))
    assert (order.reference, order.gift_message) == ("#1001", "Hola amiga")
    assert {"reference", "gift_message"} <= set(order.cleaned)


# --- each error, with its path --------------------------------------------------------------------------------


def _set(path: str, value):
    """A mutation setting the value at a dotted path with [index] parts, e.g. ``fees[1].amount``."""

    def mutate(order):
        parts = path.replace("[", ".").replace("]", "").split(".")
        target = order
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value

    return mutate


ERRORS = [
    ("prices_include_tax", "yes", 'prices_include_tax must be true or false (got "yes")'),
    ("lines[0].external_line_id", {"id": 1}, "lines[0].external_line_id must be a string (got object)"),
    ("lines[0].discount_amount", -1, "lines[0].discount_amount must be at least 0 (got -1)"),
    ("lines[0].discount_amount", "x", 'lines[0].discount_amount must be a number (got "x")'),
    ("lines[0].discount_amount", 135.01, "lines[0].discount_amount must be at most quantity × unit_price (135)"),
    ("lines[0].discount", 10, "lines[0].discount and lines[0].discount_amount cannot both be given"),
    ("lines[0].taxes", {"name": "IVA"}, "lines[0].taxes must be an array (got object)"),
    ("lines[0].taxes[0]", "IVA 21%", "lines[0].taxes[0] must be an object (got string)"),
    ("lines[0].taxes[0].rate", 121, "lines[0].taxes[0].rate must be between 0 and 100 (got 121)"),
    ("lines[0].taxes[0].rate", None, "lines[0].taxes[0].rate is required"),
    ("lines[0].taxes[0].name", "", "lines[0].taxes[0].name is required"),
    ("lines[0].taxes[0].code", [], "lines[0].taxes[0].code must be a string (got array)"),
    ("shipping.discount_amount", -0.5, "shipping.discount_amount must be at least 0 (got -0.5)"),
    ("shipping.discount_amount", 8, "shipping.discount_amount must be at most shipping.price (7.9) (got 8)"),
    ("shipping.taxes[0].rate", -21, "shipping.taxes[0].rate must be between 0 and 100 (got -21)"),
    ("fees", {"kind": "fee"}, "fees must be an array (got object)"),
    ("fees[0]", 3, "fees[0] must be an object (got number)"),
    ("fees[1].amount", -2, "fees[1].amount must be at least 0 (got -2)"),
    ("fees[1].amount", None, "fees[1].amount is required"),
    ("fees[0].kind", "tip", 'fees[0].kind must be one of "fee", "gift_wrap", "cash_on_delivery" (got "tip")'),
    ("fees[0].kind", None, "fees[0].kind is required"),
    ("fees[0].taxes[0].rate", "21%", 'fees[0].taxes[0].rate must be a number (got "21%")'),
    ("discounts[0].amount", -5, "discounts[0].amount must be at least 0 (got -5)"),
    ("discounts[0].name", True, "discounts[0].name must be a string (got boolean)"),
    ("discounts[0].taxes", "IVA", "discounts[0].taxes must be an array (got string)"),
    ("coupon_codes", "WELCOME10", "coupon_codes must be an array (got string)"),
    ("coupon_codes[0]", {"code": "X"}, "coupon_codes[0] must be a string (got object)"),
    ("grand_total", -0.01, "grand_total must be at least 0 (got -0.01)"),
    ("grand_total", "Infinity", 'grand_total must be a number (got "Infinity")'),
    ("shop_currency", "euro", 'shop_currency must be an ISO 4217 code of three letters (got "euro")'),
    ("shop_currency", None, "shop_currency is required with shop_grand_total"),
    ("shop_grand_total", -1, "shop_grand_total must be at least 0 (got -1)"),
    ("gift_message", "x" * 10_001, "gift_message must be at most 10000 characters (got 10001)"),
    ("platform", ["shopify"], "platform must be a string (got array)"),
    ("platform_status", {"state": "paid"}, "platform_status must be a string (got object)"),
    ("reference", "R" * 1_001, "reference must be at most 1000 characters (got 1001)"),
    ("customer.company", {"name": "X"}, "customer.company must be a string (got object)"),
    ("billing_address.company", False, "billing_address.company must be a string (got boolean)"),
    ("billing_address.vat", [1], "billing_address.vat must be a string (got array)"),
    ("refunds", {"external_id": "R1"}, "refunds must be an array (got object)"),
    ("refunds[0]", "5120", "refunds[0] must be an object (got string)"),
    ("refunds[0].external_id", "", "refunds[0].external_id is required"),
    ("refunds[0].date", "yesterday", 'refunds[0].date must be an ISO 8601 date-time (got "yesterday")'),
    ("refunds[0].amount", None, "refunds[0].amount is required"),
    ("refunds[0].amount", -51.73, "refunds[0].amount must be at least 0 (got -51.73)"),
    ("refunds[0].shipping_amount", -1, "refunds[0].shipping_amount must be at least 0 (got -1)"),
    ("refunds[0].lines", "6981", "refunds[0].lines must be an array (got string)"),
    ("refunds[0].lines[0].external_line_id", None, "refunds[0].lines[0].external_line_id is required"),
    ("refunds[0].lines[0].quantity", -1, "refunds[0].lines[0].quantity must be at least 0 (got -1)"),
    ("refunds[0].lines[0].quantity", None, "refunds[0].lines[0].quantity is required"),
    ("refunds[0].lines[0].amount", -38.25, "refunds[0].lines[0].amount must be at least 0 (got -38.25)"),
]


@pytest.mark.parametrize(("path", "value", "message"), ERRORS, ids=[f"{p}={v!r}"[:60] for p, v, _m in ERRORS])
def test_each_bad_value_is_reported_with_its_path(path, value, message):
    data = extended_order()
    _set(path, value)(data)
    problems = problems_of(data)
    assert len(problems) == 1, problems
    assert problems[0].startswith(message), problems


def test_every_problem_of_the_extended_keys_is_reported_at_once():
    data = extended_order(grand_total=-1, coupon_codes=7)
    data["fees"][1]["amount"] = -2
    data["refunds"][0]["lines"][0]["quantity"] = -1
    with pytest.raises(ChannelOrderError) as caught:
        parse_channel_order(data)
    assert caught.value.category == "invalid_value"
    assert caught.value.message == "; ".join(
        [
            "fees[1].amount must be at least 0 (got -2)",
            "coupon_codes must be an array (got number)",
            "grand_total must be at least 0 (got -1)",
            "refunds[0].lines[0].quantity must be at least 0 (got -1)",
        ]
    )


# --- the platform mappers' orders -------------------------------------------------------------------------------


def _platform_orders():
    orders = [
        pytest.param(shopify.map_graphql_order(node), id=f"shopify-graphql-{node['legacyResourceId']}")
        for node in shopify_graphql_nodes().values()
    ]
    orders += [
        pytest.param(shopify.map_webhook_order(shopify_webhook(order_id)), id=f"shopify-{name}")
        for order_id, name in SHOPIFY_WEBHOOKS.items()
    ]
    woo = PLATFORMS / "woocommerce"
    woo_files = sorted(path.name for path in woo.glob("order_*.json")) + [
        "webhook_order_created_5101.body.json",
        "webhook_order_updated_5098_refunded.body.json",
        "webhook_order_updated_5103_cancelled.body.json",
    ]
    orders += [
        pytest.param(woocommerce.map_order(json.loads((woo / name).read_text(encoding="utf-8"))), id=f"woo-{name}")
        for name in woo_files
    ]
    refund = json.loads((woo / "refund_5120_of_order_5098.json").read_text(encoding="utf-8"))
    order_5098 = json.loads((woo / "order_5098_es_b2b_tax_excluded_refunded.json").read_text(encoding="utf-8"))
    orders.append(pytest.param(woocommerce.map_order(order_5098, refunds=[refund]), id="woo-5098-with-refund"))
    orders += [
        pytest.param(magento.map_order(json.loads(path.read_text(encoding="utf-8"))), id=f"magento-{path.name}")
        for path in sorted((PLATFORMS / "magento").glob("order-*.json"))
    ]
    orders += [pytest.param(prestashop_mapped(number), id=f"prestashop-{number}") for number in PRESTASHOP_ORDER_IDS]
    return orders


def _taxes(values):
    if values is None:
        return None
    return tuple(Tax(name=tax["name"], rate=float(tax["rate"]), code=tax.get("code")) for tax in values)


def _float(value):
    return None if value is None else float(value)


@pytest.mark.parametrize("mapped", _platform_orders())
def test_every_mapped_platform_order_parses_and_keeps_its_new_values(mapped):
    data = copy.deepcopy(mapped)
    order = parse_channel_order(data)
    assert order.platform == mapped["platform"] in ("shopify", "woocommerce", "magento", "prestashop")
    assert order.prices_include_tax is mapped["prices_include_tax"]
    for key in ("platform_status", "reference", "gift_message"):
        assert getattr(order, key) == (mapped.get(key) or None), key
    assert order.grand_total == _float(mapped.get("grand_total"))
    assert order.shop_grand_total == _float(mapped.get("shop_grand_total"))
    assert order.shop_currency == mapped.get("shop_currency")
    assert order.coupon_codes == tuple(mapped.get("coupon_codes") or ())
    assert len(order.lines) == len(mapped["lines"])
    for line, raw in zip(order.lines, mapped["lines"], strict=True):
        assert line.external_line_id == raw.get("external_line_id")
        assert line.discount_amount == float(raw.get("discount_amount") or 0)
        assert line.discount == 0.0, "the mappers give amounts, not percentages"
        assert line.taxes == _taxes(raw.get("taxes"))
    if mapped.get("shipping"):
        assert order.shipping.discount_amount == float(mapped["shipping"].get("discount_amount") or 0)
        assert order.shipping.taxes == _taxes(mapped["shipping"].get("taxes"))
    assert order.fees == tuple(
        Fee(kind=fee["kind"], name=fee.get("name"), amount=float(fee["amount"]), taxes=_taxes(fee.get("taxes")))
        for fee in mapped.get("fees") or ()
    )
    assert order.discounts == tuple(
        Discount(name=item.get("name"), amount=float(item["amount"]), taxes=_taxes(item.get("taxes")))
        for item in mapped.get("discounts") or ()
    )
    assert [refund.external_id for refund in order.refunds] == [r["external_id"] for r in mapped.get("refunds") or ()]
    for refund, raw in zip(order.refunds, mapped.get("refunds") or (), strict=True):
        assert refund.amount == float(raw["amount"])
        assert refund.shipping_amount == float(raw.get("shipping_amount") or 0)
        assert (refund.date is None) == (not raw.get("date"))
        assert [(item.external_line_id, item.quantity, item.amount) for item in refund.lines] == [
            (item["external_line_id"], float(item["quantity"]), float(item.get("amount") or 0))
            for item in raw.get("lines") or ()
        ]
    assert order.customer.company == (mapped["customer"].get("company") or None)
    for key in ("billing_address", "shipping_address"):
        address = mapped.get(key) or mapped["billing_address"]
        assert getattr(order, key).company == (address.get("company") or None)
        assert getattr(order, key).vat == (address.get("vat") or None)


def test_the_mappers_give_refunds_fees_and_shop_totals_somewhere():
    """The fixtures exercise the new keys: the check above is not vacuous."""
    orders = [parse_channel_order(param.values[0]) for param in _platform_orders()]
    assert any(order.refunds and order.refunds[0].lines for order in orders)
    assert any(order.fees for order in orders)
    assert any(order.discounts for order in orders)
    assert any(order.shop_grand_total is not None for order in orders)
    assert any(order.prices_include_tax is False for order in orders)
    assert any(order.gift_message for order in orders)
    assert {order.platform for order in orders} == {"shopify", "woocommerce", "magento", "prestashop"}


def test_a_refund_line_without_an_item_returned_gives_money_back_on_the_line():
    data = extended_order()
    data["refunds"][0]["lines"][0].update(quantity=0, amount=5)
    line = parse_channel_order(data).refunds[0].lines[0]
    assert (line.quantity, line.amount) == (0, 5)
