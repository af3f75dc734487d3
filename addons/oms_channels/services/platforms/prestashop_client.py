"""The PrestaShop webservice client (the contract is in ``client.py``; the platform's facts in
``tests/fixtures/platforms/prestashop/API.md``). Plain Python.

The webservice is ``<shop URL>/api``, XML, the 32-character key as the HTTP Basic user name with an empty password.
Orders are pulled by ``prestashop_orders.OrderSync``. What PrestaShop cannot take, and what the client does instead:

- **Partial shipments**: PrestaShop keeps one tracking number per order carrier, not per parcel. Each shipment puts
  its own tracking number on the order's carrier (the latest parcel's replaces the earlier one, which stays in Odoo)
  and PrestaShop mails the customer its link; the order goes to the shipped state only with the shipment that
  completes it. A label of several parcels puts its first parcel's number: the field holds one (64 characters),
  which PrestaShop puts in the carrier's tracking URL.
- **Refunds**: the webservice cannot write a credit slip's lines (``order_slip_details`` has no setter) and moves no
  money, so :meth:`PrestashopClient.push_refund` creates nothing and says to make the refund in the back office
  (``Orders > the order > Partial refund``); the slip made there comes back with the next pull as the order's refund.
"""

import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConnectorConfigurationError, ConnectorError
from .client import RefundRequest, Shipment, StockLevel
from .prestashop_http import PLATFORM, WEBSERVICE_SETTINGS, PrestashopHttp, webservice_http
from .prestashop_orders import ID_BATCH, PAGE_SIZE, OrderSync

# Resources and methods the connector uses; the key's permissions must tick them.
NEEDED = {
    "orders": ("get",),
    "order_details": ("get",),
    "order_cart_rules": ("get",),
    "order_slip": ("get",),
    "order_histories": ("get", "post"),
    "order_carriers": ("get", "put"),
    "order_states": ("get",),
    "customers": ("get",),
    "addresses": ("get",),
    "currencies": ("get",),
    "countries": ("get",),
    "states": ("get",),
    "carriers": ("get",),
    "taxes": ("get",),
    "cart_rules": ("get",),
    "stock_availables": ("get", "put"),
}
# Read when the key may (optional: the table holds every setting of the shop, some may prefer not to grant it).
SETTINGS = {
    "PS_TIMEZONE": "timezone",
    "PS_CURRENCY_DEFAULT": "currency_id",
    "PS_OS_CANCELED": "cancelled_state_id",
    "PS_OS_SHIPPING": "shipped_state_id",
}
CONFIGURATIONS_NOT_READABLE = (
    "; the key may not read configurations, so the shop's time zone is unknown: order dates are taken as UTC"
)
SHIPPED_TEMPLATE = "shipped"  # the mail template of the installer's "Shipped" state, kept when shops rename it


class PrestashopClient:
    def __init__(self, http: PrestashopHttp, page_size: int = PAGE_SIZE):
        self.http = http
        self.page_size = page_size
        self._settings: dict | None = None

    @classmethod
    def from_credentials(cls, credentials: dict, **http_options) -> "PrestashopClient":
        shop_url = (credentials.get("shop_url") or "").strip().rstrip("/").removesuffix("/api")
        key = (credentials.get("webservice_key") or "").strip()
        if not shop_url or not key:
            raise ConnectorConfigurationError(f"{PLATFORM} needs the shop URL and the webservice key")
        if not shop_url.startswith(("http://", "https://")):
            shop_url = f"https://{shop_url}"
        page_size = http_options.pop("page_size", PAGE_SIZE)
        http = webservice_http(shop_url, key, **http_options)
        return cls(http, page_size=page_size)

    # --- reading --------------------------------------------------------------------------------------------------

    def test_connection(self) -> str:
        """``GET /api/``: the resources the key may use, against what the connector needs."""
        try:
            root = self.http.root(self.http.call("GET", "/"), "the resource list")
        except ConnectorError as exc:
            if exc.status == 503 and not isinstance(exc, ConnectorConfigurationError):
                raise ConnectorError(
                    f"{exc} (the shop may be in maintenance mode or its host throttling calls)", status=503
                ) from None
            raise
        api = root.find("api")
        if api is None:
            raise ConnectorError(f"{PLATFORM} answered the resource list without <api>: check the shop URL")
        allowed = {child.tag: child.attrib for child in api if isinstance(child.tag, str)}
        missing = []
        for resource, methods in NEEDED.items():
            refused = [method.upper() for method in methods if allowed.get(resource, {}).get(method) != "true"]
            if refused:
                missing.append(f"{resource} ({'/'.join(refused)})")
        if missing:
            raise ConnectorConfigurationError(
                f"{PLATFORM} webservice key lacks permissions: tick {', '.join(missing)} "
                f"in the key's permissions ({WEBSERVICE_SETTINGS})"
            )
        shop = self.http.short(api.get("shopName") or "") or PLATFORM
        settings = "" if "configurations" in allowed else CONFIGURATIONS_NOT_READABLE
        return f"Connected to {shop}: the webservice key may read orders and push stock and shipments{settings}"

    def fetch_orders(self, since=None):
        yield from OrderSync(self.http, self.settings(), self.page_size).orders(since)

    def settings(self) -> dict:
        """The shop's configuration the connector uses (``SETTINGS``), ``{}`` when the key may not read it."""
        if self._settings is None:
            params = {"display": "full", "filter[name]": f"[{'|'.join(SETTINGS)}]"}
            try:
                rows = self.http.list("configurations", params, "the shop's configuration")
            except ConnectorConfigurationError as exc:
                if exc.status != 401:
                    raise
                rows = []  # not allowed for this key: optional
            settings = {}
            # The shop-wide row before a multistore shop's own.
            for row in sorted(rows, key=lambda row: str(row.get("id_shop") or "0").strip() not in ("", "0")):
                name = SETTINGS.get(str(row.get("name") or ""))
                if name and name not in settings and str(row.get("value") or "").strip():
                    settings[name] = str(row["value"]).strip()
            if not _known_zone(settings.get("timezone")):
                settings.pop("timezone", None)
            self._settings = settings
        return self._settings

    # --- pushing --------------------------------------------------------------------------------------------------

    def push_stock(self, levels: list[StockLevel]) -> int:
        """Sets each level's quantity on its ``stock_availables`` row; the rows of all levels in one lookup call
        per ``ID_BATCH`` products. Rows that cannot be found are named (by SKU) after the others are set."""
        keys = [(level, _product_key(level)) for level in levels]
        product_ids = sorted({key[0] for _level, key in keys if key}, key=int)
        rows = {}
        for start in range(0, len(product_ids), ID_BATCH):
            batch = product_ids[start : start + ID_BATCH]
            params = {"display": "full", "filter[id_product]": f"[{'|'.join(batch)}]"}
            for row in self.http.list("stock_availables", params, f"the stock of products {', '.join(batch)}"):
                key = (str(row.get("id_product")).strip(), str(row.get("id_product_attribute") or "0").strip())
                rows.setdefault(key, []).append(row)
        pushed, problems = 0, []
        for level, key in keys:
            label = level.sku or level.channel_product_id or "?"
            if key is None:
                problems.append(f"{label}: no PrestaShop product id (12, or 12-45 for a combination)")
            elif len(rows.get(key, [])) != 1:
                found = "no stock_availables row" if key not in rows else "one stock_availables row per shop"
                problems.append(f"{label}: {found} for product {'-'.join(key)}")
            else:
                self._put_stock(rows[key][0], level, label)
                pushed += 1
        if problems:
            raise ConnectorConfigurationError(
                f"{PLATFORM} stock set for {pushed} product(s), not for: {'; '.join(problems)}"
            )
        return pushed

    def _put_stock(self, row: dict, level: StockLevel, label: str) -> None:
        fields = {name: value for name, value in row.items() if isinstance(value, str)}
        fields["quantity"] = str(math.floor(level.quantity))  # a whole number; never promise a part
        try:
            self.http.send(
                "PUT", f"/stock_availables/{fields['id']}", "stock_available", fields, f"the stock of {label}"
            )
        except ConnectorError as exc:
            raise type(exc)(f"{label}: {exc}", **_error_options(exc)) from None

    def push_shipment(self, shipment: Shipment) -> str:
        """The tracking number on the order's carrier (and its mail to the customer); the shipped state when the
        shipment completes the order. Both skipped when already there, so a retried push changes nothing."""
        if not shipment.tracking_numbers:
            raise ValueError(f"order {shipment.order_external_id}: a shipment is pushed only with its tracking number")
        order_id = _digits(shipment.order_external_id, "order")
        params = {"display": "full", "filter[id_order]": f"[{order_id}]"}
        carriers = self.http.list("order_carriers", params, f"the carrier of order {order_id}")
        if not carriers:
            raise ConnectorConfigurationError(f"{PLATFORM} order {order_id} has no carrier to put the tracking on")
        carrier = min(carriers, key=lambda row: int(row.get("id") or 0))
        # One number per order carrier, which PrestaShop's mail puts in the carrier's URL: the first parcel's.
        tracking = shipment.tracking_numbers[0]
        if str(carrier.get("tracking_number") or "").strip() != tracking:
            fields = {name: value for name, value in carrier.items() if isinstance(value, str)}
            fields["tracking_number"] = tracking
            what = f"the tracking number of order {order_id}"
            self.http.send("PUT", f"/order_carriers/{carrier['id']}", "order_carrier", fields, what, {"sendemail": "1"})
        if shipment.complete:
            self._mark_shipped(order_id)
        return str(carrier["id"])

    def _mark_shipped(self, order_id: str) -> None:
        state = self.shipped_state_id()
        params = {"display": "full", "filter[id_order]": f"[{order_id}]", "filter[id_order_state]": f"[{state}]"}
        if self.http.list("order_histories", params, f"the history of order {order_id}"):
            return
        fields = {"id_order": order_id, "id_order_state": state}
        self.http.send(
            "POST", "/order_histories", "order_history", fields, f"the state of order {order_id}", {"sendemail": "1"}
        )

    def shipped_state_id(self) -> str:
        """``PS_OS_SHIPPING`` when the configuration is readable, else the state with the "shipped" mail."""
        state = self.settings().get("shipped_state_id")
        if state:
            return state
        for row in self.http.list("order_states", {"display": "full"}, "the order states"):
            templates = row.get("template")
            templates = templates.values() if isinstance(templates, dict) else [templates]
            if any(str(name or "").strip() == SHIPPED_TEMPLATE for name in templates):
                return str(row["id"]).strip()
        raise ConnectorConfigurationError(
            f"{PLATFORM} has no order state with the '{SHIPPED_TEMPLATE}' mail: let the webservice key read "
            f"configurations (PS_OS_SHIPPING) in its permissions ({WEBSERVICE_SETTINGS})"
        )

    def push_refund(self, refund: RefundRequest) -> str:
        """Refused: the webservice cannot write a credit slip's lines nor move money (see the module docstring)."""
        raise ConnectorConfigurationError(
            f"{PLATFORM} cannot take refunds through its webservice: refund {refund.amount:.2f} {refund.currency} "
            f"of order {refund.order_external_id} in the PrestaShop back office (Orders > the order > Partial "
            "refund); the credit slip comes back with the next pull"
        )


def _product_key(level: StockLevel) -> tuple[str, str] | None:
    """(id_product, id_product_attribute) of ``"12"`` or ``"12-45"`` (the mapper's ``channel_product_id``)."""
    product, _, combination = (level.channel_product_id or "").strip().partition("-")
    if not product.isdigit() or int(product) == 0 or (combination and not combination.isdigit()):
        return None
    return product, combination or "0"


def _digits(value: str, what: str) -> str:
    text = str(value or "").strip()
    if not text.isdigit():
        raise ConnectorConfigurationError(f"{PLATFORM} {what} id must be a number (got {text[:20]!r})")
    return text


def _known_zone(name: str | None) -> bool:
    try:
        return bool(name) and ZoneInfo(name) is not None
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _error_options(exc: ConnectorError) -> dict:
    if isinstance(exc, ConnectorConfigurationError):
        return {"status": exc.status}
    return {"transient": exc.transient, "status": exc.status}
