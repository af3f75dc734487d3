from odoo import fields, models

from ..tools import keep_column_defaults


class ResCompany(models.Model):
    _inherit = "res.company"

    oms_hold_alert_hours = fields.Integer(
        "Alert on Holds After (hours)",
        default=4,
        help="An order on hold for longer needs attention: it is listed in Alerts and its team gets an activity.",
    )

    # Reorder points computed from the demand forecast (stock.warehouse.orderpoint in "OMS Forecast" mode)
    oms_reorder_service_level = fields.Float(
        "Service Level (%)",
        default=95.0,
        help="Chance of not running out during a vendor lead time; it sets the safety stock of new reorder points.",
    )
    oms_reorder_max_rule = fields.Selection(
        [("eoq", "Economic order quantity"), ("cover", "Days of cover")],
        string="Reorder Quantity",
        default="eoq",
        required=True,
        help="How much a reorder adds above the minimum: the economic order quantity (from the order cost and the "
        "holding rate) or a number of days of forecast demand.",
    )
    oms_reorder_cover_days = fields.Integer(
        "Days of Cover", default=30, help="Forecast days a reorder covers when the quantity is in days of cover."
    )
    oms_reorder_order_cost = fields.Float(
        "Cost per Purchase Order",
        default=50.0,
        help="What placing one purchase order costs (handling, receiving, paperwork), for the economic order quantity.",
    )
    oms_reorder_holding_rate = fields.Float(
        "Holding Cost (% per year)",
        default=25.0,
        help="Yearly cost of keeping stock, as a share of its value, for the economic order quantity.",
    )
    oms_reorder_default_lead_days = fields.Integer(
        "Default Vendor Lead Time (days)",
        default=7,
        help="Used for a vendor without a delivery lead time; such reorder points are flagged.",
    )
    oms_reorder_fallback_min = fields.Float(
        "Minimum without History",
        default=0.0,
        help="Minimum quantity of a forecast reorder point whose product has no sales history yet.",
    )
    oms_slow_mover_days = fields.Integer(
        "Slow Mover after (days)",
        default=90,
        help="Stock with no sale for this many days is a liquidation candidate.",
    )
    oms_overstock_cover_days = fields.Integer(
        "Overstock above (days of cover)",
        default=180,
        help="Stock that would last longer than this at the forecast demand is a liquidation candidate.",
    )

    # Customer 360 (oms.customer.value)
    oms_vip_top_percent = fields.Float(
        "VIP Suggestions (top % by margin)",
        default=5.0,
        help="Customers in this top share of the company's customers by margin are suggested as VIP.",
    )
    oms_customer_value_date = fields.Datetime(
        "Customer Values Computed On", readonly=True, help="When the daily cron last recomputed the customer values."
    )

    def _auto_init(self):
        result = super()._auto_init()
        keep_column_defaults(self, ("oms_reorder_max_rule",))
        return result
