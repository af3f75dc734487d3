from odoo import api, fields, models
from odoo.addons.oms_intelligent.tools import keep_column_defaults
from odoo.exceptions import ValidationError

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
    oms_returns_carrier_id = fields.Many2one(
        "delivery.carrier",
        "Returns Carrier",
        domain=[("delivery_type", "=", "oms_sendcloud")],
        help="A Sendcloud carrier that makes the return labels and tracks the returned parcels, instead of the "
        "returns provider's URL.",
    )
    oms_survey_id = fields.Many2one(
        "survey.survey",
        string="Post-sale Survey",
        help="The survey customers are invited to after their order is delivered; empty: the OMS survey "
        "'How was your order?'.",
    )
    oms_survey_delay_days = fields.Integer(
        "Survey Delay (days)",
        default=3,
        help="Days after the order's last delivery reached the customer before they are invited to the post-sale "
        "survey. A sales team (a channel's team) may wait otherwise.",
    )
    oms_survey_low_rating = fields.Integer(
        "Low Rating",
        default=2,
        help="A rating up to this (on 1 to 5) opens an activity for customer service on the order.",
    )
    oms_survey_service_user_id = fields.Many2one(
        "res.users",
        string="Customer Service",
        help="Who follows up low ratings and incomplete orders; empty: the leader of the order's sales team, else "
        "its salesperson.",
    )
    oms_service_contact = fields.Text(
        "Customer Service Contact",
        translate=True,
        help="How customers reach customer service, written in the post-sale survey e-mail (e.g. phone and hours).",
    )
    oms_service_email = fields.Char(
        "Customer Service E-mail", help="Written in the post-sale survey e-mail; empty: the company's e-mail."
    )
    oms_return_instructions = fields.Text(
        "How to Return",
        translate=True,
        help="How customers return a product, written in the post-sale survey e-mail.",
    )

    def _auto_init(self):
        result = super()._auto_init()
        keep_column_defaults(self, ("oms_carrier_policy", "oms_box_objective"))
        return result

    @api.constrains("oms_survey_delay_days", "oms_survey_low_rating")
    def _check_oms_survey_settings(self):
        for company in self:
            if company.oms_survey_delay_days < 0:
                raise ValidationError(self.env._("The survey delay cannot be negative."))
            if not 0 <= company.oms_survey_low_rating <= 5:
                raise ValidationError(self.env._("The low rating is between 0 (never) and 5."))
