from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


class LifecycleCase(TransactionCase):
    """The demo company with its policies and workflows, a consumer and a business customer in Spain, a stocked
    product priced 100 without taxes (so amounts read plainly)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.b2c_workflow = cls.env.ref("oms_intelligent.oms_workflow_b2c")
        cls.b2b_workflow = cls.env.ref("oms_intelligent.oms_workflow_b2b")
        cls.manager_group = cls.env.ref("oms_intelligent.group_oms_manager")
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.tent = cls.env["product.product"].create(
            {
                "name": "Lifecycle Tent",
                "is_storable": True,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
                "company_id": cls.company.id,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.tent, cls.madrid.lot_stock_id, 500)
        spain = cls.env.ref("base.es")
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Marta Consumidora", "country_id": spain.id, "email": "marta@example.com"}
        )
        cls.business = cls.env["res.partner"].create(
            {
                "name": "Tiendas Norte S.L.",
                "is_company": True,
                "country_id": spain.id,
                "email": "compras@tiendasnorte.example.com",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.business.with_company(cls.company).credit_limit = 1000.0
        cls.oms_user = new_test_user(
            cls.env,
            "lifecycle_user",
            groups="sales_team.group_sale_salesman,oms_intelligent.group_oms_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.oms_manager = new_test_user(
            cls.env,
            "lifecycle_manager",
            groups="sales_team.group_sale_manager,oms_intelligent.group_oms_manager,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def order(self, partner, quantity=1, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.tent.id, "product_uom_qty": quantity})],
                **values,
            }
        )

    def delivery_address_in_france(self, city):
        return self.env["res.partner"].create(
            {
                "name": f"Marta ({city})",
                "parent_id": self.consumer.id,
                "type": "delivery",
                "city": city,
                "country_id": self.env.ref("base.fr").id,
            }
        )

    def active_reasons(self, order):
        return order.oms_hold_ids.filtered(lambda hold: hold.state == "active").mapped("reason")

    def deliver(self, order):
        for picking in order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")):
            picking.action_assign()
            picking.move_ids.quantity = picking.move_ids.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()


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
