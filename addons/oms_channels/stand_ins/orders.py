"""What the local stand-ins for channel servers share: the orders they serve, and a valid channel order to serve.

``OrdersServed`` is a mixin of a local server (oms_intelligent's ``stand_ins/http_server.py``), so that a REST and a
SOAP stand-in can both serve orders.
"""

import copy
import functools
from datetime import datetime

from ..services.channel_order import parse_datetime


class OrdersServed:
    """A channel server's ``orders`` (guarded by ``self.lock``, as requests are served concurrently)."""

    def __init__(self):
        super().__init__()
        self.orders: list[dict] = []

    def add_order(self, order: dict) -> dict:
        with self.lock:
            self.orders.append(order)
        return order

    def add_orders(self, orders: list[dict]) -> None:
        with self.lock:
            self.orders.extend(orders)


def make_order(external_id: str, currency: str = "EUR", lines: list[dict] | None = None, **overrides) -> dict:
    """A valid channel order (Spanish customer with e-mail, Madrid address with coordinates, one kettle line);
    ``overrides`` replace top-level keys, e.g. ``make_order("MK-1", updated_at="...", customer={...})``."""
    order = {
        "external_id": external_id,
        "order_date": "2026-11-20T09:58:00Z",
        "updated_at": "2026-11-20T10:00:00Z",
        "status": "open",
        "currency": currency,
        "paid": True,
        "customer": {
            "name": "Lucía Fernández",
            "email": "lucia.fernandez@example.es",
            "phone": "+34 612 345 678",
            "vat": "ES12345678Z",
            "lang": "es_ES",
        },
        "billing_address": {
            "name": "Lucía Fernández",
            "street": "Calle de Alcalá 42",
            "street2": "3º B",
            "city": "Madrid",
            "zip": "28014",
            "state": "Madrid",
            "country_code": "ES",
            "latitude": 40.4189,
            "longitude": -3.6966,
            "phone": "+34 612 345 678",
            "email": "lucia.fernandez@example.es",
        },
        "lines": lines
        if lines is not None
        else [
            {
                "sku": "OMS-001",
                "barcode": "8412345678905",
                "channel_product_id": "B0001",
                "name": "Kettle",
                "quantity": 2,
                "unit_price": 24.5,
                "discount": 0,
            }
        ],
        "shipping": {"method": "express", "price": 4.9},
        "note": "Leave it with the concierge",
    }
    order.update(overrides)
    return copy.deepcopy(order)


def order_updated_at(order) -> datetime | None:
    """When a served order last changed (updated_at, else order_date); None when unreadable."""
    value = (order.get("updated_at") or order.get("order_date")) if isinstance(order, dict) else None
    return _parse_time(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=65536)
def _parse_time(text: str) -> datetime | None:
    """Cached: every page request sorts all orders, and benchmarks serve thousands of them."""
    try:
        return parse_datetime(text)
    except ValueError:
        return None
