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

from dataclasses import dataclass

from odoo.addons.oms_intelligent.services.http_client import (  # noqa: F401 - the platform clients import them here
    DEFAULT_HINTS,
    ServiceHttp,
    is_html,
    retry_after,
)

from ..errors import ConnectorConfigurationError, ConnectorError


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
    """A delivery that left, with its lines; ``complete``: every line of the order has now shipped.

    ``tracking_number`` is Odoo's: the numbers of a label of several parcels, comma-separated (each platform takes
    them as its API does, see ``tracking_numbers``); ``tracking_url`` the carrier's page of the whole shipment,
    ``parcel_urls`` (number, page) of carriers giving one page per parcel."""

    order_external_id: str
    tracking_number: str
    carrier: str
    lines: tuple[ShipmentLine, ...]
    complete: bool
    tracking_url: str | None = None
    parcel_urls: tuple[tuple[str, str], ...] = ()

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        """Every parcel's tracking number, in the carrier's order, without repeats."""
        numbers = (number.strip() for number in (self.tracking_number or "").split(","))
        return tuple(dict.fromkeys(number for number in numbers if number))

    def url_of(self, number: str) -> str | None:
        """The page where one parcel is tracked: its own, else the shipment's."""
        return dict(self.parcel_urls).get(number) or self.tracking_url

    @property
    def main_url(self) -> str | None:
        """One page for the whole delivery, for platforms taking one: the shipment's, else its first parcel's."""
        numbers = self.tracking_numbers
        return self.tracking_url or (self.url_of(numbers[0]) if numbers else None)


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
class PlatformHttp(ServiceHttp):
    """:class:`ServiceHttp` raising the channel connectors' errors: ``ConnectorConfigurationError`` when someone
    must fix something first, ``ConnectorError`` when the same call may succeed later."""

    html_hint = "a maintenance, login or proxy page: check the shop URL and that the shop is online"
    default_hints = {
        **DEFAULT_HINTS,
        400: "the platform refused the request",
        404: "check the shop URL and the API version",
    }

    def error(self, message: str, *, transient: bool, status: int | None = None, unreachable: bool = False):
        if transient or unreachable:
            return ConnectorError(message, transient=True, status=status)
        return ConnectorConfigurationError(message, status=status)
