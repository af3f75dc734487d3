from odoo import Command, fields, models
from odoo.exceptions import UserError

from .oms_return import SELLABLE_CONDITIONS


class OmsReturnTransfers(models.Model):
    """The goods' way back: the reverse transfer of the order's deliveries into the Returns location, and once
    checked, the release of sellable goods to stock."""

    _inherit = "oms.return"

    picking_id = fields.Many2one(
        "stock.picking", string="Return Transfer", readonly=True, copy=False, check_company=True
    )
    release_picking_id = fields.Many2one(
        "stock.picking", string="Release Transfer", readonly=True, copy=False, check_company=True
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
