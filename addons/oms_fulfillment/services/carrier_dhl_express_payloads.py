"""The bodies DHL Express's MyDHL API takes (rates, shipments with their export declaration) built from a
:class:`~.carrier.Shipment`, checked before anything is sent: a parcel without weight or size, a recipient without a
phone or a customs line without its origin would only come back as a refusal after a call, in DHL's words.

Field names and limits are those of DHL's OpenAPI file, version 2.12.0 (see the fixtures' ``API.md``).
"""

from datetime import date, datetime, timedelta

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import Address, CarrierError, CustomsLine, Sentence, Shipment, _, joined
from .customs_territory import needs_customs

# DHL refuses a planned shipping time in the past: "now" may already be past when the request arrives.
PLANNED_MARGIN = timedelta(minutes=15)
DESCRIPTION_LENGTH = 70  # content.description, 1-70 characters
REFERENCE_LENGTH = 35  # customerReferences[].value


def planned_shipping(ship_date: date | None, now: datetime, hour: int) -> datetime:
    """When the parcels leave, in the shipper's local time (``now`` is aware): the ship date at ``hour``, never
    earlier than a few minutes from now."""
    day = max(ship_date or now.date(), now.date())
    planned = datetime.combine(day, datetime.min.time(), tzinfo=now.tzinfo).replace(hour=hour)
    return max(planned, now + PLANNED_MARGIN).replace(microsecond=0)


def dhl_datetime(moment: datetime) -> str:
    """``2026-12-04T16:00:00 GMT+01:00``, the form DHL's own 400 answer asks for."""
    offset = moment.strftime("%z") or "+0000"
    return f"{moment:%Y-%m-%dT%H:%M:%S} GMT{offset[:3]}:{offset[3:]}"


def customs_declarable(shipment: Shipment) -> bool:
    return bool(shipment.customs)


def checked_shipment(shipment: Shipment, *, for_label: bool) -> None:
    """CarrierError (not transient) naming what the warehouse has to fix before DHL can be asked."""
    if not shipment.parcels:
        raise CarrierError(_("the delivery has no parcel to ship with DHL Express"), transient=False)
    for index, parcel in enumerate(shipment.parcels, start=1):
        if not parcel.weight or parcel.weight <= 0:
            raise CarrierError(
                _("parcel %(parcel)s has no weight: weigh it before asking DHL Express", parcel=index), transient=False
            )
        if min(parcel.length, parcel.width, parcel.height) < 1:
            raise CarrierError(
                _(
                    "parcel %(parcel)s has no size: DHL Express needs the length, width and height of every parcel "
                    "(set the box on the package)",
                    parcel=index,
                ),
                transient=False,
            )
    for sentence, address in (
        (_("the sender's address has no %(fields)s: DHL Express needs it"), shipment.sender),
        (_("the recipient's address has no %(fields)s: DHL Express needs it"), shipment.recipient),
    ):
        missing = [
            label for label, value in ((_("country"), address.country_code), (_("city"), address.city)) if not value
        ]
        if for_label:
            missing += [
                label for label, value in ((_("street"), address.street), (_("phone"), address.phone)) if not value
            ]
        if missing:
            raise CarrierError(Sentence(sentence.template, {"fields": joined(missing, ", ")}), transient=False)
    if for_label:
        _check_customs(shipment)


def _check_customs(shipment: Shipment) -> None:
    sender, recipient = shipment.sender, shipment.recipient
    if not shipment.customs and needs_customs(sender.country_code, sender.zip, recipient.country_code, recipient.zip):
        raise CarrierError(
            _("a shipment leaving the EU customs union needs customs lines (description, HS code, origin, value)"),
            transient=False,
        )
    for index, line in enumerate(shipment.customs, start=1):
        number = f"{index} ({line.sku})" if line.sku else str(index)
        name = _("customs line %(line)s", line=number)
        if len(line.origin_country or "") != 2:
            raise CarrierError(
                _("%(line)s has no country of origin: set it on the product", line=name), transient=False
            )
        if line.quantity <= 0 or line.unit_value <= 0 or line.weight <= 0:
            raise CarrierError(
                _("%(line)s needs a quantity, a value and a weight above zero", line=name), transient=False
            )
        if not float(line.quantity).is_integer():  # DHL declares whole pieces (quantity.value is an integer)
            raise CarrierError(
                _(
                    "%(line)s has %(units)s units: DHL Express declares whole pieces",
                    line=name,
                    units=format(line.quantity, "g"),
                ),
                transient=False,
            )


def rate_request(shipment: Shipment, account: str, planned: datetime, *, insured_service: bool = False) -> dict:
    """Every product for the route, or with ``insured_service`` only the shipment's product priced with its
    insurance (DHL prices the insurance service per product)."""
    body = {
        "customerDetails": {
            "shipperDetails": _rated_address(shipment.sender),
            "receiverDetails": _rated_address(shipment.recipient),
        },
        "accounts": [{"typeCode": "shipper", "number": account}],
        "plannedShippingDateAndTime": dhl_datetime(planned),
        "unitOfMeasurement": "metric",
        "isCustomsDeclarable": customs_declarable(shipment),
        "nextBusinessDay": True,
        "estimatedDeliveryDate": {"isRequested": True, "typeCode": "QDDC"},
        "returnStandardProductsOnly": False,
        "productTypeCode": "all",
        "packages": [_package(parcel) for parcel in shipment.parcels],
    }
    value = _declared_value(shipment)
    if value:
        body["monetaryAmount"] = [{"typeCode": "declaredValue", "value": value, "currency": shipment.currency}]
    if insured_service:
        insurance = {"serviceCode": "II", "value": round(shipment.insured_value, 2), "currency": shipment.currency}
        body["productsAndServices"] = [{"productCode": shipment.service, "valueAddedServices": [insurance]}]
    return body


def _rated_address(address: Address) -> dict:
    body = {"postalCode": address.zip or "", "cityName": address.city, "countryCode": address.country_code.upper()}
    if address.street:
        body["addressLine1"] = address.street
    return body


def _package(parcel, reference: str = "") -> dict:
    package = {
        "weight": round(parcel.weight, 3),
        "dimensions": {
            "length": max(1, round(parcel.length)),
            "width": max(1, round(parcel.width)),
            "height": max(1, round(parcel.height)),
        },
    }
    if reference:
        package["customerReferences"] = [{"value": reference[:REFERENCE_LENGTH], "typeCode": "CU"}]
    return package


def _declared_value(shipment: Shipment) -> float:
    if shipment.declared_value:
        return round(shipment.declared_value, 2)
    return round(sum(line.quantity * line.unit_value for line in shipment.customs), 2)


def shipment_request(shipment: Shipment, settings: dict, planned: datetime) -> dict:
    """The ``POST /shipments`` body: ``settings`` holds ``account``, ``label_template``, ``incoterm``,
    ``description`` and ``pickup`` (None, or ``{"closeTime": "18:00", "location": "reception"}``)."""
    declarable = customs_declarable(shipment)
    body = {
        "plannedShippingDateAndTime": dhl_datetime(planned),
        "pickup": {"isRequested": True, **settings["pickup"]} if settings["pickup"] else {"isRequested": False},
        "productCode": shipment.service,
        "getRateEstimates": True,
        "accounts": [{"typeCode": "shipper", "number": settings["account"]}],
        "outputImageProperties": _images(settings["label_template"], declarable),
        "customerReferences": [{"value": shipment.reference[:REFERENCE_LENGTH], "typeCode": "CU"}],
        "customerDetails": {
            "shipperDetails": _party(shipment.sender, "business"),
            "receiverDetails": _party(shipment.recipient, "private"),
        },
        "content": _content(shipment, settings, planned),
        "estimatedDeliveryDate": {"isRequested": True, "typeCode": "QDDC"},
    }
    services = []
    if shipment.insured_value:
        services.append({"serviceCode": "II", "value": round(shipment.insured_value, 2), "currency": shipment.currency})
    if declarable and settings["incoterm"] == "DDP":  # the shipper pays duties and taxes: DHL's DUTY TAX PAID
        services.append({"serviceCode": "DD"})
    if services:
        body["valueAddedServices"] = services
    return body


def _images(template: str, declarable: bool) -> dict:
    options = [
        {"typeCode": "label", "templateName": template, "isRequested": True},
        {"typeCode": "waybillDoc", "isRequested": False},
    ]
    if declarable:  # DHL renders the commercial invoice (else it wants our own PDF in documentImages)
        options.append(
            {
                "typeCode": "invoice",
                "templateName": "COMMERCIAL_INVOICE_P_10",
                "isRequested": True,
                "invoiceType": "commercial",
            }
        )
    return {"printerDPI": 300, "encodingFormat": "pdf", "imageOptions": options}


def _party(address: Address, kind: str) -> dict:
    postal = {
        "postalCode": address.zip or "",
        "cityName": address.city,
        "countryCode": address.country_code.upper(),
        "addressLine1": address.street,
    }
    if address.street2:
        postal["addressLine2"] = address.street2
    if address.state:
        postal["countyName"] = address.state
    # DHL requires a company name even for a private person: the person's name is given.
    contact = {"phone": address.phone, "companyName": address.name, "fullName": address.name}
    if address.email:
        contact["email"] = address.email
    return {"postalAddress": postal, "contactInformation": contact, "typeCode": kind}


def _content(shipment: Shipment, settings: dict, planned: datetime) -> dict:
    parcels = shipment.parcels
    content = {
        "packages": [
            _package(parcel, parcel.reference or f"{shipment.reference}-{index}")
            for index, parcel in enumerate(parcels, start=1)
        ],
        "isCustomsDeclarable": customs_declarable(shipment),
        "description": _description(shipment, settings["description"]),
        "incoterm": settings["incoterm"],
        "unitOfMeasurement": "metric",
    }
    value = _declared_value(shipment)
    if value:
        content.update(declaredValue=value, declaredValueCurrency=shipment.currency)
    if shipment.customs:
        content["exportDeclaration"] = export_declaration(shipment, planned)
    return content


def _description(shipment: Shipment, default: str) -> str:
    words = ", ".join(dict.fromkeys(line.description.strip() for line in shipment.customs if line.description))
    text = (words or default or "Goods").strip()
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 3].rstrip() + "..."


def export_declaration(shipment: Shipment, planned: datetime) -> dict:
    """The commercial invoice's lines: unit price, quantity, HS code, origin and weights of each."""
    return {
        "lineItems": [_line_item(number, line) for number, line in enumerate(shipment.customs, start=1)],
        "invoice": {
            "number": shipment.reference[:REFERENCE_LENGTH],
            "date": planned.date().isoformat(),
            "totalNetWeight": round(sum(line.weight for line in shipment.customs), 3),
            "totalGrossWeight": round(shipment.weight, 3),
        },
        "exportReason": "Sale",
        "exportReasonType": "commercial_purpose_or_sale",
        "shipmentType": "commercial",
    }


def _line_item(number: int, line: CustomsLine) -> dict:
    item = {
        "number": number,
        "description": (line.description or line.sku or "Goods")[:512],
        "price": round(line.unit_value, 2),
        "quantity": {"value": int(line.quantity), "unitOfMeasurement": "PCS"},
        "exportReasonType": "commercial_purpose_or_sale",
        "manufacturerCountry": line.origin_country.upper(),
        "weight": {"netValue": round(line.weight, 3), "grossValue": round(line.weight, 3)},
    }
    if line.hs_code:
        item["commodityCodes"] = [{"typeCode": "outbound", "value": line.hs_code.replace(".", "").strip()}]
    return item
