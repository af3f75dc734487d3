"""What the local stand-ins for carriers share: a carrier's credentials, tariff and shipments, and a label PDF.

``CarrierServed`` is a mixin of a local server (oms_intelligent's ``stand_ins/http_server.py``), so that a REST and a
SOAP stand-in can both be carriers; each sets its own defaults as class attributes.
"""


class CarrierServed:
    """A carrier's web service: its credentials, its tariff (a base price and a price per kg, in one currency), its
    transit time and service, and the shipments it has labelled (tracking numbers start with ``prefix``). The
    keyword arguments of the constructor replace the class's defaults."""

    api_key = ""
    account = ""
    base_price = 0.0
    price_per_kg = 0.0
    currency = "EUR"
    transit_days: int | None = None
    service = ""
    prefix = ""
    SETTINGS = ("api_key", "account", "base_price", "price_per_kg", "currency", "transit_days", "service", "prefix")

    def __init__(self, **settings):
        unknown = set(settings) - set(self.SETTINGS)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no setting {', '.join(sorted(unknown))}")
        super().__init__()
        for name, value in settings.items():
            setattr(self, name, value)
        self.shipments: dict[str, dict] = {}

    def price(self, weights) -> float:
        """What a shipment of parcels of these weights (kg) costs."""
        return round(self.base_price + self.price_per_kg * sum(weights), 2)

    def new_shipment(self, shipment) -> str:
        """Its tracking number; the shipment is labelled."""
        with self.lock:
            number = f"{self.prefix}{len(self.shipments) + 1:06d}"
            self.shipments[number] = {"shipment": shipment, "status": "label_created", "delivered_at": None}
        return number

    def shipment_refusal(self, weights: list, country) -> str | None:
        """Why a shipment of parcels of these weights (kg; None when unreadable) to this country is refused."""
        if not weights:
            return "the shipment has no parcels"
        for index, weight in enumerate(weights, start=1):
            if not weight or weight <= 0:
                return f"parcel {index} has no weight"
        return None if country else "the recipient has no country"

    def set_status(self, number: str, status: str, delivered_at: str | None = None) -> None:
        with self.lock:
            self.shipments[number].update(status=status, delivered_at=delivered_at)

    def cancel(self, number: str) -> str:
        """Cancels the shipment: ``cancelled``, or why it cannot be: ``unknown``, ``delivered``."""
        with self.lock:
            shipment = self.shipments.get(number)
            if shipment is None:
                return "unknown"
            if shipment["status"] == "delivered":
                return "delivered"
            shipment["status"] = "cancelled"
        return "cancelled"


def label_pdf(text: str, page: tuple[int, int] = (288, 432)) -> bytes:
    """A small valid one-page PDF showing ``text`` (a shipping label stand-in), on a ``page`` of (width, height)
    points: 4 x 6 inches unless told."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 36 100 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page[0]} {page[1]}] /Contents 4 0 R ".encode()
        + b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF file of these numbered objects (the first the catalog), with the cross-reference table a reader needs."""
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    pdf += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return pdf
