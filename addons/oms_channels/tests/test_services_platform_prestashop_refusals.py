"""PrestaShop payloads missing what the mapping needs, or holding the wrong types, refused by PrestaShop's own
path (plain pytest, no database)."""

import pytest

from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms.prestashop import map_order

from .test_services_platform_prestashop import payload_of


def _error(payload: dict) -> ChannelOrderError:
    with pytest.raises(ChannelOrderError) as caught:
        map_order(payload)
    return caught.value


def test_a_row_without_reference_barcode_or_product_id_names_its_field():
    payload = payload_of("101")
    row = payload["order"]["associations"]["order_rows"][1]
    row.update(product_reference="", product_ean13="", product_upc="", product_id="0", product_attribute_id="0")
    error = _error(payload)
    assert error.category == "missing_field"
    assert error.message == (
        "order.associations.order_rows[1].product_reference empty, no product_ean13 or product_upc and no product_id"
    )


def test_a_row_with_only_its_product_id_is_mapped():
    payload = payload_of("101")
    payload["order"]["associations"]["order_rows"][0].update(product_reference="", product_ean13="")
    line = map_order(payload)["lines"][0]
    assert (line["sku"], line["barcode"], line["channel_product_id"]) == (None, None, "12")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: p.update(customers=[]), "order.id_customer is 1 but customers/1 is not among the documents fetched"),
        (lambda p: p["order"].update(id_currency="0"), "order.id_currency is empty"),
        (
            lambda p: p.update(order_details=p["order_details"][:1]),
            "order.associations.order_rows[1].id is 1002 but order_details/1002 is not among the documents fetched",
        ),
        (
            lambda p: p.update(countries=[]),
            "addresses/11.id_country is 6 but countries/6 is not among the documents fetched",
        ),
        (lambda p: p.update(order_cart_rules=[]), "order.total_discounts_tax_incl is 5.00 but the order_cart_rules"),
        (
            lambda p: p["order"]["associations"]["order_rows"][0].update(product_quantity=""),
            "order.associations.order_rows[0].product_quantity is empty",
        ),
        (
            lambda p: p["order"].update(total_paid_tax_incl="85,71"),
            "order.total_paid_tax_incl is not a number (got '85,71')",
        ),
        (lambda p: p["order"]["associations"].update(order_rows=[]), "order.associations.order_rows is empty"),
        (
            lambda p: p["taxes"].clear(),
            "order_details/1001.associations.taxes[0].id is 1 but taxes/1 is not among the documents fetched",
        ),
    ],
)
def test_missing_documents_and_fields_name_prestashops_own_path(spoil, message):
    payload = payload_of("101")
    spoil(payload)
    assert message in _error(payload).message


def test_a_payload_without_an_order_is_malformed():
    assert _error({"orders": []}).category == "malformed"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda p: p["order_details"][0]["associations"]["taxes"].__setitem__(0, "abc"),
            "order_details/1001.associations.taxes[0] must be a document (got string)",
        ),
        (lambda p: p.update(currencies="EUR"), "currencies must be a list of documents (got string)"),
        (lambda p: p["order_states"].__setitem__(0, 1.5), "order_states[0] must be a document (got number)"),
        (
            lambda p: p["order"].update(total_discounts_tax_incl="NaN"),
            "order.total_discounts_tax_incl is not a number (got 'NaN')",
        ),
        (
            lambda p: p["order"].update(total_paid_tax_incl="1e308"),
            "order.total_paid_tax_incl is out of range (got '1e308')",
        ),
    ],
)
def test_a_wrong_typed_document_or_number_is_refused_by_its_prestashop_path(spoil, message):
    payload = payload_of("101")
    spoil(payload)
    assert _error(payload).message == message
