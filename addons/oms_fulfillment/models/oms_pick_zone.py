from odoo import fields, models


class OmsPickZone(models.Model):
    """An area of a warehouse with its own pickers (shelving, bulky goods, cold room...). Its locations, and their
    sublocations, belong to it; zone picking gives each zone its own batch."""

    _name = "oms.pick.zone"
    _description = "Picking Zone"
    _order = "warehouse_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code printed on pick lists.")
    sequence = fields.Integer(default=10, help="Zones are walked in this order on a pick list.")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, check_company=True, ondelete="cascade")
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    location_ids = fields.One2many("stock.location", "oms_zone_id", string="Locations")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_warehouse_unique", "unique(code, warehouse_id)", "A zone code is used once per warehouse."),
    ]
