"""The cart-event schema: what a channel sends when a customer fills, leaves or checks out a cart.

A cart event is a JSON object (a ``dict`` in Python), pushed to the same signed webhook as orders::

    {
      "event": "cart.added",                 # required: "cart.added", "cart.removed", "cart.abandoned" or
                                             #   "cart.ordered"
      "cart_id": "C-1",                      # required: the cart's id on the channel, unique per channel,
                                             #   a non-empty string of at most 64 characters (a number is accepted)
      "occurred_at": "2026-11-20T10:00:00Z", # optional ISO 8601 date-time (no offset means UTC); default: when the
                                             #   OMS receives it. Orders the events of a cart that arrive late.
      "customer": {                          # optional
        "email": "lucia@example.es",         #   optional; the abandoned-cart reminder goes there
        "name": "Lucía Fernández"            #   optional
      },
      "sku": "OMS-001",                      # cart.added / cart.removed: at least one of sku, barcode and
      "barcode": "8412345678905",            #   channel_product_id, matched like an order line's
      "channel_product_id": "B0001",
      "quantity": 2                          # cart.added / cart.removed: optional, > 0, default 1
    }

"cart.abandoned" and "cart.ordered" change the cart's state and ignore product and quantity. As in orders,
``null``, an absent key and an empty string all mean "not given", numbers may be numeric strings, and unknown keys
are ignored. :func:`parse_cart_event` raises :class:`ChannelOrderError` naming every problem at once.
"""

from dataclasses import dataclass
from datetime import datetime

from .payload import MAX_EXTERNAL_ID_LENGTH, ChannelOrderError
from .value_reader import ValueReader, show

EVENT_PREFIX = "cart."
LINE_EVENTS = ("cart.added", "cart.removed")
STATE_EVENTS = ("cart.abandoned", "cart.ordered")
CART_EVENTS = LINE_EVENTS + STATE_EVENTS


@dataclass(frozen=True, kw_only=True)
class CartEvent:
    event: str
    cart_id: str
    occurred_at: datetime | None = None
    email: str | None = None
    customer_name: str | None = None
    sku: str | None = None
    barcode: str | None = None
    channel_product_id: str | None = None
    quantity: float = 1.0

    @property
    def changes_lines(self) -> bool:
        return self.event in LINE_EVENTS


def is_cart_event(data) -> bool:
    """True for a payload meant as a cart event (even an invalid one), so it is never taken for an order."""
    return isinstance(data, dict) and isinstance(data.get("event"), str) and data["event"].startswith(EVENT_PREFIX)


def parse_cart_event(data: dict) -> CartEvent:
    """Validate a cart-event dict and return it typed; raises ChannelOrderError listing every problem."""
    if not isinstance(data, dict):
        raise ChannelOrderError("malformed", "cart event must be a JSON object")
    # The readers of orders give cart events the same leniency and the same messages.
    parser = ValueReader()
    event = parser.text(data, "event", "event", required=True)
    if event and event not in CART_EVENTS:
        allowed = ", ".join(f'"{name}"' for name in CART_EVENTS)
        parser.problem("invalid_value", f"event must be one of {allowed} (got {show(event)})")
    cart_id = parser.text(data, "cart_id", "cart_id", required=True, max_length=MAX_EXTERNAL_ID_LENGTH)
    occurred_at = parser.date(data, "occurred_at", "occurred_at")
    customer = parser.mapping(data, "customer", "customer", required=False) or {}
    email = parser.email(customer, "email", "customer.email")
    customer_name = parser.text(customer, "name", "customer.name")
    product_fields = {key: parser.text(data, key, key) for key in ("sku", "barcode", "channel_product_id")}
    quantity = 1.0
    if event in LINE_EVENTS:
        if not any(product_fields.values()):
            parser.problem("missing_field", f"{event} needs a sku, barcode or channel_product_id")
        quantity = parser.number(data, "quantity", "quantity", greater_than=0) or 1.0
    parser.raise_problems()
    return CartEvent(
        event=event,
        cart_id=cart_id,
        occurred_at=occurred_at,
        email=email,
        customer_name=customer_name,
        quantity=quantity,
        **product_fields,
    )
