"""WooCommerce order → channel order (plain pytest, no database), on the orders of the documented fixtures."""

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms.woocommerce import map_order

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "woocommerce"
ORDER_FILES = sorted(path.name for path in FIXTURES.glob("order_*.json"))
WEBHOOK_FILES = (
    "webhook_order_created_5101.body.json",
    "webhook_order_updated_5098_refunded.body.json",
    "webhook_order_updated_5103_cancelled.body.json",
)
CENT = Decimal("0.01")


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def order_5098_refund():
    return load("refund_5120_of_order_5098.json")


def assert_adds_up(order: dict):
    """Lines + shipping + fees − order discounts, with each rate's tax (rounded per line, as WooCommerce does)
    added when the amounts exclude tax, is the grand total to the cent."""
    exclusive = not order["prices_include_tax"]
    total = Decimal(0)

    def add(amount, taxes):
        nonlocal total
        amount = Decimal(str(amount))
        total += amount
        for tax in taxes if exclusive else ():
            total += (amount * Decimal(str(tax["rate"])) / 100).quantize(CENT, ROUND_HALF_UP)

    for line in order["lines"]:
        gross = Decimal(str(line["unit_price"])) * Decimal(str(line["quantity"]))
        add(gross - Decimal(str(line.get("discount_amount", 0))), line.get("taxes", []))
    shipping = order.get("shipping") or {"price": 0, "discount_amount": 0}
    add(Decimal(str(shipping["price"])) - Decimal(str(shipping["discount_amount"])), shipping.get("taxes", []))
    for fee in order["fees"]:
        add(fee["amount"], fee["taxes"])
    for discount in order["discounts"]:
        add(-Decimal(str(discount["amount"])), discount["taxes"])
    assert total == Decimal(str(order["grand_total"])), f"{order['external_id']}: {total} != {order['grand_total']}"


def all_fixture_orders():
    orders = [load(name) for name in ORDER_FILES + list(WEBHOOK_FILES)]
    for page in ("list_orders_page_1.json", "list_orders_page_2.json"):
        orders += load(page)["body"]
    return orders


# --- every fixture order --------------------------------------------------------------------------------------------


def test_every_fixture_order_adds_up_to_its_grand_total_and_passes_the_parser():
    orders = all_fixture_orders()
    assert len(orders) == 11
    for payload in orders:
        order = map_order(payload, refunds=[order_5098_refund()])
        assert_adds_up(order)
        parsed = parse_channel_order(order)
        assert parsed.external_id == str(payload["id"])
        assert len(parsed.lines) == len(payload["line_items"])


def test_webhook_body_maps_like_the_order_read_from_the_api():
    assert map_order(load("webhook_order_created_5101.body.json")) == map_order(
        load("order_5101_es_tax_included_coupon.json")
    )


def test_deleted_order_webhook_is_not_an_order():
    with pytest.raises(ChannelOrderError, match="prices_include_tax is missing") as error:
        map_order(load("webhook_order_deleted_5103.body.json"))
    assert error.value.category == "missing_field"


# --- what each order maps to ---------------------------------------------------------------------------------------


def test_tax_included_order_keeps_the_prices_the_customer_saw_with_the_coupon_in_the_lines():
    order = map_order(load("order_5101_es_tax_included_coupon.json"))
    assert order["prices_include_tax"] is True
    kettle, mug = order["lines"]
    assert kettle == {
        "external_line_id": "7001",
        "sku": "OMS-KET-01",
        "channel_product_id": "812",
        "name": "Hervidor eléctrico Inox 1,7 L",
        "quantity": 2,
        "unit_price": 24.5,
        "discount_amount": 4.9,
        "taxes": [{"name": "IVA 21%", "rate": 21.0}],
    }
    assert (mug["channel_product_id"], mug["unit_price"], mug["discount_amount"]) == ("823", 8.95, 1.79)
    assert order["shipping"] == {
        "method": "Envío estándar (24-48 h)",
        "price": 5.0,
        "discount_amount": 0.0,
        "taxes": [{"name": "IVA 21%", "rate": 21.0}],
    }
    assert order["coupon_codes"] == ["bienvenida10"]
    assert order["discounts"] == [] and order["fees"] == []
    assert order["grand_total"] == 65.21
    assert (order["paid"], order["status"], order["platform_status"]) == (True, "open", "processing")
    assert order["gift_message"] == "¡Feliz cumpleaños, mamá! Con cariño, Lucía"
    assert order["note"].startswith("Es un regalo")
    assert order["customer"] == {
        "name": "Lucía Fernández García",
        "email": "lucia.fernandez@example.es",
        "phone": "+34 612 345 678",
    }
    assert order["billing_address"]["state"] == "M"
    assert (order["order_date"], order["updated_at"]) == ("2026-11-20T09:58:03Z", "2026-11-20T09:58:41Z")
    assert "shop_currency" not in order


def test_fixed_coupon_becomes_the_line_discount_and_gift_wrap_a_fee():
    order = map_order(load("order_5102_pt_line_discount_fee.json"))
    moka, beans = order["lines"]
    assert (moka["unit_price"], moka["discount_amount"]) == (39.9, 5.0)
    assert (beans["unit_price"], beans["discount_amount"]) == (14.5, 0.0)
    assert moka["taxes"] == [{"name": "IVA 23%", "rate": 23.0}]
    assert order["fees"] == [
        {
            "kind": "gift_wrap",
            "name": "Envoltorio de regalo",
            "amount": 3.0,
            "taxes": [{"name": "IVA 23%", "rate": 23.0}],
        }
    ]
    assert order["shipping"]["price"] == 7.5
    assert order["shipping_address"]["name"] == "Ana Pereira"
    assert order["billing_address"]["name"] == "João Pereira"
    assert "state" not in order["shipping_address"]
    assert "note" not in order


def test_cancelled_order_in_another_currency_keeps_the_shop_total_from_the_exchange_rate():
    order = map_order(load("order_5103_gb_gbp_cancelled.json"))
    assert (order["status"], order["platform_status"], order["paid"]) == ("cancelled", "cancelled", False)
    assert (order["currency"], order["grand_total"]) == ("GBP", 87.0)
    assert (order["shop_currency"], order["shop_grand_total"]) == ("EUR", 101.16)
    assert [line["unit_price"] for line in order["lines"]] == [42.0, 7.5]
    assert parse_channel_order(order).status == "cancelled"


@pytest.mark.parametrize("status", ["failed", "trash"])
def test_failed_and_trashed_orders_are_cancelled(status):
    payload = load("order_5101_es_tax_included_coupon.json")
    payload["status"] = status
    assert map_order(payload)["status"] == "cancelled"


def test_tax_excluded_b2b_order_with_cash_on_delivery_fee_and_vat_number():
    order = map_order(load("order_5098_es_b2b_tax_excluded_refunded.json"))
    assert order["prices_include_tax"] is False
    pans, boards = order["lines"]
    assert (pans["unit_price"], pans["discount_amount"]) == (45.0, 6.75)
    assert (boards["unit_price"], boards["discount_amount"]) == (12.4, 3.1)
    assert order["fees"][0]["kind"] == "cash_on_delivery"
    assert order["fees"][0]["amount"] == 3.0
    assert order["shipping"]["price"] == 7.9
    assert order["customer"]["vat"] == "ESB12345674"
    assert order["customer"]["company"] == "Ferretería Gómez S.L."
    assert order["billing_address"]["company"] == "Ferretería Gómez S.L."
    assert order["shipping_address"]["street"] == "Carrer de la Reina, 45"
    assert (order["status"], order["platform_status"], order["paid"]) == ("open", "completed", True)


def test_refund_with_its_detail_names_the_refunded_line():
    order = map_order(load("order_5098_es_b2b_tax_excluded_refunded.json"), refunds=[order_5098_refund()])
    assert order["refunds"] == [
        {
            "external_id": "5120",
            "amount": 51.73,
            "date": "2026-11-20T15:40:04Z",
            "lines": [{"external_line_id": "6981", "quantity": 1, "amount": 51.73}],
            "shipping_amount": 0.0,
        }
    ]
    assert order["grand_total"] == 239.64  # WooCommerce does not reduce the order's total by its refunds


def test_refund_without_its_detail_keeps_its_amount():
    order = map_order(load("webhook_order_updated_5098_refunded.body.json"))
    assert order["refunds"] == [{"external_id": "5120", "amount": 51.73, "lines": []}]


def test_unit_price_cent_that_does_not_divide_stays_in_the_line_discount():
    payload = load("order_5098_es_b2b_tax_excluded_refunded.json")
    line = payload["line_items"][1]
    line.update(quantity=2, subtotal="14.79", total="14.79", subtotal_tax="3.11", total_tax="3.11")
    payload["total"] = "186.27"  # 239.64 − (58.90 + 12.37) + (14.79 + 3.11)
    payload["refunds"] = []
    order = map_order(payload)
    assert (order["lines"][1]["unit_price"], order["lines"][1]["discount_amount"]) == (7.4, 0.01)
    assert_adds_up(order)


def test_negative_fee_is_an_order_discount():
    payload = load("order_5102_pt_line_discount_fee.json")
    payload["fee_lines"][0].update(name="Descuento fidelidad", total="-2.44", total_tax="-0.56")
    payload["total"] = "68.40"
    order = map_order(payload)
    assert order["fees"] == []
    assert order["discounts"] == [
        {"name": "Descuento fidelidad", "amount": 3.0, "taxes": [{"name": "IVA 23%", "rate": 23.0}]}
    ]
    assert_adds_up(order)


# --- payloads the mapping cannot use --------------------------------------------------------------------------------


def broken(change) -> dict:
    payload = copy.deepcopy(load("order_5101_es_tax_included_coupon.json"))
    change(payload)
    return payload


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p["line_items"][1].update(sku="", product_id=0, variation_id=0),
            r"line_items\[1\]\.sku empty and no",
        ),
        (
            lambda p: p["line_items"][0].update(sku=None, product_id=None, variation_id=None),
            r"line_items\[0\]\.sku empty",
        ),
        (lambda p: p["line_items"][0].pop("subtotal"), r"line_items\[0\]\.subtotal is missing"),
        (lambda p: p["line_items"][0].update(total="12,50"), r"line_items\[0\]\.total must be a number"),
        (lambda p: p["line_items"][0].update(quantity=0), r"line_items\[0\]\.quantity must be greater than 0"),
        (lambda p: p["line_items"][0].update(quantity="NaN"), r"line_items\[0\]\.quantity must be a finite"),
        (lambda p: p["line_items"][0]["taxes"][0].update(id=9), r"line_items\[0\]\.taxes\[0\]\.id 9 is not a rate_id"),
        (lambda p: p["tax_lines"][0].pop("rate_percent"), r"tax_lines\[0\]\.rate_percent is missing"),
        (lambda p: p.update(line_items=[]), r"line_items is missing or empty"),
        (lambda p: p.update(line_items={"0": {}}), r"line_items must be an array"),
        (lambda p: p["line_items"].append("x"), r"line_items\[2\] must be an object"),
        (lambda p: p["billing"].update(address_1=" "), r"billing\.address_1 is missing or empty"),
        (lambda p: p["billing"].update(email="", phone=None), r"billing\.email and billing\.phone are empty"),
        (lambda p: p["billing"].update(first_name="", last_name=""), r"billing\.first_name, last_name and company"),
        (lambda p: p["shipping"].update(country={"code": "ES"}), r"shipping\.country must be text"),
        (lambda p: p.update(billing=[]), r"billing must be an object"),
        (lambda p: p.update(currency=None), r"currency is missing"),
        (lambda p: p.update(total=True), r"total must be a number"),
        (lambda p: p.update(prices_include_tax="yes"), r"prices_include_tax must be true or false"),
        (lambda p: p["coupon_lines"][0].update(code=""), r"coupon_lines\[0\]\.code is missing"),
        (lambda p: p.update(refunds=[{"id": 1}]), r"refunds\[0\]\.total is missing"),
    ],
)
def test_payload_missing_what_the_mapping_needs_names_the_woocommerce_field(change, message):
    with pytest.raises(ChannelOrderError, match=message):
        map_order(broken(change))


def test_refund_detail_without_the_refunded_item_names_it():
    refund = order_5098_refund()
    refund["line_items"][0]["meta_data"] = []
    with pytest.raises(ChannelOrderError, match=r"refunds/5120\.line_items\[0\]\.meta_data _refunded_item_id"):
        map_order(load("order_5098_es_b2b_tax_excluded_refunded.json"), refunds=[refund])


def test_order_without_shipping_address_ships_to_the_billing_address():
    payload = broken(lambda p: p["shipping"].update(address_1="", city="", country=""))
    order = map_order(payload)
    assert "shipping_address" not in order
    assert parse_channel_order(order).shipping_address.street == "Calle de Atocha, 27"


def test_gmt_dates_get_their_utc_marker_once():
    payload = broken(lambda p: p.update(date_modified_gmt="2026-11-20T09:58:41+00:00", date_created_gmt=None))
    order = map_order(payload)
    assert order["updated_at"] == "2026-11-20T09:58:41+00:00"
    assert "order_date" not in order
