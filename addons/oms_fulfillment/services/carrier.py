"""What every carrier client shares: the shipment it is asked about, its answers, and ``CarrierError``.

Units are the carriers' own, whatever Odoo is configured with: weights in kilograms, dimensions in centimetres,
prices in the currency the carrier names (ISO 4217 code), transit times in working days.
"""

import base64
import binascii
import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import PyPDF2

# Tracking statuses every client maps its carrier's words to.
PENDING = "pending"  # label created, parcel not collected yet
IN_TRANSIT = "in_transit"
DELIVERED = "delivered"
EXCEPTION = "exception"  # lost, damaged, refused, address unknown...
TRACKING_STATUSES = (PENDING, IN_TRANSIT, DELIVERED, EXCEPTION)
# Longer than any carrier's parcel or waybill number: a longer one in an answer is not one.
MAX_PARCEL_NUMBER = 100
# How long a client waits for a carrier by default, in seconds: a person is usually waiting for the answer.
DEFAULT_TIMEOUT = 10.0


class Sentence(str):
    """A sentence for a warehouse user, translatable without an Odoo environment: the English sentence itself (a
    ``str``, for logs, plain tests and callers that want English), keeping its ``template`` with named placeholders
    (``%(weight)s``) and their ``values``. A value that is a Sentence is translated with it; any other value (a
    carrier's own words, a number, a reference) is shown as it is. :meth:`text` with the Odoo side's translation
    function (``self.env._``) is the sentence in the user's language."""

    template: str
    values: dict

    def __new__(cls, template: str, values: dict | None = None):
        values = values or {}
        sentence = super().__new__(cls, template % values if values else template)
        sentence.template, sentence.values = template, values
        return sentence

    def text(self, translate=None) -> str:
        values = {
            key: value.text(translate) if isinstance(value, Sentence) else value for key, value in self.values.items()
        }
        if translate is None:
            return self.template % values if values else self.template
        return translate(self.template, **values) if values else translate(self.template)


def _(template: str, **values) -> Sentence:
    """A translatable sentence for a CarrierError: named ``_`` so that Odoo's extraction of the terms to translate
    (it reads the calls of ``_`` in every Python file of the module) finds the template; the values stay apart.
    The template is one literal string with named placeholders, and no value is an f-string (the extraction cannot
    read a call that has one). A new sentence goes in ``i18n/oms_fulfillment.pot`` (Odoo's ``--i18n-export``) and
    ``i18n/es.po``: ``tests/test_carrier_errors_i18n.py`` checks that every one is there, translated."""
    return Sentence(template, values)


def joined(sentences, separator: str = "; ") -> Sentence:
    """Sentences (or plain words) one after the other, each translated on its own."""
    values = {f"part{index}": sentence for index, sentence in enumerate(sentences)}
    return Sentence(separator.join(f"%({key})s" for key in values), values)


class CarrierError(Exception):
    """A carrier call failed. The message says why in words a warehouse user can act on, and never holds the
    credentials: a :class:`Sentence` (``_("...")``) so that the Odoo side shows it in the user's language with
    :meth:`text`; ``str(error)`` is the English sentence. ``transient`` tells whether the same call may succeed later
    (timeouts, server errors) or whether someone has to fix something first (credentials, address, weight).
    ``unreachable``: the carrier did not answer at all (timeout, connection refused), so asking it again at once
    about another shipment would only wait again."""

    def __init__(
        self, message: str | Sentence, *, transient: bool = True, status: int | None = None, unreachable: bool = False
    ):
        super().__init__(str(message))
        self.sentence = message if isinstance(message, Sentence) else None  # None: words shown as they are
        self.message = str(message)
        self.transient = transient or unreachable
        self.status = status
        self.unreachable = unreachable

    def text(self, translate=None) -> str:
        """The message in the language of ``translate`` (the Odoo side's ``self.env._``); English without it."""
        return self.sentence.text(translate) if self.sentence else self.message


def user_text(said, translate=None) -> str:
    """What an answer or an error says, in the language of ``translate`` (the Odoo side's ``self.env._``): a
    Sentence or a CarrierError's sentence translated; anything else (another error) as its own text."""
    return said.text(translate) if isinstance(said, Sentence | CarrierError) else str(said)


@dataclass(frozen=True)
class Address:
    name: str
    street: str = ""
    street2: str = ""
    city: str = ""
    zip: str = ""
    state: str = ""
    country_code: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Parcel:
    """One box: its weight (kg) and outer dimensions (cm, 0 when unknown)."""

    weight: float
    length: float = 0.0
    width: float = 0.0
    height: float = 0.0
    reference: str = ""


@dataclass(frozen=True)
class CustomsLine:
    """One line of a commercial invoice, for a destination outside the customs union: ``unit_value`` in the
    shipment's currency, ``weight`` the line's net weight in kg."""

    description: str
    quantity: float
    unit_value: float
    weight: float
    hs_code: str = ""
    origin_country: str = ""  # ISO 3166 alpha-2
    sku: str = ""


@dataclass(frozen=True)
class Shipment:
    """What a carrier is asked to rate or to ship: ``reference`` is ours (the delivery order's name), unique per
    label bought, so that a client can find a label it bought before a time-out instead of buying it twice.
    ``declared_value`` is the goods' value in ``currency``; ``insured_value`` 0 means no insurance; ``customs`` is
    empty inside the customs union."""

    reference: str
    sender: Address
    recipient: Address
    parcels: tuple[Parcel, ...]
    service: str = ""
    currency: str = "EUR"
    declared_value: float = 0.0
    insured_value: float = 0.0
    customs: tuple[CustomsLine, ...] = ()
    ship_date: date | None = None

    @property
    def weight(self) -> float:
        return sum(parcel.weight for parcel in self.parcels)


@dataclass(frozen=True)
class Rate:
    price: float
    currency: str
    transit_days: int | None
    service: str = ""
    service_name: str = ""  # the carrier's name of the service, as users see it
    delivery_date: date | None = None  # when the carrier says; else transit_days on the warehouse's calendar


@dataclass(frozen=True)
class Label:
    """A label bought: ``pdf`` holds one page per parcel (or the carrier's layout of them); ``parcel_numbers`` the
    parcels' own tracking numbers when the carrier gives each one; ``shipment_id`` the carrier's id of the shipment
    when it is not the tracking number (for cancellation); ``documents`` other PDFs (a commercial invoice)."""

    tracking_number: str
    pdf: bytes
    price: float | None = None
    currency: str | None = None
    tracking_url: str = ""
    parcel_numbers: tuple[str, ...] = ()
    parcel_tracking_urls: tuple[str, ...] = ()  # each parcel's own tracking page, in the order of parcel_numbers
    shipment_id: str = ""
    delivery_date: date | None = None
    documents: tuple[tuple[str, bytes], ...] = ()  # (name, PDF bytes)


@dataclass(frozen=True)
class TrackingStatus:
    tracking_number: str
    status: str  # one of TRACKING_STATUSES
    delivered_at: datetime | None = None  # UTC, naive
    description: str = ""
    events: tuple[str, ...] = field(default_factory=tuple)

    @property
    def delivered(self) -> bool:
        return self.status == DELIVERED


def shipment_to_dict(shipment: Shipment) -> dict:
    """The JSON body both the REST client and the local stand-ins use."""

    def address(value: Address) -> dict:
        return {key: getattr(value, key) for key in Address.__dataclass_fields__ if getattr(value, key)}

    return {
        "reference": shipment.reference,
        "service": shipment.service,
        "sender": address(shipment.sender),
        "recipient": address(shipment.recipient),
        "parcels": [
            {
                "weight": round(parcel.weight, 3),
                "length": round(parcel.length, 1),
                "width": round(parcel.width, 1),
                "height": round(parcel.height, 1),
                "reference": parcel.reference,
            }
            for parcel in shipment.parcels
        ],
    }


def normalise_status(value) -> str:
    """A carrier's status word -> one of TRACKING_STATUSES (unknown words read as in transit)."""
    word = str(value or "").strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {
        "created": PENDING,
        "label_created": PENDING,
        "pending": PENDING,
        "picked_up": IN_TRANSIT,
        "in_transit": IN_TRANSIT,
        "out_for_delivery": IN_TRANSIT,
        "delivered": DELIVERED,
        "exception": EXCEPTION,
        "failed": EXCEPTION,
        "returned": EXCEPTION,
        "lost": EXCEPTION,
    }
    return aliases.get(word, IN_TRANSIT)


# The sentences below are marked with _ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation


def parse_utc(value) -> datetime:
    """An ISO 8601 timestamp (or a datetime) -> naive UTC datetime, as Odoo stores them; naive values are UTC."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):  # OverflowError: a moment before year 1 or after 9999 in UTC
        raise CarrierError(_("the carrier sent an unreadable date %(date)r", date=str(value)[:40])) from None
    return moment


def dicts(value) -> list[dict]:
    """The objects of a list in an answer; nothing when the answer holds something else there."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def mapping(value) -> dict:
    """An object of an answer; empty when the answer holds something else there."""
    return value if isinstance(value, dict) else {}


def checked_number(value, message: Sentence) -> float:
    """A price or a count from a carrier's answer: a finite number, not negative; else CarrierError(message)."""
    if isinstance(value, bool):
        raise CarrierError(message)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer of hundreds of digits
        raise CarrierError(message) from None
    if not math.isfinite(number) or number < 0:
        raise CarrierError(message)
    return number


def parcel_number(value) -> str:
    """A tracking or waybill number from a carrier's answer, as the carrier sent it (text or a whole number); empty
    when the answer holds something else there (a list, an object, a page of text)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    number = str(value).strip()
    return number if len(number) <= MAX_PARCEL_NUMBER and number.isprintable() else ""


def checked_currency(value) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise CarrierError(_("the carrier answered an unknown currency %(currency)r", currency=str(value)[:10]))
    return code


def checked_pdf(value) -> bytes:
    """A label: PDF bytes, or their base64 text (JSON); CarrierError when it is not a PDF with a page to print
    (a truncated or broken file would fail later, at the printer or when labels are merged)."""
    if isinstance(value, str):
        try:
            value = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            value = b""
    if not isinstance(value, bytes) or not value.startswith(b"%PDF") or not _has_pages(value):
        raise CarrierError(_("the carrier sent no PDF label"))
    return value


def _has_pages(pdf: bytes) -> bool:
    try:
        return len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages) > 0
    except Exception:  # noqa: BLE001 - whatever the PDF library raises on a broken file
        return False


def checked_rate(price, currency, transit_days, service: str) -> Rate:
    """A rate from the fields of a carrier's answer, whatever its protocol; CarrierError when one is unusable."""
    if transit_days is not None:
        transit_days = int(checked_number(transit_days, _("the carrier answered an unreadable transit time")))
    return Rate(
        price=checked_number(price, _("the carrier's rate has no price")),
        currency=checked_currency(currency),
        transit_days=transit_days,
        service=str(service or ""),
    )


def checked_label(tracking_number, pdf, price=None, currency=None) -> Label:
    """A label from the fields of a carrier's answer, whatever its protocol; CarrierError when one is unusable.
    Price and currency are optional: a carrier may bill labels separately."""
    number = str(tracking_number or "").strip()
    if not number:
        raise CarrierError(_("the carrier created no tracking number"))
    return Label(
        tracking_number=number,
        pdf=checked_pdf(pdf),
        price=checked_number(price, _("the label has an unreadable price")) if price is not None else None,
        currency=checked_currency(currency) if currency else None,
    )
