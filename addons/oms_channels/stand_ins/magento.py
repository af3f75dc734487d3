"""A local Magento 2 / Adobe Commerce REST (V1) shop, as ``tests/fixtures/platforms/magento/API.md`` documents it::

    with LocalMagento(access_token="tok") as shop:
        shop.add_orders([json.loads(path.read_text()) for path in fixture_orders])   # GET /V1/orders/{id} shape
        shop.throttle_next(1)                                # 429 {"message":"Too Many Requests","trace":null}
        ...
        assert shop.shipments == [(101, {"items": [...], "tracks": [...]})]

- paths ``/rest/V1/...`` and ``/rest/<store_code>/V1/...`` (the store code is recorded, not used);
- ``Authorization: Bearer <access token>`` (the integration token with "Allow OAuth Access Tokens to be used as
  standalone Bearer tokens" on); anything else, or ``bearer_enabled=False``, is refused with 401
  ``{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"<ACL>"}}``;
- ``GET /V1/orders`` with ``searchCriteria[filter_groups][g][filters][f][field|value|condition_type]`` (camelCase
  too; filters in a group OR, groups AND), ``searchCriteria[sortOrders][i][field|direction]`` (default DESC),
  ``searchCriteria[pageSize]``/``[currentPage]`` (no pageSize: everything; a page past the end answers the last page
  again, as Magento's collections clamp it); answers ``{"items", "search_criteria", "total_count"}``;
- push-backs recorded: ``POST /V1/inventory/source-items`` (``source_item_updates``, answers ``[]``),
  ``POST /V1/order/<id>/ship`` (``shipments``, answers the shipment id; the order's ``qty_shipped`` rise and a fully
  shipped invoiced order becomes ``complete``), ``POST /V1/order/<id>/refund`` (``refunds``, answers the credit memo
  id; refused on an order never invoiced);
- on demand: ``throttle_next`` (429 as the backpressure limiter answers, or a front end's 503 with Retry-After),
  ``fail_next`` (500 in Magento's error shape), ``html_next`` (an HTML maintenance page), ``delay_next``.

Unconfirmed (API.md): the ACL names, and the page-size refusal's code and message (``max_page_size``).
"""

import copy
import itertools
import re
import time
from collections import namedtuple
from datetime import datetime, timezone

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .orders import OrdersServed

RecordedRequest = namedtuple("RecordedRequest", "method path query store_code")

_ACL = {
    "orders": "Magento_Sales::actions_view",
    "source_items": "Magento_InventoryApi::source_item",
    "ship": "Magento_Sales::ship",
    "refund": "Magento_Sales::creditmemo",
}
_ROUTES = [
    ("/orders", "orders", "GET"),
    ("/inventory/source-items", "source_items", "POST"),
    ("/order/<int:order_id>/ship", "ship", "POST"),
    ("/order/<int:order_id>/refund", "refund", "POST"),
]
_URLS = Map(
    [Rule(f"/rest/V1{path}", endpoint=endpoint, methods=[method]) for path, endpoint, method in _ROUTES]
    + [Rule(f"/rest/<store_code>/V1{path}", endpoint=endpoint, methods=[method]) for path, endpoint, method in _ROUTES]
)
_KEY = re.compile(r"^searchCriteria((?:\[[^\]]*\])+)$")
_CAMEL = {
    "filterGroups": "filter_groups",
    "conditionType": "condition_type",
    "sortOrders": "sort_orders",
    "pageSize": "page_size",
    "currentPage": "current_page",
}
_CONDITIONS = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gteq": lambda a, b: a >= b,
    "from": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lteq": lambda a, b: a <= b,
    "to": lambda a, b: a <= b,
}
_MAINTENANCE_PAGE = (
    "<!doctype html><html><head><title>Service Temporarily Unavailable</title></head><body>"
    "<h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request due to "
    "maintenance downtime or capacity problems. Please try again later.</p></body></html>"
)
_NO_ENTITY = "The entity that was requested doesn't exist. Verify the entity and try again."


class SearchCriteriaError(ValueError):
    pass


class LocalMagento(OrdersServed, LocalJsonServer):
    def __init__(self, access_token: str = "magento-integration-token", bearer_enabled: bool = True, max_page_size=300):
        super().__init__()
        self.access_token = access_token
        self.bearer_enabled = bearer_enabled
        self.max_page_size = max_page_size  # None: Web API input limits off
        self.requests: list[RecordedRequest] = []
        self.source_item_updates: list[list[dict]] = []
        self.shipments: list[tuple[int, dict]] = []
        self.refunds: list[tuple[int, dict]] = []
        self._throttles: list[tuple[int, int | None]] = []
        self._html_pages: list[int] = []
        self._ids = itertools.count(1)

    # --- set-up and failure injection -----------------------------------------------------------------------------

    def add_order(self, order: dict) -> dict:
        return super().add_order(copy.deepcopy(order))

    def add_orders(self, orders: list[dict]):
        return super().add_orders(copy.deepcopy(orders))

    def order(self, entity_id: int) -> dict | None:
        with self.lock:
            return next((order for order in self.orders if order.get("entity_id") == entity_id), None)

    def throttle_next(self, n: int, status: int = 429, retry_after: int | None = None) -> None:
        """The next n requests are throttled: 429 as Magento's backpressure limiter answers (no Retry-After), or,
        with ``status=503``/``retry_after``, as a hosting front end (Fastly, nginx) does."""
        with self.lock:
            self._throttles.extend([(status, retry_after)] * n)

    def html_next(self, n: int, status: int = 503) -> None:
        """The next n requests answer an HTML maintenance page (maintenance mode, a WAF)."""
        with self.lock:
            self._html_pages.extend([status] * n)

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            endpoint, arguments = None, {}
            routing_error = error_response("Request does not match any route.", exc.code or 404)
        store_code = arguments.pop("store_code", None)
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, request.args.to_dict(), store_code))
        refusal = self._injected_refusal()
        if refusal:
            return refusal
        if endpoint is None:
            return routing_error
        if not self.bearer_enabled or request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return json_response(
                {
                    "message": "The consumer isn't authorized to access %resources.",
                    "parameters": {"resources": _ACL[endpoint]},
                },
                401,
            )
        return getattr(self, f"_serve_{endpoint}")(request, **arguments)

    def _injected_refusal(self) -> Response | None:
        with self.lock:
            delay = self._next_delay()
            failure = self._failures.pop(0) if self._failures else None
            throttle = self._throttles.pop(0) if not failure and self._throttles else None
            html = self._html_pages.pop(0) if not (failure or throttle) and self._html_pages else None
        if delay:
            time.sleep(delay)
        if failure:
            return error_response(failure[1], failure[0])
        if throttle:
            status, retry_after = throttle
            response = json_response({"message": "Too Many Requests", "trace": None}, status)
            response.headers["Pragma"] = "no-cache"
            response.headers["Cache-Control"] = "no-store"
            if retry_after is not None:
                response.headers["Retry-After"] = str(retry_after)
            return response
        if html:
            return Response(_MAINTENANCE_PAGE, status=html, mimetype="text/html")
        return None

    def _serve_orders(self, request: Request) -> Response:
        try:
            criteria = parse_search_criteria(request.args)
            matching = search(self.orders_snapshot(), criteria)
        except SearchCriteriaError as exc:
            return error_response(str(exc), 400)
        page_size = criteria.get("page_size")
        if page_size is not None and self.max_page_size is not None and page_size > self.max_page_size:
            return error_response("Maximum SearchCriteria pageSize is %max", 400, {"max": self.max_page_size})
        items = matching
        if page_size:
            last_page = max(1, -(-len(matching) // page_size))
            page = min(max(criteria.get("current_page") or 1, 1), last_page)
            items = matching[(page - 1) * page_size : page * page_size]
        return json_response({"items": items, "search_criteria": criteria, "total_count": len(matching)})

    def orders_snapshot(self) -> list[dict]:
        with self.lock:
            return copy.deepcopy(self.orders)

    def _serve_source_items(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        items = body.get("sourceItems") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items or not all(_is_source_item(item) for item in items):
            return error_response('"sourceItems" is required: [{"sku", "source_code", "quantity", "status"}]', 400)
        with self.lock:
            self.source_item_updates.append(items)
        return json_response([])

    def _serve_ship(self, request: Request, order_id: int) -> Response:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        with self.lock:
            order = self.order(order_id)
            if order is None:
                return error_response(_NO_ENTITY, 404)
            if order.get("state") in ("canceled", "closed", "holded", "complete"):
                return error_response(
                    "Shipment Document Validation Error(s):\nA shipment cannot be created when an order has a status "
                    "of %1",
                    400,
                    [order.get("status")],
                )
            items = {item.get("item_id"): item for item in order.get("items", [])}
            wanted = body.get("items") or [
                {"order_item_id": item_id, "qty": _qty_to_ship(item)}
                for item_id, item in items.items()
                if not item.get("parent_item_id") and _qty_to_ship(item) > 0
            ]
            for line in wanted:
                item = items.get(line.get("order_item_id"))
                if item is None or not (0 < float(line.get("qty") or 0) <= _qty_to_ship(item)):
                    return error_response(
                        "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.",
                        400,
                    )
            for line in wanted:
                items[line["order_item_id"]]["qty_shipped"] = (
                    items[line["order_item_id"]].get("qty_shipped", 0) + line["qty"]
                )
            top = [item for item in items.values() if not item.get("parent_item_id")]
            if all(_qty_to_ship(item) <= 0 for item in top) and order.get("total_invoiced"):
                order["state"] = order["status"] = "complete"
            order["updated_at"] = _now()
            self.shipments.append((order_id, body))
            return json_response(next(self._ids))

    def _serve_refund(self, request: Request, order_id: int) -> Response:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        with self.lock:
            order = self.order(order_id)
            if order is None:
                return error_response(_NO_ENTITY, 404)
            if not order.get("total_invoiced") or order.get("state") in ("closed", "canceled"):
                return error_response("We can't create creditmemo for the order.", 400)
            order["updated_at"] = _now()
            self.refunds.append((order_id, body))
            return json_response(next(self._ids))


def error_response(message: str, status: int, parameters=None) -> Response:
    """Magento's error shape (``error-response`` in the schema); ``trace`` only in developer mode, so absent."""
    return json_response({"message": message, "parameters": parameters if parameters is not None else []}, status)


def parse_search_criteria(args) -> dict:
    """``searchCriteria[...]`` query keys into the snake_case ``search_criteria`` Magento echoes."""
    tree: dict = {}
    for key, value in args.items(multi=False):
        match = _KEY.match(key)
        if not match:
            continue
        parts = [_CAMEL.get(part, part) for part in re.findall(r"\[([^\]]*)\]", match.group(1))]
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise SearchCriteriaError(f'"{key}" is not a valid search criteria key')
        node[parts[-1]] = value
    criteria: dict = {"filter_groups": []}
    for _g, group in sorted(tree.get("filter_groups", {}).items(), key=lambda pair: _index(pair[0])):
        filters = []
        for _f, spec in sorted(group.get("filters", {}).items(), key=lambda pair: _index(pair[0])):
            if not spec.get("field"):
                raise SearchCriteriaError('"field" is required in a filter.')
            filters.append(
                {
                    "field": spec["field"],
                    "value": spec.get("value", ""),
                    "condition_type": spec.get("condition_type", "eq"),
                }
            )
        criteria["filter_groups"].append({"filters": filters})
    sort_orders = [
        {"field": spec.get("field"), "direction": (spec.get("direction") or "DESC").upper()}
        for _i, spec in sorted(tree.get("sort_orders", {}).items(), key=lambda pair: _index(pair[0]))
    ]
    if sort_orders:
        criteria["sort_orders"] = sort_orders
    for name in ("page_size", "current_page"):
        if name in tree:
            criteria[name] = _index(tree[name])
    return criteria


def search(orders: list[dict], criteria: dict) -> list[dict]:
    """The orders that pass every filter group (one filter of the group suffices), sorted as asked (entity_id when
    no sort order is given, like the collection's primary key)."""
    selected = [
        order for order in orders if all(_passes(order, group["filters"]) for group in criteria["filter_groups"])
    ]
    selected.sort(key=lambda order: _sortable(order.get("entity_id")))
    for spec in reversed(criteria.get("sort_orders", [])):
        selected.sort(key=lambda order: _sortable(order.get(spec["field"])), reverse=spec["direction"] == "DESC")
    return selected


def _passes(order: dict, filters: list[dict]) -> bool:
    return any(_matches(order.get(spec["field"]), spec["value"], spec["condition_type"]) for spec in filters)


def _matches(actual, value: str, condition: str) -> bool:
    if condition in ("in", "nin"):
        found = any(left == right for left, right in (_comparable(actual, part) for part in value.split(",")))
        return found if condition == "in" else not found
    if condition == "null":
        return actual is None
    if condition == "notnull":
        return actual is not None
    if condition not in _CONDITIONS:
        raise SearchCriteriaError(f'Invalid condition type "{condition}".')
    if actual is None:
        return False
    return _CONDITIONS[condition](*_comparable(actual, value))


def _comparable(actual, value: str):
    """Numbers compare as numbers, anything else (``YYYY-MM-DD HH:MM:SS`` dates included) as text."""
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        try:
            return float(actual), float(value)
        except ValueError:  # a number compared with text: as text, below
            return str(actual), str(value).strip()
    return str(actual), str(value).strip()


def _sortable(value):
    return (value is None, value if isinstance(value, int | float) else str(value or ""))


def _index(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise SearchCriteriaError(f'"{text}" is not a number.') from None


def _qty_to_ship(item: dict) -> float:
    return float(item.get("qty_ordered", 0)) - sum(
        float(item.get(key) or 0) for key in ("qty_shipped", "qty_canceled", "qty_refunded")
    )


def _is_source_item(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("sku"), str)
        and isinstance(item.get("source_code"), str)
        and isinstance(item.get("quantity"), int | float)
        and not isinstance(item.get("quantity"), bool)
        and item.get("status") in (0, 1)
    )


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
