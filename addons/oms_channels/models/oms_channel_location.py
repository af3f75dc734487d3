from odoo import fields, models


class OmsChannelLocation(models.Model):
    """A stock location of the channel's platform (a Shopify location, a Magento source) and the warehouses whose
    stock it shows: the stock pushed to it is what those warehouses can promise, never the company's whole stock."""

    _name = "oms.channel.location"
    _description = "Channel Stock Location"
    _order = "channel_id, name, id"

    channel_id = fields.Many2one("oms.channel", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    name = fields.Char(required=True, help="The location's name on the platform, as the merchant knows it.")
    platform_location_id = fields.Char(
        "Platform Location ID",
        required=True,
        help="Shopify: the location's numeric id (Settings > Locations, the number at the end of the address). "
        "Magento: the source code (Stores > Inventory > Sources).",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="The warehouses whose available stock (on hand, less reserved, less held in open carts) the location "
        "shows.",
    )

    _sql_constraints = [
        (
            "platform_location_uniq",
            "unique(channel_id, platform_location_id)",
            "This platform location is already mapped on this channel.",
        ),
    ]
