import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class OmsReturnLine(models.Model):
    _name = "oms.return.line"
    _inherit = ["oms.state.mixin"]
    _description = "Return Request Line"
    _oms_protected_fields = ()  # the state is the return's: the lines freeze with it, below

    return_id = fields.Many2one("oms.return", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="return_id.company_id", store=True)
    state = fields.Selection(related="return_id.state", store=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        required=True,
        index=True,
        domain="[('order_id', '=', parent.sale_order_id)]",
    )
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True)
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    quantity = fields.Float("Quantity to Return", digits="Product Unit of Measure", default=1.0)
    qty_delivered = fields.Float(
        "Delivered",
        compute="_compute_qty_delivered",
        digits="Product Unit of Measure",
        help="What the order's deliveries took to the customer, returns not subtracted.",
    )
    qty_already_returned = fields.Float(
        "Already Returned",
        compute="_compute_qty_already_returned",
        digits="Product Unit of Measure",
        help="What the other returns of this order line (not refused nor cancelled) take back.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._oms_check_draft(self.env["oms.return"].browse({vals.get("return_id") for vals in vals_list} - {None}))
        return super().create(vals_list)

    def write(self, vals):
        self._oms_check_draft(self.return_id)
        return super().write(vals)

    def unlink(self):
        self._oms_check_draft(self.return_id)
        return super().unlink()

    @api.constrains("quantity")
    def _check_quantity(self):
        """Whatever the screen or the API sends: a quantity is a finite number, never negative."""
        for line in self:
            if not math.isfinite(line.quantity) or line.quantity < 0:
                raise ValidationError(self.env._("A quantity to return must be a number of at least 0."))

    def _oms_check_draft(self, returns):
        """What a return takes back is checked when it is approved: from then on its lines stay as approved."""
        if self._oms_by_its_methods():
            return
        frozen = returns.exists().filtered(lambda rma: rma.state != "draft")
        if frozen:
            raise UserError(
                self.env._(
                    "The lines of %s cannot change once the return is approved: cancel it and ask a new return.",
                    ", ".join(frozen.mapped("name")),
                )
            )

    @api.depends("sale_line_id.move_ids.state", "sale_line_id.move_ids.quantity")
    def _compute_qty_delivered(self):
        for line in self:
            line.qty_delivered = line.sale_line_id._oms_shipped_qty() if line.sale_line_id else 0.0

    @api.depends("sale_line_id", "return_id")
    def _compute_qty_already_returned(self):
        for line in self:
            rma = line.return_id
            others = line.sale_line_id._oms_return_lines().filtered(lambda other, rma=rma: other.return_id != rma)
            line.qty_already_returned = sum(others.mapped("quantity"))
