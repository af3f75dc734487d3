from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

RETURN_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("received", "Received"),
    ("done", "Done"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
RETURN_REASONS = [
    ("defective", "Defective"),
    ("wrong_item", "Wrong item sent"),
    ("not_as_described", "Not as described"),
    ("damaged_in_transit", "Damaged in transit"),
    ("no_longer_needed", "No longer needed"),
    ("other", "Other"),
]
RETURN_CONDITIONS = [("new", "New"), ("opened", "Opened"), ("damaged", "Damaged")]
RETURN_OUTCOMES = [("refund", "Refund"), ("exchange", "Exchange"), ("none", "Repair / None")]
# Conditions in which returned goods may be sold again once checked.
SELLABLE_CONDITIONS = ("new", "opened")


class OmsReturn(models.Model):
    """A customer's request to send back some delivered items of a sale order, and what is given in exchange: a
    credit note, a replacement order, or nothing (repair). This file holds its data and states; the checks, the
    transfers, the credit note and exchange, and the returns provider are in the ``oms_return_*`` files beside it."""

    _name = "oms.return"
    _description = "Return Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "oms.state.mixin"]
    # What the checks and the warehouse decide; the order and the lines freeze once the return is approved. The
    # transfers are the fields of oms_return_transfers.py, the credit note and exchange those of
    # oms_return_accounting.py.
    _oms_protected_fields = (
        "state",
        "picking_id",
        "release_picking_id",
        "credit_note_id",
        "exchange_order_id",
        "refusal_reason",
    )
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('state', '=', 'sale')]",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="sale_order_id.partner_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="sale_order_id.currency_id")
    state = fields.Selection(
        RETURN_STATES, default="draft", required=True, tracking=True, copy=False, index=True, readonly=True
    )
    reason = fields.Selection(RETURN_REASONS, required=True, default="defective", tracking=True)
    condition = fields.Selection(
        RETURN_CONDITIONS,
        default="new",
        required=True,
        tracking=True,
        help="The state of the goods: new or opened goods can be released to stock once checked; damaged goods stay "
        "in the returns location.",
    )
    outcome = fields.Selection(
        RETURN_OUTCOMES,
        default="refund",
        required=True,
        tracking=True,
        help="What the customer gets once the goods are received: a credit note for the returned lines, a "
        "replacement order for the same products (priced as its special type says; when it is charged, the returned "
        "lines are credited too), or nothing (the goods are repaired or kept).",
    )
    description = fields.Text("Customer Comment")
    refusal_reason = fields.Text(readonly=True, copy=False, tracking=True)
    line_ids = fields.One2many("oms.return.line", "return_id", string="Lines", copy=True)
    delivery_date = fields.Datetime(compute="_compute_delivery_date", help="When the order was last delivered.")
    return_deadline = fields.Date(
        compute="_compute_delivery_date", help="The last day the customer may return the goods."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("oms.return") or self.env._(
                    "New"
                )
            if vals.get("sale_order_id") and not vals.get("company_id"):
                vals["company_id"] = self.env["sale.order"].browse(vals["sale_order_id"]).company_id.id
        return super().create(vals_list)

    def write(self, vals):
        if "sale_order_id" in vals and not self._oms_by_its_methods():
            self.line_ids._oms_check_draft(self)
        return super().write(vals)

    @api.depends("sale_order_id.picking_ids.date_done", "company_id.oms_return_window_days")
    def _compute_delivery_date(self):
        for rma in self:
            dates = rma.sale_order_id._oms_delivery_dates() if rma.sale_order_id else []
            rma.delivery_date = max(dates) if dates else False
            rma.return_deadline = (
                fields.Date.to_date(rma.delivery_date) + timedelta(days=rma.company_id.oms_return_window_days)
                if rma.delivery_date
                else False
            )

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        """Propose every delivered line not returned yet, with what is left to return."""
        if not self.sale_order_id:
            return
        commands = [Command.clear()]
        for sale_line in self.sale_order_id.order_line.filtered(lambda line: line._oms_shipped_qty() > 0):
            left = sale_line._oms_shipped_qty() - sale_line._oms_returned_qty()
            if left > 0:
                commands.append(Command.create({"sale_line_id": sale_line.id, "quantity": left}))
        self.line_ids = commands

    # ------------------------------------------------------------------ states

    def action_approve(self):
        """Approve the returns that pass the checks and make their return transfers; refuse the others with the
        reason. Returns the refused ones' reasons as a notification when some were refused."""
        refused = self.browse()
        # Two returns of the same order lines approved at once must not both take the last units back: the second
        # waits for the first, then counts it.
        sale_lines = self.line_ids.sale_line_id
        if sale_lines:
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT id FROM sale_order_line WHERE id IN %s ORDER BY id FOR UPDATE", [tuple(sale_lines.ids)]
            )
        for rma in self:
            if rma.state != "draft":
                raise UserError(self.env._("Only draft returns can be approved (%s).", rma.name))
            reasons = rma._oms_refusal_reasons()
            if reasons:
                rma._oms_refuse(reasons)
                refused |= rma
                continue
            rma._oms_create_return_picking()
            rma._oms_write({"state": "approved"})
        if refused:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Return refused"),
                    "message": "\n".join(refused.mapped("refusal_reason")),
                    "type": "warning",
                    "sticky": True,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return True

    def action_cancel(self):
        for rma in self:
            if rma.state in ("received", "done"):
                raise UserError(self.env._("%s was received already: it cannot be cancelled.", rma.name))
            if rma.picking_id.state not in (False, "done", "cancel"):
                rma.picking_id.action_cancel()
        self._oms_write({"state": "cancelled"})

    def action_reset_to_draft(self):
        self.filtered(lambda rma: rma.state in ("refused", "cancelled"))._oms_write(
            {"state": "draft", "refusal_reason": False}
        )

    def _oms_receive(self):
        """The goods are back: give what the outcome says, once every return transfer is done."""
        for rma in self.filtered(lambda rma: rma.state == "approved"):
            pickings = rma.env["stock.picking"].search([("oms_return_id", "=", rma.id)])
            if any(picking.state not in ("done", "cancel") for picking in pickings):
                continue
            rma._oms_write({"state": "received"})
            if rma.outcome == "refund":
                rma._oms_create_credit_note()
            elif rma.outcome == "exchange":
                exchange = rma._oms_create_exchange_order()
                # A replacement charged again (its type is not free of charge) is an exchange of invoices: the
                # returned lines are credited, so the customer never pays twice for the same items.
                if not exchange.oms_special_type_id.sudo().zero_price and exchange.amount_total:
                    rma._oms_create_credit_note()

    def action_close(self):
        """Close a received return whose goods stay in the Returns location (damaged, to repair or scrap)."""
        for rma in self:
            if rma.state != "received":
                raise UserError(self.env._("%s: only received returns can be closed.", rma.name))
        self._oms_write({"state": "done"})

    def action_view_picking(self):
        self.ensure_one()
        return self.picking_id.get_formview_action() if self.picking_id else False
