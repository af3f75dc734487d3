import json
import re
from unittest.mock import patch

from odoo.addons.oms_fulfillment.stand_ins.returns_provider import sign
from odoo.tests import HttpCase, new_test_user, tagged

from .test_returns import ReturnCase

# Bodies within the size limit that are no status document.
DEEP_WITHIN_LIMIT = b"[" * 30_000 + b"]" * 30_000
NOT_UTF8 = b'{"tracking_number": "RET\xff", "status": "in_transit"}'


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
        self.assertIn("5 asked, only 2.0 can be returned", response.text)
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
        self.assertEqual(response.status_code, 401)
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

    def test_portal_quantities_must_be_finite_numbers_within_what_can_be_returned(self):
        own = self.delivered_order(tent=2, lamp=0)
        self.authenticate("lucia_portal", "lucia_portal")
        page = self.url_open(f"/my/orders/{own.id}/return").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        for typed, message in (
            ("nan", "“nan” is not a quantity."),
            ("NaN", "“NaN” is not a quantity."),
            ("inf", "“inf” is not a quantity."),
            ("-Infinity", "“-Infinity” is not a quantity."),
            ("1e400", "“1e400” is not a quantity."),
            ("two", "“two” is not a quantity."),
            ("-1", "a quantity cannot be negative."),
            ("-0.5", "a quantity cannot be negative."),
            ("1e308", "1e308 asked, only 2.0 can be returned."),
            ("3", "3 asked, only 2.0 can be returned."),
        ):
            response = self.url_open(
                f"/my/orders/{own.id}/return",
                data={"csrf_token": csrf, f"qty_{own.order_line.id}": typed, "reason": "defective"},
            )
            self.assertEqual(response.status_code, 200, typed)
            self.assertIn("Your return could not be accepted", response.text, typed)
            self.assertIn(f"Returns Tent: {message}", response.text, typed)
        self.assertFalse(self.env["oms.return"].search([("sale_order_id", "=", own.id)]), "nothing stored")

    def test_returns_provider_webhook_checks_size_then_signature_then_body_and_only_then_the_database(self):
        order = self.delivered_order(tent=1, lamp=0)
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        rma.provider_tracking_ref = "RET00000077"
        self.company.oms_returns_provider_key = "hook-key"
        other_company = self.env["res.company"].create({"name": "Other Returns Co", "oms_returns_provider_key": "co-2"})
        good = json.dumps({"tracking_number": "RET00000077", "status": "in_transit"}).encode()
        Return = type(self.env["oms.return"])
        searched = []
        search = Return.search

        def spying_search(records, domain, *args, **kwargs):
            searched.append(domain)
            return search(records, domain, *args, **kwargs)

        def post(body, signature):
            headers = {"Content-Type": "application/json"}
            if signature is not None:
                headers["X-OMS-Signature"] = signature
            with patch.object(Return, "search", spying_search):
                return self.url_open("/oms/returns/status", data=body, headers=headers)

        self._assert_too_large_refused_first(post)
        self._assert_unsigned_refused_alike(post, good)
        self.assertEqual(searched, [], "nothing the body names is looked up before its signature holds")
        self._assert_signed_garbage_is_a_short_400(post)
        self.assertEqual(searched, [])

        # Signed by another company: its returns only.
        self.assertEqual(post(good, sign(good, other_company.oms_returns_provider_key)).status_code, 404)
        rma.invalidate_recordset()
        self.assertFalse(rma.provider_status)
        response = post(good, sign(good, "hook-key"))
        self.assertEqual((response.status_code, response.json()), (200, {"ok": True}))
        rma.invalidate_recordset()
        self.assertEqual(rma.provider_status, "in_transit")

    def _assert_too_large_refused_first(self, post):
        """Too large: refused first, signed or not."""
        big = json.dumps({"tracking_number": "RET00000077", "status": "in_transit", "pad": "x" * 70_000}).encode()
        deep = b"[" * 100_000 + b"]" * 100_000
        for body, signature in ((big, sign(big, "hook-key")), (big, None), (deep, sign(deep, "hook-key"))):
            response = post(body, signature)
            self.assertEqual((response.status_code, response.json()), (413, {"error": "body larger than 65536 bytes"}))

    def _assert_unsigned_refused_alike(self, post, good):
        """Unsigned: the same 401 whatever the header and the body."""
        answers = set()
        for body in (good, DEEP_WITHIN_LIMIT, NOT_UTF8, b"[]", b"{"):
            for signature in (
                None,
                "",
                "sha256=\u00f1\u00ff",
                "sha256=\u00f1".encode(),
                b"\xff\xfe\x80",
                "sha256=" + "0" * 64,
                sign(good, "wrong-key"),
            ):
                response = post(body, signature)
                self.assertEqual(response.status_code, 401, (body[:12], signature))
                answers.add(response.text)
        self.assertEqual(answers, {json.dumps({"error": "invalid signature"})})

    def _assert_signed_garbage_is_a_short_400(self, post):
        """Signed but no status document: a short 400, never a 500."""
        lost = b'{"tracking_number": "RET1", "status": "' + b"x" * 5000 + b'"}'
        for body in (DEEP_WITHIN_LIMIT, NOT_UTF8, b"[]", b"{", lost):
            response = post(body, sign(body, "hook-key"))
            self.assertEqual(response.status_code, 400, body[:12])
            self.assertLess(len(response.json()["error"]), 100)
