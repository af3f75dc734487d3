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

from odoo.addons.oms_intelligent.stand_ins.soap import (
    LocalSoapServer,
    SoapFault,
    soap_child,
    soap_element,
    wsdl_document,
    xsd_complex_type,
    xsd_element,
    xsd_wrapper,
)

from .carrier_server import CarrierServed, label_pdf

NAMESPACE = "urn:oms:carrier:1"
OPERATIONS = ("GetRates", "CreateShipment", "GetTracking", "CancelShipment")

ADDRESS_FIELDS = ("Name", "Street", "Street2", "City", "Zip", "State", "CountryCode", "Phone", "Email")


def _wsdl(location: str) -> str:
    schema = "".join((*_shipment_types(), *_answer_types(), *_operation_wrappers()))
    return wsdl_document("Carrier", NAMESPACE, OPERATIONS, schema, location)


def _shipment_types() -> tuple[str, ...]:
    """The shipment the client sends: a reference, a service, sender and recipient addresses, parcels."""
    return (
        xsd_complex_type("Address", *(xsd_element(name, "xsd:string", optional=True) for name in ADDRESS_FIELDS)),
        xsd_complex_type(
            "Parcel",
            xsd_element("Weight", "xsd:decimal"),
            xsd_element("Length", "xsd:decimal", optional=True),
            xsd_element("Width", "xsd:decimal", optional=True),
            xsd_element("Height", "xsd:decimal", optional=True),
            xsd_element("Reference", "xsd:string", optional=True),
        ),
        xsd_complex_type("Parcels", xsd_element("Parcel", "tns:Parcel", optional=True, many=True)),
        xsd_complex_type(
            "Shipment",
            xsd_element("Reference", "xsd:string"),
            xsd_element("Service", "xsd:string", optional=True),
            xsd_element("Sender", "tns:Address"),
            xsd_element("Recipient", "tns:Address"),
            xsd_element("Parcels", "tns:Parcels"),
        ),
    )


def _answer_types() -> tuple[str, ...]:
    """What the carrier answers: a rate, a label, a tracking status."""
    return (
        xsd_complex_type(
            "Rate",
            xsd_element("service", "xsd:string", optional=True),
            xsd_element("price", "xsd:decimal"),
            xsd_element("currency", "xsd:string"),
            xsd_element("transitDays", "xsd:int", optional=True),
        ),
        xsd_complex_type(
            "ShipmentResult",
            xsd_element("trackingNumber", "xsd:string"),
            xsd_element("labelPdf", "xsd:base64Binary"),
            xsd_element("price", "xsd:decimal", optional=True),
            xsd_element("currency", "xsd:string", optional=True),
        ),
        xsd_complex_type("Events", xsd_element("Event", "xsd:string", optional=True, many=True)),
        xsd_complex_type(
            "Tracking",
            xsd_element("trackingNumber", "xsd:string"),
            xsd_element("status", "xsd:string"),
            xsd_element("deliveredAt", "xsd:dateTime", optional=True),
            xsd_element("description", "xsd:string", optional=True),
            xsd_element("Events", "tns:Events", optional=True),
        ),
    )


def _operation_wrappers() -> tuple[str, ...]:
    """Each operation's request (the credentials first) and response."""
    credentials = (xsd_element("apiKey", "xsd:string"), xsd_element("account", "xsd:string"))
    shipment = xsd_element("Shipment", "tns:Shipment")
    tracking_number = xsd_element("trackingNumber", "xsd:string")
    return (
        xsd_wrapper("GetRates", *credentials, shipment),
        xsd_wrapper("GetRatesResponse", xsd_element("Rate", "tns:Rate")),
        xsd_wrapper("CreateShipment", *credentials, shipment),
        xsd_wrapper("CreateShipmentResponse", xsd_element("Result", "tns:ShipmentResult")),
        xsd_wrapper("GetTracking", *credentials, tracking_number),
        xsd_wrapper("GetTrackingResponse", xsd_element("Tracking", "tns:Tracking")),
        xsd_wrapper("CancelShipment", *credentials, tracking_number),
        xsd_wrapper("CancelShipmentResponse", xsd_element("ok", "xsd:boolean")),
    )


class LocalSoapCarrier(CarrierServed, LocalSoapServer):
    path = "/carrier"
    api_key = "soap-key"
    account = "ACC-SOAP"
    base_price = 4.0
    price_per_kg = 0.8
    transit_days = 1
    service = "EXPRESS"
    prefix = "SOA"

    def wsdl(self, location: str) -> str:
        return _wsdl(location)

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
        response = soap_element(NAMESPACE, "GetRatesResponse")
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
        response = soap_element(NAMESPACE, "CreateShipmentResponse")
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
        response = soap_element(NAMESPACE, "GetTrackingResponse")
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
        response = soap_element(NAMESPACE, "CancelShipmentResponse")
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
