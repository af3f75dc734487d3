"""No one gets past a return's checks through the API: its state changes by its buttons only, its lines freeze once
approved, and the credit note credits what came back, whatever quantity a user typed."""

import xmlrpc.client

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from .test_returns import ReturnCase


@tagged("post_install", "-at_install")
class TestReturnChecksOverXmlRpc(ReturnCase, HttpCase):
    def call(self, model, method, *args):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "returns_user", "returns_user", {})
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "returns_user", model, method, list(args))

    def assertRefused(self, model, method, *args):
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self.call(model, method, *args)
        self.assertRegex(
            fault.exception.faultString, "through its buttons only|cannot change once the return is approved"
        )

    def test_oms_user_cannot_approve_a_return_by_writing_its_state(self):
        rma = self.new_return(self.delivered_order(tent=1, lamp=0), {self.tent: 1})
        self.assertRefused("oms.return", "write", rma.ids, {"state": "approved"})
        self.assertRefused("oms.return", "create", {"sale_order_id": rma.sale_order_id.id, "state": "received"})
        rma.invalidate_recordset()
        self.assertEqual(rma.state, "draft")
        self.assertFalse(rma.picking_id, "nothing was sent back around the checks")
        # The button goes through the checks, as the user.
        self.call("oms.return", "action_approve", rma.ids)
        rma.invalidate_recordset()
        self.assertEqual(rma.state, "approved")

    def test_lines_of_an_approved_return_are_frozen(self):
        rma = self.new_return(self.delivered_order(tent=1, lamp=0), {self.tent: 1})
        rma.with_user(self.oms_user).action_approve()
        line = rma.line_ids
        self.assertRefused("oms.return.line", "write", line.ids, {"quantity": 999})
        self.assertRefused("oms.return.line", "create", {"return_id": rma.id, "sale_line_id": line.sale_line_id.id})
        self.assertRefused("oms.return.line", "unlink", line.ids)
        line.invalidate_recordset()
        self.assertEqual(line.quantity, 1)

    def test_credit_note_credits_what_came_back_not_what_was_typed(self):
        order = self.delivered_order(tent=3, lamp=0)
        rma = self.new_return(order, {self.tent: 3})
        rma.action_approve()
        # Only one tent came back: the return transfer is validated with 1 and no backorder.
        picking = rma.picking_id
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.credit_note_id.invoice_line_ids.quantity, 1)
        self.assertAlmostEqual(rma.credit_note_id.amount_total, 100 * 1.21)

    def test_holds_change_state_by_their_methods_only(self):
        hold = self.env["oms.order.hold"].create(
            {"order_id": self.delivered_order(tent=1, lamp=0).id, "reason": "Checked by hand", "kind": "manual"}
        )
        self.assertRefused("oms.order.hold", "write", hold.ids, {"state": "released"})
        self.assertEqual(hold.state, "active")

    def test_return_quantities_are_finite_and_not_negative(self):
        rma = self.new_return(self.delivered_order(tent=1, lamp=0), {self.tent: 1})
        for quantity in (-1, float("inf"), float("nan")):
            try:
                with self.env.cr.savepoint():
                    rma.line_ids.with_user(self.oms_user).write({"quantity": quantity})
            # Refused by the check, or already by Odoo's rounding of a number that is not one.
            except (ValidationError, ValueError, OverflowError):
                continue
            self.fail(f"a quantity of {quantity} was accepted")
        self.assertEqual(rma.line_ids.quantity, 1)
