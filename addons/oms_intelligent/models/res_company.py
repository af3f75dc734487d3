from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    oms_hold_alert_hours = fields.Integer(
        "Alert on Holds After (hours)",
        default=4,
        help="An order on hold for longer needs attention: it is listed in Alerts and its team gets an activity.",
    )
