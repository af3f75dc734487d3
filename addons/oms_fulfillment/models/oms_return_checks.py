from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import float_compare, float_is_zero


class OmsReturnChecks(models.Model):
    """Whether a return can be accepted, and why not: checked when the back office approves it and when a customer
    asks for it on the portal."""

    _inherit = "oms.return"

    def _oms_refusal_reasons(self, portal_partner=None):
        """Why this return cannot be accepted, one sentence a reason (empty: it can). `portal_partner`: the
        customer asking on the portal, who may only return their own orders."""
        self.ensure_one()
        order = self.sale_order_id
        if portal_partner and portal_partner.commercial_partner_id != order.partner_id.commercial_partner_id:
            return [self.env._("Order %s is not one of your orders.", order.name)]
        reasons = self._oms_request_refusal_reasons()
        for line in self.line_ids:
            reason = self._oms_line_refusal_reason(line)
            if reason:
                reasons.append(reason)
        return reasons

    def _oms_request_refusal_reasons(self):
        """What is wrong with the request as a whole: nothing to return, the return window closed, or the order not
        delivered yet."""
        reasons = []
        if not self.line_ids or all(float_is_zero(line.quantity, 2) for line in self.line_ids):
            reasons.append(self.env._("Nothing to return: give a quantity on at least one line."))
        if self.return_deadline and fields.Date.context_today(self) > self.return_deadline:
            reasons.append(
                self.env._(
                    "The return window closed on %(date)s (%(days)s days after the delivery).",
                    date=self.return_deadline,
                    days=self.company_id.oms_return_window_days,
                )
            )
        elif not self.delivery_date:
            reasons.append(self.env._("Order %s has not been delivered yet.", self.sale_order_id.name))
        return reasons

    def _oms_line_refusal_reason(self, line):
        """Why ``line`` cannot be taken back (None: it can): it is not a line of the order, its quantity is negative,
        or it asks more than was delivered and not returned yet."""
        rounding = line.product_uom_id.rounding or 0.01
        if line.sale_line_id.order_id != self.sale_order_id:
            return self.env._("%s is not a line of the order.", line.product_id.display_name)
        if float_compare(line.quantity, 0.0, precision_rounding=rounding) < 0:
            return self.env._("%s: a quantity cannot be negative.", line.product_id.display_name)
        left = line.qty_delivered - line.qty_already_returned
        if float_compare(line.quantity, left, precision_rounding=rounding) <= 0:
            return None
        if line.qty_already_returned:
            others = line.sale_line_id._oms_return_lines().return_id - self
            return self.env._(
                "%(product)s: %(already)s of the %(delivered)s delivered already returned (%(returns)s); "
                "%(left)s left, %(asked)s asked.",
                product=line.product_id.display_name,
                already=line.qty_already_returned,
                delivered=line.qty_delivered,
                returns=", ".join(others.mapped("name")),
                left=max(left, 0.0),
                asked=line.quantity,
            )
        return self.env._(
            "%(product)s: %(asked)s asked, only %(delivered)s delivered.",
            product=line.product_id.display_name,
            asked=line.quantity,
            delivered=line.qty_delivered,
        )

    def _oms_refuse(self, reasons):
        self.ensure_one()
        text = "\n".join(reasons)
        self._oms_write({"state": "refused", "refusal_reason": text})
        self.message_post(
            body=Markup("%s<ul>%s</ul>")
            % (self.env._("Return refused:"), Markup().join(Markup("<li>%s</li>") % reason for reason in reasons)),
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _oms_portal_request(self, order, partner, quantities, reason, outcome, description=None):
        """A return asked on the portal by `partner` for `quantities` ({sale line: quantity}) of `order`: created as
        a draft for the back office to approve when every check passes, else nothing is kept and the reasons are
        returned. Returns (return or empty, reasons)."""
        with self.env.cr.savepoint() as savepoint:
            rma = self.create(
                {
                    "sale_order_id": order.id,
                    "company_id": order.company_id.id,
                    "reason": reason,
                    "outcome": outcome,
                    "description": description,
                    "line_ids": [
                        Command.create({"sale_line_id": sale_line.id, "quantity": quantity})
                        for sale_line, quantity in quantities.items()
                    ],
                }
            )
            reasons = rma._oms_refusal_reasons(portal_partner=partner)
            if reasons:
                savepoint.rollback()
                return self.browse(), reasons
        rma.message_post(body=self.env._("Requested by %s on the portal.", partner.name), subtype_xmlid="mail.mt_note")
        return rma, []
