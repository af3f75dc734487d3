from odoo import api, fields, models


class OmsAllocationWizard(models.TransientModel):
    """Confirms, then runs, the batch allocation of the company's orders waiting to ship."""

    _name = "oms.allocation.wizard"
    _description = "Allocate Waiting Orders"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    waiting_order_count = fields.Integer("Orders Waiting to Ship", compute="_compute_waiting_order_count")

    @api.depends("company_id")
    def _compute_waiting_order_count(self):
        for wizard in self:
            wizard.waiting_order_count = len(self.env["sale.order"]._oms_waiting_to_ship(wizard.company_id))

    def action_allocate(self):
        self.ensure_one()
        orders = self.env["sale.order"]._oms_waiting_to_ship(self.company_id)
        if not orders:
            message = self.env._("No order is waiting to ship.")
        else:
            allocation, greedy = orders._oms_allocate()
            message = self.env._(
                "%(served)s of %(waiting)s waiting orders can ship complete; first come, first served would ship "
                "%(greedy)s.",
                served=allocation.served_count,
                waiting=len(orders),
                greedy=greedy.served_count,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Allocate waiting orders"),
                "message": message,
                "type": "info",
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
