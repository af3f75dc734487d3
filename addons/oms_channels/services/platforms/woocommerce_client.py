"""The WooCommerce platform client: the contract of ``client.py`` over WooCommerce's REST API v3, plain Python
(facts in ``tests/fixtures/platforms/woocommerce/API.md``)::

    client = WooCommerceClient.from_credentials(
        {"site_url": "https://tienda.example.es", "consumer_key": "ck_...", "consumer_secret": "cs_..."}
    )

Calls go to ``<site_url>/wp-json/wc/v3`` with HTTP Basic (key, secret), over https only (why, and the loopback
exception of tests: ``woocommerce_http.py``), one at a time, through ``PlatformHttp`` (retries, ``Retry-After``).

- Pull: ``GET orders`` with ``status=any``, ``orderby=modified&order=asc``, ``dates_are_gmt=true`` and
  ``modified_after`` (strictly after, UTC, no offset). Page numbers over a set that changes can skip an order (one
  modified during the walk moves to the end and the rest shift back one place), so after the first page the walk
  goes on from the last order read: ``modified_after`` = its ``date_modified_gmt`` minus one second (the filter is
  strict and dates have whole seconds), page 1 again, dropping the orders of that second already yielded; it goes
  on by page number only while a whole page shares one second. The end: ``X-WP-TotalPages`` reached, or an empty
  page. An order with refunds gets their detail (``GET orders/<id>/refunds``, one call per refunded order) under
  ``woocommerce.REFUND_DOCUMENTS_KEY``, which ``map_staged`` passes to the mapper.
- Stock: ``woocommerce_stock.py``.
- Shipment: a note to the customer (``customer_note: true``, e-mailed by WooCommerce) naming the shipment's lines,
  carrier, tracking number and link, unless a customer note already holds that tracking number (a shipment pushed
  again); then ``status: completed`` only when every line has shipped.
- Refund: ``POST orders/<id>/refunds`` recording money already given back (``api_refund: false``: the payment
  gateway is not asked to pay again) with ``api_restock: false`` whatever ``refund.restock`` says: the OMS owns the
  stock, takes returned goods back in Odoo and pushes absolute quantities, so a WooCommerce restock would show
  goods before they are back. WooCommerce keeps no idempotency key: the credit note's key goes in ``reason`` as
  ``[<key>]``, and an existing refund holding it is returned instead of a second one.
"""

import html
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import ConnectorConfigurationError, ConnectorError
from . import woocommerce_stock
from .client import RefundRequest, Shipment, StockLevel
from .woocommerce import REFUND_DOCUMENTS_KEY
from .woocommerce_http import PLATFORM, WooCommerceHttp, api_base_url

PER_PAGE = 100  # WooCommerce's maximum
SHIPMENT_NOTE = "Shipped with {carrier}: {lines}. Tracking number {tracking_number}{link}."
_CENT = Decimal("0.01")
_WP_DATE = "%Y-%m-%dT%H:%M:%S"


class WooCommerceClient:
    """One WooCommerce shop, as ``client.py`` describes platform clients."""

    def __init__(self, http: WooCommerceHttp, per_page: int = PER_PAGE, shipment_note: str = SHIPMENT_NOTE):
        self.http = http
        self.per_page = max(1, min(PER_PAGE, per_page))
        self.shipment_note = shipment_note

    @classmethod
    def from_credentials(cls, credentials: dict, *, per_page: int = PER_PAGE, **http_options) -> "WooCommerceClient":
        """``credentials``: ``site_url``, ``consumer_key``, ``consumer_secret``; ``http_options``: PlatformHttp's
        (``timeout``, ``max_retries``, ``sleep``...)."""
        key, secret = (str(credentials.get(name) or "").strip() for name in ("consumer_key", "consumer_secret"))
        missing = [label for label, value in (("consumer key", key), ("consumer secret", secret)) if not value]
        if missing:
            raise ConnectorConfigurationError(f"WooCommerce {' and '.join(missing)} missing: fill in the channel")
        http = WooCommerceHttp(
            platform=PLATFORM,
            base_url=api_base_url(credentials.get("site_url")),
            secrets=(key, secret),
            auth=(key, secret),
            headers={"Accept": "application/json"},
            **http_options,
        )
        return cls(http, per_page=per_page)

    def __repr__(self) -> str:
        return "WooCommerceClient()"  # the site URL is for managers' eyes only

    # --- reading ----------------------------------------------------------------------------------------------------

    def test_connection(self) -> str:
        response = self.http.call("GET", "/orders", params={"per_page": 1})
        if not isinstance(self.http.json(response, "the orders list"), list):
            raise ConnectorError(
                "WooCommerce answered the orders list with something else: check the site URL", transient=False
            )
        total = response.headers.get("X-WP-Total", "").strip()
        count = f" ({total} in the shop)" if total.isdigit() else ""
        return f"Connected to WooCommerce: the consumer key can read orders{count}"

    def fetch_orders(self, since: datetime | None) -> Iterator[dict]:
        query = {"status": "any", "orderby": "modified", "order": "asc", "dates_are_gmt": "true"}
        query["per_page"] = self.per_page
        after, seen, page = _utc(since), set(), 1
        while True:
            if after is not None:
                # Going on from an order read: its own second again (the filter is strict), its ids dropped.
                query["modified_after"] = (after - timedelta(seconds=1) if seen else after).strftime(_WP_DATE)
            orders, total_pages = self._orders_page({**query, "page": page})
            fresh = [order for order in orders if _order_id(order) not in seen]
            for order in fresh:
                yield self._with_refunds(order)
            # Without X-WP-TotalPages (a proxy dropped it), a page shorter than asked is the last one.
            last_page = total_pages if total_pages is not None else page + (len(orders) >= self.per_page)
            if not orders or page >= last_page:
                return
            last = _modified(orders[-1])
            if fresh and last is not None and (after is None or last > after):
                after, page = last, 1
                seen = {_order_id(order) for order in orders if _modified(order) == last}
            else:  # a whole page within one second: on by page number
                seen |= {_order_id(order) for order in orders}
                page += 1

    def _orders_page(self, params: dict) -> tuple[list, int | None]:
        what = f"page {params['page']} of the orders"
        response = self.http.call("GET", "/orders", params=params)
        orders = self.http.json(response, what)
        if not isinstance(orders, list):
            raise ConnectorError(f"WooCommerce answered {what} without a list of orders")
        pages = response.headers.get("X-WP-TotalPages", "").strip()
        return orders, int(pages) if pages.isdigit() else None

    def _with_refunds(self, order):
        order_id = _order_id(order)
        if not (isinstance(order, dict) and order.get("refunds") and isinstance(order["refunds"], list) and order_id):
            return order
        what = f"the refunds of order {order_id}"
        refunds = self.http.json(self.http.call("GET", f"/orders/{order_id}/refunds", params={"per_page": 100}), what)
        if not isinstance(refunds, list):
            raise ConnectorError(f"WooCommerce answered {what} without a list")
        return {**order, REFUND_DOCUMENTS_KEY: refunds}

    def _order(self, order_id: str) -> dict:
        order = self.http.json(self.http.call("GET", f"/orders/{order_id}"), f"order {order_id}")
        if not isinstance(order, dict):
            raise ConnectorError(f"WooCommerce answered order {order_id} with something else than an order")
        return order

    # --- pushing back -----------------------------------------------------------------------------------------------

    def push_stock(self, levels: list[StockLevel]) -> int:
        return woocommerce_stock.push_stock(self.http, levels)

    def push_shipment(self, shipment: Shipment) -> str:
        if not shipment.tracking_numbers:
            raise ValueError("a shipment without tracking number is not pushed to WooCommerce")
        order_id = _platform_id(shipment.order_external_id)
        note_id = self._customer_note_naming(order_id, shipment.tracking_numbers[0])
        if note_id is None:
            body = {"note": self._shipment_note(order_id, shipment), "customer_note": True}
            answer = self.http.json(self.http.call("POST", f"/orders/{order_id}/notes", json=body), "the note")
            if not isinstance(answer, dict) or answer.get("id") in (None, ""):
                raise ConnectorError(f"WooCommerce answered the note of order {order_id} without its id")
            note_id = str(answer["id"])
        if shipment.complete:
            self.http.call("PUT", f"/orders/{order_id}", json={"status": "completed"})
        return note_id

    def _shipment_note(self, order_id: str, shipment: Shipment) -> str:
        """The note the customer reads: the shipment's lines by the order's names, carrier, tracking, link."""
        names = {
            str(item["id"]): html.unescape(str(item.get("name") or item["id"]))
            for item in _items(self._order(order_id), "line_items")
        }
        lines = ", ".join(
            f"{names.get(line.external_line_id, line.external_line_id)} × {_number(line.quantity)}"
            for line in shipment.lines
        )
        numbers = shipment.tracking_numbers
        pages = [shipment.tracking_url] if shipment.tracking_url else [shipment.url_of(number) for number in numbers]
        return self.shipment_note.format(
            carrier=shipment.carrier,
            lines=lines or "your order",
            tracking_number=", ".join(numbers),
            link=f" ({', '.join(pages)})" if all(pages) else "",
        )

    def _customer_note_naming(self, order_id: str, tracking_number: str) -> str | None:
        """The id of a note the customer already got with this tracking number: a shipment pushed again (its
        status update had failed) does not e-mail the customer twice."""
        what = f"the notes of order {order_id}"
        notes = self.http.json(self.http.call("GET", f"/orders/{order_id}/notes", params={"type": "customer"}), what)
        naming = re.compile(rf"(?<![\w-]){re.escape(tracking_number)}(?![\w-])")
        for note in notes if isinstance(notes, list) else ():
            if isinstance(note, dict) and note.get("customer_note") and naming.search(str(note.get("note") or "")):
                return str(note.get("id"))
        return None

    def push_refund(self, refund: RefundRequest) -> str:
        order_id = _platform_id(refund.order_external_id)
        path = f"/orders/{order_id}/refunds"
        existing = self.http.json(
            self.http.call("GET", path, params={"per_page": 100}), f"the refunds of order {order_id}"
        )
        marker = f"[{refund.key}]"
        for document in existing if isinstance(existing, list) else ():
            if isinstance(document, dict) and marker in str(document.get("reason") or ""):
                return str(document.get("id"))
        order = self._order(order_id)
        if str(order.get("currency") or refund.currency).upper() != refund.currency.upper():
            raise ValueError(f"refund in {refund.currency} for WooCommerce order {order_id} in {order.get('currency')}")
        body = {
            "amount": f"{Decimal(str(refund.amount)).quantize(_CENT, ROUND_HALF_UP)}",
            "reason": f"{refund.reason} {marker}" if refund.reason else marker,
            "api_refund": False,
            "api_restock": False,
            "line_items": _refund_items(order, refund),
        }
        created = self.http.json(self.http.call("POST", path, json=body), f"the refund of order {order_id}")
        if not isinstance(created, dict) or created.get("id") in (None, ""):
            raise ConnectorError(f"WooCommerce answered the refund of order {order_id} without its id")
        return str(created["id"])


def _refund_items(order: dict, refund: RefundRequest) -> list[dict]:
    """The order items refunded, each with its amount split into the tax-excluded part and the tax of each rate,
    in the proportions of the order item (WooCommerce keeps line amounts without tax)."""
    items = {str(item.get("id")): item for item in _items(order, "line_items")}
    refunded = []
    for line in refund.lines:
        item = items.get(str(line.external_line_id))
        if item is None:
            raise ValueError(f"line {line.external_line_id} is not an item of WooCommerce order {order.get('id')}")
        refunded.append({"id": item["id"], "quantity": _number(line.quantity), **_split(line.amount, item)})
    shipping = _items(order, "shipping_lines")
    if refund.shipping_amount and shipping:
        refunded.append({"id": shipping[0]["id"], **_split(refund.shipping_amount, shipping[0])})
    return refunded


def _split(amount: float, item: dict) -> dict:
    gross = Decimal(str(amount)).quantize(_CENT, ROUND_HALF_UP)
    net = _decimal(item.get("total"))
    taxes = [(tax.get("id"), _decimal(tax.get("total"))) for tax in _items(item, "taxes")]
    taxes = [(rate_id, total) for rate_id, total in taxes if rate_id is not None and total]
    item_gross = net + sum(total for _, total in taxes)
    if not taxes or item_gross <= 0:
        return {"refund_total": float(gross)}
    shares = [(rate_id, (gross * total / item_gross).quantize(_CENT, ROUND_HALF_UP)) for rate_id, total in taxes]
    return {
        "refund_total": float(gross - sum(share for _, share in shares)),
        "refund_tax": [{"id": rate_id, "refund_total": float(share)} for rate_id, share in shares],
    }


def _items(data: dict, key: str) -> list[dict]:
    value = data.get(key) if isinstance(data, dict) else None
    return (
        [item for item in value if isinstance(item, dict) and item.get("id") is not None]
        if isinstance(value, list)
        else []
    )


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _platform_id(external_id) -> str:
    text = str(external_id or "").strip()
    if not text.isdigit():
        raise ValueError(f"{external_id!r} is not a WooCommerce order id")
    return text


def _order_id(order) -> str | None:
    value = order.get("id") if isinstance(order, dict) else None
    return str(value) if isinstance(value, int | str) and not isinstance(value, bool) else None


def _modified(order) -> datetime | None:
    value = order.get("date_modified_gmt") if isinstance(order, dict) else None
    try:
        return datetime.strptime(value, _WP_DATE) if isinstance(value, str) else None
    except ValueError:
        return None


def _utc(since) -> datetime | None:
    """``since`` as a naive UTC datetime to the second (None, or False from an empty Odoo field: everything)."""
    if not since:
        return None
    if since.tzinfo is not None:
        since = since.astimezone(timezone.utc).replace(tzinfo=None)
    return since.replace(microsecond=0)


def _number(quantity: float) -> int | float:
    return int(quantity) if float(quantity).is_integer() else quantity
