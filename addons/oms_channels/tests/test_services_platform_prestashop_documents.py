"""PrestaShop webservice documents read into plain dicts, and the payload of one order (plain pytest, no
database)."""

import pytest

from odoo.addons.oms_channels.services.platforms.prestashop_documents import WebserviceDocumentError, read_document

from .test_services_platform_prestashop import payload_of, read


def test_order_document_reads_fields_associations_and_multilingual_values():
    order = read("order_101.xml")["order"]
    assert order["id"] == "101"
    assert order["id_customer"] == "1", "xlink:href attributes are dropped, the text kept"
    assert order["note"] == "" and order["gift_message"] == ""
    rows = order["associations"]["order_rows"]
    assert [row["id"] for row in rows] == ["1001", "1002"]
    assert rows[1]["product_name"] == "Tostadora 2 ranuras - Color : Rojo"
    (state,) = (state for state in read("order_states.xml")["order_states"] if state["id"] == "6")
    assert state["name"] == {"1": "Cancelado"}
    (detail,) = (detail for detail in read("order_details.xml")["order_details"] if detail["id"] == "1002")
    assert detail["associations"]["taxes"] == [{"id": "1"}]


def test_list_pages_read_as_lists_and_an_empty_page_as_an_empty_list():
    assert [order["id"] for order in read("orders_page_1.xml")["orders"]] == ["101", "103", "102"]
    assert [order["id"] for order in read("orders_page_2.xml")["orders"]] == ["104"]
    assert read("orders_page_3_empty.xml") == {"orders": []}
    assert read("order_cart_rules.xml")["order_cart_rules"][0]["name"] == "Bienvenida 5 € (BIENVENIDA5)"
    short = read_document('<prestashop><orders><order id="1" href="x"/><order id="2"/></orders></prestashop>')
    assert short == {"orders": [{"id": "1"}, {"id": "2"}]}, "a list without display=full"


def test_error_documents_and_html_pages_are_refused():
    with pytest.raises(WebserviceDocumentError, match="PrestaShop error 26") as caught:
        read("error_401_resource_not_allowed.xml")
    assert caught.value.errors[0][0] == "26"
    with pytest.raises(WebserviceDocumentError, match="root element <html>"):
        read_document("<html><body><h1>Maintenance</h1></body></html>")
    with pytest.raises(WebserviceDocumentError, match="not an XML document"):
        read_document("<!DOCTYPE html><html><body>Login")


def test_entities_are_not_expanded():
    xml = (
        '<?xml version="1.0"?><!DOCTYPE prestashop [<!ENTITY secret SYSTEM "file:///etc/passwd">'
        '<!ENTITY big "AAAAAAAAAA">]><prestashop><order><id>1</id><note>&secret;&big;</note></order></prestashop>'
    )
    order = read_document(xml)["order"]
    assert order["id"] == "1"
    assert "root" not in order["note"] and "AAAA" not in order["note"]


def test_order_payload_keeps_only_what_the_order_references():
    payload = payload_of("103")
    assert [customer["id"] for customer in payload["customers"]] == ["3"]
    assert [address["id"] for address in payload["addresses"]] == ["14"]
    assert [detail["id"] for detail in payload["order_details"]] == ["1005", "1006"]
    assert [slip["id"] for slip in payload["order_slips"]] == ["41"]
    assert {state["id"] for state in payload["order_states"]} == {"2", "4", "5"}
    assert [tax["id"] for tax in payload["taxes"]] == ["3"]
    assert payload["cart_rules"] == [] and payload["shop_currency"] == "EUR"
