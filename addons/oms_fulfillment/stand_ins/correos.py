"""A local Correos for tests: its pre-registration web service (SOAP, the WSDL and XSD of
tests/fixtures/carriers/correos/wsdl/, requests validated strictly against the XSD) and its locator (REST/JSON),
both behind HTTP basic authentication, as API.md documents them::

    with LocalCorreos() as correos:
        credentials = correos.credentials()           # user, password, labeller code, WSDL / service / tracking URLs
        correos.delay_next(1, 2.0)                    # the next call is served, then answered 2 s late (time-outs)
        correos.delay_registration(2.0)               # the next pre-registration is made, then answered 2 s late
        correos.fail_registration(502)                # the next pre-registration is made, then answered a 502 page
        correos.fail_next(1, 503)                     # the next call gets an HTML 503 page, nothing is done
        correos.broken_label_next()                   # the next label's Fichero is not a PDF
        correos.advance(code, 3)                      # the parcel shows its first 3 tracking events
        correos.deliver(code)

- ``GET /wsdl/preregistro.wsdl`` and ``.xsd``: the fixture files (the WSDL's own address is Correos' test host: the
  client must replace it with the service URL);
- ``POST /preregistroenvios``: ``PreRegistro``, ``PreRegistroMultibulto``, ``SolicitudEtiquetaRefCliOp``,
  ``AnularOp``, ``CalculaTarifa``; a wrong user or password gets an HTML 401 page; a body outside the XSD a SOAP
  client fault; refusals are ``Resultado`` 1 with Correos' reason (postcodes in ``refused_postcodes``, products
  outside ``contract_products``, a wrong labeller code, a parcel already admitted);
- ``GET /canonico/eventos_envio_servicio_auth/<code>``: the parcel's events (tracking/tracking_delivered.json).

Labels bought are ``parcels`` (by code) and ``registrations`` (one per PreRegistro call that bought labels); every
SOAP body received is in ``received`` as (operation element name, element).
"""

import math
import time

from lxml import etree
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalWsgiServer, json_response
from odoo.addons.oms_intelligent.stand_ins.soap import SoapFault, envelope, fault_response, soap_call

from ..services.customs_territory import needs_customs
from . import correos_answers as answers
from .carrier_server import label_pdf
from .correos_answers import FIXTURES, all_of, text_of

SERVICE_PATH = "/preregistroenvios"
TRACKING_PREFIX = "/canonico/eventos_envio_servicio_auth/"
# Euros: a base price and a price per started kilogram, per product.
TARIFFS = {"S0235": (5.35, 1.00), "S0132": (3.95, 0.75)}
UNAUTHORIZED_PAGE = b"<html><head><title>401 Unauthorized</title></head><body><h1>Unauthorized</h1></body></html>"
ERROR_PAGE = b"<html><body><h1>%d</h1><p>Service temporarily unavailable</p></body></html>"


class LocalCorreos(LocalWsgiServer):
    user = "correos-ws-user"
    password = "correos-ws-pass-9f3k"
    labeller_code = "7K3B"

    def __init__(self, refused_postcodes=("41999",), contract_products=("S0235", "S0132", "S0410")):
        super().__init__()
        self.refused_postcodes = set(refused_postcodes)
        self.contract_products = set(contract_products)
        self.schema = etree.XMLSchema(etree.parse(str(FIXTURES / "wsdl" / "preregistro.xsd")))
        self.parcels: dict[str, dict] = {}
        self.registrations: list[str] = []  # the expedition code of each pre-registration that bought labels
        self.received: list[tuple[str, etree._Element]] = []
        self._failures: list[int] = []
        self._broken_labels = 0
        self._registration_delays: list[float] = []
        self._registration_failures: list[int] = []

    def credentials(self, **changes) -> dict:
        return {
            "user": self.user,
            "password": self.password,
            "labeller_code": self.labeller_code,
            "wsdl_url": f"{self.url}/wsdl/preregistro.wsdl",
            "service_url": f"{self.url}{SERVICE_PATH}",
            "tracking_url": self.url,
            **changes,
        }

    # --- what a test can ask for ------------------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 500) -> None:
        """The next n calls answer an HTML page with this status, before anything is done."""
        with self.lock:
            self._failures.extend([status] * n)

    def delay_registration(self, seconds: float) -> None:
        """The next pre-registration buys its labels, then answers this late (a time-out after the purchase)."""
        with self.lock:
            self._registration_delays.append(seconds)

    def fail_registration(self, status: int) -> None:
        """The next pre-registration buys its labels, then answers an HTML page with this status."""
        with self.lock:
            self._registration_failures.append(status)

    def broken_label_next(self) -> None:
        with self.lock:
            self._broken_labels += 1

    def advance(self, code: str, stage: int) -> None:
        with self.lock:
            self.parcels[code]["stage"] = stage

    def deliver(self, code: str) -> None:
        self.advance(code, answers.DELIVERED_STAGE)

    def last(self, name: str) -> etree._Element:
        """The last request element of this name received (``PreregistroEnvio``, ``CalculaTarifa``...)."""
        return [element for element_name, element in self.received if element_name == name][-1]

    # --- HTTP -------------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if request.method == "GET" and request.path.startswith("/wsdl/"):
            name = request.path.rsplit("/", 1)[-1]
            if name not in ("preregistro.wsdl", "preregistro.xsd"):
                return Response("not found", status=404)
            return Response((FIXTURES / "wsdl" / name).read_bytes(), mimetype="text/xml")
        with self.lock:
            failure = self._failures.pop(0) if self._failures else None
            delay = self._next_delay()
        if failure:
            return Response(ERROR_PAGE % failure, status=failure, mimetype="text/html")
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.user, self.password):
            return Response(UNAUTHORIZED_PAGE, status=401, mimetype="text/html", headers={"WWW-Authenticate": "Basic"})
        if request.method == "POST" and request.path == SERVICE_PATH:
            response = self._soap(request.get_data())
        elif request.method == "GET" and request.path.startswith(TRACKING_PREFIX):
            response = self._tracking(request.path[len(TRACKING_PREFIX) :])
        else:
            response = Response("not found", status=404)
        if delay:  # served first, answered late: a label bought while the client had given up
            time.sleep(delay)
        return response

    def _soap(self, body: bytes) -> Response:
        try:
            operation, call = soap_call(body)
            with self.lock:
                self.received.append((operation, call))
            errors = self._schema_errors(call)
            if errors:
                raise SoapFault(errors, "soapenv:Client")
            handler = getattr(self, f"_op_{operation}", None)
            if handler is None:
                raise SoapFault(f"unknown operation {operation}", "soapenv:Client")
            response = envelope(handler(call))
        except SoapFault as fault:
            return fault_response(fault)
        if operation.startswith("PreregistroEnvio"):
            with self.lock:
                delay = self._registration_delays.pop(0) if self._registration_delays else 0
                failure = self._registration_failures.pop(0) if self._registration_failures else None
            time.sleep(delay)
            if failure:
                return Response(ERROR_PAGE % failure, status=failure, mimetype="text/html")
        return response

    def _schema_errors(self, call: etree._Element) -> str:
        document = etree.fromstring(etree.tostring(call))
        if self.schema.validate(document):
            return ""
        return "; ".join(error.message for error in self.schema.error_log)[:500]

    def _tracking(self, code: str) -> Response:
        with self.lock:
            parcel = self.parcels.get(code)
            stage = parcel["stage"] if parcel else None
        return json_response(answers.tracking_json(code, stage))

    # --- operations -------------------------------------------------------------------------------------------------

    def _op_CalculaTarifa(self, call) -> etree._Element:
        product = text_of(call, "CodProducto")
        refusal = (
            self._labeller_refusal(call)
            or self._product_refusal(product)
            or self._postcode_refusal(text_of(call, "CPDestinatario"), product)
        )
        if refusal:
            response = answers.answer("RespuestaCalculaTarifa", 1)
            answers.validation_errors(response, *refusal)
            return response
        base, per_kg = TARIFFS.get(product, (9.90, 2.0))
        price = base + per_kg * max(1, math.ceil(int(text_of(call, "Valor")) / 1000))
        return answers.answer("RespuestaCalculaTarifa", 0, Tarifa=f"{price:.2f}")

    def _op_PreregistroEnvio(self, call) -> etree._Element:
        return self._register(call, "RespuestaPreregistroEnvio", [text_of(call, "Envio/CodProducto")])

    def _op_PreregistroEnvioMultibulto(self, call) -> etree._Element:
        return self._register(call, "RespuestaPreregistroEnvioMultibulto", [text_of(call, "CodProducto")])

    def _register(self, call, response_name: str, products: list[str]) -> etree._Element:
        multiple = response_name.endswith("Multibulto")
        envios = all_of(call, "Envios/Envio") if multiple else all_of(call, "Envio")
        refusal = self._registration_refusal(call, products[0], envios)
        if refusal:
            response = answers.answer(response_name, 1, TotalBultos=len(envios))
            answers.parcel_error(
                answers.child(response, "BultosError") if multiple else response, 1 if envios else None, *refusal
            )
            return response
        expedition, parcels = self._new_parcels(call, products[0], envios)
        response = answers.answer(response_name, 0, CodExpedicion=expedition, TotalBultos=len(parcels))
        holder = answers.child(response, "Bultos") if multiple else response
        for parcel in parcels:
            answers.parcel_element(holder, parcel, self._label_of(parcel))
        return response

    def _registration_refusal(self, call, product: str, envios: list) -> tuple[str, str] | None:
        country = text_of(call, "Destinatario/Pais") or "ES"
        postcode = text_of(call, "Destinatario/CP") or text_of(call, "Destinatario/ZIP")
        origin = (
            text_of(call, "Remitente/Pais") or "ES",
            text_of(call, "Remitente/CP") or text_of(call, "Remitente/ZIP"),
        )
        customs = needs_customs(*origin, country, postcode)
        if customs and not all_of(envios[0], "Aduana/DescAduanera/DATOSADUANA"):
            return "1405", f"Customs data (Aduana) is required for destination {country} {postcode}"
        return (
            self._labeller_refusal(call)
            or self._product_refusal(product)
            or self._postcode_refusal(text_of(call, "Destinatario/CP"), product)
        )

    def _new_parcels(self, call, product: str, envios: list) -> tuple[str, list[dict]]:
        postcode = text_of(call, "Destinatario/CP") or "00000"
        with self.lock:
            sequence = len(self.registrations) + 42
            expedition = f"{self.labeller_code}4{sequence:08d}"
            parcels = []
            for number, envio in enumerate(envios, start=1):
                code = f"PQ{self.labeller_code}40{sequence:07d}{number:02d}{postcode}X"
                parcel = {
                    "code": code,
                    "number": number,
                    "expedition": expedition,
                    "reference": text_of(envio, "ReferenciaCliente"),
                    "product": product,
                    "status": "registered",
                    "stage": 1,
                }
                self.parcels[code] = parcel
                parcels.append(parcel)
            self.registrations.append(expedition)
        return expedition, parcels

    def _label_of(self, parcel: dict) -> bytes:
        with self.lock:
            broken, self._broken_labels = self._broken_labels > 0, max(0, self._broken_labels - 1)
        if broken:
            return b"<html><body>Label service error</body></html>"
        return label_pdf(f"Correos {parcel['product']} {parcel['code']} {parcel['reference']}")

    def _op_SolicitudEtiquetaRefCli(self, call) -> etree._Element:
        reference = text_of(call, "ReferenciaCliente")
        with self.lock:
            found = next(
                (p for p in self.parcels.values() if p["reference"] == reference and p["status"] == "registered"),
                None,
            )
        if found is None:
            response = answers.answer("RespuestaSolicitudEtiquetaRefCli", 1)
            answers.parcel_error(response, None, "1301", "No shipment found for the given customer references")
            return response
        response = answers.answer("RespuestaSolicitudEtiquetaRefCli", 0, CodExpedicion=found["expedition"])
        answers.parcel_element(response, found, self._label_of(found))
        return response

    def _op_PeticionAnular(self, call) -> etree._Element:
        code = text_of(call, "codCertificado")
        with self.lock:
            parcel = self.parcels.get(code)
            if parcel is None:
                refusal = ("2001", f"The shipment {code} does not exist")
            elif parcel["stage"] >= answers.ADMITTED_STAGE:
                refusal = ("2004", "The shipment has already been admitted and cannot be cancelled")
            else:
                refusal = None
                parcel["status"] = "cancelled"
        response = answers.answer("RespuestaAnular", 1 if refusal else 0)
        if refusal:
            answers.validation_errors(response, *refusal)
        return response

    # --- refusals ---------------------------------------------------------------------------------------------------

    def _labeller_refusal(self, call) -> tuple[str, str] | None:
        code = text_of(call, "CodEtiquetador")
        if code != self.labeller_code:
            return "1001", f"The labeller code {code} is not associated with the user"
        return None

    def _product_refusal(self, product: str) -> tuple[str, str] | None:
        if product not in self.contract_products:
            return "1208", f"Product {product} is not included in the labeller's contract"
        return None

    def _postcode_refusal(self, postcode: str, product: str) -> tuple[str, str] | None:
        if postcode in self.refused_postcodes:
            return "1107", f"The recipient postcode {postcode} does not exist or is not served by product {product}"
        return None
