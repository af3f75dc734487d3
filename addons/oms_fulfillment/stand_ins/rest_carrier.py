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
from collections import namedtuple

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .carrier_server import CarrierServed, label_pdf

RecordedRequest = namedtuple("RecordedRequest", "method path body")

_URLS = Map(
    [
        Rule("/rates", endpoint="rates", methods=["POST"]),
        Rule("/shipments", endpoint="create_shipment", methods=["POST"]),
        Rule("/shipments/<path:number>", endpoint="cancel_shipment", methods=["DELETE"]),
        Rule("/tracking/<path:number>", endpoint="tracking", methods=["GET"]),
    ]
)


class LocalRestCarrier(CarrierServed, LocalJsonServer):
    api_key = "rest-key"
    account = "ACC-REST"
    base_price = 6.0
    price_per_kg = 0.5
    transit_days = 2
    service = "STANDARD"
    prefix = "RST"

    def __init__(self, **settings):
        super().__init__(**settings)
        self.requests: list[RecordedRequest] = []

    def calls(self, path_prefix: str) -> list[RecordedRequest]:
        with self.lock:
            return [request for request in self.requests if request.path.startswith(path_prefix)]

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, body))
        failure = self._injected_failure()
        if failure:
            return failure
        if request.headers.get("X-Api-Key") != self.api_key or request.headers.get("X-Account") != self.account:
            return json_response({"error": "invalid API key or account"}, 401)
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return json_response({"error": exc.description}, exc.code)
        payload = None
        if request.method == "POST":
            try:
                payload = json.loads(body)
            except ValueError:
                return json_response({"error": "the body is not JSON"}, 400)
        return getattr(self, f"_{endpoint}")(payload, **arguments)

    def _payload_refusal(self, payload) -> str | None:
        if not isinstance(payload, dict):
            return self.shipment_refusal([], None)
        weights = [_number(parcel.get("weight")) for parcel in payload.get("parcels") or ()]
        return self.shipment_refusal(weights, (payload.get("recipient") or {}).get("country_code"))

    def _weights(self, payload) -> list[float]:
        return [parcel["weight"] for parcel in payload["parcels"]]

    def _rates(self, payload) -> Response:
        problem = self._payload_refusal(payload)
        if problem:
            return json_response({"error": problem}, 422)
        return json_response(
            {
                "service": payload.get("service") or self.service,
                "price": self.price(self._weights(payload)),
                "currency": self.currency,
                "transit_days": self.transit_days,
            }
        )

    def _create_shipment(self, payload) -> Response:
        problem = self._payload_refusal(payload)
        if problem:
            return json_response({"error": problem}, 422)
        number = self.new_shipment(payload)
        pdf = label_pdf(f"{number} {payload.get('reference', '')}")
        return json_response(
            {
                "tracking_number": number,
                "label_pdf": base64.b64encode(pdf).decode(),
                "price": self.price(self._weights(payload)),
                "currency": self.currency,
            },
            201,
        )

    def _tracking(self, payload, number: str) -> Response:
        with self.lock:
            shipment = self.shipments.get(number)
        if shipment is None:
            return json_response({"error": f"unknown tracking number {number}"}, 404)
        return json_response(
            {
                "tracking_number": number,
                "status": shipment["status"],
                "delivered_at": shipment["delivered_at"],
                "description": shipment["status"].replace("_", " "),
                "events": [],
            }
        )

    def _cancel_shipment(self, payload, number: str) -> Response:
        outcome = self.cancel(number)
        if outcome == "unknown":
            return json_response({"error": f"unknown tracking number {number}"}, 404)
        if outcome == "delivered":
            return json_response({"error": "a delivered shipment cannot be cancelled"}, 409)
        return json_response({"cancelled": True})


def _number(value) -> float | None:
    return value if isinstance(value, int | float) else None
