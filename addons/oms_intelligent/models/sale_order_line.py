from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _oms_goods(self):
        """The lines that sell a product: no sections, notes, down payments nor delivery charges."""
        return self.filtered(
            lambda line: line.product_id
            and not line.display_type
            and not line.is_downpayment
            and not line._is_delivery()
        )

    def _oms_is_free(self):
        self.ensure_one()
        return self.currency_id.is_zero(self.price_unit) or self.discount >= 100.0

    def _oms_make_free(self):
        """Price 0 on the goods of a free-of-charge (gift) order that are not invoiced yet; a 100% discount becomes a
        0 price so that the invoice tells the same."""
        free = self._oms_goods().filtered(lambda line: not line.qty_invoiced and (line.price_unit or line.discount))
        if free:
            free.write({"price_unit": 0.0, "technical_price_unit": 0.0, "discount": 0.0})

    def _compute_price_unit(self):  # pylint: disable=missing-return
        # A compute method returns nothing; Odoo's own returns None.
        super()._compute_price_unit()
        # A line added to (or re-quantified on) a gift order stays free, whatever its pricelist says.
        for line in self:
            if line.order_id.oms_special_type_id.sudo().zero_price and line._oms_goods() and not line.qty_invoiced:
                line.price_unit = 0.0
                line.technical_price_unit = 0.0

    def _oms_gift_account(self):
        """The expense account where the cost of this line is booked: set for a free line of a gift order whose type
        has one, else an empty recordset."""
        self.ensure_one()
        special_type = self.order_id.oms_special_type_id.sudo()
        if (
            not special_type.zero_price
            or not special_type.gift_expense_account_id
            or not self._oms_goods()
            or not self._oms_is_free()
        ):
            return self.env["account.account"]
        return special_type.gift_expense_account_id

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        gift_account = self._oms_gift_account()
        if gift_account:
            values["account_id"] = gift_account.id
        return values
