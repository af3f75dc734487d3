"""What the local Correos (``correos.py``) answers: the SOAP answers of its pre-registration service and the JSON of
its locator, in the shapes of the fixtures in tests/fixtures/carriers/correos/ (API.md sections 4 to 8)."""

import base64
import copy
import json
from pathlib import Path

from lxml import etree

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "carriers" / "correos"
NAMESPACE = "http://www.correos.es/iris6/services/preregistroetiquetas"
# The parcel's life on the locator, from the fixture: pre-registered, admitted, classified, out for delivery,
# absent, out for delivery, delivered. A parcel shows its first `stage` events.
TRACKING_SCRIPT = json.loads((FIXTURES / "tracking" / "tracking_delivered.json").read_text())[0]
UNKNOWN_CODE = json.loads((FIXTURES / "tracking" / "tracking_unknown_code.json").read_text())[0]
DELIVERED_STAGE = len(TRACKING_SCRIPT["eventos"])
ADMITTED_STAGE = 2


def answer(name: str, result: int, **children) -> etree._Element:
    """A response element with ``FechaRespuesta``, ``Resultado`` and simple children (None left out)."""
    element = etree.Element(f"{{{NAMESPACE}}}{name}", nsmap={None: NAMESPACE})
    child(element, "FechaRespuesta", "03-12-2026 10:15:01")
    child(element, "Resultado", str(result))
    for key, value in children.items():
        if value is not None:
            child(element, key, str(value))
    return element


def child(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        element.text = text
    return element


def parcel_element(parent: etree._Element, parcel: dict, pdf: bytes) -> None:
    """A ``Bulto``: number, code, manifest, the PDF label in base64."""
    bulto = child(parent, "Bulto")
    child(bulto, "NumBulto", str(parcel["number"]))
    child(bulto, "CodEnvio", parcel["code"])
    child(bulto, "CodManifiesto", "M7K3B20261203000001")
    label = child(bulto, "Etiqueta")
    child(label, "Modo", "2")
    document = child(label, "Etiqueta_pdf")
    child(document, "NombreF", f"{parcel['code']}.pdf")
    child(document, "Tipo_Doc", "1")
    child(document, "Fichero", base64.b64encode(pdf).decode())


def parcel_error(parent: etree._Element, number: int | None, code: str, reason: str) -> None:
    error = child(parent, "BultoError")
    if number is not None:
        child(error, "NumBulto", str(number))
    child(error, "Error", code)
    child(error, "DescError", reason)


def validation_errors(parent: etree._Element, code: str, reason: str) -> None:
    error = child(child(parent, "ErroresValidacion"), "ErrorVal")
    child(error, "Error", code)
    child(error, "DescError", reason)


def tracking_json(code: str, stage: int | None) -> list:
    """The locator's answer for a parcel showing its first ``stage`` events (None: a code Correos does not know)."""
    if stage is None:
        return [{**copy.deepcopy(UNKNOWN_CODE), "codEnvio": code}]
    item = copy.deepcopy(TRACKING_SCRIPT)
    item.update(codEnvio=code, eventos=item["eventos"][:stage])
    last = item["eventos"][-1]
    item["resumen_ultimo"] = last["desTextoResumen"]
    if stage < DELIVERED_STAGE:
        item["fec_entregasum"] = None
    return [item]


def text_of(element, path: str) -> str:
    """The text at ``path`` (names in Correos' namespace, separated by ``/``) under ``element``; empty if absent."""
    found = element.find("/".join(f"{{{NAMESPACE}}}{name}" for name in path.split("/")))
    return (found.text or "").strip() if found is not None else ""


def all_of(element, path: str) -> list:
    return element.findall("/".join(f"{{{NAMESPACE}}}{name}" for name in path.split("/")))
