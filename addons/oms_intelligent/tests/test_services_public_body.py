"""What every endpoint without a login does with its body, in order: size, signature, parsing (plain pytest)."""

import hashlib
import hmac
import io

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from odoo.addons.oms_intelligent.services.public_body import (
    BodyError,
    parse_json_object,
    read_body,
    sign,
    signature_matches,
)

BODY = b'{"tracking_number": "RET1", "status": "in_transit"}'
DEEP = b"[" * 100_000 + b"]" * 100_000


class CountingStream(io.BytesIO):
    """A request body that counts what is read of it."""

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read = getattr(self, "bytes_read", 0) + len(data)
        return data


def request_of(body: bytes, declared: int | None):
    stream = CountingStream(body)
    environ = EnvironBuilder(method="POST", input_stream=stream).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    if declared is not None:
        environ["CONTENT_LENGTH"] = str(declared)
    else:
        environ["wsgi.input_terminated"] = True  # a chunked body: werkzeug reads it to its end
    return Request(environ), stream


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_within_the_limit_is_read_whole(declared):
    request, _stream = request_of(BODY, len(BODY) if declared else None)
    assert read_body(request, 100) == (BODY, len(BODY), False)


def test_never_more_than_the_limit_and_one_byte_is_read_whatever_the_sender_declares():
    big = b"x" * 10_000
    request, stream = request_of(big, len(big))
    assert read_body(request, 100) == (b"x" * 100, 10_000, True)
    assert stream.bytes_read == 100, "a declared oversize body is not read beyond the limit"
    request, stream = request_of(big, None)
    assert read_body(request, 100) == (b"x" * 100, None, True)
    assert stream.bytes_read <= 101 + 64 * 1024, "an undeclared one stops at the limit (and werkzeug's buffer)"


def test_the_same_request_read_again_gets_the_same_body():
    """Odoo runs a handler again on the same request after a serialization failure, its stream read already."""
    request, stream = request_of(BODY, len(BODY))
    assert read_body(request, 100) == read_body(request, 100) == (BODY, len(BODY), False)
    assert stream.bytes_read == len(BODY)


def test_signature_is_the_hmac_sha256_of_the_body():
    digest = hmac.new(b"key", BODY, hashlib.sha256).hexdigest()
    assert sign("key", BODY) == f"sha256={digest}"
    assert signature_matches("key", BODY, f"sha256={digest}")
    assert signature_matches("key", BODY, f"sha256={digest}".encode())
    assert signature_matches("key", BODY, f"  sha256={digest} ")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        b"",
        "sha256=",
        "sha256=" + "0" * 64,
        "sha256=\u00f1\u00ff",  # Latin-1 text, as WSGI hands non-ASCII headers over
        "sha256=\u20ac\U0001f600",  # beyond Latin-1
        "sha256=ñ".encode(),  # UTF-8 bytes
        b"\xff\xfe\x00",
        "\x00" * 71,
        sign("key", BODY).removeprefix("sha256="),  # the prefix is required
        sign("key", BODY).upper(),
        sign("other-key", BODY),
    ],
)
def test_any_other_header_is_refused_never_an_error(header):
    assert signature_matches("key", BODY, header) is False


def test_an_unset_secret_never_matches():
    assert not signature_matches("", BODY, sign("", BODY))
    assert not signature_matches(None, BODY, sign("", BODY))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (DEEP, "nested too deeply"),
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
        (b'{"status": "\xff\xfe"}', "not UTF-8"),
        (b"{", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"1" * 10_000, "not valid JSON"),  # more digits than Python converts
        (b"[]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
    ],
)
def test_a_body_that_is_no_json_object_says_why_in_a_few_words(body, reason):
    with pytest.raises(BodyError, match=reason) as caught:
        parse_json_object(body)
    assert len(str(caught.value)) < 40, "short, and never quoting the body"


def test_a_json_object_is_parsed():
    assert parse_json_object(BODY) == {"tracking_number": "RET1", "status": "in_transit"}
