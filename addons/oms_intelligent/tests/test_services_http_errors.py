"""What a client of an outside service tells of a failed call (plain pytest, on ``requests`` responses built here)."""

import json

import requests

from odoo.addons.oms_intelligent.services.http_errors import (
    MAX_DETAIL_LENGTH,
    error_detail,
    retry_later,
    short_text,
)


def _response(status: int, body: str, content_type: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body.encode()
    response.headers["Content-Type"] = content_type
    response.encoding = "utf-8"
    return response


def test_server_errors_timeouts_and_throttling_are_tried_again_later():
    assert [status for status in (400, 401, 403, 404, 408, 422, 429, 500, 502, 503) if retry_later(status)] == [
        408,
        429,
        500,
        502,
        503,
    ]


def test_the_servers_own_words_are_shown_from_its_json_error_or_message():
    refused = _response(422, json.dumps({"error": "parcel 1 has no weight"}), "application/json")
    assert error_detail(refused, ()) == "parcel 1 has no weight"
    explained = _response(400, json.dumps({"message": "bad  date\n in since"}), "application/json")
    assert error_detail(explained, ()) == "bad date in since"
    assert error_detail(_response(500, json.dumps(["no", "dict"]), "application/json"), ()) == ""


def test_a_plain_text_answer_is_shown_but_an_html_page_is_not():
    assert error_detail(_response(503, "Service Unavailable", "text/plain"), ()) == "Service Unavailable"
    page = "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    assert error_detail(_response(502, page, "text/html; charset=utf-8"), ()) == ""


def test_an_echoed_key_is_masked_before_the_detail_is_cut():
    key = "sk-live-0123456789"
    # Cut first, the key's first characters would be left at the end.
    echoed = _response(401, json.dumps({"error": "x" * (MAX_DETAIL_LENGTH - 2) + key}), "application/json")
    detail = error_detail(echoed, (key,))
    assert detail == "x" * (MAX_DETAIL_LENGTH - 2) + "**"


def test_short_text_is_one_masked_line():
    assert short_text("refused\n  key ACC-9\tfor\r\n account", ("ACC-9",)) == "refused key *** for account"
