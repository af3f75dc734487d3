"""Magento 2 / Adobe Commerce REST (V1) client: the contract of :mod:`.client`, as
``tests/fixtures/platforms/magento/API.md`` documents the API. Plain Python, every call through :class:`PlatformHttp`.

- **Credentials**: ``base_url`` (the shop's address, without ``/rest``), ``access_token`` (the integration's, System >
  Extensions > Integrations), ``store_code`` (default ``default``). Calls go to ``<base_url>/rest/<store_code>/V1/``
  with ``Authorization: Bearer <access token>``. Since Magento 2.4.4 that needs a store setting: *Stores >
  Configuration > Services > OAuth > Consumer Settings > Allow OAuth Access Tokens to be used as standalone Bearer
  tokens* = Yes (otherwise Magento wants OAuth 1.0a signatures, which this client does not make). Every write used
  here is global or bound to an order, so the store code serves them too (``all`` is not needed).
- **Orders**: ``GET V1/orders`` filtered on ``updated_at`` (Magento's UTC ``YYYY-MM-DD HH:MM:SS``), sorted
  ``updated_at`` then ``entity_id`` ascending. Pages are read by key, not by number: each page asks for what comes
  after the last order read (``updated_at`` >= its time AND (``updated_at`` > its time OR ``entity_id`` > its id)),
  ``currentPage`` 1. An order updated while the pull reads moves to the end of the sort; numbered pages would then
  shift under the reader and skip an order, and a page number past the end answers the last page again. The end is
  ``total_count`` within the page. The first page takes ``updated_at`` >= ``since`` (not >): an order changed in the
  same second as the cursor is read again (staging counts the replay) rather than never.
- **Refunds**: orders with ``total_refunded`` > 0 or ``state`` closed get their credit memos from one
  ``GET V1/creditmemos`` per page (``order_id`` in the page's), under ``oms_creditmemos`` (see ``magento.map_staged``).
- **Stock**: a level with a ``location_id`` sets that MSI source's quantity (``POST V1/inventory/source-items``, in
  batches). Magento subtracts from a source's quantity its own reservations (its orders placed but not shipped); a
  quantity that already deducts those orders (imported and reserved in Odoo) counts them twice until they ship. So the
  caller passes, for a Magento source, the quantity before this channel's own open orders are deducted; the client
  writes it as given. A level without a location sets the product's single stock item (``PUT
  V1/products/<sku>/stockItems/<item id>``, the id read from ``GET V1/stockItems/<sku>``): without MSI, Magento lowers
  that quantity when an order is placed and keeps no reservations, so the OMS's promise is the right number there.
- **Shipments**: ``POST V1/order/<id>/ship`` with the shipment's lines and a track per parcel (never without a
  tracking number); Magento completes an invoiced order itself once everything has shipped.
- **Refunds pushed**: an offline credit memo, ``POST V1/order/<id>/refund``, the credit note's key in its comment
  (``[OMS refund <key>]``), looked for among the order's credit memos first, so that a refund is made once. Magento
  computes the items' amounts from the order; the shipping argument is sent excluding tax (Magento's default
  *Display Shipping Amount* in sales documents; a store set to "including tax" would read it as tax included), and
  the adjustment (positive or negative) makes the credit memo's total equal the credit note's.
"""

import logging
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import quote

from ..errors import ConnectorConfigurationError, ConnectorError
from .client import PlatformHttp, RefundRequest, Shipment, StockLevel
from .magento import STAGED_CREDITMEMOS
from .magento_requests import (
    creditmemo_request,
    item_quantities,
    magento_id,
    number,
    order_key,
    orders_after,
    search_criteria,
    source_item,
)

_logger = logging.getLogger(__name__)

PLATFORM = "Magento"
PAGE_SIZE = 100  # at most 300 when the shop's Web API input limits are on
STOCK_BATCH_SIZE = 100
BEARER_SETTING = (
    "Stores > Configuration > Services > OAuth > Consumer Settings > Allow OAuth Access Tokens to be used as "
    "standalone Bearer tokens = Yes"
)
HINTS = {
    401: (
        "check the integration's access token (System > Extensions > Integrations; the integration active), that "
        f"Magento accepts it as a Bearer token ({BEARER_SETTING}), and that the integration has access to the "
        "resource named (its API tab)"
    ),
    403: (
        "check the integration's resource access (System > Extensions > Integrations > API: Sales > Operations, "
        "Magento_Sales::sales, with orders, shipments and credit memos; stock for stock updates)"
    ),
    404: "check the base URL (the shop's address, without /rest) and the store code",
}
NO_ROUTE = "Request does not match any route."  # Magento's 404 for a path it does not serve
# Carriers Magento has a module for; any other carrier's track is "custom", with the carrier's name as its title.
MAGENTO_CARRIERS = {"ups": "ups", "usps": "usps", "fedex": "fedex", "dhl": "dhl"}


class MagentoHttp(PlatformHttp):
    """Magento's refusals name what they refuse through placeholders (``%resources``, ``%1``) filled from the
    error's ``parameters``: filled in here, so that the user reads the ACL resource or the SKU."""

    def refusal(self, response) -> str:
        message = super().refusal(response)
        try:
            body = response.json()
            parameters = body.get("parameters")
        except (ValueError, AttributeError):
            return message
        if response.status_code == 404 and body.get("message") not in (None, "", NO_ROUTE):
            # A missing entity (an order, a SKU), not a wrong URL: Magento's words say which.
            message = f"{self.platform} answered 404 ({self.short(str(body['message']))})"
        if isinstance(parameters, list):
            parameters = {str(position): value for position, value in enumerate(parameters, start=1)}
        if isinstance(parameters, dict):
            for name, value in sorted(parameters.items(), key=lambda pair: -len(pair[0])):
                message = message.replace(f"%{name}", self.short(str(value)))
        return message


class MagentoClient:
    def __init__(self, http: PlatformHttp, store_code: str = "default", page_size: int = PAGE_SIZE):
        self.http = http
        self.store_code = store_code
        self.page_size = page_size

    @classmethod
    def from_credentials(cls, credentials: dict, **http_options) -> "MagentoClient":
        """A client of the channel's ``base_url``, ``access_token`` and ``store_code``; ``http_options`` go to
        :class:`PlatformHttp` (``timeout``, ``max_retries``, ``sleep``...), except ``page_size`` (orders per page)."""
        base_url = (credentials.get("base_url") or "").strip().rstrip("/")
        token = (credentials.get("access_token") or "").strip()
        if not base_url or not token:
            raise ConnectorConfigurationError("Magento needs the shop's base URL and the integration's access token")
        store_code = (credentials.get("store_code") or "default").strip().strip("/") or "default"
        page_size = http_options.pop("page_size", PAGE_SIZE)
        http = MagentoHttp(
            platform=PLATFORM,
            base_url=f"{base_url}/rest",
            secrets=(token,),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            hints=HINTS,
            **http_options,
        )
        return cls(http, store_code=quote(store_code, safe=""), page_size=page_size)

    # --- calls ------------------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, what: str, **kwargs):
        response = self.http.call(method, f"/{self.store_code}/V1/{path}", **kwargs)
        return self.http.json(response, what)

    def test_connection(self) -> str:
        answer = self._call("GET", "orders", "the orders list", params=search_criteria([], page_size=1))
        total = answer.get("total_count") if isinstance(answer, dict) else None
        if not isinstance(total, int):
            raise ConnectorError("Magento answered the orders list without total_count: check the base URL")
        return f"Magento store view {self.store_code!r} answered: {total} order(s) readable"

    # --- orders -----------------------------------------------------------------------------------------------------

    def fetch_orders(self, since: datetime | None = None):
        """The orders updated since ``since`` (naive UTC), oldest first, each with its credit memos if refunded."""
        last = None  # the last order read: the next page starts after it
        while True:
            criteria = search_criteria(orders_after(since, last), page_size=self.page_size)
            items, total = _page(self._call("GET", "orders", "an orders page", params=criteria))
            self._attach_creditmemos(items)
            yield from items
            if total <= len(items) or not items:
                return
            if last is not None and order_key(items[-1]) <= order_key(last):
                raise ConnectorError("Magento answered an orders page that does not move on: its filter was ignored")
            last = items[-1]

    def _attach_creditmemos(self, orders: list[dict]) -> None:
        refunded = [order.get("entity_id") for order in orders if _has_refunds(order)]
        if not refunded:
            return
        filters = [[("order_id", "in", ",".join(str(entity_id) for entity_id in refunded))]]
        answer = self._call("GET", "creditmemos", "the credit memos", params=search_criteria(filters))
        memos: dict[str, list] = {}
        for memo in _page(answer)[0]:
            memos.setdefault(str(memo.get("order_id")), []).append(memo)
        for order in orders:
            found = memos.get(str(order.get("entity_id")))
            if found:
                order[STAGED_CREDITMEMOS] = sorted(found, key=lambda memo: magento_id(memo.get("entity_id")))

    # --- stock ------------------------------------------------------------------------------------------------------

    def push_stock(self, levels: list[StockLevel]) -> int:
        for level in levels:
            if not level.sku:
                raise ConnectorConfigurationError(
                    f"Magento sets stock by SKU: the product bound as {level.channel_product_id!r} has none"
                )
        sourced = [level for level in levels if level.location_id]
        for start in range(0, len(sourced), STOCK_BATCH_SIZE):
            batch = sourced[start : start + STOCK_BATCH_SIZE]
            body = {"sourceItems": [source_item(level) for level in batch]}
            with _naming(f"stock of SKU {', '.join(level.sku for level in batch[:5])}{'...' * (len(batch) > 5)}"):
                self._call("POST", "inventory/source-items", "the stock update", json=body)
        for level in levels:
            if not level.location_id:
                with _naming(f"stock of SKU {level.sku}"):
                    self._set_stock_item(level)
        return len(levels)

    def _set_stock_item(self, level: StockLevel) -> None:
        sku = quote(level.sku, safe="")
        item = self._call("GET", f"stockItems/{sku}", "the stock item")
        item_id = item.get("item_id") if isinstance(item, dict) else None
        if item_id in (None, ""):
            raise ConnectorError("Magento answered a stock item without item_id", transient=False)
        body = {"stockItem": {"qty": number(level.quantity), "is_in_stock": level.quantity > 0}}
        self._call("PUT", f"products/{sku}/stockItems/{quote(str(item_id), safe='')}", "the stock update", json=body)

    # --- shipments --------------------------------------------------------------------------------------------------

    def push_shipment(self, shipment: Shipment) -> str:
        if not shipment.tracking_numbers:
            raise ValueError("a shipment is pushed to Magento only with its tracking number")
        carrier = (shipment.carrier or "").strip()
        # One track per parcel: Magento lists each number on the shipment and in the customer's e-mail.
        body = {
            "items": item_quantities(shipment.lines),
            "tracks": [
                {
                    "track_number": number,
                    "title": carrier or "Carrier",
                    "carrier_code": MAGENTO_CARRIERS.get(carrier.lower(), "custom"),
                }
                for number in shipment.tracking_numbers
            ],
            "notify": True,
        }
        with _naming(f"shipment of order {shipment.order_external_id}"):
            answer = self._call("POST", f"{_order_path(shipment.order_external_id)}/ship", "the shipment", json=body)
        return str(answer)

    # --- refunds ----------------------------------------------------------------------------------------------------

    def push_refund(self, refund: RefundRequest) -> str:
        marker = f"[OMS refund {refund.key}]"
        with _naming(f"refund of order {refund.order_external_id}"):
            existing = self._existing_creditmemo(refund.order_external_id, marker)
            if existing is not None:
                _logger.info("Magento credit memo %s already holds %s", existing, marker)
                return existing
            order = self._call("GET", f"orders/{quote(str(refund.order_external_id), safe='')}", "the order")
            body = creditmemo_request(order, refund, marker)
            answer = self._call("POST", f"{_order_path(refund.order_external_id)}/refund", "the refund", json=body)
        return str(answer)

    def _existing_creditmemo(self, order_id: str, marker: str) -> str | None:
        filters = [[("order_id", "eq", order_id)]]
        answer = self._call("GET", "creditmemos", "the credit memos", params=search_criteria(filters))
        for memo in _page(answer)[0]:
            comments = memo.get("comments") if isinstance(memo.get("comments"), list) else []
            if any(isinstance(note, dict) and marker in str(note.get("comment") or "") for note in comments):
                return str(memo.get("entity_id"))
        return None


# --- helpers --------------------------------------------------------------------------------------------------------


@contextmanager
def _naming(subject: str):
    """A connector error raised inside says what was being done (the SKU, the order) before what failed."""
    try:
        yield
    except ConnectorConfigurationError as error:
        raise ConnectorConfigurationError(f"{subject}: {error}", status=error.status) from error
    except ConnectorError as error:
        raise ConnectorError(f"{subject}: {error}", transient=error.transient, status=error.status) from error


def _page(answer) -> tuple[list, int]:
    items = answer.get("items") if isinstance(answer, dict) else None
    total = answer.get("total_count") if isinstance(answer, dict) else None
    if not isinstance(items, list) or not isinstance(total, int) or not all(isinstance(i, dict) for i in items):
        raise ConnectorError("Magento answered a search without items and total_count", transient=True)
    return items, total


def _has_refunds(order: dict) -> bool:
    try:
        refunded = float(order.get("total_refunded") or 0)
    except (TypeError, ValueError):
        refunded = 0
    return refunded > 0 or order.get("state") == "closed"


def _order_path(order_id) -> str:
    return f"order/{quote(str(order_id), safe='')}"
