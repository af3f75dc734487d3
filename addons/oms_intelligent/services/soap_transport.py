"""zeep clients that read nothing but HTTP(S).

zeep reads the WSDL and every document it imports or includes (``wsdl:import``, ``xsd:import``, ``xsd:include``)
through its transport, which also reads ``file://`` URLs and, for any other scheme, opens the location as a local
path; ``requests`` follows redirects, to a ``file://`` URL too since zeep mounts an adapter for them. A partner or
carrier — or whoever can change its WSDL — could so make the OMS read the server's files. Here every location is
checked before it is read: the WSDL URL, each imported document, each redirect and each operation's address must be
``http://`` or ``https://``, else :class:`ForbiddenLocation`. zeep's ``Settings`` refuse DTDs and entities too
(``forbid_external`` only concerns DTDs and entities, not imports: the transport is what guards those).
"""

from urllib.parse import urljoin, urlsplit

import requests
from zeep import Client
from zeep.exceptions import Error as ZeepError
from zeep.settings import Settings
from zeep.transports import Transport

ALLOWED_SCHEMES = ("http", "https")


class ForbiddenLocation(ZeepError):
    """A WSDL, a document it refers to, or an address in it is not on http(s): refused before anything is read.
    The message names the scheme, never the location (it may hold the service's URL)."""


def check_location(url) -> None:
    try:
        scheme = urlsplit(str(url or "")).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ALLOWED_SCHEMES:
        what = f"a {scheme}: URL" if scheme else "a local path"
        raise ForbiddenLocation(f"only http:// and https:// documents are read, and the service refers to {what}")


class _HttpOnlySession(requests.Session):
    def get_redirect_target(self, response):
        target = super().get_redirect_target(response)
        if target:
            check_location(urljoin(response.url, target))
        return target


class HttpOnlyTransport(Transport):
    """zeep's transport, reading and calling http(s) URLs only."""

    def __init__(self, timeout=300, operation_timeout=None):
        super().__init__(timeout=timeout, operation_timeout=operation_timeout, session=_HttpOnlySession())
        self._close_session = True
        self.session.adapters.pop("file://", None)  # zeep mounts one

    def load(self, url):
        check_location(url)
        return super().load(url)

    def get(self, address, params, headers):
        check_location(address)
        return super().get(address, params, headers)

    def post(self, address, message, headers):
        check_location(address)
        return super().post(address, message, headers)


def http_only_client(wsdl_url: str, timeout: float) -> Client:
    """A zeep client of the WSDL at ``wsdl_url`` (loaded now) that reads and calls http(s) URLs only."""
    check_location(wsdl_url)
    settings = Settings(strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    transport = HttpOnlyTransport(timeout=timeout, operation_timeout=timeout)
    return Client(wsdl_url, transport=transport, settings=settings)
