"""The channel-order schema: what is accepted, and how each bad input is reported (plain pytest, no database)."""

import json
from datetime import datetime, timezone

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.payload import (
    MAX_JSON_DEPTH,
    MAX_PAYLOAD_BYTES,
    ChannelOrderError,
    clean_text,
    external_id_of,
    parse_payload,
    payload_fingerprint,
    storable_json,
)
from odoo.addons.oms_channels.services.value_reader import MAX_TEXT_LENGTH
from odoo.addons.oms_channels.stand_ins.orders import make_order


def test_valid_order_parses_into_typed_values():
    data = make_order("MK-1001", currency="eur", updated_at="2026-11-20T12:00:00+02:00")
    order = parse_channel_order(data)
    assert order.external_id == "MK-1001"
    assert order.currency == "EUR"
    assert order.updated_at == datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    assert order.order_date == datetime(2026, 11, 20, 9, 58, tzinfo=timezone.utc)
    assert order.status == "open"
    assert order.paid is True
    assert order.customer.email == "lucia.fernandez@example.es"
    assert order.billing_address.country_code == "ES"
    assert order.billing_address.latitude == pytest.approx(40.4189)
    assert order.shipping_address == order.billing_address, "shipping defaults to the billing address"
    (line,) = order.lines
    assert (line.sku, line.quantity, line.unit_price, line.discount) == ("OMS-001", 2.0, 24.5, 0.0)
    assert (order.shipping.method, order.shipping.price) == ("express", 4.9)
    assert order.raw is data


def test_numeric_strings_and_optional_fields_are_accepted():
    data = make_order(
        "MK-1002",
        lines=[{"barcode": "8412345678905", "quantity": "3", "unit_price": "9.90"}],
        customer={"name": "Tienda Sol", "phone": "+34 600 000 000"},
        status="Cancelled",
    )
    for key in ("updated_at", "paid", "shipping", "note"):
        del data[key]
    order = parse_channel_order(data)
    assert order.lines[0].quantity == 3.0 and order.lines[0].unit_price == 9.9
    assert order.updated_at == order.order_date, "updated_at defaults to order_date"
    assert order.status == "cancelled"
    assert order.paid is False
    assert order.shipping is None and order.note is None


def _without(path):
    def mutate(order):
        *parents, key = path
        target = order
        for parent in parents:
            target = target[parent]
        del target[key]

    return mutate


def _setting(path, value):
    def mutate(order):
        *parents, key = path
        target = order
        for parent in parents:
            target = target[parent]
        target[key] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "category", "expected"),
    [
        (_without(["external_id"]), "missing_field", "external_id is required"),
        (_setting(["external_id"], "X" * 65), "invalid_value", "external_id must be at most 64 characters"),
        (_without(["customer", "name"]), "missing_field", "customer.name is required"),
        (_setting(["customer"], "Lucía"), "malformed", "customer must be an object (got string)"),
        (_setting(["customer"], {"name": "No Contact"}), "missing_field", "customer.email or customer.phone"),
        (_setting(["customer", "email"], "not-an-email"), "invalid_value", "customer.email is not an e-mail"),
        (_setting(["lines"], []), "missing_field", "lines must contain at least one line"),
        (_without(["lines"]), "missing_field", "lines is required"),
        (_setting(["lines", 0, "quantity"], -2), "invalid_value", "lines[0].quantity must be greater than 0 (got -2)"),
        (_setting(["lines", 0, "quantity"], "two"), "invalid_value", 'lines[0].quantity must be a number (got "two")'),
        (_setting(["lines", 0, "unit_price"], -1), "invalid_value", "lines[0].unit_price must be at least 0"),
        (_setting(["lines", 0, "discount"], 120), "invalid_value", "lines[0].discount must be between 0 and 100"),
        (
            _setting(["lines", 0], {"name": "Mystery", "quantity": 1, "unit_price": 1}),
            "missing_field",
            "lines[0] needs a sku, barcode or channel_product_id",
        ),
        (_setting(["currency"], "EURO"), "invalid_value", "currency must be an ISO 4217 code"),
        (_setting(["currency"], "€"), "invalid_value", "currency must be an ISO 4217 code"),
        (_without(["currency"]), "missing_field", "currency is required"),
        (_setting(["billing_address", "country_code"], "ESP"), "invalid_value", "billing_address.country_code"),
        (_without(["billing_address", "city"]), "missing_field", "billing_address.city is required"),
        (_setting(["billing_address", "latitude"], 123), "invalid_value", "billing_address.latitude must be between"),
        (_setting(["updated_at"], "20/11/2026"), "invalid_value", "updated_at must be an ISO 8601 date-time"),
        (_setting(["status"], "shipped"), "invalid_value", 'status must be one of "open", "cancelled"'),
        (_setting(["paid"], "yes"), "invalid_value", "paid must be true or false"),
        (_setting(["shipping", "price"], -4.9), "invalid_value", "shipping.price must be at least 0"),
    ],
)
def test_each_bad_input_is_reported_with_its_category_and_field(mutate, category, expected):
    data = make_order("MK-BAD")
    mutate(data)
    with pytest.raises(ChannelOrderError) as caught:
        parse_channel_order(data)
    assert caught.value.category == category
    assert expected in str(caught.value)


def test_every_problem_of_an_order_is_listed_at_once():
    data = make_order("MK-BAD", currency="EURO", lines=[{"sku": "A", "quantity": 0, "unit_price": 1}])
    del data["customer"]["name"]
    with pytest.raises(ChannelOrderError) as caught:
        parse_channel_order(data)
    error = caught.value
    assert error.category == "invalid_value", "the category is the first problem's"
    assert [category for category, _message in error.problems] == ["invalid_value", "missing_field", "invalid_value"]
    assert str(error).split("; ") == [message for _category, message in error.problems]
    assert "lines[0].quantity must be greater than 0 (got 0)" in str(error)


def test_an_order_that_is_not_an_object_is_malformed():
    with pytest.raises(ChannelOrderError) as caught:
        parse_channel_order(["MK-1"])
    assert caught.value.category == "malformed"


def test_payload_is_decoded_from_bytes_or_text():
    data = make_order("MK-1")
    assert parse_payload(json.dumps(data).encode()) == data
    assert parse_payload(json.dumps(data, ensure_ascii=False)) == data


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b'{"external_id": "MK-1", "lines": [', "payload is not valid JSON: "),
        (b"\xff\xfe{not json", "payload is not valid JSON: "),
        (b"", "payload is not valid JSON: "),
        (b'["MK-1"]', "payload must be a JSON object (got array)"),
        (b'"MK-1"', "payload must be a JSON object (got string)"),
    ],
)
def test_malformed_payload_is_refused(payload, expected):
    with pytest.raises(ChannelOrderError) as caught:
        parse_payload(payload)
    assert caught.value.category == "malformed"
    assert str(caught.value).startswith(expected)


def test_byte_order_mark_is_ignored_in_the_body_and_in_the_text_staged_from_it():
    data = make_order("MK-BOM")
    body = b"\xef\xbb\xbf" + json.dumps(data).encode()
    assert parse_payload(body) == data
    assert parse_payload(body.decode("utf-8")) == data, "the staged text reads as the body did"


def test_payload_in_utf16_is_refused_not_read_differently_from_its_staged_text():
    with pytest.raises(ChannelOrderError) as caught:
        parse_payload(json.dumps(make_order("MK-UTF16")).encode("utf-16"))
    assert caught.value.category == "malformed"
    assert "utf-8" in str(caught.value)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 960, 5_000])
def test_payload_nested_deeper_than_the_limit_is_refused_whatever_the_stack(depth):
    # 960 levels: Python reads them near the top of a thread's stack, not deeper in it (the import's).
    extra = "[" * (depth - 1) + "]" * (depth - 1)
    body = json.dumps(make_order("MK-DEEP", extra="__")).replace('"__"', extra).encode()
    with pytest.raises(ChannelOrderError) as caught:
        parse_payload(body)
    assert caught.value.category == "malformed"
    assert str(caught.value) == f"payload is nested more than {MAX_JSON_DEPTH} levels deep"


def test_payload_nested_up_to_the_limit_is_read():
    extra = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    body = json.dumps(make_order("MK-DEEP", extra="__")).replace('"__"', extra).encode()
    assert parse_payload(body)["external_id"] == "MK-DEEP"


def test_oversize_payload_is_refused_before_decoding():
    payload = json.dumps(make_order("MK-HUGE", note="x" * MAX_PAYLOAD_BYTES))
    with pytest.raises(ChannelOrderError) as caught:
        parse_payload(payload)
    assert caught.value.category == "too_large"
    assert str(MAX_PAYLOAD_BYTES) in str(caught.value)


def test_external_id_is_found_even_in_an_invalid_order():
    assert external_id_of({"external_id": " MK-7 ", "lines": "garbage"}) == "MK-7"
    assert external_id_of({"external_id": 1234}) == "1234"
    assert external_id_of({"external_id": ""}) is None
    assert external_id_of({"external_id": {"id": 1}}) is None
    assert external_id_of({"lines": []}) is None
    assert external_id_of(["MK-7"]) is None


def test_fingerprint_ignores_key_order_and_detects_changes():
    data = make_order("MK-1")
    reordered = json.loads(json.dumps(data, sort_keys=True))
    reordered["customer"] = dict(reversed(list(reordered["customer"].items())))
    assert list(reordered) != list(data)
    assert payload_fingerprint(reordered) == payload_fingerprint(data)
    assert len(payload_fingerprint(data)) == 64
    changed = make_order("MK-1", status="cancelled")
    assert payload_fingerprint(changed) != payload_fingerprint(data)


def test_control_characters_are_removed_and_their_fields_listed():
    data = make_order("MK-NUL", note="Leave it\twith the\x00 neighbour\r\nPlease\x1b[31m")
    data["customer"]["name"] = "Lu\x00cía\nFernández\x07"
    data["billing_address"]["street"] = "Calle \ud800de Alcalá 42\x85"
    order = parse_channel_order(data)
    assert order.customer.name == "Lucía Fernández", "one-line text: a line break becomes a space"
    assert order.note == "Leave it\twith the neighbour\nPlease[31m", "a note keeps its tabs and newlines"
    assert order.billing_address.street == "Calle \ufffdde Alcalá 42", "a lone surrogate cannot be stored as UTF-8"
    assert order.cleaned == ("customer.name", "billing_address.street", "note")


def test_clean_text_and_storable_json_give_text_postgresql_takes():
    assert clean_text("a\x00b\x7fc\x9fd") == "abcd"
    text = storable_json({"name": "x\ud800y\x00"})
    text.encode("utf-8")  # no lone surrogate left
    assert json.loads(text) == {"name": "x\ud800y\x00"}, "the same data comes back"


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", float("inf"), float("nan"), 1e308, "1e400", "1e22"])
def test_numbers_must_be_finite_and_of_a_sane_size(value):
    with pytest.raises(ChannelOrderError) as error:
        parse_channel_order(make_order("MK-INF", lines=[{"sku": "OMS-001", "quantity": value, "unit_price": 1}]))
    assert error.value.category == "invalid_value"
    assert "lines[0].quantity" in str(error.value)


def test_huge_but_finite_quantity_is_accepted_for_the_channel_limits_to_hold():
    order = parse_channel_order(
        make_order("MK-BIG", lines=[{"sku": "OMS-001", "quantity": 12345678901234567890, "unit_price": 1}])
    )
    assert order.lines[0].quantity == pytest.approx(1.2345678901234567e19)


def test_overlong_text_is_refused_with_its_length():
    data = make_order("MK-LONG")
    data["customer"]["name"] = "x" * (MAX_TEXT_LENGTH + 1)
    with pytest.raises(ChannelOrderError, match="customer.name must be at most 1000 characters"):
        parse_channel_order(data)
    data = make_order("MK-NOTE", note="y" * (MAX_TEXT_LENGTH * 5))
    assert len(parse_channel_order(data).note) == MAX_TEXT_LENGTH * 5, "a note may be longer"
