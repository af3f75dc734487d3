"""What the local Shopify (:mod:`.shopify`) answers besides the orders pages and the push-back mutations: the shop,
one order (``order(id:)``: the rest of its line items, its fulfillment orders, payments and refunds), the rest of a
refund's lines (``node(id:) { ... on Refund }``), the variants
of the catalogue (``nodes(ids:)`` / ``productVariants(query: "sku:...")`` and the primary ``location``), and access
scopes the app may be denied (``deny_scope``); stock is set only at ``locations`` (the primary one unless a test adds
others).

Made up from the orders served: the catalogue is the variants of their lines; each order has one fulfillment order
at the primary location (its line items' remaining quantities fall as ``fulfillmentCreate`` ships them), one
successful SALE transaction when it is paid (an AUTHORIZATION when authorised), and its refunds plus those made
with ``refundCreate`` (their ``note`` kept).
"""

import base64
import json
import re
from collections import defaultdict

from odoo.addons.oms_intelligent.stand_ins.http_server import json_response

PRIMARY_LOCATION = "gid://shopify/Location/80100000001"
_PAID = ("PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED")
_AUTHORISED = ("AUTHORIZED", "VOIDED")
_LINE_ITEMS_FIRST = re.compile(r"\blineItems\s*\(\s*first:\s*(\d+)")
_REFUND_LINES_FIRST = re.compile(r"\brefundLineItems\s*\(\s*first:\s*(\d+)")
_SKU_TERM = re.compile(r'sku:(?:"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|(\S+))')


class ShopifyReads:
    """A mixin of LocalShopify (which guards the state with ``self.lock`` and keeps ``self.orders``)."""

    def __init__(self):
        super().__init__()
        self.denied_scopes: set[str] = set()
        self.locations: set[str] = {PRIMARY_LOCATION}  # where inventory may be set
        self.fulfilled: dict[str, int] = defaultdict(int)  # fulfillment order line item id -> quantity shipped
        self.created_refunds: dict[str, list[dict]] = defaultdict(list)  # order gid -> [{id, note}]

    def deny_scope(self, scope: str) -> None:
        """Calls needing this access scope (``read_orders``, ``write_inventory``...) answer ACCESS_DENIED."""
        with self.lock:
            self.denied_scopes.add(scope)

    # --- serving ----------------------------------------------------------------------------------------------------

    def _access_denied(self, field: str, scope: str):
        """Shopify's answer to a field the app's scopes do not cover (HTTP 200, ``errors`` with ACCESS_DENIED),
        or None when the scope is granted."""
        with self.lock:
            denied = scope in self.denied_scopes
        if not denied:
            return None
        required = f"`{scope}` access scope."
        error = {
            "message": f"Access denied for {field} field. Required access: {required}",
            "extensions": {
                "code": "ACCESS_DENIED",
                "documentation": "https://shopify.dev/api/usage/access-scopes",
                "requiredAccess": required,
            },
        }
        return json_response({"data": None, "errors": [error]})

    def _serve_shop(self, variables: dict, query: str):
        data = {"shop": {"name": "Casa Ibérica", "currencyCode": "EUR"}}
        if re.search(r"\borders\s*\(", query):
            denied = self._access_denied("orders", "read_orders")
            if denied is not None:
                return denied
            with self.lock:
                data["orders"] = {"nodes": [{"id": node["id"]} for node in self.orders[:1]]}
        return json_response({"data": data})

    def _serve_order(self, variables: dict, query: str):
        with self.lock:
            node = next((order for order in self.orders if order.get("id") == variables.get("id")), None)
            if node is None:
                return json_response({"data": {"order": None}})
            order = {
                "id": node["id"],
                "name": node.get("name"),
                "fulfillmentOrders": {"nodes": [self.fulfillment_order(node)]},
                "transactions": _transactions(node),
                "refunds": [{"id": r.get("id"), "note": r.get("note")} for r in node.get("refunds") or []]
                + list(self.created_refunds[node["id"]]),
            }
        found = _LINE_ITEMS_FIRST.search(query)
        if found:
            lines = (node.get("lineItems") or {}).get("nodes") or []
            order["lineItems"] = connection_page(lines, int(found.group(1)), variables.get("after"))
        data = {"order": order}
        if re.search(r"^\s*location\s*\{", query, re.MULTILINE):  # the root field: the primary location
            data["location"] = {"id": PRIMARY_LOCATION}
        return json_response({"data": data})

    def _serve_node(self, variables: dict, query: str):
        """A refund's line items, page after page (the only node this stand-in serves)."""
        with self.lock:
            refunds = [refund for order in self.orders for refund in order.get("refunds") or []]
        refund = next((refund for refund in refunds if refund.get("id") == variables.get("id")), None)
        found = _REFUND_LINES_FIRST.search(query)
        if refund is None or not found:
            return json_response({"data": {"node": None}})
        lines = (refund.get("refundLineItems") or {}).get("nodes") or []
        page = connection_page(lines, int(found.group(1)), variables.get("after"))
        return json_response({"data": {"node": {"refundLineItems": page}}})

    def _serve_variants(self, variables: dict, query: str):
        catalogue = self.catalogue()
        data = {}
        if re.search(r"\bnodes\s*\(", query):
            data["nodes"] = [catalogue["ids"].get(item) for item in variables.get("ids") or []]
        if re.search(r"\bproductVariants\s*\(", query):
            skus = [
                next(filter(None, term)).replace('\\"', '"') for term in _SKU_TERM.findall(variables.get("skus") or "")
            ]
            data["productVariants"] = {"nodes": [catalogue["skus"][sku] for sku in skus if sku in catalogue["skus"]]}
        if re.search(r"\blocation\s*\{", query):
            data["location"] = {"id": PRIMARY_LOCATION}
        return json_response({"data": data})

    # --- made-up state ----------------------------------------------------------------------------------------------

    def catalogue(self) -> dict:
        """{"ids": {variant gid: variant}, "skus": {sku: variant}, "items": {inventory item gid}} of the lines."""
        ids, skus = {}, {}
        with self.lock:
            lines = [line for order in self.orders for line in (order.get("lineItems") or {}).get("nodes") or []]
        for line in lines:
            variant = line.get("variant") or {}
            if not variant.get("id"):
                continue
            found = {**variant, "sku": line.get("sku"), "inventoryItem": variant.get("inventoryItem") or {}}
            ids[variant["id"]] = found
            if line.get("sku"):
                skus[line["sku"]] = found
        items = {variant["inventoryItem"].get("id") for variant in ids.values()}
        return {"ids": ids, "skus": skus, "items": items}

    def fulfillment_order(self, node: dict) -> dict:
        """The order's one fulfillment order; to be called holding ``self.lock``."""
        items = []
        for line in (node.get("lineItems") or {}).get("nodes") or []:
            item_id = f"gid://shopify/FulfillmentOrderLineItem/67{_tail(line['id'])[-11:]}"
            total = int(line.get("currentQuantity", line.get("quantity")) or 0)
            items.append(
                {
                    "id": item_id,
                    "totalQuantity": total,
                    "remainingQuantity": max(0, total - self.fulfilled[item_id]),
                    "lineItem": {"id": line["id"], "sku": line.get("sku")},
                }
            )
        if node.get("cancelledAt"):
            status = "CANCELLED"
        elif all(item["remainingQuantity"] == 0 for item in items):
            status = "CLOSED"
        else:
            shipped = any(item["remainingQuantity"] < item["totalQuantity"] for item in items)
            status = "IN_PROGRESS" if shipped else "OPEN"
        return {
            "id": f"gid://shopify/FulfillmentOrder/66{_tail(node['id'])[-11:]}",
            "status": status,
            "assignedLocation": {"location": {"id": PRIMARY_LOCATION}},
            "lineItems": {"nodes": items},
        }

    def take_fulfilled(self, groups: list) -> list[dict]:
        """Ships the listed fulfillment order line items, or the user errors of quantities not left to ship."""
        with self.lock:
            remaining = {
                item["id"]: item["remainingQuantity"]
                for order in self.orders
                for item in self.fulfillment_order(order)["lineItems"]["nodes"]
            }
            wanted = [
                (item.get("id"), item.get("quantity"))
                for g in groups
                for item in g.get("fulfillmentOrderLineItems") or []
            ]
            errors = [
                {"field": ["fulfillment", "lineItemsByFulfillmentOrder"], "message": f"Invalid quantity for {item_id}"}
                for item_id, quantity in wanted
                if item_id not in remaining or not isinstance(quantity, int) or not 0 < quantity <= remaining[item_id]
            ]
            if not errors:
                for item_id, quantity in wanted:
                    self.fulfilled[item_id] += quantity
        return errors

    def refund_errors(self, data: dict) -> list[dict]:
        """User errors of a refund naming a line or a parent transaction the order does not have."""
        with self.lock:
            node = next((order for order in self.orders if order.get("id") == data.get("orderId")), None)
        if node is None:
            return [{"field": ["orderId"], "message": "Order does not exist"}]
        lines = {line["id"] for line in (node.get("lineItems") or {}).get("nodes") or []}
        payments = {transaction["id"] for transaction in _transactions(node)}
        errors = [
            {"field": ["refundLineItems", "lineItemId"], "message": f"Line item {item.get('lineItemId')} not found"}
            for item in data.get("refundLineItems") or []
            if item.get("lineItemId") not in lines
        ]
        errors += [
            {"field": ["transactions", "parentId"], "message": f"Transaction {t.get('parentId')} not found"}
            for t in data.get("transactions") or []
            if t.get("parentId") is not None and t.get("parentId") not in payments
        ]
        return errors


def connection_page(nodes: list, first: int, after: str | None) -> dict:
    """A page of a nested connection (an order's or a refund's lines), with an opaque cursor (base64 of the next
    index)."""
    start = json.loads(base64.b64decode(after))["index"] if after else 0
    page = nodes[start : start + first]
    end = base64.b64encode(json.dumps({"index": start + len(page)}).encode()).decode()
    return {"pageInfo": {"hasNextPage": start + first < len(nodes), "endCursor": end}, "nodes": page}


def cut_nested(node: dict, query: str) -> dict:
    """An order node as a query asking ``lineItems(first: N)`` and ``refundLineItems(first: M)`` sees it: at most
    N lines and M lines a refund, with ``hasNextPage`` where more are left (the node itself when nothing is cut)."""
    lines_first, refund_first = _LINE_ITEMS_FIRST.search(query), _REFUND_LINES_FIRST.search(query)
    lines = (node.get("lineItems") or {}).get("nodes") or []
    if lines_first and len(lines) > int(lines_first.group(1)):
        node = {**node, "lineItems": connection_page(lines, int(lines_first.group(1)), None)}
    refunds = node.get("refunds") or []
    if refund_first and any(
        len((r.get("refundLineItems") or {}).get("nodes") or []) > int(refund_first.group(1)) for r in refunds
    ):
        first = int(refund_first.group(1))
        refunds = [
            {**r, "refundLineItems": connection_page(r["refundLineItems"]["nodes"], first, None)} for r in refunds
        ]
        node = {**node, "refunds": refunds}
    return node


def _transactions(node: dict) -> list[dict]:
    status = node.get("displayFinancialStatus")
    kind = "SALE" if status in _PAID else "AUTHORIZATION" if status in _AUTHORISED else None
    if kind is None:
        return []
    gateways = node.get("paymentGatewayNames") or ["manual"]
    transaction_id = f"gid://shopify/OrderTransaction/65{_tail(node['id'])[-11:]}"
    return [
        {"id": transaction_id, "kind": kind, "status": "SUCCESS", "gateway": gateways[0], "parentTransaction": None}
    ]


def _tail(gid: str) -> str:
    return str(gid).rsplit("/", 1)[-1]
