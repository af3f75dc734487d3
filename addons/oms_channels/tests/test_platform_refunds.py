"""Refunds of credit notes made in Odoo, as the platform is asked for them: the credit note's lines and amount, once;
a refund the platform made itself never sent back."""

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .test_platform_pushback import PlatformChannelCase


@tagged("post_install", "-at_install")
class TestPlatformRefunds(PlatformChannelCase):
    def invoiced_order(self):
        order = self.platform_order()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, invoice

    def credit_note(self, invoice, keep, from_channel=False):
        """The invoice's credit note, edited to {sale line: quantity} credited (the rest removed), posted."""
        credit_note = invoice._reverse_moves([{"ref": "Broken on arrival"}])
        credit_note.oms_refund_from_channel = from_channel
        for line in credit_note.invoice_line_ids:
            sale_line = line.sale_line_ids
            if sale_line in keep:
                line.quantity = keep[sale_line]
            else:
                line.unlink()
        credit_note.action_post()
        return credit_note

    def test_refund_request_has_the_credit_note_lines_and_amount(self):
        order, invoice = self.invoiced_order()
        kettle_line = order.order_line.filtered(lambda line: line.product_id == self.kettle)
        shipping_line = order.order_line.filtered("is_delivery")
        credit_note = self.credit_note(invoice, {kettle_line: 1, shipping_line: 1})
        self.assertEqual(credit_note.oms_refund_push_state, "to_push")
        request = credit_note._oms_refund_request()
        self.assertEqual(request.order_external_id, "1001")
        self.assertEqual(
            [(line.external_line_id, line.quantity, line.amount) for line in request.lines], [("L-K", 1.0, 36.3)]
        )
        self.assertEqual(request.shipping_amount, 6.05)
        self.assertEqual(request.amount, credit_note.amount_total)
        self.assertEqual(request.amount, 42.35)
        self.assertEqual(request.currency, "EUR")
        self.assertFalse(request.restock, "nothing came back")
        self.assertIn("Broken on arrival", request.reason)
        self.assertTrue(request.key.endswith(f"-{credit_note.id}"))
        other = self.credit_note(invoice, {kettle_line: 1})
        self.assertNotEqual(other._oms_refund_request().key, request.key, "one key per credit note")

    def test_a_refund_of_returned_goods_asks_the_platform_to_restock(self):
        for product, quantity in ((self.kettle, 3), (self.lamp, 1)):
            self.env["stock.quant"]._update_available_quantity(product, self.warehouse.lot_stock_id, quantity)
        order, invoice = self.invoiced_order()
        delivery = self.deliver(order.picking_ids, {self.kettle: 3, self.lamp: 1})
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({"picking_id": delivery.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = 1 if line.product_id == self.lamp else 0
        returned = wizard._create_return()
        returned.move_ids.write({"quantity": 1, "picked": True})
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        request = self.credit_note(invoice, {lamp_line: 1})._oms_refund_request()
        self.assertTrue(request.restock)
        self.assertEqual(
            [(line.external_line_id, line.quantity, line.amount) for line in request.lines], [("L-L", 1.0, 54.45)]
        )

    def test_an_accountant_outside_order_management_posts_and_reads_a_platform_credit_note(self):
        order, invoice = self.invoiced_order()
        accountant = new_test_user(
            self.env,
            "oms_refund_accountant",
            groups="account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
        )
        credit_note = invoice._reverse_moves([{"ref": "Late delivery"}]).with_user(accountant)
        credit_note.action_post()
        self.assertEqual(credit_note.oms_refund_push_state, "to_push")
        form = Form(credit_note)
        self.assertEqual(form.oms_refund_channel_id, self.shop)
        self.assertEqual(form.oms_refund_push_state, "to_push")
        self.assertEqual(order.oms_channel_id, self.shop)

    def test_refund_is_marked_once(self):
        order, invoice = self.invoiced_order()
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        credit_note = self.credit_note(invoice, {lamp_line: 1})
        credit_note.write({"oms_refund_push_state": "pushed", "oms_refund_channel_ref": "R-1"})
        credit_note.button_draft()
        credit_note.action_post()
        self.assertEqual(credit_note.oms_refund_push_state, "pushed", "posting again sends nothing again")

    def test_refunds_made_on_the_channel_are_never_pushed_back(self):
        order, invoice = self.invoiced_order()
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        credit_note = self.credit_note(invoice, {lamp_line: 1}, from_channel=True)
        self.assertFalse(credit_note.oms_refund_push_state)
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertFalse(credit_note.oms_refund_push_state)

    def test_the_credit_note_of_a_refund_the_platform_made_is_not_sent_back(self):
        order, invoice = self.invoiced_order()
        kettle_line = order.order_line.filtered(lambda line: line.product_id == self.kettle)
        # As the import records a refund made on the platform (announced on the order, a credit note to make).
        platform_refund = self.env["oms.channel.refund"].create(
            {"sale_order_id": order.id, "external_id": "R-77", "amount": 36.3}
        )
        recorded = self.credit_note(invoice, {kettle_line: 1})
        self.assertTrue(recorded.oms_refund_from_channel)
        self.assertEqual(recorded.oms_channel_refund_id, platform_refund)
        self.assertFalse(recorded.oms_refund_push_state, "the platform made it: nothing to send")
        self.assertIn("R-77", recorded.message_ids[0].body)
        another = self.credit_note(invoice, {kettle_line: 1})
        self.assertEqual(another.oms_refund_push_state, "to_push", "a second kettle refunded in Odoo is sent")
        self.assertFalse(another.oms_channel_refund_id)

    def test_a_refund_the_push_back_made_answers_no_later_credit_note(self):
        order, invoice = self.invoiced_order()
        kettle_line = order.order_line.filtered(lambda line: line.product_id == self.kettle)
        sent = self.credit_note(invoice, {kettle_line: 1})
        sent.write({"oms_refund_push_state": "pushed", "oms_refund_channel_ref": "R-500"})  # as the platform answered
        # The next pull brings the platform's refund R-500 back: it is the one sent, not one the platform made.
        self.env["oms.channel.refund"].create({"sale_order_id": order.id, "external_id": "R-500", "amount": 36.3})
        later = self.credit_note(invoice, {kettle_line: 1})
        self.assertEqual(later.oms_refund_push_state, "to_push", "a second kettle refunded in Odoo is sent")
        self.assertFalse(later.oms_refund_from_channel)

    def test_refunds_of_oms_schema_channels_are_not_pushed(self):
        order, invoice = self.invoiced_order()
        order.oms_channel_id = self.channel
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        self.assertFalse(self.credit_note(invoice, {lamp_line: 1}).oms_refund_push_state)

    def test_a_credit_note_of_two_orders_is_not_sent_and_says_why(self):
        credit_note = self.two_orders_credit_note()
        self.assertEqual(credit_note.oms_refund_push_state, "to_push")
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(credit_note.oms_refund_push_state, "failed")
        self.assertIn("refunds 2 channel orders", credit_note.oms_refund_push_message)
        self.assertIn("refunds 2 channel orders", credit_note.message_ids[0].body)
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(
            len(credit_note.message_ids.filtered(lambda message: "not sent to channel" in (message.body or ""))),
            1,
            "the same reason is noted once, not at every retry",
        )


@tagged("post_install", "-at_install")
class TestPushbackSpanish(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["oms_channels"], ["es_ES"], overwrite=True)
        cls.spanish = cls.env(context=dict(cls.env.context, lang="es_ES"))

    def test_locations_and_refund_state_read_in_spanish(self):
        labels = self.spanish["oms.channel"].fields_get(["location_ids"], ["string"])
        self.assertEqual(labels["location_ids"]["string"], "Ubicaciones de la plataforma")
        states = self.spanish["account.move"].fields_get(["oms_refund_push_state"], ["selection"])
        self.assertEqual(dict(states["oms_refund_push_state"]["selection"])["failed"], "Fallido")
        search = self.spanish["account.move"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("Reembolso no enviado al canal", search)

    def test_a_refund_not_sent_says_why_in_spanish(self):
        credit_note = self.two_orders_credit_note().with_context(lang="es_ES")
        with self.assertRaisesRegex(UserError, "reembolsa 2 pedidos de canal"):
            credit_note._oms_refund_request()
