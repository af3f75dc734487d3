from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.oms_intelligent.services.public_body import parse_json_object, signature_matches
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..services.returns_provider import STATUSES, ReturnsProviderClient, ReturnsProviderError, parse_status

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
    credit note, a replacement order, or nothing (repair)."""

    _name = "oms.return"
    _description = "Return Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "oms.state.mixin"]
    # What the checks and the warehouse decide; the order and the lines freeze once the return is approved.
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
        string="Sale Order",
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
    picking_id = fields.Many2one(
        "stock.picking", string="Return Transfer", readonly=True, copy=False, check_company=True
    )
    release_picking_id = fields.Many2one(
        "stock.picking", string="Release Transfer", readonly=True, copy=False, check_company=True
    )
    credit_note_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False)
    exchange_order_id = fields.Many2one("sale.order", string="Exchange Order", readonly=True, copy=False)
    provider_tracking_ref = fields.Char(
        "Return Tracking", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    provider_status = fields.Selection(
        [
            ("label_created", "Label Created"),
            ("in_transit", "In Transit"),
            ("delivered", "Delivered to the Warehouse"),
            ("exception", "Exception"),
        ],
        "Return Shipment",
        readonly=True,
        copy=False,
        tracking=True,
    )
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

    # ------------------------------------------------------------------ checks

    def _oms_refusal_reasons(self, portal_partner=None):
        """Why this return cannot be accepted, one sentence a reason (empty: it can). `portal_partner`: the
        customer asking on the portal, who may only return their own orders."""
        self.ensure_one()
        reasons = []
        order = self.sale_order_id
        if portal_partner and portal_partner.commercial_partner_id != order.partner_id.commercial_partner_id:
            return [self.env._("Order %s is not one of your orders.", order.name)]
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
            reasons.append(self.env._("Order %s has not been delivered yet.", order.name))
        for line in self.line_ids:
            rounding = line.product_uom_id.rounding or 0.01
            if line.sale_line_id.order_id != order:
                reasons.append(self.env._("%s is not a line of the order.", line.product_id.display_name))
                continue
            if float_compare(line.quantity, 0.0, precision_rounding=rounding) < 0:
                reasons.append(self.env._("%s: a quantity cannot be negative.", line.product_id.display_name))
                continue
            left = line.qty_delivered - line.qty_already_returned
            if float_compare(line.quantity, left, precision_rounding=rounding) <= 0:
                continue
            if line.qty_already_returned:
                others = line.sale_line_id._oms_return_lines().return_id - self
                reasons.append(
                    self.env._(
                        "%(product)s: %(already)s of the %(delivered)s delivered already returned (%(returns)s); "
                        "%(left)s left, %(asked)s asked.",
                        product=line.product_id.display_name,
                        already=line.qty_already_returned,
                        delivered=line.qty_delivered,
                        returns=", ".join(others.mapped("name")),
                        left=max(left, 0.0),
                        asked=line.quantity,
                    )
                )
            else:
                reasons.append(
                    self.env._(
                        "%(product)s: %(asked)s asked, only %(delivered)s delivered.",
                        product=line.product_id.display_name,
                        asked=line.quantity,
                        delivered=line.qty_delivered,
                    )
                )
        return reasons

    def _oms_refuse(self, reasons):
        self.ensure_one()
        text = "\n".join(reasons)
        self._oms_write({"state": "refused", "refusal_reason": text})
        self.message_post(
            body=Markup("%s<ul>%s</ul>")
            % (self.env._("Return refused:"), Markup().join(Markup("<li>%s</li>") % reason for reason in reasons)),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------ actions

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

    def _oms_create_return_picking(self):
        """The reverse transfer of the order's deliveries, made by Odoo's return wizard, into the warehouse's
        Returns location (not the sellable stock). One transfer per return; the quantities are taken from the
        delivered moves, the latest first."""
        self.ensure_one()
        to_return = {line.sale_line_id: line.quantity for line in self.line_ids if line.quantity > 0}
        deliveries = self.sale_order_id.picking_ids.filtered(
            lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing"
        ).sorted("date_done", reverse=True)
        pickings = self.env["stock.picking"]
        for delivery in deliveries:
            wizard = (
                self.env["stock.return.picking"]
                .with_context(oms_return_location_id=delivery.picking_type_id.warehouse_id._oms_return_location().id)
                .create({"picking_id": delivery.id})
            )
            any_quantity = False
            for wizard_line in wizard.product_return_moves:
                sale_line = wizard_line.move_id.sale_line_id
                wanted = to_return.get(sale_line, 0.0)
                returnable = wizard_line.move_id.quantity - sum(
                    wizard_line.move_id.returned_move_ids.filtered(lambda move: move.state != "cancel").mapped(
                        "product_qty"
                    )
                )
                quantity = min(wanted, max(returnable, 0.0))
                wizard_line.quantity = quantity
                if quantity > 0:
                    to_return[sale_line] = wanted - quantity
                    any_quantity = True
            if not any_quantity:
                continue
            picking = wizard._create_return()
            picking.write({"oms_return_id": self.id, "origin": f"{self.name} ({picking.origin})"})
            pickings |= picking
        if not pickings:
            raise UserError(self.env._("No delivered goods of %s to take back.", self.sale_order_id.name))
        self._oms_write({"picking_id": pickings[:1].id})
        self.message_post(
            body=self.env._("Return transfer %s created.", ", ".join(pickings.mapped("name"))),
            subtype_xmlid="mail.mt_note",
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

    def _oms_create_credit_note(self):
        """A posted credit note for the returned quantities at the prices, discounts and taxes they were invoiced
        at, linked to the order's lines (so the order counts them) and to the invoice it reverses."""
        self.ensure_one()
        order = self.sale_order_id.sudo()
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
        if not commands:
            self.message_post(
                body=self.env._("Nothing of the returned lines was invoiced: no credit note."),
                subtype_xmlid="mail.mt_note",
            )
            return self.env["account.move"]
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

    def action_release_to_stock(self):
        """The returned goods were checked and can be sold again: an internal transfer from the Returns location to
        the warehouse's stock, done at once; the return is done."""
        for rma in self:
            if rma.state != "received":
                raise UserError(self.env._("%s: only received returns can be released to stock.", rma.name))
            if rma.condition not in SELLABLE_CONDITIONS:
                raise UserError(self.env._("%s: damaged goods cannot be released to stock.", rma.name))
            moves = (
                rma.env["stock.picking"]
                .search([("oms_return_id", "=", rma.id)])
                .move_ids.filtered(lambda move: move.state == "done")
            )
            if not moves:
                rma._oms_write({"state": "done"})
                continue
            warehouse = moves[0].warehouse_id or moves[0].picking_type_id.warehouse_id
            source = moves[0].location_dest_id
            picking = rma.env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "origin": rma.name,
                    "oms_return_id": rma.id,
                    "company_id": rma.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": move.product_id.display_name,
                                "product_id": move.product_id.id,
                                "product_uom_qty": move.quantity,
                                "product_uom": move.product_uom.id,
                                "location_id": source.id,
                                "location_dest_id": warehouse.lot_stock_id.id,
                            }
                        )
                        for move in moves
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking._action_done()
            rma._oms_write({"release_picking_id": picking.id, "state": "done"})

    def action_close(self):
        """Close a received return whose goods stay in the Returns location (damaged, to repair or scrap)."""
        for rma in self:
            if rma.state != "received":
                raise UserError(self.env._("%s: only received returns can be closed.", rma.name))
        self._oms_write({"state": "done"})

    def action_view_picking(self):
        self.ensure_one()
        return self.picking_id.get_formview_action() if self.picking_id else False

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

    # ------------------------------------------------------------------ returns provider

    def _oms_provider_client(self):
        self.ensure_one()
        company = self.company_id.sudo()
        if not company.oms_returns_provider_url:
            raise UserError(self.env._("No returns provider is set up (Settings › Order Management › Returns)."))
        return ReturnsProviderClient(company.oms_returns_provider_url, company.oms_returns_provider_key or "")

    @staticmethod
    def _oms_address(partner):
        return {
            "name": partner.name or "",
            "street": partner.street or "",
            "city": partner.city or "",
            "zip": partner.zip or "",
            "country_code": partner.country_id.code or "",
            "email": partner.email or "",
        }

    def action_oms_get_return_label(self):
        """A prepaid return label from the returns provider, attached to the return and sent nowhere (the customer
        gets it by the chatter or the portal)."""
        for rma in self:
            if rma.state != "approved":
                raise UserError(self.env._("%s: return labels are for approved returns.", rma.name))
            warehouse = rma.picking_id.picking_type_id.warehouse_id or rma.sale_order_id.warehouse_id
            items = [
                {
                    "sku": line.product_id.default_code or str(line.product_id.id),
                    "name": line.product_id.name,
                    "quantity": line.quantity,
                }
                for line in rma.line_ids
                if line.quantity > 0
            ]
            try:
                label = rma._oms_provider_client().create_label(
                    rma.name,
                    rma._oms_address(rma.sale_order_id.partner_shipping_id or rma.partner_id),
                    rma._oms_address(warehouse.partner_id or rma.company_id.partner_id),
                    items,
                )
            except ReturnsProviderError as error:
                raise UserError(self.env._("The returns provider could not make the label: %s", error)) from error
            attachment = rma.env["ir.attachment"].create(
                {
                    "name": f"{label.tracking_number}.pdf",
                    "raw": label.pdf,
                    "mimetype": "application/pdf",
                    "res_model": rma._name,
                    "res_id": rma.id,
                }
            )
            rma.write({"provider_tracking_ref": label.tracking_number, "provider_status": "label_created"})
            rma.message_post(
                body=self.env._("Return label %s created.", label.tracking_number),
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )

    def action_oms_check_return_status(self):
        """Ask the returns provider where the returned parcels are."""
        for rma in self.filtered("provider_tracking_ref"):
            try:
                status = rma._oms_provider_client().status(rma.provider_tracking_ref)
            except ReturnsProviderError as error:
                rma.message_post(body=self.env._("Return status not checked: %s", error), subtype_xmlid="mail.mt_note")
                continue
            rma._oms_apply_provider_status(status)

    def _oms_apply_provider_status(self, status):
        self.ensure_one()
        if status.status in STATUSES and status.status != self.provider_status:
            self.provider_status = status.status
            if status.status == "delivered" and self.picking_id.state not in ("done", "cancel"):
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Returned parcel delivered: check and receive %s", self.picking_id.name),
                    user_id=self.env.user.id,
                )

    @api.model
    def _oms_provider_signers(self, body, signature):
        """The companies whose returns provider API key signs ``body``: ``signature`` (any header value, even absent
        or not ASCII) is ``sha256=<hex HMAC-SHA256 of the raw body>`` under that key. Only the companies' keys are
        read: nothing the body says is looked up before its signature holds."""
        companies = self.env["res.company"].sudo().search([("oms_returns_provider_key", "!=", False)])
        return companies.filtered(lambda company: signature_matches(company.oms_returns_provider_key, body, signature))

    @api.model
    def _oms_provider_status_received(self, companies, status):
        """Apply a signed status (a ReturnStatus) to the return of one of ``companies`` with its tracking number;
        returns that return, empty when there is none."""
        rma = self.sudo().search(
            [("provider_tracking_ref", "=", status.tracking_number), ("company_id", "in", companies.ids)], limit=1
        )
        if rma:
            rma._oms_apply_provider_status(status)
        return rma

    @api.model
    def _oms_provider_webhook(self, body, signature):
        """A status the returns provider posted, checked in the order of every endpoint without a login: its
        signature, then its document, then the return it names. Returns the return (empty when the signature is
        wrong or no return of the signing company has that tracking number); a signed body that is no status
        document raises BodyError or ReturnsProviderError."""
        companies = self._oms_provider_signers(body, signature)
        if not companies:
            return self.browse()
        return self._oms_provider_status_received(companies, parse_status(parse_json_object(body)))
