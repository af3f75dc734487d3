"""Sendcloud API v3 documents for :mod:`.carrier_sendcloud`: the bodies we send (shipping options, shipments with
customs), what its answers mean (errors, parcel statuses), and its signed ``parcel_status_changed`` webhooks.

The facts and their sources are in ``tests/fixtures/carriers/sendcloud/API.md``. Plain Python.
"""

import hashlib
import hmac
import json
from datetime import date, datetime, timezone

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import DELIVERED, EXCEPTION, IN_TRANSIT, PENDING, Address, CarrierError, Shipment, TrackingStatus, _

# v3 parcel status codes -> our four statuses (API.md, "Tracking"); anything else reads as in transit.
STATUS_BY_CODE = {
    **dict.fromkeys(("READY_TO_SEND", "ANNOUNCING", "ANNOUNCED", "ANNOUNCED_UNCOLLECTED"), PENDING),
    **dict.fromkeys(("DELIVERED", "COLLECTED_BY_CUSTOMER"), DELIVERED),
    **dict.fromkeys(
        (
            "ANNOUNCEMENT_FAILED",
            "NO_LABEL",
            "COLLECT_ERROR",
            "DELIVERY_FAILED",
            "UNDELIVERABLE",
            "REFUSED_BY_RECIPIENT",
            "RETURNED_TO_SENDER",
            "ADDRESS_INVALID",
            "EXCEPTION",
            # A cancelled parcel travels nowhere: its label is void, which the delivery must show.
            "CANCELLING",
            "CANCELLING_UPSTREAM",
            "CANCELLED",
            "CANCELLED_UPSTREAM",
            "CANCELLATION_FAILED",
        ),
        EXCEPTION,
    ),
}
# The numeric status ids webhooks still carry (v2 parcels; public connectors' tables, not an official list).
STATUS_BY_WEBHOOK_ID = {
    **dict.fromkeys((1000, 1001, 1, 13), PENDING),
    **dict.fromkeys((22, 3, 5, 7, 4, 91, 92, 12, 62995, 62994, 1337), IN_TRANSIT),
    **dict.fromkeys((11, 93), DELIVERED),
    **dict.fromkeys((8, 80, 62992, 62997, 999, 1998, 2000, 2001), EXCEPTION),
}
# Status messages (the docs' wording), for ids the table above does not know.
# Longer than any carrier's parcel number: a webhook naming a longer one is not read.
MAX_TRACKING_NUMBER = 100
STATUS_BY_MESSAGE = {
    "ready to send": PENDING,
    "being announced": PENDING,
    "announced": PENDING,
    "announced: not collected": PENDING,
    "delivered": DELIVERED,
    "shipment collected by customer": DELIVERED,
    "announcement failed": EXCEPTION,
    "no label": EXCEPTION,
    "delivery attempt failed": EXCEPTION,
    "unable to deliver": EXCEPTION,
    "returned to sender": EXCEPTION,
    "address invalid": EXCEPTION,
    "cancelled": EXCEPTION,
    "cancelled upstream": EXCEPTION,
}
SIGNATURE_HEADER = "Sendcloud-Signature"
EXPORT_TYPE = "commercial_b2c"
INVOICE_NUMBER_LENGTH = 40  # Sendcloud's limit on customs_information.invoice_number


def external_reference_id(shipment: Shipment) -> str:
    """Sendcloud refuses (409) a second shipment with the same id and returns the first: a stable id per label
    bought is what makes a retried purchase safe. Our reference is unique per label bought (a new one after a
    confirmed cancellation)."""
    return f"oms-{shipment.reference}"


def _money(value: float, currency: str) -> dict:
    return {"value": f"{value:.2f}", "currency": currency}


def address_body(address: Address) -> dict:
    body = {
        "name": address.name,
        "address_line_1": address.street,
        "address_line_2": address.street2,
        "postal_code": address.zip,
        "city": address.city,
        "state_province_code": address.state,
        "country_code": address.country_code,
        "email": address.email,
        "phone_number": address.phone,
    }
    return {key: value for key, value in body.items() if value}


def _parcel(parcel) -> dict:
    body = {"weight": {"value": f"{parcel.weight:.3f}", "unit": "kg"}}
    if parcel.length and parcel.width and parcel.height:
        body["dimensions"] = {
            "length": f"{parcel.length:.2f}",
            "width": f"{parcel.width:.2f}",
            "height": f"{parcel.height:.2f}",
            "unit": "cm",
        }
    return body


def _insured_shares(shipment: Shipment) -> list[float]:
    """The insured value spread over the parcels in cents, the rounding left on the first."""
    count = len(shipment.parcels)
    share = round(shipment.insured_value / count, 2) if count else 0.0
    return [round(shipment.insured_value - share * (count - 1), 2)] + [share] * (count - 1)


def options_request(shipment: Shipment) -> dict:
    """``POST /shipping-options``: every option for these parcels and route, with prices."""
    parcels = [_parcel(parcel) for parcel in shipment.parcels]
    if shipment.insured_value:
        for body, share in zip(parcels, _insured_shares(shipment), strict=True):
            body["total_insured_price"] = _money(share, shipment.currency)
    body = {
        "from_address": address_body(shipment.sender),
        "to_address": address_body(shipment.recipient),
        "parcels": parcels,
        "calculate_quotes": True,
    }
    if len(parcels) > 1:  # only options that carry several parcels under one shipment
        body["functionalities"] = {"multicollo": True}
    return body


def shipment_request(shipment: Shipment, option_code: str, contract_id=None) -> dict:
    """``POST /shipments[/announce]``: the shipment, its parcels, insurance and customs papers."""
    properties = {"shipping_option_code": option_code}
    if contract_id:
        properties["contract_id"] = contract_id
    parcels = [_parcel(parcel) for parcel in shipment.parcels]
    for body, parcel in zip(parcels, shipment.parcels, strict=True):
        body["label_notes"] = [text for text in (shipment.reference, parcel.reference) if text][:2]
    if shipment.insured_value:
        for body, share in zip(parcels, _insured_shares(shipment), strict=True):
            body["additional_insured_price"] = _money(share, shipment.currency)
    body = {
        "label_details": {"mime_type": "application/pdf", "dpi": 72},
        "from_address": address_body(shipment.sender),
        "to_address": address_body(shipment.recipient),
        "ship_with": {"type": "shipping_option_code", "properties": properties},
        "reference": shipment.reference,
        "external_reference_id": external_reference_id(shipment),
        "parcels": parcels,
    }
    if shipment.declared_value:
        body["total_order_price"] = _money(shipment.declared_value, shipment.currency)
    if shipment.customs:
        body["customs_information"] = _customs_information(shipment)
        # Our customs lines are per shipment; Sendcloud reads them per parcel, and one list of them is what the
        # commercial invoice shows.
        parcels[0]["parcel_items"] = [_parcel_item(line, shipment.currency) for line in shipment.customs]
    return body


def _customs_information(shipment: Shipment) -> dict:
    return {
        "invoice_number": shipment.reference[:INVOICE_NUMBER_LENGTH],
        "invoice_date": (shipment.ship_date or date.today()).isoformat(),
        "export_type": EXPORT_TYPE,
    }


def _parcel_item(line, currency: str) -> dict:
    quantity = max(1, round(line.quantity))
    body = {
        "description": line.description,
        "quantity": quantity,
        # Sendcloud's weight and price are per unit; ours is the line's weight.
        "weight": {"value": round(line.weight / quantity, 3), "unit": "kg"},
        "price": _money(line.unit_value, currency),
        "hs_code": line.hs_code,
        "origin_country": line.origin_country,
        "sku": line.sku,
    }
    return {key: value for key, value in body.items() if value not in ("", None)}


def error_words(body) -> str:
    """Sendcloud's own explanation in any of its error shapes (``errors[].detail`` with its field,
    ``errors[].message``, ``error.message``, ``detail``), empty when there is none."""
    if not isinstance(body, dict):
        return ""
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return "; ".join(filter(None, (_one_error(error) for error in errors)))
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or "")
    return str(body.get("detail") or error or body.get("message") or "")


def _one_error(error) -> str:
    if not isinstance(error, dict):
        return str(error or "")
    words = str(error.get("detail") or error.get("message") or error.get("title") or "")
    source = error.get("source") if isinstance(error.get("source"), dict) else {}
    field_path = str(source.get("pointer") or source.get("parameter") or error.get("field") or "").strip("/")
    return f"{field_path.replace('/', ' ')}: {words}" if field_path and words else words


def status_of_code(code) -> str:
    return STATUS_BY_CODE.get(str(code or "").upper(), IN_TRANSIT)


def verify_webhook(secret: str, body: bytes, headers) -> bool:
    """Whether a webhook was signed by Sendcloud with ``secret`` (the integration's Secret Key or Webhook
    Signature Key): hex HMAC-SHA256 of the raw body, checked before any parsing, in constant time."""
    if not secret or not isinstance(body, bytes):
        return False
    pairs = headers.items() if hasattr(headers, "items") else headers or ()
    given = next((str(value) for key, value in pairs if str(key).lower() == SIGNATURE_HEADER.lower()), "")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def webhook_tracking(body) -> TrackingStatus | None:
    """The tracking status a ``parcel_status_changed`` webhook announces, None for any other action or shape.
    Webhooks arrive out of order: the caller keeps the one with the latest time (``TrackingStatus`` carries it as
    its event, see :func:`webhook_time`). CarrierError for a body that cannot be read."""
    payload = webhook_payload(body)
    if not isinstance(payload, dict) or payload.get("action") != "parcel_status_changed":
        return None
    parcel = payload.get("parcel") if isinstance(payload.get("parcel"), dict) else {}
    raw_number = parcel.get("tracking_number")
    number = str(raw_number).strip() if isinstance(raw_number, str | int) and not isinstance(raw_number, bool) else ""
    if not number:
        return None
    if len(number) > MAX_TRACKING_NUMBER or not number.isprintable():
        raise CarrierError(_("Sendcloud sent a parcel number that cannot be one"), transient=False)
    status_field = parcel.get("status") if isinstance(parcel.get("status"), dict) else {}
    message = status_field.get("message") if isinstance(status_field.get("message"), str) else ""
    status_id = status_field.get("id")
    status = STATUS_BY_WEBHOOK_ID.get(status_id) if isinstance(status_id, int) else None
    status = status or STATUS_BY_MESSAGE.get(message.strip().lower(), IN_TRANSIT)
    moment = webhook_time(payload)
    return TrackingStatus(
        tracking_number=number,
        status=status,
        delivered_at=moment if status == DELIVERED else None,
        description=message,
        events=(f"{moment:%Y-%m-%d %H:%M} {message}",) if moment and message else (),
    )


def webhook_payload(body):
    """A webhook's body read as JSON (what ``webhook_tracking`` and ``webhook_time`` read); CarrierError when it is
    not JSON, or nested deeper than a parser should follow."""
    if not isinstance(body, bytes | str):
        return body
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise CarrierError(_("Sendcloud sent a webhook that is not JSON"), transient=False) from None


def webhook_time(payload) -> datetime | None:
    """When the status changed (naive UTC): the carrier's time when given, else the webhook's; None when the body
    says neither."""
    if not isinstance(payload, dict):
        return None
    raw = payload.get("carrier_status_change_timestamp") or payload.get("timestamp")
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
        return None
    # The unit is not documented: milliseconds past year 5138 in seconds cannot be meant.
    seconds = raw / 1000 if raw > 1e11 else raw
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise CarrierError(_("Sendcloud sent an unreadable webhook time"), transient=False) from None
