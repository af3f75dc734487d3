"""What the local stand-ins for channel servers share: a WSGI app served on 127.0.0.1 (ephemeral port) by a threaded
werkzeug server in a background thread, started and stopped as a context manager."""

import functools
import threading
from datetime import datetime

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from ..services.channel_order import parse_datetime


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (tests and benchmarks make thousands); errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


class LocalWsgiServer:
    """Subclasses implement ``handle(request) -> Response`` and guard their state with ``self.lock``, as requests
    are served concurrently. Every channel server serves ``orders`` and can be made slow on demand."""

    def __init__(self):
        self.lock = threading.RLock()
        self._server = None
        self._thread = None
        self.orders: list[dict] = []
        self._delays: list[float] = []

    def add_order(self, order: dict) -> dict:
        with self.lock:
            self.orders.append(order)
        return order

    def add_orders(self, orders: list[dict]) -> None:
        with self.lock:
            self.orders.extend(orders)

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


def order_updated_at(order) -> datetime | None:
    """When a served order last changed (updated_at, else order_date); None when unreadable."""
    value = (order.get("updated_at") or order.get("order_date")) if isinstance(order, dict) else None
    return _parse_time(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=65536)
def _parse_time(text: str) -> datetime | None:
    """Cached: every page request sorts all orders, and benchmarks serve thousands of them."""
    try:
        return parse_datetime(text)
    except ValueError:
        return None
