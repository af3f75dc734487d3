from odoo import api, fields, models


class StockPackageType(models.Model):
    _inherit = "stock.package.type"

    # Odoo's size (packaging_length x width x height, in the database's length unit: mm unless the database works
    # in feet), base_weight (the empty box) and max_weight (contents + box, as Odoo's package wizard checks it)
    # are what box choice reads; it adds which boxes are standard, where, and what they cost.
    oms_box_choice = fields.Boolean(
        "Standard Box",
        help="Offered by box choice on deliveries (the Boxes tab of a delivery). Its size is the inside of the box.",
    )
    oms_cost = fields.Monetary(
        "Box Cost",
        currency_field="oms_currency_id",
        help="What one box costs (box, filling, tape); box choice picks the cheapest boxes, or the fewest, as the "
        "company's setting says.",
    )
    oms_currency_id = fields.Many2one("res.currency", string="Box Cost Currency", compute="_compute_oms_currency_id")
    oms_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        "oms_package_type_warehouse_rel",
        "package_type_id",
        "warehouse_id",
        string="Stocked in",
        help="Warehouses that keep this box; empty: every warehouse.",
    )

    _sql_constraints = [
        ("oms_cost_not_negative", "CHECK(oms_cost >= 0)", "A box cannot cost less than nothing."),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_oms_currency_id(self):
        for package_type in self:
            package_type.oms_currency_id = package_type.company_id.currency_id or self.env.company.currency_id

    @api.model
    def _oms_standard_boxes(self, company, warehouse):
        """The standard boxes the warehouse of ``company`` keeps, in one query."""
        return self.search(
            [
                ("oms_box_choice", "=", True),
                ("company_id", "in", [False, company.id]),
                "|",
                ("oms_warehouse_ids", "=", False),
                ("oms_warehouse_ids", "in", warehouse.ids),
            ]
        )
