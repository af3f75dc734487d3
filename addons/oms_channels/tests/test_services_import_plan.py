"""The import plan of parsed channel orders: customer, addresses, products, prices and shipping, each with its
reason, on plain look-up tables (plain pytest, no database)."""

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.import_plan import (
    ImportLookups,
    KnownAddress,
    NewPartner,
    PlanError,
    plan_batch,
    plan_delivery_address,
)
from odoo.addons.oms_channels.services.matching import UnknownProductsError

SPAIN, PORTUGAL = 68, 185
MADRID_STATE = 441
EUR_PRICELIST, USD_PRICELIST = 1, 2
KETTLE, LAMP = 30, 31
COURIER, POST = 7, 8
LUCIA = 500  # a customer already known, with a delivery address at her office
LUCIA_OFFICE = 501

HOME = {"street": "Calle de Alcalá 42", "city": "Madrid", "zip": "28014", "state": "m", "country_code": "ES"}
OFFICE = {"street": "Gran Vía 1", "city": "Madrid", "zip": "28013", "country_code": "ES"}


def lookups(**overrides):
    values = {
        "by_email": {"lucia@example.es": LUCIA},
        "by_sku": {"KET-1": KETTLE},
        "by_barcode": {"8412345678905": LAMP},
        "by_binding": {"B-LAMP": LAMP},
        "unit_rounding": {KETTLE: 1.0, LAMP: 0.01},
        "countries": {"ES": SPAIN, "PT": PORTUGAL},
        "states": {SPAIN: [("B", "Barcelona", 440), ("M", "Madrid", MADRID_STATE)]},
        "partner_names": {LUCIA: "Lucía Fernández"},
        "addresses": {
            LUCIA: [
                KnownAddress(partner=LUCIA, street=HOME["street"], zip=HOME["zip"], country_id=SPAIN),
                KnownAddress(partner=LUCIA_OFFICE, street=OFFICE["street"], zip=OFFICE["zip"], country_id=SPAIN),
            ]
        },
        "channel_pricelist": ("EUR", EUR_PRICELIST),
        "pricelists": {"USD": USD_PRICELIST},
        "carriers": {"express": COURIER},
    }
    return ImportLookups(**{**values, **overrides})


def order(external_id="MK-1", customer=None, lines=None, **overrides):
    data = {
        "external_id": external_id,
        "currency": "EUR",
        "paid": True,
        "customer": customer or {"name": "Lucía Fernández", "email": "Lucia@Example.es"},
        "billing_address": HOME,
        "lines": lines or [{"sku": "KET-1", "quantity": 2, "unit_price": 27.5}],
        **overrides,
    }
    return parse_channel_order(data)


NEW_CUSTOMER = {"name": "Marta Ruiz", "email": "marta@example.es", "phone": "+34 699 111 222", "vat": "es-b.123"}


def test_known_customer_products_pricelist_and_shipping_are_planned_with_their_reasons():
    lines = [
        {"sku": "KET-1", "quantity": 2, "unit_price": 27.5, "discount": 10},
        {"barcode": "8412345678905", "quantity": 1, "unit_price": 40},
        {"channel_product_id": "B-LAMP", "quantity": 3, "unit_price": 39},
    ]
    plan = plan_batch([order(lines=lines, shipping={"method": "express", "price": 4.9})], lookups())
    assert not plan.rejected and not plan.new_partners
    planned = plan.orders[0]
    assert (planned.action, planned.external_id, planned.paid) == ("create", "MK-1", True)
    assert (planned.customer.partner, planned.customer.matched_by) == (LUCIA, "email")
    assert (planned.customer.delivery, planned.customer.delivery_by) == (LUCIA, "customer")
    assert [(line.product_id, line.matched_by, line.quantity, line.discount) for line in planned.lines] == [
        (KETTLE, "sku", 2.0, 10.0),
        (LAMP, "barcode", 1.0, 0.0),
        (LAMP, "binding", 3.0, 0.0),
    ]
    assert (planned.pricelist_id, planned.pricelist_by) == (EUR_PRICELIST, "channel")
    assert (planned.shipping.carrier_id, planned.shipping.price, planned.shipping.mapped) == (COURIER, 4.9, True)


def test_known_customer_is_delivered_at_an_address_she_has_else_at_a_new_one():
    plan = plan_batch(
        [
            order("AT-OFFICE", shipping_address=OFFICE),
            order("ELSEWHERE", shipping_address={**OFFICE, "street": "Calle Mayor 1", "name": "Reception"}),
        ],
        lookups(),
    )
    at_office, elsewhere = plan.orders[0].customer, plan.orders[1].customer
    assert (at_office.delivery, at_office.delivery_by) == (LUCIA_OFFICE, "known")
    assert elsewhere.delivery_by == "new"
    [address] = plan.new_partners
    assert elsewhere.delivery is address and address.parent == LUCIA
    assert address.values["type"] == "delivery"
    assert (address.values["name"], address.values["street"]) == ("Reception", "Calle Mayor 1")


def test_new_customer_is_created_once_and_found_by_the_next_orders_of_the_batch():
    plan = plan_batch(
        [
            order("FIRST", customer=NEW_CUSTOMER, shipping_address=OFFICE),
            order("SECOND", customer={"name": "Marta", "phone": "0034 699 111 222"}, shipping_address=OFFICE),
            order("THIRD", customer={"name": "Marta", "email": "MARTA@example.es"}),
        ],
        lookups(),
    )
    customer, office = plan.new_partners
    assert plan.new_customers == [customer] and plan.new_addresses == [office]
    assert customer.parent is None
    assert customer.keys == ("by_email:marta@example.es", "by_vat:ESB123", "by_phone:699111222")
    assert customer.values == {
        "type": "contact",
        "street": "Calle de Alcalá 42",
        "street2": False,
        "city": "Madrid",
        "zip": "28014",
        "country_id": SPAIN,
        "partner_latitude": 0.0,
        "partner_longitude": 0.0,
        "state_id": MADRID_STATE,
        "name": "Marta Ruiz",
        "email": "marta@example.es",
        "phone": "+34 699 111 222",
        "vat": "es-b.123",
        "company_id": False,
    }
    assert (office.parent, office.values["name"], office.values["street"]) == (customer, "Marta Ruiz", "Gran Vía 1")
    first, second, third = (plan.orders[position].customer for position in range(3))
    assert (first.partner, first.matched_by, first.delivery, first.delivery_by) == (customer, "new", office, "new")
    assert (second.partner, second.matched_by, second.delivery, second.delivery_by) == (
        customer,
        "phone",
        office,
        "known",
    )
    assert (third.partner, third.matched_by, third.delivery, third.delivery_by) == (
        customer,
        "email",
        customer,
        "customer",
    )


def test_new_customer_shipping_to_her_billing_street_under_another_name_gets_no_second_address():
    """The same street, zip and country is the same place: a gift sent to the buyer's own home under another name
    is delivered at her address, not at a copy of it."""
    home_for_someone_else = {**HOME, "name": "Pablo Ruiz", "phone": "+34 600 000 000"}
    plan = plan_batch([order("GIFT", customer=NEW_CUSTOMER, shipping_address=home_for_someone_else)], lookups())
    (customer,) = plan.new_partners
    planned = plan.orders[0].customer
    assert (planned.partner, planned.matched_by, planned.delivery, planned.delivery_by) == (
        customer,
        "new",
        customer,
        "customer",
    )


def test_an_order_the_plan_rejects_leaves_no_customer_behind():
    plan = plan_batch(
        [
            order("NO-CARRIER", customer=NEW_CUSTOMER, shipping={"method": "drone", "price": 3}),
            order("FINE", customer=NEW_CUSTOMER),
        ],
        lookups(),
    )
    error = plan.rejected[0]
    assert (error.category, error.reason, error.params) == (
        "unknown_shipping",
        "unmapped_shipping",
        {"method": "drone"},
    )
    assert plan.orders[1].customer.matched_by == "new", "the rejected order created nobody"
    assert len(plan.new_customers) == 1


@pytest.mark.parametrize(
    ("overrides", "category", "reason", "params"),
    [
        (
            {"lines": [{"sku": "KET-1", "quantity": 0.4, "unit_price": 1}]},
            "invalid_value",
            "quantity_below_unit",
            {"index": 0, "quantity": 0.4, "product_id": KETTLE},
        ),
        ({"currency": "GBP"}, "unknown_currency", "no_pricelist", {"currency": "GBP"}),
        ({"shipping": {"method": "drone", "price": 0}}, "unknown_shipping", "unmapped_shipping", {"method": "drone"}),
        (
            {"customer": NEW_CUSTOMER, "billing_address": {**HOME, "country_code": "XX"}},
            "unknown_country",
            "unknown_country",
            {"country_code": "XX"},
        ),
        (
            {"shipping_address": {**OFFICE, "country_code": "FR"}},
            "unknown_country",
            "unknown_country",
            {"country_code": "FR"},
        ),
    ],
)
def test_order_the_company_cannot_take_is_rejected_with_its_reason(overrides, category, reason, params):
    plan = plan_batch([order("GOOD"), order("BAD", **overrides)], lookups())
    assert list(plan.orders) == [0]
    error = plan.rejected[1]
    assert isinstance(error, PlanError)
    assert (error.category, error.reason, error.params) == (category, reason, params)


def test_unknown_products_are_all_named_before_any_other_problem():
    lines = [{"sku": "NOPE-1", "quantity": 1, "unit_price": 1}, {"barcode": "0000", "quantity": 1, "unit_price": 1}]
    plan = plan_batch([order(lines=lines, currency="GBP")], lookups())
    error = plan.rejected[0]
    assert isinstance(error, UnknownProductsError)
    assert str(error) == "unknown product(s): SKU NOPE-1, barcode 0000"


def test_pricelist_of_another_currency_and_default_carrier_are_planned_with_their_reasons():
    plan = plan_batch(
        [order(currency="USD", shipping={"method": "drone", "price": 5})], lookups(default_carrier_id=POST)
    )
    planned = plan.orders[0]
    assert (planned.pricelist_id, planned.pricelist_by) == (USD_PRICELIST, "currency")
    assert (planned.shipping.carrier_id, planned.shipping.mapped) == (POST, False)
    assert plan_batch([order(shipping={"price": 0})], lookups()).orders[0].shipping is None


def test_duplicate_and_cancelled_orders_create_nothing():
    plan = plan_batch(
        [order("ALREADY"), order("CANCELLED", status="cancelled", customer=NEW_CUSTOMER)],
        lookups(orders_by_ref={"ALREADY": 77}),
    )
    assert (plan.orders[0].action, plan.orders[0].sale_order_id) == ("duplicate", 77)
    assert plan.orders[1].action == "cancelled"
    assert not plan.new_partners


def test_customers_created_by_an_order_applied_alone_are_remembered_for_the_next():
    known = lookups()
    first = plan_batch([order("FIRST", customer=NEW_CUSTOMER, shipping_address=OFFICE)], known)
    customer, office = first.new_partners
    known.remember({customer: 900, office: 901})
    second = plan_batch(
        [order("SECOND", customer={"name": "M", "phone": "1", "vat": "ESB123"}, shipping_address=OFFICE)], known
    )
    assert not second.new_partners
    planned = second.orders[0].customer
    assert (planned.partner, planned.matched_by, planned.delivery, planned.delivery_by) == (900, "vat", 901, "known")


def test_state_is_found_by_code_or_name_without_case_and_left_empty_when_unknown():
    known = lookups()
    for state, expected in (("M", MADRID_STATE), ("barcelona", 440), ("Atlantis", False)):
        address = order(shipping_address={**OFFICE, "state": state}).shipping_address
        new_address = plan_delivery_address(address, known, LUCIA, "Lucía Fernández")
        assert isinstance(new_address, NewPartner)
        assert (new_address.parent, new_address.values["state_id"]) == (LUCIA, expected)
    office = order(shipping_address=OFFICE).shipping_address
    assert "state_id" not in plan_delivery_address(office, known, LUCIA, "Lucía Fernández").values
