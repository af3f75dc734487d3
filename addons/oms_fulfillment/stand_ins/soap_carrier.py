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

from lxml import etree

from odoo.addons.oms_intelligent.stand_ins import wsdl
from odoo.addons.oms_intelligent.stand_ins.soap import LocalSoapServer, SoapFault, soap_child

from .carrier_server import CarrierServed, label_pdf

NAMESPACE = "urn:oms:carrier:1"
ADDRESS_FIELDS = ("Name", "Street", "Street2", "City", "Zip", "State", "CountryCode", "Phone", "Email")


def _schema() -> str:
    return "".join((*_shipment_types(), *_answer_types(), *_operation_wrappers()))


def _shipment_types() -> tuple[str, ...]:
    """The shipment the client sends: a reference, a service, sender and recipient addresses, parcels."""
    return (
        wsdl.complex_type("Address", *(f"{name} xsd:string?" for name in ADDRESS_FIELDS)),
        wsdl.complex_type(
            "Parcel",
            "Weight xsd:decimal",
            "Length xsd:decimal?",
            "Width xsd:decimal?",
            "Height xsd:decimal?",
            "Reference xsd:string?",
        ),
        wsdl.complex_type("Parcels", "Parcel tns:Parcel*"),
        wsdl.complex_type(
            "Shipment",
            "Reference xsd:string",
            "Service xsd:string?",
            "Sender tns:Address",
            "Recipient tns:Address",
            "Parcels tns:Parcels",
        ),
    )


def _answer_types() -> tuple[str, ...]:
    """What the carrier answers: a rate, a label, a tracking status."""
    return (
        wsdl.complex_type(
            "Rate", "service xsd:string?", "price xsd:decimal", "currency xsd:string", "transitDays xsd:int?"
        ),
        wsdl.complex_type(
            "ShipmentResult",
            "trackingNumber xsd:string",
            "labelPdf xsd:base64Binary",
            "price xsd:decimal?",
            "currency xsd:string?",
        ),
        wsdl.complex_type("Events", "Event xsd:string*"),
        wsdl.complex_type(
            "Tracking",
            "trackingNumber xsd:string",
            "status xsd:string",
            "deliveredAt xsd:dateTime?",
            "description xsd:string?",
            "Events tns:Events?",
        ),
    )


def _operation_wrappers() -> tuple[str, ...]:
    """Each operation's request (the credentials first) and response."""
    credentials = ("apiKey xsd:string", "account xsd:string")
    return (
        wsdl.wrapper("GetRates", *credentials, "Shipment tns:Shipment"),
        wsdl.wrapper("GetRatesResponse", "Rate tns:Rate"),
        wsdl.wrapper("CreateShipment", *credentials, "Shipment tns:Shipment"),
        wsdl.wrapper("CreateShipmentResponse", "Result tns:ShipmentResult"),
        wsdl.wrapper("GetTracking", *credentials, "trackingNumber xsd:string"),
        wsdl.wrapper("GetTrackingResponse", "Tracking tns:Tracking"),
        wsdl.wrapper("CancelShipment", *credentials, "trackingNumber xsd:string"),
        wsdl.wrapper("CancelShipmentResponse", "ok xsd:boolean"),
    )


class LocalSoapCarrier(CarrierServed, LocalSoapServer):
    path = "/carrier"
    service = "Carrier"
    namespace = NAMESPACE
    operations = ("GetRates", "CreateShipment", "GetTracking", "CancelShipment")
    api_key = "soap-key"
    account = "ACC-SOAP"
    base_price = 4.0
    price_per_kg = 0.8
    transit_days = 1
    service = "EXPRESS"
    prefix = "SOA"

    def schema(self) -> str:
        return _schema()

    def refusal(self, arguments: dict) -> str | None:
        if _text(arguments.get("apiKey")) != self.api_key or _text(arguments.get("account")) != self.account:
            return "Invalid API key or account"
        return None

    def _shipment(self, arguments) -> dict:
        shipment = arguments.get("Shipment")
        if shipment is None:
            raise SoapFault("no Shipment", "soap:Client")
        weights = [_weight(parcel) for parcel in _children(_child_of(shipment, "Parcels"), "Parcel")]
        country = _text(_child_of(_child_of(shipment, "Recipient"), "CountryCode"))
        refusal = self.shipment_refusal(weights, country)
        if refusal:
            raise SoapFault(refusal, "soap:Client")
        return {
            "reference": _text(_child_of(shipment, "Reference")),
            "service": _text(_child_of(shipment, "Service")),
            "parcels": [{"weight": weight} for weight in weights],
            "recipient_country": country,
        }

    def _price_of(self, shipment: dict) -> float:
        return self.price(parcel["weight"] for parcel in shipment["parcels"])

    def _op_GetRates(self, arguments) -> etree._Element:
        shipment = self._shipment(arguments)
        response = self.answer("GetRatesResponse")
        rate = soap_child(response, "Rate")
        soap_child(rate, "service", shipment["service"] or self.service)
        soap_child(rate, "price", f"{self._price_of(shipment):.2f}")
        soap_child(rate, "currency", self.currency)
        if self.transit_days is not None:
            soap_child(rate, "transitDays", str(self.transit_days))
        return response

    def _op_CreateShipment(self, arguments) -> etree._Element:
        shipment = self._shipment(arguments)
        number = self.new_shipment(shipment)
        response = self.answer("CreateShipmentResponse")
        result = soap_child(response, "Result")
        soap_child(result, "trackingNumber", number)
        soap_child(result, "labelPdf", base64.b64encode(label_pdf(f"{number} {shipment['reference']}")).decode())
        soap_child(result, "price", f"{self._price_of(shipment):.2f}")
        soap_child(result, "currency", self.currency)
        return response

    def _op_GetTracking(self, arguments) -> etree._Element:
        number = _text(arguments.get("trackingNumber"))
        with self.lock:
            shipment = self.shipments.get(number)
        if shipment is None:
            raise SoapFault(f"Unknown tracking number {number}", "soap:Client")
        response = self.answer("GetTrackingResponse")
        tracking = soap_child(response, "Tracking")
        soap_child(tracking, "trackingNumber", number)
        soap_child(tracking, "status", shipment["status"])
        if shipment["delivered_at"]:
            soap_child(tracking, "deliveredAt", shipment["delivered_at"])
        soap_child(tracking, "description", shipment["status"].replace("_", " "))
        return response

    def _op_CancelShipment(self, arguments) -> etree._Element:
        number = _text(arguments.get("trackingNumber"))
        outcome = self.cancel(number)
        if outcome == "unknown":
            raise SoapFault(f"Unknown tracking number {number}", "soap:Client")
        if outcome == "delivered":
            raise SoapFault("A delivered shipment cannot be cancelled", "soap:Client")
        response = self.answer("CancelShipmentResponse")
        soap_child(response, "ok", "true")
        return response


def _weight(parcel) -> float:
    try:
        return float(_text(_child_of(parcel, "Weight")) or 0)
    except ValueError:
        return 0.0


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _child_of(element, name: str):
    return element.find(f"{{{NAMESPACE}}}{name}") if element is not None else None


def _children(element, name: str) -> list:
    return element.findall(f"{{{NAMESPACE}}}{name}") if element is not None else []
