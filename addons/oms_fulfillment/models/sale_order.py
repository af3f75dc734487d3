from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_return_ids = fields.One2many("oms.return", "sale_order_id", string="Returns")
    oms_return_count = fields.Integer(compute="_compute_oms_return_count", string="Return Count")

    def _compute_oms_return_count(self):
        counts = dict(
            self.env["oms.return"]._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.oms_return_count = counts.get(order, 0)

    def _oms_delivery_dates(self):
        """When the order's deliveries were done."""
        self.ensure_one()
        return (
            self.sudo()
            .picking_ids.filtered(
                lambda picking: picking.state == "done"
                and picking.picking_type_code == "outgoing"
                and picking.date_done
            )
            .mapped("date_done")
        )

    def action_view_oms_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_fulfillment.action_oms_return")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id}
        return action
