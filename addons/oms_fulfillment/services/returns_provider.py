"""Client of a returns provider's JSON API (stand_ins/returns_provider.py serves the same API for tests)::

    POST /returns          {"reference", "customer": {name, street, city, zip, country_code, email},
                            "warehouse": {...}, "items": [{"sku", "name", "quantity"}]}
                           -> {"tracking_number", "label_pdf": <base64>}
    GET  /returns/<number> -> {"tracking_number", "status": "label_created" | "in_transit" | "delivered"
                               | "exception", "description"}

The provider may also post the same status document to the OMS (a webhook): :func:`parse_status` reads both.
Every call carries the header ``X-Api-Key``; errors answer ``{"error": "<why>"}`` with a 4xx or 5xx status and
raise :class:`ReturnsProviderError` (never holding the key nor the URL, even when the provider echoes them).
"""

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import quote

import requests

from odoo.addons.oms_intelligent.services.http_errors import error_detail, retry_later, short_text
from odoo.addons.oms_intelligent.services.redact import url_secrets

DEFAULT_TIMEOUT = 10.0
# A status document is a few hundred bytes: the webhook reads no more than this.
MAX_STATUS_BYTES = 64 * 1024
STATUSES = ("label_created", "in_transit", "delivered", "exception")


class ReturnsProviderError(Exception):
    """A call to the returns provider failed; ``transient``: the same call may succeed later."""

    def __init__(self, message, transient=False):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class ReturnLabel:
    tracking_number: str
    pdf: bytes


@dataclass(frozen=True)
class ReturnStatus:
    tracking_number: str
    status: str
    description: str = ""


def parse_status(data):
    """A status document (answer of a poll or body of a webhook) as a :class:`ReturnStatus`."""
    if not isinstance(data, dict):
        raise ReturnsProviderError("the returns provider's status is not a JSON object")
    number = data.get("tracking_number")
    status = data.get("status")
    if not isinstance(number, str) or not number.strip():
        raise ReturnsProviderError("the returns provider's status has no tracking number")
    if status not in STATUSES:
        raise ReturnsProviderError(f"unknown return status {str(status)[:40]!r}")
    return ReturnStatus(number.strip(), status, str(data.get("description") or ""))


class ReturnsProviderClient:
    def __init__(self, url, api_key, timeout=DEFAULT_TIMEOUT, session=None):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self._secrets = (api_key, *url_secrets(url), *url_secrets(self.url))
        self.timeout = timeout
        self.session = session or requests.Session()

    def _call(self, method, path, payload=None):
        try:
            response = self.session.request(
                method,
                f"{self.url}{path}",
                json=payload,
                headers={"X-Api-Key": self.api_key, "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.Timeout as error:
            raise ReturnsProviderError("the returns provider did not answer in time", transient=True) from error
        except requests.RequestException as error:
            raise ReturnsProviderError("the returns provider cannot be reached", transient=True) from error
        if response.status_code >= 400:
            why = error_detail(response, self._secrets) or short_text(response.reason or "", self._secrets)
            raise ReturnsProviderError(
                f"the returns provider refused the call ({response.status_code}): {why}",
                transient=retry_later(response.status_code),
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ReturnsProviderError("the returns provider's answer is not JSON")
        return data

    def create_label(self, reference, customer, warehouse, items):
        """A prepaid return label for the customer to send `items` ([{sku, name, quantity}]) back."""
        data = self._call(
            "POST",
            "/returns",
            {"reference": reference, "customer": customer, "warehouse": warehouse, "items": items},
        )
        number = data.get("tracking_number")
        if not isinstance(number, str) or not number.strip():
            raise ReturnsProviderError("the returns provider gave no tracking number")
        try:
            pdf = base64.b64decode(data.get("label_pdf") or "", validate=True)
        except (binascii.Error, TypeError) as error:
            raise ReturnsProviderError("the returns provider's label is not base64") from error
        if not pdf.startswith(b"%PDF"):
            raise ReturnsProviderError("the returns provider's label is not a PDF")
        return ReturnLabel(number.strip(), pdf)

    def status(self, tracking_number):
        """Where the returned parcel is (a poll)."""
        return parse_status(self._call("GET", f"/returns/{quote(tracking_number, safe='')}"))
