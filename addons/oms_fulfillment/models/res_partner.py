from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.depends_context("company")
    def _compute_oms_fulfillment_figures(self):
        """The customer's latest post-sale survey rating and open returns, in the current company (two grouped
        queries for all the partners shown)."""
        customers = self.commercial_partner_id
        company = self.env.company
        answered = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("oms_survey_answered", "!=", False),
                ],
                order="oms_survey_answered desc",
            )
        )
        ratings = {}
        for order in answered:
            ratings.setdefault(order.partner_id.commercial_partner_id, order.oms_survey_rating)
        open_returns = dict(
            self.env["oms.return"]
            .sudo()
            ._read_group(
                [
                    ("partner_id.commercial_partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", ("draft", "approved", "received")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        returns_by_customer = {}
        for partner, count in open_returns.items():
            customer = partner.commercial_partner_id
            returns_by_customer[customer] = returns_by_customer.get(customer, 0) + count
        for partner in self:
            customer = partner.commercial_partner_id
            rating = ratings.get(customer)
            partner.oms_last_survey_rating = f"{rating}/5" if rating else False
            partner.oms_open_return_count = returns_by_customer.get(customer, 0)
