from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_channel_id = fields.Many2one(
        "oms.channel", string="Channel", index="btree_not_null", readonly=True, tracking=True, copy=False
    )
    oms_channel_ref = fields.Char("Channel Reference", index="btree_not_null", readonly=True, copy=False)
    # The staging records (raw payloads) are the OMS's own: other users see the channel and its reference only.
    oms_channel_order_ids = fields.One2many(
        "oms.channel.order", "sale_order_id", string="Channel Orders", groups="oms_intelligent.group_oms_user"
    )

    _sql_constraints = [
        (
            "oms_channel_ref_uniq",
            "unique(oms_channel_id, oms_channel_ref)",
            "This channel order was already turned into a sale order.",
        )
    ]

    @api.depends("oms_channel_id.workflow_id")
    def _compute_oms_workflow_id(self):
        return super()._compute_oms_workflow_id()

    def _oms_workflow(self, defaults):
        return self.oms_channel_id.workflow_id or super()._oms_workflow(defaults)
