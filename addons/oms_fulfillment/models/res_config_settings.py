from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    oms_carrier_policy = fields.Selection(related="company_id.oms_carrier_policy", readonly=False)
    oms_tracking_notice = fields.Boolean(related="company_id.oms_tracking_notice", readonly=False)
    oms_box_objective = fields.Selection(related="company_id.oms_box_objective", readonly=False)
    oms_return_window_days = fields.Integer(related="company_id.oms_return_window_days", readonly=False)
    oms_returns_provider_url = fields.Char(related="company_id.oms_returns_provider_url", readonly=False)
    oms_returns_provider_key = fields.Char(related="company_id.oms_returns_provider_key", readonly=False)
    oms_returns_carrier_id = fields.Many2one(related="company_id.oms_returns_carrier_id", readonly=False)
    oms_survey_id = fields.Many2one(related="company_id.oms_survey_id", readonly=False)
    oms_survey_delay_days = fields.Integer(related="company_id.oms_survey_delay_days", readonly=False)
    oms_survey_low_rating = fields.Integer(related="company_id.oms_survey_low_rating", readonly=False)
    oms_survey_service_user_id = fields.Many2one(related="company_id.oms_survey_service_user_id", readonly=False)
    oms_service_contact = fields.Text(related="company_id.oms_service_contact", readonly=False)
    oms_service_email = fields.Char(related="company_id.oms_service_email", readonly=False)
    oms_return_instructions = fields.Text(related="company_id.oms_return_instructions", readonly=False)
