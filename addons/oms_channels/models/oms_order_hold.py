from odoo import fields, models


class OmsOrderHold(models.Model):
    _inherit = "oms.order.hold"

    kind = fields.Selection(selection_add=[("unusual", "Unusual Order")], ondelete={"unusual": "set default"})
