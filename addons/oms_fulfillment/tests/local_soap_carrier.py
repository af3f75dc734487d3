"""A local carrier speaking SOAP 1.1 (document/literal) with the WSDL services/carrier_soap.py expects, for tests::

    with LocalSoapCarrier(base_price=4.0, transit_days=1) as carrier:
        client = SoapCarrierClient(carrier.wsdl_url, carrier.api_key, carrier.account)
        carrier.fault_next(1, "Rating engine unavailable")   # the next call answers a SOAP fault
        carrier.delay_next(1, 2.0)                           # the next call waits 2 s (timeouts)
        carrier.set_status("SOA000001", "delivered", "2026-12-02T10:15:00Z")

``GET <url>?wsdl`` serves the WSDL; ``POST <url>`` answers GetRates, CreateShipment, GetTracking and CancelShipment.
A rate costs ``base_price + price_per_kg x total weight``; a parcel without weight gets a client fault.
"""

import base64
import time

from lxml import etree
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.tests.local_soap import (
    SoapFault,
    soap_answer,
    soap_call,
    soap_child,
    soap_element,
    wsdl_document,
    xsd_element,
    xsd_sequence,
    xsd_wrapper,
)

from .local_server import LocalCarrierServer, label_pdf

NAMESPACE = "urn:oms:carrier:1"
OPERATIONS = ("GetRates", "CreateShipment", "GetTracking", "CancelShipment")

ADDRESS_FIELDS = ("Name", "Street", "Street2", "City", "Zip", "State", "CountryCode", "Phone", "Email")


def _complex_type(name: str, *elements: str) -> str:
    return f'<xsd:complexType name="{name}">{xsd_sequence(*elements)}</xsd:complexType>'


def _wsdl(location: str) -> str:
    credentials = (xsd_element("apiKey", "xsd:string"), xsd_element("account", "xsd:string"))
    schema = "".join(
        (
            _complex_type("Address", *(xsd_element(name, "xsd:string", optional=True) for name in ADDRESS_FIELDS)),
            _complex_type(
                "Parcel",
                xsd_element("Weight", "xsd:decimal"),
                xsd_element("Length", "xsd:decimal", optional=True),
                xsd_element("Width", "xsd:decimal", optional=True),
                xsd_element("Height", "xsd:decimal", optional=True),
                xsd_element("Reference", "xsd:string", optional=True),
            ),
            _complex_type("Parcels", xsd_element("Parcel", "tns:Parcel", optional=True, many=True)),
            _complex_type(
                "Shipment",
                xsd_element("Reference", "xsd:string"),
                xsd_element("Service", "xsd:string", optional=True),
                xsd_element("Sender", "tns:Address"),
                xsd_element("Recipient", "tns:Address"),
                xsd_element("Parcels", "tns:Parcels"),
            ),
            _complex_type(
                "Rate",
                xsd_element("service", "xsd:string", optional=True),
                xsd_element("price", "xsd:decimal"),
                xsd_element("currency", "xsd:string"),
                xsd_element("transitDays", "xsd:int", optional=True),
            ),
            _complex_type(
                "ShipmentResult",
                xsd_element("trackingNumber", "xsd:string"),
                xsd_element("labelPdf", "xsd:base64Binary"),
                xsd_element("price", "xsd:decimal", optional=True),
                xsd_element("currency", "xsd:string", optional=True),
            ),
            _complex_type("Events", xsd_element("Event", "xsd:string", optional=True, many=True)),
            _complex_type(
                "Tracking",
                xsd_element("trackingNumber", "xsd:string"),
                xsd_element("status", "xsd:string"),
                xsd_element("deliveredAt", "xsd:dateTime", optional=True),
                xsd_element("description", "xsd:string", optional=True),
                xsd_element("Events", "tns:Events", optional=True),
            ),
            xsd_wrapper("GetRates", *credentials, xsd_element("Shipment", "tns:Shipment")),
            xsd_wrapper("GetRatesResponse", xsd_element("Rate", "tns:Rate")),
            xsd_wrapper("CreateShipment", *credentials, xsd_element("Shipment", "tns:Shipment")),
            xsd_wrapper("CreateShipmentResponse", xsd_element("Result", "tns:ShipmentResult")),
            xsd_wrapper("GetTracking", *credentials, xsd_element("trackingNumber", "xsd:string")),
            xsd_wrapper("GetTrackingResponse", xsd_element("Tracking", "tns:Tracking")),
            xsd_wrapper("CancelShipment", *credentials, xsd_element("trackingNumber", "xsd:string")),
            xsd_wrapper("CancelShipmentResponse", xsd_element("ok", "xsd:boolean")),
        )
    )
    return wsdl_document("Carrier", NAMESPACE, OPERATIONS, schema, location)


class LocalSoapCarrier(LocalCarrierServer):
    def __init__(
        self,
        api_key: str = "soap-key",
        account: str = "ACC-SOAP",
        base_price: float = 4.0,
        price_per_kg: float = 0.8,
        currency: str = "EUR",
        transit_days: int | None = 1,
        service: str = "EXPRESS",
        prefix: str = "SOA",
    ):
        super().__init__(api_key, account, base_price, price_per_kg, currency, transit_days, service, prefix)
        self.requests: list[str] = []  # operation names, in order
        self._faults: list[tuple[str, str]] = []

    @property
    def wsdl_url(self) -> str:
        return f"{self.url}/carrier?wsdl"

    @property
    def endpoint_url(self) -> str:
        return f"{self.url}/carrier"

    def fault_next(self, n: int, message: str = "Internal error", code: str = "soap:Server") -> None:
        """The next n SOAP calls answer a fault with this faultstring."""
        with self.lock:
            self._faults.extend([(message, code)] * n)

    def set_status(self, number: str, status: str, delivered_at: str | None = None) -> None:
        with self.lock:
            self.shipments[number].update(status=status, delivered_at=delivered_at)

    def handle(self, request: Request) -> Response:
        return soap_answer(request, "/carrier", lambda: _wsdl(self.endpoint_url), self._dispatch)

    def _dispatch(self, body: bytes) -> etree._Element:
        operation, call = soap_call(body)
        arguments = {etree.QName(child).localname: child for child in call}
        with self.lock:
            self.requests.append(operation)
            fault = self._faults.pop(0) if self._faults else None
            delay = self._next_delay()
        if delay:
            time.sleep(delay)
        if fault:
            raise SoapFault(*fault)
        if _text(arguments.get("apiKey")) != self.api_key or _text(arguments.get("account")) != self.account:
            raise SoapFault("Invalid API key or account", "soap:Client")
        handler = getattr(self, f"_op_{operation}", None)
        if handler is None:
            raise SoapFault(f"unknown operation {operation}", "soap:Client")
        return handler(arguments)

    def _shipment(self, arguments) -> dict:
        shipment = arguments.get("Shipment")
        if shipment is None:
            raise SoapFault("no Shipment", "soap:Client")
        parcels = []
        for index, parcel in enumerate(_children(_child_of(shipment, "Parcels"), "Parcel"), start=1):
            try:
                weight = float(_text(_child_of(parcel, "Weight")) or 0)
            except ValueError:
                weight = 0
            if weight <= 0:
                raise SoapFault(f"parcel {index} has no weight", "soap:Client")
            parcels.append({"weight": weight})
        if not parcels:
            raise SoapFault("the shipment has no parcels", "soap:Client")
        recipient = _child_of(shipment, "Recipient")
        if not _text(_child_of(recipient, "CountryCode")):
            raise SoapFault("the recipient has no country", "soap:Client")
        return {
            "reference": _text(_child_of(shipment, "Reference")),
            "service": _text(_child_of(shipment, "Service")),
            "parcels": parcels,
            "recipient_country": _text(_child_of(recipient, "CountryCode")),
        }

    def _price(self, shipment: dict) -> float:
        return round(self.base_price + self.price_per_kg * sum(parcel["weight"] for parcel in shipment["parcels"]), 2)

    def _op_GetRates(self, arguments) -> etree._Element:
        shipment = self._shipment(arguments)
        response = soap_element(NAMESPACE, "GetRatesResponse")
        rate = soap_child(response, "Rate")
        soap_child(rate, "service", shipment["service"] or self.service)
        soap_child(rate, "price", f"{self._price(shipment):.2f}")
        soap_child(rate, "currency", self.currency)
        if self.transit_days is not None:
            soap_child(rate, "transitDays", str(self.transit_days))
        return response

    def _op_CreateShipment(self, arguments) -> etree._Element:
        shipment = self._shipment(arguments)
        with self.lock:
            number = f"{self.prefix}{len(self.shipments) + 1:06d}"
            self.shipments[number] = {"shipment": shipment, "status": "label_created", "delivered_at": None}
        response = soap_element(NAMESPACE, "CreateShipmentResponse")
        result = soap_child(response, "Result")
        soap_child(result, "trackingNumber", number)
        soap_child(result, "labelPdf", base64.b64encode(label_pdf(f"{number} {shipment['reference']}")).decode())
        soap_child(result, "price", f"{self._price(shipment):.2f}")
        soap_child(result, "currency", self.currency)
        return response

    def _known(self, arguments) -> tuple[str, dict]:
        number = _text(arguments.get("trackingNumber"))
        with self.lock:
            shipment = self.shipments.get(number)
        if shipment is None:
            raise SoapFault(f"Unknown tracking number {number}", "soap:Client")
        return number, shipment

    def _op_GetTracking(self, arguments) -> etree._Element:
        number, shipment = self._known(arguments)
        response = soap_element(NAMESPACE, "GetTrackingResponse")
        tracking = soap_child(response, "Tracking")
        soap_child(tracking, "trackingNumber", number)
        soap_child(tracking, "status", shipment["status"])
        if shipment["delivered_at"]:
            soap_child(tracking, "deliveredAt", shipment["delivered_at"])
        soap_child(tracking, "description", shipment["status"].replace("_", " "))
        return response

    def _op_CancelShipment(self, arguments) -> etree._Element:
        _number, shipment = self._known(arguments)
        with self.lock:
            if shipment["status"] == "delivered":
                raise SoapFault("A delivered shipment cannot be cancelled", "soap:Client")
            shipment["status"] = "cancelled"
        response = soap_element(NAMESPACE, "CancelShipmentResponse")
        soap_child(response, "ok", "true")
        return response


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _child_of(element, name: str):
    return element.find(f"{{{NAMESPACE}}}{name}") if element is not None else None


def _children(element, name: str) -> list:
    return element.findall(f"{{{NAMESPACE}}}{name}") if element is not None else []
