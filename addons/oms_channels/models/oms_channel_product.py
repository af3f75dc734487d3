from odoo import fields, models


class OmsChannelProduct(models.Model):
    """How a channel names one of our products: its own product id and SKU."""

    _name = "oms.channel.product"
    _description = "Channel Product Binding"
    _order = "channel_id, product_id"

    channel_id = fields.Many2one("oms.channel", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade", check_company=True)
    external_id = fields.Char("Channel Product ID", index=True, help="The channel's own id of the product (ASIN...).")
    external_sku = fields.Char("Channel SKU", index=True, help="The SKU the channel uses, when not ours.")

    _sql_constraints = [
        ("external_id_uniq", "unique(channel_id, external_id)", "This channel product id is already bound."),
        ("external_sku_uniq", "unique(channel_id, external_sku)", "This channel SKU is already bound."),
        ("product_uniq", "unique(channel_id, product_id)", "This product is already bound on this channel."),
    ]
