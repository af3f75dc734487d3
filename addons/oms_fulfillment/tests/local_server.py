"""What the local stand-ins for carriers share: a WSGI app served on 127.0.0.1 (ephemeral port) by a threaded
werkzeug server in a background thread, started and stopped as a context manager.

oms_fulfillment does not depend on oms_channels (whose tests have the same base class), so it keeps its own.
"""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request; errors are still logged."""

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


def label_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing ``text`` (a shipping label stand-in)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 36 100 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    pdf += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return pdf
