from odoo.tests import HttpCase, new_test_user, tagged

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
