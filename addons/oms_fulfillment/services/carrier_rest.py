"""Client of a carrier's JSON API (stand_ins/rest_carrier.py serves the same API for tests)::

    POST   /rates                   shipment            -> {"service", "price", "currency", "transit_days"}
    POST   /shipments               shipment            -> {"tracking_number", "label_pdf": <base64>, "price",
                                                            "currency"}
    GET    /tracking/<number>                           -> {"tracking_number", "status", "delivered_at": <ISO 8601>
                                                            | null, "description", "events": [...]}
    DELETE /shipments/<number>                          -> {"cancelled": true}

A shipment is :func:`.carrier.shipment_to_dict`. Every call carries the headers ``X-Api-Key`` and ``X-Account``;
errors answer ``{"error": "<why>"}`` with a 4xx or 5xx status. Calls are not retried here: rates and labels are
asked for while someone waits (the picking's *Retry* button asks again), tracking is polled again by the next
scheduled run. Neither the API key, the account nor the service URL (manager-only) appears in messages or logs, even
when the carrier echoes them.
"""

import logging
from urllib.parse import quote

import requests

from odoo.addons.oms_intelligent.services.http_errors import error_detail, retry_later
from odoo.addons.oms_intelligent.services.redact import url_secrets

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import (
    DEFAULT_TIMEOUT,
    CarrierError,
    Label,
    Rate,
    Sentence,
    Shipment,
    TrackingStatus,
    _,
    checked_label,
    checked_rate,
    normalise_status,
    parse_utc,
    shipment_to_dict,
)

_logger = logging.getLogger(__name__)

STATUS_HINTS = {
    400: _("the carrier refused the shipment's data"),
    401: _("check the carrier's API key"),
    403: _("check the carrier's API key and account"),
    404: _("check the carrier's service URL"),
    422: _("the carrier refused the shipment's data"),
}


class RestCarrierClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        account: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ):
        if not (base_url or "").lower().startswith(("http://", "https://")):
            raise CarrierError(_("the carrier's service URL must start with http:// or https://"), transient=False)
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key or ""
        self._account = account or ""
        self._secrets = (self._api_key, self._account, *url_secrets(base_url), *url_secrets(self.base_url))
        self.timeout = timeout
        self.session = session or requests.Session()

    def __repr__(self) -> str:
        return f"RestCarrierClient({self.base_url!r})"

    # --- operations -------------------------------------------------------------------------------------------------

    def rate(self, shipment: Shipment) -> Rate:
        body = self._json("POST", "/rates", _("rate"), json=shipment_to_dict(shipment))
        service = body.get("service") or shipment.service
        return checked_rate(body.get("price"), body.get("currency"), body.get("transit_days"), service)

    def create_label(self, shipment: Shipment) -> Label:
        body = self._json("POST", "/shipments", _("label"), json=shipment_to_dict(shipment))
        return checked_label(
            body.get("tracking_number"), body.get("label_pdf"), body.get("price"), body.get("currency")
        )

    def tracking(self, tracking_number: str) -> TrackingStatus:
        body = self._json("GET", f"/tracking/{quote(tracking_number, safe='')}", _("tracking"))
        delivered_at = body.get("delivered_at")
        return TrackingStatus(
            tracking_number=str(body.get("tracking_number") or tracking_number),
            status=normalise_status(body.get("status")),
            delivered_at=parse_utc(delivered_at) if delivered_at else None,
            description=str(body.get("description") or ""),
            events=tuple(str(event) for event in body.get("events") or ()),
        )

    def cancel(self, tracking_number: str) -> None:
        self._json("DELETE", f"/shipments/{quote(tracking_number, safe='')}", _("cancellation"))

    # --- plumbing ---------------------------------------------------------------------------------------------------

    def _json(self, method: str, path: str, what: Sentence, *, json=None) -> dict:
        headers = {"X-Api-Key": self._api_key, "X-Account": self._account, "Accept": "application/json"}
        try:
            response = self.session.request(
                method, self.base_url + path, json=json, headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            raise CarrierError(
                _(
                    "the carrier did not answer the %(what)s request within %(seconds)s s",
                    what=what,
                    seconds=format(self.timeout, "g"),
                ),
                unreachable=True,
            ) from None
        except requests.ConnectionError:
            raise CarrierError(
                _("the carrier's service could not be reached for the %(what)s request", what=what), unreachable=True
            ) from None
        except requests.RequestException as exc:  # malformed URL and the like
            raise CarrierError(
                _("the carrier's service URL is not usable (%(error)s)", error=type(exc).__name__), transient=False
            ) from None
        status = response.status_code
        if not 200 <= status < 300:
            raise self._refusal(response, what)
        try:
            body = response.json()
        except (ValueError, RecursionError):
            raise CarrierError(
                _("the carrier answered the %(what)s request with something that is not JSON", what=what)
            ) from None
        if not isinstance(body, dict):
            raise CarrierError(_("the carrier answered the %(what)s request with an unexpected document", what=what))
        return body

    def _refusal(self, response: requests.Response, what: Sentence) -> CarrierError:
        status = response.status_code
        detail = error_detail(response, self._secrets)
        answered = f"{status} ({detail})" if detail else str(status)  # the carrier's own words, as it sent them
        if retry_later(status):
            return CarrierError(
                _(
                    "the carrier answered %(status)s to the %(what)s request: try again later",
                    status=answered,
                    what=what,
                ),
                status=status,
            )
        hint = STATUS_HINTS.get(status, _("check the carrier's settings"))
        return CarrierError(
            _(
                "the carrier answered %(status)s to the %(what)s request: %(hint)s",
                status=answered,
                what=what,
                hint=hint,
            ),
            transient=False,
            status=status,
        )
