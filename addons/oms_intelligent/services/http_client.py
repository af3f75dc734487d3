"""HTTP calls to outside services, shared by every REST client (shop platforms, carriers): authentication,
retries of answers that mean "not now" honouring ``Retry-After``, HTML pages where data was expected, and refusals
turned into messages that say what to check, without secrets. Plain Python, on ``requests``.
"""

import logging
import time
from dataclasses import dataclass, field

import requests

from .http_errors import error_detail, retry_later, short_text
from .redact import url_secrets

_logger = logging.getLogger(__name__)

HTML_PAGE_HINT = "a maintenance, login or proxy page: check the address and that the service is online"
DEFAULT_HINTS = {
    400: "the service refused the request",
    401: "check the credentials",
    403: "check the credentials' permissions",
    404: "check the address and the API version",
}


@dataclass
class ServiceHttp:
    """HTTP calls to one outside service (a shop platform, a carrier): its authentication, retries of answers that
    mean "not now" (5xx, 408, 429, waiting what ``Retry-After`` asks up to ``max_wait`` seconds), and refusals turned
    into messages that say what to check. ``hints`` maps a refused status to what to check (``{401: "check the
    consumer key and secret"}``).

    An HTML page where JSON or XML was expected (a login page, a maintenance page, a proxy's error) is a clear
    error, never a parsing crash. Errors are made by :meth:`error`, which each family of clients overrides to raise
    its own (channel connectors' ``ConnectorError``, carriers' ``CarrierError``).
    """

    platform: str  # the service as users name it: "Shopify", "DHL Express"
    base_url: str
    secrets: tuple = ()
    headers: dict = field(default_factory=dict)
    auth: tuple | None = None
    hints: dict = field(default_factory=dict)
    fallback_hint: str = "check the settings"  # what to check after a refusal no hint names
    timeout: float = 20.0
    max_retries: int = 4
    backoff: float = 0.5
    max_wait: float = 30.0
    session: requests.Session = field(default_factory=requests.Session)
    sleep: object = time.sleep
    # What a family of clients says of an HTML page and of a refusal no hint names (class attributes, not fields).
    html_hint = HTML_PAGE_HINT
    default_hints = DEFAULT_HINTS

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        self.secrets = (*self.secrets, *url_secrets(self.base_url))

    def call(self, method: str, path: str, *, params=None, json=None, data=None, headers=None) -> requests.Response:
        """The answer to one call, after retries; ``path`` is appended to the base URL unless it is a full URL."""
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        all_headers = {**self.headers, **(headers or {})}
        failure, status = "", None
        for attempt in range(max(1, self.max_retries)):
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers=all_headers,
                    auth=self.auth,
                    timeout=self.timeout,
                )
            except requests.Timeout:
                status, failure, wait = None, f"did not answer within {self.timeout:g} s", None
            except requests.ConnectionError:
                status, failure, wait = None, "could not be reached", None
            except requests.RequestException as exc:  # malformed URL and the like
                raise self.error(
                    f"{self.platform} URL is not usable ({type(exc).__name__}): {self.hints.get('url', 'check it')}",
                    transient=False,
                ) from None
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                if not retry_later(status):
                    raise self.error(self.refusal(response), transient=False, status=status)
                failure, wait = f"answered {status}", retry_after(response)
                if is_html(response):
                    failure += f" with an HTML page ({self.html_hint})"
                if wait is not None and wait > self.max_wait:
                    raise self.error(
                        f"{self.platform} {failure} and asks to wait {wait:g} s before the next call; "
                        "the next run goes on from here",
                        transient=True,
                        status=status,
                    )
            _logger.warning(
                "%s %s %s %s (attempt %d of %d)", self.platform, method, path, failure, attempt + 1, self.max_retries
            )
            if attempt + 1 < self.max_retries:
                self.sleep(wait if wait is not None else self.backoff * 2**attempt)
        unreachable = f": {self.hints.get('unreachable', 'check the host name')}" if status is None else ""
        raise self.error(
            f"{self.platform} {failure} after {self.max_retries} attempts{unreachable}",
            transient=True,
            status=status,
            unreachable=status is None,
        )

    def json(self, response: requests.Response, what: str):
        """The JSON body of an answer; an HTML page or broken JSON is a connector error naming ``what``."""
        if is_html(response):
            raise self.error(self.html_message(response, what), transient=False, status=response.status_code)
        try:
            return response.json()
        except ValueError:
            raise self.error(
                f"{self.platform} sent invalid JSON for {what}: {self.short(response.text[:80])!r}", transient=True
            ) from None

    def html_message(self, response: requests.Response, what: str) -> str:
        return (
            f"{self.platform} answered {what} with an HTML page instead of data (status {response.status_code}: "
            f"{self.html_hint})"
        )

    def refusal(self, response: requests.Response) -> str:
        """What a refused call tells the user: the status, the platform's own words, what to check."""
        detail = "" if is_html(response) else error_detail(response, self.secrets)
        hint = self.hints.get(response.status_code) or self.default_hints.get(response.status_code, self.fallback_hint)
        return f"{self.platform} answered {response.status_code}{f' ({detail})' if detail else ''}: {hint}"

    def short(self, text: str) -> str:
        return short_text(text or "", self.secrets)

    def error(self, message: str, *, transient: bool, status: int | None = None, unreachable: bool = False):
        """The exception of a failed call (raised by the caller): ``transient`` when the same call may succeed
        later, ``unreachable`` when no answer came at all."""
        return ServiceCallError(message, transient=transient, status=status, unreachable=unreachable)


class ServiceCallError(Exception):
    """A call to an outside service failed (see :meth:`ServiceHttp.error`)."""

    def __init__(self, message: str, *, transient: bool, status: int | None = None, unreachable: bool = False):
        super().__init__(message)
        self.transient, self.status, self.unreachable = transient, status, unreachable


def retry_after(response: requests.Response) -> float | None:
    """Seconds the server asks to wait (``Retry-After`` in seconds), or None when it does not say."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def is_html(response: requests.Response) -> bool:
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    return response.content[:200].lstrip().lower().startswith((b"<!doctype html", b"<html"))
