from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    oms_survey_own_delay = fields.Boolean(
        "Own Survey Delay",
        help="Orders of this team (a sales channel's team) wait their own number of days after delivery before the "
        "post-sale survey, instead of the company's.",
    )
    oms_survey_delay_days = fields.Integer(
        "Survey Delay (days)", default=3, help="Days after delivery before the post-sale survey invitation."
    )

    @api.constrains("oms_survey_delay_days")
    def _check_oms_survey_delay_days(self):
        if any(team.oms_survey_delay_days < 0 for team in self):
            raise ValidationError(self.env._("The survey delay cannot be negative."))
