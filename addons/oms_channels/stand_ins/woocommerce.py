"""A local WooCommerce shop answering the REST API v3 as ``tests/fixtures/platforms/woocommerce/API.md`` documents
it, for tests and benchmarks::

    with LocalWooCommerce() as shop:
        shop.add_orders([load("order_5101_es_tax_included_coupon.json"), ...])   # WooCommerce's own order shape
        shop.throttle_next(1, retry_after=12)
        requests.get(f"{shop.url}/wp-json/wc/v3/orders", params={...}, auth=(shop.consumer_key, shop.consumer_secret))
        ...
        assert shop.stock_updates == [{"product_id": 812, "variation_id": None, "body": {...}}]

Authentication: HTTP Basic (key, secret) or the query-string fallback ``consumer_key``/``consumer_secret``, which
wins when both are sent. A wrong secret answers 401 ``woocommerce_rest_authentication_error``; an unknown or missing
key runs as a guest and is refused by the permission check (``woocommerce_rest_cannot_view``/``…cannot_edit``); a
read-only key (``read_only=True``) is refused on writes. With "plain permalinks" the route is ``/?rest_route=/wc/v3/…``,
which is served too. Push-back calls (stock, order notes, status updates, refunds) are recorded in lists; refunds
are served back as WooCommerce documents them (negative lines naming ``_refunded_item_id``), and ``add_refund`` serves
one already made; notes are listed back (``GET orders/<id>/notes``, newest first). ``woocommerce_active = False``: a
WordPress without WooCommerce. Products (SKU look-up, batch stock updates): ``stand_ins/woocommerce_products.py``;
push-backs (status updates, notes, refunds): ``stand_ins/woocommerce_pushbacks.py``.
"""

import math
import time
from collections import namedtuple
from datetime import datetime, timezone
from urllib.parse import urlencode

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .orders import OrdersServed
from .woocommerce_products import ProductsServed
from .woocommerce_pushbacks import PushBacksServed

RecordedRequest = namedtuple("RecordedRequest", "method path query body")

_PREFIX = "/wp-json"
_URLS = Map(
    [
        Rule("/wc/v3/orders", endpoint="orders", methods=["GET"]),
        Rule("/wc/v3/orders/<int:order_id>", endpoint="order", methods=["GET"]),
        Rule("/wc/v3/orders/<int:order_id>", endpoint="order_update", methods=["PUT", "POST", "PATCH"]),
        Rule("/wc/v3/orders/<int:order_id>/notes", endpoint="notes", methods=["GET"]),
        Rule("/wc/v3/orders/<int:order_id>/notes", endpoint="note", methods=["POST"]),
        Rule("/wc/v3/orders/<int:order_id>/refunds", endpoint="refunds", methods=["GET"]),
        Rule("/wc/v3/orders/<int:order_id>/refunds", endpoint="refund", methods=["POST"]),
        Rule("/wc/v3/products", endpoint="products", methods=["GET"]),
        Rule("/wc/v3/products/batch", endpoint="product_batch", methods=["POST", "PUT", "PATCH"]),
        Rule("/wc/v3/products/<int:product_id>", endpoint="product", methods=["GET"]),
        Rule("/wc/v3/products/<int:product_id>", endpoint="stock", methods=["PUT", "POST", "PATCH"]),
        Rule(
            "/wc/v3/products/<int:product_id>/variations/batch",
            endpoint="variation_batch",
            methods=["POST", "PUT", "PATCH"],
        ),
        Rule(
            "/wc/v3/products/<int:product_id>/variations/<int:variation_id>",
            endpoint="stock",
            methods=["PUT", "POST", "PATCH"],
        ),
    ]
)
_WRITE_METHODS = {"PUT", "POST", "PATCH", "DELETE"}
_ORDERBY = {"date": "date_created", "modified": "date_modified", "id": None}
_HTML_THROTTLED = (
    "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1>"
    "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_HTML_MAINTENANCE = (
    '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Mantenimiento</title></head><body>'
    "<h1>Mantenimiento programado</h1><p>Volvemos en unos minutos.</p></body></html>"
)
_HTML_LOGIN = (
    '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Acceder &lsaquo; Tienda</title></head>'
    '<body class="login"><form name="loginform" id="loginform" action="/wp-login.php" method="post">'
    '<input type="text" name="log"><input type="password" name="pwd"></form></body></html>'
)
_CRITICAL_ERROR = (
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/'
    'article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>'
)


def wp_error(code: str, message: str, status: int, headers: dict | None = None, **data) -> Response:
    """WordPress's REST error shape ``{"code", "message", "data": {"status", …}}``."""
    response = json_response({"code": code, "message": message, "data": {"status": status, **data}}, status)
    response.headers.update(headers or {})
    return response


class LocalWooCommerce(PushBacksServed, ProductsServed, OrdersServed, LocalJsonServer):
    def __init__(self, consumer_key: str = "ck_test", consumer_secret: str = "cs_test", read_only: bool = False):
        super().__init__()
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.read_only = read_only
        self.woocommerce_active = True  # False: WordPress answers, WooCommerce is off (rest_no_route everywhere)
        self.requests: list[RecordedRequest] = []
        self.stock_updates: list[dict] = []  # {"product_id", "variation_id" (None for simple), "body"}
        self._scripted: list = []  # factories of the answers asked for, served before anything else
        self._next_id = 9300

    _wp_error = staticmethod(wp_error)  # for the products and push-backs mixins

    # --- failure injection -----------------------------------------------------------------------------------------

    def throttle_next(self, n: int, retry_after: int = 12, status: int = 429, html: bool = False) -> None:
        """The next n requests are throttled as a host (``html=True``: nginx's page) or a rate-limit plugin (JSON
        ``rest_rate_limited`` with ``RateLimit-*`` headers) does it — wc/v3 itself never throttles."""

        def answer():
            headers = {"Retry-After": str(retry_after)}
            if html:
                return Response(
                    _HTML_THROTTLED, status=status, headers={**headers, "Server": "nginx"}, mimetype="text/html"
                )
            return wp_error(
                "rest_rate_limited",
                f"Too many requests. Please wait {retry_after} seconds before trying again.",
                status,
                {**headers, "RateLimit-Limit": "25", "RateLimit-Remaining": "0", "RateLimit-Reset": str(retry_after)},
            )

        self._script(n, answer)

    def fail_next(self, n: int, status: int = 500, error: str = _CRITICAL_ERROR) -> None:
        """The next n requests answer WordPress's ``internal_server_error`` (the "critical error" of a PHP fatal)."""
        body = {"code": "internal_server_error", "message": error, "data": {"status": status}, "additional_errors": []}
        self._script(n, lambda: json_response(body, status))

    def serve_html_next(self, n: int, page: str = "maintenance", retry_after: int = 600) -> None:
        """The next n requests answer an HTML page: ``maintenance`` (503 + Retry-After) or ``login`` (200, the
        wp-login form a security plugin or a wrong URL ends on)."""
        if page == "login":
            self._script(n, lambda: Response(_HTML_LOGIN, status=200, mimetype="text/html"))
        else:
            headers = {"Retry-After": str(retry_after)}
            self._script(n, lambda: Response(_HTML_MAINTENANCE, status=503, headers=headers, mimetype="text/html"))

    def _script(self, n: int, answer) -> None:
        with self.lock:
            self._scripted.extend([answer] * n)

    # --- serving ---------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_json(silent=True) if request.data else None
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, request.args.to_dict(), body))
            delay = self._next_delay()
            scripted = self._scripted.pop(0) if self._scripted else None
        if delay:
            time.sleep(delay)
        if scripted:
            return scripted()
        route = request.args.get("rest_route") if request.path in ("/", "/index.php") else None
        if route is None and not request.path.startswith(_PREFIX + "/"):
            return Response("<html><body><h1>Not Found</h1></body></html>", status=404, mimetype="text/html")
        route = route or request.path[len(_PREFIX) :]
        if not self.woocommerce_active:
            return _no_route()
        try:
            endpoint, arguments = _URLS.bind("127.0.0.1").match(route, method=request.method)
        except HTTPException:
            return _no_route()
        refusal = self._refusal(request)
        if refusal:
            return refusal
        return getattr(self, f"_serve_{endpoint}")(request, body, **arguments)

    def _refusal(self, request: Request) -> Response | None:
        """WooCommerce's authentication: the query-string credentials win over Basic; a wrong secret is an error,
        an unknown key a guest refused by the permission check."""
        key, secret = request.args.get("consumer_key"), request.args.get("consumer_secret")
        if key is None and request.authorization and request.authorization.type == "basic":
            key, secret = request.authorization.username, request.authorization.password
        if key == self.consumer_key and secret != self.consumer_secret:
            return wp_error(
                "woocommerce_rest_authentication_error",
                "Consumer secret is invalid.",
                401,
                {
                    "WWW-Authenticate": 'Basic realm="WooCommerce API. Use a consumer key in the username field and '
                    'a consumer secret in the password field."'
                },
            )
        writing = request.method in _WRITE_METHODS
        if key != self.consumer_key:
            if writing:
                return wp_error(
                    "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.", 401
                )
            return wp_error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        if writing and self.read_only:
            return wp_error(
                "woocommerce_rest_authentication_error", "The API key provided does not have write permissions.", 401
            )
        return None

    def _serve_orders(self, request: Request, body) -> Response:
        args = request.args
        try:
            page = _int_param(args, "page", 1, 1, None)
            per_page = _int_param(args, "per_page", 10, 1, 100)
            gmt = args.get("dates_are_gmt", "false").lower() in ("1", "true")
            after = _date_param(args, "modified_after")
            before = _date_param(args, "modified_before")
            orderby = args.get("orderby", "date")
            descending = args.get("order", "desc") == "desc"
            if orderby not in _ORDERBY:
                raise _BadParam("orderby", "orderby is not one of date, id, modified.")
        except _BadParam as exc:
            return wp_error(
                "rest_invalid_param", f"Invalid parameter(s): {exc.param}", 400, params={exc.param: exc.text}
            )
        statuses = [s for s in args.get("status", "any").replace(",", " ").split() if s]
        with self.lock:
            orders = list(self.orders)
        suffix = "_gmt" if gmt else ""

        def modified(order):
            return _parse_wp_date(order.get(f"date_modified{suffix}"))

        selected = [
            order
            for order in orders
            if (("any" in statuses and order.get("status") != "trash") or order.get("status") in statuses)
            and (after is None or (modified(order) or datetime.min) > after)
            and (before is None or (modified(order) or datetime.max) < before)
        ]
        field = _ORDERBY[orderby]
        selected.sort(
            key=lambda o: (_parse_wp_date(o.get(f"{field}{suffix}")) or datetime.min if field else 0, o.get("id") or 0),
            reverse=descending,
        )
        total = len(selected)
        pages = math.ceil(total / per_page)
        start = (page - 1) * per_page
        response = json_response(selected[start : start + per_page])
        links = []
        if page > 1 and pages:
            links.append(f'<{_page_url(request, min(page - 1, pages))}>; rel="prev"')
        if page < pages:
            links.append(f'<{_page_url(request, page + 1)}>; rel="next"')
        response.headers.update({"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})
        if links:
            response.headers["Link"] = ", ".join(links)
        return response

    def _find_order(self, order_id: int) -> dict | None:
        return next((order for order in self.orders if order.get("id") == order_id), None)

    def _serve_order(self, request: Request, body, order_id: int) -> Response:
        with self.lock:
            order = self._find_order(order_id)
        return json_response(order) if order else self._invalid_order()

    def _serve_stock(self, request: Request, body, product_id: int, variation_id: int | None = None) -> Response:
        quantity = body.get("stock_quantity") if isinstance(body, dict) else None
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            return wp_error(
                "rest_invalid_param",
                "Invalid parameter(s): stock_quantity",
                400,
                params={"stock_quantity": "stock_quantity is not of type integer."},
            )
        with self.lock:
            self.stock_updates.append({"product_id": product_id, "variation_id": variation_id, "body": body})
        status = "instock" if quantity > 0 else "outofstock"
        answer = {"id": variation_id or product_id, "manage_stock": True, "stock_quantity": quantity}
        return json_response({**answer, "stock_status": status})

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id


class _BadParam(ValueError):
    def __init__(self, param: str, text: str):
        super().__init__(text)
        self.param, self.text = param, text


def _int_param(args, name: str, default: int, low: int, high: int | None) -> int:
    try:
        value = int(args.get(name, default))
    except ValueError:
        raise _BadParam(name, f"{name} is not of type integer.") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than or equal to {low}"
        raise _BadParam(name, f"{name} must be {bounds}")
    return value


def _date_param(args, name: str) -> datetime | None:
    value = _parse_wp_date(args.get(name)) if args.get(name) else None
    if args.get(name) and value is None:
        raise _BadParam(name, "Invalid date.")
    return value


def _parse_wp_date(raw) -> datetime | None:
    """WooCommerce dates (``2026-11-20T09:58:41``, no offset) as naive datetimes; an offset given is converted to
    UTC and dropped."""
    if not isinstance(raw, str):
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value


def _page_url(request: Request, page: int) -> str:
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    return f"{request.base_url}?{urlencode([*query, ('page', page)])}"


def _no_route() -> Response:
    return wp_error("rest_no_route", "No route was found matching the URL and request method.", 404)
