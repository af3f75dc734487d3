from odoo import fields, models

CARRIER_POLICIES = [
    ("cheapest", "Cheapest"),
    ("fastest", "Fastest"),
    ("cheapest_on_time", "Cheapest arriving by the promised date"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    oms_carrier_policy = fields.Selection(
        CARRIER_POLICIES,
        string="Carrier Choice",
        default="cheapest",
        required=True,
        help="How rate shopping chooses the carrier of a delivery among the carriers' quotes: the cheapest, the "
        "fastest, or the cheapest arriving by the date promised to the customer (else the fastest). A warehouse "
        "may choose otherwise.",
    )
    oms_tracking_notice = fields.Boolean(
        "Tracking Notices",
        default=True,
        help="E-mail customers the carrier, the tracking link and the estimated arrival when their delivery ships.",
    )
    oms_box_objective = fields.Selection(
        [("cheapest", "Cheapest boxes"), ("fewest", "Fewest boxes")],
        string="Box Choice",
        default="cheapest",
        required=True,
        help="What box choice on deliveries aims for: the lowest total cost of the boxes, or the fewest boxes "
        "(then the cheapest).",
    )
    oms_return_window_days = fields.Integer(
        "Return Window",
        default=30,
        help="How many days after the delivery a customer may ask to return goods.",
    )
    oms_returns_provider_url = fields.Char(
        "Returns Provider URL", help="The returns provider's API, which makes prepaid return labels; none when empty."
    )
    oms_returns_provider_key = fields.Char("Returns Provider API Key", groups="base.group_system")
