"""What the Correos client (``carrier_correos.py``) sends: the bodies of ``PreRegistro``, ``PreRegistroMultibulto``
and ``CalculaTarifa`` built from a :class:`~.carrier.Shipment`, in Correos' units (grams, whole centimetres, euro
cents) and within its schema's lengths (tests/fixtures/carriers/correos/API.md, sections 2 and 4).

Values that do not fit raise a CarrierError naming the field, rather than being cut: a cut street or a wrong customs
value would travel on the label.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from . import customs_territory

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import Address, CarrierError, CustomsLine, Parcel, Sentence, Shipment, _

MADRID = ZoneInfo("Europe/Madrid")
MAX_GRAMS = 99_999  # Valor holds at most 5 digits
MAX_CENTS = 999_999  # money fields hold at most 6 digits
MAX_CUSTOMS_LINES = 5


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    transit_days: int | None


# Correos' products (CodProducto), with the transit time Correos announces (the upper bound of its range).
PRODUCTS = {
    product.code: product
    for product in (
        Product("S0235", "Paq Premium, home delivery", 2),
        Product("S0132", "Paq Estándar, home delivery", 3),
        Product("S0410", "Paq Standard Internacional", None),
        Product("S0360", "Paq Light Internacional", None),
    )
}
# Rated when the shipment names no product: the home deliveries (office and locker products need a chosen office).
DOMESTIC_PRODUCTS = ("S0235", "S0132")
DEFAULT_DOMESTIC_PRODUCT = "S0132"  # labels of a shipment that names no product: the standard one
INTERNATIONAL_PRODUCT = "S0410"


def operation_date() -> str:
    """``FechaOperacion``: now in Madrid, ``DD-MM-YYYY HH:MM:SS``."""
    return datetime.now(MADRID).strftime("%d-%m-%Y %H:%M:%S")


def is_domestic(shipment: Shipment) -> bool:
    return _country(shipment.sender) == "ES" and _country(shipment.recipient) == "ES"


def needs_customs(shipment: Shipment) -> bool:
    """Goods leave a customs or VAT area (``customs_territory``): a destination outside the EU, or the Canary
    Islands, Ceuta or Melilla at either end (not between Gran Canaria and Tenerife)."""
    sender, recipient = shipment.sender, shipment.recipient
    return customs_territory.needs_customs(sender.country_code, sender.zip, recipient.country_code, recipient.zip)


def parcel_grams(parcel: Parcel) -> tuple[int, int]:
    """The real and the volumetric weight in grams (L x W x H cm / 6; 0 when a size is unknown)."""
    real = math.ceil(round(parcel.weight * 1000, 3))
    volumetric = round(parcel.length * parcel.width * parcel.height / 6)
    for grams in (real, volumetric):
        if grams > MAX_GRAMS:
            raise CarrierError(
                _(
                    "a parcel of %(weight)s kg (real or by its size) is over the 99.999 kg Correos accepts",
                    weight=format(grams / 1000, "g"),
                ),
                transient=False,
            )
    if real <= 0:
        raise CarrierError(_("a parcel has no weight: weigh it before asking Correos"), transient=False)
    return real, volumetric


def rate_request(shipment: Shipment, parcel: Parcel, product: str, labeller: str) -> dict:
    """``CalculaTarifa`` of one parcel, priced on the greater of its real and volumetric weight."""
    return {
        "FechaOperacion": operation_date(),
        "CodEtiquetador": labeller,
        "CPRemitente": _postcode(shipment.sender, "sender"),
        "CPDestinatario": _postcode(shipment.recipient, "recipient"),
        "CodProducto": product,
        "TipoPeso": "R",
        "Valor": str(max(parcel_grams(parcel))),
        "IdiomaErrores": "EN",
    }


def parcel_reference(shipment: Shipment, number: int) -> str:
    """``ReferenciaCliente`` of the parcel: our delivery's name and the parcel's number, found again after a
    time-out (``SolicitudEtiquetaRefCliOp``)."""
    return _fit(f"{shipment.reference}/{number}", 100, _("the delivery's reference"))


def registration(shipment: Shipment, product: str, account: dict) -> tuple[str, dict]:
    """The operation and body that pre-register the shipment: ``PreRegistro`` for one parcel,
    ``PreRegistroMultibulto`` for several (product, delivery mode and insurance given once)."""
    customs = _customs(shipment) if needs_customs(shipment) else None
    head = {
        "FechaOperacion": operation_date(),
        "CodEtiquetador": account["labeller_code"],
        "NumContrato": account.get("contract_number") or None,
        "NumCliente": account.get("customer_number") or None,
        "Care": "000000",
        "TotalBultos": len(shipment.parcels),
        "ModDevEtiqueta": "2",  # PDF
        "Remitente": _party(shipment.sender, "sender", company=True),
        "Destinatario": _party(shipment.recipient, "recipient", company=False),
        "IdiomaErrores": "EN",
    }
    added = _added_values(shipment)
    expedition = shipment.reference[:30]
    if len(shipment.parcels) == 1:
        envio = {"CodProducto": product, **_parcel(shipment, 1, customs, account)}
        envio.update(TipoFranqueo="FP", ModalidadEntrega="ST", ValoresAnadidos=added, ReferenciaExpedicion=expedition)
        return "PreRegistro", {**head, "Envio": _in_schema_order(envio)}
    parcels = [
        _parcel(shipment, number, customs if number == 1 else None, account)
        for number in range(1, len(shipment.parcels) + 1)
    ]
    return "PreRegistroMultibulto", {
        **head,
        "Envios": {"Envio": parcels},
        "CodProducto": product,
        "ReferenciaExpedicion": expedition,
        "ValoresAnadidos": added,
        "ModalidadEntrega": "ST",
        "TipoFranqueo": "FP",
    }


# Envio of one parcel is an xs:sequence: zeep sends its keys in the schema's order anyway; kept for readers.
ENVIO_ORDER = (
    "NumBulto CodProducto ReferenciaCliente TipoFranqueo Pesos ModalidadEntrega Largo Alto Ancho ValoresAnadidos "
    "InstruccionesDevolucion Aduana ReferenciaExpedicion"
).split()


def _in_schema_order(envio: dict) -> dict:
    return {key: envio[key] for key in ENVIO_ORDER if key in envio}


def _parcel(shipment: Shipment, number: int, customs: dict | None, account: dict) -> dict:
    parcel = shipment.parcels[number - 1]
    real, volumetric = parcel_grams(parcel)
    weights = [{"TipoPeso": "R", "Valor": str(real)}]
    if volumetric:
        weights.append({"TipoPeso": "V", "Valor": str(volumetric)})
    sizes = [math.ceil(value) or None for value in (parcel.length, parcel.height, parcel.width)]
    body = {
        "NumBulto": number if len(shipment.parcels) > 1 else None,
        "ReferenciaCliente": parcel_reference(shipment, number),
        "Pesos": {"Peso": weights},
        "Largo": sizes[0],
        "Alto": sizes[1],
        "Ancho": sizes[2],
        "InstruccionesDevolucion": "D",  # return to the sender when it cannot be delivered
    }
    if customs is not None:
        body["Aduana"] = {**customs, "RefAduaneraExpedidor": account.get("customs_reference") or None}
    return body


def _added_values(shipment: Shipment) -> dict | None:
    if not shipment.insured_value:
        return None
    return {"ImporteSeguro": str(_cents(shipment.insured_value, shipment.currency, _("the insured value")))}


def _customs(shipment: Shipment) -> dict:
    """``Aduana`` with the shipment's customs lines (on the first parcel: the declaration covers the shipment)."""
    lines = shipment.customs
    if not lines:
        raise CarrierError(
            _(
                "the shipment to %(country)s leaves the EU's customs area and has no customs lines: give its products "
                "a value, HS code and origin",
                country=_country(shipment.recipient) or _("its destination"),
            ),
            transient=False,
        )
    if len(lines) > MAX_CUSTOMS_LINES:
        raise CarrierError(
            _(
                "Correos takes at most %(most)s customs lines and the shipment has %(count)s: group the products by "
                "kind of goods",
                most=MAX_CUSTOMS_LINES,
                count=len(lines),
            ),
            transient=False,
        )
    total = sum(line.unit_value * line.quantity for line in lines)
    return {
        "TipoEnvio": "2",  # what Correos' own module sends for merchandise
        "EnvioComercial": "S",
        "FacturaSuperiora500": "S" if total > 500 else "N",
        "DUAConCorreos": "N",
        "DescAduanera": {"DATOSADUANA": [_customs_line(line, shipment.currency) for line in lines]},
        "NumTelefonoImportador": _phone(shipment.recipient.phone),
        "DesEmailImportador": _optional(shipment.recipient.email, 100),
    }


def _customs_line(line: CustomsLine, currency: str) -> dict:
    quantity = int(line.quantity)
    if quantity != line.quantity or quantity <= 0:
        raise CarrierError(
            _("customs line %(line)r: Correos needs a whole quantity", line=line.description), transient=False
        )
    return {
        "Cantidad": quantity,
        "Descripcion": _fit(line.description, 100, _("a customs line's description")),
        "Pesoneto": str(math.ceil(round(line.weight * 1000, 3))),
        "Valorneto": str(
            _cents(line.unit_value * quantity, currency, _("customs line %(line)r", line=line.description))
        ),
        "NTarifario": _optional(line.hs_code.replace(".", "").replace(" ", ""), 10),
        "PaisOrigen": (line.origin_country or "").upper()[:2] or None,
    }


def _party(address: Address, who: str, company: bool) -> dict:
    # The warehouse ships as a company; a receiver is named as the order names them.
    name_field, limit = ("Empresa", 150) if company else ("Nombre", 300)
    identity = {name_field: _fit(address.name, limit, _party_field(who, "name"))}
    street = ", ".join(part for part in (address.street, address.street2) if part)
    party = {
        "Identificacion": identity,
        "DatosDireccion": {
            "Direccion": _fit(street, 100, _party_field(who, "street")),
            "Localidad": _fit(address.city, 100, _party_field(who, "city")),
            "Provincia": _optional(address.state, 40),
        },
        "Pais": _country(address) or None,
        "Telefonocontacto": _phone(address.phone),
        "Email": _optional(address.email, 50),
    }
    if _country(address) in ("ES", "AD"):
        party["CP"] = _postcode(address, who)
    else:
        party["ZIP"] = _fit(address.zip, 10, _party_field(who, "postcode"))
    return party


def _postcode(address: Address, who: str) -> str:
    postcode = (address.zip or "").strip()
    if len(postcode) != 5 or not postcode.isdigit():
        raise CarrierError(
            _(
                "%(field)s %(postcode)r is not a 5-digit Spanish postcode",
                field=_party_field(who, "postcode"),
                postcode=postcode,
            ),
            transient=False,
        )
    return postcode


def _party_field(who: str, name: str) -> Sentence:
    """ "the sender's street" and the like, each a whole sentence so that it translates well."""
    return {
        ("sender", "name"): _("the sender's name"),
        ("sender", "street"): _("the sender's street"),
        ("sender", "city"): _("the sender's city"),
        ("sender", "postcode"): _("the sender's postcode"),
        ("recipient", "name"): _("the recipient's name"),
        ("recipient", "street"): _("the recipient's street"),
        ("recipient", "city"): _("the recipient's city"),
        ("recipient", "postcode"): _("the recipient's postcode"),
    }[(who, name)]


def _cents(amount: float, currency: str, what: Sentence) -> int:
    if (currency or "EUR").upper() != "EUR":
        raise CarrierError(
            _("%(what)s is in %(currency)s: Correos takes euros only", what=what, currency=currency), transient=False
        )
    cents = round(amount * 100)
    if cents > MAX_CENTS:
        raise CarrierError(_("%(what)s is over the 9,999.99 EUR Correos accepts", what=what), transient=False)
    return cents


def _fit(value: str, limit: int, what: Sentence) -> str:
    text = (value or "").strip()
    if not text:
        raise CarrierError(_("%(what)s is missing", what=what), transient=False)
    if len(text) > limit:
        raise CarrierError(
            _("%(what)s is longer than the %(limit)s characters Correos accepts", what=what, limit=limit),
            transient=False,
        )
    return text


def _optional(value: str, limit: int) -> str | None:
    """An optional field: left out when empty or too long for Correos (it only helps the courier)."""
    text = (value or "").strip()
    return text if text and len(text) <= limit else None


def _phone(value: str) -> str | None:
    digits = "".join(character for character in value or "" if character.isdigit())
    return digits if 0 < len(digits) <= 15 else None


def _country(address: Address) -> str:
    return (address.country_code or "").strip().upper()
