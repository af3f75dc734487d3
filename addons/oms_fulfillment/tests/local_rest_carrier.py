"""A local carrier serving the JSON API of services/carrier_rest.py, for tests::

    with LocalRestCarrier(base_price=5.0, price_per_kg=0.5, transit_days=2) as carrier:
        client = RestCarrierClient(carrier.url, carrier.api_key, carrier.account)
        carrier.fail_next(1, status=503)       # the next call answers 503
        carrier.delay_next(1, 2.0)             # the next call waits 2 s (timeouts)
        carrier.set_status("RST000001", "delivered", "2026-12-02T10:15:00Z")

A rate costs ``base_price + price_per_kg x total weight``; every parcel needs a positive weight (else 422).
"""

import base64
import json
import time
from collections import namedtuple

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .local_server import LocalCarrierServer, label_pdf

RecordedRequest = namedtuple("RecordedRequest", "method path body")

_URLS = Map(
    [
        Rule("/rates", endpoint="rates", methods=["POST"]),
        Rule("/shipments", endpoint="create_shipment", methods=["POST"]),
        Rule("/shipments/<path:number>", endpoint="cancel_shipment", methods=["DELETE"]),
        Rule("/tracking/<path:number>", endpoint="tracking", methods=["GET"]),
    ]
)


class LocalRestCarrier(LocalCarrierServer):
    def __init__(
        self,
        api_key: str = "rest-key",
        account: str = "ACC-REST",
        base_price: float = 6.0,
        price_per_kg: float = 0.5,
        currency: str = "EUR",
        transit_days: int | None = 2,
        service: str = "STANDARD",
        prefix: str = "RST",
    ):
        super().__init__(api_key, account, base_price, price_per_kg, currency, transit_days, service, prefix)
        self.requests: list[RecordedRequest] = []
        self._failures: list[tuple[int, str]] = []

    # --- set-up and failure injection -------------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 500, error: str = "internal error") -> None:
        """The next n requests answer this status with {"error": error}."""
        with self.lock:
            self._failures.extend([(status, error)] * n)

    def set_status(self, number: str, status: str, delivered_at: str | None = None) -> None:
        with self.lock:
            self.shipments[number].update(status=status, delivered_at=delivered_at)

    def calls(self, path_prefix: str) -> list[RecordedRequest]:
        with self.lock:
            return [request for request in self.requests if request.path.startswith(path_prefix)]

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, body))
            delay = self._next_delay()
            failure = self._failures.pop(0) if self._failures else None
        if delay:
            time.sleep(delay)
        if failure:
            return _json({"error": failure[1]}, failure[0])
        if request.headers.get("X-Api-Key") != self.api_key or request.headers.get("X-Account") != self.account:
            return _json({"error": "invalid API key or account"}, 401)
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return _json({"error": exc.description}, exc.code)
        payload = None
        if request.method == "POST":
            try:
                payload = json.loads(body)
            except ValueError:
                return _json({"error": "the body is not JSON"}, 400)
        return getattr(self, f"_{endpoint}")(payload, **arguments)

    def _check_shipment(self, payload) -> str | None:
        parcels = payload.get("parcels") if isinstance(payload, dict) else None
        if not parcels:
            return "the shipment has no parcels"
        for index, parcel in enumerate(parcels, start=1):
            if not isinstance(parcel.get("weight"), int | float) or parcel["weight"] <= 0:
                return f"parcel {index} has no weight"
        if not (payload.get("recipient") or {}).get("country_code"):
            return "the recipient has no country"
        return None

    def _price(self, payload) -> float:
        weight = sum(parcel["weight"] for parcel in payload["parcels"])
        return round(self.base_price + self.price_per_kg * weight, 2)

    def _rates(self, payload) -> Response:
        problem = self._check_shipment(payload)
        if problem:
            return _json({"error": problem}, 422)
        return _json(
            {
                "service": payload.get("service") or self.service,
                "price": self._price(payload),
                "currency": self.currency,
                "transit_days": self.transit_days,
            }
        )

    def _create_shipment(self, payload) -> Response:
        problem = self._check_shipment(payload)
        if problem:
            return _json({"error": problem}, 422)
        with self.lock:
            number = f"{self.prefix}{len(self.shipments) + 1:06d}"
            self.shipments[number] = {"shipment": payload, "status": "label_created", "delivered_at": None}
        pdf = label_pdf(f"{number} {payload.get('reference', '')}")
        return _json(
            {
                "tracking_number": number,
                "label_pdf": base64.b64encode(pdf).decode(),
                "price": self._price(payload),
                "currency": self.currency,
            },
            201,
        )

    def _tracking(self, payload, number: str) -> Response:
        with self.lock:
            shipment = self.shipments.get(number)
        if shipment is None:
            return _json({"error": f"unknown tracking number {number}"}, 404)
        return _json(
            {
                "tracking_number": number,
                "status": shipment["status"],
                "delivered_at": shipment["delivered_at"],
                "description": shipment["status"].replace("_", " "),
                "events": [],
            }
        )

    def _cancel_shipment(self, payload, number: str) -> Response:
        with self.lock:
            shipment = self.shipments.get(number)
            if shipment is None:
                return _json({"error": f"unknown tracking number {number}"}, 404)
            if shipment["status"] == "delivered":
                return _json({"error": "a delivered shipment cannot be cancelled"}, 409)
            shipment["status"] = "cancelled"
        return _json({"cancelled": True})


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")
