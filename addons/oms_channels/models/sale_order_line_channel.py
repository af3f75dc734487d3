from odoo import fields, models


class SaleOrderLineChannel(models.Model):
    """The channel's own id of an imported line: what its refunds, shipments and returns name the line by."""

    _inherit = "sale.order.line"

    oms_channel_line_ref = fields.Char("Channel Line Reference", readonly=True, copy=False)
