from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


class ReturnCase(TransactionCase):
    """The demo company's Madrid warehouse, a consumer, and two stocked products billed on delivery with 21% VAT:
    a tent at 100.00 and a lamp at 40.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id], tracking_disable=True))
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.replacement_type = cls.env.ref("oms_intelligent.special_order_type_oms_replacement")
        cls.vat = cls.env["account.tax"].create(
            {"name": "VAT 21% (returns)", "amount": 21.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.tent, cls.lamp = cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "is_storable": True,
                    "list_price": price,
                    "taxes_id": [Command.set(cls.vat.ids)],
                    "invoice_policy": "delivery",
                    "company_id": cls.company.id,
                }
                for name, price in (("Returns Tent", 100.0), ("Returns Lamp", 40.0))
            ]
        )
        for product in (cls.tent, cls.lamp):
            cls.env["stock.quant"]._update_available_quantity(product, cls.madrid.lot_stock_id, 50)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Lucía Devuelve", "country_id": cls.env.ref("base.es").id, "email": "lucia@example.com"}
        )
        cls.oms_user = new_test_user(
            cls.env,
            "returns_user",
            groups="sales_team.group_sale_salesman,stock.group_stock_user,oms_intelligent.group_oms_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def delivered_order(self, tent=3, lamp=2, partner=None):
        """A confirmed order, delivered and invoiced (posted)."""
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in ((self.tent, tent), (self.lamp, lamp))
                    if quantity
                ],
            }
        )
        order.with_context(oms_policies_checked=True).action_confirm()
        self.assertEqual(order.state, "sale")
        self.validate(order.picking_ids)
        if not order.invoice_ids:
            order._create_invoices(final=True).action_post()
        self.assertEqual(order.invoice_ids.state, "posted")
        return order

    def validate(self, pickings):
        for picking in pickings.filtered(lambda picking: picking.state not in ("done", "cancel")):
            picking.action_assign()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()

    def line(self, order, product):
        return order.order_line.filtered(lambda line: line.product_id == product)

    def new_return(self, order, quantities, outcome="refund", condition="new", **values):
        return (
            self.env["oms.return"]
            .with_user(self.oms_user)
            .create(
                {
                    "sale_order_id": order.id,
                    "outcome": outcome,
                    "condition": condition,
                    "reason": "defective",
                    "line_ids": [
                        Command.create({"sale_line_id": self.line(order, product).id, "quantity": quantity})
                        for product, quantity in quantities.items()
                    ],
                    **values,
                }
            )
        )

    def receive(self, rma):
        self.assertEqual(rma.state, "approved", rma.refusal_reason)
        self.validate(rma.picking_id)
        self.assertEqual(rma.picking_id.state, "done")

    def available(self, product, location):
        return self.env["stock.quant"]._get_available_quantity(product, location)


@tagged("post_install", "-at_install")
class TestReturnOutcomes(ReturnCase):
    def test_full_return_is_refunded_by_a_posted_credit_note_of_the_returned_lines_with_taxes(self):
        order = self.delivered_order(tent=3, lamp=2)
        invoice = order.invoice_ids
        self.assertAlmostEqual(invoice.amount_total, (300 + 80) * 1.21)
        rma = self.new_return(order, {self.tent: 3, self.lamp: 2})
        self.assertRegex(rma.name, r"^RMA/\d{4}/\d{5}$")
        self.assertEqual(rma.partner_id, self.customer)
        rma.action_approve()
        self.assertEqual(
            rma.picking_id.return_id, order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        )
        self.assertEqual(rma.picking_id.oms_return_id, rma)
        self.assertEqual(rma.action_view_picking()["res_id"], rma.picking_id.id)
        self.receive(rma)

        credit_note = rma.credit_note_id
        self.assertEqual(rma.state, "received")
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertAlmostEqual(credit_note.amount_untaxed, 380.0)
        self.assertAlmostEqual(credit_note.amount_tax, 79.8)
        self.assertAlmostEqual(credit_note.amount_total, invoice.amount_total)
        self.assertIn(credit_note, order.invoice_ids, "the credit note is the order's")
        self.assertEqual(order.order_line.mapped("qty_delivered"), [0.0, 0.0])
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [0.0, 0.0])
        self.assertEqual(order.invoice_status, "no")
        self.assertEqual(order.oms_state, "returned")
        self.assertEqual(order.oms_return_count, 1)
        self.assertEqual(order.action_view_oms_returns()["domain"], [("sale_order_id", "=", order.id)])

    def test_partial_return_refunds_only_the_returned_quantity(self):
        order = self.delivered_order(tent=3, lamp=2)
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        self.assertEqual(rma.picking_id.move_ids.product_id, self.tent)
        self.assertEqual(rma.picking_id.move_ids.product_uom_qty, 1.0)
        self.receive(rma)
        self.assertAlmostEqual(rma.credit_note_id.amount_total, 121.0)
        self.assertEqual(rma.credit_note_id.invoice_line_ids.quantity, 1.0)
        self.assertEqual(self.line(order, self.tent).qty_delivered, 2.0)
        self.assertEqual(self.line(order, self.tent).qty_invoiced, 2.0)
        self.assertEqual(self.line(order, self.lamp).qty_invoiced, 2.0)

        second = self.new_return(order, {self.tent: 2})
        self.assertEqual(second.line_ids.qty_already_returned, 1.0)
        second.action_approve()
        self.receive(second)
        self.assertAlmostEqual(second.credit_note_id.amount_total, 242.0)

    def test_exchange_creates_a_confirmed_replacement_order_with_its_code_and_no_payment_hold(self):
        order = self.delivered_order(tent=2, lamp=0)
        rma = self.new_return(order, {self.tent: 1}, outcome="exchange", reason="wrong_item")
        rma.action_approve()
        self.receive(rma)
        exchange = rma.exchange_order_id
        self.assertEqual(exchange.oms_replaced_order_id, order)
        self.assertEqual(exchange.oms_special_type_id, self.replacement_type)
        year = fields.Date.context_today(exchange).year
        self.assertRegex(exchange.oms_special_code, rf"^REP-{year}-\d{{5}}$")
        self.assertTrue(exchange._oms_skips_payment_hold())
        self.assertFalse(exchange.oms_on_hold)
        self.assertEqual(exchange.state, "sale")
        self.assertEqual(exchange.partner_id, self.customer)
        self.assertEqual(exchange.order_line.product_id, self.tent)
        self.assertEqual(exchange.order_line.product_uom_qty, 1.0)
        self.assertTrue(exchange.picking_ids, "the replacement ships")
        # Replacements are charged at the same price here: the returned tent is credited, nobody pays twice.
        self.assertFalse(self.replacement_type.zero_price)
        self.assertEqual(exchange.order_line.price_unit, 100.0)
        self.assertAlmostEqual(rma.credit_note_id.amount_total, 121.0)
        self.assertEqual(rma.credit_note_id.state, "posted")

    def test_free_replacement_exchange_gives_no_credit_note(self):
        self.replacement_type.zero_price = True
        order = self.delivered_order(tent=2, lamp=0)
        rma = self.new_return(order, {self.tent: 2}, outcome="exchange")
        rma.action_approve()
        self.receive(rma)
        self.assertEqual(rma.exchange_order_id.amount_total, 0.0)
        self.assertEqual(rma.exchange_order_id.state, "sale")
        self.assertFalse(rma.credit_note_id, "a free replacement is the refund")

    def test_refund_of_products_billed_on_ordered_quantities_is_not_billed_again(self):
        self.tent.invoice_policy = "order"
        order = self.delivered_order(tent=2, lamp=0)
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        self.receive(rma)
        self.assertAlmostEqual(rma.credit_note_id.amount_total, 121.0)
        line = order.order_line
        self.assertEqual((line.product_uom_qty, line.qty_delivered, line.qty_invoiced), (1.0, 1.0, 1.0))
        self.assertEqual(order.invoice_status, "invoiced", "the credited tent is not billed again")
        self.assertEqual(len(order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))), 0)

    def test_returned_goods_land_in_the_returns_location_and_are_released_to_stock(self):
        order = self.delivered_order(tent=2, lamp=0)
        stock = self.madrid.lot_stock_id
        before = self.available(self.tent, stock)
        rma = self.new_return(order, {self.tent: 2}, outcome="none", condition="opened")
        rma.action_approve()
        returns = self.madrid.oms_return_location_id
        self.assertTrue(returns, "the warehouse got its Returns location")
        self.assertEqual(returns.usage, "internal")
        self.assertFalse(returns._child_of(stock), "returned goods are not sellable stock")
        self.assertEqual(rma.picking_id.location_dest_id, returns)
        self.receive(rma)
        self.assertFalse(rma.credit_note_id or rma.exchange_order_id)
        self.assertEqual(self.available(self.tent, returns), 2.0)
        self.assertEqual(self.available(self.tent, stock), before, "not available before the check")

        rma.with_user(self.oms_user).action_release_to_stock()
        self.assertEqual(rma.state, "done")
        self.assertEqual(rma.release_picking_id.state, "done")
        self.assertEqual(self.available(self.tent, returns), 0.0)
        self.assertEqual(self.available(self.tent, stock), before + 2.0)

    def test_back_office_form_proposes_what_is_left_to_return(self):
        order = self.delivered_order(tent=3, lamp=2)
        self.new_return(order, {self.tent: 1}).action_approve()
        with Form(self.env["oms.return"].with_user(self.oms_user)) as form:
            form.sale_order_id = order
            form.outcome = "exchange"
        rma = form.record
        self.assertEqual(
            {(line.product_id, line.quantity, line.qty_delivered, line.qty_already_returned) for line in rma.line_ids},
            {(self.tent, 2.0, 3.0, 1.0), (self.lamp, 2.0, 2.0, 0.0)},
        )
        self.assertEqual(rma.company_id, self.company)
        self.assertEqual(order.oms_return_count, 2)

    def test_damaged_goods_are_not_released_to_stock(self):
        order = self.delivered_order(tent=1, lamp=0)
        rma = self.new_return(order, {self.tent: 1}, outcome="none", condition="damaged")
        rma.action_approve()
        self.receive(rma)
        with self.assertRaises(UserError):
            rma.action_release_to_stock()
        rma.action_close()
        self.assertEqual(rma.state, "done")
        self.assertEqual(self.available(self.tent, self.madrid.oms_return_location_id), 1.0)


@tagged("post_install", "-at_install")
class TestReturnRefusals(ReturnCase):
    def test_more_than_delivered_is_refused_with_the_reason(self):
        order = self.delivered_order(tent=2, lamp=0)
        rma = self.new_return(order, {self.tent: 3})
        action = rma.action_approve()
        self.assertEqual(rma.state, "refused")
        self.assertIn("3.0 asked, only 2.0 delivered", rma.refusal_reason)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertFalse(rma.picking_id, "no transfer for a refused return")

    def test_the_same_lines_twice_are_refused_with_the_first_return_named(self):
        order = self.delivered_order(tent=2, lamp=0)
        first = self.new_return(order, {self.tent: 2})
        first.action_approve()
        second = self.new_return(order, {self.tent: 1})
        second.action_approve()
        self.assertEqual(second.state, "refused")
        self.assertIn("already returned", second.refusal_reason)
        self.assertIn(first.name, second.refusal_reason)
        # A refused or cancelled return does not count.
        first.action_cancel()
        self.assertEqual(first.picking_id.state, "cancel")
        second.action_reset_to_draft()
        second.action_approve()
        self.assertEqual(second.state, "approved")

    def test_after_the_return_window_is_refused(self):
        order = self.delivered_order(tent=1, lamp=0)
        self.company.oms_return_window_days = 30
        delivery = order.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing")
        delivery.date_done = fields.Datetime.now() - timedelta(days=31)
        rma = self.new_return(order, {self.tent: 1})
        self.assertEqual(rma.return_deadline, (fields.Datetime.now() - timedelta(days=1)).date())
        rma.action_approve()
        self.assertEqual(rma.state, "refused")
        self.assertIn("return window closed", rma.refusal_reason)

        delivery.date_done = fields.Datetime.now() - timedelta(days=29)
        late_but_in_time = self.new_return(order, {self.tent: 1})
        late_but_in_time.action_approve()
        self.assertEqual(late_but_in_time.state, "approved")

    def test_undelivered_order_and_empty_return_are_refused(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.tent.id, "product_uom_qty": 1})],
            }
        )
        order.with_context(oms_policies_checked=True).action_confirm()
        rma = self.new_return(order, {self.tent: 1})
        rma.action_approve()
        self.assertEqual(rma.state, "refused")
        self.assertIn("not been delivered", rma.refusal_reason)

        delivered = self.delivered_order(tent=1, lamp=0)
        empty = self.new_return(delivered, {self.tent: 0})
        empty.action_approve()
        self.assertIn("Nothing to return", empty.refusal_reason)

    def test_portal_request_for_another_customers_order_is_refused(self):
        order = self.delivered_order(tent=1, lamp=0)
        stranger = self.env["res.partner"].create({"name": "Someone Else"})
        line = self.line(order, self.tent)
        rma, reasons = self.env["oms.return"].sudo()._oms_portal_request(order, stranger, {line: 1}, "other", "refund")
        self.assertFalse(rma)
        self.assertEqual(reasons, [f"Order {order.name} is not one of your orders."])
        self.assertFalse(self.env["oms.return"].search([("sale_order_id", "=", order.id)]), "nothing kept")

        rma, reasons = (
            self.env["oms.return"].sudo()._oms_portal_request(order, self.customer, {line: 1}, "other", "exchange")
        )
        self.assertFalse(reasons)
        self.assertEqual(rma.state, "draft")
        self.assertEqual(rma.outcome, "exchange")
