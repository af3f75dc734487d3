from odoo import fields, models

from ..services.gift_cost import GiftCost, gift_cost_entry_lines


class AccountMove(models.Model):
    _inherit = "account.move"

    oms_gift_invoice_id = fields.Many2one(
        "account.move",
        string="Gift Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The invoice of a gift order whose cost this entry books.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(lambda move: move.move_type == "out_invoice")._oms_book_gift_costs()
        return posted

    def _oms_book_gift_costs(self):
        """Book the cost of the free lines of gift orders on their type's expense account (one entry per order,
        once per invoice: posting it again after a reset to draft books nothing more)."""
        for invoice in self:
            gifts_by_order = {}
            for line in invoice.invoice_line_ids:
                sale_line = line.sale_line_ids[:1]
                account = sale_line._oms_gift_account() if sale_line else None
                if account and line.account_id == account:
                    gifts_by_order.setdefault(sale_line.order_id, []).append((line, account))
            if not gifts_by_order:
                continue
            entries = self.sudo().search([("oms_gift_invoice_id", "=", invoice.id), ("state", "=", "posted")])
            for order, gift_lines in gifts_by_order.items():
                if order.oms_special_code not in entries.mapped("ref"):
                    invoice._oms_book_gift_cost(order, gift_lines)

    def _oms_book_gift_cost(self, order, gift_lines):
        """Book the cost of the order's gift lines of this invoice ([(invoice line, expense account)]) in one
        posted entry of the company's general journal, and note it on the order."""
        self.ensure_one()
        company = self.company_id
        lines = gift_cost_entry_lines(
            self._oms_gift_costs(gift_lines),
            digits=company.currency_id.decimal_places,
            label=self.env._("Gift %s", order.oms_special_code),
        )
        journal = (
            self.env["account.journal"]
            .sudo()
            .search([*self.env["account.journal"]._check_company_domain(company), ("type", "=", "general")], limit=1)
        )
        if not lines or not journal:
            return
        entry = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": self.date,
                    "ref": order.oms_special_code,
                    "oms_gift_invoice_id": self.id,
                    "line_ids": [fields.Command.create(values) for values in lines],
                }
            )
        )
        entry._post(soft=False)
        order.message_post(
            body=self.env._(
                "Gift cost of %(amount)s booked by %(entry)s for invoice %(invoice)s.",
                amount=company.currency_id.format(sum(values["debit"] for values in lines)),
                entry=entry._get_html_link(),
                invoice=self._get_html_link(),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _oms_gift_costs(self, gift_lines):
        """The GiftCost of each gift line ([(invoice line, expense account)]) whose product has a cost account."""
        company = self.company_id
        gifts = []
        for line, account in gift_lines:
            product = line.product_id.with_company(company)
            cost_account = product.product_tmpl_id._get_product_accounts()["expense"]
            if cost_account:
                gifts.append(
                    GiftCost(
                        label=product.display_name,
                        quantity=line.product_uom_id._compute_quantity(line.quantity, product.uom_id),
                        unit_cost=product.standard_price,
                        expense_account_id=account.id,
                        cost_account_id=cost_account.id,
                    )
                )
        return gifts
