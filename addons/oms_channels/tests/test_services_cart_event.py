"""The cart-event schema: what is accepted, and how each bad event is reported (plain pytest, no database)."""

from datetime import datetime, timezone

import pytest

from odoo.addons.oms_channels.services.cart_event import CartEvent, is_cart_event, parse_cart_event
from odoo.addons.oms_channels.services.channel_order import ChannelOrderError


def _event(**overrides):
    event = {
        "event": "cart.added",
        "cart_id": "C-1",
        "customer": {"email": "lucia@example.es", "name": "Lucía Fernández"},
        "sku": "OMS-001",
        "quantity": 2,
        "occurred_at": "2026-11-20T12:00:00+02:00",
    }
    event.update(overrides)
    return event


def test_added_event_parses_into_typed_values():
    event = parse_cart_event(_event(barcode="8412345678905", extra="ignored"))
    assert event == CartEvent(
        event="cart.added",
        cart_id="C-1",
        occurred_at=datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc),
        email="lucia@example.es",
        customer_name="Lucía Fernández",
        sku="OMS-001",
        barcode="8412345678905",
        quantity=2.0,
    )
    assert event.changes_lines


def test_optional_fields_default_and_numbers_are_accepted_as_text():
    event = parse_cart_event({"event": "cart.removed", "cart_id": 77, "channel_product_id": "B0001"})
    assert (event.cart_id, event.quantity, event.occurred_at, event.email) == ("77", 1.0, None, None)
    assert parse_cart_event(_event(quantity="3")).quantity == 3.0


@pytest.mark.parametrize("name", ["cart.abandoned", "cart.ordered"])
def test_state_events_need_no_product(name):
    event = parse_cart_event({"event": name, "cart_id": "C-1", "quantity": "not a number"})
    assert event.event == name
    assert not event.changes_lines
    assert event.sku is None


@pytest.mark.parametrize(
    ("overrides", "category", "message"),
    [
        ({"event": None}, "missing_field", "event is required"),
        ({"event": "cart.emptied"}, "invalid_value", 'event must be one of "cart.added"'),
        ({"cart_id": " "}, "missing_field", "cart_id is required"),
        ({"cart_id": "C" * 65}, "invalid_value", "cart_id must be at most 64 characters"),
        ({"sku": None}, "missing_field", "cart.added needs a sku, barcode or channel_product_id"),
        ({"quantity": 0}, "invalid_value", "quantity must be greater than 0"),
        ({"quantity": "two"}, "invalid_value", "quantity must be a number"),
        ({"occurred_at": "yesterday"}, "invalid_value", "occurred_at must be an ISO 8601 date-time"),
        ({"customer": {"email": "not-an-email"}}, "invalid_value", "customer.email is not an e-mail address"),
        ({"customer": "lucia"}, "malformed", "customer must be an object"),
    ],
)
def test_bad_events_are_refused_with_a_clear_message(overrides, category, message):
    with pytest.raises(ChannelOrderError) as caught:
        parse_cart_event(_event(**overrides))
    assert caught.value.category == category
    assert message in str(caught.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ChannelOrderError) as caught:
        parse_cart_event({"event": "cart.removed", "quantity": -1})
    assert [category for category, _message in caught.value.problems] == [
        "missing_field",
        "missing_field",
        "invalid_value",
    ]
    assert caught.value.category == "missing_field"


def test_non_object_event_is_malformed():
    with pytest.raises(ChannelOrderError) as caught:
        parse_cart_event(["cart.added"])
    assert caught.value.category == "malformed"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_event(), True),
        ({"event": "cart.anything"}, True),
        ({"external_id": "MK-1", "lines": []}, False),
        ({"event": "order.created"}, False),
        ({"event": 3}, False),
        (["cart.added"], False),
        (None, False),
    ],
)
def test_cart_events_are_told_from_orders(data, expected):
    assert is_cart_event(data) is expected
