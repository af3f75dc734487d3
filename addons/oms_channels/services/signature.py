"""HMAC-SHA256 signatures of webhook bodies, so the OMS only accepts orders pushed by a channel that knows the
shared secret. The header carries ``sha256=<hex digest of the raw body>``."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-OMS-Signature"
SIGNATURE_PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(secret: str, body: bytes, header_value: str | None) -> bool:
    """True only for the exact signature of body; an unset secret never verifies (fail closed)."""
    if not secret or not header_value or not header_value.startswith(SIGNATURE_PREFIX):
        return False
    # compare_digest takes the same time wherever the strings differ, so the digest cannot be guessed byte by byte.
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header_value.strip().encode("utf-8", "replace"))
