from odoo import fields, models


class OmsRoutingDecisionLine(models.Model):
    _name = "oms.routing.decision.line"
    _description = "Routing Decision: Assignment"
    _order = "decision_id, id"

    decision_id = fields.Many2one("oms.routing.decision", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="decision_id.company_id", store=True)
    sale_line_id = fields.Many2one("sale.order.line", ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True)
    warehouse_id = fields.Many2one("stock.warehouse", help="Empty for a backorder: no warehouse can ship it now.")
    quantity = fields.Float(digits="Product Unit of Measure")
    backorder = fields.Boolean()
    earliest_incoming = fields.Date(help="When stock is expected for a backorder.")
