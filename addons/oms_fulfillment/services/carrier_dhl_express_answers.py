"""What DHL Express's MyDHL API answers, read into the carrier contract (:mod:`.carrier`): rates, labels, tracking
and refusals. Nothing in an answer is trusted: a missing price skips that product, a label that is not a PDF is an
error, an unreadable date is left out.
"""

import io
import re
from datetime import date, datetime, timedelta

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import (
    DELIVERED,
    EXCEPTION,
    IN_TRANSIT,
    PENDING,
    CarrierError,
    Label,
    Rate,
    Sentence,
    TrackingStatus,
    _,
    checked_currency,
    checked_number,
    checked_pdf,
    dicts,
    parcel_number,
)

PUBLIC_TRACKING_URL = "https://www.dhl.com/en/express/tracking.html?AWB={}"
# DHL's tracking event codes (its reference data, dataset trackingEventCode) that end or stop a delivery.
DELIVERED_EVENTS = frozenset({"OK", "DD"})
EXCEPTION_EVENTS = frozenset({"BA", "CM", "RD", "RT", "DM", "DS", "SS"})
NOT_COLLECTED_EVENTS = frozenset({"DUMMY_PU"})
DOCUMENT_NAMES = {"invoice": "commercial_invoice.pdf", "waybillDoc": "waybill.pdf", "receipt": "receipt.pdf"}
# How DHL's schema paths read for a warehouse user: "#/content/packages/0/weight" -> "parcel 1 weight".
PATH_WORDS = {
    "content": "",
    "customerDetails": "",
    "postalAddress": "",
    "contactInformation": "",
    "exportDeclaration": "",
    "receiverDetails": "recipient",
    "shipperDetails": "sender",
    "packages": "parcel",
    "lineItems": "customs line",
    "cityName": "city",
    "postalCode": "postal code",
    "countryCode": "country",
    "addressLine1": "street",
    "companyName": "name",
    "fullName": "name",
    "manufacturerCountry": "country of origin",
    "commodityCodes": "HS code",
    "dimensions": "size",
}


class DhlShipmentExists(CarrierError):
    """DHL has a waybill (``tracking_number``) but we hold no usable label for it: bought before its answer was
    lost, or answered with a label that is not a PDF. Never repeated blindly (it would buy a second waybill)."""

    def __init__(self, message: Sentence, tracking_number: str):
        super().__init__(message, transient=False)
        self.tracking_number = tracking_number


def billed(prices) -> tuple[float, str] | None:
    """The price in the billing currency (``BILLC``, the one DHL invoices) from a ``totalPrice`` or
    ``shipmentCharges`` list; None when there is none usable."""
    for entry in dicts(prices):
        if entry.get("currencyType") == "BILLC" and entry.get("price") is not None:
            return checked_number(entry["price"], _("DHL Express sent an unreadable price")), checked_currency(
                entry.get("priceCurrency")
            )
    return None


def read_rates(body) -> list[Rate]:
    rates = []
    for product in dicts(body.get("products") if isinstance(body, dict) else None):
        if not product.get("productCode"):
            continue
        price = billed(product.get("totalPrice"))
        if price is None or price[0] <= 0:
            continue  # a product without a price cannot be chosen
        delivery = product.get("deliveryCapabilities") if isinstance(product.get("deliveryCapabilities"), dict) else {}
        transit = delivery.get("totalTransitDays")
        rates.append(
            Rate(
                price=price[0],
                currency=price[1],
                transit_days=int(checked_number(transit, _("DHL Express sent an unreadable transit time")))
                if transit is not None
                else None,
                service=str(product["productCode"]),
                service_name=str(product.get("productName") or product["productCode"]),
                delivery_date=_date(delivery.get("estimatedDeliveryDateAndTime")),
            )
        )
    return rates


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def read_label(body, pickup_number_key: str = "dispatchConfirmationNumber") -> Label:
    number = parcel_number(body.get("shipmentTrackingNumber")) if isinstance(body, dict) else ""
    if not number:
        raise CarrierError(_("DHL Express created no waybill number for the shipment"))
    documents = dicts(body.get("documents"))
    try:
        labels = [checked_pdf(doc.get("content")) for doc in documents if doc.get("typeCode") == "label"]
    except CarrierError:
        labels = []
    if not labels:
        raise DhlShipmentExists(
            _(
                "DHL Express created waybill %(waybill)s but sent no PDF label for it: ask DHL Express to reprint it, "
                "or print a new label under another reference and never hand over parcels under this waybill",
                waybill=number,
            ),
            number,
        )
    kinds = [str(doc.get("typeCode") or "document") for doc in documents]
    others = tuple(
        (DOCUMENT_NAMES.get(kind, f"{kind}.pdf"), checked_pdf(doc.get("content")))
        for kind, doc in zip(kinds, documents, strict=True)
        if kind != "label"
    )
    price = billed(body.get("shipmentCharges"))
    estimate = body.get("estimatedDeliveryDate")
    pieces = dicts(body.get("packages"))
    return Label(
        tracking_number=number,
        pdf=labels[0] if len(labels) == 1 else merged_pdf(labels),
        price=price[0] if price else None,
        currency=price[1] if price else None,
        tracking_url=PUBLIC_TRACKING_URL.format(number),
        parcel_numbers=tuple(filter(None, (parcel_number(piece.get("trackingNumber")) for piece in pieces))),
        shipment_id=str(body.get(pickup_number_key) or ""),
        delivery_date=_date(estimate.get("estimatedDeliveryDate")) if isinstance(estimate, dict) else None,
        documents=others,
    )


def merged_pdf(pdfs: list[bytes]) -> bytes:
    """One PDF of several (DHL sends one label per piece when asked so): printed in one go at the pack screen."""
    from PyPDF2 import PdfMerger  # Odoo's own dependency; only needed for this rare answer

    merger, out = PdfMerger(), io.BytesIO()
    for pdf in pdfs:
        merger.append(io.BytesIO(pdf))
    merger.write(out)
    return out.getvalue()


def read_tracking(body, number: str) -> TrackingStatus:
    shipments = body.get("shipments") if isinstance(body, dict) else None
    if not isinstance(shipments, list) or not shipments or not isinstance(shipments[0], dict):
        raise CarrierError(_("DHL Express sent no tracking for waybill %(waybill)s", waybill=number))
    events = dicts(shipments[0].get("events"))
    codes = [str(event.get("typeCode") or "") for event in events]
    delivered = next(
        (event for event, code in zip(reversed(events), reversed(codes), strict=True) if code in DELIVERED_EVENTS), None
    )
    if delivered is not None:
        status = DELIVERED
    elif not codes or set(codes) <= NOT_COLLECTED_EVENTS:
        status = PENDING
    elif codes[-1] in EXCEPTION_EVENTS:
        status = EXCEPTION
    else:
        status = IN_TRANSIT
    return TrackingStatus(
        tracking_number=parcel_number(shipments[0].get("shipmentTrackingNumber")) or number,
        status=status,
        delivered_at=event_time(delivered) if delivered else None,
        description=str(events[-1].get("description") or "") if events else "",
        events=tuple(_event_line(event) for event in events),
    )


def event_time(event: dict) -> datetime | None:
    """The event's moment in UTC (naive): its local date and time minus its ``GMTOffset``."""
    try:
        moment = datetime.fromisoformat(f"{event.get('date')}T{event.get('time') or '00:00:00'}")
    except ValueError:
        return None
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", str(event.get("GMTOffset") or "+00:00"))
    if not match:
        return moment
    offset = timedelta(hours=int(match[2]), minutes=int(match[3]))
    try:
        return moment - offset if match[1] == "+" else moment + offset
    except OverflowError:  # a date at the very edge of the calendar: not a real event's
        return None


def _event_line(event: dict) -> str:
    areas = [area.get("description") for area in dicts(event.get("serviceArea"))]
    place = f" ({areas[0]})" if areas and areas[0] else ""
    what = event.get("description") or event.get("typeCode")
    return f"{event.get('date')} {str(event.get('time') or '')[:5]} {what}{place}"


def problem_text(body) -> str:
    """DHL's reason for a refusal (problem+json: ``detail`` and ``additionalDetails``), schema paths in words."""
    if not isinstance(body, dict):
        return ""
    extra = body.get("additionalDetails")
    details = [str(item) for item in extra if item] if isinstance(extra, list) else []
    text = "; ".join(details) if details else str(body.get("detail") or body.get("message") or body.get("title") or "")
    # "420504: The receiver postal code..." -> "The receiver postal code... (DHL 420504)"
    coded = re.fullmatch(r"(\d{3,7}): (.+)", text, flags=re.DOTALL)
    text = f"{coded[2]} (DHL {coded[1]})" if coded else text
    return re.sub(r"#(/[\w/]+)", lambda match: _path_words(match[1]), text)


def _path_words(path: str) -> str:
    words = []
    for part in path.strip("/").split("/"):
        if part.isdecimal() and words:  # not isdigit: "²" is a digit that int() cannot read
            words[-1] = f"{words[-1]} {int(part) + 1}"
        elif PATH_WORDS.get(part, part):
            words.append(PATH_WORDS.get(part, part))
    return " ".join(words)
