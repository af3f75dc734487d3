from odoo import fields, models


class OmsHoldReleaseWizard(models.TransientModel):
    _name = "oms.hold.release.wizard"
    _description = "Release Held Orders"

    order_ids = fields.Many2many("sale.order", string="Orders")
    hold_ids = fields.Many2many(
        "oms.order.hold", string="Holds", domain="[('order_id', 'in', order_ids), ('state', '=', 'active')]"
    )
    note = fields.Text(required=True, help="Why the order may go on: kept on the hold and in the order's chatter.")

    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        orders = self.env["sale.order"].browse(self.env.context.get("active_ids", []))
        if self.env.context.get("active_model") == "sale.order" and orders:
            values["order_ids"] = [fields.Command.set(orders.ids)]
            values["hold_ids"] = [fields.Command.set(orders.oms_hold_ids.filtered(lambda h: h.state == "active").ids)]
        return values

    def action_release(self):
        self.hold_ids._release(self.note)
        # Released orders go on by their workflow, with the rights of the workflow rather than the releaser's.
        self.hold_ids.order_id.filtered(lambda order: not order.oms_on_hold).sudo()._oms_run_workflow()
        return {"type": "ir.actions.act_window_close"}
