"""Sendcloud's parcel_status_changed webhook on Odoo's HTTP server: a signed status moves the delivery, a bad
signature or another carrier's URL changes nothing, an older status than the one known is ignored."""

import hashlib
import hmac
import json
import random

from odoo.addons.oms_fulfillment.stand_ins.sendcloud import FIXTURES, LocalSendcloud
from odoo.tests import HttpCase, tagged

from .common import CarrierCase

SECRET = "oms-sendcloud-webhook-test-secret"


@tagged("post_install", "-at_install")
class TestSendcloudWebhook(CarrierCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sendcloud = cls.env["delivery.carrier"].create(
            {
                "name": "Sendcloud Webhook Test",
                "delivery_type": "oms_sendcloud",
                "product_id": cls._shipping_product("Sendcloud Webhook Test").id,
                "oms_timeout": 1.0,
                "oms_webhook_key": SECRET,
                "oms_default_package_type_id": cls.env.ref("oms_fulfillment.package_type_box_s").id,
            }
        )

    def setUp(self):
        super().setUp()
        self.server = self.enterContext(LocalSendcloud())
        self.sendcloud.write(
            {
                "oms_api_key": self.server.public_key,
                "oms_api_secret": self.server.secret_key,
                "oms_service_url": self.server.url,
            }
        )
        self.picking = self.delivery(carrier=self.sendcloud)
        self.assertIs(self.validate(self.picking), True, self.picking.oms_carrier_error)
        self.assertEqual(self.picking.oms_tracking_status, "pending")

    def body(self, name="webhook_parcel_status_changed_delivered.json"):
        payload = json.loads((FIXTURES / name).read_text())
        payload["parcel"]["tracking_number"] = self.picking.carrier_tracking_ref
        return json.dumps(payload, separators=(",", ":")).encode()

    def post(self, body, secret=SECRET, carrier=None):
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        response = self.url_open(
            f"/oms/carrier/sendcloud/{(carrier or self.sendcloud).id}",
            data=body,
            headers={"Content-Type": "application/json", "Sendcloud-Signature": signature},
        )
        self.picking.invalidate_recordset()
        return response

    def test_a_signed_delivered_status_delivers_the_delivery(self):
        response = self.post(self.body())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["deliveries"], [self.picking.name])
        self.assertEqual(self.picking.oms_tracking_status, "delivered")
        self.assertTrue(self.picking.oms_delivered_date)
        self.assertIn("delivered the shipment", self.picking.message_ids[0].body)

    def test_a_bad_signature_changes_nothing(self):
        response = self.post(self.body(), secret="not-the-key")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.picking.oms_tracking_status, "pending")

    def test_another_carriers_url_is_refused(self):
        response = self.post(self.body(), carrier=self.rest)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.picking.oms_tracking_status, "pending")

    def test_an_older_status_than_the_one_known_is_ignored(self):
        self.post(self.body())
        self.picking.write({"oms_delivered_date": False, "oms_tracking_status": "in_transit"})
        response = self.post(self.body("webhook_parcel_status_changed_in_transit.json"))
        self.assertEqual(response.json()["deliveries"], [])
        self.assertEqual(self.picking.oms_tracking_status, "in_transit")

    def test_the_secret_key_signs_when_there_is_no_webhook_key(self):
        self.sendcloud.oms_webhook_key = False
        response = self.post(self.body(), secret=self.server.secret_key)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.picking.oms_tracking_status, "delivered")

    def test_hostile_signed_bodies_get_a_client_error_or_are_ignored_never_a_server_error(self):
        """Whoever holds the key (or Sendcloud on a bad day) may send anything: mutations of the real body, with a
        fixed seed, each answered below 500 and none moving the delivery, whose parcel number they do not carry."""
        payload = json.loads(self.body())
        payload["parcel"]["tracking_number"] = "NOT-OURS-0"
        hostile = [
            b"",
            b"null",
            b"[]",
            b'["parcel_status_changed"]',
            b"\xff\xfe\x00garbage",
            b'{"action": "parcel_status_changed"}',
            b'{"action": "parcel_status_changed", "parcel": []}',
            b"[" * 5000 + b"]" * 5000,
            json.dumps({**payload, "timestamp": 1e308}).encode(),
            b'{"action": "parcel_status_changed", "timestamp": NaN, "parcel": {"tracking_number": "X1"}}',
        ]
        rng = random.Random(17)
        weird_values = [None, [], {}, [1, 2], {"id": 11}, "", "\x00", "\u202e11", 10**30, -1, 1.5, True, "x" * 70000]
        for _case in range(120):
            mutated = json.loads(json.dumps(payload))
            target = mutated["parcel"] if rng.random() < 0.7 else mutated
            key = rng.choice(sorted(target))
            target[key] = rng.choice(weird_values)
            parcel = mutated.get("parcel")
            if isinstance(parcel, dict):
                if rng.random() < 0.5:
                    parcel["status"] = {"id": rng.choice(weird_values), "message": rng.choice(weird_values)}
                parcel["tracking_number"] = rng.choice(["NOT-OURS-1", "\x00", ["3SOMS"], "3S" * 40000, 42])
            hostile.append(json.dumps(mutated).encode())
        server_errors = []
        for body in hostile:
            response = self.post(body)
            if response.status_code >= 500:
                server_errors.append(body[:200])
        self.assertEqual(server_errors, [], f"{len(server_errors)} of {len(hostile)} bodies met a server error")
        self.assertEqual(self.picking.oms_tracking_status, "pending")
        self.assertEqual(self.post(self.body()).json()["deliveries"], [self.picking.name], "the next good one is read")
