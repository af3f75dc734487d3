from odoo import api, fields, models


class OmsChannel(models.Model):
    """A sales channel: where orders come from (web shop, marketplace, EDI partner...), and what its orders get
    (company, pricelist, team, warehouse, routing, workflow, carriers, product bindings, unusual-order limits)."""

    _name = "oms.channel"
    _description = "Sales Channel"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, help="Short code shown on orders and used in the webhook address, e.g. AMZ-ES.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    kind = fields.Selection(
        [
            ("web_shop", "Web Shop"),
            ("marketplace", "Marketplace"),
            ("phone", "Phone / Customer Service"),
            ("store", "In-Store"),
            ("edi", "EDI"),
        ],
        required=True,
        default="web_shop",
        tracking=True,
    )
    connector = fields.Selection(
        [
            ("rest", "REST API (pull)"),
            ("soap", "SOAP web service (pull)"),
            ("webhook", "Webhook (push)"),
            ("manual", "Manual entry"),
        ],
        required=True,
        default="manual",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Pricelist of orders in its currency; orders in another currency use the company's pricelist in theirs.",
    )
    currency_id = fields.Many2one(related="pricelist_id.currency_id", string="Currency")
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Default Warehouse", check_company=True, help="Warehouse of imported orders."
    )
    routing_strategy_id = fields.Many2one(
        "oms.routing.strategy",
        check_company=True,
        help="How this channel's orders choose their warehouses; the company's default strategy when empty.",
    )
    workflow_id = fields.Many2one(
        "oms.order.workflow",
        "Order Workflow",
        check_company=True,
        help="What happens to imported orders once the policies pass (confirm, invoice); the company's default "
        "for the customer type when empty, and quotations when there is none.",
    )
    default_carrier_id = fields.Many2one(
        "delivery.carrier", help="Carrier of orders whose shipping method is not mapped."
    )
    carrier_map_ids = fields.One2many("oms.channel.carrier", "channel_id", string="Shipping Methods")
    product_binding_ids = fields.One2many("oms.channel.product", "channel_id", string="Product Bindings")

    # Orders above these limits are imported but held for a person ("Unusual quantity or amount" policy).
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    max_line_quantity = fields.Float(
        "Max Quantity per Line",
        default=10_000,
        digits="Product Unit of Measure",
        help="An imported order with a line above this quantity is held for a person; 0: no limit.",
    )
    max_order_amount = fields.Monetary(
        currency_field="company_currency_id",
        default=1_000_000,
        help="An imported order above this total (in the company's currency) is held for a person; 0: no limit.",
    )

    staging_ids = fields.One2many("oms.channel.order", "channel_id", string="Channel Orders")
    order_count_today = fields.Integer(compute="_compute_dashboard")
    error_count = fields.Integer(compute="_compute_dashboard")
    pending_count = fields.Integer(compute="_compute_dashboard")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The channel code must be unique per company."),
        (
            "limits_not_negative",
            "CHECK(max_line_quantity >= 0 AND max_order_amount >= 0)",
            "The unusual-order limits cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        channels = super().create(vals_list)
        self.env["oms.order.policy"].sudo()._ensure_unusual_policy(channels.company_id)
        return channels

    def _compute_dashboard(self):
        today_start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        counts = {
            (channel.id, state): count
            for channel, state, count in self.env["oms.channel.order"]._read_group(
                [("channel_id", "in", self.ids)], ["channel_id", "state"], ["__count"]
            )
        }
        today = dict(
            self.env["oms.channel.order"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "imported"), ("create_date", ">=", today_start)],
                ["channel_id"],
                ["__count"],
            )
        )
        for channel in self:
            channel.order_count_today = today.get(channel, 0)
            channel.error_count = counts.get((channel.id, "error"), 0)
            channel.pending_count = counts.get((channel.id, "new"), 0)

    def action_open_staging(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_channels.action_oms_channel_order")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"default_channel_id": self.id, "search_default_filter_to_check": 1}
        return action

    def action_open_errors(self):
        action = self.action_open_staging()
        action["context"] = {"search_default_filter_error": 1, "search_default_group_error_category": 1}
        return action

    def action_open_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("oms_channel_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
