from odoo import fields, models


class OmsPickingBox(models.Model):
    _name = "oms.picking.box"
    _description = "Box of a Delivery"
    _order = "picking_id, sequence, id"

    picking_id = fields.Many2one("stock.picking", "Transfer", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="picking_id.company_id", store=True)
    sequence = fields.Integer("Box", help="Number of the box in the delivery.")
    name = fields.Char("Box Size", required=True)
    package_type_id = fields.Many2one(
        "stock.package.type", help="Empty for an item that ships alone in its own packaging."
    )
    ships_alone = fields.Boolean(help="Larger or heavier than every standard box.")
    contents = fields.Text()
    weight = fields.Float(digits="Stock Weight", help="Contents and the empty box.")
    cost = fields.Monetary("Box Cost", currency_field="currency_id")
    currency_id = fields.Many2one(related="picking_id.company_id.currency_id", string="Currency")
    package_id = fields.Many2one(
        "stock.quant.package", ondelete="set null", readonly=True, help="Made by Put in Boxes."
    )
