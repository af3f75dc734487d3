from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .lifecycle_common import LifecycleCase


@tagged("post_install", "-at_install")
class TestWorkflow(LifecycleCase):
    def test_business_order_is_quoted_then_invoiced_on_delivery_due_by_its_terms(self):
        order = self.order(self.business, 4)
        order._oms_process()
        self.assertEqual(order.state, "sent", "the quotation went to the customer")
        sent = order.message_ids.filtered(lambda message: message.subtype_id == self.env.ref("mail.mt_comment"))
        self.assertIn(self.business, sent.partner_ids, "the quotation was e-mailed to the customer")
        order.action_confirm()  # the customer accepted
        self.assertEqual(order.oms_state, "routed")
        self.assertFalse(order.invoice_ids, "nothing is invoiced before the delivery")
        self.deliver(order)
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_payment_term_id, self.env.ref("account.account_payment_term_30days"))
        self.assertEqual(invoice.invoice_date_due, invoice.invoice_date + timedelta(days=30))
        self.assertEqual(order.oms_state, "delivered")

    def test_invoice_in_a_currency_without_rate_stops_with_a_note_and_keeps_the_order(self):
        pricelist = self.env.ref("oms_intelligent.pricelist_gbp")
        self.env["res.currency.rate"].search(
            [("currency_id", "=", pricelist.currency_id.id), ("company_id", "in", (self.company.id, False))]
        ).unlink()
        order = self.order(self.consumer, 1, pricelist_id=pricelist.id, oms_workflow_id=self.b2c_workflow.id)
        order.oms_paid_on_channel = True
        order._oms_process()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertIn("GBP has no exchange rate", order.message_ids[0].body)
        self.assertTrue(order.activity_ids.filtered(lambda activity: activity.summary == "Invoice by hand"))

    def test_the_chatter_tells_the_story_from_received_to_closed(self):
        def step():
            # What the end of a request does: flush, then write the tracking messages.
            self.env.flush_all()
            self.env.cr.precommit.run()

        order = self.order(self.business, 2)
        step()
        self.assertEqual(order.oms_state, "received")
        order._oms_process()
        step()
        order.action_confirm()
        step()
        self.deliver(order)
        step()
        invoice = order.invoice_ids
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {}
        )._create_payments()
        step()
        self.assertEqual(order.oms_state, "closed")
        statuses = (
            order.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "oms_state")
            .sorted("id")
            .mapped("new_value_char")
        )
        self.assertEqual(statuses, ["Validated", "Routed", "Delivered", "Closed"])


@tagged("post_install", "-at_install")
class TestStatusDisplay(LifecycleCase):
    def test_status_bar_and_board_offer_every_status_in_spanish_too(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["oms_intelligent"], ["es_ES"])
        for lang, held in (("en_US", "On Hold"), ("es_ES", "Retenido")):
            selection = (
                self.env["sale.order"].with_context(lang=lang).fields_get(["oms_state"])["oms_state"]["selection"]
            )
            self.assertEqual(len(selection), 10)
            self.assertIn(("on_hold", held), selection)
        board = self.env["sale.order"].read_group(
            [("id", "=", self.order(self.consumer).id)], ["oms_state"], ["oms_state"]
        )
        self.assertEqual(len(board), 10, "the board shows every status as a column, even empty ones")


@tagged("post_install", "-at_install")
class TestAlerts(LifecycleCase):
    def test_orders_held_too_long_or_late_get_one_activity_each(self):
        held = self.order(self.consumer, 1, oms_workflow_id=self.b2c_workflow.id)
        held._oms_process()
        fresh = self.order(self.consumer, 1, oms_workflow_id=self.b2c_workflow.id)
        fresh._oms_process()
        self.env.flush_all()
        five_hours_ago = fields.Datetime.now() - timedelta(hours=5)
        self.env.cr.execute("UPDATE oms_order_hold SET create_date = %s WHERE order_id = %s", (five_hours_ago, held.id))
        self.env.cr.execute("UPDATE sale_order SET oms_hold_since = %s WHERE id = %s", (five_hours_ago, held.id))
        self.env.invalidate_all()
        late = self.order(self.consumer, 1, commitment_date=fields.Datetime.now() - timedelta(days=1))
        late.action_confirm()
        alerts = self.env["sale.order"].search([("oms_alert", "=", True), ("id", "in", (held | fresh | late).ids)])
        self.assertEqual(alerts, held | late)
        self.env["sale.order"]._cron_oms_alerts()
        self.env["sale.order"]._cron_oms_alerts()
        for order in held | late:
            self.assertEqual(len(order.activity_ids.filtered(lambda a: a.summary == "Order needs attention")), 1)
        self.assertFalse(fresh.activity_ids)
