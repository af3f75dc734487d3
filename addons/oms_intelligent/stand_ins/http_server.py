"""The base of every local stand-in for an outside server (marketplaces, EDI partners, carriers): a WSGI app served
on 127.0.0.1 (ephemeral port) by a threaded werkzeug server in a background thread, started and stopped as a context
manager, that can be made slow on demand to provoke client timeouts; and the base of the JSON (REST) ones, which can
also be made to fail.

It lives in oms_intelligent, which every OMS addon depends on, so that their tests and benchmarks share it.
"""

import json
import threading
import time

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (tests and benchmarks make thousands); errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


class LocalWsgiServer:
    """Subclasses implement ``handle(request) -> Response`` and guard their state with ``self.lock``, as requests
    are served concurrently."""

    def __init__(self):
        self.lock = threading.RLock()
        self._server = None
        self._thread = None
        self._delays: list[float] = []

    def delay_next(self, n: int, seconds: float) -> None:
        """The next n calls wait this long before being answered, to provoke client timeouts."""
        with self.lock:
            self._delays.extend([seconds] * n)

    def _next_delay(self) -> float:
        """Seconds the call being served must wait (0 when none was asked); to be called holding ``self.lock``."""
        return self._delays.pop(0) if self._delays else 0

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started: use it as a context manager")
        return f"http://127.0.0.1:{self._server.port}"

    def start(self):
        self._server = make_server("127.0.0.1", 0, self._wsgi_app, threaded=True, request_handler=_QuietRequestHandler)
        # A short poll interval keeps stop() fast: shutdown() waits for the serving loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()
        self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _wsgi_app(self, environ, start_response):
        response = self.handle(Request(environ))
        return response(environ, start_response)


class LocalJsonServer(LocalWsgiServer):
    """A stand-in for a JSON API: its calls can be made to fail (``fail_next``) or to wait (``delay_next``)."""

    def __init__(self):
        super().__init__()
        self._failures: list[tuple[int, str]] = []

    def fail_next(self, n: int, status: int = 500, error: str = "internal error") -> None:
        """The next n requests answer this status with ``{"error": error}`` (before authentication, like a failing
        proxy)."""
        with self.lock:
            self._failures.extend([(status, error)] * n)

    def _injected_failure(self) -> Response | None:
        """Waits as ``delay_next`` asked, then answers the failure ``fail_next`` asked for, if any (None: serve the
        request)."""
        with self.lock:
            delay = self._next_delay()
            failure = self._failures.pop(0) if self._failures else None
        if delay:
            time.sleep(delay)
        return json_response({"error": failure[1]}, failure[0]) if failure else None


def json_response(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")
