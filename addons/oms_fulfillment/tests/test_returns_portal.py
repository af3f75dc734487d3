import json
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .local_returns_provider import sign
from .test_returns import ReturnCase


@tagged("post_install", "-at_install")
class TestReturnPortal(HttpCase, ReturnCase):
    """Customers return items of their own orders on the portal, and only of theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, "lucia_portal", groups="base.group_portal", partner_id=cls.customer.id)
        cls.stranger = cls.env["res.partner"].create({"name": "Another Customer", "email": "other@example.com"})

    def test_portal_user_returns_items_of_their_own_order_only(self):
        own = self.delivered_order(tent=2, lamp=0)
        others = self.delivered_order(tent=1, lamp=0, partner=self.stranger)
        rma = self.new_return(others, {self.tent: 1})
        self.authenticate("lucia_portal", "lucia_portal")

        response = self.url_open(f"/my/orders/{others.id}/return", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"), "another customer's order: back to /my")

        response = self.url_open(f"/my/orders/{own.id}/return")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'name="qty_{own.order_line.id}"', response.text)

        response = self.url_open("/my/returns")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(rma.name, response.text, "another customer's return is not listed")

        response = self.url_open(f"/my/orders/{own.id}")
        self.assertIn(f"/my/orders/{own.id}/return", response.text, "the order page offers Return items")

    def test_portal_user_asks_for_a_return_and_cannot_post_one_for_another_customer(self):
        own = self.delivered_order(tent=2, lamp=0)
        others = self.delivered_order(tent=1, lamp=0, partner=self.stranger)
        self.authenticate("lucia_portal", "lucia_portal")
        page = self.url_open(f"/my/orders/{own.id}/return").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

        response = self.url_open(
            f"/my/orders/{others.id}/return",
            data={"csrf_token": csrf, f"qty_{others.order_line.id}": "1", "reason": "defective"},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertFalse(self.env["oms.return"].search([("sale_order_id", "=", others.id)]), "nothing created")

        response = self.url_open(
            f"/my/orders/{own.id}/return",
            data={"csrf_token": csrf, f"qty_{own.order_line.id}": "5", "reason": "defective"},
        )
        self.assertIn("could not be accepted", response.text)
        self.assertIn("5.0 asked, only 2.0 delivered", response.text)
        self.assertFalse(self.env["oms.return"].search([("sale_order_id", "=", own.id)]))

        response = self.url_open(
            f"/my/orders/{own.id}/return",
            data={"csrf_token": csrf, f"qty_{own.order_line.id}": "1", "reason": "wrong_item", "outcome": "exchange"},
        )
        rma = self.env["oms.return"].search([("sale_order_id", "=", own.id)])
        self.assertEqual(len(rma), 1)
        self.assertEqual(
            (rma.state, rma.reason, rma.outcome, rma.line_ids.quantity), ("draft", "wrong_item", "exchange", 1.0)
        )
        self.assertIn(rma.name, response.text, "listed in the customer's returns")

    def test_returns_provider_webhook_updates_the_return_with_the_companys_key_only(self):
        order = self.delivered_order(tent=1, lamp=0)
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        rma.provider_tracking_ref = "RET00000042"
        self.company.oms_returns_provider_key = "hook-key"
        body = json.dumps({"tracking_number": "RET00000042", "status": "in_transit"})
        headers = {"Content-Type": "application/json"}

        signed = {**headers, "X-OMS-Signature": sign(body.encode(), "nope")}
        response = self.url_open("/oms/returns/status", data=body, headers=signed)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(rma.provider_status)
        signed = {**headers, "X-OMS-Signature": sign(b"{", "hook-key")}
        response = self.url_open("/oms/returns/status", data="{", headers=signed)
        self.assertEqual(response.status_code, 400)
        signed = {**headers, "X-OMS-Signature": sign(body.encode(), "hook-key")}
        response = self.url_open("/oms/returns/status", data=body, headers=signed)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"ok": True})
        rma.invalidate_recordset()
        self.assertEqual(rma.provider_status, "in_transit")
