"""A channel's payload as received, before it is read as an order (see :mod:`.channel_order` for the schema): its
limits (size, JSON depth), the text PostgreSQL can store of it, its JSON, its fingerprint and its external id.

Text is cleaned, never refused for its characters: NUL and the other control characters are removed, lone UTF-16
surrogates become U+FFFD; PostgreSQL stores no NUL, and a surrogate cannot be encoded in UTF-8.
"""

import hashlib
import json
import re

MAX_PAYLOAD_BYTES = 256 * 1024
# Far above any order (four levels), far below what Python's recursion limit lets json read or write: a payload
# Python could just read in one thread (the webhook's) could fail in another with a deeper stack (the import's).
MAX_JSON_DEPTH = 100
MAX_EXTERNAL_ID_LENGTH = 64

# C0 controls but tab and newline, DEL and C1 controls; lone surrogates; the two non-characters of the BMP.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK_RE = re.compile(r"[\t\n]+")
_JSON_TYPE_NAMES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


class ChannelOrderError(ValueError):
    """A channel order (or its payload) cannot be accepted.

    ``category`` is a short machine code the UI groups quarantined orders by: "malformed" (not JSON, not an
    object, wrong structure), "missing_field", "invalid_value", "too_large" (and "unknown_product" from
    :mod:`.matching`). ``problems`` lists every (category, message) found.
    """

    def __init__(self, category: str, message: str, *, problems: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.category = category
        self.message = message
        self.problems = problems or ((category, message),)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without what a database or a screen cannot hold: control characters (a one-line text also loses
    its tabs and newlines, each run becoming a space) and lone surrogates (U+FFFD instead)."""
    if not multiline:
        text = _LINE_BREAK_RE.sub(" ", text)
    return _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", text))


def storable_json(data) -> str:
    """JSON text of ``data`` that PostgreSQL can store and that decodes to the same data: non-ASCII characters stay
    readable, lone surrogates are written as their ``\\uXXXX`` escapes (json escapes control characters itself)."""
    text = json.dumps(data, indent=1, ensure_ascii=False, default=str)
    return _SURROGATE_RE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_text(raw: bytes | str) -> str:
    """The JSON text of a payload, read the same way from the body as received and from the text staged from it:
    bytes are UTF-8 (RFC 8259; UTF-16 and UTF-32 are refused with UnicodeDecodeError, a ValueError), lone
    surrogates written in UTF-8 are let through to be cleaned, and a leading byte order mark is ignored."""
    text = raw.decode("utf-8", "surrogatepass") if isinstance(raw, bytes) else raw
    return text.removeprefix("\ufeff")


def parse_payload(raw: bytes | str) -> dict:
    """Decode a JSON payload received from a channel into the order dict, refusing oversize or non-object ones."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_PAYLOAD_BYTES:
        raise ChannelOrderError("too_large", f"payload is {size} bytes, more than the {MAX_PAYLOAD_BYTES} allowed")
    too_deep = ChannelOrderError("malformed", f"payload is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        data = json.loads(json_text(raw))
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise ChannelOrderError("malformed", f"payload is not valid JSON: {exc}") from None
    if _nested_deeper_than(data, MAX_JSON_DEPTH):
        raise too_deep
    if not isinstance(data, dict):
        raise ChannelOrderError("malformed", f"payload must be a JSON object (got {json_type(data)})")
    return data


def _nested_deeper_than(data, limit: int) -> bool:
    """True when arrays and objects are nested more than ``limit`` levels deep (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def external_id_of(data) -> str | None:
    """Best-effort external id of any payload, even an invalid one, so a quarantined order can be found again."""
    if not isinstance(data, dict):
        return None
    value = data.get("external_id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return clean_text(str(value)).strip()[:MAX_EXTERNAL_ID_LENGTH] or None


def payload_fingerprint(data: dict) -> str:
    """sha256 of the canonical JSON of an order: equal for a replay of the same payload whatever its key order,
    different for any change."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def json_type(value) -> str:
    if value is None:
        return "null"
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)
