"""A local DHL Express answering as the MyDHL API 2.12.0 does (tests/fixtures/carriers/dhl_express/API.md), for
tests::

    with LocalDhlExpress() as dhl:
        client = DhlExpressClient.from_credentials(dhl.credentials())
        dhl.fail_next(1, 500)              # the next call answers DHL's 500 "999: Process failure"
        dhl.fail_next_shipment(1)          # the next shipment creation answers that 500
        dhl.delay_answer_next(1, 2.0)      # the next shipment is created, then its answer waits 2 s (lost answers)
        dhl.break_next_label()             # the next label is an HTML page in base64, not a PDF
        dhl.advance("4719305826", "delivered")

Basic authentication with ``api_key``/``api_secret`` and the ``x-version`` header on every call; the account in
bodies and queries must be ``account``. Rates are the fixtures' products for the destination country (ES, PT, GB);
a receiver postal code in ``refused_postal_codes`` is refused as an address DHL cannot serve. Shipments get waybills
from 4719305826 and a label PDF with one page per parcel, of its label template's size (A6, A4, or DHL's default
8x4 in). ``received`` records every call.
"""

import base64
import copy
import json
import time
from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import Authorization
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from .dhl_express_shipments import (
    ShipmentChecks,
    documents_pdf,
    fixture,
    fixture_problem,
    label_page,
    lane_rates,
    problem,
)

INSURANCE_PRICE = 4.5
_URLS = Map(
    [
        Rule("/rates", endpoint="rates", methods=["POST"]),
        Rule("/shipments", endpoint="create_shipment", methods=["POST"]),
        Rule("/tracking", endpoint="find_by_reference", methods=["GET"]),
        Rule("/shipments/<awb>/tracking", endpoint="tracking", methods=["GET"]),
        Rule("/pickups/<number>", endpoint="cancel_pickup", methods=["DELETE"]),
    ]
)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


class LocalDhlExpress(ShipmentChecks, LocalJsonServer):
    api_key = "dhl-app-key"
    api_secret = "dhl-app-secret-9f2c"
    account = "950000012"
    refused_postal_codes = frozenset({"99999"})

    def __init__(self):
        super().__init__()
        self.received: list[Received] = []
        self.shipments: dict[str, dict] = {}
        self.pickups: dict[str, str] = {}  # dispatch confirmation number -> "booked" | "cancelled"
        self._answer_delays: list[float] = []
        self._broken_labels = 0
        self._failed_shipments = 0

    def credentials(self, **changes) -> dict:
        """What the client's ``from_credentials`` takes to reach this stand-in (``changes`` replace values)."""
        credentials = {"api_key": self.api_key, "api_secret": self.api_secret, "account_number": self.account}
        return {**credentials, "base_url": self.url, **changes}

    # --- what tests ask -----------------------------------------------------------------------------------------

    def delay_answer_next(self, n: int, seconds: float) -> None:
        """The next n shipments are created, then their answers wait this long (an answer lost in a time-out)."""
        with self.lock:
            self._answer_delays.extend([seconds] * n)

    def fail_next_shipment(self, n: int = 1) -> None:
        """The next n shipment creations answer DHL's 500 "999: Process failure" (other calls are served)."""
        with self.lock:
            self._failed_shipments += n

    def break_next_label(self) -> None:
        with self.lock:
            self._broken_labels += 1

    def advance(self, awb: str, stage: str) -> None:
        """The shipment's checkpoints as the fixtures tell them: ``in_transit`` or ``delivered``."""
        events = fixture(f"tracking_response_{stage}.json")["shipments"][0]["events"]
        with self.lock:
            self.shipments[awb]["events"] = events

    def add_event(self, awb: str, code: str, description: str) -> None:
        event = {"date": "2026-12-07", "time": "09:10:00", "GMTOffset": "+00:00", "typeCode": code}
        with self.lock:
            self.shipments[awb]["events"].append({**event, "description": description, "serviceArea": []})

    def calls(self, method: str, path: str) -> list[Received]:
        with self.lock:
            return [call for call in self.received if call.method == method and call.path == path]

    # --- serving ------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = None
        if request.method == "POST":
            try:
                body = json.loads(request.get_data(as_text=True))
            except ValueError:
                return problem(400, "The request body is not JSON")
        headers = {name: value for name, value in request.headers.items() if name.lower() != "authorization"}
        with self.lock:
            self.received.append(Received(request.method, request.path, dict(request.args), headers, body))
        failure = self._injected_failure()
        if failure:
            return failure
        refusal = self._authentication_refusal(request)
        if refusal:
            return refusal
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return problem(exc.code, exc.description, "Not found")
        return getattr(self, f"_{endpoint}")(request, body, **arguments)

    def _injected_failure(self) -> Response | None:
        answer = super()._injected_failure()
        if answer is not None and answer.status_code == 500:  # DHL's own 500, with "code" instead of "status"
            return fixture_problem("error_process_500.json", 500)
        return answer

    def _authentication_refusal(self, request: Request) -> Response | None:
        auth: Authorization | None = request.authorization
        if not auth or auth.type != "basic" or (auth.username, auth.password) != (self.api_key, self.api_secret):
            return fixture_problem("error_unauthorized_401.json", 401)
        if request.headers.get("x-version") != "2.12.0":
            return problem(400, "Missing mandatory header: x-version")
        return None

    def _rates(self, request, body) -> Response:
        refusal = self.rate_refusal(body)
        if refusal:
            return refusal
        receiver = body["customerDetails"]["receiverDetails"]
        answer = lane_rates(receiver["countryCode"], receiver.get("postalCode", ""))
        asked = {item.get("productCode"): item for item in body.get("productsAndServices") or ()}
        if asked:  # only the products asked for, priced with their value-added services
            answer["products"] = [product for product in answer["products"] if product["productCode"] in asked]
            for product in answer["products"]:
                services = asked[product["productCode"]].get("valueAddedServices") or ()
                if any(service.get("serviceCode") == "II" for service in services):
                    billed = next(price for price in product["totalPrice"] if price["currencyType"] == "BILLC")
                    billed["price"] = round(billed["price"] + INSURANCE_PRICE, 2)
        return json_response(answer)

    def _create_shipment(self, request, body) -> Response:
        with self.lock:
            failed = self._failed_shipments > 0
            self._failed_shipments -= int(failed)
        if failed:
            return fixture_problem("error_process_500.json", 500)
        refusal = self.shipment_refusal(body)
        if refusal:
            return refusal
        with self.lock:
            awb = str(4719305826 + len(self.shipments))
            pickup = f"MAD{date.today():%y%m%d}{len(self.pickups) + 381:06d}" if body["pickup"]["isRequested"] else ""
            if pickup:
                self.pickups[pickup] = "booked"
            self.shipments[awb] = {"request": body, "events": [], "pickup": pickup}
            delay = self._answer_delays.pop(0) if self._answer_delays else 0
            broken = self._broken_labels > 0
            self._broken_labels -= int(broken)
        answer = self._shipment_answer(awb, body, pickup, broken)
        if delay:
            time.sleep(delay)
        return Response(json.dumps(answer), 201, mimetype="application/json", headers={"Location": f"/shipments/{awb}"})

    def _shipment_answer(self, awb: str, body: dict, pickup: str, broken: bool) -> dict:
        pieces = [f"JD0146{awb}{index:04d}" for index in range(1, len(body["content"]["packages"]) + 1)]
        product = self.lane_product(body)
        insured = any(service.get("serviceCode") == "II" for service in body.get("valueAddedServices") or ())
        price = product["totalPrice"][0]["price"] + (INSURANCE_PRICE if insured else 0)
        answer = {
            "shipmentTrackingNumber": awb,
            "trackingUrl": f"{self.url}/shipments/{awb}/tracking",
            "packages": [{"referenceNumber": index, "trackingNumber": piece} for index, piece in enumerate(pieces, 1)],
            "documents": _documents(awb, body, pieces, broken),
            "shipmentCharges": [{"currencyType": "BILLC", "priceCurrency": "EUR", "price": round(price, 2)}],
            "estimatedDeliveryDate": {
                "estimatedDeliveryDate": product["deliveryCapabilities"]["estimatedDeliveryDateAndTime"] + "Z",
                "estimatedDeliveryType": "QDDC",
            },
            "warnings": [],
        }
        if pickup:
            answer.update(dispatchConfirmationNumber=pickup, cancelPickupUrl=f"{self.url}/pickups/{pickup}")
        return answer

    def _find_by_reference(self, request, body) -> Response:
        args = request.args
        missing = [name for name in ("shipperAccountNumber", "dateRangeFrom", "dateRangeTo") if not args.get(name)]
        if args.get("shipmentReference") and missing:
            return problem(400, f"Missing mandatory parameters: {', '.join(missing)}")
        if args.get("shipperAccountNumber") != self.account:
            return problem(400, "The account number is not found or invalid")
        reference = args.get("shipmentReference", "")
        with self.lock:
            found = [awb for awb, shipment in self.shipments.items() if _reference(shipment) == reference]
        if not found:
            return problem(404, f"No Shipments Found for ReferenceID | {reference}", "Not data found")
        answer = fixture("tracking_by_reference_response_found.json")
        answer["shipments"][0].update(shipmentTrackingNumber=found[0])
        answer["shipments"][0]["shipperReferences"][0]["value"] = reference
        return json_response(answer)

    def _tracking(self, request, body, awb: str) -> Response:
        with self.lock:
            shipment = copy.deepcopy(self.shipments.get(awb))
        if shipment is None:
            return fixture_problem("tracking_response_404.json", 404)
        answer = fixture("tracking_response_in_transit.json")
        answer["shipments"][0].update(shipmentTrackingNumber=awb, events=shipment["events"])
        return json_response(answer)

    def _cancel_pickup(self, request, body, number: str) -> Response:
        missing = [name for name in ("requestorName", "reason") if not request.args.get(name)]
        if missing:
            return problem(400, f"Missing mandatory parameters: {', '.join(missing)}")
        with self.lock:
            state = self.pickups.get(number)
            if state == "booked":
                self.pickups[number] = "cancelled"
        if state is None:
            return fixture_problem("cancel_pickup_response_404.json", 404)
        if state == "cancelled":
            return problem(400, "Pickup already cancelled or completed")
        return Response(status=200)


def _documents(awb: str, body: dict, pieces: list[str], broken: bool) -> list[dict]:
    """The label (one page per piece of its template's size, or an HTML page when ``broken``) and the commercial
    invoice if asked."""
    texts = [f"DHL {awb} piece {piece} {index}/{len(pieces)}" for index, piece in enumerate(pieces, 1)]
    label = documents_pdf(texts, page=label_page(body))
    content = b"<html>Label service down</html>" if broken else label
    documents = [{"imageFormat": "PDF", "content": _base64(content), "typeCode": "label"}]
    options = body["outputImageProperties"]["imageOptions"]
    if any(option.get("typeCode") == "invoice" and option.get("isRequested") for option in options):
        lines = body["content"]["exportDeclaration"]["lineItems"]
        text = "; ".join(f"{line['description']} x{line['quantity']['value']}" for line in lines)
        invoice = documents_pdf([f"COMMERCIAL INVOICE {awb}: {text}"], a4=True)
        documents.append({"imageFormat": "PDF", "content": _base64(invoice), "typeCode": "invoice"})
    return documents


def _reference(shipment: dict) -> str:
    references = shipment["request"].get("customerReferences") or [{}]
    return references[0].get("value", "")


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode()
