from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_oms_channels = fields.Boolean(
        string="Sales Channels",
        help="Capture orders from web shops, marketplaces, EDI partners, phone and stores.",
    )
    module_oms_fulfillment = fields.Boolean(
        string="Fulfilment",
        help="Pick by order, batch, zone or wave; choose boxes and carriers; handle returns.",
    )
    oms_hold_alert_hours = fields.Integer(related="company_id.oms_hold_alert_hours", readonly=False)
