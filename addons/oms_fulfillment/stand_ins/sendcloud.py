"""A local Sendcloud API v3, as ``tests/fixtures/carriers/sendcloud/API.md`` documents it, for tests::

    with LocalSendcloud() as sendcloud:
        client = SendcloudClient.from_credentials(sendcloud.credentials())
        sendcloud.fail_next(1, status=503)           # the next call answers 503
        sendcloud.delay_next(1, 2.0)                 # the next call waits 2 s, then is served (time-outs)
        sendcloud.add_event("3SOMS0000000001", "DELIVERED", "2026-12-04T11:26:07Z")
        sendcloud.labels_are_pdf = False             # labels come back as an HTML page
        sendcloud.cancellations_queued = True        # cancellations answer 202 "queued"

Its shipping options are those of the fixtures (domestic Spain, EU, and DHL Express outside the EU); a price is the
option's base price plus ``price_per_kg`` per kg. Postal codes in ``refused_postal_codes`` are refused by the
carrier (the fixture's 400). ``external_reference_id`` is unique: a second shipment with the same one answers 409
with the first. Multi-parcel shipments (``POST /shipments``) and returns (``POST /returns``) are being announced
for ``announce_polls`` reads.
"""

import base64
import copy
import json
import uuid
from collections import namedtuple
from pathlib import Path

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import LocalJsonServer, json_response

from ..services.customs_territory import needs_customs
from .carrier_server import label_pdf

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "carriers" / "sendcloud"
EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
# Pages in PostScript points, portrait.
PAPER_SIZES = {"A4": (595, 842), "A5": (420, 595), "A6": (298, 420)}
RecordedRequest = namedtuple("RecordedRequest", "method path body")

_URLS = Map(
    [
        Rule("/parcels/statuses", endpoint="statuses", methods=["GET"]),
        Rule("/shipping-options", endpoint="options", methods=["POST"]),
        Rule("/shipments/announce", endpoint="announce", methods=["POST"]),
        Rule("/shipments", endpoint="announce_later", methods=["POST"]),
        Rule("/shipments/<shipment_id>", endpoint="shipment", methods=["GET"]),
        Rule("/shipments/<shipment_id>/cancel", endpoint="cancel", methods=["POST"]),
        Rule("/parcels/<int:parcel_id>/documents/<kind>", endpoint="document", methods=["GET"]),
        Rule("/parcels/tracking/<number>", endpoint="tracking", methods=["GET"]),
        Rule("/returns", endpoint="new_return", methods=["POST"]),
        Rule("/returns/<int:return_id>", endpoint="return", methods=["GET"]),
        Rule("/returns/<int:return_id>/cancel", endpoint="cancel_return", methods=["PATCH"]),
    ]
)


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def _fixture_options() -> dict[str, list[dict]]:
    """The fixtures' options by route: domestic, inside the EU, outside it (a base price each, from the fixture)."""
    domestic = fixture("rates_response_1_parcel.json")["data"]
    european = fixture("rates_response_3_parcels.json")["data"]
    worldwide = copy.deepcopy(european[0])
    worldwide.update(
        code="dhl_express:worldwide/incoterm=dap",
        name="DHL Express Worldwide (DAP)",
        carrier={"code": "dhl_express", "name": "DHL Express"},
        product={"code": "dhl_express:worldwide", "name": "DHL Express Worldwide"},
        requirements={"fields": [], "export_documents": True, "is_service_point_required": False},
    )
    worldwide["quotes"][0]["price"]["total"]["value"] = "38.00"
    worldwide["quotes"][0]["lead_time"] = 48
    return {"domestic": domestic, "european": european, "worldwide": [worldwide]}


class LocalSendcloud(LocalJsonServer):
    public_key = "sc-public-0f3a9c"
    secret_key = "sc-secret-7d41e2b8c6"
    price_per_kg = 0.4

    def __init__(self):
        super().__init__()
        self.options = _fixture_options()
        self.refused_postal_codes = {"99999"}
        self.announce_polls = 1
        self.labels_are_pdf = True
        self.cancellations_queued = False  # 202: Sendcloud cancels later, unless the carrier scans the parcel
        self.requests: list[RecordedRequest] = []
        self.shipments: dict[str, dict] = {}  # by id, as Sendcloud answers them
        self.returns: dict[int, dict] = {}  # by return id
        self.parcel_count = 0

    def credentials(self, **changes) -> dict:
        return {"public_key": self.public_key, "secret_key": self.secret_key, "base_url": self.url, **changes}

    def calls(self, method: str, path_prefix: str) -> list[RecordedRequest]:
        with self.lock:
            return [call for call in self.requests if call.method == method and call.path.startswith(path_prefix)]

    def parcels(self) -> list[dict]:
        with self.lock:
            outgoing = [parcel for shipment in self.shipments.values() for parcel in shipment["parcels"]]
            return outgoing + [returned["_parcel"] for returned in self.returns.values()]

    def add_event(self, number: str, code: str, event_at: str) -> None:
        """The carrier scanned parcel ``number``: a new tracking event (``DELIVERED``, ``DRIVER_ON_ROUTE``...)."""
        messages = {status["code"]: status["message"] for status in fixture("parcel_statuses.json")["data"]}
        with self.lock:
            parcel = next(parcel for parcel in self.parcels() if parcel["tracking_number"] == number)
            parcel["status"] = {"code": code, "message": messages.get(code, code)}
            parcel["_events"].append((event_at, code, messages.get(code, code)))

    # --- serving ----------------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        with self.lock:
            self.requests.append(RecordedRequest(request.method, request.path, body))
        failure = self._injected_failure()
        if failure:
            return failure
        auth = request.authorization
        if not auth or (auth.username, auth.password) != (self.public_key, self.secret_key):
            return json_response(fixture("error_unauthorized.json"), 401)
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return json_response(
                {"errors": [{"status": str(exc.code), "code": "not_found", "detail": exc.description}]}, exc.code
            )
        payload = request.args.to_dict() if request.method == "GET" else None  # a GET's query, a POST's body
        if request.method == "POST" and body:
            try:
                payload = json.loads(body)
            except ValueError:
                return _errors(400, "invalid", "JSON parse error")
        with self.lock:
            return getattr(self, f"_{endpoint}")(payload, **arguments)

    def _statuses(self, payload) -> Response:
        return json_response(fixture("parcel_statuses.json"))

    def _options_for(self, from_country: str, to_country: str) -> list[dict]:
        if from_country == to_country:
            return self.options["domestic"]
        return self.options["european" if to_country in EU else "worldwide"]

    def _options(self, payload) -> Response:
        problem = _route_problem(payload) or _parcels_problem(payload.get("parcels"))
        if problem:
            return _errors(400, "invalid", problem[1], problem[0])
        from_country, to_country = _countries(payload)
        weights = [float(parcel["weight"]["value"]) for parcel in payload["parcels"]]
        multicollo = (payload.get("functionalities") or {}).get("multicollo")
        answer = []
        for offered in self._options_for(from_country, to_country):
            if multicollo and not offered["functionalities"].get("multicollo"):
                continue
            option = copy.deepcopy(offered)
            total = option["quotes"][0]["price"]["total"]
            total["value"] = f"{float(total['value']) + self.price_per_kg * sum(weights):.2f}"
            option["parcel_billed_weights"] = [
                {"value": f"{weight:.3f}", "unit": "kg", "volumetric": False, "parcel_number": index}
                for index, weight in enumerate(weights, start=1)
            ]
            answer.append(option)
        return json_response({"data": answer})

    def _announce(self, payload) -> Response:
        return self._new_shipment(payload, ready=True)

    def _announce_later(self, payload) -> Response:
        return self._new_shipment(payload, ready=False)

    def _new_shipment(self, payload, *, ready: bool) -> Response:
        problem = self._shipment_problem(payload)
        refusal = self._carrier_refusal(payload) if isinstance(payload, dict) else None
        if problem or (refusal and ready):
            return problem or json_response(refusal, 400)
        reference = payload.get("external_reference_id")
        for shipment in self.shipments.values():
            if reference and shipment["external_reference_id"] == reference:
                return json_response({"data": self._public(shipment, with_file=False)}, 409)
        shipment = {**payload, "id": str(uuid.uuid4()), "errors": [], "_polls": 0 if ready else self.announce_polls}
        shipment["customs_information"] = payload.get("customs_information")
        shipment["_refusal"] = refusal  # the carrier refuses it while announcing, after the 201
        shipment["parcels"] = [self._new_parcel(parcel, shipment, ready) for parcel in payload["parcels"]]
        self.shipments[shipment["id"]] = shipment
        return json_response({"data": self._public(shipment, with_file=len(shipment["parcels"]) == 1)}, 201)

    def _new_parcel(self, parcel: dict, shipment: dict, ready: bool) -> dict:
        self.parcel_count += 1
        parcel_id = 401230000 + self.parcel_count
        documents = [{"type": "label", "size": "a6"}]
        if shipment.get("customs_information"):
            documents.append({"type": "commercial-invoice", "size": "a4"})
        return {
            **parcel,
            "id": parcel_id,
            "tracking_number": f"3SOMS{parcel_id:010d}",
            "tracking_url": f"https://tracking.example/forward?code=3SOMS{parcel_id:010d}",
            "status": {"code": "READY_TO_SEND" if ready else "ANNOUNCING", "message": "Ready to send"},
            "_documents": documents,
            "_events": [("2026-12-03T09:14:04Z", "READY_TO_SEND", "Ready to send")],
        }

    def _shipment_problem(self, payload) -> Response | None:
        if not isinstance(payload, dict):
            return _errors(400, "invalid", "A shipment must be provided.")
        to_address = payload.get("to_address") or {}
        if not to_address.get("name"):
            return json_response(fixture("announce_response_validation_error.json"), 400)
        problem = _parcels_problem(payload.get("parcels"))
        if problem:
            return _errors(400, "invalid", problem[1], problem[0])
        from_address = payload.get("from_address") or {}
        route = (from_address.get("country_code"), from_address.get("postal_code"))
        route += (to_address.get("country_code"), to_address.get("postal_code"))
        if needs_customs(*route) and not all(parcel.get("parcel_items") for parcel in payload["parcels"][:1]):
            return _errors(400, "required", "Parcel items are required for customs.", "/parcels/0/parcel_items")
        return None

    def _carrier_refusal(self, payload: dict) -> dict | None:
        """The carrier's refusal of the recipient's postal code (the fixture's 400 body), None when served."""
        to_address = payload.get("to_address") or {}
        if to_address.get("postal_code") not in self.refused_postal_codes:
            return None
        refusal = fixture("announce_response_address_refused.json")
        refusal["errors"][0]["detail"] = (
            f"The postal code {to_address['postal_code']} does not exist in {to_address.get('country_code')} "
            "for this carrier."
        )
        return refusal

    def _public(self, shipment: dict, *, with_file: bool) -> dict:
        """A shipment as Sendcloud shows it: without our bookkeeping, labels linked (and inline for one parcel)."""
        public = {key: value for key, value in shipment.items() if not key.startswith("_")}
        public["parcels"] = []
        for parcel in shipment["parcels"]:
            ready = parcel["status"]["code"] not in {"ANNOUNCING", "ANNOUNCEMENT_FAILED"}
            shown = {key: value for key, value in parcel.items() if not key.startswith("_")}
            shown["documents"] = [
                {**document, "link": f"{self.url}/parcels/{parcel['id']}/documents/{document['type']}"}
                for document in (parcel["_documents"] if ready else ())
            ]
            if not ready:
                shown["tracking_number"] = ""
            if with_file and ready:
                shown["label_file"] = base64.b64encode(self._file(parcel, "label")).decode()
            public["parcels"].append(shown)
        return public

    def _file(self, parcel: dict, kind: str, paper: str = "A6") -> bytes:
        if not self.labels_are_pdf:
            return b"<html><body>Label service unavailable</body></html>"
        return label_pdf(f"SENDCLOUD {kind.upper()} {parcel['tracking_number']}", page=PAPER_SIZES[paper])

    def _shipment(self, payload, shipment_id: str) -> Response:
        shipment = self.shipments.get(shipment_id)
        if shipment is None:
            return _errors(404, "not_found", "Not found.")
        if shipment["_polls"] > 0:
            shipment["_polls"] -= 1
        elif any(parcel["status"]["code"] == "ANNOUNCING" for parcel in shipment["parcels"]):
            failed = shipment["_refusal"]
            for parcel in shipment["parcels"]:
                parcel["status"] = (
                    {"code": "ANNOUNCEMENT_FAILED", "message": "Announcement failed"}
                    if failed
                    else {"code": "READY_TO_SEND", "message": "Ready to send"}
                )
            shipment["errors"] = failed["errors"] if failed else []
        return json_response({"data": self._public(shipment, with_file=False)})

    def _document(self, payload, parcel_id: int, kind: str) -> Response:
        """The document printed on its ``paper_size`` (A4, A5, A6), else on its own (A6 labels, A4 papers)."""
        parcel = next((parcel for parcel in self.parcels() if parcel["id"] == parcel_id), None)
        if parcel is None or kind not in {document["type"] for document in parcel["_documents"]}:
            return _errors(404, "not_found", "No such document.")
        own = next(document["size"] for document in parcel["_documents"] if document["type"] == kind).upper()
        paper = payload.get("paper_size") or own
        if paper not in PAPER_SIZES:
            return _errors(400, "invalid", f'"{paper}" is not a valid choice for paper_size.')
        return Response(self._file(parcel, kind, paper), mimetype="application/pdf")

    def _cancel(self, payload, shipment_id: str) -> Response:
        shipment = self.shipments.get(shipment_id)
        if shipment is None:
            return _errors(404, "not_found", "Not found.")
        codes = {parcel["status"]["code"] for parcel in shipment["parcels"]}
        if codes & {"CANCELLED", "CANCELLING", "DELIVERED"}:
            return json_response(fixture("cancel_response_409.json"), 409)
        queued = self.cancellations_queued
        for parcel in shipment["parcels"]:
            self.add_event(parcel["tracking_number"], "CANCELLING" if queued else "CANCELLED", "2026-12-03T10:00:00Z")
        if queued:
            return json_response(fixture("cancel_response_202.json"), 202)
        return json_response(fixture("cancel_response_200.json"))

    def _tracking(self, payload, number: str) -> Response:
        parcel = next((parcel for parcel in self.parcels() if parcel["tracking_number"] == number), None)
        if parcel is None:
            return json_response({"detail": "Parcel does not exist"}, 404)
        events = [
            {"event_at": at, "event_type": "carrier", "status_code": code, "status_description": message}
            for at, code, message in parcel["_events"]
        ]
        return json_response({"source_id": str(parcel["id"]), "events": events})

    # --- returns ----------------------------------------------------------------------------------------------------

    def _new_return(self, payload) -> Response:
        if not isinstance(payload, dict) or not (payload.get("ship_with") or {}).get("shipping_option_code"):
            return _errors(400, "required", "This field is required.", "/ship_with/shipping_option_code")
        if not (payload.get("weight") or {}).get("value"):
            return _errors(400, "invalid", "Ensure this value is greater than 0.", "/weight/value")
        if (payload.get("from_address") or {}).get("country_code") not in EU and not payload.get("parcel_items"):
            return _errors(400, "required", "Parcel items are required outside the EU.", "/parcel_items")
        return_id = 77120 + len(self.returns)
        parcel = self._new_parcel({}, {}, ready=True)
        self.returns[return_id] = {**payload, "_parcel": parcel, "_polls": self.announce_polls}
        return json_response({"return_id": return_id, "parcel_id": parcel["id"], "multi_collo_ids": []}, 201)

    def _return(self, payload, return_id: int) -> Response:
        returned = self.returns.get(return_id)
        if returned is None:
            return _errors(404, "not_found", "Not found.")
        announced = returned["_polls"] <= 0
        returned["_polls"] -= 1
        parcel = returned["_parcel"]
        shown = {key: value for key, value in returned.items() if not key.startswith("_")}
        return json_response(
            {
                **shown,
                "id": return_id,
                "tracking_number": parcel["tracking_number"] if announced else None,
                "tracking_url": parcel["tracking_url"] if announced else None,
                "is_cancellable": parcel["status"]["code"] not in {"CANCELLING", "CANCELLED"},
                "label_cost": {"value": 4.95, "currency": "EUR"},
            }
        )

    def _cancel_return(self, payload, return_id: int) -> Response:
        returned = self.returns.get(return_id)
        if returned is None:
            return _errors(404, "not_found", "Not found.")
        if returned["_parcel"]["status"]["code"] in {"CANCELLING", "CANCELLED"}:
            return json_response(fixture("return_cancel_response_409.json"), 409)
        self.add_event(returned["_parcel"]["tracking_number"], "CANCELLING", "2026-12-05T10:00:00Z")
        return json_response(fixture("return_cancel_response_202.json"), 202)


def _countries(payload) -> tuple[str, str]:
    if "from_address" in payload:
        return payload["from_address"].get("country_code"), payload["to_address"].get("country_code")
    return payload.get("from_country_code"), payload.get("to_country_code")


def _route_problem(payload) -> tuple[str, str] | None:
    if not isinstance(payload, dict):
        return "", "A request body must be provided."
    legacy = {"from_country_code", "to_country_code", "from_postal_code", "to_postal_code"} & set(payload)
    objects = {"from_address", "to_address"} & set(payload)
    if legacy and objects:
        return "/from_address", "The address objects and the flat country fields cannot be mixed."
    if not all(_countries(payload)):
        return "/to_address/country_code", "This field is required."
    return None


def _parcels_problem(parcels) -> tuple[str, str] | None:
    if not parcels:
        return "/parcels", "At least one parcel must be provided."
    for index, parcel in enumerate(parcels):
        try:
            weight = float(parcel["weight"]["value"])
        except (KeyError, TypeError, ValueError):
            weight = 0.0
        if weight <= 0:
            return f"/parcels/{index}/weight/value", "Ensure this value is greater than 0."
    return None


def _errors(status: int, code: str, detail: str, pointer: str = "") -> Response:
    error = {"status": str(status), "code": code, "detail": detail}
    if pointer:
        error["source"] = {"pointer": pointer}
    return json_response({"errors": [error]}, status)
