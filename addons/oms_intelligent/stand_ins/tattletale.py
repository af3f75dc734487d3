"""A careless service for tests: it answers every call with an error repeating all it was sent — the whole URL and
every header (API keys, tokens, accounts) — as some real services do. A client's messages must mask all of it."""

from .http_server import LocalWsgiServer, json_response


class LocalTattletale(LocalWsgiServer):
    def __init__(self, status: int = 401):
        super().__init__()
        self.status = status

    def handle(self, request):
        told = " ".join([request.url, *(f"{name}: {value}" for name, value in request.headers.items())])
        return json_response({"error": told}, self.status)
