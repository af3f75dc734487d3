from odoo import fields, models


class SaleOrderLineChannel(models.Model):
    """The platform's own id of an order line, which its shipments and refunds name the line by."""

    _inherit = "sale.order.line"

    # Filled by the import from the channel order's ``external_line_id`` (services/channel_order.py); a line
    # without it is left out of what is pushed back to the platform.
    oms_external_line_id = fields.Char("Channel Line ID", readonly=True, copy=False)
