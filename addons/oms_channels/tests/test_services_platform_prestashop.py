"""PrestaShop fixture orders mapped to the channel-order schema (plain pytest, no database); the documents read:
``test_services_platform_prestashop_documents.py``, the payloads refused: ``..._refusals.py``."""

import copy
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.platforms.prestashop import map_order, order_payload, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "platforms" / "prestashop"
ORDER_IDS = ("101", "102", "103", "104")
REFERENCE_FILES = {
    "customers": "customers.xml",
    "addresses": "addresses.xml",
    "currencies": "currencies.xml",
    "countries": "countries.xml",
    "states": "states.xml",
    "carriers": "carriers.xml",
    "order_states": "order_states.xml",
    "taxes": "taxes.xml",
    "order_details": "order_details.xml",
    "order_cart_rules": "order_cart_rules.xml",
    "order_slips": "order_slips.xml",
    "order_histories": "order_histories.xml",
}
# cart_rules/7 as GET /api/cart_rules?display=full&filter[id]=[7] gives it (not among the groundwork fixtures).
CART_RULES_XML = """<?xml version="1.0" encoding="UTF-8"?>
<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">
<cart_rules>
<cart_rule>
\t<id><![CDATA[7]]></id>
\t<code><![CDATA[BIENVENIDA5]]></code>
\t<reduction_amount><![CDATA[5.000000]]></reduction_amount>
\t<name><language id="1" xlink:href="https://tienda-ejemplo.es/api/languages/1"><![CDATA[Bienvenida 5 €]]></language>
\t</name>
</cart_rule>
</cart_rules>
</prestashop>
"""


def read(name: str) -> dict:
    return read_document((FIXTURES / name).read_bytes())


@cache
def _references() -> dict:
    references = {key: read(name)[key] for key, name in REFERENCE_FILES.items()}
    references["cart_rules"] = read_document(CART_RULES_XML)["cart_rules"]
    references["shop_currency"] = "EUR"
    return references


def payload_of(order_id: str, **changes) -> dict:
    """The payload of one fixture order, its references cut down to it (a deep copy: tests may spoil it)."""
    payload = copy.deepcopy(order_payload(read(f"order_{order_id}.xml")["order"], _references()))
    payload.update(changes)
    return payload


def mapped(order_id: str, **changes) -> dict:
    return map_order(payload_of(order_id, **changes))


def _cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _with_tax(amount: Decimal, taxes: list[dict], prices_include_tax: bool) -> Decimal:
    if prices_include_tax:
        return amount
    return amount * (1 + sum(Decimal(str(tax["rate"])) for tax in taxes) / 100)


def computed_total(order: dict) -> Decimal:
    """Lines + shipping + fees - order discounts, tax added when the prices exclude it, rounded to the cent."""
    include = order["prices_include_tax"]
    total = Decimal(0)
    for line in order["lines"]:
        net = Decimal(str(line["unit_price"])) * Decimal(str(line["quantity"])) - Decimal(str(line["discount_amount"]))
        total += _with_tax(net, line["taxes"], include)
    if shipping := order.get("shipping"):
        net = Decimal(str(shipping["price"])) - Decimal(str(shipping["discount_amount"]))
        total += _with_tax(net, shipping["taxes"], include)
    for fee in order["fees"]:
        total += _with_tax(Decimal(str(fee["amount"])), fee["taxes"], include)
    for discount in order["discounts"]:
        total -= _with_tax(Decimal(str(discount["amount"])), discount["taxes"], include)
    return _cents(total)


# --- every fixture order ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("order_id", ORDER_IDS)
def test_every_fixture_order_maps_to_its_grand_total_to_the_cent(order_id):
    order = mapped(order_id)
    assert order["platform"] == "prestashop"
    assert order["grand_total"] == float(read(f"order_{order_id}.xml")["order"]["total_paid_tax_incl"])
    assert computed_total(order) == _cents(order["grand_total"])


@pytest.mark.parametrize("order_id", ORDER_IDS)
def test_every_mapped_order_passes_todays_parser(order_id):
    order = mapped(order_id)
    parsed = parse_channel_order(order)
    assert parsed.external_id == order_id
    assert parsed.raw["grand_total"] == order["grand_total"], "the new keys are kept in raw"


@pytest.mark.parametrize("order_id", ORDER_IDS)
def test_the_whole_sync_references_map_like_the_cut_down_payload(order_id):
    whole = {**_references(), "order": read(f"order_{order_id}.xml")["order"]}
    assert map_order(whole) == mapped(order_id)


def test_order_101_tax_included_line_discount_coupon_and_two_addresses():
    order = mapped("101")
    assert order["prices_include_tax"] is True and order["currency"] == "EUR"
    kettle, toaster = order["lines"]
    assert kettle == {
        "external_line_id": "1001",
        "sku": "OMS-KET-01",
        "barcode": "8412345678905",
        "channel_product_id": "12",
        "name": "Hervidor eléctrico 1,7 L",
        "quantity": 2,
        "unit_price": 24.95,
        "discount_amount": 0.0,
        "taxes": [{"name": "IVA ES 21%", "rate": 21.0}],
    }
    assert toaster["channel_product_id"] == "14-31", "product 14, combination 31: not product 31 (order 103's filter)"
    assert (toaster["unit_price"], toaster["discount_amount"]) == (39.9, 3.99), "39.90 - 10 % = 35.91"
    assert order["shipping"] == {
        "method": "Correos Express 24h",
        "price": 4.9,
        "discount_amount": 0.0,
        "taxes": [{"name": "IVA ES 21%", "rate": 21.0}],
    }
    assert order["discounts"] == [
        {"name": "Bienvenida 5 € (BIENVENIDA5)", "amount": 5.0, "taxes": [{"name": "IVA ES 21%", "rate": 21.0}]}
    ]
    assert order["coupon_codes"] == ["BIENVENIDA5"]
    assert order["fees"] == [] and order["refunds"] == []
    assert (order["paid"], order["status"], order["platform_status"]) == (True, "open", "Pago aceptado")
    assert order["customer"] == {
        "name": "Lucía Fernández Ruiz",
        "email": "lucia.fernandez@example.es",
        "phone": "+34 612 345 678",
        "company": None,
        "vat": None,
    }
    assert order["billing_address"]["street"] == "Calle de Atocha, 27"
    assert order["shipping_address"]["street"] == "Paseo de la Castellana, 95"
    assert order["shipping_address"]["company"] == "Estudio Norte SL"
    assert order["shipping_address"]["phone"] == "+34 910 123 456"
    assert (order["billing_address"]["state"], order["billing_address"]["country_code"]) == ("ES-M", "ES")
    assert (order["order_date"], order["updated_at"]) == ("2026-11-20T09:58:12", "2026-11-20T10:02:40")
    assert order["shop_currency"] == "EUR" and order["shop_grand_total"] == 85.71


def test_order_101_without_the_cart_rules_document_has_no_coupon_code():
    payload = payload_of("101")
    del payload["cart_rules"]
    order = map_order(payload)
    assert order["coupon_codes"] == [] and order["discounts"][0]["amount"] == 5.0


def test_order_102_unit_prices_are_rounded_with_tax_before_the_quantity():
    order = mapped("102")
    jug, mugs = order["lines"]
    assert (jug["unit_price"], jug["quantity"], jug["discount_amount"]) == (15.25, 6, 0.0), "15.252 per item"
    assert (mugs["unit_price"], mugs["quantity"]) == (22.14, 3)
    assert jug["taxes"] == [{"name": "IVA PT 23%", "rate": 23.0}]
    assert order["fees"] == [
        {"kind": "gift_wrap", "name": "Gift wrapping", "amount": 2.46, "taxes": [{"name": "IVA PT 23%", "rate": 23.0}]}
    ]
    assert order["gift_message"] == "Parabéns pela nova loja! Um abraço da equipa de Lisboa."
    assert order["customer"]["company"] == "Cerâmica Aveiro, Lda"
    assert order["customer"]["vat"] == "PT509876543"
    assert order["billing_address"]["state"] is None and order["billing_address"]["country_code"] == "PT"
    assert computed_total(order) == Decimal("167.76")


def test_order_102_cancelled_later_and_never_paid():
    order = mapped("102")
    assert (order["status"], order["paid"], order["platform_status"]) == ("cancelled", False, "Cancelado")
    assert parse_channel_order(order).status == "cancelled"


def test_a_cancelled_state_is_known_by_its_template_or_the_shops_configured_ids():
    payload = payload_of("102", cancelled_state_ids=["99"])
    assert map_order(payload)["status"] == "cancelled", "template order_canceled"
    for state in payload["order_states"]:
        state["template"] = {"1": ""}
    assert map_order(payload)["status"] == "open"
    assert map_order({**payload, "cancelled_state_ids": ["6"]})["status"] == "cancelled"


def test_order_103_second_currency_and_partial_refund():
    order = mapped("103")
    assert (order["currency"], order["grand_total"]) == ("GBP", 54.4)
    assert (order["shop_currency"], order["shop_grand_total"]) == ("EUR", 64.29), "54.40 / 0.8462"
    assert [line["taxes"] for line in order["lines"]] == [[{"name": "VAT UK 20%", "rate": 20.0}]] * 2
    assert (order["paid"], order["status"], order["platform_status"]) == (True, "open", "Entregado")
    assert order["refunds"] == [
        {
            "external_id": "41",
            "date": "2026-12-01T14:05:10",
            "amount": 6.6,
            "lines": [{"external_line_id": "1006", "quantity": 1, "amount": 6.6}],
            "shipping_amount": 0.0,
        }
    ]


def test_order_104_refunded_in_full_stays_open_and_paid():
    order = mapped("104")
    assert (order["status"], order["paid"], order["platform_status"]) == ("open", True, "Reembolsado")
    assert order["shipping"]["price"] == 7.4, "the cash-on-delivery fee is folded into shipping by its module"
    assert order["fees"] == []
    assert order["note"] == "Cliente devolvió el paquete sin abrir; reembolso completo."
    assert order["refunds"] == [
        {
            "external_id": "42",
            "date": "2026-11-30T11:58:41",
            "amount": 27.3,
            "lines": [{"external_line_id": "1007", "quantity": 1, "amount": 19.9}],
            "shipping_amount": 7.4,
        }
    ]
    assert order["refunds"][0]["amount"] == order["grand_total"]
    without_history = payload_of("104")
    del without_history["order_histories"]
    assert map_order(without_history)["paid"] is False, "state 7 has no paid flag of its own"


def test_dates_carry_the_shops_time_zone_when_given():
    order = mapped("101", timezone="Europe/Madrid")
    assert (order["order_date"], order["updated_at"]) == ("2026-11-20T08:58:12Z", "2026-11-20T09:02:40Z")
    assert order["refunds"] == []
    assert mapped("103", timezone="Europe/London")["refunds"][0]["date"] == "2026-12-01T14:05:10Z"


def test_a_free_shipping_cart_rule_goes_to_the_shipping_discount():
    payload = payload_of("101")
    rule = payload["order_cart_rules"][0]
    rule.update(free_shipping="1", value="9.900000", value_tax_excl="8.180000")
    payload["order"].update(
        total_discounts_tax_incl="9.900000", total_discounts_tax_excl="8.180000", total_paid_tax_incl="80.810000"
    )
    order = map_order(payload)
    assert order["shipping"]["discount_amount"] == 4.9
    assert order["discounts"] == [
        {"name": "Bienvenida 5 € (BIENVENIDA5)", "amount": 5.0, "taxes": [{"name": "IVA ES 21%", "rate": 21.0}]}
    ]
    assert computed_total(order) == _cents(order["grand_total"])


def test_per_line_rounding_takes_prestashops_own_line_total():
    payload = payload_of("102")
    payload["order"]["round_type"] = "2"
    payload["order_details"][0]["total_price_tax_incl"] = "91.490000"
    jug = map_order(payload)["lines"][0]
    assert (jug["unit_price"], jug["discount_amount"]) == (15.25, 0.01), "6 x 15.25 - 91.49"
