from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    oms_survey_role = fields.Selection(
        [("rating", "Order Rating"), ("all_received", "Everything Received"), ("comment", "Comment")],
        string="Post-sale Role",
        help="What this question's answer tells the sale order it was sent for: its rating (a 1 to 5 scale), "
        "whether the customer received everything (a choice, see its negative answer) or the customer's comment.",
    )
