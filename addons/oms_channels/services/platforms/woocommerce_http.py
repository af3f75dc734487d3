"""HTTP calls to a WooCommerce shop's REST API v3: where they go, how they authenticate, and what a refusal tells
the user (facts in ``tests/fixtures/platforms/woocommerce/API.md``). Plain Python, on ``PlatformHttp``.

Authentication: HTTP Basic with the consumer key and secret, WooCommerce's documented way over HTTPS. Over plain
HTTP WooCommerce ignores Basic and the query-string keys alike and accepts only OAuth 1.0a signatures; sending the
secret in clear to a remote host is no option either, so a plain ``http://`` site URL is refused, except on this
machine's loopback (``127.0.0.1``, ``localhost``: the local stand-in of the tests, a developer's shop).

Refusals are read from WordPress's error ``code`` rather than the status alone, since WooCommerce answers 401 for
a wrong secret, an unknown key and a read-only key alike.
"""

import ipaddress
import re
from urllib.parse import urlsplit

import requests

from odoo.addons.oms_intelligent.services.http_errors import error_detail

from ..errors import ConnectorConfigurationError
from .client import PlatformHttp, is_html

PLATFORM = "WooCommerce"
API_PATH = "/wp-json/wc/v3"
_KEYS_PLACE = "WooCommerce > Settings > Advanced > REST API"
CODE_HINTS = {
    "woocommerce_rest_cannot_view": (
        "check the consumer key (WooCommerce refuses an unknown key as a guest) and its permissions: its user must "
        f"manage WooCommerce and the key must allow Read ({_KEYS_PLACE})"
    ),
    "woocommerce_rest_cannot_edit": (
        f"check the consumer key and its permissions: the key must allow Read/Write ({_KEYS_PLACE})"
    ),
    "woocommerce_rest_cannot_create": (
        f"check the consumer key and its permissions: the key must allow Read/Write ({_KEYS_PLACE})"
    ),
    "rest_no_route": (
        "check the site URL (the WordPress address, without /wp-json), that WooCommerce is active there and that "
        "its REST API is reachable (Settings > Permalinks must not be 'Plain')"
    ),
    "woocommerce_rest_shop_order_invalid_id": "the order is not in the shop (deleted, or another shop's)",
    "rest_invalid_param": "WooCommerce refused a parameter of the request",
}
_HTML_HINT = (
    "it answered with an HTML page instead of its REST API (a maintenance, login or proxy page): check the site "
    "URL and that the shop is online"
)


def api_base_url(site_url) -> str:
    """``<site_url>/wp-json/wc/v3``; a site URL pasted with ``/wp-json...`` is cut back to the site. Refuses what
    cannot work: no URL, not http(s), plain http to a remote host (see the module's docstring)."""
    site = str(site_url or "").strip()
    site = re.sub(r"/wp-json(/.*)?$", "", site.rstrip("/"), flags=re.IGNORECASE).rstrip("/")
    try:
        parts = urlsplit(site)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if not parts or parts.scheme not in ("http", "https") or not host:
        raise ConnectorConfigurationError(
            "WooCommerce site URL is missing or not a web address: give it as https://<your shop>"
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise ConnectorConfigurationError(
            "WooCommerce accepts consumer keys over plain http only with OAuth 1.0a signatures, and the secret must "
            "not travel in clear: give the site URL with https://"
        )
    return site + API_PATH


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class WooCommerceHttp(PlatformHttp):
    """``PlatformHttp`` with WooCommerce's refusal messages."""

    def refusal(self, response: requests.Response) -> str:
        status = response.status_code
        if is_html(response):
            return f"{self.platform} answered {status}: {_HTML_HINT}"
        detail = error_detail(response, self.secrets)
        return f"{self.platform} answered {status}{f' ({detail})' if detail else ''}: {self._hint(response)}"

    def _hint(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            body = None
        code = body.get("code") if isinstance(body, dict) else None
        message = str(body.get("message") or "").lower() if isinstance(body, dict) else ""
        if code == "woocommerce_rest_authentication_error":
            if "write permission" in message:
                return f"the consumer key is read-only: set its permissions to Read/Write ({_KEYS_PLACE})"
            if "secret" in message:
                return "check the consumer secret (it must belong to the consumer key)"
            return "check the consumer key and secret"
        hint = CODE_HINTS.get(code)
        if hint is None and isinstance(code, str) and code.startswith("woocommerce_rest_cannot_"):
            hint = CODE_HINTS["woocommerce_rest_cannot_edit"]
        status = response.status_code
        return hint or self.hints.get(status) or self.default_hints.get(status, self.fallback_hint)
