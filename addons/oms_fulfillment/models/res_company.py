from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    oms_box_objective = fields.Selection(
        [("cheapest", "Cheapest boxes"), ("fewest", "Fewest boxes")],
        string="Box Choice",
        default="cheapest",
        required=True,
        help="What box choice on deliveries aims for: the lowest total cost of the boxes, or the fewest boxes "
        "(then the cheapest).",
    )
