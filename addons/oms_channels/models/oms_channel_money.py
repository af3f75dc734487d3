from odoo import fields, models

# The service products of the lines that are not the platform's products, by the kind of line (services/
# import_plan_money.SERVICE_KINDS), and their defaults (data/oms_channel_service_product_data.xml).
SERVICE_PRODUCT_FIELDS = {
    "fee": ("fee_product_id", "oms_channels.product_channel_fee"),
    "gift_wrap": ("gift_wrap_product_id", "oms_channels.product_channel_gift_wrap"),
    "cash_on_delivery": ("cash_on_delivery_product_id", "oms_channels.product_channel_cash_on_delivery"),
    "discount": ("discount_product_id", "oms_channels.product_channel_discount"),
}
SERVICE_DOMAIN = "[('type', '=', 'service'), ('sale_ok', '=', True), ('company_id', 'in', (company_id, False))]"


def _default_product(xmlid):
    return lambda self: self.env.ref(xmlid, raise_if_not_found=False)


class OmsChannelMoney(models.Model):
    """What a channel's order values become in Odoo: its platform taxes (the Taxes table) and the service products
    of its fees, gift wrap, cash-on-delivery surcharges and order discounts."""

    _inherit = "oms.channel"

    tax_map_ids = fields.One2many("oms.channel.tax", "channel_id", string="Taxes")
    fee_product_id = fields.Many2one(
        "product.product",
        domain=SERVICE_DOMAIN,
        default=_default_product(SERVICE_PRODUCT_FIELDS["fee"][1]),
        help="Fee lines; empty: the Channel fee product.",
    )
    gift_wrap_product_id = fields.Many2one(
        "product.product",
        domain=SERVICE_DOMAIN,
        default=_default_product(SERVICE_PRODUCT_FIELDS["gift_wrap"][1]),
        help="Gift wrap; empty: the Gift wrap product.",
    )
    cash_on_delivery_product_id = fields.Many2one(
        "product.product",
        "Cash-on-Delivery Product",
        domain=SERVICE_DOMAIN,
        default=_default_product(SERVICE_PRODUCT_FIELDS["cash_on_delivery"][1]),
        help="Cash-on-delivery surcharges; empty: the Cash on delivery product.",
    )
    discount_product_id = fields.Many2one(
        "product.product",
        domain=SERVICE_DOMAIN,
        default=_default_product(SERVICE_PRODUCT_FIELDS["discount"][1]),
        help="Order discounts (not on a line: a coupon for the whole order); empty: the Channel discount product.",
    )

    def _service_products(self):
        """{kind: product id} of this channel's service lines: its own, else the default one."""
        self.ensure_one()
        products = {}
        for kind, (field_name, xmlid) in SERVICE_PRODUCT_FIELDS.items():
            product = self[field_name] or self.env.ref(xmlid, raise_if_not_found=False)
            if product:
                products[kind] = product.id
        return products
