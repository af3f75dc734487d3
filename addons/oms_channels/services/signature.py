"""HMAC-SHA256 signatures of webhook bodies, so the OMS only accepts orders pushed by a channel that knows the
shared secret. The header carries ``sha256=<hex digest of the raw body>``; signing and checking are the ones every
OMS endpoint without a login shares (oms_intelligent's ``services/public_body.py``)."""

from odoo.addons.oms_intelligent.services.public_body import sign, signature_matches

SIGNATURE_HEADER = "X-OMS-Signature"

__all__ = ["SIGNATURE_HEADER", "sign", "verify"]


def verify(secret: str, body: bytes, header_value: str | bytes | None) -> bool:
    """True only for the exact signature of body; an unset secret never verifies (fail closed)."""
    return signature_matches(secret, body, header_value)
