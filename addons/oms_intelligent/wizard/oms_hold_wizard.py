from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class OmsHoldWizard(models.TransientModel):
    _name = "oms.hold.wizard"
    _description = "Hold Orders"

    order_ids = fields.Many2many("sale.order", string="Orders")
    reason = fields.Char(required=True, help="What stops the order: shown on it until the hold is released.")
    approval_group_id = fields.Many2one("res.groups", "Released By Members Of")

    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "sale.order":
            values["order_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_hold(self):
        orders = self.order_ids.filtered(lambda order: order.state in ("draft", "sent", "sale"))
        if not orders:
            raise UserError(self.env._("Only quotations and confirmed orders can be held."))
        self.env["oms.order.hold"].create(
            [
                {
                    "order_id": order.id,
                    "kind": "manual",
                    "reason": self.reason,
                    "approval_group_id": self.approval_group_id.id,
                }
                for order in orders
            ]
        )
        for order in orders:
            order._message_log(body=Markup("<b>%s</b>: %s") % (self.env._("Held by hand"), self.reason))
        return {"type": "ir.actions.act_window_close"}
