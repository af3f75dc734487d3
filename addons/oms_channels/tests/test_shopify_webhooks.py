"""Shopify webhooks: the signature of a delivery (base64 HMAC-SHA256 of the raw body) and what its topic means for
the staged order (plain pytest on the fixture deliveries)."""

import json

import pytest
from werkzeug.datastructures import Headers

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.platforms.shopify import map_staged, verify_webhook, webhook_topic
from odoo.addons.oms_channels.stand_ins.shopify import FIXTURES

WEBHOOK_SECRET = "oms-fixture-webhook-secret"

DELIVERIES = json.loads((FIXTURES / "webhook_headers.json").read_text(encoding="utf-8"))["deliveries"]


@pytest.mark.parametrize("name", sorted(DELIVERIES))
def test_webhook_signatures(name):
    body = (FIXTURES / name).read_bytes()
    headers = DELIVERIES[name]
    assert verify_webhook(WEBHOOK_SECRET, body, headers)
    assert verify_webhook(WEBHOOK_SECRET, body, {key.lower(): value for key, value in headers.items()})
    assert verify_webhook(WEBHOOK_SECRET, body, Headers(headers))  # as the controller's request gives them
    assert not verify_webhook(WEBHOOK_SECRET, body.replace(b"}", b" }", 1), headers)
    signature = headers["X-Shopify-Hmac-Sha256"]
    altered = ("B" if signature[0] == "A" else "A") + signature[1:]
    assert not verify_webhook(WEBHOOK_SECRET, body, {**headers, "X-Shopify-Hmac-Sha256": altered})
    assert not verify_webhook(WEBHOOK_SECRET, body, {**headers, "X-Shopify-Hmac-Sha256": "not base64!"})
    assert not verify_webhook("another-secret", body, headers)
    assert not verify_webhook("", body, headers)
    assert not verify_webhook(WEBHOOK_SECRET, body, {"X-Shopify-Topic": headers["X-Shopify-Topic"]})
    assert parse_channel_order(map_staged(json.loads(body))).external_id


def test_webhook_topics():
    def topic(value):
        return webhook_topic({"x-shopify-topic": value})

    assert topic("orders/create") == "create"
    assert [topic(t) for t in ("orders/updated", "orders/paid", "orders/edited")] == ["update"] * 3
    assert topic("orders/cancelled") == "cancel"
    assert [topic(t) for t in ("refunds/create", "orders/delete", "products/update", "")] == [None] * 4
    assert webhook_topic({}) is None
