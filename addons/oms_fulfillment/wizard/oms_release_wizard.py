from odoo import api, fields, models


class OmsReleaseWizard(models.TransientModel):
    _name = "oms.release.wizard"
    _description = "Release Transfers to Pickers"

    picking_type_id = fields.Many2one(
        "stock.picking.type",
        string="Operation",
        required=True,
        domain="[('code', 'in', ('outgoing', 'internal')), ('company_id', 'in', allowed_company_ids)]",
        default=lambda self: self._default_picking_type(),
    )
    oms_picking_method = fields.Selection(related="picking_type_id.oms_picking_method")
    oms_batch_size = fields.Integer(related="picking_type_id.oms_batch_size")
    oms_group_by = fields.Selection(related="picking_type_id.oms_group_by")
    ready_count = fields.Integer("Ready to Release", compute="_compute_ready_count")

    @api.model
    def _default_picking_type(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        return warehouse.out_type_id

    @api.depends("picking_type_id")
    def _compute_ready_count(self):
        for wizard in self:
            wizard.ready_count = self.env["stock.picking"].search_count(
                [
                    ("picking_type_id", "=", wizard.picking_type_id.id),
                    ("state", "=", "assigned"),
                    ("batch_id", "=", False),
                    ("oms_released", "=", False),
                ]
            )

    def action_release(self):
        self.ensure_one()
        return self.picking_type_id.action_oms_release()
