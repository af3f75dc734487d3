from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..services.geo import Location
from ..services.rfm import SEGMENTS

# Customer 360 figures of the partner form: {partner field: oms.customer.value field}.
VALUE_FIELDS = {
    "oms_value_currency_id": "currency_id",
    "oms_order_count": "order_count",
    "oms_lifetime_value": "lifetime_value",
    "oms_revenue_12m": "revenue_12m",
    "oms_margin": "margin",
    "oms_margin_percent": "margin_percent",
    "oms_average_order_value": "average_order_value",
    "oms_first_order_date": "first_order_date",
    "oms_last_order_date": "last_order_date",
    "oms_main_team_id": "main_team_id",
    "oms_return_rate": "return_rate",
    "oms_rfm_code": "rfm_code",
    "oms_segment": "segment",
    "oms_vip_suggested": "vip_suggested",
    "oms_value_computed_at": "computed_at",
}


# Who may see a customer's value figures (revenue, margin, RFM...): not every employee who opens a contact.
CUSTOMER_VALUE_GROUPS = "oms_intelligent.group_oms_user,sales_team.group_sale_manager"


def _figure(field_type, string, **kwargs):
    """A Customer 360 figure of the partner form: copied from its ``VALUE_FIELDS`` source by _compute_oms_value_id,
    for the value groups only."""
    return field_type(string=string, compute="_compute_oms_value_id", groups=CUSTOMER_VALUE_GROUPS, **kwargs)


def _amount(string):
    return _figure(fields.Monetary, string, currency_field="oms_value_currency_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    oms_vip = fields.Boolean(
        "VIP Customer", help="Orders of this customer (or of its contacts) become VIP special orders."
    )
    # Customer 360: the snapshot of the commercial partner in the current company (see oms.customer.value).
    oms_value_id = fields.Many2one(
        "oms.customer.value",
        "Customer Value",
        compute="_compute_oms_value_id",
        groups=CUSTOMER_VALUE_GROUPS,
        search="_search_oms_value_id",
    )
    oms_value_currency_id = _figure(fields.Many2one, "Value Currency", comodel_name="res.currency")
    oms_order_count = _figure(fields.Integer, "Confirmed Orders")
    oms_lifetime_value = _amount("Lifetime Value")
    oms_revenue_12m = _amount("Revenue (12 months)")
    oms_margin = _amount("Margin")
    oms_margin_percent = _figure(fields.Float, "Margin (%)")
    oms_average_order_value = _amount("Average Order Value")
    oms_first_order_date = _figure(fields.Datetime, "First Order")
    oms_last_order_date = _figure(fields.Datetime, "Last Order")
    oms_main_team_id = _figure(fields.Many2one, "Main Channel", comodel_name="crm.team")
    oms_return_rate = _figure(fields.Float, "Return Rate (%)")
    oms_rfm_code = _figure(fields.Char, "RFM")
    oms_segment = _figure(fields.Selection, "Segment", selection=list(SEGMENTS))
    oms_vip_suggested = _figure(fields.Boolean, "VIP Suggested")
    oms_value_computed_at = _figure(fields.Datetime, "Figures Of")

    oms_channel_breakdown = fields.Html(
        "Orders by Channel",
        compute="_compute_oms_channel_breakdown",
        sanitize=False,
        compute_sudo=True,
        groups=CUSTOMER_VALUE_GROUPS,
    )
    # Hooks for the fulfilment addon (surveys and returns live there): empty here, filled by its override.
    oms_last_survey_rating = fields.Char(
        "Last Survey Rating", compute="_compute_oms_fulfillment_figures", groups=CUSTOMER_VALUE_GROUPS
    )
    oms_open_return_count = fields.Integer(
        "Open Returns", compute="_compute_oms_fulfillment_figures", groups=CUSTOMER_VALUE_GROUPS
    )

    @api.depends_context("company")
    def _compute_oms_channel_breakdown(self):
        """Confirmed orders and untaxed revenue (company currency) per sales team, as of now (not the snapshot)."""
        for partner in self:
            groups = self.env["sale.order"]._read_group(
                partner._oms_orders_domain(), ["team_id", "currency_id"], ["__count", "amount_untaxed:sum"]
            )
            if not groups:
                partner.oms_channel_breakdown = False
                continue
            company = self.env.company
            totals = {}
            for team, currency, count, amount in groups:
                total = totals.setdefault(team, [0, 0.0])
                total[0] += count
                total[1] += currency._convert(amount, company.currency_id, company, fields.Date.today())
            rows = Markup().join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
                % (team.display_name or self.env._("No channel"), count, company.currency_id.format(amount))
                for team, (count, amount) in sorted(totals.items(), key=lambda item: -item[1][1])
            )
            partner.oms_channel_breakdown = Markup(
                "<table class='table table-sm'><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th></tr>%s</table>"
            ) % (self.env._("Channel"), self.env._("Orders"), self.env._("Revenue"), rows)

    def _compute_oms_fulfillment_figures(self):
        self.oms_last_survey_rating = False
        self.oms_open_return_count = 0

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_oms_value_id(self):
        # Every figure is read in the current company: the cache of each depends on it.
        values = (
            self.env["oms.customer.value"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)])
        )
        by_partner = {value.partner_id: value for value in values}
        for partner in self:
            value = by_partner.get(partner.commercial_partner_id, values.browse())
            partner.oms_value_id = value
            for field, value_field in VALUE_FIELDS.items():
                partner[field] = value[value_field]

    def _search_oms_value_id(self, operator, value):
        values = self.env["oms.customer.value"].sudo().search([("id", operator, value)])
        return [("commercial_partner_id", "in", values.partner_id.ids)]

    def _oms_location(self):
        """Where this address is, as the routing engine reads it (unknown parts stay None)."""
        self.ensure_one()
        return Location(
            latitude=self.partner_latitude or None,
            longitude=self.partner_longitude or None,
            country_code=self.country_id.code or None,
            region=self.state_id.code or None,
        )

    def _oms_orders_domain(self):
        """The confirmed orders of the customer (and its contacts) in the current company."""
        return [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("state", "=", "sale"),
            ("company_id", "=", self.env.company.id),
        ]

    def action_oms_customer_orders(self):
        """The customer's confirmed orders, by channel (sales team) and OMS status."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of %(customer)s", customer=self.commercial_partner_id.display_name),
            "res_model": "sale.order",
            "view_mode": "list,pivot,graph,form",
            "domain": self._oms_orders_domain(),
            "context": {
                "group_by": ["team_id"],
                "pivot_row_groupby": ["team_id"],
                "pivot_column_groupby": ["oms_state"],
            },
        }

    def action_oms_mark_vip(self):
        """Flag the customer (its commercial partner) VIP: its next orders become VIP special orders."""
        if not self.env.user.has_group("oms_intelligent.group_oms_manager"):
            raise AccessError(self.env._("Only Order Management managers mark customers as VIP."))
        self.commercial_partner_id.oms_vip = True
        self.env["oms.customer.value"].sudo().search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        ).vip_suggested = False
        return True
