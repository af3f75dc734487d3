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
# What a failed call says, by key, with named placeholders: a family of clients may say it in its own (translatable)
# words by overriding ServiceHttp.messages and ServiceHttp.say.
MESSAGES = {
    "url_unusable": "%(platform)s URL is not usable (%(error)s): %(hint)s",
    "check_url": "check it",
    "timed_out": "did not answer within %(seconds)s s",
    "unreachable": "could not be reached",
    "answered": "answered %(status)s",
    "answered_html": "answered %(status)s with an HTML page (%(hint)s)",
    "asks_to_wait": (
        "%(platform)s %(failure)s and asks to wait %(seconds)s s before the next call; the next run goes on from here"
    ),
    "gave_up": "%(platform)s %(failure)s after %(attempts)s attempts",
    "gave_up_unreachable": "%(platform)s %(failure)s after %(attempts)s attempts: %(hint)s",
    "check_host": "check the host name",
    "invalid_json": "%(platform)s sent invalid JSON for %(what)s: %(text)r",
    "html_page": "%(platform)s answered %(what)s with an HTML page instead of data (status %(status)s: %(hint)s)",
    "refused": "%(platform)s answered %(status)s: %(hint)s",
    "refused_detail": "%(platform)s answered %(status)s (%(detail)s): %(hint)s",
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
    messages = MESSAGES

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
                status, failure, wait = None, self.say("timed_out", seconds=f"{self.timeout:g}"), None
            except requests.ConnectionError:
                status, failure, wait = None, self.say("unreachable"), None
            except requests.RequestException as exc:  # malformed URL and the like
                hint = self.hints.get("url") or self.say("check_url")
                raise self.error(
                    self.say("url_unusable", platform=self.platform, error=type(exc).__name__, hint=hint),
                    transient=False,
                ) from None
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                if not retry_later(status):
                    raise self.error(self.refusal(response), transient=False, status=status)
                wait = retry_after(response)
                if is_html(response):
                    failure = self.say("answered_html", status=status, hint=self.html_hint)
                else:
                    failure = self.say("answered", status=status)
                if wait is not None and wait > self.max_wait:
                    raise self.error(
                        self.say("asks_to_wait", platform=self.platform, failure=failure, seconds=f"{wait:g}"),
                        transient=True,
                        status=status,
                    )
            _logger.warning(
                "%s %s %s %s (attempt %d of %d)", self.platform, method, path, failure, attempt + 1, self.max_retries
            )
            if attempt + 1 < self.max_retries:
                self.sleep(wait if wait is not None else self.backoff * 2**attempt)
        raise self.error(self.gave_up(failure, status), transient=True, status=status, unreachable=status is None)

    def gave_up(self, failure: str, status: int | None) -> str:
        """What the last of the attempts says: with what to check when no answer came at all."""
        if status is None:
            hint = self.hints.get("unreachable") or self.say("check_host")
            return self.say(
                "gave_up_unreachable", platform=self.platform, failure=failure, attempts=self.max_retries, hint=hint
            )
        return self.say("gave_up", platform=self.platform, failure=failure, attempts=self.max_retries)

    def json(self, response: requests.Response, what: str):
        """The JSON body of an answer; an HTML page or broken JSON is a connector error naming ``what``."""
        if is_html(response):
            raise self.error(self.html_message(response, what), transient=False, status=response.status_code)
        try:
            return response.json()
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser follows
            raise self.error(
                self.say("invalid_json", platform=self.platform, what=what, text=self.short(response.text[:80])),
                transient=True,
            ) from None

    def html_message(self, response: requests.Response, what: str) -> str:
        return self.say(
            "html_page", platform=self.platform, what=what, status=response.status_code, hint=self.html_hint
        )

    def refusal(self, response: requests.Response) -> str:
        """What a refused call tells the user: the status, the platform's own words, what to check."""
        detail = "" if is_html(response) else error_detail(response, self.secrets)
        hint = self.hints.get(response.status_code) or self.default_hints.get(response.status_code, self.fallback_hint)
        if detail:
            return self.say(
                "refused_detail", platform=self.platform, status=response.status_code, detail=detail, hint=hint
            )
        return self.say("refused", platform=self.platform, status=response.status_code, hint=hint)

    def say(self, key: str, **values) -> str:
        """The message ``key`` of :attr:`messages` with its values."""
        return self.messages[key] % values if values else self.messages[key]

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
