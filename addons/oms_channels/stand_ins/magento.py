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
- ``GET /V1/orders/<id>``; ``GET /V1/creditmemos`` with the same search criteria (``creditmemos``, set with
  ``add_creditmemos``; each with its ``comments``); ``GET /V1/stockItems/<sku>`` (``stock_items``, set with
  ``add_stock_item``);
- push-backs recorded: ``POST /V1/inventory/source-items`` (``source_item_updates``, answers ``[]``),
  ``PUT /V1/products/<sku>/stockItems/<item id>`` (``stock_item_updates``, answers the item id),
  ``POST /V1/order/<id>/ship`` (``shipments``, answers the shipment id; the order's ``qty_shipped`` rise and a fully
  shipped invoiced order becomes ``complete``), ``POST /V1/order/<id>/refund`` (``refunds``, answers the credit memo
  id; refused on an order never invoiced; the credit memo is added to ``creditmemos``, its ``grand_total`` computed
  from the order's items, the shipping excluding tax (Magento's default "display shipping excluding tax" in sales
  documents) plus its tax, and the adjustments);
- ``deny(*endpoints)``: the integration lacks those endpoints' ACL resources (right token, same 401 naming the
  resource, as Magento answers an authorization failure);
- on demand: ``throttle_next`` (429 as the backpressure limiter answers, or a front end's 503 with Retry-After),
  ``fail_next`` (500 in Magento's error shape), ``html_next`` (an HTML maintenance page), ``delay_next``.

Unconfirmed (API.md): the ACL names, and the page-size refusal's code and message (``max_page_size``).
"""

import copy
import itertools
import time
from collections import namedtuple
from datetime import datetime, timezone

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .magento_search import SearchCriteriaError, parse_search_criteria, search
from .orders import OrdersServed

RecordedRequest = namedtuple("RecordedRequest", "method path query store_code")

_ACL = {
    "orders": "Magento_Sales::actions_view",
    "source_items": "Magento_InventoryApi::source_item",
    "ship": "Magento_Sales::ship",
    "refund": "Magento_Sales::creditmemo",
    "order": "Magento_Sales::actions_view",
    "creditmemos": "Magento_Sales::sales_creditmemo",
    "stock_item": "Magento_CatalogInventory::cataloginventory",
    "update_stock_item": "Magento_CatalogInventory::cataloginventory",
}
_ROUTES = [
    ("/orders", "orders", "GET"),
    ("/inventory/source-items", "source_items", "POST"),
    ("/order/<int:order_id>/ship", "ship", "POST"),
    ("/order/<int:order_id>/refund", "refund", "POST"),
    ("/orders/<int:order_id>", "order", "GET"),
    ("/creditmemos", "creditmemos", "GET"),
    ("/stockItems/<sku>", "stock_item", "GET"),
    ("/products/<sku>/stockItems/<int:item_id>", "update_stock_item", "PUT"),
]
_URLS = Map(
    [Rule(f"/rest/V1{path}", endpoint=endpoint, methods=[method]) for path, endpoint, method in _ROUTES]
    + [Rule(f"/rest/<store_code>/V1{path}", endpoint=endpoint, methods=[method]) for path, endpoint, method in _ROUTES]
)
_MAINTENANCE_PAGE = (
    "<!doctype html><html><head><title>Service Temporarily Unavailable</title></head><body>"
    "<h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request due to "
    "maintenance downtime or capacity problems. Please try again later.</p></body></html>"
)
# A credit memo item's amounts, the order item's prorated: the first three add up, the discount comes off.
_ITEM_AMOUNTS = ("row_total", "tax_amount", "discount_tax_compensation_amount", "discount_amount")
_NO_ENTITY = "The entity that was requested doesn't exist. Verify the entity and try again."


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
        self.creditmemos: list[dict] = []
        self.stock_items: dict[str, dict] = {}
        self.stock_item_updates: list[tuple[str, int, dict]] = []
        self.denied: set[str] = set()
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

    def add_creditmemos(self, creditmemos: list[dict]) -> None:
        """Credit memos as ``GET /V1/creditmemos`` lists them (``order_id``, ``items[].order_item_id``, ...)."""
        with self.lock:
            self.creditmemos.extend(copy.deepcopy(creditmemos))

    def add_stock_item(self, sku: str, qty: float = 0) -> dict:
        """A product's legacy stock item (``GET /V1/stockItems/<sku>``)."""
        with self.lock:
            item = {"item_id": next(self._ids), "product_id": next(self._ids), "stock_id": 1, "qty": qty}
            item["is_in_stock"] = qty > 0
            self.stock_items[sku] = item
            return item

    def deny(self, *endpoints: str) -> None:
        """The integration lacks these endpoints' ACL resources (``orders``, ``source_items``, ``ship``...)."""
        with self.lock:
            self.denied.update(endpoints)

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
        authorized = self.bearer_enabled and request.headers.get("Authorization") == f"Bearer {self.access_token}"
        if not authorized or endpoint in self.denied:
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
            memo = creditmemo_of(next(self._ids), order, body)
            order["updated_at"] = _now()
            order["total_refunded"] = round(float(order.get("total_refunded") or 0) + memo["grand_total"], 2)
            self.refunds.append((order_id, body))
            self.creditmemos.append(memo)
            return json_response(memo["entity_id"])

    def _serve_order(self, request: Request, order_id: int) -> Response:
        order = self.order(order_id)
        return json_response(copy.deepcopy(order)) if order else error_response(_NO_ENTITY, 404)

    def _serve_creditmemos(self, request: Request) -> Response:
        try:
            with self.lock:
                matching = search(copy.deepcopy(self.creditmemos), parse_search_criteria(request.args))
        except SearchCriteriaError as exc:
            return error_response(str(exc), 400)
        return json_response({"items": matching, "total_count": len(matching)})

    def _serve_stock_item(self, request: Request, sku: str) -> Response:
        with self.lock:
            item = copy.deepcopy(self.stock_items.get(sku))
        if item is None:
            return error_response('The Product with the "%1" SKU doesn\'t exist.', 404, [sku])
        return json_response(item)

    def _serve_update_stock_item(self, request: Request, sku: str, item_id: int) -> Response:
        body = request.get_json(silent=True)
        stock_item = body.get("stockItem") if isinstance(body, dict) else None
        if not isinstance(stock_item, dict) or not isinstance(stock_item.get("qty"), int | float):
            return error_response('"stockItem" is required: {"qty", "is_in_stock"}', 400)
        with self.lock:
            if sku not in self.stock_items:
                return error_response('The Product with the "%1" SKU doesn\'t exist.', 404, [sku])
            self.stock_items[sku].update(qty=stock_item["qty"], is_in_stock=bool(stock_item.get("is_in_stock")))
            self.stock_item_updates.append((sku, item_id, body))
            return json_response(self.stock_items[sku]["item_id"])


def creditmemo_of(memo_id: int, order: dict, body: dict) -> dict:
    """The credit memo Magento would make of a refund request: each item's share of its row (tax included, after
    discount), the shipping argument excluding tax plus its tax at the order's rate, and the adjustments."""
    items = {item.get("item_id"): item for item in order.get("items", [])}
    memo_items, total = [], 0.0
    wanted = body.get("items") or [  # no items named: Magento refunds what is left of every item
        {"order_item_id": item_id, "qty": float(item.get("qty_ordered") or 0) - float(item.get("qty_refunded") or 0)}
        for item_id, item in items.items()
        if not item.get("parent_item_id")
    ]
    for line in wanted:
        item = items.get(line.get("order_item_id")) or {}
        share = float(line.get("qty") or 0) / float(item.get("qty_ordered") or 1)
        memo_item = {"order_item_id": line.get("order_item_id"), "qty": line.get("qty")}
        memo_item.update({key: round(float(item.get(key) or 0) * share, 2) for key in _ITEM_AMOUNTS})
        memo_items.append(memo_item)
        total += sum(memo_item[key] for key in _ITEM_AMOUNTS[:3]) - memo_item["discount_amount"]
    arguments = body.get("arguments") or {}
    shipping = float(arguments.get("shipping_amount") or 0)
    shipping_excl, shipping_incl = float(order.get("shipping_amount") or 0), float(order.get("shipping_incl_tax") or 0)
    shipping_incl_tax = round(shipping * shipping_incl / shipping_excl, 2) if shipping_excl else shipping
    total += shipping_incl_tax + float(arguments.get("adjustment_positive") or 0)
    total -= float(arguments.get("adjustment_negative") or 0)
    comment = (body.get("comment") or {}).get("comment")
    return {
        "entity_id": memo_id,
        "order_id": order.get("entity_id"),
        "created_at": _now(),
        "grand_total": round(total, 2),
        "shipping_amount": shipping,
        "shipping_incl_tax": shipping_incl_tax,
        "adjustment_positive": float(arguments.get("adjustment_positive") or 0),
        "adjustment_negative": float(arguments.get("adjustment_negative") or 0),
        "items": memo_items,
        "comments": [{"comment": comment, "parent_id": memo_id}] if comment else [],
    }


def error_response(message: str, status: int, parameters=None) -> Response:
    """Magento's error shape (``error-response`` in the schema); ``trace`` only in developer mode, so absent."""
    return json_response({"message": message, "parameters": parameters if parameters is not None else []}, status)


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
