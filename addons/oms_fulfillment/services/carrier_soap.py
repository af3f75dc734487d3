"""Client of a carrier's SOAP web service (stand_ins/soap_carrier.py serves the same WSDL for tests).

Operations, document/literal, each taking the carrier's ``apiKey`` and ``account``:

- ``GetRates(apiKey, account, Shipment) -> Rate{service, price, currency, transitDays?}``
- ``CreateShipment(apiKey, account, Shipment) -> ShipmentResult{trackingNumber, labelPdf: base64Binary, price?,
  currency?}``
- ``GetTracking(apiKey, account, trackingNumber) -> Tracking{trackingNumber, status, deliveredAt?, description?,
  Events{Event[]}?}``
- ``CancelShipment(apiKey, account, trackingNumber) -> ok``

where ``Shipment`` is ``{Reference, Service, Sender: Address, Recipient: Address, Parcels{Parcel[]}}``, an
``Address`` ``{Name, Street, Street2, City, Zip, State, CountryCode, Phone, Email}`` and a ``Parcel`` ``{Weight (kg),
Length, Width, Height (cm), Reference}``. SOAP faults, timeouts and answers that do not follow the WSDL raise
CarrierError; neither the API key, the account nor the WSDL URL (manager-only) appears in messages. Only http(s) is
read, the WSDL and every document it imports (oms_intelligent's ``services/soap_transport.py``).
"""

import requests
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError

from odoo.addons.oms_intelligent.services.http_errors import retry_later, short_text
from odoo.addons.oms_intelligent.services.redact import url_secrets
from odoo.addons.oms_intelligent.services.soap_transport import ForbiddenLocation, http_only_client

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import (
    DEFAULT_TIMEOUT,
    Address,
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
)

# How carriers word a refused key or account in their faults: such faults need new credentials, not a retry.
AUTH_FAULT_WORDS = ("api key", "apikey", "account", "authentication", "unauthorized", "not authorized")
OPERATION_NAMES = {
    "GetRates": _("rate"),
    "CreateShipment": _("label"),
    "GetTracking": _("tracking"),
    "CancelShipment": _("cancellation"),
}


class SoapCarrierClient:
    """The WSDL is loaded on the first call, so creating a client never touches the network."""

    def __init__(self, wsdl_url: str, api_key: str, account: str = "", timeout: float = DEFAULT_TIMEOUT):
        # zeep would also read local files: only a carrier's web service makes sense here.
        if not (wsdl_url or "").lower().startswith(("http://", "https://")):
            raise CarrierError(_("the carrier's WSDL URL must start with http:// or https://"), transient=False)
        self.wsdl_url = wsdl_url
        self._api_key = api_key or ""
        self._account = account or ""
        self._secrets = (self._api_key, self._account, *url_secrets(wsdl_url))
        self.timeout = timeout
        self._client = None

    def __repr__(self) -> str:
        return f"SoapCarrierClient({self.wsdl_url!r})"

    # --- operations -------------------------------------------------------------------------------------------------

    def rate(self, shipment: Shipment) -> Rate:
        result = self._call("GetRates", Shipment=_shipment(shipment))
        service = getattr(result, "service", None) or shipment.service
        return checked_rate(
            getattr(result, "price", None),
            getattr(result, "currency", None),
            getattr(result, "transitDays", None),
            service,
        )

    def create_label(self, shipment: Shipment) -> Label:
        result = self._call("CreateShipment", Shipment=_shipment(shipment))
        return checked_label(
            getattr(result, "trackingNumber", None),
            getattr(result, "labelPdf", None),
            getattr(result, "price", None),
            getattr(result, "currency", None),
        )

    def tracking(self, tracking_number: str) -> TrackingStatus:
        result = self._call("GetTracking", trackingNumber=tracking_number)
        delivered_at = getattr(result, "deliveredAt", None)
        events = getattr(getattr(result, "Events", None), "Event", None) or []
        return TrackingStatus(
            tracking_number=str(getattr(result, "trackingNumber", None) or tracking_number),
            status=normalise_status(getattr(result, "status", None)),
            delivered_at=parse_utc(delivered_at) if delivered_at else None,
            description=str(getattr(result, "description", None) or ""),
            events=tuple(str(event) for event in events),
        )

    def cancel(self, tracking_number: str) -> None:
        self._call("CancelShipment", trackingNumber=tracking_number)

    # --- plumbing ---------------------------------------------------------------------------------------------------

    def _service(self):
        if self._client is None:
            self._client = http_only_client(self.wsdl_url, self.timeout)
        return self._client.service

    def _call(self, operation: str, **arguments):
        what = OPERATION_NAMES[operation]
        try:
            return getattr(self._service(), operation)(apiKey=self._api_key, account=self._account, **arguments)
        except Fault as fault:
            raise self._fault_error(fault, what) from None
        except ForbiddenLocation as exc:
            raise CarrierError(
                _("the carrier's WSDL was refused: %(reason)s; check the carrier's WSDL URL", reason=str(exc)),
                transient=False,
            ) from None
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
                _("the carrier's web service could not be reached for the %(what)s request", what=what),
                unreachable=True,
            ) from None
        except requests.HTTPError as exc:  # while loading the WSDL
            raise self._status_error(exc.response.status_code, _("the WSDL URL")) from None
        except TransportError as exc:
            raise self._status_error(exc.status_code, _("the endpoint in the WSDL")) from None
        except requests.RequestException as exc:
            raise CarrierError(
                _("the carrier's WSDL URL is not usable (%(error)s)", error=type(exc).__name__), transient=False
            ) from None
        except IndexError:  # zeep reading a SOAP body that holds no answer at all
            raise CarrierError(
                _("the carrier answered the %(what)s request with an empty SOAP body: try again", what=what)
            ) from None
        except ZeepError as exc:
            # Not a WSDL, or an answer that does not follow it: the same call would fail the same way.
            raise CarrierError(
                _(
                    "the carrier answered the %(what)s request with something that does not follow its WSDL "
                    "(%(error)s)",
                    what=what,
                    error=type(exc).__name__ + ": " + short_text(str(exc), self._secrets),
                ),
                transient=False,
            ) from None

    def _fault_error(self, fault: Fault, what: Sentence) -> CarrierError:
        text = fault.message or "no message"
        message = short_text(text, self._secrets)
        # Judged on the whole text: the word that tells a refused key may come after the shortened message's end.
        if any(word in text.lower() for word in AUTH_FAULT_WORDS):
            return CarrierError(
                _(
                    "the carrier refused the %(what)s request (%(reason)s): check the carrier's API key and account",
                    what=what,
                    reason=message,
                ),
                transient=False,
            )
        # Client faults are about our request (weight, address...): sending it again cannot help.
        client_fault = (fault.code or "").endswith("Client")
        return CarrierError(
            _("the carrier answered the %(what)s request with a SOAP fault: %(reason)s", what=what, reason=message),
            transient=not client_fault,
        )

    def _status_error(self, status: int | None, what: Sentence) -> CarrierError:
        if status and 400 <= status < 500 and not retry_later(status):
            return CarrierError(
                _("the carrier answered %(status)s: check %(what)s", status=status, what=what),
                transient=False,
                status=status,
            )
        return CarrierError(_("the carrier answered %(status)s: try again later", status=status), status=status)


def _address(address: Address) -> dict:
    return {
        "Name": address.name,
        "Street": address.street or None,
        "Street2": address.street2 or None,
        "City": address.city or None,
        "Zip": address.zip or None,
        "State": address.state or None,
        "CountryCode": address.country_code or None,
        "Phone": address.phone or None,
        "Email": address.email or None,
    }


def _shipment(shipment: Shipment) -> dict:
    return {
        "Reference": shipment.reference,
        "Service": shipment.service or None,
        "Sender": _address(shipment.sender),
        "Recipient": _address(shipment.recipient),
        "Parcels": {
            "Parcel": [
                {
                    "Weight": round(parcel.weight, 3),
                    "Length": round(parcel.length, 1),
                    "Width": round(parcel.width, 1),
                    "Height": round(parcel.height, 1),
                    "Reference": parcel.reference or None,
                }
                for parcel in shipment.parcels
            ]
        },
    }
