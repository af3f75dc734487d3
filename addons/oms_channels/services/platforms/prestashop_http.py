"""The PrestaShop webservice over :class:`~.client.PlatformHttp`: XML documents in and out, and its refusals (XML
error documents with a code, ``API.md``) turned into what to fix in the shop's back office.

Plain Python. Secrets (the webservice key, the shop URL) never reach a message: PlatformHttp masks them.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from lxml import etree

from ..errors import ConnectorConfigurationError, ConnectorError
from .client import PlatformHttp, is_html
from .prestashop_documents import WebserviceDocumentError, read_document

PLATFORM = "PrestaShop"
WEBSERVICE_SETTINGS = "Advanced Parameters > Webservice"
RESOURCE_NOT_ALLOWED = "26"
METHOD_NOT_ALLOWED = "25"
WEBSERVICE_DISABLED = "22"
KEY_NOT_SENT = "16"
# No entity expansion, no DTD, no network: the documents come from a shop anyone may run.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


@dataclass
class PrestashopHttp(PlatformHttp):
    """PlatformHttp with PrestaShop's own refusals and XML documents; built by :func:`webservice_http`."""

    def document(self, response: requests.Response, what: str) -> dict:
        """The XML document of an answer (``read_document``); an HTML page or broken XML names ``what``."""
        if is_html(response):
            raise ConnectorError(self.html_message(response, what), transient=False, status=response.status_code)
        try:
            return read_document(response.content)
        except WebserviceDocumentError as exc:
            said = "an error" if exc.errors else "something else than a webservice document"
            raise ConnectorError(
                f"{self.platform} answered {what} with {said}: {self.short(str(exc))}",
                transient=True,
                status=response.status_code,
            ) from None

    def root(self, response: requests.Response, what: str):
        """The answer's parsed XML root, attributes kept (the resource list of ``GET /api/`` lives in them)."""
        self.document(response, what)  # the same checks and messages as any other document
        return etree.fromstring(response.content, _PARSER)

    def list(self, resource: str, params: dict, what: str) -> list[dict]:
        """``GET /api/<resource>?...``: the list's nodes as dicts."""
        document = self.document(self.call("GET", f"/{resource}", params=params), what)
        (items,) = document.values()
        return items if isinstance(items, list) else [items]

    def send(self, method: str, path: str, node: str, fields: dict, what: str, params=None) -> dict:
        """PUT or POST one node built from ``fields``; the node as the shop stored it."""
        response = self.call(
            method,
            path,
            params=params,
            data=xml_node(node, fields),
            headers={"Content-Type": "application/xml; charset=utf-8"},
        )
        document = self.document(response, what)
        return document.get(node) if isinstance(document.get(node), dict) else {}

    def refusal(self, response: requests.Response) -> str:
        code, message = _error(response)
        resource = _resource(response)
        detail = f" (code {code}: {self.short(message)})" if code else ""
        if response.status_code == 401 and code == RESOURCE_NOT_ALLOWED:
            hint = f"the webservice key may not use '{resource}': tick it in the key's permissions"
            return f"{PLATFORM} answered 401{detail}: {hint} ({WEBSERVICE_SETTINGS})"
        if response.status_code == 405 and code == METHOD_NOT_ALLOWED:
            hint = (
                f"the webservice key may not {response.request.method} '{resource}': tick it in the key's permissions"
            )
            return f"{PLATFORM} answered 405{detail}: {hint} ({WEBSERVICE_SETTINGS})"
        if response.status_code == 401:
            hint = "check the webservice key: it exists, has 32 characters and is enabled"
            if code == KEY_NOT_SENT:
                hint += "; if it is right, the web server drops the Authorization header (Apache: CGIPassAuth On)"
            return f"{PLATFORM} answered 401{detail}: {hint} ({WEBSERVICE_SETTINGS})"
        if response.status_code == 404 and not code:
            return f"{PLATFORM} answered 404 for '{resource}': check the shop URL (the webservice is <shop URL>/api)"
        return super().refusal(response) if not code else f"{PLATFORM} answered {response.status_code}{detail}"


def webservice_http(shop_url: str, key: str, **http_options) -> PrestashopHttp:
    """The calls to ``<shop_url>/api`` with the key as the HTTP Basic user name and an empty password."""
    http = PrestashopHttp(platform=PLATFORM, base_url=f"{shop_url}/api", secrets=(key,), auth=(key, ""), **http_options)
    # PrestaShop's own 503 (code 22, the webservice switched off) is no throttle: fail at once, say what to do.
    hooks = http.session.hooks.setdefault("response", [])
    if _refuse_disabled_webservice not in hooks:  # a session given in http_options may serve several clients
        hooks.append(_refuse_disabled_webservice)
    return http


def _refuse_disabled_webservice(response: requests.Response, *args, **kwargs):
    if response.status_code == 503 and _error(response)[0] == WEBSERVICE_DISABLED:
        raise ConnectorConfigurationError(
            f"{PLATFORM} webservice is disabled: enable it in {WEBSERVICE_SETTINGS} (Enable PrestaShop's webservice)",
            status=503,
        )


def _error(response: requests.Response) -> tuple[str, str]:
    """(code, message) of PrestaShop's XML error document, or ("", "") when the answer is something else."""
    if is_html(response) or b"<errors>" not in response.content[:2000]:
        return "", ""
    try:
        read_document(response.content)
    except WebserviceDocumentError as exc:
        return exc.errors[0] if exc.errors else ("", "")
    return "", ""


def _resource(response: requests.Response) -> str:
    """The resource a call asked for (``orders``), never the host: the shop URL is not for every reader."""
    path = urlsplit(response.request.url or "").path
    return path.rpartition("/api/")[2].split("/")[0] or "the resource list"


def xml_node(node: str, fields: dict) -> bytes:
    """``<prestashop><node><field>value</field>…</node></prestashop>``, every value escaped."""
    root = etree.Element("prestashop")
    element = etree.SubElement(root, node)
    for name, value in fields.items():
        etree.SubElement(element, name).text = "" if value is None else str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
