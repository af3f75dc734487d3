"""Sendcloud as the company's returns provider: a return label from its Returns API (the customer's address to
the warehouse), then the returned parcel tracked until it reaches the warehouse."""

import hashlib
import hmac
import json

from odoo.addons.oms_fulfillment.stand_ins.sendcloud import FIXTURES, LocalSendcloud
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_returns import ReturnCase

RETURN_SERVICE = "correos:return/drop_off"


@tagged("post_install", "-at_install")
class TestSendcloudReturns(ReturnCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.server = self.enterContext(LocalSendcloud())
        self.tent.weight = 3.0
        self.customer.write({"street": "Calle Sierpes 45", "city": "Sevilla", "zip": "41004"})
        product = self.env["product.product"].create({"name": "Sendcloud returns", "type": "service"})
        self.carrier = self.env["delivery.carrier"].create(
            {
                "name": "Sendcloud Returns",
                "delivery_type": "oms_sendcloud",
                "product_id": product.id,
                "oms_api_key": self.server.public_key,
                "oms_api_secret": self.server.secret_key,
                "oms_service_url": self.server.url,
                "oms_return_service_code": RETURN_SERVICE,
                "oms_timeout": 1.0,
            }
        )
        self.company.write({"oms_returns_carrier_id": self.carrier.id, "oms_returns_provider_url": False})
        order = self.delivered_order(tent=1, lamp=0)
        self.rma = self.new_return(order, {self.tent: 1})
        self.rma.action_approve()

    def test_the_return_label_comes_from_sendcloud_and_the_parcel_is_tracked_to_the_warehouse(self):
        self.rma.action_oms_get_return_label()
        self.assertTrue(self.rma.provider_tracking_ref)
        self.assertEqual(self.rma.provider_status, "label_created")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "oms.return"), ("res_id", "=", self.rma.id)])
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        (sent,) = self.server.returns.values()
        self.assertEqual(sent["from_address"]["postal_code"], "41004")
        self.assertEqual(sent["to_address"]["city"], "Madrid")
        self.assertEqual(sent["ship_with"]["shipping_option_code"], RETURN_SERVICE)
        self.assertEqual(sent["weight"]["value"], 3.0)
        self.server.add_event(self.rma.provider_tracking_ref, "DELIVERED", "2026-12-06T10:00:00Z")
        self.rma.action_oms_check_return_status()
        self.assertEqual(self.rma.provider_status, "delivered")
        self.assertTrue(self.rma.activity_ids, "someone is asked to check and receive the parcel")

    def test_a_sendcloud_refusal_is_said_in_words(self):
        self.carrier.oms_return_service_code = False
        with self.assertRaisesRegex(UserError, "choose a Sendcloud return service"):
            self.rma.action_oms_get_return_label()
        self.assertFalse(self.rma.provider_tracking_ref)

    def test_sendclouds_webhook_tells_the_return_its_parcel_arrived(self):
        self.rma.action_oms_get_return_label()
        payload = json.loads((FIXTURES / "webhook_parcel_status_changed_delivered.json").read_text())
        payload["parcel"]["tracking_number"] = self.rma.provider_tracking_ref
        body = json.dumps(payload).encode()
        signature = hmac.new(self.server.secret_key.encode(), body, hashlib.sha256).hexdigest()
        response = self.url_open(
            f"/oms/carrier/sendcloud/{self.carrier.id}",
            data=body,
            headers={"Content-Type": "application/json", "Sendcloud-Signature": signature},
        )
        self.assertEqual(response.json()["returns"], [self.rma.name])
        self.rma.invalidate_recordset()
        self.assertEqual(self.rma.provider_status, "delivered")
