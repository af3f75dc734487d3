from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .lifecycle_common import LifecycleCase


@tagged("post_install", "-at_install")
class TestPolicies(LifecycleCase):
    def test_consumer_order_waits_for_its_payment_then_confirms_and_is_invoiced_paid(self):
        order = self.order(self.consumer, 2, oms_workflow_id=self.b2c_workflow.id)
        order._oms_process()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.oms_state, "on_hold")
        self.assertEqual(self.active_reasons(order), ["Awaiting payment of 200.00\xa0€."])

        order.oms_paid_on_channel = True
        order._oms_process()
        hold = order.oms_hold_ids
        self.assertEqual(hold.state, "released")
        self.assertEqual(hold.release_note, "the condition cleared")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.oms_routing_decision_id, "confirmation routed the order")
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 200.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_replacement_order_ships_without_waiting_for_a_payment(self):
        original = self.order(self.consumer, 1, oms_workflow_id=self.b2c_workflow.id)
        replacement = self.order(
            self.consumer, 1, oms_workflow_id=self.b2c_workflow.id, oms_replaced_order_id=original.id
        )
        (original | replacement)._oms_process()
        self.assertTrue(original.oms_on_hold, "the first order waits for its payment")
        self.assertEqual(replacement.oms_special_type_id.skip_payment_hold, True)
        self.assertFalse(replacement.oms_on_hold)
        self.assertEqual(replacement.state, "sale")

    def test_paid_order_of_products_billed_on_delivery_is_invoiced_when_delivered(self):
        self.tent.invoice_policy = "delivery"
        order = self.order(self.consumer, 2, oms_workflow_id=self.b2c_workflow.id, oms_paid_on_channel=True)
        order._oms_process()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.invoice_ids, "nothing delivered yet, nothing to invoice")
        self.deliver(order)
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertIn(order.invoice_ids.payment_state, ("paid", "in_payment"))

    def test_online_payment_releases_the_hold_and_the_invoice_is_reconciled_with_it(self):
        order = self.order(self.consumer, 3, oms_workflow_id=self.b2c_workflow.id)
        order._oms_process()
        self.assertTrue(order.oms_on_hold)
        method = self.env.ref("payment.payment_method_unknown")
        bank = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        provider = self.env["payment.provider"].create(
            {
                "name": "Test cards",
                "code": "none",
                "state": "test",
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
                "journal_id": bank.id,
            }
        )
        # Real providers add their payment method to the journal when installed; this stand-in does it here.
        bank.inbound_payment_method_line_ids = [
            Command.create(
                {
                    "name": "Test cards",
                    "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
                    "payment_provider_id": provider.id,
                }
            )
        ]
        method.active = True
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.consumer.id,
                "reference": f"{order.name}-card",
                "operation": "online_direct",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        transaction._set_done()
        transaction._post_process()
        self.assertFalse(order.oms_on_hold)
        self.assertEqual(order.state, "sale")
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(transaction.payment_id.reconciled_invoice_ids, invoice)

    def test_business_order_above_its_credit_limit_waits_for_a_manager(self):
        order = self.order(self.business, 15)  # 1,500 against a limit of 1,000
        order._oms_process()
        self.assertEqual(order.oms_workflow_id, self.b2b_workflow, "businesses follow the company's B2B default")
        self.assertTrue(order.oms_on_hold)
        [reason] = self.active_reasons(order)
        self.assertIn("Credit limit 1,000.00", reason)
        self.assertIn("this order 1,500.00", reason)
        self.assertEqual(order.state, "draft")

        wizard = (
            self.env["oms.hold.release.wizard"]
            .with_user(self.oms_user)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"note": "Known customer"})
        )
        with self.assertRaisesRegex(AccessError, "Only members of"):
            wizard.action_release()
        self.assertTrue(order.oms_on_hold)
        with self.assertRaises(AccessError):
            order.oms_hold_ids.with_user(self.oms_user).write({"state": "released"})  # nor around the button

        wizard = (
            self.env["oms.hold.release.wizard"]
            .with_user(self.oms_manager)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"note": "Paid last invoices early; approved"})
        )
        wizard.action_release()
        self.assertFalse(order.oms_on_hold)
        self.assertEqual(order.oms_hold_ids.released_by_id, self.oms_manager)
        self.assertEqual(order.state, "sent", "released, the business workflow sends the quotation")
        order.action_confirm()  # the customer accepts: the manager's approval stands
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.oms_hold_ids), 1)
        notes = order.message_ids.mapped("body")
        self.assertTrue(any("Paid last invoices early" in note for note in notes), "the note is in the chatter")

    def test_credit_hold_clears_by_itself_when_the_order_fits_the_limit(self):
        order = self.order(self.business, 15)
        order._oms_process()
        self.assertTrue(order.oms_on_hold)
        order.order_line.product_uom_qty = 5
        order._oms_process()
        self.assertFalse(order.oms_on_hold)
        self.assertEqual(order.oms_hold_ids.state, "released")

    def test_differing_countries_on_a_large_order_hold_it_and_a_small_one_passes(self):
        france = self.delivery_address_in_france("Toulouse")
        large = self.order(self.consumer, 6, partner_shipping_id=france.id)
        small = self.order(self.consumer, 2, partner_shipping_id=france.id)
        (large | small)._oms_process()
        self.assertEqual(
            self.active_reasons(large),
            [
                "Billing country Spain differs from delivery country France on an order of 600.00\xa0€ "
                "(above 500.00\xa0€)."
            ],
        )
        self.assertFalse(small.oms_on_hold)
        self.assertEqual(small.oms_state, "validated")
        self.assertFalse(large.oms_hold_ids.auto_release, "a manager decides on a fraud signal")
        large.oms_hold_ids.with_user(self.oms_manager)._release("Customer confirmed the gift address by phone")
        large._oms_process()
        self.assertFalse(large.oms_on_hold, "the manager's release stands")
        self.assertEqual(large.oms_state, "validated")

    def test_an_order_meeting_several_holds_lists_every_reason(self):
        france = self.delivery_address_in_france("Lyon")
        order = self.order(self.consumer, 7, partner_shipping_id=france.id, oms_workflow_id=self.b2c_workflow.id)
        result = order.action_confirm()
        self.assertEqual(order.state, "draft", "a held order is not confirmed")
        self.assertEqual(len(self.active_reasons(order)), 2)
        self.assertIn("Awaiting payment", order.oms_hold_reasons)
        self.assertIn("Billing country Spain", order.oms_hold_reasons)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(order.name, result["params"]["message"])

    def test_condition_policy_tags_and_notifies_a_team(self):
        tag = self.env["crm.tag"].create({"name": "Big basket"})
        team = self.env["crm.team"].create({"name": "Key accounts", "user_id": self.oms_manager.id})
        self.env["oms.order.policy"].create(
            [
                {
                    "name": "Big basket tag",
                    "company_id": self.company.id,
                    "domain": "[('amount_untaxed', '>', 250)]",
                    "action": "tag",
                    "tag_ids": [Command.set(tag.ids)],
                },
                {
                    "name": "Big basket call",
                    "company_id": self.company.id,
                    "domain": "[('amount_untaxed', '>', 250)]",
                    "action": "activity",
                    "team_id": team.id,
                    "reason": "Check stock before promising",
                },
            ]
        )
        big, small = self.order(self.consumer, 3), self.order(self.consumer, 1)
        (big | small)._oms_process()
        big._oms_process()  # a second pass adds nothing twice
        self.assertEqual(big.tag_ids, tag)
        self.assertFalse(small.tag_ids)
        activity = big.activity_ids.filtered(lambda activity: activity.summary == "Big basket call")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.oms_manager)
        self.assertIn("Check stock", activity.note)
        self.assertFalse(big.oms_on_hold, "tags and activities do not hold")

    def test_invalid_conditions_are_refused_when_saved(self):
        policy = self.env["oms.order.policy"].create({"name": "Fine", "company_id": self.company.id})
        for domain, message in (
            ("[('amount_total', '>'", "not valid"),
            ("[('no_such_field', '=', 1)]", "no_such_field"),
            ("[('partner_id.sale_order_count', '>', 3)]", "cannot be searched"),
            ("'amount_total > 3'", "list of criteria"),
        ):
            with self.subTest(domain=domain), self.assertRaisesRegex(ValidationError, message):
                policy.domain = domain
                policy.flush_recordset()

    def test_releasing_needs_a_note_and_an_oms_user(self):
        order = self.order(self.consumer, 1)
        self.env["oms.hold.wizard"].with_context(active_model="sale.order", active_ids=order.ids).create(
            {"reason": "Customer asked to wait"}
        ).action_hold()
        self.assertEqual(order.oms_state, "on_hold")
        with self.assertRaisesRegex(UserError, "Say why"):
            order.oms_hold_ids._release(" ")
        salesman = new_test_user(
            self.env, "lifecycle_salesman", groups="sales_team.group_sale_salesman", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            order.oms_hold_ids.with_user(salesman)._release("go")
        order.oms_hold_ids.with_user(self.oms_user)._release("Customer called back")
        self.assertFalse(order.oms_on_hold)

    def release_wizard(self, user, holds, note):
        return (
            self.env["oms.hold.release.wizard"]
            .with_user(user)
            .create(
                {"note": note, "order_ids": [Command.set(holds.order_id.ids)], "hold_ids": [Command.set(holds.ids)]}
            )
        )

    def test_release_wizard_never_runs_the_workflow_of_orders_released_already(self):
        """A credit hold only a manager may release, released without moving the order on: an OMS user who picks
        that released hold in the wizard must not get the order quoted, as superuser, in the manager's stead."""
        order = self.order(self.business, 15)
        order._oms_process()
        hold = order.oms_hold_ids
        hold.with_user(self.oms_manager)._release("Approved; sales sends the quotation when ready")
        self.assertEqual(order.state, "draft")
        wizard = self.release_wizard(self.oms_user, hold, "Send it now")
        with self.assertRaisesRegex(UserError, "Nothing to release: the holds of .* are released already"):
            wizard.action_release()
        self.assertEqual(order.state, "draft", "no workflow ran")
        self.assertEqual(hold.release_note, "Approved; sales sends the quotation when ready")

    def test_release_wizard_releases_the_active_holds_and_names_those_released_already(self):
        released = self.order(self.business, 15)
        released._oms_process()
        released.oms_hold_ids.with_user(self.oms_manager)._release("Approved")
        waiting = self.order(self.business, 5)
        self.env["oms.hold.wizard"].with_context(active_model="sale.order", active_ids=waiting.ids).create(
            {"reason": "Customer asked to wait"}
        ).action_hold()
        wizard = self.release_wizard(self.oms_user, released.oms_hold_ids | waiting.oms_hold_ids, "Called back")
        result = wizard.action_release()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(f"left as they were: {released.name}", result["params"]["message"])
        self.assertFalse(waiting.oms_on_hold)
        self.assertEqual(waiting.state, "sent", "released now: its workflow sends the quotation")
        self.assertEqual(released.state, "draft", "released before: left as it was")
        self.assertEqual(released.oms_hold_ids.release_note, "Approved")

    def test_release_wizard_refuses_orders_the_user_cannot_change(self):
        """Another company's order: the user may not change it, so neither its hold nor its workflow moves."""
        other_company = self.env["res.company"].create({"name": "Other Holds Co"})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.consumer.id,
                "company_id": other_company.id,
                "order_line": [Command.create({"name": "Consulting", "price_unit": 10.0, "display_type": False})],
            }
        )
        hold = self.env["oms.order.hold"].create({"order_id": order.id, "kind": "manual", "reason": "Check stock"})
        with self.assertRaises(AccessError):
            order.with_user(self.oms_user).write({"note": "Go"})  # what the user may do without the wizard
        for fresh_cache in (False, True):
            wizard = self.release_wizard(self.oms_user, hold, "Go")
            if fresh_cache:
                self.env.invalidate_all()  # as in a request of its own: the hold is not even seen
            with self.assertRaises(UserError):  # an AccessError is a UserError
                wizard.action_release()
        self.assertEqual(hold.state, "active")
        self.assertEqual(order.state, "draft")
