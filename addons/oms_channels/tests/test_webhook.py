import json

from odoo.tests import HttpCase, tagged

from ..services.signature import SIGNATURE_HEADER, sign
from .local_marketplace import make_order


@tagged("post_install", "-at_install")
class TestChannelWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["product.product"].create(
            {"name": "Webhook Kettle", "default_code": "WH-KET", "is_storable": True, "list_price": 30.0}
        )
        eur = cls.env.ref("base.EUR")
        eur.active = True
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Webhook EUR", "currency_id": eur.id, "company_id": cls.env.company.id}
        )
        cls.channel = cls.env["oms.channel"].create(
            {
                "name": "Pushing Shop",
                "code": "PUSH",
                "kind": "web_shop",
                "connector": "webhook",
                "pricelist_id": pricelist.id,
                "webhook_secret": "s3cret",
            }
        )
        cls.url = f"/oms/webhook/{cls.channel.id}"

    def post(self, body, signature):
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        return self.url_open(self.url, data=body, headers=headers)

    def staged(self):
        return self.env["oms.channel.order"].search([("channel_id", "=", self.channel.id)])

    def test_unsigned_or_badly_signed_order_is_refused_and_nothing_stored(self):
        body = json.dumps(
            make_order("WH-1", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}], shipping=None)
        ).encode()
        for signature in (None, "sha256=00", sign("not-the-secret", body)):
            response = self.post(body, signature)
            self.assertEqual(response.status_code, 401, signature)
        self.assertFalse(self.staged())

    def test_signed_order_is_imported_once_even_when_pushed_twice(self):
        body = json.dumps(
            make_order("WH-2", lines=[{"sku": "WH-KET", "quantity": 3, "unit_price": 28}], shipping=None)
        ).encode()
        first = self.post(body, sign("s3cret", body))
        self.assertEqual(first.status_code, 200, first.text)
        self.assertEqual(first.json()["state"], "imported")
        second = self.post(body, sign("s3cret", body))
        self.assertEqual(second.json()["sale_order"], first.json()["sale_order"])
        self.assertEqual(len(self.staged()), 1)
        order = self.env["sale.order"].search([("oms_channel_id", "=", self.channel.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.order_line.product_uom_qty, 3)

    def test_signed_but_malformed_order_is_answered_with_its_error(self):
        body = b'{"external_id": "WH-3"}'
        response = self.post(body, sign("s3cret", body))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["state"], "error")
        self.assertIn("customer", response.json()["error"])
        self.assertEqual(self.staged().payload, body.decode())
