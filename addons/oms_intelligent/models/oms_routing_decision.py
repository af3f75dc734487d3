from odoo import api, fields, models


class OmsRoutingDecision(models.Model):
    """Why an order ships from where it does: every candidate warehouse's score and the one(s) chosen."""

    _name = "oms.routing.decision"
    _description = "Routing Decision"
    _order = "id desc"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    strategy_id = fields.Many2one("oms.routing.strategy", ondelete="set null")
    current = fields.Boolean(default=True, index=True, help="The decision in force; earlier ones are history.")
    summary = fields.Text(required=True)
    fallback = fields.Char(help="How the decision was made when data was missing (no coordinates...).")
    shipments = fields.Integer()
    estimated_cost = fields.Float("Estimated Shipping Cost", digits="Product Price")
    warehouse_ids = fields.Many2many("stock.warehouse", string="Ships From")
    candidate_ids = fields.One2many("oms.routing.decision.candidate", "decision_id", string="Candidates")
    line_ids = fields.One2many("oms.routing.decision.line", "decision_id", string="Assignments")
    backorder_count = fields.Integer(compute="_compute_backorder_count")

    @api.depends("order_id.name", "warehouse_ids.name", "create_date")
    def _compute_display_name(self):
        for decision in self:
            warehouses = ", ".join(decision.warehouse_ids.mapped("name")) or self.env._("backorder")
            decision.display_name = f"{decision.order_id.name}: {warehouses}"

    def _compute_backorder_count(self):
        for decision in self:
            decision.backorder_count = len(decision.line_ids.filtered("backorder"))
