from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    oms_box_objective = fields.Selection(related="company_id.oms_box_objective", readonly=False)
