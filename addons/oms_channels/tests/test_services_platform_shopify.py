"""Shopify orders -> channel orders: both shapes of the fixture orders (GraphQL pull, webhook) (plain pytest)."""

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms.shopify import map_graphql_order, map_order, map_webhook_order

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "shopify"
WEBHOOKS = {
    "5810000001001": "webhook_orders_create_1001.json",
    "5810000001002": "webhook_orders_updated_1002.json",
    "5810000001003": "webhook_orders_create_1003.json",
    "5810000001004": "webhook_orders_cancelled_1004.json",
}
CENT = Decimal("0.01")


def graphql_nodes() -> dict[str, dict]:
    nodes = {}
    for page in ("graphql_orders_page1.json", "graphql_orders_page2.json"):
        for node in json.loads((FIXTURES / page).read_text(encoding="utf-8"))["data"]["orders"]["nodes"]:
            nodes[node["legacyResourceId"]] = node
    return nodes


def webhook(order_id: str) -> dict:
    return json.loads((FIXTURES / WEBHOOKS[order_id]).read_text(encoding="utf-8"))


def every_fixture_order():
    pulled = [pytest.param("graphql", node, id=f"graphql-{node['name']}") for node in graphql_nodes().values()]
    pushed = [pytest.param("webhook", webhook(order_id), id=WEBHOOKS[order_id]) for order_id in WEBHOOKS]
    return pulled + pushed


def assert_adds_up_to_grand_total(order: dict) -> None:
    """Lines + shipping + fees - discounts, each with its taxes (rounded half-up per part, as Shopify does) added
    when prices exclude tax, equal the grand total to the cent."""
    parts = [
        (Decimal(str(line["quantity"])) * _amount(line["unit_price"]) - _amount(line["discount_amount"]), line)
        for line in order["lines"]
    ]
    if "shipping" in order:
        shipping = order["shipping"]
        parts.append((_amount(shipping["price"]) - _amount(shipping["discount_amount"]), shipping))
    parts += [(_amount(fee["amount"]), fee) for fee in order["fees"]]
    parts += [(-_amount(discount["amount"]), discount) for discount in order["discounts"]]
    total = sum((amount for amount, _ in parts), Decimal(0))
    if not order["prices_include_tax"]:
        for amount, part in parts:
            rates = (Decimal(str(tax["rate"])) / 100 for tax in part["taxes"])
            total += sum(((amount * rate).quantize(CENT, ROUND_HALF_UP) for rate in rates), Decimal(0))
    assert total == _amount(order["grand_total"]), f"{order['external_id']}: parts add up to {total}"


def _amount(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


@pytest.mark.parametrize(("shape", "payload"), every_fixture_order())
def test_every_fixture_order_adds_up_to_what_the_customer_pays(shape, payload):
    order = map_order(payload)
    assert order["platform"] == "shopify"
    assert_adds_up_to_grand_total(order)


@pytest.mark.parametrize(("shape", "payload"), every_fixture_order())
def test_every_mapped_order_passes_the_channel_order_parser(shape, payload):
    parsed = parse_channel_order(map_order(payload))
    assert parsed.external_id == str(payload.get("legacyResourceId") or payload.get("id"))
    assert parsed.lines


@pytest.mark.parametrize("order_id", sorted(WEBHOOKS))
def test_pull_and_webhook_of_one_order_give_the_same_channel_order(order_id):
    assert map_webhook_order(webhook(order_id)) == map_graphql_order(graphql_nodes()[order_id])


def test_tax_included_order_with_automatic_discount_and_gift_message():
    order = map_graphql_order(graphql_nodes()["5810000001001"])
    assert order["prices_include_tax"] is True
    assert (order["currency"], order["grand_total"], order["paid"], order["status"]) == ("EUR", 132.22, True, "open")
    kettle = order["lines"][0]
    assert kettle == {
        "external_line_id": "16100000010011",
        "sku": "OMS-KET-17",
        "channel_product_id": "45100000000001",
        "name": "Hervidor eléctrico inox 1,7 L",
        "quantity": 2,
        "unit_price": 49.9,
        "discount_amount": 9.98,
        "taxes": [{"name": "IVA 21%", "rate": 21.0}],
    }
    assert order["lines"][2]["sku"] == "GIFT-WRAP", "gift wrap is a product line on Shopify, it keeps its SKU"
    assert order["shipping"] == {"method": "Estándar", "price": 4.95, "discount_amount": 0.0, "taxes": kettle["taxes"]}
    assert order["gift_message"] == "¡Feliz cumpleaños, mamá! Con cariño, Lucía"
    assert order["customer"]["name"] == "Lucía Fernández García"
    assert order["billing_address"]["state"] == "M"
    assert order["order_date"] == "2026-03-02T09:14:04Z"


def test_tax_excluded_b2b_order_keeps_coupon_allocations_on_lines_and_turns_the_custom_line_into_a_fee():
    order = map_webhook_order(webhook("5810000001003"))
    assert order["prices_include_tax"] is False
    assert [line["discount_amount"] for line in order["lines"]] == [7.31, 12.39], "manual 5 % + B2B15 share"
    assert order["fees"] == [
        {"kind": "fee", "name": "Manuseamento de palete", "amount": 11.21, "taxes": [{"name": "IVA 23%", "rate": 23.0}]}
    ]
    assert (order["coupon_codes"], order["discounts"]) == (["B2B15"], [])
    assert (order["paid"], order["platform_status"]) == (False, "pending")
    assert order["customer"]["vat"] == "PT509876543"
    assert order["customer"]["company"] == "Casa Lusitana, Lda."
    assert order["shipping_address"]["name"] == "Rui Matos"
    assert order["order_date"] == "2026-03-04T15:39:58Z", "the webhook's shop offset is turned into UTC"


def test_foreign_currency_order_is_in_the_customers_currency_with_the_shop_total_beside():
    order = map_graphql_order(graphql_nodes()["5810000001002"])
    assert (order["currency"], order["grand_total"]) == ("GBP", 58.5)
    assert (order["shop_currency"], order["shop_grand_total"]) == ("EUR", 67.86)
    assert order["lines"][0]["unit_price"] == 29.0


def test_partially_refunded_order_keeps_its_lines_and_lists_the_refund():
    order = map_webhook_order(webhook("5810000001002"))
    assert (order["paid"], order["status"], order["platform_status"]) == (True, "open", "partially_refunded")
    assert [line["quantity"] for line in order["lines"]] == [1, 2], "ordered quantities; the refund says what left"
    assert order["refunds"] == [
        {
            "external_id": "1030000000021",
            "date": "2026-03-10T11:05:10Z",
            "amount": 26.1,
            "lines": [{"external_line_id": "16100000010021", "quantity": 1, "amount": 26.1}],
            "shipping_amount": 0.0,
        }
    ]


def test_cancelled_order_is_cancelled_and_not_paid():
    for order in (map_graphql_order(graphql_nodes()["5810000001004"]), map_webhook_order(webhook("5810000001004"))):
        assert (order["status"], order["paid"]) == ("cancelled", False)
        assert order["platform_status"] == "voided, cancelled (customer)"
        assert order["grand_total"] == 79.0, "what the customer was to pay; the cancellation is the status"
        assert parse_channel_order(order).status == "cancelled"


def test_custom_line_that_needs_shipping_is_refused_naming_the_platforms_path():
    body = webhook("5810000001003")
    body["line_items"][2]["requires_shipping"] = True
    with pytest.raises(ChannelOrderError, match=r"^line_items\[2\]\.sku empty and no variant id$"):
        map_webhook_order(body)
    node = copy.deepcopy(graphql_nodes()["5810000001003"])
    node["lineItems"]["nodes"][2]["requiresShipping"] = True
    with pytest.raises(ChannelOrderError, match=r"^lineItems\.nodes\[2\]\.sku empty and no variant id$"):
        map_graphql_order(node)


def test_line_without_sku_keeps_its_variant_id():
    body = webhook("5810000001001")
    body["line_items"][1]["sku"] = ""
    line = map_webhook_order(body)["lines"][1]
    assert ("sku" not in line, line["channel_product_id"]) == (True, "45100000000002")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda body: body["line_items"][0].pop("price_set"), r"line_items\[0\]\.price_set missing"),
        (lambda body: body["line_items"][0].pop("quantity"), r"line_items\[0\]\.quantity missing"),
        (lambda body: body.pop("id"), r"^id missing"),
        (lambda body: body.pop("total_price_set"), r"^total_price_set missing"),
        (
            lambda body: body["line_items"][0]["price_set"]["presentment_money"].update(amount="12,50"),
            r"line_items\[0\]\.price_set\.presentment_money\.amount must be a number",
        ),
        (lambda body: body.update(line_items={"0": {}}), r"line_items must be an array"),
        (lambda body: body.update(billing_address=None, shipping_address=None), r"billing_address"),
        (lambda body: body.update(updated_at="yesterday"), r"updated_at is not an ISO 8601 date"),
    ],
)
def test_a_webhook_missing_what_the_mapping_needs_names_the_field(change, message):
    body = webhook("5810000001001")
    change(body)
    with pytest.raises(ChannelOrderError, match=message):
        map_webhook_order(body)


def test_a_graphql_node_missing_a_price_names_the_field():
    node = copy.deepcopy(graphql_nodes()["5810000001001"])
    del node["lineItems"]["nodes"][1]["originalUnitPriceSet"]["presentmentMoney"]
    with pytest.raises(ChannelOrderError, match=r"lineItems\.nodes\[1\]\.originalUnitPriceSet\.presentmentMoney miss"):
        map_graphql_order(node)


def test_an_order_with_more_lines_than_the_page_is_refused():
    node = copy.deepcopy(graphql_nodes()["5810000001001"])
    node["lineItems"]["pageInfo"]["hasNextPage"] = True
    with pytest.raises(ChannelOrderError, match=r"lineItems\.pageInfo\.hasNextPage"):
        map_graphql_order(node)


def test_a_refund_paid_in_another_currency_is_refused():
    body = webhook("5810000001002")
    body["refunds"][0]["transactions"][0]["currency"] = "EUR"
    with pytest.raises(ChannelOrderError, match=r"refunds\[0\]\.transactions\[0\]\.currency is EUR"):
        map_webhook_order(body)


def test_duties_are_a_fee_and_still_add_up():
    body = webhook("5810000001002")
    duties = {"shop_money": {"amount": "5.80", "currency_code": "EUR"}, "presentment_money": {"amount": "5.00"}}
    body["original_total_duties_set"] = duties
    body["total_price_set"]["presentment_money"]["amount"] = "63.50"
    order = map_webhook_order(body)
    assert order["fees"] == [{"kind": "fee", "name": "Duties", "amount": 5.0, "taxes": []}]
    assert_adds_up_to_grand_total(order)


def test_several_shipping_lines_add_up_and_removed_ones_do_not_count():
    body = webhook("5810000001001")
    extra, removed = copy.deepcopy(body["shipping_lines"][0]), copy.deepcopy(body["shipping_lines"][0])
    extra["code"] = "Express"
    removed["is_removed"] = True
    body["shipping_lines"] += [extra, removed]
    assert map_webhook_order(body)["shipping"]["price"] == 9.9
    assert map_webhook_order(body)["shipping"]["method"] == "Estándar + Express"
