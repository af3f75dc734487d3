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

    @api.model
    def _oms_create_from_plan(self, order, plan, strategy):
        """Keep the routing engine's `plan` (its Decision) for `order` under `strategy`, with every candidate's
        score, every assignment and every backorder, as the order's decision in force: the previous one becomes
        history. The caller sets it on the order."""
        order.oms_routing_decision_id.sudo().current = False
        return self.create(
            {
                "order_id": order.id,
                "strategy_id": strategy.id,
                "summary": plan.summary,
                "fallback": plan.fallback or False,
                "shipments": plan.shipments,
                "estimated_cost": plan.estimated_cost,
                "warehouse_ids": [fields.Command.set(list(plan.chosen_warehouse_ids))],
                "candidate_ids": [fields.Command.create(self._oms_candidate_values(score)) for score in plan.scores],
                "line_ids": [
                    *(fields.Command.create(self._oms_assignment_values(item)) for item in plan.assignments),
                    *(fields.Command.create(self._oms_backorder_values(item)) for item in plan.backorders),
                ],
            }
        )

    @api.model
    def _oms_candidate_values(self, score):
        """A candidate row from the engine's CandidateScore; a distance the engine does not know stays unknown."""
        return {
            "warehouse_id": score.warehouse_id,
            "chosen": score.chosen,
            "eligible": score.eligible,
            "score": score.score,
            "distance_known": score.distance_km is not None,
            "distance_km": score.distance_km or 0.0,
            "shipping_cost": score.shipping_cost,
            "coverage": score.coverage,
            "reason": score.reason,
        }

    @api.model
    def _oms_assignment_values(self, assignment):
        return {
            "sale_line_id": assignment.line_id,
            "product_id": assignment.product_id,
            "warehouse_id": assignment.warehouse_id,
            "quantity": assignment.quantity,
        }

    @api.model
    def _oms_backorder_values(self, backorder):
        return {
            "sale_line_id": backorder.line_id,
            "product_id": backorder.product_id,
            "quantity": backorder.quantity,
            "backorder": True,
            "earliest_incoming": backorder.earliest_incoming,
        }
