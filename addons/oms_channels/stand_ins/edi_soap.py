"""A local EDI partner speaking SOAP 1.1 (document/literal), for tests and benchmarks::

    with LocalEdiSoap() as edi:
        edi.add_order(make_order("EDI-1"))
        connector = SoapConnector(edi.wsdl_url, edi.api_key)
        ...
        assert edi.confirmations == [{"externalId": "EDI-1", "carrier": "SEUR", ...}]

``GET <url>?wsdl`` serves the WSDL below; ``POST <url>`` answers Ping, ListOrders and ConfirmShipment, built with
lxml. Orders are channel-order dicts turned into the typed ``Order`` XML; every element is optional so invalid
orders can be served on purpose (values must still fit their XSD type). ListOrders returns the orders whose
UpdatedAt (else OrderDate) is after ``since``, and those whose date cannot be read.
"""

from lxml import etree

from odoo.addons.oms_intelligent.stand_ins import wsdl
from odoo.addons.oms_intelligent.stand_ins.soap import LocalSoapServer, SoapFault, soap_child, soap_element

from ..services.channel_order import parse_datetime
from .orders import OrdersServed, order_updated_at

NAMESPACE = "urn:oms:edi:1"

# (XML element, channel-order key, XSD type) of each complex type, in sequence order.
CUSTOMER_FIELDS = (
    ("Name", "name", "xsd:string"),
    ("Email", "email", "xsd:string"),
    ("Phone", "phone", "xsd:string"),
    ("Vat", "vat", "xsd:string"),
    ("Lang", "lang", "xsd:string"),
)
ADDRESS_FIELDS = (
    ("Name", "name", "xsd:string"),
    ("Street", "street", "xsd:string"),
    ("Street2", "street2", "xsd:string"),
    ("City", "city", "xsd:string"),
    ("Zip", "zip", "xsd:string"),
    ("State", "state", "xsd:string"),
    ("CountryCode", "country_code", "xsd:string"),
    ("Latitude", "latitude", "xsd:double"),
    ("Longitude", "longitude", "xsd:double"),
    ("Phone", "phone", "xsd:string"),
    ("Email", "email", "xsd:string"),
)
LINE_FIELDS = (
    ("Sku", "sku", "xsd:string"),
    ("Barcode", "barcode", "xsd:string"),
    ("ChannelProductId", "channel_product_id", "xsd:string"),
    ("Name", "name", "xsd:string"),
    ("Quantity", "quantity", "xsd:decimal"),
    ("UnitPrice", "unit_price", "xsd:decimal"),
    ("Discount", "discount", "xsd:decimal"),
)
# Customer and addresses are nested elements, the lines a list of Line, the shipping two flat elements.
ORDER_FIELDS = (
    ("ExternalId", "external_id", "xsd:string"),
    ("UpdatedAt", "updated_at", "xsd:dateTime"),
    ("OrderDate", "order_date", "xsd:dateTime"),
    ("Status", "status", "xsd:string"),
    ("Currency", "currency", "xsd:string"),
    ("Paid", "paid", "xsd:boolean"),
    ("Customer", "customer", "tns:Customer"),
    ("BillingAddress", "billing_address", "tns:Address"),
    ("ShippingAddress", "shipping_address", "tns:Address"),
    ("Lines", "lines", "tns:Lines"),
    ("ShippingMethod", "shipping_method", "xsd:string"),
    ("ShippingPrice", "shipping_price", "xsd:decimal"),
    ("Note", "note", "xsd:string"),
)
NESTED_FIELDS = {"tns:Customer": CUSTOMER_FIELDS, "tns:Address": ADDRESS_FIELDS}


def _complex_type(name: str, fields) -> str:
    """Every element optional, so that invalid orders can be served on purpose."""
    return wsdl.complex_type(name, *(f"{element} {xsd_type}?" for element, _key, xsd_type in fields))


def _schema() -> str:
    return "".join(
        (
            _complex_type("Customer", CUSTOMER_FIELDS),
            _complex_type("Address", ADDRESS_FIELDS),
            _complex_type("Line", LINE_FIELDS),
            wsdl.complex_type("Lines", "Line tns:Line*"),
            _complex_type("Order", ORDER_FIELDS),
            wsdl.complex_type("PingResult", "ok xsd:boolean", "partner xsd:string"),
            wsdl.wrapper("Ping", "apiKey xsd:string"),
            wsdl.wrapper("PingResponse", "result tns:PingResult"),
            wsdl.wrapper("ListOrders", "apiKey xsd:string", "since xsd:dateTime?"),
            wsdl.wrapper("ListOrdersResponse", "Order tns:Order*"),
            wsdl.wrapper(
                "ConfirmShipment",
                "apiKey xsd:string",
                "externalId xsd:string",
                "carrier xsd:string",
                "trackingNumber xsd:string",
                "trackingUrl xsd:string?",
            ),
            wsdl.wrapper("ConfirmShipmentResponse", "ok xsd:boolean"),
        )
    )


class LocalEdiSoap(OrdersServed, LocalSoapServer):
    path = "/edi"
    service = "Edi"
    namespace = NAMESPACE
    operations = ("Ping", "ListOrders", "ConfirmShipment")

    def __init__(self, api_key: str = "edi-key", partner: str = "Local EDI Partner"):
        super().__init__()
        self.api_key = api_key
        self.partner = partner
        self.confirmations: list[dict] = []

    def schema(self) -> str:
        return _schema()

    def call_arguments(self, call: etree._Element) -> dict:
        return {etree.QName(child).localname: (child.text or "").strip() for child in call}

    def refusal(self, arguments: dict) -> str | None:
        return None if arguments.get("apiKey") == self.api_key else "Invalid API key"

    def _op_Ping(self, arguments: dict) -> etree._Element:
        response = self.answer("PingResponse")
        result = soap_child(response, "result")
        soap_child(result, "ok", "true")
        soap_child(result, "partner", self.partner)
        return response

    def _op_ListOrders(self, arguments: dict) -> etree._Element:
        try:
            since = parse_datetime(arguments["since"]) if arguments.get("since") else None
        except ValueError:
            raise SoapFault("since is not an xsd:dateTime", "soap:Client") from None
        with self.lock:
            orders = list(self.orders)
        response = self.answer("ListOrdersResponse")
        for order in orders:
            updated_at = order_updated_at(order)
            if since is None or updated_at is None or updated_at > since:
                response.append(_order_element(order))
        return response

    def _op_ConfirmShipment(self, arguments: dict) -> etree._Element:
        external_id = arguments.get("externalId")
        with self.lock:
            if not any(isinstance(order, dict) and order.get("external_id") == external_id for order in self.orders):
                raise SoapFault(f"Unknown order {external_id}", "soap:Client")
            self.confirmations.append({key: value for key, value in arguments.items() if key != "apiKey"})
        response = self.answer("ConfirmShipmentResponse")
        soap_child(response, "ok", "true")
        return response


def _xml_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: etree._Element, data: dict, fields) -> None:
    for element, key, _xsd_type in fields:
        value = data.get(key)
        if value is not None:
            soap_child(parent, element, _xml_text(value))


def _order_element(order: dict) -> etree._Element:
    element = soap_element(NAMESPACE, "Order")
    shipping = order.get("shipping") if isinstance(order.get("shipping"), dict) else {}
    flat = {**order, "shipping_method": shipping.get("method"), "shipping_price": shipping.get("price")}
    for name, key, xsd_type in ORDER_FIELDS:
        value = flat.get(key)
        if value is None:
            continue
        if xsd_type == "tns:Lines" and isinstance(value, list):
            lines = soap_child(element, name)
            for line in value:
                _fill(soap_child(lines, "Line"), line if isinstance(line, dict) else {}, LINE_FIELDS)
        elif xsd_type in NESTED_FIELDS and isinstance(value, dict):
            _fill(soap_child(element, name), value, NESTED_FIELDS[xsd_type])
        elif xsd_type.startswith("xsd:"):
            soap_child(element, name, _xml_text(value))
    return element
