import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..services.channel_order import ChannelOrderError
from ..services.signature import SIGNATURE_HEADER, sign
from .common import ChannelCase


def cart_event(name, cart_id="C-1", **values):
    """A cart event as a channel sends it."""
    return {"event": name, "cart_id": cart_id, **values}


@tagged("post_install", "-at_install")
class TestChannelCarts(ChannelCase):
    def receive(self, name, cart_id="C-1", channel=None, **values):
        return self.env["oms.channel.cart"]._receive_event(channel or self.channel, cart_event(name, cart_id, **values))

    def quantities(self, cart):
        return {line.product_id: line.quantity for line in cart.line_ids}

    def reminders(self, carts):
        return self.env["mail.mail"].search([("model", "=", "oms.channel.cart"), ("res_id", "in", carts.ids)])

    def test_added_and_removed_events_give_the_quantity_of_each_product(self):
        customer = self.env["res.partner"].create({"name": "Lucía Fernández", "email": "lucia@example.es"})
        self.receive("cart.added", sku="TST-KET", quantity=2, customer={"email": "Lucia@Example.es"})
        self.receive("cart.added", barcode="2000000000022")
        self.receive("cart.added", sku="TST-KET", quantity="1")
        self.receive("cart.added", sku="TST-TNT", quantity=1)
        self.receive("cart.removed", sku="TST-KET", quantity=1)
        self.receive("cart.removed", sku="TST-TNT", quantity=5)
        cart = self.env["oms.channel.cart"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(len(cart), 1, "one cart per channel cart id")
        self.assertEqual(self.quantities(cart), {self.kettle: 2.0, self.lamp: 1.0}, "a line removed to 0 is dropped")
        self.assertEqual((cart.line_count, cart.quantity_total), (2, 3.0))
        self.assertEqual(cart.state, "open")
        self.assertEqual(cart.partner_id, customer, "the customer is matched by e-mail")

    def test_a_replayed_event_counts_once_but_untimed_repeats_count_each_time(self):
        timed = {"sku": "TST-KET", "quantity": 2, "occurred_at": "2026-11-20T10:00:00Z"}
        self.receive("cart.added", **timed)
        cart = self.receive("cart.added", **timed)
        self.assertEqual(self.quantities(cart), {self.kettle: 2.0})
        self.receive("cart.added", sku="TST-LMP")
        self.receive("cart.added", sku="TST-LMP")
        self.assertEqual(self.quantities(cart), {self.kettle: 2.0, self.lamp: 2.0})

    def test_reserved_in_carts_sums_the_open_carts_of_the_channel_only(self):
        other_channel = self.channel.copy({"code": "OTHER", "webhook_secret": "other"})
        self.receive("cart.added", "OPEN-1", sku="TST-KET", quantity=2)
        self.receive("cart.added", "OPEN-1", sku="TST-LMP", quantity=1)
        self.receive("cart.added", "OPEN-2", sku="TST-KET", quantity=1)
        self.receive("cart.added", "GONE", sku="TST-KET", quantity=5)
        self.receive("cart.abandoned", "GONE")
        self.receive("cart.added", "BOUGHT", sku="TST-TNT", quantity=1)
        self.receive("cart.ordered", "BOUGHT")
        self.receive("cart.added", "ELSEWHERE", channel=other_channel, sku="TST-KET", quantity=7)
        self.channel.invalidate_recordset(["cart_count_open", "cart_reserved_qty"])
        self.assertEqual(self.channel.cart_count_open, 2)
        self.assertEqual(self.channel.cart_reserved_qty, 4.0)
        self.assertEqual(self.channel._cart_quantities_by_product(), {self.kettle.id: 3.0, self.lamp.id: 1.0})
        self.assertEqual(other_channel.cart_reserved_qty, 7.0)
        action = self.channel.action_open_carts()
        self.assertEqual(
            sorted(self.env["oms.channel.cart"].search(action["domain"]).mapped("cart_ref")),
            ["BOUGHT", "GONE", "OPEN-1", "OPEN-2"],
        )

    def test_late_events_never_reopen_an_ordered_cart(self):
        self.receive("cart.added", sku="TST-KET", quantity=1, occurred_at="2026-11-20T10:00:00Z")
        self.receive("cart.ordered", occurred_at="2026-11-20T10:30:00Z")
        late_added = self.receive("cart.added", sku="TST-LMP", occurred_at="2026-11-20T10:10:00Z")
        late_abandoned = self.receive("cart.abandoned", occurred_at="2026-11-20T11:00:00Z")
        self.assertEqual(late_added.state, "ordered")
        self.assertEqual(late_abandoned.state, "ordered")
        self.assertEqual(self.quantities(late_added), {self.kettle: 1.0}, "what was ordered stays as it was")
        self.assertEqual(late_added.last_event_at, datetime(2026, 11, 20, 10, 30))
        # A later line event is a new round of shopping in the same cart.
        reopened = self.receive("cart.added", sku="TST-TNT", occurred_at="2026-11-20T12:00:00Z")
        self.assertEqual(reopened.state, "open")
        self.assertEqual(self.quantities(reopened), {self.tent: 1.0})

    def test_a_late_abandoned_event_does_not_abandon_a_cart_in_use(self):
        self.receive("cart.added", sku="TST-KET", occurred_at="2026-11-20T10:00:00Z")
        self.receive("cart.added", sku="TST-KET", occurred_at="2026-11-20T12:00:00Z")
        cart = self.receive("cart.abandoned", occurred_at="2026-11-20T11:00:00Z")
        self.assertEqual(cart.state, "open")
        self.assertFalse(cart.abandoned_at)
        abandoned = self.receive("cart.abandoned", occurred_at="2026-11-20T13:00:00Z")
        self.assertEqual((abandoned.state, abandoned.abandoned_at), ("abandoned", datetime(2026, 11, 20, 13, 0)))

    def test_abandoned_cart_is_reminded_once_after_the_channel_delay(self):
        self.assertEqual(self.channel.abandoned_cart_delay, 24.0)
        self.assertEqual(
            self.channel.abandoned_cart_template_id, self.env.ref("oms_channels.mail_template_abandoned_cart")
        )
        customer = {"email": "ana@example.es", "name": "Ana Ruiz"}
        self.receive("cart.added", sku="TST-KET", quantity=2, customer=customer)
        self.receive("cart.added", sku="TST-LMP", quantity=1)
        cart = self.receive("cart.abandoned")
        cron = self.env.ref("oms_channels.ir_cron_abandoned_cart_reminders")
        cart.abandoned_at = fields.Datetime.now() - timedelta(hours=23)
        cron.method_direct_trigger()
        self.assertFalse(self.reminders(cart), "not before the delay")
        self.assertFalse(cart.reminder_sent_at)

        cart.abandoned_at = fields.Datetime.now() - timedelta(hours=25)
        cron.method_direct_trigger()
        reminder = self.reminders(cart)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "outgoing", "queued, sent by the mail queue")
        self.assertEqual(reminder.email_to, "ana@example.es")
        self.assertEqual(reminder.subject, "You left something in your cart at Local Market")
        self.assertIn("Ana Ruiz", reminder.body_html)
        self.assertRegex(reminder.body_html, r"Test Kettle</td>\s*<td[^>]*>\s*2 Units")
        self.assertRegex(reminder.body_html, r"Test Lamp</td>\s*<td[^>]*>\s*1 Units")
        self.assertTrue(cart.reminder_sent_at)
        self.assertIn(reminder.mail_message_id, cart.message_ids, "the reminder shows in the cart's chatter")

        cron.method_direct_trigger()
        self.env["oms.channel.cart"]._cron_send_abandoned_cart_reminders(now=cart.abandoned_at + timedelta(days=30))
        self.assertEqual(len(self.reminders(cart)), 1, "never twice")

    def test_reminder_waits_for_each_channel_delay_and_goes_to_the_matched_customer(self):
        customer = self.env["res.partner"].create({"name": "Ana Ruiz", "email": "ana@example.es", "lang": "en_US"})
        self.channel.abandoned_cart_delay = 2
        self.receive(
            "cart.added", sku="TST-KET", customer={"email": "ana@example.es"}, occurred_at="2026-11-20T09:00:00Z"
        )
        cart = self.receive("cart.abandoned", occurred_at="2026-11-20T10:00:00Z")
        self.assertEqual(cart.state, "abandoned")
        carts = self.env["oms.channel.cart"]
        carts._cron_send_abandoned_cart_reminders(now=datetime(2026, 11, 20, 11, 59))
        self.assertFalse(self.reminders(cart))
        carts._cron_send_abandoned_cart_reminders(now=datetime(2026, 11, 20, 12, 0))
        self.assertEqual(self.reminders(cart).recipient_ids, customer)
        self.assertEqual(cart.reminder_sent_at, datetime(2026, 11, 20, 12, 0))

    def test_no_reminder_for_ordered_anonymous_or_empty_carts_or_without_template(self):
        later = datetime(2026, 12, 31)
        added, abandoned = "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z"
        self.receive("cart.added", "ORDERED", sku="TST-KET", customer={"email": "a@example.es"}, occurred_at=added)
        self.receive("cart.abandoned", "ORDERED", occurred_at=abandoned)
        self.receive("cart.ordered", "ORDERED", occurred_at="2026-11-20T11:00:00Z")
        self.receive("cart.added", "ANONYMOUS", sku="TST-KET", occurred_at=added)
        self.receive("cart.abandoned", "ANONYMOUS", occurred_at=abandoned)
        self.receive("cart.abandoned", "EMPTY", customer={"email": "b@example.es"}, occurred_at=abandoned)
        carts = self.env["oms.channel.cart"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(sorted(carts.mapped("state")), ["abandoned", "abandoned", "ordered"])
        carts._cron_send_abandoned_cart_reminders(now=later)
        self.assertFalse(self.reminders(carts))

        self.receive("cart.added", "SILENT", sku="TST-KET", customer={"email": "c@example.es"}, occurred_at=added)
        silent = self.receive("cart.abandoned", "SILENT", occurred_at=abandoned)
        self.assertEqual(silent.state, "abandoned")
        self.channel.abandoned_cart_template_id = False
        carts._cron_send_abandoned_cart_reminders(now=later)
        self.assertFalse(self.reminders(silent), "a channel without template sends no reminder")
        self.assertFalse(silent.reminder_sent_at)

    def test_unknown_product_is_refused_and_nothing_is_stored(self):
        with self.assertRaises(ChannelOrderError) as caught:
            self.receive("cart.added", "NEW", sku="NOPE-1", customer={"email": "a@example.es"})
        self.assertEqual(caught.exception.category, "unknown_product")
        self.assertIn("NOPE-1", str(caught.exception))
        self.assertFalse(self.env["oms.channel.cart"].search([("channel_id", "=", self.channel.id)]))

        cart = self.receive("cart.added", "KNOWN", sku="TST-KET", occurred_at="2026-11-20T10:00:00Z")
        with self.assertRaises(ChannelOrderError):
            self.receive("cart.removed", "KNOWN", sku="NOPE-1", occurred_at="2026-11-20T11:00:00Z")
        self.assertEqual(self.quantities(cart), {self.kettle: 1.0})
        self.assertEqual(cart.last_event_at, datetime(2026, 11, 20, 10, 0))

    def test_oms_users_read_carts_and_managers_change_them(self):
        cart = self.receive("cart.added", sku="TST-KET", quantity=2)
        user = new_test_user(self.env, login="cart_user", groups="base.group_user,oms_intelligent.group_oms_user")
        manager = new_test_user(
            self.env, login="cart_manager", groups="base.group_user,oms_intelligent.group_oms_manager"
        )
        self.assertEqual(cart.with_user(user).line_ids.quantity, 2.0)
        self.assertEqual(self.channel.with_user(user).cart_reserved_qty, 2.0)
        with self.assertRaises(AccessError):
            cart.with_user(user).unlink()
        cart.with_user(manager).unlink()
        self.assertFalse(cart.exists())


@tagged("post_install", "-at_install")
class TestCartWebhook(HttpCase, ChannelCase):
    def post(self, data, secret="webhook-secret"):
        body = json.dumps(data).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)}
        return self.url_open(f"/oms/webhook/{self.channel.id}", data=body, headers=headers)

    def carts(self):
        return self.env["oms.channel.cart"].search([("channel_id", "=", self.channel.id)])

    def test_signed_cart_event_creates_the_cart(self):
        response = self.post(cart_event("cart.added", "C-W1", sku="TST-KET", quantity=3))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"cart": "C-W1", "state": "open"})
        cart = self.carts()
        self.assertEqual(cart.cart_ref, "C-W1")
        self.assertEqual((cart.line_ids.product_id, cart.line_ids.quantity), (self.kettle, 3.0))
        self.assertFalse(self.env["oms.channel.order"].search([("channel_id", "=", self.channel.id)]))
        response = self.post(cart_event("cart.abandoned", "C-W1"))
        self.assertEqual(response.json(), {"cart": "C-W1", "state": "abandoned"})

    def test_badly_signed_cart_event_is_refused_and_nothing_stored(self):
        response = self.post(cart_event("cart.added", "C-W2", sku="TST-KET"), secret="not-the-secret")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.carts())

    def test_invalid_cart_event_is_answered_with_its_error(self):
        response = self.post(cart_event("cart.added", "C-W3", sku="NOPE-1"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("unknown product(s): SKU NOPE-1", response.json()["error"])
        response = self.post(cart_event("cart.added", "C-W3", quantity=-1))
        self.assertIn("quantity must be greater than 0", response.json()["error"])
        self.assertFalse(self.carts())
        self.assertFalse(self.env["oms.channel.order"].search([("channel_id", "=", self.channel.id)]))
