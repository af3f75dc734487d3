import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..services.rfm import SEGMENTS, CustomerFigures, rfm_scores, top_share

_logger = logging.getLogger(__name__)

# Snapshot rows written per flush: a company's whole population is scored at once (RFM ranks customers against
# each other), written in batches of this size.
WRITE_BATCH = 1000


class OmsCustomerValue(models.Model):
    """Customer 360: the value of each customer to one company, a snapshot the daily cron recomputes.

    One row per commercial partner (a company and its contacts count as one customer) and company that has
    confirmed sales orders. A stored snapshot rather than a SQL view because RFM scores rank each customer against
    all the others of the company: a view would rank the whole population on every read of one partner's form.

    - Revenue: untaxed amounts of the confirmed orders (state "sale", locked or not), converted to the company's
      currency at each order's rate (as Odoo's sales analysis does).
    - Margin: Odoo's sale margin (module sale_margin): per line, the untaxed price less the cost at the time of the
      sale (the product's cost when the line was priced), converted like revenue. Not revenue: the most profitable
      customers are sorted on this.
    - Lifetime value: the revenue of all the customer's confirmed orders since its first one (historical, not a
      forecast); revenue (12 months) is the last 365 days only.
    - Return rate: units returned by the customer over units delivered to it, from done stock moves of its orders.
    - RFM: recency (days since the last order), frequency (order count), monetary (lifetime value), scored 1-5
      within the company (see services/rfm.py).
    - VIP suggested: among the company's top share by margin (Settings, "VIP suggestions"), not VIP yet.
    """

    _name = "oms.customer.value"
    _description = "Customer Value"
    _order = "margin desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_vip = fields.Boolean(related="partner_id.oms_vip", string="VIP")
    order_count = fields.Integer("Orders", readonly=True, help="Confirmed sales orders.")
    lifetime_value = fields.Monetary(
        readonly=True, help="Untaxed revenue of all the confirmed orders, in the company currency."
    )
    revenue_12m = fields.Monetary("Revenue (12 months)", readonly=True, help="Untaxed revenue of the last 365 days.")
    margin = fields.Monetary(readonly=True, help="Revenue less cost of the products sold, all time.")
    margin_percent = fields.Float(
        "Margin (%)", digits=(16, 1), aggregator=None, readonly=True, help="Margin over lifetime value."
    )
    average_order_value = fields.Monetary(aggregator="avg", readonly=True, help="Lifetime value over orders.")
    first_order_date = fields.Datetime("First Order", readonly=True)
    last_order_date = fields.Datetime("Last Order", readonly=True)
    recency_days = fields.Integer("Days Since Last Order", aggregator="avg", readonly=True)
    main_team_id = fields.Many2one(
        "crm.team", "Main Channel", readonly=True, help="Sales team (channel) of most of the customer's orders."
    )
    delivered_qty = fields.Float("Units Delivered", digits="Product Unit of Measure", readonly=True)
    returned_qty = fields.Float("Units Returned", digits="Product Unit of Measure", readonly=True)
    return_rate = fields.Float(
        "Return Rate (%)", digits=(16, 1), aggregator=None, readonly=True, help="Units returned over units delivered."
    )
    recency_score = fields.Integer("R", aggregator=None, readonly=True, help="Recency score, 5 the most recent.")
    frequency_score = fields.Integer("F", aggregator=None, readonly=True, help="Frequency score, 5 the most orders.")
    monetary_score = fields.Integer("M", aggregator=None, readonly=True, help="Monetary score, 5 the most revenue.")
    rfm_code = fields.Char("RFM", readonly=True)
    segment = fields.Selection(list(SEGMENTS), readonly=True, index=True)
    vip_suggested = fields.Boolean(
        "VIP Suggested",
        readonly=True,
        index=True,
        help="Among the company's most profitable customers (Settings) and not VIP yet.",
    )
    computed_at = fields.Datetime("Computed On", readonly=True)

    _sql_constraints = [
        ("partner_company_unique", "UNIQUE(partner_id, company_id)", "One customer value per customer and company.")
    ]

    # Recomputation ---------------------------------------------------------------------------------------------

    @api.model
    def _cron_recompute(self):
        """Recompute one company per call, the least recently computed first (the cron runner commits between
        calls and calls again while some remain)."""
        today = fields.Datetime.to_datetime(fields.Date.today())
        Company = self.env["res.company"].sudo()
        stale = ["|", ("oms_customer_value_date", "=", False), ("oms_customer_value_date", "<", today)]
        company = Company.search(stale, order="oms_customer_value_date ASC NULLS FIRST, id", limit=1)
        if company:
            self.sudo()._recompute(company)
        self.env["ir.cron"]._notify_progress(done=len(company), remaining=Company.search_count(stale))

    @api.model
    def _recompute_companies(self, company_ids):
        """Recompute the companies now (the demo data does it once installed)."""
        self.sudo()._recompute(self.env["res.company"].browse(company_ids))

    def action_recompute(self):
        # Behind a manager-only button, and run as superuser: the method checks the group itself.
        if not self.env.user.has_group("oms_intelligent.group_oms_manager"):
            raise AccessError(self.env._("Only Order Management managers recompute the customer figures."))
        # The company too: the snapshot's date is written on it, which managers may not do themselves.
        self.sudo()._recompute(self.env.company.sudo())
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _recompute(self, companies):
        """Recompute the snapshot of every customer of the companies; rows of customers without orders go."""
        now = fields.Datetime.now()
        for company in companies:
            figures = self._figures(company, now)
            scores = rfm_scores(
                CustomerFigures(partner_id, row["recency_days"], row["order_count"], row["lifetime_value"])
                for partner_id, row in figures.items()
            )
            top = top_share(
                {partner_id: row["margin"] for partner_id, row in figures.items()}, company.oms_vip_top_percent
            )
            vips = set(self.env["res.partner"].browse(list(top)).filtered("oms_vip").ids)
            existing = {row.partner_id.id: row for row in self.search([("company_id", "=", company.id)])}
            to_create, written = [], 0
            for partner_id, row in figures.items():
                score = scores[partner_id]
                values = {
                    **row,
                    "recency_score": score.recency,
                    "frequency_score": score.frequency,
                    "monetary_score": score.monetary,
                    "rfm_code": score.code,
                    "segment": score.segment,
                    "vip_suggested": partner_id in top and partner_id not in vips,
                    "computed_at": now,
                }
                if partner_id in existing:
                    existing.pop(partner_id).write(values)
                    written += 1
                    if written % WRITE_BATCH == 0:
                        self.env.flush_all()
                else:
                    to_create.append({**values, "partner_id": partner_id, "company_id": company.id})
            for start in range(0, len(to_create), WRITE_BATCH):
                self.create(to_create[start : start + WRITE_BATCH])
                self.env.flush_all()
            self.browse([record.id for record in existing.values()]).unlink()
            company.oms_customer_value_date = now
            _logger.info("Customer values of %s: %s customers", company.name, len(figures))

    def _figures(self, company, now):
        """{commercial partner id: figures} of the company's customers with confirmed orders, by grouped queries."""
        self.env.flush_all()
        figures = self._order_figures(company, now)
        if figures:
            self._add_main_channels(company, figures)
            self._add_deliveries_and_returns(company, figures)
        return figures

    def _order_figures(self, company, now):
        """{commercial partner id: figures} from the confirmed orders alone (channel and returns still empty)."""
        currency = company.currency_id  # read before the query: reading it may run a query of its own
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.commercial_partner_id,
                       COUNT(*),
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)),
                       SUM(CASE WHEN so.date_order >= %(year_ago)s
                                THEN so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0) ELSE 0 END),
                       SUM(COALESCE(so.margin, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1.0)),
                       MIN(so.date_order),
                       MAX(so.date_order)
                  FROM sale_order so
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                 GROUP BY partner.commercial_partner_id
                """,
                year_ago=now - timedelta(days=365),
                company=company.id,
            )
        )
        figures = {}
        for partner_id, count, raw_revenue, revenue_12m, raw_margin, first, last in self.env.cr.fetchall():
            revenue = currency.round(raw_revenue or 0.0)
            margin = currency.round(raw_margin or 0.0)
            figures[partner_id] = {
                "order_count": count,
                "lifetime_value": revenue,
                "revenue_12m": currency.round(revenue_12m or 0.0),
                "margin": margin,
                "margin_percent": round(100.0 * margin / revenue, 1) if revenue else 0.0,
                "average_order_value": currency.round(revenue / count) if count else 0.0,
                "first_order_date": first,
                "last_order_date": last,
                "recency_days": max(0, (now - last).days),
                "main_team_id": False,
                "delivered_qty": 0.0,
                "returned_qty": 0.0,
                "return_rate": 0.0,
            }
        return figures

    def _add_main_channels(self, company, figures):
        """Set each customer's main channel: the sales team of most of its confirmed orders."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner.commercial_partner_id) partner.commercial_partner_id, so.team_id
                  FROM sale_order so
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s AND so.team_id IS NOT NULL
                 GROUP BY partner.commercial_partner_id, so.team_id
                 ORDER BY partner.commercial_partner_id, COUNT(*) DESC, so.team_id
                """,
                company=company.id,
            )
        )
        for partner_id, team_id in self.env.cr.fetchall():
            figures[partner_id]["main_team_id"] = team_id

    def _add_deliveries_and_returns(self, company, figures):
        """Set the units delivered to each customer and returned by it, and their ratio.

        Delivered: done moves of the customer's order lines into a customer location from elsewhere; returned: done
        moves of those lines out of a customer location (Odoo's return moves keep the sale line)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.commercial_partner_id,
                       SUM(CASE WHEN destination.usage = 'customer' AND source.usage != 'customer'
                                THEN move.product_qty ELSE 0 END),
                       SUM(CASE WHEN source.usage = 'customer' AND destination.usage != 'customer'
                                THEN move.product_qty ELSE 0 END)
                  FROM stock_move move
                  JOIN stock_location source ON source.id = move.location_id
                  JOIN stock_location destination ON destination.id = move.location_dest_id
                  JOIN sale_order_line line ON line.id = move.sale_line_id
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE move.state = 'done' AND so.state = 'sale' AND so.company_id = %(company)s
                 GROUP BY partner.commercial_partner_id
                """,
                company=company.id,
            )
        )
        for partner_id, delivered, returned in self.env.cr.fetchall():
            if partner_id in figures:
                figures[partner_id].update(
                    delivered_qty=delivered or 0.0,
                    returned_qty=returned or 0.0,
                    return_rate=round(100.0 * returned / delivered, 1) if delivered else 0.0,
                )

    # Actions ---------------------------------------------------------------------------------------------------

    def action_mark_vip(self):
        """Flag the customers VIP: their next orders become VIP special orders (OMS managers only)."""
        if not self.env.user.has_group("oms_intelligent.group_oms_manager"):
            raise AccessError(self.env._("Only Order Management managers mark customers as VIP."))
        self.check_access("write")
        self.partner_id.sudo().oms_vip = True
        self.vip_suggested = False
        return True
