from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_delivered_date = fields.Datetime(
        "Delivered to Customer",
        copy=False,
        help="When the customer received the shipment: at the delivery's validation, or when the carrier "
        "confirms it for shipments it tracks.",
    )

    def _oms_started(self):
        """The warehouse began this delivery (printed, or some of it picked)."""
        self.ensure_one()
        return self.printed or any(self.move_ids.mapped("picked"))

    def _oms_awaits_carrier_delivery(self):
        """Shipments whose delivery a carrier confirms later (see the fulfilment addon)."""
        self.ensure_one()
        return False

    def _action_done(self):
        result = super()._action_done()
        deliveries = self.filtered(lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing")
        for picking in deliveries.filtered(lambda picking: not picking._oms_awaits_carrier_delivery()):
            picking.oms_delivered_date = picking.date_done
        # Invoiced on delivery by the workflow, or paid orders whose products bill delivered quantities. Read as
        # superuser: the warehouse user validating the delivery may not read its order (a salesman's own orders
        # only), nor need accounting rights for the workflow to invoice.
        orders = deliveries.sale_id.sudo().filtered(
            lambda order: not order.oms_on_hold
            and (
                order.oms_workflow_id.invoice_policy == "on_delivery"
                or (order.oms_workflow_id.invoice_policy == "on_payment" and order._oms_is_paid())
            )
        )
        orders._oms_invoice_automatically()
        return result
