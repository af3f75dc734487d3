"""What the local DHL Express (``dhl_express.py``) checks in a rate or shipment request before answering, in DHL's
own refusals (API.md "Errors"): a 422 listing schema problems by path, a 400 for an address it cannot serve, a
product not offered on the lane or a customs shipment without its invoice; and the PDFs it answers with.
"""

import json
import re
from pathlib import Path

from werkzeug.wrappers import Response

from ..services.customs_territory import customs_territory, needs_customs
from .carrier_server import pdf_file

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "carriers" / "dhl_express"
# The products (and prices) of a lane, by destination country; any other country gets the customs lane's.
RATES_BY_COUNTRY = {"ES": "rates_response_es_1_parcel.json", "PT": "rates_response_pt_3_parcels.json"}
OTHER_COUNTRIES_RATES = "rates_response_gb_customs.json"
PLANNED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} ?GMT[+-]\d{2}:\d{2}")
A6, A4 = (298, 420), (595, 842)
# The page of each transport label template (API.md): A6, an 8x4 inch label (DHL's default), that label on A4.
LABEL_PAGES = {"ECOM26_A6_002": A6, "ECOM26_84_001": (288, 576), "ECOM26_84_A4_001": A4}
INCOTERMS = {"EXW", "FCA", "CPT", "CIP", "DPU", "DAP", "DDP", "FAS", "FOB", "CFR", "CIF"}
CLOSE_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
LOCATION_LENGTH = 80  # pickup.location


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def lane_rates(country: str, postal_code: str = "") -> dict:
    """The lane's products: Spain's territories outside the EU VAT area (the Canary Islands, Ceuta, Melilla) are
    customs lanes, as DHL counts them apart from Spain."""
    if country == "ES" and customs_territory(country, postal_code) != "EU":
        return fixture(OTHER_COUNTRIES_RATES)
    return fixture(RATES_BY_COUNTRY.get(country, OTHER_COUNTRIES_RATES))


def problem(status: int, detail: str, title: str = "Bad request", **fields) -> Response:
    """DHL's problem+json error answer."""
    body = {"instance": "/expressapi", "detail": detail, "title": title, "message": title, "status": str(status)}
    return Response(json.dumps({**body, **fields}), status=status, mimetype="application/problem+json")


def fixture_problem(name: str, status: int) -> Response:
    return Response(json.dumps(fixture(name)), status=status, mimetype="application/problem+json")


def _validation(problems: list[str]) -> Response:
    if len(problems) == 1:
        return problem(422, problems[0], "Validation error")
    detail = "Multiple problems found, see Additional Details"
    return problem(422, detail, "Validation error", additionalDetails=problems)


def _package_problems(packages, prefix: str) -> list[str]:
    if not isinstance(packages, list) or not packages:
        return [f"{prefix}: expected minItems: 1, actual: 0"]
    problems = []
    for index, package in enumerate(packages):
        weight = package.get("weight") if isinstance(package, dict) else None
        if not isinstance(weight, int | float) or weight < 0.001:
            problems.append(f"{prefix}/{index}/weight: expected minimum: 0.001, actual: {weight}")
        dimensions = package.get("dimensions") if isinstance(package, dict) else None
        for side in ("length", "width", "height"):
            value = dimensions.get(side) if isinstance(dimensions, dict) else None
            if not isinstance(value, int | float) or value < 1:
                problems.append(f"{prefix}/{index}/dimensions/{side}: expected minimum: 1, actual: {value}")
    return problems


class ShipmentChecks:
    """Mixed into the stand-in: ``account`` and ``refused_postal_codes`` come from it."""

    def _account_refusal(self, accounts) -> Response | None:
        numbers = [account.get("number") for account in accounts or () if isinstance(account, dict)]
        if self.account not in numbers:
            return problem(400, "The account number is not found or invalid")
        return None

    def _address_refusal(self, receiver: dict) -> Response | None:
        postal_code = str(receiver.get("postalCode") or "")
        if postal_code in self.refused_postal_codes:
            detail = (
                f"420504: The receiver postal code {postal_code} is not valid for city {receiver.get('cityName')} "
                f"in country {receiver.get('countryCode')}. Please check the address and retry."
            )
            return problem(400, detail)
        return None

    def rate_refusal(self, body) -> Response | None:
        problems = []
        for key in ("customerDetails", "plannedShippingDateAndTime", "unitOfMeasurement", "isCustomsDeclarable"):
            if key not in body:
                problems.append(f"#: required key [{key}] not found")
        if not PLANNED.fullmatch(str(body.get("plannedShippingDateAndTime", ""))):
            problems.append("#/plannedShippingDateAndTime: string does not match pattern")
        problems += _package_problems(body.get("packages"), "#/packages")
        if problems:
            return _validation(problems)
        return self._account_refusal(body.get("accounts")) or self._address_refusal(
            body["customerDetails"]["receiverDetails"]
        )

    def shipment_refusal(self, body) -> Response | None:
        problems = self._shipment_problems(body)
        if problems:
            return _validation(problems)
        refusal = _customs_refusal(body)
        if refusal:
            return refusal
        receiver = body["customerDetails"]["receiverDetails"]["postalAddress"]
        refusal = self._account_refusal(body.get("accounts")) or self._address_refusal(receiver)
        if refusal:
            return refusal
        if self.lane_product(body) is None:
            detail = f"The requested product {body['productCode']} is not available between this origin and destination"
            return problem(400, f"7008: {detail}")
        return None

    def _shipment_problems(self, body) -> list[str]:
        problems = [
            f"#: required key [{key}] not found"
            for key in ("plannedShippingDateAndTime", "pickup", "productCode", "accounts", "customerDetails", "content")
            if key not in body
        ]
        if problems:
            return problems
        for party in ("shipperDetails", "receiverDetails"):
            details = body["customerDetails"].get(party) or {}
            for section, keys in (
                ("postalAddress", ("addressLine1", "cityName", "countryCode")),
                ("contactInformation", ("phone", "companyName", "fullName")),
            ):
                values = details.get(section) or {}
                problems += [
                    f"#/customerDetails/{party}/{section}/{key}: expected minLength: 1, actual: 0"
                    for key in keys
                    if not values.get(key)
                ]
        content = body["content"]
        problems += _label_and_pickup_problems(body)
        if content.get("incoterm") not in INCOTERMS:
            problems.append(f"#/content/incoterm: {content.get('incoterm')} is not a valid enum value")
        description = str(content.get("description") or "")
        if not 1 <= len(description) <= 70:
            problems.append(f"#/content/description: expected maxLength: 70, actual: {len(description)}")
        problems += _package_problems(content.get("packages"), "#/content/packages")
        for index, item in enumerate((content.get("exportDeclaration") or {}).get("lineItems") or ()):
            if len(str(item.get("manufacturerCountry") or "")) != 2:
                problems.append(
                    f"#/content/exportDeclaration/lineItems/{index}/manufacturerCountry: "
                    "expected minLength: 2, actual: 0"
                )
        return problems

    def lane_product(self, body) -> dict | None:
        """The fixture product of the shipment's product code on its lane, None when the lane has no such product."""
        receiver = body["customerDetails"]["receiverDetails"]["postalAddress"]
        products = lane_rates(receiver["countryCode"], receiver.get("postalCode", ""))["products"]
        return next((product for product in products if product["productCode"] == body["productCode"]), None)


def _customs_refusal(body: dict) -> Response | None:
    """A dutiable shipment (across a customs border) not declared so, or declared without its export declaration or
    commercial invoice."""
    content = body["content"]
    shipper, receiver = (
        body["customerDetails"][party]["postalAddress"] for party in ("shipperDetails", "receiverDetails")
    )
    where = (receiver["countryCode"], receiver.get("postalCode", ""))
    if (
        needs_customs(shipper["countryCode"], shipper.get("postalCode", ""), *where)
        and not content["isCustomsDeclarable"]
    ):
        return problem(400, f"The shipment to {' '.join(where)} is dutiable: isCustomsDeclarable must be true")
    if content["isCustomsDeclarable"] and not content.get("exportDeclaration"):
        return problem(400, "exportDeclaration is required when isCustomsDeclarable is true")
    invoice = [
        option
        for option in body.get("outputImageProperties", {}).get("imageOptions", ())
        if option.get("typeCode") == "invoice" and option.get("isRequested")
    ]
    if content["isCustomsDeclarable"] and not invoice and not body.get("documentImages"):
        detail = (
            "7120: Required either #/outputImageProperties/imageOptions where typeCode=invoice "
            "or provide #/documentImages"
        )
        return problem(400, detail)
    return None


def _label_and_pickup_problems(body: dict) -> list[str]:
    problems = []
    for index, option in enumerate(body.get("outputImageProperties", {}).get("imageOptions", ())):
        if option.get("typeCode") == "label" and option.get("templateName", "ECOM26_84_001") not in LABEL_PAGES:
            problems.append(f"#/outputImageProperties/imageOptions/{index}/templateName: unknown template")
    pickup = body["pickup"]
    if pickup.get("isRequested") and "closeTime" in pickup and not CLOSE_TIME.fullmatch(str(pickup["closeTime"])):
        problems.append(f"#/pickup/closeTime: string [{pickup['closeTime']}] does not match pattern HH:MM")
    if len(str(pickup.get("location") or "")) > LOCATION_LENGTH:
        problems.append(f"#/pickup/location: expected maxLength: {LOCATION_LENGTH}, actual: {len(pickup['location'])}")
    return problems


def label_page(body: dict) -> tuple[int, int]:
    """The page size of the transport label the shipment asks for (DHL's default template without one)."""
    options = body.get("outputImageProperties", {}).get("imageOptions", ())
    label = next((option for option in options if option.get("typeCode") == "label"), {})
    return LABEL_PAGES[label.get("templateName", "ECOM26_84_001")]


def documents_pdf(pages: list[str], a4: bool = False, page: tuple[int, int] | None = None) -> bytes:
    """A valid PDF with one page per text (A6 labels, ``page`` of another size, or A4 for an invoice), as DHL sends
    base64 in its answers: objects 1 catalog, 2 page tree, 3 font, then a content stream and its page for each
    text."""
    width, height = page or (A4 if a4 else A6)
    page_numbers = [5 + 2 * index for index in range(len(pages))]
    kids = " ".join(f"{number} 0 R" for number in page_numbers)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for text, page_number in zip(pages, page_numbers, strict=True):
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")[:180]
        stream = f"BT /F1 8 Tf 12 {height - 30} Td ({safe}) Tj ET".encode("latin-1", "replace")
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents {page_number - 1} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
    return pdf_file(objects)
