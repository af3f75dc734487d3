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
    oms_reorder_service_level = fields.Float(related="company_id.oms_reorder_service_level", readonly=False)
    oms_reorder_max_rule = fields.Selection(related="company_id.oms_reorder_max_rule", readonly=False)
    oms_reorder_cover_days = fields.Integer(related="company_id.oms_reorder_cover_days", readonly=False)
    oms_reorder_order_cost = fields.Float(related="company_id.oms_reorder_order_cost", readonly=False)
    oms_reorder_holding_rate = fields.Float(related="company_id.oms_reorder_holding_rate", readonly=False)
    oms_reorder_default_lead_days = fields.Integer(related="company_id.oms_reorder_default_lead_days", readonly=False)
    oms_reorder_fallback_min = fields.Float(related="company_id.oms_reorder_fallback_min", readonly=False)
    oms_slow_mover_days = fields.Integer(related="company_id.oms_slow_mover_days", readonly=False)
    oms_overstock_cover_days = fields.Integer(related="company_id.oms_overstock_cover_days", readonly=False)
    oms_vip_top_percent = fields.Float(related="company_id.oms_vip_top_percent", readonly=False)
