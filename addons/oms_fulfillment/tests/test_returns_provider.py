import json

from odoo.addons.oms_fulfillment.stand_ins.returns_provider import LocalReturnsProvider, sign
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_returns import ReturnCase


@tagged("post_install", "-at_install")
class TestReturnsProvider(ReturnCase):
    """Return labels and return statuses from the returns provider (a local stand-in)."""

    def test_label_is_attached_and_the_status_comes_by_poll_and_by_webhook(self):
        order = self.delivered_order(tent=1, lamp=0)
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        with LocalReturnsProvider(api_key="rp-key") as provider:
            self.company.write({"oms_returns_provider_url": provider.url, "oms_returns_provider_key": "rp-key"})
            rma.action_oms_get_return_label()
            self.assertEqual(rma.provider_tracking_ref, "RET00000001")
            self.assertEqual(rma.provider_status, "label_created")
            attachment = self.env["ir.attachment"].search([("res_model", "=", "oms.return"), ("res_id", "=", rma.id)])
            self.assertEqual(attachment.name, "RET00000001.pdf")
            self.assertTrue(attachment.raw.startswith(b"%PDF"))
            sent = provider.returns["RET00000001"]["payload"]
            self.assertEqual(sent["reference"], rma.name)
            self.assertEqual(sent["items"][0]["quantity"], 1.0)

            provider.returns["RET00000001"]["status"] = "in_transit"
            rma.action_oms_check_return_status()
            self.assertEqual(rma.provider_status, "in_transit")

        Return = self.env["oms.return"]
        body = json.dumps({"tracking_number": "RET00000001", "status": "delivered"}).encode()
        self.assertFalse(
            Return._oms_provider_webhook(body, sign(body, "wrong-key")), "a wrong signature changes nothing"
        )
        self.assertFalse(Return._oms_provider_webhook(body, None), "nor does a missing one")
        self.assertEqual(rma.provider_status, "in_transit")
        self.assertEqual(Return._oms_provider_webhook(body, sign(body, "rp-key")), rma)
        self.assertEqual(rma.provider_status, "delivered")
        self.assertTrue(rma.activity_ids, "someone is asked to check and receive the parcel")

    def test_provider_errors_are_said_in_words(self):
        order = self.delivered_order(tent=1, lamp=0)
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        self.company.oms_returns_provider_url = False
        with self.assertRaisesRegex(UserError, "No returns provider"):
            rma.action_oms_get_return_label()
        with LocalReturnsProvider(api_key="rp-key") as provider:
            self.company.write({"oms_returns_provider_url": provider.url, "oms_returns_provider_key": "bad"})
            with self.assertRaisesRegex(UserError, "invalid API key"):
                rma.action_oms_get_return_label()
        self.assertFalse(rma.provider_tracking_ref)
