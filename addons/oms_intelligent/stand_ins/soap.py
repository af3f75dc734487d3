"""What the local SOAP stand-ins share (an EDI partner, a carrier): :class:`LocalSoapServer`, which serves its WSDL
(``wsdl.py``) and dispatches each call to the stand-in's ``_op_<Operation>`` method, SOAP envelopes and faults.
Each stand-in describes its own operations and types."""

import time

from lxml import etree
from werkzeug.wrappers import Request, Response

from . import wsdl
from .http_server import LocalWsgiServer

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


class SoapFault(Exception):
    def __init__(self, message: str, code: str = "soap:Server"):
        super().__init__(message)
        self.message = message
        self.code = code


def envelope(content: etree._Element) -> Response:
    document = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    etree.SubElement(document, f"{{{SOAP_ENV}}}Body").append(content)
    return Response(etree.tostring(document, xml_declaration=True, encoding="utf-8"), mimetype="text/xml")


def fault_response(fault: SoapFault) -> Response:
    document = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    fault_element = etree.SubElement(etree.SubElement(document, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault_element, "faultcode").text = fault.code
    etree.SubElement(fault_element, "faultstring").text = fault.message
    body = etree.tostring(document, xml_declaration=True, encoding="utf-8")
    return Response(body, status=500, mimetype="text/xml")


def soap_answer(request, path: str, wsdl, dispatch) -> Response:
    """Serve a SOAP stand-in at ``path``: its WSDL (``wsdl()``) on ``GET ?wsdl``, and on ``POST`` the envelope of
    ``dispatch(body)`` (an element), or the fault it raised."""
    if request.path != path:
        return Response("not found", status=404)
    if request.method == "GET" and "wsdl" in {key.lower() for key in request.args}:
        return Response(wsdl(), mimetype="text/xml")
    if request.method != "POST":
        return Response("use POST for SOAP calls or GET ?wsdl", status=405)
    try:
        return envelope(dispatch(request.get_data()))
    except SoapFault as fault:
        return fault_response(fault)


def soap_call(body: bytes) -> tuple[str, etree._Element]:
    """The operation a SOAP request calls and its element; a client fault when the body is no SOAP envelope."""
    try:
        document = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        call = document.find(f"{{{SOAP_ENV}}}Body")[0]
    except (etree.XMLSyntaxError, TypeError, IndexError):
        raise SoapFault("request is not a SOAP envelope", "soap:Client") from None
    return etree.QName(call).localname, call


def soap_element(namespace: str, name: str) -> etree._Element:
    """An answer's top element in the stand-in's namespace."""
    return etree.Element(f"{{{namespace}}}{name}", nsmap={"tns": namespace})


def soap_child(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """A child element in its parent's namespace, with ``text`` when given."""
    child = etree.SubElement(parent, f"{{{etree.QName(parent).namespace}}}{name}")
    if text is not None:
        child.text = text
    return child


class LocalSoapServer(LocalWsgiServer):
    """A SOAP 1.1 service at ``path``: ``GET <path>?wsdl`` serves :meth:`wsdl`, ``POST <path>`` calls the method
    ``_op_<Operation>(arguments)`` of the operation named in the envelope, which returns the answer's element or
    raises :class:`SoapFault`. Calls can be made to fault (``fault_next``) or to wait (``delay_next``); the names of
    the operations called are kept in ``requests``. Subclasses set ``path``, ``service``, ``namespace`` and
    ``operations`` and implement :meth:`schema` and :meth:`refusal`."""

    path = "/"
    service = ""  # the WSDL names its service <service>Service
    namespace = ""
    operations: tuple[str, ...] = ()
    service = ""  # the WSDL's service is <service>Service
    namespace = ""
    operations: tuple[str, ...] = ()

    def __init__(self):
        super().__init__()
        self.requests: list[str] = []  # operation names, in order
        self._faults: list[tuple[str, str]] = []

    @property
    def wsdl_url(self) -> str:
        return f"{self.endpoint_url}?wsdl"

    @property
    def endpoint_url(self) -> str:
        return f"{self.url}{self.path}"

    def fault_next(self, n: int, message: str = "Internal error", code: str = "soap:Server") -> None:
        """The next n SOAP calls answer a fault with this faultstring."""
        with self.lock:
            self._faults.extend([(message, code)] * n)

    def wsdl(self, location: str) -> str:
        """The WSDL document, its service answering at ``location``."""
        return wsdl.document(self.service, self.namespace, self.operations, self.schema(), location)

    def schema(self) -> str:
        """The types and the operations' wrappers (``wsdl.complex_type``, ``wsdl.wrapper``)."""
        raise NotImplementedError

    def answer(self, name: str) -> etree._Element:
        """An answer's top element in the stand-in's namespace."""
        return soap_element(self.namespace, name)

    def refusal(self, arguments: dict) -> str | None:
        """Why the call is refused (credentials), as the client fault's message; None when it is accepted."""
        raise NotImplementedError

    def call_arguments(self, call: etree._Element) -> dict:
        """The call's arguments, ``{element name: element}``; a stand-in may read them otherwise."""
        return {etree.QName(child).localname: child for child in call}

    def handle(self, request: Request) -> Response:
        return soap_answer(request, self.path, lambda: self.wsdl(self.endpoint_url), self._dispatch)

    def _dispatch(self, body: bytes) -> etree._Element:
        operation, call = soap_call(body)
        arguments = self.call_arguments(call)
        with self.lock:
            self.requests.append(operation)
            fault = self._faults.pop(0) if self._faults else None
            delay = self._next_delay()
        if delay:
            time.sleep(delay)
        if fault:
            raise SoapFault(*fault)
        refusal = self.refusal(arguments)
        if refusal:
            raise SoapFault(refusal, "soap:Client")
        # Handlers are named after the SOAP operations they answer.
        handler = getattr(self, f"_op_{operation}", None)
        if handler is None:
            raise SoapFault(f"unknown operation {operation}", "soap:Client")
        return handler(arguments)
