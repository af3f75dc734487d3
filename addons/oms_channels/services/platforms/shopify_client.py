"""The Shopify platform client: the Admin GraphQL API (``POST /admin/api/<version>/graphql.json``, header
``X-Shopify-Access-Token``) behind the contract of :mod:`.client` (API facts in
``tests/fixtures/platforms/shopify/API.md``).

- Throttling is cost-based: a ``THROTTLED`` answer waits ``(requestedQueryCost - currentlyAvailable) / restoreRate``
  seconds and asks again, and the pull waits the same way before a page the bucket cannot pay for. A query costing
  more than Shopify runs at once (``MAX_COST_EXCEEDED``) is asked again with half the orders per page.
- Ids: Shopify's gids (``gid://shopify/Order/123``) are built from the numeric ids the mapper keeps; ids returned
  (fulfillment, refund) are the numeric ones, as the mapper names a refund it reads back.
- The push-backs live in :mod:`.shopify_push`; the GraphQL documents in :mod:`.shopify_queries`.
"""

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit

from ..errors import ConnectorConfigurationError, ConnectorError
from . import shopify_push, shopify_queries
from .client import PlatformHttp

DEFAULT_API_VERSION = "2026-01"
_API_VERSION = re.compile(r"^(\d{4}-(01|04|07|10)|unstable)$")
_ADMIN_URL = re.compile(r"^(?:https?://)?admin\.shopify\.com/store/([\w-]+)", re.IGNORECASE)
_SCOPE = re.compile(r"[`\"'](\w+)[`\"'] access scope")
MAX_THROTTLE_WAITS = 20  # consecutive THROTTLED answers to one call before giving the run up (transient)
MAX_THROTTLE_WAIT = 60.0  # seconds; a full bucket refills in maximumAvailable / restoreRate (20 s on Standard plans)
DEFAULT_PAGE_SIZE = 2  # about 450 points an order (shopify_queries): two stay under the 1000 a query may cost


class QueryTooCostly(ConnectorConfigurationError):
    """Shopify refused to run a query costing more than its single-query maximum."""


class ShopifyClient:
    def __init__(self, http: PlatformHttp, api_version: str, page_size: int = DEFAULT_PAGE_SIZE):
        self.http = http
        self.api_version = api_version
        self.page_size = page_size
        self.endpoint = f"/admin/api/{api_version}/graphql.json"

    @classmethod
    def from_credentials(cls, credentials: dict, *, page_size: int | None = None, **http_options) -> "ShopifyClient":
        """``shop_domain`` ("myshop.myshopify.com", its https URL, or the stand-in's http URL), ``access_token``
        (the Admin API access token), ``api_version`` ("2026-01"). ``page_size`` may only lower the orders per page:
        a page of more would cost more than the 1000 points a query may."""
        domain = str(credentials.get("shop_domain") or "").strip()
        token = str(credentials.get("access_token") or "").strip()
        version = str(credentials.get("api_version") or DEFAULT_API_VERSION).strip()
        missing = [name for name, value in (("shop domain", domain), ("Admin API access token", token)) if not value]
        if missing:
            raise ConnectorConfigurationError(f"Shopify needs the {' and the '.join(missing)} of the channel")
        if not _API_VERSION.match(version):
            raise ConnectorConfigurationError(
                f"Shopify API version {version[:20]!r} is not one: Shopify names its quarterly versions YYYY-MM "
                f"(01, 04, 07 or 10), such as {DEFAULT_API_VERSION}"
            )
        hints = {
            401: "check the Admin API access token (a custom app's token starts with shpat_) and that the app is "
            "still installed",
            402: "the shop is frozen (its Shopify bill is unpaid)",
            403: "the app lacks an access scope it needs: read_orders, write_inventory, write_orders, "
            "write_merchant_managed_fulfillment_orders",
            404: f"check the shop domain (name.myshopify.com) and that the API version {version} exists (a "
            f"quarterly version such as {DEFAULT_API_VERSION})",
            423: "the shop is locked",
        }
        http = PlatformHttp(
            platform="Shopify",
            base_url=shop_base_url(domain),
            secrets=(token,),
            headers={"X-Shopify-Access-Token": token, "Accept": "application/json"},
            hints=hints,
            **http_options,
        )
        return cls(http, version, min(page_size or DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE))

    # --- the contract -----------------------------------------------------------------------------------------------

    def test_connection(self) -> str:
        data, _cost = self.graphql(shopify_queries.SHOP, {}, what="the shop", scope="read_orders")
        shop = data.get("shop") or {}
        return (
            f"Connected to the Shopify shop {shop.get('name') or '?'} (currency {shop.get('currencyCode') or '?'}, "
            f"API version {self.api_version}): its orders can be read"
        )

    def fetch_orders(self, since: datetime | None = None) -> Iterator[dict]:
        """Order nodes updated after ``since``, oldest first, each with all its line items."""
        # ">=": an order updated in the cursor's own second after the last pull is not lost (a replay is harmless).
        variables = {"first": self.page_size, "after": None, "query": f"updated_at:>='{_iso(since)}'" if since else ""}
        while True:
            try:
                data, cost = self.graphql(shopify_queries.ORDERS, variables, what="the orders", scope="read_orders")
            except QueryTooCostly:
                if variables["first"] == 1:
                    raise
                variables["first"] = max(1, variables["first"] // 2)
                continue
            orders = data.get("orders")
            if not isinstance(orders, dict) or not isinstance(orders.get("nodes"), list):
                raise ConnectorError("Shopify answered the orders query without orders", transient=True)
            for node in orders["nodes"]:
                yield self._whole(node)
            page = orders.get("pageInfo") or {}
            if page.get("hasNextPage") is not True:
                return
            if not page.get("endCursor"):
                raise ConnectorError("Shopify said more orders follow but gave no cursor to read them", transient=True)
            variables["after"] = page["endCursor"]
            self.wait_for_budget(cost)

    def push_stock(self, levels) -> int:
        return shopify_push.push_stock(self, list(levels))

    def push_shipment(self, shipment) -> str:
        return shopify_push.push_shipment(self, shipment)

    def push_refund(self, refund) -> str:
        return shopify_push.push_refund(self, refund)

    # --- GraphQL calls ----------------------------------------------------------------------------------------------

    def graphql(self, query: str, variables: dict, *, what: str, scope: str) -> tuple[dict, dict]:
        """``(data, cost)`` of one GraphQL call, waiting out THROTTLED answers; ``scope``: the access scope the
        call needs, named when Shopify denies it."""
        for _attempt in range(MAX_THROTTLE_WAITS + 1):
            body = self._post(query, variables, what, scope)
            cost = _cost(body)
            errors = body.get("errors")
            if not errors:
                data = body.get("data")
                if not isinstance(data, dict):
                    raise ConnectorError(f"Shopify answered {what} without data", transient=True)
                return data, cost
            codes = _codes(errors)
            if "THROTTLED" not in codes:
                raise self._failure(errors, codes, what, scope)
            self.http.sleep(throttle_wait(cost))
        raise ConnectorError(
            f"Shopify kept throttling {what} ({MAX_THROTTLE_WAITS} waits); the next run goes on from here",
            transient=True,
        )

    def wait_for_budget(self, cost: dict) -> None:
        """Before the next page: wait until the bucket holds what the last page asked for."""
        requested, available, restore = _cost_numbers(cost)
        if requested is not None and available is not None and restore and available < requested:
            self.http.sleep(min((requested - available) / restore, MAX_THROTTLE_WAIT))

    def _post(self, query: str, variables: dict, what: str, scope: str) -> dict:
        try:
            response = self.http.call("POST", self.endpoint, json={"query": query, "variables": variables})
        except ConnectorConfigurationError as exc:
            if exc.status != 403:
                raise
            raise ConnectorConfigurationError(
                f"Shopify answered 403 to {what}: give the app the {scope} access scope", status=403
            ) from None
        body = self.http.json(response, what)
        if not isinstance(body, dict):
            raise ConnectorError(f"Shopify answered {what} with something else than a GraphQL answer", transient=True)
        return body

    def _failure(self, errors, codes: set, what: str, scope: str) -> ConnectorError:
        messages = self.http.short("; ".join(_messages(errors)))
        # some denials come without a code, only "... access denied" in their message
        if "ACCESS_DENIED" in codes or "access denied" in messages.lower():
            needed = _denied_scope(errors) or scope
            return ConnectorConfigurationError(
                f"Shopify denied access to {what} ({messages}): give the app the {needed} access scope"
            )
        if "MAX_COST_EXCEEDED" in codes:
            return QueryTooCostly(f"Shopify refused {what} as too costly a query ({messages})")
        transient = bool(codes & {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"})
        named = ", ".join(sorted(codes)) or "no code"
        return ConnectorError(f"Shopify refused {what} ({named}): {messages}", transient=transient)

    def _whole(self, node: dict) -> dict:
        """The order node with the rest of its line items and of its refunds' lines, when the orders query could not
        carry them all (the mapper refuses an order whose lines have a next page)."""
        if not isinstance(node, dict):
            return node
        lines = node.get("lineItems")
        if _has_next_page(lines):
            what = f"the lines of order {node.get('name')}"
            node = {
                **node,
                "lineItems": self._rest_of(lines, shopify_queries.ORDER_LINE_ITEMS, node.get("id"), "order", what),
            }
        refunds = node.get("refunds")
        if isinstance(refunds, list) and any(
            isinstance(refund, dict) and _has_next_page(refund.get("refundLineItems")) for refund in refunds
        ):
            node = {**node, "refunds": [self._whole_refund(refund, node.get("name")) for refund in refunds]}
        return node

    def _whole_refund(self, refund, order_name) -> dict:
        lines = refund.get("refundLineItems") if isinstance(refund, dict) else None
        if not _has_next_page(lines):
            return refund
        what = f"the lines of a refund of order {order_name}"
        rest = self._rest_of(lines, shopify_queries.REFUND_LINE_ITEMS, refund.get("id"), "node", what)
        return {**refund, "refundLineItems": rest}

    def _rest_of(self, connection: dict, query: str, owner_id: str, root: str, what: str) -> dict:
        """A nested connection with all its nodes, read page after page from its owner (``data[root]``)."""
        nodes, page = list(connection.get("nodes") or []), connection.get("pageInfo") or {}
        key = "lineItems" if root == "order" else "refundLineItems"
        while page.get("hasNextPage") is True:
            data, _cost = self.graphql(
                query, {"id": owner_id, "after": page.get("endCursor")}, what=what, scope="read_orders"
            )
            more = (data.get(root) or {}).get(key)
            if not isinstance(more, dict):
                raise ConnectorError(f"Shopify did not answer {what}", transient=True)
            nodes.extend(more.get("nodes") or [])
            page = more.get("pageInfo") or {}
        return {"pageInfo": {"hasNextPage": False, "endCursor": page.get("endCursor")}, "nodes": nodes}


# --- helpers --------------------------------------------------------------------------------------------------------


def shop_base_url(domain: str) -> str:
    """``https://name.myshopify.com`` of what a user may type: the domain, its URL (any path), the shop's name, or
    the admin's ``admin.shopify.com/store/name`` URL; an ``http://`` URL (a local stand-in) keeps its scheme."""
    admin = _ADMIN_URL.match(domain)
    value = f"{admin.group(1)}.myshopify.com" if admin else domain.strip()
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        raise ConnectorConfigurationError("Shopify shop domain is not usable: enter it as name.myshopify.com")
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if "." not in host and host != "localhost":
        netloc = f"{host}.myshopify.com"
    return f"{parts.scheme}://{netloc}"


def throttle_wait(cost: dict) -> float:
    """Seconds until the bucket holds what the throttled query asked for (1 s when Shopify did not say)."""
    requested, available, restore = _cost_numbers(cost)
    if requested is None or available is None or not restore:
        return 1.0
    return min(max((requested - available) / restore, 0.1), MAX_THROTTLE_WAIT)


def _has_next_page(connection) -> bool:
    return isinstance(connection, dict) and (connection.get("pageInfo") or {}).get("hasNextPage") is True


def _cost(body: dict) -> dict:
    extensions = body.get("extensions")
    cost = extensions.get("cost") if isinstance(extensions, dict) else None
    return cost if isinstance(cost, dict) else {}


def _cost_numbers(cost: dict) -> tuple[float | None, float | None, float | None]:
    status = cost.get("throttleStatus") if isinstance(cost.get("throttleStatus"), dict) else {}
    return tuple(
        _number(value)
        for value in (cost.get("requestedQueryCost"), status.get("currentlyAvailable"), status.get("restoreRate"))
    )


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _codes(errors) -> set:
    if not isinstance(errors, list):
        return set()
    return {
        str(error["extensions"].get("code"))
        for error in errors
        if isinstance(error, dict) and isinstance(error.get("extensions"), dict) and error["extensions"].get("code")
    }


def _messages(errors) -> list[str]:
    if not isinstance(errors, list):
        return [str(errors)]
    return [str(error.get("message")) if isinstance(error, dict) else str(error) for error in errors]


def _denied_scope(errors) -> str | None:
    """The scope an ACCESS_DENIED error names ("Required access: `read_orders` access scope.", quoted with
    backticks or double quotes)."""
    for error in errors if isinstance(errors, list) else ():
        if not isinstance(error, dict):
            continue
        extensions = error.get("extensions") if isinstance(error.get("extensions"), dict) else {}
        for text in (extensions.get("requiredAccess"), error.get("message")):
            found = _SCOPE.search(str(text or ""))
            if found:
                return found.group(1)
    return None


def _iso(since: datetime) -> str:
    if since.tzinfo is not None:
        since = since.astimezone(timezone.utc).replace(tzinfo=None)
    return since.strftime("%Y-%m-%dT%H:%M:%SZ")
