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

from collections import namedtuple
from datetime import datetime, timezone

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from ..services.channel_order import parse_datetime
from .orders import OrdersServed, order_updated_at

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


class LocalMarketplace(OrdersServed, LocalJsonServer):
    def __init__(self, api_key: str = "test-key", shop: str = "Local Market", per_page_max: int = 100):
        super().__init__()
        self.api_key = api_key
        self.shop = shop
        self.per_page_max = per_page_max
        self.stock_updates: list[list[dict]] = []
        self.shipments: list[tuple[str, dict]] = []
        self.requests: list[RecordedRequest] = []
        self._broken_json = 0

    # --- set-up and failure injection -----------------------------------------------------------------------------

    def serve_broken_json_next(self, n: int) -> None:
        """The next n requests answer 200 with a truncated JSON body."""
        with self.lock:
            self._broken_json += n

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, request.args.to_dict()))
        failure = self._injected_failure()
        if failure:
            return failure
        with self.lock:
            broken = self._broken_json > 0
            if broken:
                self._broken_json -= 1
        if broken:
            return Response('{"orders": [{"external_id": "MK-', status=200, mimetype="application/json")
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return json_response({"error": "invalid API key"}, 401)
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return json_response({"error": exc.description or exc.name}, exc.code)
        return getattr(self, f"_serve_{endpoint}")(request, **arguments)

    def _serve_ping(self, request: Request) -> Response:
        return json_response({"ok": True, "shop": self.shop})

    def _serve_orders(self, request: Request) -> Response:
        try:
            since = parse_datetime(request.args["since"]) if request.args.get("since") else None
            page = int(request.args.get("page", 1))
            per_page = min(max(int(request.args.get("per_page", self.per_page_max)), 1), self.per_page_max)
        except ValueError as exc:
            return json_response({"error": f"bad query: {exc}"}, 400)
        if page < 1:
            return json_response({"error": "page starts at 1"}, 400)
        with self.lock:
            orders = list(self.orders)
        timed = [(order_updated_at(order), order) for order in orders]
        selected = [(at, order) for at, order in timed if since is None or at is None or at > since]
        selected.sort(key=lambda pair: (pair[0] or _OLDEST, _external_id(pair[1])))
        start = (page - 1) * per_page
        page_orders = [order for _at, order in selected[start : start + per_page]]
        next_page = page + 1 if start + per_page < len(selected) else None
        return json_response({"orders": page_orders, "page": page, "next_page": next_page})

    def _serve_stock(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(_is_stock_item(item) for item in items):
            return json_response({"error": 'expected {"items": [{"sku": str, "quantity": number}]}'}, 400)
        with self.lock:
            self.stock_updates.append(items)
        return json_response({"updated": len(items)})

    def _serve_shipments(self, request: Request, external_id: str) -> Response:
        body = request.get_json(silent=True)
        if not (isinstance(body, dict) and body.get("carrier") and body.get("tracking_number")):
            return json_response({"error": "carrier and tracking_number are required"}, 400)
        with self.lock:
            if not any(_external_id(order) == external_id for order in self.orders):
                return json_response({"error": f"unknown order {external_id}"}, 404)
            self.shipments.append((external_id, body))
        return json_response({"ok": True})


def _external_id(order: dict) -> str:
    return str(order.get("external_id")) if isinstance(order, dict) else ""


def _is_stock_item(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("sku"), str)
        and isinstance(item.get("quantity"), int | float)
        and not isinstance(item.get("quantity"), bool)
    )
