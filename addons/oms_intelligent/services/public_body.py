"""What an HTTP endpoint without a login (a webhook) does with the body it is sent, in this order, so that whoever does
not hold the shared secret gets nothing from it but a refusal:

1. :func:`read_body`: at most the limit and one byte are read, whatever the sender declares or sends;
2. :func:`signature_matches`: ``sha256=<hex HMAC-SHA256 of the body under the secret>`` compared in constant time
   on bytes; a header that is absent, empty, not ASCII or simply wrong is a refusal like any other, never an error;
3. :func:`parse_json_object`: the body as a JSON object, or :class:`BodyError` with a short reason (not UTF-8, not
   JSON, nested too deeply, not an object) that never quotes the body;
4. only then may the endpoint look up in the database what the body names.

Plain Python: the controllers of the OMS addons (channel webhooks, the returns provider's status) share it.
"""

import hashlib
import hmac
import json

SIGNATURE_PREFIX = b"sha256="


class BodyError(ValueError):
    """A signed body that is not the JSON object expected; the message is short and safe to answer."""


def read_body(httprequest, limit: int) -> tuple[bytes, int | None, bool]:
    """(body, size, oversize) of a request: never more than ``limit`` and one byte are read, whatever the sender
    declares or sends. An oversize body is cut to the limit and its size is the declared one (None when not
    declared). ``httprequest``: Odoo's ``request.httprequest`` or a werkzeug request.

    The same request read again gets the same answer: Odoo runs a handler again on the same request after a
    serialization failure (and after a write on the read-only cursor it first gives ``auth="none"`` routes), when
    the stream has been read already."""
    # Odoo's request wrapper does not expose the stream, and get_data() would read the whole body.
    wrapped = getattr(httprequest, "_HTTPRequest__wrapped", httprequest)
    read = getattr(wrapped, "_oms_body_read", None)
    if read is None or read[0] != limit:
        read = (limit, _read_at_most(wrapped, limit))
        wrapped._oms_body_read = read
    return read[1]


def _read_at_most(wrapped, limit):
    declared = wrapped.content_length
    if declared is not None and declared > limit:
        return wrapped.stream.read(limit), declared, True
    body = wrapped.stream.read(limit + 1)
    if len(body) > limit:
        return body[:limit], None, True
    return body, len(body), False


def sign(secret: str | bytes, body: bytes) -> str:
    """The header value that signs ``body`` under ``secret``: ``sha256=<hex digest>``."""
    return (SIGNATURE_PREFIX + _digest(secret, body)).decode("ascii")


def signature_matches(secret: str | bytes | None, body: bytes, header_value: str | bytes | None) -> bool:
    """True only for the exact signature of ``body``; an unset secret never matches (fail closed). Any header value
    is accepted as input: text (WSGI hands headers over as Latin-1 text, turned back into their bytes here) or bytes,
    ASCII or not."""
    if not secret or not header_value:
        return False
    if isinstance(header_value, str):
        header_value = header_value.encode("latin-1", "replace")
    # compare_digest on bytes takes the same time wherever they differ, so the digest cannot be guessed byte by byte.
    return hmac.compare_digest(SIGNATURE_PREFIX + _digest(secret, body), header_value.strip())


def parse_json_object(body: bytes) -> dict:
    """The body as a JSON object; BodyError with a short reason otherwise."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("body is not UTF-8") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise BodyError("body is nested too deeply") from None
    except ValueError:  # JSONDecodeError, and integers of too many digits
        raise BodyError("body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BodyError("body must be a JSON object")
    return data


def _digest(secret: str | bytes, body: bytes) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
