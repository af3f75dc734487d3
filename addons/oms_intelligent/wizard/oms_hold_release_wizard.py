from odoo import fields, models
from odoo.exceptions import UserError


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
        """Release the holds still active, then move on by their workflow the orders nothing holds any more. Holds
        released already are left as they were (and said so): releasing them again must not run a workflow."""
        self.ensure_one()
        if not self.hold_ids:  # none chosen, or none this user may see (another company's)
            raise UserError(self.env._("Choose the holds to release."))
        active = self.hold_ids.filtered(lambda hold: hold.state == "active")
        already = self.hold_ids - active
        if not active:
            raise UserError(
                self.env._(
                    "Nothing to release: the holds of %s are released already.",
                    ", ".join(already.order_id.mapped("display_name")),
                )
            )
        orders = active.order_id
        # The workflow below runs with its own rights (confirming, invoicing): only on orders this user may change.
        orders.check_access("write")
        active._release(self.note)
        orders.filtered(lambda order: not order.oms_on_hold).sudo()._oms_run_workflow()
        if not already:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": self.env._(
                    "Released what was still on hold. Already released before, left as they were: %s",
                    "; ".join(f"{hold.order_id.display_name}: {hold.reason}" for hold in already),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
