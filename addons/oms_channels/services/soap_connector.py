"""Client of an EDI partner's SOAP service (stand_ins/edi_soap.py serves the same WSDL for tests).

Operations, document/literal, each taking the partner's ``apiKey``:

- ``Ping(apiKey) -> PingResult{ok, partner}``
- ``ListOrders(apiKey, since?: dateTime) -> Order[]``, orders updated after since, as a typed ``Order`` (ExternalId,
  UpdatedAt, OrderDate, Status, Currency, Paid, Customer, BillingAddress, ShippingAddress, Lines/Line[],
  ShippingMethod, ShippingPrice, Note), converted here into the channel-order dicts of :mod:`.channel_order`.
- ``ConfirmShipment(apiKey, externalId, carrier, trackingNumber, trackingUrl?) -> ok``

EDI partners send us orders and receive shipment confirmations; they manage their own stock, so this connector
cannot push stock (:meth:`SoapConnector.push_stock` raises ConnectorConfigurationError). Calls are not retried
here: a failed sync is simply run again by the next scheduled run.
"""

from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal

import requests
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError
from zeep.helpers import serialize_object

from odoo.addons.oms_intelligent.services.http_errors import retry_later, short_text
from odoo.addons.oms_intelligent.services.redact import redact, url_secrets
from odoo.addons.oms_intelligent.services.soap_transport import ForbiddenLocation, http_only_client

from .channel_order import format_datetime
from .errors import ConnectorConfigurationError, ConnectorError

# {partner element: channel-order key}
ORDER_FIELDS = {
    "ExternalId": "external_id",
    "UpdatedAt": "updated_at",
    "OrderDate": "order_date",
    "Status": "status",
    "Currency": "currency",
    "Paid": "paid",
    "Note": "note",
}
CUSTOMER_FIELDS = {"Name": "name", "Email": "email", "Phone": "phone", "Vat": "vat", "Lang": "lang"}
ADDRESS_FIELDS = {
    "Name": "name",
    "Street": "street",
    "Street2": "street2",
    "City": "city",
    "Zip": "zip",
    "State": "state",
    "CountryCode": "country_code",
    "Latitude": "latitude",
    "Longitude": "longitude",
    "Phone": "phone",
    "Email": "email",
}
LINE_FIELDS = {
    "Sku": "sku",
    "Barcode": "barcode",
    "ChannelProductId": "channel_product_id",
    "Name": "name",
    "Quantity": "quantity",
    "UnitPrice": "unit_price",
    "Discount": "discount",
}
SHIPPING_FIELDS = {"ShippingMethod": "method", "ShippingPrice": "price"}
# How partners word a refused key in their faults; such faults need a new key, not a retry.
AUTH_FAULT_WORDS = ("api key", "apikey", "authentication", "unauthorized", "not authorized")


class SoapConnector:
    """EDI partner client; the WSDL is loaded on the first call, so creating one never touches the network. Only
    http(s) is read, the WSDL and every document it imports (oms_intelligent's ``services/soap_transport.py``).
    Messages never hold the API key nor the WSDL URL (manager-only)."""

    def __init__(self, wsdl_url: str, api_key: str, timeout: float = 10.0):
        self.wsdl_url = wsdl_url
        self._api_key = api_key
        self._secrets = (api_key, *url_secrets(wsdl_url))
        self.timeout = timeout
        self._client = None

    def __repr__(self) -> str:
        return f"SoapConnector({self.wsdl_url!r})"

    def test_connection(self) -> str:
        result = self._call("Ping")
        partner = getattr(result, "partner", None)
        return self._redact(f"Connected to {partner}") if partner else "Connected to the EDI partner"

    def fetch_orders(self, since: datetime | None) -> Iterator[dict]:
        """Channel-order dicts (elements the partner left out are absent), not validated: the caller quarantines
        invalid ones. since as for RestConnector.fetch_orders: empty (None, False) for all, naive values in UTC."""
        if not since:
            since = None
        elif since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        orders = self._call("ListOrders", since=since) or []
        for order in orders:
            yield order_to_dict(serialize_object(order, dict))

    def push_stock(self, items: list[dict]) -> int:
        raise ConnectorConfigurationError("this EDI partner does not accept stock updates")

    def push_tracking(
        self,
        external_id: str,
        carrier: str,
        tracking_number: str,
        tracking_url: str | None = None,
        tracking_numbers: list[str] | None = None,
    ) -> None:
        # ConfirmShipment takes one tracking number: the parcels' numbers go comma-separated, as Odoo keeps them.
        self._call(
            "ConfirmShipment",
            externalId=external_id,
            carrier=carrier,
            trackingNumber=tracking_number,
            trackingUrl=tracking_url,
        )

    def _service(self):
        if self._client is None:
            self._client = http_only_client(self.wsdl_url, self.timeout)
        return self._client.service

    def _call(self, operation: str, **arguments):
        try:
            return getattr(self._service(), operation)(apiKey=self._api_key, **arguments)
        except Fault as fault:
            raise self._fault_error(fault) from None
        except ForbiddenLocation as exc:
            # zeep would also read local files: only a partner's web service makes sense here.
            raise ConnectorConfigurationError(f"EDI partner's WSDL refused: {exc}; check the WSDL URL") from None
        except requests.Timeout:
            raise ConnectorError(f"EDI partner did not answer within {self.timeout:g} s") from None
        except requests.ConnectionError:
            raise ConnectorError("EDI partner could not be reached") from None
        except requests.HTTPError as exc:  # while loading the WSDL
            raise self._status_error(exc.response.status_code, "the WSDL URL") from None
        except TransportError as exc:
            raise self._status_error(exc.status_code, "the endpoint in the WSDL") from None
        except requests.RequestException as exc:
            raise ConnectorConfigurationError(
                f"EDI partner URL is not usable ({type(exc).__name__}): check the WSDL URL"
            ) from None
        except ZeepError as exc:
            # Not a WSDL, or an answer that does not follow it: the same call would fail the same way.
            raise ConnectorError(
                f"EDI partner answered {operation} with something zeep cannot read ({type(exc).__name__}: "
                f"{short_text(str(exc), self._secrets)})",
                transient=False,
            ) from None

    def _fault_error(self, fault: Fault) -> ConnectorError:
        text = fault.message or "SOAP fault without message"
        message = short_text(text, self._secrets)
        # Judged on the whole text: the word that tells a refused key may come after the shortened message's end.
        if any(word in text.lower() for word in AUTH_FAULT_WORDS):
            return ConnectorConfigurationError(f"EDI partner refused the call ({message}): check the API key")
        # Client faults are about our request (unknown order...): sending it again cannot help.
        client_fault = (fault.code or "").endswith("Client")
        return ConnectorError(f"EDI partner answered a SOAP fault: {message}", transient=not client_fault)

    def _status_error(self, status: int | None, what: str) -> ConnectorError:
        if status and 400 <= status < 500 and not retry_later(status):
            return ConnectorConfigurationError(f"EDI partner answered {status}: check {what}", status=status)
        return ConnectorError(f"EDI partner answered {status}", status=status)

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)


def order_to_dict(order: dict) -> dict:
    """A partner ``Order`` (as nested dicts from zeep) -> channel-order dict, without the elements left out."""
    data = _rename(order, ORDER_FIELDS)
    for element, key, fields in (
        ("Customer", "customer", CUSTOMER_FIELDS),
        ("BillingAddress", "billing_address", ADDRESS_FIELDS),
        ("ShippingAddress", "shipping_address", ADDRESS_FIELDS),
    ):
        if order.get(element) is not None:
            data[key] = _rename(order[element], fields)
    if order.get("Lines") is not None:
        data["lines"] = [_rename(line, LINE_FIELDS) for line in order["Lines"].get("Line") or []]
    shipping = _rename(order, SHIPPING_FIELDS)
    if shipping:
        data["shipping"] = shipping
    return data


def _rename(values: dict, fields: dict[str, str]) -> dict:
    return {key: _plain(values[element]) for element, key in fields.items() if values.get(element) is not None}


def _plain(value):
    """zeep's typed values -> JSON-like ones of the schema."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Decimal):
        return float(value)
    return value
