from odoo import api, fields, models

TRIGGERS = [
    ("manual", "Set by hand"),
    ("vip_customer", "VIP customer"),
    ("replacement", "Replacement of an order"),
    ("gift_lines", "Only free product lines"),
]
# When several rules match an order, the first kind wins: a free replacement is a replacement, not a gift.
TRIGGER_PRECEDENCE = ("replacement", "gift_lines", "vip_customer")


class OmsSpecialOrderType(models.Model):
    """A kind of special order (VIP, replacement, gift...): the rule that tags orders, the effects it has on them
    and the sequence that gives each one its unique code."""

    _name = "oms.special.order.type"
    _description = "Special Order Type"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        "Code Prefix", required=True, tracking=True, help="Start of the codes of these orders, e.g. VIP-2026-00042."
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Code Sequence",
        readonly=True,
        copy=False,
        check_company=True,
        help="Numbers the codes of this type's orders; created with the type.",
    )
    trigger = fields.Selection(
        TRIGGERS,
        string="Tag Automatically",
        required=True,
        default="manual",
        tracking=True,
        help="Which orders get this type without anyone choosing it.",
    )
    priority = fields.Boolean(
        help="Deliveries of these orders are urgent for the warehouse, and the orders are routed first.",
        tracking=True,
    )
    skip_payment_hold = fields.Boolean(
        help="These orders are not held waiting for payment (e.g. replacements already paid for).", tracking=True
    )
    zero_price = fields.Boolean("Free of Charge", help="The product lines of these orders are priced 0.", tracking=True)
    gift_expense_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        tracking=True,
        help="Where the cost of the free lines is booked when the order is invoiced (e.g. a marketing expense).",
    )
    order_count = fields.Integer(compute="_compute_order_count", string="Orders")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code prefix of a special order type must be unique."),
    ]

    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("oms_special_type_id", "in", self.ids)], ["oms_special_type_id"], ["__count"]
            )
        )
        for special_type in self:
            special_type.order_count = counts.get(special_type, 0)

    @api.model_create_multi
    def create(self, vals_list):
        special_types = super().create(vals_list)
        for special_type in special_types:
            special_type.sequence_id = self.env["ir.sequence"].sudo().create(special_type._sequence_values())
        return special_types

    def write(self, vals):
        res = super().write(vals)
        if {"code", "name", "company_id"} & vals.keys():
            for special_type in self:
                values = special_type._sequence_values()
                special_type.sequence_id.sudo().write({key: values[key] for key in ("name", "prefix", "company_id")})
        return res

    def _sequence_values(self):
        self.ensure_one()
        # 'standard' is a PostgreSQL sequence: concurrent orders never wait for each other nor share a number
        # (a rolled back order leaves a gap, which a code can afford).
        return {
            "name": self.env._("Special orders: %s", self.name),
            "prefix": f"{self.code}-%(year)s-",
            "padding": 5,
            "implementation": "standard",
            "company_id": self.company_id.id,
        }

    def _next_code(self):
        self.ensure_one()
        return self.sequence_id.sudo().next_by_id()

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_intelligent.action_oms_retention")
        action["domain"] = [("oms_special_type_id", "=", self.id)]
        return action
