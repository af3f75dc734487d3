"""A local stand-in for a returns provider's JSON API (see services/returns_provider.py), for tests."""

import base64
import hashlib
import hmac
import itertools

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .carrier_server import label_pdf


class LocalReturnsProvider(LocalJsonServer):
    def __init__(self, api_key="returns-key"):
        super().__init__()
        self.api_key = api_key
        self.returns: dict[str, dict] = {}
        self._numbers = itertools.count(1)

    def handle(self, request):
        failure = self._injected_failure()
        if failure:
            return failure
        if request.headers.get("X-Api-Key") != self.api_key:
            return json_response({"error": "invalid API key"}, 401)
        with self.lock:
            if request.method == "POST" and request.path == "/returns":
                return self._create_return(request.get_json(silent=True) or {})
            if request.method == "GET" and request.path.startswith("/returns/"):
                return self._return_status(request.path.rsplit("/", 1)[1])
        return json_response({"error": "not found"}, 404)

    def _create_return(self, payload):
        if not payload.get("items"):
            return json_response({"error": "no items to return"}, 422)
        number = f"RET{next(self._numbers):08d}"
        self.returns[number] = {"payload": payload, "status": "label_created"}
        pdf = base64.b64encode(label_pdf(f"Return {payload.get('reference')} {number}")).decode()
        return json_response({"tracking_number": number, "label_pdf": pdf})

    def _return_status(self, number):
        if number not in self.returns:
            return json_response({"error": "unknown return"}, 404)
        return json_response({"tracking_number": number, "status": self.returns[number]["status"]})


def sign(body: bytes, key: str) -> str:
    """The ``X-OMS-Signature`` a returns provider sends with a webhook ``body``, keyed with the company's API key."""
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
