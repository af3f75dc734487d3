"""A local marketplace serving the REST API of services/rest_connector.py, for tests and benchmarks::

    with LocalMarketplace() as market:
        market.add_orders([make_order("MK-1"), make_order("MK-2", updated_at="2026-11-21T08:00:00Z")])
        market.fail_next(2, status=503)
        connector = RestConnector(market.url, market.api_key)
        ...
        assert market.stock_updates == [[{"sku": "OMS-001", "quantity": 12.0}]]

Orders are served as given, even invalid ones (to test quarantine); an order whose updated_at (or order_date)
cannot be read is served whatever ``since`` says, first.
"""

import copy
import json
import time
from collections import namedtuple
from datetime import datetime, timezone

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..services.channel_order import parse_datetime
from .local_server import LocalWsgiServer, order_updated_at

RecordedRequest = namedtuple("RecordedRequest", "method path query")

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)
_URLS = Map(
    [
        Rule("/ping", endpoint="ping", methods=["GET"]),
        Rule("/orders", endpoint="orders", methods=["GET"]),
        Rule("/stock", endpoint="stock", methods=["POST"]),
        Rule("/orders/<path:external_id>/shipments", endpoint="shipments", methods=["POST"]),
    ]
)


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


class LocalMarketplace(LocalWsgiServer):
    def __init__(self, api_key: str = "test-key", shop: str = "Local Market", per_page_max: int = 100):
        super().__init__()
        self.api_key = api_key
        self.shop = shop
        self.per_page_max = per_page_max
        self.stock_updates: list[list[dict]] = []
        self.shipments: list[tuple[str, dict]] = []
        self.requests: list[RecordedRequest] = []
        self._failures: list[int] = []  # one status per upcoming request
        self._broken_json = 0

    # --- set-up and failure injection -----------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 500) -> None:
        """The next n requests answer this status (before authentication, like a failing proxy)."""
        with self.lock:
            self._failures.extend([status] * n)

    def serve_broken_json_next(self, n: int) -> None:
        """The next n requests answer 200 with a truncated JSON body."""
        with self.lock:
            self._broken_json += n

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, request.args.to_dict()))
            delay = self._next_delay()
            failure = self._failures.pop(0) if self._failures else None
            broken = self._broken_json > 0
            if broken:
                self._broken_json -= 1
        if delay:
            time.sleep(delay)
        if failure:
            return _json_response({"error": "injected failure"}, failure)
        if broken:
            return Response('{"orders": [{"external_id": "MK-', status=200, mimetype="application/json")
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _json_response({"error": "invalid API key"}, 401)
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return _json_response({"error": exc.description or exc.name}, exc.code)
        return getattr(self, f"_serve_{endpoint}")(request, **arguments)

    def _serve_ping(self, request: Request) -> Response:
        return _json_response({"ok": True, "shop": self.shop})

    def _serve_orders(self, request: Request) -> Response:
        try:
            since = parse_datetime(request.args["since"]) if request.args.get("since") else None
            page = int(request.args.get("page", 1))
            per_page = min(max(int(request.args.get("per_page", self.per_page_max)), 1), self.per_page_max)
        except ValueError as exc:
            return _json_response({"error": f"bad query: {exc}"}, 400)
        if page < 1:
            return _json_response({"error": "page starts at 1"}, 400)
        with self.lock:
            orders = list(self.orders)
        timed = [(order_updated_at(order), order) for order in orders]
        selected = [(at, order) for at, order in timed if since is None or at is None or at > since]
        selected.sort(key=lambda pair: (pair[0] or _OLDEST, _external_id(pair[1])))
        start = (page - 1) * per_page
        page_orders = [order for _at, order in selected[start : start + per_page]]
        next_page = page + 1 if start + per_page < len(selected) else None
        return _json_response({"orders": page_orders, "page": page, "next_page": next_page})

    def _serve_stock(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(_is_stock_item(item) for item in items):
            return _json_response({"error": 'expected {"items": [{"sku": str, "quantity": number}]}'}, 400)
        with self.lock:
            self.stock_updates.append(items)
        return _json_response({"updated": len(items)})

    def _serve_shipments(self, request: Request, external_id: str) -> Response:
        body = request.get_json(silent=True)
        if not (isinstance(body, dict) and body.get("carrier") and body.get("tracking_number")):
            return _json_response({"error": "carrier and tracking_number are required"}, 400)
        with self.lock:
            if not any(_external_id(order) == external_id for order in self.orders):
                return _json_response({"error": f"unknown order {external_id}"}, 404)
            self.shipments.append((external_id, body))
        return _json_response({"ok": True})


def _external_id(order: dict) -> str:
    return str(order.get("external_id")) if isinstance(order, dict) else ""


def _is_stock_item(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("sku"), str)
        and isinstance(item.get("quantity"), int | float)
        and not isinstance(item.get("quantity"), bool)
    )


def _json_response(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")
