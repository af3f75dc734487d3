from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # Odoo 18 has weight and volume but no dimensions; box choice and carrier rates need them.
    product_length = fields.Float("Length (mm)", digits=(16, 1), help="Longest side of the item as shipped.")
    product_width = fields.Float("Width (mm)", digits=(16, 1))
    product_height = fields.Float("Height (mm)", digits=(16, 1))
