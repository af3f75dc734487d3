"""Client of the marketplace REST API (stand_ins/marketplace.py serves the same API for tests)::

    GET  /ping                                       -> {"ok": true, "shop": "<name>"}
    GET  /orders?since=<ISO 8601>&page=<n>&per_page=<k>
                                                     -> {"orders": [...], "page": n, "next_page": n + 1 | null}
         orders updated strictly after since, sorted by updated_at then external_id
    POST /stock {"items": [{"sku": "OMS-001", "quantity": 12.0}]}  -> {"updated": <count>}
    POST /orders/<external_id>/shipments {"carrier", "tracking_number", "tracking_numbers", "tracking_url"}
         tracking_number as Odoo keeps it (the parcels' numbers comma-separated), tracking_numbers each parcel's

Every call carries ``Authorization: Bearer <api_key>``. Neither the key nor the base URL (manager-only, it may hold
a token) appears in messages or logs, even when the marketplace echoes them.
"""

from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

import requests

from odoo.addons.oms_intelligent.services.redact import redact, url_secrets

from .channel_order import format_datetime
from .errors import ConnectorError
from .platforms.client import PlatformHttp

STATUS_HINTS = {
    400: "the marketplace refused the request",
    401: "check the API key",
    403: "check the API key and its permissions",
    404: "check the endpoint URL",
}


class RestConnector:
    """Marketplace REST client.

    ``max_retries`` is the number of attempts of each call, the first included; between attempts it waits
    ``backoff * 2 ** attempt`` seconds (0.5, 1, 2...). Server errors (5xx, 408, 429), timeouts and connection
    errors are retried, then raise a transient ConnectorError; other 4xx raise ConnectorConfigurationError at once.
    Retrying writes is safe: the stock push sets absolute quantities and a shipment is keyed by its order.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        per_page: int = 100,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.per_page = per_page
        self.http = PlatformHttp(
            platform="marketplace",
            base_url=self.base_url,
            secrets=(api_key, *url_secrets(base_url)),
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            hints={**STATUS_HINTS, "url": "check the endpoint URL", "unreachable": "check the endpoint URL"},
            fallback_hint="check the channel settings",
            timeout=timeout,
            max_retries=max(1, max_retries),
            backoff=backoff,
            session=session or requests.Session(),
        )

    def __repr__(self) -> str:
        return f"RestConnector({self.base_url!r})"

    def test_connection(self) -> str:
        body = self._json(self._call("GET", "/ping"), "/ping")
        shop = body.get("shop") if isinstance(body, dict) else None
        return self._redact(f"Connected to {shop}") if shop else "Connected to the marketplace"

    def fetch_orders(self, since: datetime | None) -> Iterator[dict]:
        """Raw order dicts updated after since (all of them when since is empty: None, or False from an empty
        Odoo field; naive values are UTC), page after page; not validated, so that the caller can quarantine
        malformed ones instead of losing the whole batch."""
        params = {"per_page": self.per_page}
        if since:
            params["since"] = format_datetime(since)
        page = 1
        while page is not None:
            body = self._json(self._call("GET", "/orders", params={**params, "page": page}), f"/orders page {page}")
            orders = body.get("orders") if isinstance(body, dict) else None
            if not isinstance(orders, list):
                raise ConnectorError(f"marketplace sent page {page} of /orders without an order list")
            yield from orders
            next_page = body.get("next_page")
            if next_page is not None and (type(next_page) is not int or next_page <= page):
                # Guards against a server that would make us loop forever.
                raise ConnectorError(f"marketplace sent page {page} of /orders with a bad next_page {next_page!r}")
            page = next_page

    def push_stock(self, items: list[dict]) -> int:
        """Send [{"sku", "quantity"}] to the marketplace; returns how many it updated."""
        if not items:
            return 0
        body = self._json(self._call("POST", "/stock", json={"items": items}), "/stock")
        updated = body.get("updated") if isinstance(body, dict) else None
        if type(updated) is not int:
            raise ConnectorError("marketplace answered /stock without the count of updated items")
        return updated

    def push_tracking(
        self,
        external_id: str,
        carrier: str,
        tracking_number: str,
        tracking_url: str | None = None,
        tracking_numbers: list[str] | None = None,
    ) -> None:
        payload = {
            "carrier": carrier,
            "tracking_number": tracking_number,
            "tracking_numbers": list(tracking_numbers or [tracking_number]),
            "tracking_url": tracking_url or None,
        }
        path = f"/orders/{quote(str(external_id), safe='')}/shipments"
        self._call("POST", path, json={key: value for key, value in payload.items() if value is not None})

    def _call(self, method: str, path: str, *, params: dict | None = None, json=None) -> requests.Response:
        return self.http.call(method, path, params=params, json=json)

    def _json(self, response: requests.Response, what: str):
        try:
            return response.json()
        except ValueError as exc:
            raise ConnectorError(
                f"marketplace sent invalid JSON for {what}: {self._redact(str(exc))}", transient=True
            ) from None

    def _redact(self, text: str) -> str:
        return redact(text, self.http.secrets)
