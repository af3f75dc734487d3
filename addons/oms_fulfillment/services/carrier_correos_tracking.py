"""Correos tracking: its locator's REST/JSON endpoint with the web-service user and password (API.md section 8),
the events mapped to our four statuses, the delivery time from Madrid's clock to UTC."""

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import DELIVERED, EXCEPTION, IN_TRANSIT, PENDING, CarrierError, TrackingStatus, _, dicts, mapping
from .carrier_http import CarrierHttp

MADRID = ZoneInfo("Europe/Madrid")
EVENTS_PATH = "/canonico/eventos_envio_servicio_auth/{}"
NOT_TRACED_YET = "3"  # "Sin Trazabilidad": Correos has no event for the code yet
# Event codes seen on Correos parcels (community trackers); other codes are read from their phase.
EVENT_STATUSES = {
    "A010000V": PENDING,  # pre-registered
    "I010000V": DELIVERED,
    "I01H210V": DELIVERED,
    "X120000V": DELIVERED,
    "O140000V": EXCEPTION,  # returned to the sender
}
# fase: 1 pre-registered, 2 on the way, 3 out for delivery, 4 delivered
PHASE_STATUSES = {"1": PENDING, "2": IN_TRANSIT, "3": IN_TRANSIT, "4": DELIVERED}
HINTS = {
    401: _("check the Correos user and password"),
    403: _("the Correos user may not read tracking: ask Correos to enable the locator service"),
    404: _("check the Correos tracking URL"),
}


class CorreosTracking:
    def __init__(self, base_url: str, auth: tuple, secrets: tuple, timeout: float, session=None):
        self.http = CarrierHttp(
            platform="Correos",
            base_url=base_url,
            secrets=secrets,
            auth=auth,
            hints=HINTS,
            fallback_hint=_("check the Correos tracking URL"),
            timeout=timeout,
            session=session or requests.Session(),
        )

    def status(self, number: str) -> TrackingStatus:
        number = str(number or "").strip()
        if not number:
            raise CarrierError(_("no Correos parcel code to track"), transient=False)
        response = self.http.call(
            "GET", EVENTS_PATH.format(quote(number, safe="")), params={"codIdioma": "ES", "indUltEvento": "N"}
        )
        answer = self.http.json(response, _("the tracking request"))
        found = next((item for item in answer if isinstance(item, dict)), None) if isinstance(answer, list) else None
        if found is None:
            raise CarrierError(_("Correos answered the tracking request without the parcel's data"))
        return _status(number, found)


def _status(number: str, found: dict) -> TrackingStatus:
    error = mapping(found.get("error"))
    code = str(error.get("codError", "0"))
    if code == NOT_TRACED_YET:
        return TrackingStatus(number, PENDING, description="Correos has no event for this parcel yet")
    if code != "0":
        raise CarrierError(
            _(
                "Correos could not track parcel %(parcel)s: %(reason)s",
                parcel=number,
                reason=str(error.get("desError"))[:120] if error.get("desError") else _("no reason given"),
            ),
            transient=False,
        )
    events = dicts(found.get("eventos"))
    if not events:
        return TrackingStatus(number, PENDING, description="Correos has no event for this parcel yet")
    last = events[-1]
    status = _event_status(last)
    delivered = next((event for event in reversed(events) if _event_status(event) == DELIVERED), None)
    return TrackingStatus(
        tracking_number=number,
        status=status,
        delivered_at=_moment(delivered) if status == DELIVERED and delivered else None,
        description=str(last.get("desTextoResumen") or last.get("desFase") or ""),
        events=tuple(_line(event) for event in events),
    )


def _event_status(event: dict) -> str:
    return EVENT_STATUSES.get(str(event.get("codEvento") or "")) or PHASE_STATUSES.get(
        str(event.get("fase") or ""), IN_TRANSIT
    )


def _moment(event: dict) -> datetime:
    """The event's time, given on Madrid's clock, as naive UTC."""
    text = f"{event.get('fecEvento', '')} {event.get('horEvento') or '00:00:00'}"
    try:
        local = datetime.strptime(text, "%d/%m/%Y %H:%M:%S").replace(tzinfo=MADRID)
    except ValueError:
        raise CarrierError(_("Correos sent an unreadable event date %(date)r", date=text[:30])) from None
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _line(event: dict) -> str:
    place = f" ({event['unidad']})" if event.get("unidad") else ""
    return f"{event.get('fecEvento', '')} {event.get('horEvento', '')} {event.get('desTextoResumen', '')}{place}"
