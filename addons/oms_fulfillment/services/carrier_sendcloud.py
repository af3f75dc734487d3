"""Client of Sendcloud's shipping API v3 (stand_ins/sendcloud.py serves the same API for tests)::

    POST /shipping-options                 every option for the parcels and route, with quotes
    POST /shipments/announce               one parcel: the label comes back in the answer (201)
    POST /shipments, GET /shipments/<id>   several parcels: announced in the background, polled until ready
    GET  /parcels/<id>/documents/<type>    a parcel's label (on A6 or A4 paper) or customs papers, as a PDF
    POST /shipments/<id>/cancel            200 cancelled, 202 queued, 409 refused
    GET  /parcels/tracking/<number>        the parcel's events
    GET  /parcels/statuses                 the test of the connection

Authentication is HTTP Basic with the integration's Public Key and Secret Key. A shipment's ``service`` is a
Sendcloud shipping option code (``correos_express:epaq24/home_delivery``). Purchases are idempotent by
``external_reference_id`` (``oms-<reference>``): Sendcloud answers 409 with the shipment bought before, whose labels
are then downloaded instead of buying new ones. Webhooks: :func:`.carrier_sendcloud_data.verify_webhook` and
:func:`.carrier_sendcloud_data.webhook_tracking`. Facts and sources: ``tests/fixtures/carriers/sendcloud/API.md``.
"""

import io
import math
from dataclasses import dataclass, field
from urllib.parse import quote

import PyPDF2

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import (
    DELIVERED,
    CarrierError,
    Label,
    Rate,
    Sentence,
    Shipment,
    TrackingStatus,
    _,
    checked_currency,
    checked_number,
    checked_pdf,
    dicts,
    joined,
    mapping,
    parcel_number,
    parse_utc,
)
from .carrier_http import CarrierHttp
from .carrier_sendcloud_data import (
    error_words,
    options_request,
    shipment_request,
    status_of_code,
    verify_webhook,
    webhook_tracking,
)
from .carrier_sendcloud_returns import SendcloudReturns

__all__ = ("SendcloudClient", "verify_webhook", "webhook_tracking")

PRODUCTION_URL = "https://panel.sendcloud.sc/api/v3"
ANNOUNCING, FAILED = "ANNOUNCING", "ANNOUNCEMENT_FAILED"
VOID = frozenset({"CANCELLING", "CANCELLING_UPSTREAM", "CANCELLED", "CANCELLED_UPSTREAM"})
# The parcel is bought by then: asking again downloads it again (never buys a second one).
CREDENTIALS_HINT = _("check the Public Key and Secret Key of the Sendcloud integration (Settings > Integrations)")
HINTS = {
    400: _("correct the shipment and try again"),
    401: CREDENTIALS_HINT,
    403: _("the Sendcloud integration may not do this: check its permissions in the Sendcloud panel"),
    404: _("Sendcloud does not know it: check the number or id, and the service URL"),
    409: _("Sendcloud refused it in the shipment's current state"),
    422: _("correct the shipment and try again"),
    "unreachable": _("check the service URL and the network"),
    "url": _("check the service URL"),
}
# Label sizes the documents endpoint prints on (its ``paper_size``): A6 for a label printer, A4 for an office one.
PAPER_SIZES = ("A6", "A4")


@dataclass
class SendcloudHttp(CarrierHttp):
    """CarrierHttp reading Sendcloud's error envelopes, and keeping a refusal's JSON on the error it raises (a 409
    on purchase carries the shipment bought before). One instance serves one client in one thread."""

    fallback_hint: Sentence = _("check the Sendcloud settings")
    _refused_answer: object = field(default=None, init=False, repr=False)

    def refusal(self, response) -> Sentence:
        try:
            self._refused_answer = response.json()
        except (ValueError, RecursionError):
            self._refused_answer = None
        detail = self.short(error_words(self._refused_answer))
        hint = self.hints.get(response.status_code) or self.fallback_hint
        if detail:
            return _(
                "Sendcloud answered %(status)s (%(reason)s): %(hint)s",
                status=response.status_code,
                reason=detail,
                hint=hint,
            )
        return _("Sendcloud answered %(status)s: %(hint)s", status=response.status_code, hint=hint)

    def error(self, message: str, *, transient: bool, status: int | None = None, unreachable: bool = False):
        error = super().error(message, transient=transient, status=status, unreachable=unreachable)
        error.answer, self._refused_answer = self._refused_answer, None
        return error


class SendcloudClient(SendcloudReturns):
    """Rates, labels, tracking and cancellations; return labels come from :class:`SendcloudReturns`."""

    def __init__(
        self,
        http: SendcloudHttp,
        *,
        contract_id=None,
        paper_size: str = "A6",
        poll_interval: float = 1.0,
        poll_attempts: int = 20,
    ):
        if paper_size not in PAPER_SIZES:
            raise CarrierError(_("the Sendcloud label paper size is either A6 or A4"), transient=False)
        self.http = http
        self.contract_id = contract_id
        self.paper_size = paper_size
        self.poll_interval = poll_interval
        self.poll_attempts = poll_attempts

    @classmethod
    def from_credentials(cls, credentials: dict, **options) -> "SendcloudClient":
        """``credentials``: ``public_key`` and ``secret_key`` (the integration's API keys), optional ``base_url``
        (production by default; there is no sandbox) and ``contract_id`` (to ship on one carrier contract).
        ``options``: ``timeout``, ``max_retries``, ``session``, ``sleep`` for the HTTP calls; ``paper_size`` of the
        labels (``A6``, the default, or ``A4``); ``poll_interval`` and ``poll_attempts`` for multi-parcel labels.
        Webhooks are checked with the integration's Secret Key or its Webhook Signature Key (:func:`verify_webhook`),
        which the caller keeps."""
        public_key = str(credentials.get("public_key") or "").strip()
        secret_key = str(credentials.get("secret_key") or "").strip()
        if not public_key or not secret_key:
            raise CarrierError(_("Sendcloud needs its keys: %(hint)s", hint=CREDENTIALS_HINT), transient=False)
        base_url = str(credentials.get("base_url") or PRODUCTION_URL)
        if not base_url.lower().startswith(("http://", "https://")):
            raise CarrierError(_("the Sendcloud service URL must start with https://"), transient=False)
        http_options = {
            key: options.pop(key) for key in ("timeout", "max_retries", "session", "sleep") if key in options
        }
        http = SendcloudHttp(
            platform="Sendcloud",
            base_url=base_url,
            secrets=(public_key, secret_key),
            auth=(public_key, secret_key),
            headers={"Accept": "application/json"},
            hints=dict(HINTS),
            **http_options,
        )
        return cls(http, contract_id=credentials.get("contract_id") or None, **options)

    def __repr__(self) -> str:
        return "SendcloudClient()"

    # --- connection and rates ---------------------------------------------------------------------------------------

    def test_connection(self) -> str:
        statuses = dicts(self._json("GET", "/parcels/statuses", _("the parcel statuses")).get("data"))
        return _(
            "Connected to Sendcloud: the keys are accepted (%(count)s parcel statuses readable)", count=len(statuses)
        )

    def rates(self, shipment: Shipment) -> list[Rate]:
        """Every option Sendcloud offers for the shipment's parcels and route, cheapest first, in one call."""
        if not shipment.parcels:
            raise CarrierError(_("the shipment has no parcels to rate"), transient=False)
        answer = self._json("POST", "/shipping-options", _("the rates"), json=options_request(shipment))
        rates = [rate for option in dicts(answer.get("data")) if (rate := _option_rate(option))]
        return sorted(rates, key=lambda rate: rate.price)

    def rate(self, shipment: Shipment) -> Rate:
        """The rate of the shipment's service, else the cheapest."""
        rates = self.rates(shipment)
        if shipment.service:
            rates = [rate for rate in rates if rate.service == shipment.service]
        if not rates:
            country = shipment.recipient.country_code or _("this country")
            if shipment.service:
                sentence = _(
                    "Sendcloud offers no %(service)s shipping option for these parcels to %(country)s: choose another "
                    "service or split the parcels",
                    service=shipment.service,
                    country=country,
                )
            else:
                sentence = _(
                    "Sendcloud offers no shipping option for these parcels to %(country)s: choose another service or "
                    "split the parcels",
                    country=country,
                )
            raise CarrierError(sentence, transient=False)
        return rates[0]

    # --- labels -----------------------------------------------------------------------------------------------------

    def create_label(self, shipment: Shipment) -> Label:
        """The label of the shipment, bought once: a retry after a time-out or a 5xx gets the one bought before."""
        if not shipment.parcels:
            raise CarrierError(_("the shipment has no parcels to label"), transient=False)
        option = shipment.service or self.rate(shipment).service
        body = shipment_request(shipment, option, self.contract_id)
        single = len(shipment.parcels) == 1
        path = "/shipments/announce" if single else "/shipments"
        try:
            bought = self._json("POST", path, _("the label"), json=body).get("data")
        except CarrierError as error:
            if error.status != 409:
                raise
            bought = _bought_before(error, shipment)
        bought = _checked_shipment(bought)
        if any(_announcing(parcel) for parcel in bought["parcels"]):
            bought = self._wait_until_announced(str(bought.get("id") or ""))
        return self._label(bought)

    def _wait_until_announced(self, shipment_id: str) -> dict:
        """Sendcloud announces multi-parcel shipments in the background: ask until every parcel is ready."""
        if not shipment_id:
            raise CarrierError(
                _(
                    "Sendcloud sent the shipment without its id: print its labels again in a minute (it is bought, "
                    "and will not be bought twice)"
                )
            )
        for _attempt in range(self.poll_attempts):
            self.http.sleep(self.poll_interval)
            answer = self._json("GET", f"/shipments/{quote(shipment_id, safe='')}", _("the label"))
            shipment = _checked_shipment(answer.get("data"))
            if not any(_announcing(parcel) for parcel in shipment["parcels"]):
                return shipment
        raise CarrierError(
            _(
                "Sendcloud is still announcing shipment %(shipment)s to the carrier: print its labels again in a "
                "minute (it is bought, and will not be bought twice)",
                shipment=shipment_id,
            )
        )

    def _label(self, shipment: dict) -> Label:
        parcels = shipment["parcels"]
        pdfs = [self._parcel_label(parcel) for parcel in parcels]
        numbers = tuple(parcel_number(parcel.get("tracking_number")) for parcel in parcels)
        if not all(numbers):
            raise CarrierError(_("Sendcloud created no tracking number for every parcel: try again in a minute"))
        return Label(
            tracking_number=numbers[0],
            pdf=pdfs[0] if len(pdfs) == 1 else _merged(pdfs),
            tracking_url=_page(parcels[0].get("tracking_url")),
            parcel_numbers=numbers,
            parcel_tracking_urls=tuple(_page(parcel.get("tracking_url")) for parcel in parcels),
            shipment_id=str(shipment.get("id") or ""),
            documents=tuple(self._other_documents(parcels)),
        )

    def _parcel_label(self, parcel: dict) -> bytes:
        """The label inline in the answer is the carrier's own size (A6): another size is printed by the documents
        endpoint."""
        if not parcel.get("label_file") or self.paper_size != "A6":
            return self._document(parcel, "label", paper_size=self.paper_size)
        try:
            return checked_pdf(parcel["label_file"])
        except CarrierError:
            raise CarrierError(_label_not_pdf("label")) from None

    def _other_documents(self, parcels: list) -> list[tuple[str, bytes]]:
        """Customs papers (a commercial invoice) once per shipment, from the first parcel that has them."""
        found = {}
        for parcel in parcels:
            for document in dicts(parcel.get("documents")):
                kind = str(document.get("type") or "")
                if kind and kind != "label" and kind not in found:
                    found[kind] = self._document(parcel, kind)
        return list(found.items())

    def _document(self, parcel: dict, kind: str, paper_size: str = "") -> bytes:
        """A parcel's document as a PDF, on ``paper_size`` (empty: the document's own, A4 for customs papers)."""
        # The path is rebuilt on our base URL rather than following the link, so the keys go nowhere else.
        path = f"/parcels/{quote(str(parcel.get('id')), safe='')}/documents/{quote(kind, safe='')}"
        params = {"paper_size": paper_size} if paper_size else None
        response = self.http.call("GET", path, params=params, headers={"Accept": "application/pdf"})
        try:
            return checked_pdf(response.content)
        except CarrierError:
            raise CarrierError(_label_not_pdf(kind)) from None

    # --- tracking and cancellation ----------------------------------------------------------------------------------

    def tracking(self, number: str) -> TrackingStatus:
        answer = self._json("GET", f"/parcels/tracking/{quote(number, safe='')}", "the tracking")
        events = sorted(dicts(answer.get("events")), key=_event_time)
        if not events:
            return TrackingStatus(tracking_number=number, status=status_of_code("READY_TO_SEND"))
        last = events[-1]
        status = status_of_code(last.get("status_code"))
        delivered = [event for event in events if status_of_code(event.get("status_code")) == DELIVERED]
        return TrackingStatus(
            tracking_number=number,
            status=status,
            delivered_at=_event_time(delivered[-1]) if status == DELIVERED and delivered else None,
            description=str(last.get("status_description") or last.get("status_code") or ""),
            events=tuple(f"{_event_time(event):%Y-%m-%d %H:%M} {event.get('status_description')}" for event in events),
        )

    def cancel(self, label_or_number) -> str:
        """Cancels a label (a :class:`Label` or Sendcloud's shipment id): ``cancelled``, or ``queued`` when
        Sendcloud cancels it later (unless the carrier scans it in the next 14 days)."""
        shipment_id = getattr(label_or_number, "shipment_id", label_or_number)
        if not shipment_id:
            raise CarrierError(
                _("this label has no Sendcloud shipment id: cancel it in the Sendcloud panel"), transient=False
            )
        answer = self._json("POST", f"/shipments/{quote(str(shipment_id), safe='')}/cancel", _("the cancellation"))
        status = str(mapping(answer.get("data")).get("status") or "")
        return "queued" if status == "queued" else "cancelled"

    # --- plumbing ---------------------------------------------------------------------------------------------------

    def _json(self, method: str, path: str, what: Sentence, *, json=None) -> dict:
        answer = self.http.json(self.http.call(method, path, json=json), what)
        if not isinstance(answer, dict):
            raise CarrierError(_("Sendcloud answered %(what)s with an unexpected document", what=what))
        return answer


def _label_not_pdf(kind: str) -> Sentence:
    # The parcel is bought by then: asking again downloads it again (never buys a second one).
    return _(
        "Sendcloud sent no PDF for the parcel's %(document)s: the label is bought, print it again in a minute",
        document=_("label") if kind == "label" else kind,
    )


def _option_rate(option: dict) -> Rate | None:
    """An option's cheapest quote as a rate (None without a quote: Sendcloud has no price for it)."""
    quotes = dicts(option.get("quotes"))
    if not quotes:
        return None
    totals = [(mapping(mapping(quote_.get("price")).get("total")), quote_) for quote_ in quotes]
    total, best = min(
        totals, key=lambda pair: checked_number(pair[0].get("value"), _("Sendcloud sent a rate without price"))
    )
    lead_time = best.get("lead_time")
    return Rate(
        price=checked_number(total.get("value"), _("Sendcloud sent a rate without price")),
        currency=checked_currency(total.get("currency")),
        transit_days=math.ceil(checked_number(lead_time, _("Sendcloud sent an unreadable lead time")) / 24)
        if lead_time is not None
        else None,
        service=str(option.get("code") or ""),
        service_name=str(option.get("name") or option.get("code") or ""),
    )


def _bought_before(error: CarrierError, shipment: Shipment) -> dict:
    """The shipment a 409 says was bought before under the same reference."""
    answer = getattr(error, "answer", None)
    if isinstance(answer, dict) and isinstance(answer.get("data"), dict):
        parcels = answer["data"].get("parcels")
        if isinstance(parcels, list) and any(_parcel_status(parcel) in VOID for parcel in parcels):
            raise CarrierError(
                _(
                    "the label bought before under %(reference)s was cancelled in Sendcloud: a new label needs a new "
                    "reference",
                    reference=shipment.reference,
                ),
                transient=False,
                status=409,
            )
        return answer["data"]
    raise CarrierError(
        _(
            "Sendcloud already has a label for %(reference)s but did not send it: find it in the Sendcloud panel by "
            "that reference before buying another",
            reference=shipment.reference,
        ),
        transient=False,
        status=409,
    )


def _checked_shipment(shipment) -> dict:
    """A shipment answer with parcels; a carrier's refusal inside a successful answer becomes an error."""
    parcels = shipment.get("parcels") if isinstance(shipment, dict) else None
    if not isinstance(parcels, list) or not parcels or not all(isinstance(parcel, dict) for parcel in parcels):
        raise CarrierError(_("Sendcloud answered the label request without parcels"))
    problems = error_words({"errors": shipment.get("errors")}) if shipment.get("errors") else ""
    failed = [parcel for parcel in shipment["parcels"] if _parcel_status(parcel) == FAILED]
    if problems or failed:
        words = problems or joined(
            str(parcel.get("status", {}).get("message") or "") or _("announcement failed") for parcel in failed
        )
        raise CarrierError(
            _("Sendcloud's carrier refused the shipment (%(reason)s): correct it and try again", reason=words),
            transient=False,
        )
    return shipment


def _announcing(parcel: dict) -> bool:
    """Sendcloud is still announcing the parcel to the carrier: no tracking number yet."""
    return _parcel_status(parcel) == ANNOUNCING or not parcel.get("tracking_number")


def _parcel_status(parcel: dict) -> str:
    status = parcel.get("status") if isinstance(parcel, dict) else None
    return str(status.get("code") or "") if isinstance(status, dict) else ""


def _event_time(event: dict):
    return parse_utc(event.get("event_at") or "1970-01-01T00:00:00Z")


def _merged(pdfs: list[bytes]) -> bytes:
    """One PDF with every parcel's label, in parcel order, for one print job."""
    writer = PyPDF2.PdfWriter()
    for pdf in pdfs:
        for page in PyPDF2.PdfReader(io.BytesIO(pdf)).pages:
            writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _page(url) -> str:
    """A tracking page Sendcloud gave: a web address, else none."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""
