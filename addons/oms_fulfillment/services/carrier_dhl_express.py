"""Client of DHL Express's MyDHL API (REST, version 2.12.0; stand_ins/dhl_express.py serves the same API for tests)::

    POST   /rates                                  every product for the parcels and route, priced, with ETA
    POST   /shipments                              waybill, label PDF (base64), commercial invoice
    GET    /tracking?shipmentReference=...         our reference -> waybill (before buying a label: see below)
    GET    /shipments/<waybill>/tracking           checkpoints
    DELETE /pickups/<dispatchConfirmationNumber>   cancels a courier pickup booked with the shipment

HTTP Basic authentication with the DHL developer portal app's API key and secret, the header ``x-version`` on every
call; the DHL Express account number travels in bodies and queries. Neither appears in messages.

Idempotency: DHL has no idempotency key and cannot send a label again. Every shipment carries our reference
(``customerReferences`` CU), and before buying a label the client looks that reference up: a shipment found means
an earlier attempt was bought although its answer was lost (a time-out, a 5xx), and :class:`DhlShipmentExists`
gives its waybill instead of buying a second. A new label for the same delivery then needs a new reference.

Cancellation: MyDHL has no void of a waybill. :meth:`DhlExpressClient.cancel` cancels the courier pickup booked with
the shipment when there is one; otherwise it raises :class:`DhlNoCancellation`, which says what to do.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import DEFAULT_TIMEOUT, CarrierError, Label, Rate, Sentence, Shipment, TrackingStatus, _, joined
from .carrier_dhl_express_answers import (
    DhlShipmentExists,
    dicts,
    problem_text,
    read_label,
    read_rates,
    read_tracking,
)
from .carrier_dhl_express_payloads import checked_shipment, planned_shipping, rate_request, shipment_request
from .carrier_http import CarrierHttp

PRODUCTION_URL = "https://express.api.dhl.com/mydhlapi"
TEST_URL = "https://express.api.dhl.com/mydhlapi/test"
X_VERSION = "2.12.0"
HINTS = {
    400: _("DHL Express refused the request"),
    401: _("check the DHL API key and API secret (the developer portal app's, not the MyDHL login)"),
    403: _("check that the DHL developer portal app may use the MyDHL API"),
    404: _("check the DHL Express service URL"),
    422: _("DHL Express refused the shipment's data"),
    "unreachable": _("check the DHL Express service URL and the network"),
    "url": _("check the DHL Express service URL"),
}
OPTIONS = frozenset(
    {"timeout", "session", "label_template", "incoterm", "description", "pickup", "requestor_name", "timezone"}
    | {"planned_hour", "clock", "paper_size"}
)
# The transport label template of each paper size (DHL's OpenAPI file, imageOptions.templateName): A6 for a label
# printer, an 8x4 inch label laid on an A4 page for an office printer.
LABEL_TEMPLATES = {"A6": "ECOM26_A6_002", "A4": "ECOM26_84_A4_001"}
# The incoterms a parcel shipper chooses between: the receiver pays duties and taxes (DAP) or the shipper (DDP).
INCOTERMS = ("DAP", "DDP")
# How far around the ship date a lost shipment is looked for: DHL wants a time frame when searching by reference.
LOOKUP_DAYS_BEFORE, LOOKUP_DAYS_AFTER = 7, 10


class DhlNoCancellation(CarrierError):
    """MyDHL cannot cancel a waybill: the caller forgets it locally after telling the user what to do."""


class DhlHttp(CarrierHttp):
    def refusal(self, response: requests.Response) -> Sentence:
        try:
            reason = self.short(problem_text(response.json()))
        except (ValueError, RecursionError):
            reason = ""
        status = response.status_code
        if status == 400 and "account" in reason.lower():
            return _("DHL Express answered 400 (%(reason)s): check the DHL Express account number", reason=reason)
        if status in (400, 422) and reason:  # DHL's own words name what to correct
            return _("DHL Express refused the request: %(reason)s", reason=reason)
        hint = self.hints.get(status) or self.default_hints.get(status, self.fallback_hint)
        if reason:
            return _("DHL Express answered %(status)s (%(reason)s): %(hint)s", status=status, reason=reason, hint=hint)
        return _("DHL Express answered %(status)s: %(hint)s", status=status, hint=hint)


class DhlExpressClient:
    """One DHL Express account. ``settings`` (see :meth:`from_credentials`) shape the shipments it buys."""

    def __init__(self, http: DhlHttp, account: str, **settings):
        self.http = http
        # Buying a label is never repeated automatically: a retried POST could buy a second waybill.
        self.http_once = replace(http, max_retries=1)
        self.account = account
        self.timezone = ZoneInfo(settings.get("timezone") or "Europe/Madrid")
        self.planned_hour = int(settings.get("planned_hour", 16))
        self.requestor_name = settings.get("requestor_name") or "Warehouse"
        self.clock = settings.get("clock") or (lambda: datetime.now(self.timezone))
        self.shipment_settings = {
            "account": account,
            "label_template": settings.get("label_template") or LABEL_TEMPLATES[settings.get("paper_size") or "A6"],
            "incoterm": settings.get("incoterm") or "DAP",
            "description": settings.get("description") or "Goods",
            "pickup": settings.get("pickup"),
        }

    def __repr__(self) -> str:
        return "DhlExpressClient()"

    @classmethod
    def from_credentials(cls, credentials: dict, **options) -> "DhlExpressClient":
        """``credentials``: ``api_key`` and ``api_secret`` (the developer portal app's), ``account_number`` (the DHL
        Express account billed), ``environment`` (``production`` or ``test``, default ``test``) or ``base_url``.
        ``options``: ``timeout`` (s), ``session``, ``paper_size`` of the label (``A6``, the default, or ``A4``) or
        its ``label_template`` (a DHL template name), ``incoterm`` (``DAP``, the default, or ``DDP``),
        ``description`` (of the goods when no customs line names them), ``pickup`` (None: the courier comes anyway;
        else ``{"closeTime": "18:00", "location": "reception"}`` books one per shipment), ``requestor_name`` (who
        cancels pickups), ``timezone`` of the warehouse, ``planned_hour`` (of departure), ``clock`` (a callable giving
        the aware local time, for tests)."""
        unknown = set(options) - OPTIONS
        if unknown:
            raise TypeError(f"DhlExpressClient has no option {', '.join(sorted(unknown))}")
        if (options.get("paper_size") or "A6") not in LABEL_TEMPLATES:
            raise CarrierError(_("the DHL Express label paper size is either A6 or A4"), transient=False)
        if (options.get("incoterm") or "DAP") not in INCOTERMS:
            raise CarrierError(_("the DHL Express incoterm is either DAP or DDP"), transient=False)
        missing = [
            label
            for key, label in (
                ("api_key", _("API Key")),
                ("api_secret", _("API Secret")),
                ("account_number", _("Account Number")),
            )
            if not str(credentials.get(key) or "").strip()
        ]
        if missing:
            raise CarrierError(
                _(
                    "DHL Express needs the carrier's %(settings)s: an OMS manager sets them on its Carrier Account tab",
                    settings=joined(missing, ", "),
                ),
                transient=False,
            )
        key, secret, account = (str(credentials[name]).strip() for name in ("api_key", "api_secret", "account_number"))
        environment = credentials.get("environment") or "test"
        if environment not in ("test", "production"):
            raise CarrierError(_("the DHL Express environment is either test or production"), transient=False)
        base_url = credentials.get("base_url") or (PRODUCTION_URL if environment == "production" else TEST_URL)
        if not str(base_url).lower().startswith(("http://", "https://")):
            raise CarrierError(_("the DHL Express service URL must start with https://"), transient=False)
        http = DhlHttp(
            platform="DHL Express",
            base_url=base_url,
            secrets=(key, secret, account),
            headers={"x-version": X_VERSION, "Accept": "application/json"},
            auth=(key, secret),
            hints=HINTS,
            timeout=options.pop("timeout", DEFAULT_TIMEOUT),
            **({"session": options.pop("session")} if options.get("session") else {}),
        )
        return cls(http, account, **options)

    # --- operations -------------------------------------------------------------------------------------------------

    def test_connection(self) -> str:
        """A real read: a search of the account's shipments by a reference nobody uses, which needs the key, the
        secret and the account number (a 404 "no shipments" is the expected answer)."""
        self.lookup("OMS-CONNECTION-TEST", self.clock().date())
        return _("DHL Express accepted the API key, the secret and the account number")

    def rates(self, shipment: Shipment) -> list[Rate]:
        """Every product DHL offers the account for these parcels and this route, in one call for all parcels,
        cheapest first (prices without insurance, which DHL prices per product: see :meth:`rate`)."""
        return self._rates(shipment, insured_service=False)

    def rate(self, shipment: Shipment) -> Rate:
        """The shipment's service (a DHL product code), priced with its insurance; else the cheapest product."""
        if shipment.service and shipment.insured_value:
            rates = self._rates(shipment, insured_service=True)
        else:
            rates = self.rates(shipment)
        if not shipment.service:
            return rates[0]
        chosen = next((rate for rate in rates if rate.service == shipment.service), None)
        if chosen is None:
            offered = ", ".join(f"{rate.service} {rate.service_name}" for rate in self.rates(shipment))
            raise CarrierError(
                _(
                    "DHL Express does not offer product %(product)s on this route (it offers %(offered)s)",
                    product=shipment.service,
                    offered=offered,
                ),
                transient=False,
            )
        return chosen

    def _rates(self, shipment: Shipment, *, insured_service: bool) -> list[Rate]:
        checked_shipment(shipment, for_label=False)
        body = rate_request(shipment, self.account, self._planned(shipment), insured_service=insured_service)
        rates = read_rates(self.http.json(self.http.call("POST", "/rates", json=body), _("the rates")))
        if not rates and not insured_service:
            raise CarrierError(
                _(
                    "DHL Express offers no service from %(origin)s to %(destination)s for these parcels",
                    origin=shipment.sender.country_code,
                    destination=" ".join((shipment.recipient.country_code, shipment.recipient.zip)),
                ),
                transient=False,
            )
        return sorted(rates, key=lambda rate: rate.price)

    def create_label(self, shipment: Shipment) -> Label:
        checked_shipment(shipment, for_label=True)
        if not shipment.service:
            shipment = replace(shipment, service=self.rate(shipment).service)
        planned = self._planned(shipment)
        body = shipment_request(shipment, self.shipment_settings, planned)
        earlier = self.lookup(shipment.reference, planned.date())
        if earlier:
            raise DhlShipmentExists(
                _(
                    "DHL Express already has waybill %(waybill)s for %(reference)s, bought by an earlier attempt whose "
                    "answer was lost; DHL cannot send its label again. Ask DHL Express to reprint it, or print a new "
                    "label under another reference and never hand over parcels under the first waybill",
                    waybill=earlier,
                    reference=shipment.reference,
                ),
                earlier,
            )
        try:
            response = self.http_once.call("POST", "/shipments", json=body)
        except CarrierError as error:
            if not error.transient:
                raise
            raise CarrierError(
                _(
                    "%(error)s. DHL Express may have bought the label all the same: Retry looks for %(reference)s at "
                    "DHL first, so no second label is bought",
                    error=error.sentence or error.message,
                    reference=shipment.reference,
                ),
                status=error.status,
                unreachable=error.unreachable,
            ) from None
        return read_label(self.http.json(response, _("the label")))

    def tracking(self, number: str) -> TrackingStatus:
        path = f"/shipments/{quote(str(number), safe='')}/tracking"
        params = {"trackingView": "all-checkpoints", "levelOfDetail": "shipment", "requestGMTOffsetPerEvent": "true"}
        try:
            response = self.http.call("GET", path, params=params)
        except CarrierError as error:
            if error.status != 404:
                raise
            # Transient: a waybill just created may have no data until DHL scans it; the next poll asks again.
            raise CarrierError(
                _(
                    "DHL Express has no tracking data for waybill %(waybill)s yet: check the number if this lasts",
                    waybill=number,
                ),
                status=404,
            ) from None
        return read_tracking(self.http.json(response, _("the tracking")), number)

    def cancel(self, label_or_number: Label | str) -> None:
        """Cancels the courier pickup booked with the label (``Label.shipment_id``, DHL's dispatch confirmation
        number); a waybill itself cannot be cancelled at DHL: :class:`DhlNoCancellation` says what to do."""
        pickup = label_or_number.shipment_id if isinstance(label_or_number, Label) else ""
        number = label_or_number.tracking_number if isinstance(label_or_number, Label) else str(label_or_number)
        if not pickup:
            raise DhlNoCancellation(
                _(
                    "DHL Express cannot cancel waybill %(waybill)s (the MyDHL API has no cancellation): destroy its "
                    "label and do not hand its parcels to DHL; the tracking number can then be removed from the "
                    "delivery",
                    waybill=number,
                ),
                transient=False,
            )
        params = {"requestorName": self.requestor_name, "reason": f"shipment {number} cancelled"}
        self.http.call("DELETE", f"/pickups/{quote(pickup, safe='')}", params=params)

    # --- plumbing ---------------------------------------------------------------------------------------------------

    def lookup(self, reference: str, around: date) -> str:
        """The waybill of the account's shipment with this reference, empty when DHL has none."""
        today = self.clock().date()
        params = {
            "shipmentReference": reference,
            "shipmentReferenceType": "CU",
            "shipperAccountNumber": self.account,
            "dateRangeFrom": (min(today, around) - timedelta(days=LOOKUP_DAYS_BEFORE)).isoformat(),
            "dateRangeTo": (max(today, around) + timedelta(days=LOOKUP_DAYS_AFTER)).isoformat(),
        }
        try:
            response = self.http.call("GET", "/tracking", params=params)
        except CarrierError as error:
            # Only DHL's own "No Shipments Found for ReferenceID" means none: any other 404 is a wrong URL.
            if error.status == 404 and "no shipments found" in error.message.lower():
                return ""
            raise
        found = self.http.json(response, _("the shipments found by reference"))
        for shipment in dicts(found.get("shipments") if isinstance(found, dict) else None):
            references = [ref.get("value") for ref in dicts(shipment.get("shipperReferences"))]
            if reference in references and shipment.get("shipmentTrackingNumber"):
                return str(shipment["shipmentTrackingNumber"])
        return ""

    def _planned(self, shipment: Shipment) -> datetime:
        return planned_shipping(shipment.ship_date, self.clock(), self.planned_hour)
