"""A hostile SOAP service for tests: its WSDL makes whoever reads it open a local file, one way per case::

    with LocalHostileWsdl() as hostile, recording_local_reads() as reads:
        client_of(hostile.url_of("xsd_import")).Ping(...)   # must be refused
        assert reads == []

The service itself is ``Ping(apiKey) -> PingResponse{result: {ok, partner}}`` (case ``harmless``: nothing more);
the other cases (:data:`HOSTILE_CASES`) refer to ``file:///etc/passwd`` from an ``xsd:import``, an ``xsd:include``, a
``wsdl:import``, to an ``ftp://`` schema (which zeep would open as a local path) and, as the service's address, to a
``file://`` URL; ``redirect_url`` is a WSDL URL answered by a redirect to ``file:///etc/passwd``.
"""

from contextlib import contextmanager
from unittest.mock import patch

import zeep.transports
from requests_file import FileAdapter
from werkzeug.wrappers import Response

from . import wsdl
from .http_server import LocalWsgiServer
from .soap import envelope, soap_child, soap_element

NAMESPACE = "urn:oms:hostile:1"
LOCAL_FILE = "file:///etc/passwd"
# {case: (schema snippet, snippet before the types, service address: None for the stand-in's own)}
HOSTILE_CASES = {
    "harmless": ("", "", None),  # the same service without the trap, to show it works
    "xsd_import": (f'<xsd:import namespace="urn:oms:stolen" schemaLocation="{LOCAL_FILE}"/>', "", None),
    "xsd_include": (f'<xsd:include schemaLocation="{LOCAL_FILE}"/>', "", None),
    "wsdl_import": ("", f'<wsdl:import namespace="urn:oms:stolen" location="{LOCAL_FILE}"/>', None),
    "other_scheme": ('<xsd:import namespace="urn:oms:stolen" schemaLocation="ftp://127.0.0.1/oms.xsd"/>', "", None),
    "file_address": ("", "", LOCAL_FILE),
}


class LocalHostileWsdl(LocalWsgiServer):
    def url_of(self, case: str) -> str:
        return f"{self.url}/{case}?wsdl"

    @property
    def redirect_url(self) -> str:
        return f"{self.url}/redirect?wsdl"

    def handle(self, request):
        if request.path == "/redirect":
            return Response("", status=302, headers={"Location": LOCAL_FILE})
        case = request.path.strip("/")
        if case not in HOSTILE_CASES:
            return Response("not found", status=404)
        if request.method == "POST":
            answer = soap_element(NAMESPACE, "PingResponse")
            result = soap_child(answer, "result")
            soap_child(result, "ok", "true")
            soap_child(result, "partner", "Hostile")
            return envelope(answer)
        return Response(self._wsdl(case), mimetype="text/xml")

    def _wsdl(self, case: str) -> str:
        schema_extra, before_types, address = HOSTILE_CASES[case]
        schema = "".join(
            (
                schema_extra,
                wsdl.complex_type("PingResult", "ok xsd:boolean", "partner xsd:string"),
                wsdl.wrapper("Ping", "apiKey xsd:string"),
                wsdl.wrapper("PingResponse", "result tns:PingResult"),
            )
        )
        document = wsdl.document("Hostile", NAMESPACE, ("Ping",), schema, address or f"{self.url}/{case}")
        return document.replace("<wsdl:types>", f"{before_types}<wsdl:types>", 1)


@contextmanager
def recording_local_reads():
    """The local files zeep opens meanwhile, through its ``file://`` adapter or as a path, in a list (they are
    still read as usual)."""
    reads = []
    send = FileAdapter.send

    def recording_send(adapter, request, **kwargs):
        reads.append(request.url)
        return send(adapter, request, **kwargs)

    def recording_open(path, *args, **kwargs):
        reads.append(path)
        return open(path, *args, **kwargs)  # noqa: SIM115 - zeep closes it

    with (
        patch.object(FileAdapter, "send", recording_send),
        patch.object(zeep.transports, "open", recording_open, create=True),
    ):
        yield reads
