"""The platforms a channel may run on, seen from the staging: which client pulls them, and how a staged payload (an
order as the platform sent it, kept as it came) becomes a channel order (the schema of :mod:`..channel_order`).

Plain Python; the platform modules are imported when first used.
"""

import importlib

from ..payload import MAX_EXTERNAL_ID_LENGTH, clean_text
from ..signature import SIGNATURE_HEADER, verify

PLATFORM_LABELS = {
    "shopify": "Shopify",
    "woocommerce": "WooCommerce",
    "magento": "Magento 2",
    "prestashop": "PrestaShop",
}
# Magento 2 (open source) and PrestaShop have no order webhooks of their own: they are pulled.
WEBHOOK_PLATFORMS = ("shopify", "woocommerce")
_PAGE_SIZE_OPTIONS = {"woocommerce": "per_page"}
_CLIENTS = {
    "shopify": "ShopifyClient",
    "woocommerce": "WooCommerceClient",
    "magento": "MagentoClient",
    "prestashop": "PrestashopClient",
}


def _module(platform: str, suffix: str = ""):
    if platform not in PLATFORM_LABELS:
        raise ValueError(f"unknown platform {platform!r}")
    return importlib.import_module(f"{__package__}.{platform}{suffix}")


def platform_client(platform: str, credentials: dict, *, page_size: int | None = None, **http_options):
    """The client of ``platform`` built from the channel's credentials (the keys of client.py), asking for
    ``page_size`` orders per page of a pull (the client's default when None)."""
    client_class = getattr(_module(platform, "_client"), _CLIENTS[platform])
    if page_size:
        http_options[_PAGE_SIZE_OPTIONS.get(platform, "page_size")] = page_size
    return client_class.from_credentials(credentials, **http_options)


def channel_order_of(platform: str, payload: dict) -> dict:
    """The channel order of a staged payload; the OMS schema's own payload is one already. Raises
    ChannelOrderError naming the platform's field when the payload lacks what the mapping needs."""
    if platform == "oms":
        return payload
    return _module(platform).map_staged(payload)


def raw_external_id(platform: str, payload) -> str | None:
    """The platform's order id read leniently from a payload that did not map, so that its corrected version is
    the same staged order."""
    if not isinstance(payload, dict):
        return None
    if platform == "prestashop":
        payload = payload.get("order") if isinstance(payload.get("order"), dict) else {}
    elif platform == "magento":
        payload = payload.get("order") if isinstance(payload.get("order"), dict) else payload
    keys = {"shopify": ("legacyResourceId", "id"), "magento": ("entity_id",)}.get(platform, ("id",))
    for key in keys:
        value = payload.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            text = clean_text(str(value)).strip()
            if platform == "shopify" and text.startswith("gid://"):
                text = text.rsplit("/", 1)[-1]
            if text:
                return text[:MAX_EXTERNAL_ID_LENGTH]
    return None


def webhook_verdict(platform: str, secret: str, body: bytes, headers) -> str:
    """What a body pushed to a channel's webhook address is: ``order`` (signed, an order: staged), ``deleted``
    (signed, the platform threw an order away: cancelled, the body not staged), ``ping`` (a platform checking the
    address: answered, nothing kept), ``other`` (signed, a topic that is no order: answered, nothing kept) or
    ``refused`` (no valid signature under the channel's secret, or a platform without webhooks)."""
    if platform == "oms":
        return "order" if verify(secret, body, headers.get(SIGNATURE_HEADER)) else "refused"
    if platform not in WEBHOOK_PLATFORMS:
        return "refused"
    module = _module(platform)
    if platform == "woocommerce" and module.is_ping(body, headers):
        return "ping"
    if not secret or not module.verify_webhook(secret, body, headers):
        return "refused"
    topic = module.webhook_topic(headers)
    if platform == "woocommerce" and topic == "cancel":
        return "deleted"  # the order moved to the trash: the body names it, it is not an order
    return "order" if topic else "other"


def deleted_order_ref(platform: str, body: bytes) -> str | None:
    """The external id a ``deleted`` webhook body names (WooCommerce's ``{"id": N}``), or None."""
    return _module(platform).deleted_order_id(body) if platform == "woocommerce" else None
