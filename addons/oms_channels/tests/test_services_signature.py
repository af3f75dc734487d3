"""Webhook signatures (plain pytest, no database)."""

import hashlib
import hmac

from odoo.addons.oms_channels.services.signature import SIGNATURE_HEADER, sign, verify

BODY = b'{"external_id": "MK-1001"}'


def test_signature_is_the_hmac_sha256_of_the_body():
    expected = hmac.new(b"webhook-secret", BODY, hashlib.sha256).hexdigest()
    assert sign("webhook-secret", BODY) == f"sha256={expected}"
    assert SIGNATURE_HEADER == "X-OMS-Signature"


def test_valid_signature_is_accepted():
    assert verify("webhook-secret", BODY, sign("webhook-secret", BODY))


def test_tampered_body_or_other_secret_is_refused():
    signature = sign("webhook-secret", BODY)
    assert not verify("webhook-secret", BODY + b" ", signature)
    assert not verify("another-secret", BODY, signature)


def test_missing_or_malformed_signature_is_refused():
    digest = sign("webhook-secret", BODY).removeprefix("sha256=")
    assert not verify("webhook-secret", BODY, "")
    assert not verify("webhook-secret", BODY, None)
    assert not verify("webhook-secret", BODY, digest), "the sha256= prefix is required"
    assert not verify("webhook-secret", BODY, "sha1=" + digest)
    assert not verify("webhook-secret", BODY, "sha256=ñ" + digest[1:]), "non-ASCII input is refused, not an error"


def test_empty_secret_never_verifies():
    assert not verify("", BODY, sign("", BODY))
