"""A local PrestaShop webservice (XML, ``/api/``) for tests, answering as the groundwork's ``API.md`` documents it::

    with LocalPrestashop() as shop:
        shop.add_orders([(FIXTURES / "orders_page_1.xml").read_text(), (FIXTURES / "orders_page_2.xml").read_text()])
        shop.add_documents("customers", (FIXTURES / "customers.xml").read_text())
        shop.throttle_next(1, status=429)
        requests.get(f"{shop.url}/api/orders", params={...}, auth=(shop.key, ""))
        ...
        assert shop.stock_updates[0].fields["quantity"] == "37"

Documents are added in the webservice's own XML (the fixture files: a list document or a single-resource one); each
resource node is served byte for byte as given. The key is the HTTP Basic user name (or ``ws_key``); refusals are
PrestaShop's XML error documents with 401 and ``WWW-Authenticate``. ``GET /api/orders`` supports ``display=full``,
``filter[<field>]`` (``[a|b]``, ``[a,b]``, ``>[v]``, ``<[v]``, ``![v]``), ``date=1`` (required to filter or sort on
``date_add``/``date_upd``: else 400 code 32), ``sort=[f_ASC,g_DESC]`` and ``limit=offset,count``; the end of the list
is a page shorter than ``count``. Throttling (``throttle_next``) is a proxy's HTML 429 (``Retry-After``) or 503 (none),
as PrestaShop itself never throttles. Push-backs (``PUT stock_availables/<id>``, ``PUT order_carriers/<id>``,
``POST order_histories``) are recorded in ``stock_updates``, ``carrier_updates`` and ``state_changes``, and stored:
the next read returns what was written.
"""

import hashlib
import re
import time
import xml.etree.ElementTree as ET
from collections import namedtuple
from datetime import datetime, timezone
from email.utils import format_datetime

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalWsgiServer

RecordedRequest = namedtuple("RecordedRequest", "method path query")
PushRecord = namedtuple("PushRecord", "id fields query body")

DEFAULT_KEY = "TESTKEY0123456789ABCDEFGHIJKLMNO"  # 32 characters, as PrestaShop generates them
PS_VERSION = "8.2.4"
_XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
_DATE_FIELDS = {"date_add", "date_upd"}
_TRACKING_NUMBER = re.compile(r"^[~:#,%&_=()\[\].? +\-@/a-zA-Z0-9]+$")  # Validate::isTrackingNumber
# The list and node names of resources whose node is not the plural without its last "s".
_NODE_NAMES = {"addresses": "address", "currencies": "currency", "countries": "country", "taxes": "tax"}
_NODE_NAMES |= {"order_histories": "order_history", "order_slip": "order_slip"}
_ALIASES = {"order_slips": "order_slip"}  # the resource is order_slip, its list node order_slips

_URLS = Map(
    [
        Rule("/api/", endpoint="index", methods=["GET"]),
        Rule("/api/stock_availables/<int:node_id>", endpoint="put_stock", methods=["PUT"]),
        Rule("/api/order_carriers/<int:node_id>", endpoint="put_carrier", methods=["PUT"]),
        Rule("/api/order_histories", endpoint="post_history", methods=["POST"]),
        Rule("/api/<resource>", endpoint="list", methods=["GET"]),
        Rule("/api/<resource>/<int:node_id>", endpoint="one", methods=["GET"]),
    ],
    strict_slashes=False,
)

_THROTTLE_PAGES = {
    429: "429 Too Many Requests",
    503: "503 Service Temporarily Unavailable",
}
_MAINTENANCE_PAGE = (
    '<!doctype html>\n<html lang="es"><head><meta charset="utf-8"><title>Tienda en mantenimiento</title></head>\n'
    "<body><h1>Estamos en mantenimiento</h1><p>Volvemos enseguida.</p></body></html>\n"
)
_LOGIN_PAGE = (
    '<!doctype html>\n<html><head><title>Iniciar sesión</title></head>\n<body><form method="post" '
    'action="/login"><input name="email"><input type="password" name="password"></form></body></html>\n'
)


class WebserviceError(Exception):
    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class LocalPrestashop(LocalWsgiServer):
    def __init__(self, key: str = DEFAULT_KEY, shop_url: str = "https://tienda-ejemplo.es"):
        super().__init__()
        self.key = key
        self.shop_url = shop_url
        self.webservice_enabled = True
        self.forbidden_resources: set[str] = set()
        self.documents: dict[str, list[tuple[ET.Element, str]]] = {}
        self.requests: list[RecordedRequest] = []
        self.stock_updates: list[PushRecord] = []
        self.carrier_updates: list[PushRecord] = []
        self.state_changes: list[PushRecord] = []
        self._injected: list[tuple] = []
        self._next_history_id = 9001

    # --- set-up and failure injection ---------------------------------------------------------------------------

    def add_documents(self, resource: str, xml: str) -> int:
        """Adds every node of a webservice document (list or single node) to ``resource``; returns how many."""
        resource = _ALIASES.get(resource, resource)
        root = ET.fromstring(xml.encode())
        container = root[0]
        items = [container] if container.find("id") is not None else list(container)
        if not items:
            return 0
        tag = items[0].tag
        raws = re.findall(rf"<{tag}(?:\s[^>]*)?>.*?</{tag}>", xml, re.DOTALL)
        if len(raws) != len(items):
            raise ValueError(f"cannot cut the {tag} nodes out of the {resource} document")
        with self.lock:
            self.documents.setdefault(resource, []).extend(zip(items, raws, strict=True))
        return len(items)

    def add_orders(self, documents: list[str]) -> None:
        """Orders in PrestaShop's XML: ``orders_page_*.xml`` lists or ``order_<id>.xml`` single orders."""
        for document in documents:
            self.add_documents("orders", document)

    def forbid_resource(self, resource: str) -> None:
        """The key may no longer read this resource (401 code 26)."""
        with self.lock:
            self.forbidden_resources.add(_ALIASES.get(resource, resource))

    def throttle_next(self, n: int, status: int = 429, retry_after: int | None = 30) -> None:
        """The next n requests get a throttling proxy's HTML answer: 429 with ``Retry-After`` (as a CDN/WAF), or
        with ``status=503`` nginx ``limit_req``'s default (no ``Retry-After`` unless given)."""
        with self.lock:
            self._injected.extend([("throttle", status, retry_after)] * n)

    def fail_next(self, n: int, status: int = 500, message: str = "[PHP Warning #2] Division by zero") -> None:
        """The next n requests answer PrestaShop's XML error document with this status (code 2, a PHP error)."""
        with self.lock:
            self._injected.extend([("fail", status, message)] * n)

    def serve_html_next(self, n: int, page: str = "maintenance") -> None:
        """The next n requests answer an HTML page: the shop's maintenance page (503) or a login page (200)."""
        with self.lock:
            self._injected.extend([("html", page, None)] * n)

    # --- serving ------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        started = time.monotonic()
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, request.args.to_dict()))
            delay = self._next_delay()
            injected = self._injected.pop(0) if self._injected else None
        if delay:
            time.sleep(delay)
        if injected:
            return _injected_answer(*injected)
        try:
            if not self.webservice_enabled:
                raise WebserviceError(503, 22, _WEBSERVICE_DISABLED)
            self._authenticate(request)
            try:
                endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
            except HTTPException as exc:
                code = 25 if exc.code == 405 else 0
                raise WebserviceError(exc.code, code, f"Method {request.method} is not valid here") from None
            resource = _ALIASES.get(arguments.get("resource", ""), arguments.get("resource", ""))
            if resource in self.forbidden_resources:
                raise WebserviceError(
                    401, 26, f'Resource of type "{resource}" is not allowed with this authentication key'
                )
            body, status = getattr(self, f"_serve_{endpoint}")(request, **arguments)
        except WebserviceError as exc:
            body, status = _error_document(exc.code, exc.message), exc.status
        response = _xml_response(body, status, started)
        if status == 401:
            response.headers["WWW-Authenticate"] = f'Basic realm="{_REALM}"'
        else:
            response.headers["PSWS-Version"] = PS_VERSION
        return response

    def _authenticate(self, request: Request) -> None:
        key = request.authorization.username if request.authorization else request.args.get("ws_key")
        if key is None:
            raise WebserviceError(401, 16, "Please enter the authentication key as the login. No password required")
        if not key:
            raise WebserviceError(401, 17, "Authentication key is empty")
        if len(key) != 32:
            raise WebserviceError(401, 18, "Invalid authentication key format")
        if key != self.key:
            raise WebserviceError(401, 20, "Authentification key is not active")

    def _serve_index(self, request: Request):
        names = sorted(set(self.documents) | {"stock_availables", "order_carriers", "order_histories"})
        rows = "".join(
            f'<{name} xlink:href="{self.shop_url}/api/{name}" get="true" put="{str(name in _PUTTABLE).lower()}"'
            f' post="{str(name == "order_histories").lower()}" patch="false" delete="false" head="true"/>\n'
            for name in names
            if name not in self.forbidden_resources
        )
        return f'<api shopName="Tienda Ejemplo">\n{rows}</api>', 200

    def _serve_list(self, request: Request, resource: str):
        with self.lock:
            nodes = list(self.documents.get(resource, []))
        filters, sort, (offset, count) = _list_query(request.args)
        nodes = [node for node in nodes if all(_matches(_field(node[0], f), op) for f, op in filters.items())]
        for field, descending in reversed(sort):
            nodes.sort(key=lambda node, f=field: _sort_key(_field(node[0], f)), reverse=descending)
        if count is not None:
            nodes = nodes[offset : offset + count]
        list_tag = "order_slips" if resource == "order_slip" else resource
        node_tag = _NODE_NAMES.get(resource) or resource[:-1]
        if request.args.get("display") == "full":
            rows = "".join(f"{raw}\n" for _element, raw in nodes)
        else:
            rows = "".join(
                f'<{node_tag} id="{_field(element, "id")}" xlink:href="{self.shop_url}/api/{resource}/'
                f'{_field(element, "id")}"/>\n'
                for element, _raw in nodes
            )
        return f"<{list_tag}>\n{rows}</{list_tag}>", 200

    def _serve_one(self, request: Request, resource: str, node_id: int):
        with self.lock:
            nodes = list(self.documents.get(resource, []))
        for element, raw in nodes:
            if _field(element, "id") == str(node_id):
                return raw, 200
        raise WebserviceError(404, 87, f"The resource {resource} with id {node_id} doesn't exist")

    def _serve_put_stock(self, request: Request, node_id: int):
        record = self._push_record(request, "stock_available", node_id)
        if not re.fullmatch(r"-?\d+", record.fields.get("quantity", "")):
            raise WebserviceError(400, 0, "Validation error: quantity is invalid")
        with self.lock:
            self.stock_updates.append(record)
            self._store("stock_availables", record)
        return _node_document(record), 200

    def _serve_put_carrier(self, request: Request, node_id: int):
        record = self._push_record(request, "order_carrier", node_id)
        tracking = record.fields.get("tracking_number", "")
        if tracking and not _TRACKING_NUMBER.match(tracking):
            raise WebserviceError(400, 0, 'Validation error: "tracking_number" is invalid')
        with self.lock:
            self.carrier_updates.append(record)
            self._store("order_carriers", record)
        return _node_document(record), 200

    def _serve_post_history(self, request: Request):
        record = self._push_record(request, "order_history", None)
        if not (record.fields.get("id_order", "").isdigit() and record.fields.get("id_order_state", "").isdigit()):
            raise WebserviceError(400, 41, "id_order and id_order_state are required")
        with self.lock:
            history_id, self._next_history_id = self._next_history_id, self._next_history_id + 1
            record = record._replace(id=history_id, fields={"id": str(history_id), **record.fields})
            self.state_changes.append(record)
            self._store("order_histories", record)
        return _node_document(record), 201

    def _store(self, resource: str, record: PushRecord) -> None:
        """What was written is what the next read gets (the node replaced, or added), as in the shop's database."""
        raw = _node_document(record)
        node = (ET.fromstring(raw), raw)
        nodes = self.documents.setdefault(resource, [])
        at = next((i for i, (element, _raw) in enumerate(nodes) if _field(element, "id") == str(record.id)), None)
        if at is None:
            nodes.append(node)
        else:
            nodes[at] = node

    def _push_record(self, request: Request, node_tag: str, node_id: int | None) -> PushRecord:
        body = request.get_data(as_text=True)
        try:
            node = ET.fromstring(body.encode()).find(node_tag)
        except ET.ParseError as exc:
            raise WebserviceError(500, 127, f"XML error : {exc}") from None
        if node is None:
            raise WebserviceError(400, 68, f"Bad XML: no <{node_tag}> node")
        fields = {child.tag: (child.text or "").strip() for child in node if len(child) == 0}
        if node_id is not None and fields.get("id") != str(node_id):
            raise WebserviceError(400, 90, "id is required when modifying a resource")
        return PushRecord(node_id, fields, request.args.to_dict(), body)


_PUTTABLE = {"stock_availables", "order_carriers"}
_REALM = "Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."
_WEBSERVICE_DISABLED = "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office"


def _list_query(args) -> tuple[dict, list, tuple[int, int | None]]:
    dated = args.get("date") == "1"
    filters = {}
    for name, value in args.items(multi=True):
        match = re.fullmatch(r"filter\[(\w+)\]", name)
        if match:
            field = match.group(1)
            if field in _DATE_FIELDS and not dated or field == "shipping_number":
                raise WebserviceError(400, 32, f'This filter does not exist. Did you mean: "{field}"?')
            filters[field] = _operator(value)
    sort = []
    if args.get("sort"):
        for part in args["sort"].strip("[]").split(","):
            field, _, direction = part.strip().rpartition("_")
            if not field or direction not in {"ASC", "DESC"} or field in _DATE_FIELDS and not dated:
                raise WebserviceError(400, 37, f'Unable to filter by this field. However, you can use "{part}"')
            sort.append((field, direction == "DESC"))
    limit = args.get("limit")
    if not limit:
        return filters, sort, (0, None)
    if not re.fullmatch(r"\d+(,\d+)?", limit):
        raise WebserviceError(400, 40, 'The "limit" value has to be formed as this example: "5,25" or "10"')
    offset, _, count = limit.rpartition(",")
    return filters, sort, (int(offset or 0), int(count))


def _operator(value: str) -> tuple[str, object]:
    match = re.fullmatch(r"([<>!]?)\[(.*)\]", value, re.DOTALL)
    if not match:
        raise WebserviceError(400, 31, f'The "{value}" filter is malformed')
    prefix, inner = match.groups()
    if prefix:
        return prefix, inner
    if "," in inner and re.fullmatch(r"[\d.: \-,]+", inner):
        low, high = inner.split(",", 1)
        return "between", (low.strip(), high.strip())
    return "in", set(inner.split("|"))


def _matches(text: str, operator: tuple[str, object]) -> bool:
    kind, value = operator
    if kind == "in":
        return text in value
    if kind == "between":
        return _sort_key(value[0]) <= _sort_key(text) <= _sort_key(value[1])
    if kind == "!":
        return text != value
    return _sort_key(text) > _sort_key(value) if kind == ">" else _sort_key(text) < _sort_key(value)


def _sort_key(text: str):
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def _field(element: ET.Element, name: str) -> str:
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def _node_document(record: PushRecord) -> str:
    tag = re.search(r"<(stock_available|order_carrier|order_history)>", record.body).group(1)
    rows = "".join(f"\t<{name}><![CDATA[{value}]]></{name}>\n" for name, value in record.fields.items())
    return f"<{tag}>\n{rows}</{tag}>"


def _error_document(code: int, message: str) -> str:
    error = f"<code><![CDATA[{code}]]></code>\n<message><![CDATA[{message}]]></message>"
    return f"<errors>\n<error>\n{error}\n</error>\n</errors>"


def _xml_response(inner: str, status: int, started: float) -> Response:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<prestashop {_XLINK}>\n{inner}\n</prestashop>\n'.encode()
    response = Response(body, status=status, content_type="text/xml;charset=utf-8")
    response.headers["Access-Time"] = str(int(time.time()))
    response.headers["X-Powered-By"] = "PrestaShop Webservice"
    response.headers["Execution-Time"] = f"{time.monotonic() - started:.3f}"
    response.headers["Content-Sha1"] = hashlib.sha1(body).hexdigest()
    return response


def _injected_answer(kind: str, status_or_page, extra) -> Response:
    if kind == "fail":
        response = _xml_response(_error_document(2, extra), status_or_page, time.monotonic())
        response.headers["PSWS-Version"] = PS_VERSION
        return response
    if kind == "html":
        page, status = (_LOGIN_PAGE, 200) if status_or_page == "login" else (_MAINTENANCE_PAGE, 503)
        return Response(page, status=status, content_type="text/html; charset=utf-8")
    title = _THROTTLE_PAGES.get(status_or_page, f"{status_or_page} Throttled")
    page = f"<html>\n<head><title>{title}</title></head>\n<body>\n<center><h1>{title}</h1></center>\n"
    page += "<hr><center>nginx</center>\n</body>\n</html>\n"
    response = Response(page, status=status_or_page, content_type="text/html; charset=utf-8")
    response.headers["Server"] = "nginx"
    response.headers["Date"] = format_datetime(datetime.now(timezone.utc), usegmt=True)
    if extra is not None:
        response.headers["Retry-After"] = str(extra)
    return response
