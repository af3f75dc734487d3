"""What every platform client (Shopify, WooCommerce, Magento 2, PrestaShop) offers the channel, and the HTTP calls
they share.

A client is built from the channel's credentials and answers, in plain Python (no ORM):

- ``test_connection() -> str``: one real read call; says what works, or raises naming what failed (host,
  credentials, permissions, version);
- ``fetch_orders(since) -> Iterator[dict]``: the orders updated after ``since`` (a naive UTC datetime, or None for
  all), oldest first, page after page, each as the JSON object the staging keeps and the platform module's
  ``map_staged`` maps;
- ``push_stock(levels: list[StockLevel]) -> int``: sets the quantities, returns how many were set;
- ``push_shipment(shipment: Shipment) -> str``: one shipment with its tracking, returns the platform's id of it;
- ``push_refund(refund: RefundRequest) -> str``: one refund, returns the platform's id of it.

Failures raise :class:`~..errors.ConnectorError` (transient: try again later) or
:class:`~..errors.ConnectorConfigurationError` (someone must fix something first), with messages free of secrets.
"""

import logging
import time
from dataclasses import dataclass, field

import requests

from odoo.addons.oms_intelligent.services.http_errors import error_detail, retry_later, short_text
from odoo.addons.oms_intelligent.services.redact import url_secrets

from ..errors import ConnectorConfigurationError, ConnectorError

_logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class StockLevel:
    """The quantity a platform should show for one product (variant), at one of its locations when it has them."""

    quantity: float
    sku: str | None = None
    channel_product_id: str | None = None  # the platform's variant id, else product id (the binding's)
    location_id: str | None = None  # Shopify location, Magento source code; None: the platform's only stock


@dataclass(frozen=True, kw_only=True)
class ShipmentLine:
    external_line_id: str
    quantity: float


@dataclass(frozen=True, kw_only=True)
class Shipment:
    """A parcel that left, with its lines; ``complete``: every line of the order has now shipped."""

    order_external_id: str
    tracking_number: str
    carrier: str
    lines: tuple[ShipmentLine, ...]
    complete: bool
    tracking_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class RefundLine:
    external_line_id: str
    quantity: float
    amount: float  # tax included, in the order's currency


@dataclass(frozen=True, kw_only=True)
class RefundRequest:
    """Money given back in Odoo (a credit note), to be given back on the platform: once, hence ``key``."""

    order_external_id: str
    key: str  # unique per credit note: the client sends it where the platform keeps an idempotency key or a note
    amount: float  # the credit note's total, tax included
    currency: str
    lines: tuple[RefundLine, ...] = ()
    shipping_amount: float = 0.0
    reason: str | None = None
    restock: bool = False


@dataclass
class PlatformHttp:
    """HTTP calls to one platform: its authentication, retries of answers that mean "not now" (5xx, 408, 429,
    waiting what ``Retry-After`` asks up to ``max_wait`` seconds), and refusals turned into messages that say what
    to check. ``hints`` maps a refused status to what to check (``{401: "check the consumer key and secret"}``).

    An HTML page where JSON or XML was expected (a login page, a maintenance page, a proxy's error) is a clear
    connector error, never a parsing crash.
    """

    platform: str  # as users name it: "Shopify"
    base_url: str
    secrets: tuple = ()
    headers: dict = field(default_factory=dict)
    auth: tuple | None = None
    hints: dict = field(default_factory=dict)
    fallback_hint: str = "check the settings"  # what to check after a refusal no hint names
    timeout: float = 20.0
    max_retries: int = 4
    backoff: float = 0.5
    max_wait: float = 30.0
    session: requests.Session = field(default_factory=requests.Session)
    sleep: object = time.sleep

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        self.secrets = (*self.secrets, *url_secrets(self.base_url))

    def call(self, method: str, path: str, *, params=None, json=None, data=None, headers=None) -> requests.Response:
        """The answer to one call, after retries; ``path`` is appended to the base URL unless it is a full URL."""
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        all_headers = {**self.headers, **(headers or {})}
        failure, status = "", None
        for attempt in range(max(1, self.max_retries)):
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers=all_headers,
                    auth=self.auth,
                    timeout=self.timeout,
                )
            except requests.Timeout:
                status, failure, wait = None, f"did not answer within {self.timeout:g} s", None
            except requests.ConnectionError:
                status, failure, wait = None, "could not be reached", None
            except requests.RequestException as exc:  # malformed URL and the like
                raise ConnectorConfigurationError(
                    f"{self.platform} URL is not usable ({type(exc).__name__}): {self.hints.get('url', 'check it')}"
                ) from None
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                if not retry_later(status):
                    raise ConnectorConfigurationError(self.refusal(response), status=status)
                failure, wait = f"answered {status}", retry_after(response)
                if is_html(response):
                    failure += f" with an HTML page ({HTML_PAGE_HINT})"
                if wait is not None and wait > self.max_wait:
                    raise ConnectorError(
                        f"{self.platform} {failure} and asks to wait {wait:g} s before the next call; "
                        "the next run goes on from here",
                        transient=True,
                        status=status,
                    )
            _logger.warning(
                "%s %s %s %s (attempt %d of %d)", self.platform, method, path, failure, attempt + 1, self.max_retries
            )
            if attempt + 1 < self.max_retries:
                self.sleep(wait if wait is not None else self.backoff * 2**attempt)
        unreachable = f": {self.hints.get('unreachable', 'check the host name')}" if status is None else ""
        raise ConnectorError(
            f"{self.platform} {failure} after {self.max_retries} attempts{unreachable}", transient=True, status=status
        )

    def json(self, response: requests.Response, what: str):
        """The JSON body of an answer; an HTML page or broken JSON is a connector error naming ``what``."""
        if is_html(response):
            raise ConnectorError(self.html_message(response, what), transient=False, status=response.status_code)
        try:
            return response.json()
        except ValueError:
            raise ConnectorError(
                f"{self.platform} sent invalid JSON for {what}: {self.short(response.text[:80])!r}", transient=True
            ) from None

    def html_message(self, response: requests.Response, what: str) -> str:
        return (
            f"{self.platform} answered {what} with an HTML page instead of data (status {response.status_code}: "
            f"{HTML_PAGE_HINT})"
        )

    def refusal(self, response: requests.Response) -> str:
        """What a refused call tells the user: the status, the platform's own words, what to check."""
        detail = "" if is_html(response) else error_detail(response, self.secrets)
        hint = self.hints.get(response.status_code) or DEFAULT_HINTS.get(response.status_code, self.fallback_hint)
        return f"{self.platform} answered {response.status_code}{f' ({detail})' if detail else ''}: {hint}"

    def short(self, text: str) -> str:
        return short_text(text or "", self.secrets)


HTML_PAGE_HINT = "a maintenance, login or proxy page: check the shop URL and that the shop is online"
DEFAULT_HINTS = {
    400: "the platform refused the request",
    401: "check the credentials",
    403: "check the credentials' permissions",
    404: "check the shop URL and the API version",
}


def retry_after(response: requests.Response) -> float | None:
    """Seconds the server asks to wait (``Retry-After`` in seconds), or None when it does not say."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def is_html(response: requests.Response) -> bool:
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    return response.content[:200].lstrip().lower().startswith((b"<!doctype html", b"<html"))
