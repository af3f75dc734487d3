"""What the clients of outside services (channel connectors, carriers) make of a failed call, shared so that they
all follow one rule:

- :func:`retry_later`: which HTTP statuses mean "not now" (5xx, 408 Request Timeout, 429 Too Many Requests), so
  that the same call may succeed later, rather than "wrong request", which someone has to fix first;
- :func:`error_detail`: the server's own explanation of a refused call, read from its JSON ``error`` or
  ``message`` (or its plain-text body; an HTML page, a proxy's or a web server's, says nothing to the user);
- :func:`short_text`: how any text a server sent ends up in our messages: secrets masked first, on one line, cut
  to MAX_DETAIL_LENGTH characters.

Plain Python, on ``requests`` responses.
"""

import requests

from .redact import redact

MAX_DETAIL_LENGTH = 200
RETRIED_CLIENT_STATUSES = frozenset({408, 429})


def retry_later(status: int) -> bool:
    """Whether a call answered with this HTTP status may succeed if made again later."""
    return status >= 500 or status in RETRIED_CLIENT_STATUSES


def short_text(text: str, secrets) -> str:
    """``text`` fit for a message: no secret, one line, at most MAX_DETAIL_LENGTH characters. Masked before it is
    cut, so that no part of a secret is left at the cut."""
    return " ".join(redact(text, secrets).split())[:MAX_DETAIL_LENGTH]


def error_detail(response: requests.Response, secrets) -> str:
    """The server's own explanation of a refused call, short and without ``secrets`` should it echo them; empty
    when it gave none."""
    try:
        body = response.json()
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser follows
        html = "html" in response.headers.get("Content-Type", "")
        detail = "" if html else response.text
    else:
        detail = (body.get("error") or body.get("message")) if isinstance(body, dict) else None
        detail = str(detail or "")
    return short_text(detail, secrets)
