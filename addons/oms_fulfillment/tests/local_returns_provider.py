"""A local stand-in for a returns provider's JSON API (see services/returns_provider.py)."""

import base64
import hashlib
import hmac
import itertools
import json
import time

from werkzeug.wrappers import Response

from .local_server import LocalWsgiServer, label_pdf


class LocalReturnsProvider(LocalWsgiServer):
    def __init__(self, api_key="returns-key"):
        super().__init__()
        self.api_key = api_key
        self.returns: dict[str, dict] = {}
        self._numbers = itertools.count(1)

    def _json(self, data, status=200):
        return Response(json.dumps(data), status=status, content_type="application/json")

    def handle(self, request):
        with self.lock:
            delay = self._next_delay()
        if delay:
            time.sleep(delay)
        if request.headers.get("X-Api-Key") != self.api_key:
            return self._json({"error": "invalid API key"}, 401)
        with self.lock:
            if request.method == "POST" and request.path == "/returns":
                payload = request.get_json(silent=True) or {}
                if not payload.get("items"):
                    return self._json({"error": "no items to return"}, 422)
                number = f"RET{next(self._numbers):08d}"
                self.returns[number] = {"payload": payload, "status": "label_created"}
                pdf = base64.b64encode(label_pdf(f"Return {payload.get('reference')} {number}")).decode()
                return self._json({"tracking_number": number, "label_pdf": pdf})
            if request.method == "GET" and request.path.startswith("/returns/"):
                number = request.path.rsplit("/", 1)[1]
                if number not in self.returns:
                    return self._json({"error": "unknown return"}, 404)
                return self._json({"tracking_number": number, "status": self.returns[number]["status"]})
        return self._json({"error": "not found"}, 404)


def sign(body: bytes, key: str) -> str:
    """The ``X-OMS-Signature`` a returns provider sends with a webhook ``body``, keyed with the company's API key."""
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
