from odoo import fields, models


class OmsRoutingDecisionCandidate(models.Model):
    _name = "oms.routing.decision.candidate"
    _description = "Routing Decision: Candidate Warehouse"
    _order = "decision_id, chosen desc, score desc, id"

    decision_id = fields.Many2one("oms.routing.decision", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="decision_id.company_id", store=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, ondelete="cascade", index=True)
    chosen = fields.Boolean()
    eligible = fields.Boolean()
    score = fields.Float(digits=(16, 3))
    distance_known = fields.Boolean(
        help="Both the warehouse and the delivery address have coordinates; without them the distance is unknown."
    )
    distance_km = fields.Float("Distance (km)", digits=(16, 1), help="Empty when the distance is unknown.")
    shipping_cost = fields.Float(digits="Product Price")
    coverage = fields.Float(help="Share of the ordered units this warehouse can ship.", digits=(16, 2))
    reason = fields.Char()
