"""What the local stand-ins for channel servers share: the OMS tests' local WSGI server, with the orders it serves."""

import functools
from datetime import datetime

from odoo.addons.oms_intelligent.tests.local_server import LocalWsgiServer as BaseLocalWsgiServer

from ..services.channel_order import parse_datetime


class LocalWsgiServer(BaseLocalWsgiServer):
    """Every channel server serves ``orders`` (guarded by ``self.lock``, as requests are served concurrently)."""

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
