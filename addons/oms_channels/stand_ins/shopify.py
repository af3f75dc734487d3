"""A local Shopify shop answering the Admin GraphQL API as ``tests/fixtures/platforms/shopify/API.md`` documents it,
for tests and benchmarks::

    with LocalShopify() as shop:
        shop.add_orders(fixture_order_nodes())          # GraphQL ``Order`` nodes, e.g. the fixture pages' nodes
        shop.throttle_next(1)                            # next call: HTTP 200 with a THROTTLED error
        requests.post(shop.graphql_url, json={"query": ..., "variables": {...}},
                      headers={"X-Shopify-Access-Token": shop.access_token})
        assert shop.stock_updates[0]["quantities"][0]["quantity"] == 37

One endpoint, ``POST /admin/api/<YYYY-MM>/graphql.json``. The operation is told from the query text (the stand-in
does not parse GraphQL): ``orders(`` answers ``data.orders {nodes, pageInfo}`` from the orders added, filtered by the
``updated_at`` terms of ``variables.query``, sorted by ``updatedAt`` ascending (the connector's ``sortKey:
UPDATED_AT``), ``first`` per page, with opaque base64 cursors; a query costing more than ``max_query_cost`` (2 + 7
points an order here) is refused with MAX_COST_EXCEEDED; an order with more line items than the query's
``lineItems(first: N)`` (or a refund with more lines than ``refundLineItems(first: M)``) is served with the first ones
and ``hasNextPage``. ``inventorySetQuantities``, ``fulfillmentCreate`` and ``refundCreate`` are recorded (their
``input`` / ``fulfillment`` variables) and answered with no ``userErrors`` when their ids and quantities are the
shop's. ``shop {``, ``order(``, ``node(``, ``nodes(`` / ``productVariants(`` are answered as :mod:`.shopify_reads`
says. Nodes are served whole, whatever fields the query asks for.
"""

import base64
import json
import re
import threading
from collections import namedtuple
from datetime import datetime, timezone
from pathlib import Path

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .orders import OrdersServed
from .shopify_reads import ShopifyReads, cut_nested

RecordedRequest = namedtuple("RecordedRequest", "method path operation variables")

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "platforms" / "shopify"
MAX_FIRST = 250
_URLS = Map([Rule("/admin/api/<version>/graphql.json", endpoint="graphql", methods=["POST"])])
_VERSION = re.compile(r"^\d{4}-(01|04|07|10)$")
_UPDATED_AT = re.compile(r"""updated_at:(>=|<=|>|<)?['"]?([0-9T:.+\-Z]+?)['"]?(?=\s|$)""")
# (operation, how its query text shows it, the access scope it needs); the first that matches is served
_OPERATIONS = (
    ("inventorySetQuantities", r"\binventorySetQuantities\s*\(", "write_inventory"),
    ("fulfillmentCreate", r"\bfulfillmentCreate\s*\(", "write_merchant_managed_fulfillment_orders"),
    ("refundCreate", r"\brefundCreate\s*\(", "write_orders"),
    ("shop", r"\bshop\s*\{", None),
    ("orders", r"\borders\s*\(", "read_orders"),
    ("order", r"\border\s*\(", "read_orders"),
    ("node", r"\bnode\s*\(", "read_orders"),
    ("variants", r"\b(nodes|productVariants)\s*\(", "read_products"),
)
MAX_QUERY_COST = 1000
_INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Log in - Shopify</title></head><body><form action='/admin/auth/login' "
    "method='post'><input name='account[email]'><input type='password' name='account[password]'></form></body></html>"
)
_MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body><h1>This shop is down for "
    "maintenance</h1><p>Please try again in a few minutes.</p></body></html>"
)


def fixture_order_nodes() -> list[dict]:
    """The four GraphQL order nodes of the fixture pages (#1001, #1003, #1004, #1002)."""
    nodes = []
    for name in ("graphql_orders_page1.json", "graphql_orders_page2.json"):
        nodes.extend(json.loads((FIXTURES / name).read_text(encoding="utf-8"))["data"]["orders"]["nodes"])
    return nodes


class LocalShopify(ShopifyReads, OrdersServed, LocalJsonServer):
    def __init__(
        self,
        access_token: str = "shpat_local_test_token",
        shop: str = "casa-iberica.myshopify.com",
        maximum_available: float = 2000.0,
        restore_rate: float = 100.0,
    ):
        super().__init__()
        self.access_token = access_token
        self.shop = shop
        self.api_version = "2026-01"
        self.maximum_available = maximum_available
        self.restore_rate = restore_rate
        self.max_query_cost = MAX_QUERY_COST
        self.requests: list[RecordedRequest] = []
        self.stock_updates: list[dict] = []
        self.fulfillments: list[dict] = []
        self.refunds: list[dict] = []
        self._throttles: list[int] = []
        self._html_pages: list[tuple[int, str]] = []
        self._ids = iter(range(9100000000001, 9200000000000))
        self._id_lock = threading.Lock()

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/admin/api/{self.api_version}/graphql.json"

    # --- failure injection ------------------------------------------------------------------------------------------

    def throttle_next(self, n: int, status: int = 200) -> None:
        """The next n authenticated GraphQL calls answer Shopify's THROTTLED error (``graphql_throttled.json``'s
        shape, no ``data``); HTTP 200 as most notes say, or ``status=429``."""
        with self.lock:
            self._throttles.extend([status] * n)

    def serve_html_next(self, n: int, page: str = "login") -> None:
        """The next n calls answer an HTML page instead of JSON: ``"login"`` (200, the admin login form) or
        ``"maintenance"`` (503)."""
        entry = (200, _LOGIN_PAGE) if page == "login" else (503, _MAINTENANCE_PAGE)
        with self.lock:
            self._html_pages.extend([entry] * n)

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        query = body.get("query") if isinstance(body.get("query"), str) else ""
        variables = body.get("variables") if isinstance(body.get("variables"), dict) else {}
        operation, scope = next(
            ((name, scope) for name, shown, scope in _OPERATIONS if re.search(shown, query)), (None, None)
        )
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, operation, variables))
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        if not query:
            return _graphql_error('Parse error on "" (EOF) at [1, 1]', "PARSE_ERROR")
        if operation is None:
            return _graphql_error(
                "This stand-in answers shop, orders, order, nodes, productVariants, inventorySetQuantities, "
                "fulfillmentCreate, refundCreate"
            )
        denied = self._access_denied(operation, scope) if scope else None
        if denied is not None:
            return denied
        return getattr(self, f"_serve_{operation}")(variables, query)

    def _refusal(self, request: Request) -> Response | None:
        """What answers before the GraphQL operation runs, in this order: an injected failure or HTML page, an
        unknown path or version (a malformed one, or one newer than ``api_version``: 404), a refused token (401), an
        injected throttle; None: run the operation."""
        failure = self._injected_failure()
        with self.lock:
            html = None if failure else (self._html_pages.pop(0) if self._html_pages else None)
        if failure or html:
            return failure or Response(html[1], status=html[0], mimetype="text/html")
        try:
            _URLS.bind_to_environ(request.environ).match()
            version = request.path.split("/")[3]
            # a version after the newest this shop serves does not exist yet
            found = bool(_VERSION.match(version)) and version <= self.api_version
        except HTTPException:
            found = False
        if not found:
            return json_response({"errors": "Not Found"}, 404)
        if request.headers.get("X-Shopify-Access-Token") != self.access_token:
            return json_response({"errors": _INVALID_TOKEN}, 401)
        with self.lock:
            throttle = self._throttles.pop(0) if self._throttles else None
        return None if throttle is None else json_response(self._throttled_body(), throttle)

    def _cost(self, requested: int, actual: int | None) -> dict:
        available = self.maximum_available - (actual or 0)
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": {
                    "maximumAvailable": self.maximum_available,
                    "currentlyAvailable": available,
                    "restoreRate": self.restore_rate,
                },
            }
        }

    def _throttled_body(self) -> dict:
        body = json.loads((FIXTURES / "graphql_throttled.json").read_text(encoding="utf-8"))
        body["extensions"]["cost"]["throttleStatus"].update(
            maximumAvailable=self.maximum_available, restoreRate=self.restore_rate
        )
        return body

    def _serve_orders(self, variables: dict, query: str) -> Response:
        first = variables.get("first")
        if not isinstance(first, int) or isinstance(first, bool) or first < 1:
            return _graphql_error("Variable $first of type Int! was provided invalid value", "INVALID_VARIABLE")
        if first > MAX_FIRST:
            return _graphql_error(f"The first argument must not exceed {MAX_FIRST}", "ARGUMENT_LIMIT_EXCEEDED")
        requested = 2 + first * 7
        if requested > self.max_query_cost:
            return _graphql_error(
                f"Query cost is {requested}, which exceeds the single query max cost limit ({self.max_query_cost}).",
                "MAX_COST_EXCEEDED",
            )
        try:
            terms = _filter_terms(variables.get("query") or "")
            after = _decode_cursor(variables["after"]) if variables.get("after") else None
        except ValueError as exc:
            return _graphql_error(str(exc), "INVALID_VARIABLE")
        with self.lock:
            nodes = list(self.orders)
        keyed = sorted(((_sort_key(node), node) for node in nodes), key=lambda pair: pair[0])
        selected = [(key, node) for key, node in keyed if all(_matches(key[0], op, at) for op, at in terms)]
        if after is not None:
            selected = [(key, node) for key, node in selected if key > after]
        page = selected[:first]
        end = _encode_cursor(page[-1][0]) if page else None
        body = {
            "data": {
                "orders": {
                    "nodes": [cut_nested(node, query) for _key, node in page],
                    "pageInfo": {"hasNextPage": len(selected) > first, "endCursor": end},
                }
            },
            "extensions": self._cost(requested, 2 + len(page) * 7),
        }
        return json_response(body)

    def _next_id(self) -> int:
        with self._id_lock:
            return next(self._ids)

    def _serve_inventorySetQuantities(self, variables: dict, _query: str) -> Response:
        data = variables.get("input")
        if not isinstance(data, dict) or not isinstance(data.get("quantities"), list) or not data.get("name"):
            return _graphql_error("Variable $input of type InventorySetQuantitiesInput! was provided invalid value")
        errors = []
        known = self.catalogue()["items"]
        for index, item in enumerate(data["quantities"]):
            if not (isinstance(item, dict) and item.get("inventoryItemId") and item.get("locationId")):
                errors.append({"field": ["input", "quantities", str(index)], "message": "Invalid", "code": "INVALID"})
            elif item["locationId"] not in self.locations:
                errors.append(
                    {
                        "field": ["input", "quantities", str(index), "locationId"],
                        "message": "The specified location could not be found.",
                        "code": "INVALID_LOCATION",
                    }
                )
            elif item["inventoryItemId"] not in known:
                errors.append(
                    {
                        "field": ["input", "quantities", str(index), "inventoryItemId"],
                        "message": "The specified inventory item could not be found.",
                        "code": "INVALID_INVENTORY_ITEM",
                    }
                )
            elif "compareQuantity" not in item and not data.get("ignoreCompareQuantity"):
                errors.append(
                    {
                        "field": ["input", "quantities", str(index), "compareQuantity"],
                        "message": "The compareQuantity argument must be given to each quantity or ignored using "
                        "ignoreCompareQuantity.",
                        "code": "COMPARE_QUANTITY_REQUIRED",
                    }
                )
        if errors:
            return _mutation("inventorySetQuantities", {"inventoryAdjustmentGroup": None, "userErrors": errors})
        with self.lock:
            self.stock_updates.append(data)
        group = {
            "id": f"gid://shopify/InventoryAdjustmentGroup/{self._next_id()}",
            "reason": data.get("reason"),
            "changes": [
                {"name": data["name"], "delta": None, "quantityAfterChange": item.get("quantity")}
                for item in data["quantities"]
            ],
        }
        return _mutation("inventorySetQuantities", {"inventoryAdjustmentGroup": group, "userErrors": []})

    def _serve_fulfillmentCreate(self, variables: dict, _query: str) -> Response:
        data = variables.get("fulfillment")
        groups = data.get("lineItemsByFulfillmentOrder") if isinstance(data, dict) else None
        if (
            not isinstance(groups, list)
            or not groups
            or not all(isinstance(group, dict) and group.get("fulfillmentOrderId") for group in groups)
        ):
            error = {"field": ["fulfillment"], "message": "lineItemsByFulfillmentOrder is required"}
            return _mutation("fulfillmentCreate", {"fulfillment": None, "userErrors": [error]})
        errors = _tracking_errors(data.get("trackingInfo")) or self.take_fulfilled(groups)
        if errors:
            return _mutation("fulfillmentCreate", {"fulfillment": None, "userErrors": errors})
        with self.lock:
            self.fulfillments.append(data)
        fulfillment = {
            "id": f"gid://shopify/Fulfillment/{self._next_id()}",
            "status": "SUCCESS",
            "trackingInfo": [data["trackingInfo"]] if data.get("trackingInfo") else [],
        }
        return _mutation("fulfillmentCreate", {"fulfillment": fulfillment, "userErrors": []})

    def _serve_refundCreate(self, variables: dict, _query: str) -> Response:
        data = variables.get("input")
        if not isinstance(data, dict) or not data.get("orderId"):
            return _graphql_error("Variable $input of type RefundInput! was provided invalid value")
        errors = self.refund_errors(data)
        if errors:
            return _mutation("refundCreate", {"refund": None, "userErrors": errors})
        amount = sum(float(t.get("amount") or 0) for t in data.get("transactions") or [] if isinstance(t, dict))
        money = {"amount": f"{amount:g}", "currencyCode": data.get("currency") or "EUR"}
        refund = {"id": f"gid://shopify/Refund/{self._next_id()}", "totalRefundedSet": {"presentmentMoney": money}}
        with self.lock:
            self.refunds.append(data)
            self.created_refunds[data["orderId"]].append({"id": refund["id"], "note": data.get("note")})
        return _mutation("refundCreate", {"refund": refund, "userErrors": []})


# --- helpers --------------------------------------------------------------------------------------------------------


def _tracking_errors(tracking) -> list[dict]:
    """FulfillmentTrackingInput's rules (shopify.dev): ``number`` or ``numbers``, ``url`` or ``urls``, never both;
    a ``url`` with its ``number``, ``urls`` with ``numbers``, matched by position (one page per number)."""
    if not isinstance(tracking, dict):
        return []
    wrong = None
    if "number" in tracking and "numbers" in tracking or "url" in tracking and "urls" in tracking:
        wrong = "Provide either the single or the list form of the tracking number and url, not both."
    elif "url" in tracking and "number" not in tracking or "urls" in tracking and "numbers" not in tracking:
        wrong = "A tracking url needs its tracking number."
    elif "urls" in tracking and len(tracking["urls"] or []) != len(tracking["numbers"] or []):
        wrong = "Tracking urls are matched to the tracking numbers by position: give one url per number."
    return [{"field": ["fulfillment", "trackingInfo"], "message": wrong}] if wrong else []


def _graphql_error(message: str, code: str = "INVALID_VARIABLE") -> Response:
    return json_response({"errors": [{"message": message, "extensions": {"code": code}}]})


def _mutation(name: str, payload: dict) -> Response:
    return json_response({"data": {name: payload}})


def _parse(value: str) -> datetime:
    """An ISO date or date-time; naive ones are read as UTC (the shop's time zone in real Shopify)."""
    value = value.strip().replace(" ", "T")
    if len(value) == 10:
        value += "T00:00:00"
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _filter_terms(query: str) -> list[tuple[str, datetime]]:
    """The ``updated_at`` terms of a search query (space = AND); other terms are ignored."""
    terms = []
    for match in _UPDATED_AT.finditer(query):
        try:
            terms.append((match.group(1) or ":", _parse(match.group(2))))
        except ValueError as exc:
            raise ValueError(f"Invalid updated_at value {match.group(2)!r}") from exc
    return terms


def _matches(updated: datetime, op: str, at: datetime) -> bool:
    return {
        ">": updated > at,
        ">=": updated >= at,
        "<": updated < at,
        "<=": updated <= at,
        ":": updated == at,
    }[op]


def _sort_key(node: dict) -> tuple[datetime, int]:
    """(updatedAt, numeric id): the fixture cursors' ``last_value`` / ``last_id``, so they can be replayed too."""
    tail = str(node.get("id", "")).rsplit("/", 1)[-1]
    return _parse(node["updatedAt"]), int(tail) if tail.isdigit() else 0


def _encode_cursor(key: tuple[datetime, int]) -> str:
    raw = json.dumps({"last_id": key[1], "last_value": key[0].isoformat()})
    return base64.b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = json.loads(base64.b64decode(cursor, validate=True))
        return _parse(raw["last_value"]), int(raw["last_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"Invalid cursor for current pagination sort: {cursor!r}") from exc
