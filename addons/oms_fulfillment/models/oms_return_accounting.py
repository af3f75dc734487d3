from collections import defaultdict

from markupsafe import Markup

from odoo import Command, fields, models
from odoo.tools import float_compare


class OmsReturnAccounting(models.Model):
    """What the customer gets for the goods received: a credit note at the invoiced prices, or a replacement order."""

    _inherit = "oms.return"

    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    exchange_order_id = fields.Many2one("sale.order", readonly=True, copy=False)

    def _oms_create_credit_note(self):
        """A posted credit note for the returned quantities at the prices, discounts and taxes they were invoiced
        at, linked to the order's lines (so the order counts them) and to the invoice it reverses."""
        self.ensure_one()
        order = self.sale_order_id.sudo()
        commands, invoices = self._oms_credit_note_lines()
        if not commands:
            self.message_post(
                body=self.env._("Nothing of the returned lines was invoiced: no credit note."),
                subtype_xmlid="mail.mt_note",
            )
            return self.env["account.move"]
        values = self._oms_credit_note_values(commands, invoices)
        credit_note = self.env["account.move"].sudo().with_company(self.company_id).create(values)
        credit_note.action_post()
        self._oms_write({"credit_note_id": credit_note.id})
        self._oms_reduce_ordered_quantities(credit_note)
        self.message_post(
            body=Markup(self.env._("Credit note %s posted.")) % credit_note._get_html_link(),
            subtype_xmlid="mail.mt_note",
        )
        order.message_post(
            body=Markup(self.env._("Return %(rma)s refunded by %(move)s."))
            % {"rma": self._get_html_link(), "move": credit_note._get_html_link()},
            subtype_xmlid="mail.mt_note",
        )
        return credit_note

    def _oms_credit_note_lines(self):
        """The credit note's line commands, one per creditable return line, at the price, discount, taxes and account
        of its order line's last posted invoice line (a line never invoiced is not credited), and those invoices."""
        commands = []
        invoices = self.env["account.move"]
        for line, quantity in self._oms_creditable_quantities().items():
            invoice_lines = line.sale_line_id.sudo().invoice_lines.filtered(
                lambda aml: aml.move_id.state == "posted" and aml.move_id.move_type == "out_invoice"
            )
            if not invoice_lines:
                continue
            invoiced = invoice_lines[-1]
            invoices |= invoiced.move_id
            values = line.sale_line_id.sudo()._prepare_invoice_line(quantity=quantity)
            values.update(
                {
                    "price_unit": invoiced.price_unit,
                    "discount": invoiced.discount,
                    "tax_ids": [Command.set(invoiced.tax_ids.ids)],
                    "account_id": invoiced.account_id.id,
                }
            )
            commands.append(Command.create(values))
        return commands, invoices

    def _oms_credit_note_values(self, commands, invoices):
        """The credit note as the order would invoice it, reversing the first of ``invoices``."""
        order = self.sale_order_id.sudo()
        values = order._prepare_invoice()
        values.update(
            {
                "move_type": "out_refund",
                "invoice_line_ids": commands,
                "reversed_entry_id": invoices[:1].id,
                "ref": self.env._(
                    "Return %(rma)s of %(invoice)s", rma=self.name, invoice=", ".join(invoices.mapped("name"))
                ),
                "invoice_origin": f"{order.name}, {self.name}",
            }
        )
        return values

    def _oms_creditable_quantities(self):
        """{return line: quantity to credit}, never what a user typed: what came back in this return's transfers
        for the line's order line, capped at what was delivered of it and not credited yet."""
        self.ensure_one()
        moves = (
            self.env["stock.move"]
            .sudo()
            .search([("picking_id.oms_return_id", "=", self.id), ("state", "=", "done"), ("sale_line_id", "!=", False)])
        )
        received = defaultdict(float)
        for move in moves:
            sale_line = move.sale_line_id
            received[sale_line] += move.product_uom._compute_quantity(move.quantity, sale_line.product_uom)
        creditable = {}
        for line in self.line_ids:
            sale_line = line.sale_line_id.sudo()
            credited = sum(
                aml.product_uom_id._compute_quantity(aml.quantity, sale_line.product_uom)
                for aml in sale_line.invoice_lines
                if aml.move_id.state == "posted" and aml.move_id.move_type == "out_refund"
            )
            quantity = min(received[sale_line], sale_line._oms_shipped_qty() - credited)
            received[sale_line] -= max(quantity, 0.0)  # two lines of one order line share what came back
            if float_compare(quantity, 0.0, precision_rounding=sale_line.product_uom.rounding) > 0:
                creditable[line] = quantity
        return creditable

    def _oms_reduce_ordered_quantities(self, credit_note):
        """Lines of products billed on ordered quantities would be "to invoice" again once credited: the order keeps
        what the customer kept (the ordered quantity goes down by what was credited), so nothing bills it twice."""
        self.ensure_one()
        order = self.sale_order_id.sudo()
        if order.locked:
            return
        for aml in credit_note.invoice_line_ids:
            for sale_line in aml.sale_line_ids.filtered(lambda line: line.product_id.invoice_policy == "order"):
                credited = aml.product_uom_id._compute_quantity(aml.quantity, sale_line.product_uom)
                kept = max(sale_line.product_uom_qty - credited, sale_line.qty_delivered, 0.0)
                if (
                    float_compare(kept, sale_line.product_uom_qty, precision_rounding=sale_line.product_uom.rounding)
                    < 0
                ):
                    sale_line.product_uom_qty = kept

    def _oms_create_exchange_order(self):
        """A replacement order for the same products and quantities, confirmed; its special type (Replacement)
        gives it its code, prices it as the type says and spares it the payment hold."""
        self.ensure_one()
        order = self.sale_order_id.sudo()
        lines = [
            Command.create(
                {
                    "product_id": line.product_id.id,
                    "product_uom_qty": line.quantity,
                    "product_uom": line.product_uom_id.id,
                    "price_unit": line.sale_line_id.price_unit,
                    "discount": line.sale_line_id.discount,
                    "tax_id": [Command.set(line.sale_line_id.tax_id.ids)],
                }
            )
            for line in self.line_ids.filtered(lambda line: line.quantity > 0)
        ]
        exchange = (
            self.env["sale.order"]
            .sudo()
            .with_company(order.company_id)
            .create(
                {
                    "partner_id": order.partner_id.id,
                    "partner_invoice_id": order.partner_invoice_id.id,
                    "partner_shipping_id": order.partner_shipping_id.id,
                    "company_id": order.company_id.id,
                    "warehouse_id": order.warehouse_id.id,
                    "pricelist_id": order.pricelist_id.id,
                    "user_id": order.user_id.id,
                    "team_id": order.team_id.id,
                    "client_order_ref": order.client_order_ref,
                    "origin": f"{order.name}, {self.name}",
                    "oms_replaced_order_id": order.id,
                    "order_line": lines,
                }
            )
        )
        exchange.action_confirm()
        self._oms_write({"exchange_order_id": exchange.id})
        self.message_post(
            body=Markup(self.env._("Exchange order %(order)s (%(code)s) created."))
            % {"order": exchange._get_html_link(), "code": exchange.oms_special_code or ""},
            subtype_xmlid="mail.mt_note",
        )
        return exchange
