from odoo import fields, models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    oms_negative = fields.Boolean(
        "Means Not Everything Received",
        help="Choosing this answer to the 'everything received' question of a post-sale survey opens an activity "
        "for customer service on the order.",
    )
