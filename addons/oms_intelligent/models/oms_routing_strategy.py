from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..services.routing import ShippingRates, Strategy, Weights

SPLIT_POLICIES = [
    ("never", "Never split"),
    ("when_needed", "Split only when no single warehouse can ship all"),
    ("minimise_cost", "Minimise cost (penalty per extra shipment)"),
]


class OmsRoutingStrategy(models.Model):
    """How orders choose the warehouses that ship them: weights of each criterion and the split policy."""

    _name = "oms.routing.strategy"
    _description = "Routing Strategy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    is_default = fields.Boolean(
        "Company Default", tracking=True, help="Used for orders without a strategy of their own."
    )
    weight_distance = fields.Float("Distance", default=3.0, tracking=True)
    weight_cost = fields.Float("Shipping Cost", default=2.0, tracking=True)
    weight_coverage = fields.Float("Stock Coverage", default=4.0, tracking=True)
    weight_priority = fields.Float("Warehouse Priority", default=1.0, tracking=True)
    weight_capacity = fields.Float("Capacity Headroom", default=1.0, tracking=True)
    split_policy = fields.Selection(SPLIT_POLICIES, required=True, default="when_needed", tracking=True)
    split_penalty = fields.Float(
        "Cost per Extra Shipment", default=6.0, help="What one more parcel costs the business, beyond its carriage."
    )
    max_shipments = fields.Integer("Maximum Shipments per Order", default=2, tracking=True)
    cost_per_shipment = fields.Float(
        "Base Cost per Shipment", default=4.0, help="Shipping cost estimate of one parcel, before distance."
    )
    cost_per_km = fields.Float(
        "Cost per km",
        default=0.01,
        digits=(16, 4),
        help="Shipping cost estimate added per km from warehouse to customer.",
    )
    default_warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Where orders go when nothing else decides (no coordinates, no country match).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        ("max_shipments_positive", "CHECK(max_shipments >= 1)", "An order ships in at least one shipment."),
    ]

    @api.constrains("is_default", "company_id", "active")
    def _check_one_default_per_company(self):
        for strategy in self.filtered(lambda strategy: strategy.is_default and strategy.active):
            if self.search_count(
                [("company_id", "=", strategy.company_id.id), ("is_default", "=", True), ("id", "!=", strategy.id)]
            ):
                raise ValidationError(
                    self.env._("Company %s already has a default routing strategy.", strategy.company_id.name)
                )

    @api.constrains("weight_distance", "weight_cost", "weight_coverage", "weight_priority", "weight_capacity")
    def _check_weights(self):
        # The engine's Weights says which weights it accepts: one rule, not a copy of it here.
        for strategy in self:
            try:
                strategy._oms_service_weights()
            except ValueError as error:
                raise ValidationError(
                    self.env._("Routing weights must be zero or more, and at least one above zero.")
                ) from error

    def _oms_service_weights(self):
        """This strategy's weights as the routing engine's Weights (ValueError when it refuses them)."""
        self.ensure_one()
        return Weights(
            distance=self.weight_distance,
            cost=self.weight_cost,
            coverage=self.weight_coverage,
            priority=self.weight_priority,
            capacity=self.weight_capacity,
        )

    @api.model
    def _default_for(self, company):
        return self.search([("company_id", "=", company.id), ("is_default", "=", True)], limit=1)

    def _oms_service_strategy(self):
        """This strategy as the routing engine's plain data."""
        self.ensure_one()
        return Strategy(
            weights=self._oms_service_weights(),
            split_policy=self.split_policy,
            split_penalty=self.split_penalty,
            max_shipments=self.max_shipments,
            default_warehouse_id=self.default_warehouse_id.id or None,
        )

    def _oms_service_rates(self):
        self.ensure_one()
        return ShippingRates(per_shipment=self.cost_per_shipment, per_km=self.cost_per_km)
