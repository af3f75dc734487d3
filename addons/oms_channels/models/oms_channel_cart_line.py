from odoo import fields, models


class OmsChannelCartLine(models.Model):
    """A product and its quantity in a channel cart; a product appears once per cart."""

    _name = "oms.channel.cart.line"
    _description = "Channel Cart Line"
    _order = "cart_id, id"

    cart_id = fields.Many2one("oms.channel.cart", required=True, index=True, ondelete="cascade", readonly=True)
    # Stored so quantities in carts are grouped per channel without joining the carts.
    channel_id = fields.Many2one(related="cart_id.channel_id", store=True, index=True)
    company_id = fields.Many2one(related="cart_id.company_id", store=True)
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade", readonly=True)
    quantity = fields.Float(required=True, digits="Product Unit of Measure", readonly=True)

    _sql_constraints = [
        ("cart_product_uniq", "unique(cart_id, product_id)", "A product appears once per cart."),
        ("quantity_positive", "CHECK(quantity > 0)", "A cart line holds a positive quantity."),
    ]
