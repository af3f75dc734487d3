"""The SOAP calls of the Correos client: zeep on the pre-registration WSDL (http(s) only, oms_intelligent's
``soap_transport.py``), its address replaced by the service URL, HTTP basic authentication, and every failure turned
into a CarrierError that says what to check (API.md sections 1 and 5)."""

from urllib.parse import urlsplit

import requests
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError

from odoo.addons.oms_intelligent.services.http_errors import retry_later, short_text
from odoo.addons.oms_intelligent.services.soap_transport import ForbiddenLocation, http_only_client

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import CarrierError, Sentence, _, joined

NAMESPACE = "http://www.correos.es/iris6/services/preregistroetiquetas"
BINDING = f"{{{NAMESPACE}}}PreRegistroSoapBinding"
STATUS_HINTS = {
    401: _("check the Correos user and password"),
    403: _("the Correos user may not use the pre-registration service: ask Correos to enable it"),
    404: _("check the Correos service URL"),
}


class CorreosSoap:
    def __init__(self, wsdl_url: str, service_url: str, auth: tuple, secrets: tuple, timeout: float):
        self.wsdl_url = wsdl_url
        self.service_url = service_url
        self.timeout = timeout
        self._auth = auth
        self._secrets = secrets
        self._service = None

    def call(self, operation: str, body: dict, what: Sentence):
        """The answer of ``operation`` (zeep's object of the response element); CarrierError when there is none."""
        try:
            return getattr(self._loaded(), operation)(**body)
        except Fault as fault:
            raise self._fault_error(fault, what) from None
        except ForbiddenLocation as exc:
            raise CarrierError(
                _("the Correos WSDL was refused: %(reason)s; check the WSDL URL", reason=str(exc)), transient=False
            ) from None
        except requests.Timeout:
            raise CarrierError(
                _(
                    "Correos did not answer the %(what)s request within %(seconds)s s: try again",
                    what=what,
                    seconds=format(self.timeout, "g"),
                ),
                unreachable=True,
            ) from None
        except requests.ConnectionError:
            raise CarrierError(
                _(
                    "Correos' web service at %(host)s could not be reached for the %(what)s request: check the "
                    "service URL and the network",
                    host=self._host(),
                    what=what,
                ),
                unreachable=True,
            ) from None
        except requests.HTTPError as exc:  # while reading the WSDL
            raise self._status_error(exc.response.status_code, what, _("check the Correos WSDL URL")) from None
        except TransportError as exc:
            raise self._status_error(exc.status_code, what) from None
        except requests.RequestException as exc:
            raise CarrierError(
                _("the Correos URLs are not usable (%(error)s)", error=type(exc).__name__), transient=False
            ) from None
        except IndexError:  # zeep reading a SOAP body that holds no answer at all
            raise CarrierError(
                _("Correos answered the %(what)s request with an empty SOAP body: try again", what=what)
            ) from None
        except ZeepError as exc:
            raise CarrierError(
                _(
                    "Correos answered the %(what)s request with something its WSDL does not describe (%(error)s): "
                    "check the WSDL and service URLs",
                    what=what,
                    error=type(exc).__name__ + ": " + short_text(str(exc), self._secrets),
                ),
                transient=False,
            ) from None

    def refusal_text(self, answer) -> Sentence:
        """Correos' reasons for ``Resultado`` 1, in its words (BultoError, BultosError, ErroresValidacion)."""
        errors = []
        if getattr(answer, "BultoError", None) is not None:
            errors.append(answer.BultoError)
        errors += list(getattr(getattr(answer, "BultosError", None), "BultoError", None) or [])
        errors += _validation_errors(getattr(answer, "ErroresValidacion", None))
        reasons = [self._reason(error) for error in errors]
        return joined(reasons) if reasons else _("Correos gave no reason")

    def _reason(self, error) -> str:
        """One reason: Correos' words (shortened, no secret) and its error code."""
        words = short_text(str(error["DescError"] or ""), self._secrets) or _("no reason given")
        if error["Error"]:
            return _("%(reason)s (Correos error %(code)s)", reason=words, code=error["Error"])
        return words

    def _loaded(self):
        if self._service is None:
            client = http_only_client(self.wsdl_url, self.timeout)
            # Set after the WSDL is read: the user and password go to Correos' service only.
            client.transport.session.auth = self._auth
            client.transport.session.hooks["response"].append(_refused_page)
            self._service = client.create_service(BINDING, self.service_url)
        return self._service

    def _host(self) -> str:
        return urlsplit(self.service_url).hostname or "the service URL"

    def _fault_error(self, fault: Fault, what: Sentence) -> CarrierError:
        message = short_text(fault.message or "no message", self._secrets)
        # A client fault is about our request (a field Correos' schema refuses): sending it again cannot help.
        client_fault = (fault.code or "").endswith("Client")
        return CarrierError(
            _("Correos refused the %(what)s request: %(reason)s", what=what, reason=message), transient=not client_fault
        )

    def _status_error(self, status: int | None, what: Sentence, hint: Sentence | None = None) -> CarrierError:
        if status and 400 <= status < 500 and not retry_later(status):
            hint = hint or STATUS_HINTS.get(status, _("check the Correos settings"))
            return CarrierError(
                _("Correos answered %(status)s to the %(what)s request: %(hint)s", status=status, what=what, hint=hint),
                transient=False,
                status=status,
            )
        return CarrierError(
            _("Correos answered %(status)s to the %(what)s request: try again later", status=status, what=what),
            status=status,
        )


def _validation_errors(errors) -> list:
    """``ErroresValidacion``'s ErrorVal entries: its schema repeats a sequence, which zeep gives as ``_value_1``."""
    if errors is None:
        return []
    return [item["ErrorVal"] for item in getattr(errors, "_value_1", None) or [] if item.get("ErrorVal") is not None]


def _refused_page(response, *args, **kwargs):
    """A refusal that is not a SOAP answer (a 401 login page, a proxy's 503 page): zeep would read an HTML page as
    an unknown fault, so its status is raised instead. SOAP faults (500, XML) go on to zeep."""
    is_xml = "xml" in response.headers.get("Content-Type", "").lower()
    if response.status_code in STATUS_HINTS or (response.status_code >= 400 and not is_xml):
        raise TransportError(status_code=response.status_code)
    return response


def _reason(description, code) -> str:
    return f"{description or 'no reason given'}" + (f" (Correos error {code})" if code else "")
