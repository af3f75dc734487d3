from odoo import api, fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    oms_sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The order this post-sale survey answer is about.",
    )

    _sql_constraints = [
        ("oms_sale_order_uniq", "unique(oms_sale_order_id)", "An order has one post-sale survey answer."),
    ]

    @api.model
    def _oms_answer_facts(self, user_input):
        """The rating (int or None), 'everything received' (bool or None) and comment of a post-sale answer, read
        from the questions marked with their post-sale role."""
        rating = received = None
        comments = []
        for line in user_input.user_input_line_ids.filtered(lambda line: not line.skipped):
            role = line.question_id.oms_survey_role
            if role == "rating" and line.answer_type == "scale":
                rating = line.value_scale
            elif role == "rating" and line.answer_type == "numerical_box":
                rating = int(line.value_numerical_box)
            elif role == "all_received" and line.answer_type == "suggestion":
                received = not line.suggested_answer_id.oms_negative
            elif role == "comment" and line.answer_type in ("text_box", "char_box"):
                comments.append(line.value_text_box or line.value_char_box or "")
        return rating, received, "\n".join(comment for comment in comments if comment.strip())

    def _mark_done(self):
        result = super()._mark_done()
        self.filtered("oms_sale_order_id").oms_sale_order_id.sudo()._oms_survey_answered()
        return result
