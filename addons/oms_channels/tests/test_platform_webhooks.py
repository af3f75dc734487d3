"""Shopify and WooCommerce push their orders to the channel's webhook address, each signed its own way; Magento 2
and PrestaShop channels have no webhook and refuse whatever is posted there."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

from odoo.tests import HttpCase, tagged

from ..services.signature import SIGNATURE_HEADER, sign

FIXTURES = Path(__file__).parent / "fixtures" / "platforms"
SHOPIFY_SECRET = "oms-fixture-webhook-secret"
WOO_SECRET = "oms-demo-webhook-s3cr3t"


def shopify_delivery(name):
    """(body bytes, headers) of a Shopify webhook fixture, as Shopify delivered it."""
    headers = json.loads((FIXTURES / "shopify" / "webhook_headers.json").read_text())["deliveries"][name]
    return (FIXTURES / "shopify" / name).read_bytes(), headers


def woo_delivery(name):
    """(body bytes, headers, a bad signature) of a WooCommerce webhook fixture."""
    meta = json.loads((FIXTURES / "woocommerce" / f"{name}.headers.json").read_text())
    return (FIXTURES / "woocommerce" / meta["body_file"]).read_bytes(), meta["headers"], meta["bad_signature"]


@tagged("post_install", "-at_install")
class TestPlatformWebhooks(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        eur = cls.env.ref("base.EUR")
        eur.active = True
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Platform webhooks EUR", "currency_id": eur.id, "company_id": cls.env.company.id}
        )
        cls.channels = {
            platform: cls.env["oms.channel"].create(
                {
                    "name": f"{platform} shop",
                    "code": f"WH-{platform.upper()}",
                    "platform": platform,
                    "connector": "webhook",
                    "pricelist_id": pricelist.id,
                    "webhook_secret": secret,
                }
            )
            for platform, secret in (
                ("shopify", SHOPIFY_SECRET),
                ("woocommerce", WOO_SECRET),
                ("magento", "magento-secret"),
                ("prestashop", "prestashop-secret"),
            )
        }

    def post(self, platform, body, headers):
        return self.url_open(f"/oms/webhook/{self.channels[platform].id}", data=body, headers=headers)

    def staged(self, platform):
        return self.env["oms.channel.order"].search([("channel_id", "=", self.channels[platform].id)])

    def test_shopify_order_signed_by_the_shop_is_staged_under_its_order_id(self):
        body, headers = shopify_delivery("webhook_orders_create_1001.json")
        response = self.post("shopify", body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        staged = self.staged("shopify")
        self.assertEqual(staged.external_ref, "5810000001001")
        self.assertEqual(staged.payload, body.decode(), "kept exactly as Shopify sent it")
        self.assertEqual(staged.currency_code, "EUR")
        self.assertTrue(staged.customer_name)

    def test_shopify_body_with_a_wrong_or_missing_signature_is_refused_and_counted(self):
        body, headers = shopify_delivery("webhook_orders_create_1001.json")
        forged = dict(headers, **{"X-Shopify-Hmac-Sha256": "prqu+GkUNEUzaXlsDmjWkRn+v9xG9hYHXwMaiEKZwBA="})
        missing = {key: value for key, value in headers.items() if key != "X-Shopify-Hmac-Sha256"}
        tampered = body.replace(b"OMS-KET-17", b"OMS-KET-18")
        for sent_body, sent_headers in ((body, forged), (body, missing), (tampered, headers)):
            self.assertEqual(self.post("shopify", sent_body, sent_headers).status_code, 401)
        self.assertFalse(self.staged("shopify"))
        self.channels["shopify"].invalidate_recordset()
        self.assertEqual(self.channels["shopify"].webhook_refused_count, 3)

    def test_shopify_webhook_signed_with_the_oms_header_is_refused(self):
        """A Shopify channel checks Shopify's signature only: the OMS's own header does not open it."""
        body, _headers = shopify_delivery("webhook_orders_create_1001.json")
        response = self.post("shopify", body, {SIGNATURE_HEADER: sign(SHOPIFY_SECRET, body)})
        self.assertEqual(response.status_code, 401)

    def test_woocommerce_order_with_a_good_signature_is_staged_a_bad_one_refused(self):
        body, headers, bad_signature = woo_delivery("webhook_order_created_5101")
        refused = self.post("woocommerce", body, dict(headers, **{"X-WC-Webhook-Signature": bad_signature}))
        self.assertEqual(refused.status_code, 401)
        self.assertFalse(self.staged("woocommerce"))
        accepted = self.post("woocommerce", body, headers)
        self.assertEqual(accepted.status_code, 200, accepted.text)
        self.assertEqual(self.staged("woocommerce").external_ref, "5101")

    def test_woocommerce_ping_on_webhook_creation_is_answered_and_nothing_kept(self):
        body = (FIXTURES / "woocommerce" / "webhook_ping.body.txt").read_bytes()
        response = self.post("woocommerce", body, {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(response.status_code, 200, "WooCommerce disables a webhook whose ping fails")
        self.assertFalse(self.staged("woocommerce"))
        self.channels["woocommerce"].invalidate_recordset()
        self.assertEqual(self.channels["woocommerce"].webhook_refused_count, 0)

    def test_magento_and_prestashop_channels_refuse_pushed_bodies(self):
        body, headers = shopify_delivery("webhook_orders_create_1001.json")
        for platform in ("magento", "prestashop"):
            self.assertEqual(self.post(platform, body, headers).status_code, 401, platform)
            self.assertFalse(self.staged(platform))

    def test_shopify_order_the_mapping_cannot_read_is_quarantined_naming_shopifys_field(self):
        body, headers = shopify_delivery("webhook_orders_create_1001.json")
        order = json.loads(body)
        order["line_items"][1].update(sku="", variant_id=None, product_id=None)
        body = json.dumps(order).encode()
        signature = base64.b64encode(hmac.new(SHOPIFY_SECRET.encode(), body, hashlib.sha256).digest()).decode()
        response = self.post("shopify", body, dict(headers, **{"X-Shopify-Hmac-Sha256": signature}))
        self.assertEqual(response.status_code, 200, "received and kept: the order is in error, not refused")
        staged = self.staged("shopify")
        self.assertEqual((staged.external_ref, staged.state), ("5810000001001", "error"))
        self.assertIn("line_items[1]", staged.error_message)
        self.assertEqual(json.loads(staged.payload)["line_items"][1]["sku"], "", "the payload kept as sent")
