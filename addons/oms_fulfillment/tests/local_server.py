"""What the local stand-ins for carriers share: the OMS tests' local WSGI server, and a label PDF."""

from odoo.addons.oms_intelligent.tests.local_server import LocalWsgiServer

__all__ = ["LocalCarrierServer", "LocalWsgiServer", "label_pdf"]


class LocalCarrierServer(LocalWsgiServer):
    """A carrier's web service: its credentials, its tariff (a base price and a price per kg, in one currency), its
    transit time and service, and the shipments it has labelled (tracking numbers start with ``prefix``)."""

    def __init__(
        self,
        api_key: str,
        account: str,
        base_price: float,
        price_per_kg: float,
        currency: str,
        transit_days: int | None,
        service: str,
        prefix: str,
    ):
        super().__init__()
        self.api_key = api_key
        self.account = account
        self.base_price = base_price
        self.price_per_kg = price_per_kg
        self.currency = currency
        self.transit_days = transit_days
        self.service = service
        self.prefix = prefix
        self.shipments: dict[str, dict] = {}


def label_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing ``text`` (a shipping label stand-in)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 36 100 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
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
