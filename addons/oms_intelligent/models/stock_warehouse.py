from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models

from ..services.routing import Candidate

DEFAULT_CUTOFF_HOUR = 17.0
# Public holidays are read this far beyond the last day a computation starts from: no transit time reaches further.
WORKING_DAYS_AHEAD = timedelta(days=60)


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    oms_fulfillment_enabled = fields.Boolean(
        "Ships Customer Orders", default=True, help="Routing may send customer orders to this warehouse."
    )
    oms_priority = fields.Integer(
        "Routing Priority", default=10, help="Higher is preferred when the routing strategy weighs priority."
    )
    oms_daily_capacity = fields.Integer(
        "Daily Order Capacity", help="Customer orders this warehouse can ship per day; 0 means no limit."
    )
    oms_load_today = fields.Integer("Orders Routed Today", compute="_compute_oms_load_today")
    oms_handling_cost = fields.Float("Handling Cost per Order", digits="Product Price")
    oms_country_ids = fields.Many2many(
        "res.country",
        string="Countries Served",
        help="Routing sends here only orders to these countries; all when empty.",
    )
    oms_cutoff_hour = fields.Float(
        "Cut-off Time",
        default=DEFAULT_CUTOFF_HOUR,
        help="Orders routed after this hour (warehouse local time) ship on the next working day.",
    )
    oms_latitude = fields.Float(related="partner_id.partner_latitude", string="Latitude", readonly=False)
    oms_longitude = fields.Float(related="partner_id.partner_longitude", string="Longitude", readonly=False)

    def _compute_oms_load_today(self):
        load = self._oms_loads_today()
        for warehouse in self:
            warehouse.oms_load_today = load.get(warehouse.id, 0)

    def _oms_loads_today(self):
        """Customer orders routed to each warehouse since the start of its own day (its clock, not the user's),
        from the stored decisions: one grouped query per time zone among the warehouses."""
        by_day_start = defaultdict(list)
        for warehouse in self:
            day_start = warehouse._oms_tz().localize(datetime.combine(warehouse._oms_today(), time.min))
            by_day_start[day_start.astimezone(pytz.utc).replace(tzinfo=None)].append(warehouse.id)
        loads = {}
        for day_start, warehouse_ids in by_day_start.items():
            groups = (
                self.env["oms.routing.decision.candidate"]
                .sudo()
                ._read_group(
                    [
                        ("chosen", "=", True),
                        ("warehouse_id", "in", warehouse_ids),
                        ("decision_id.current", "=", True),
                        ("decision_id.create_date", ">=", day_start),
                    ],
                    ["warehouse_id"],
                    ["decision_id:count_distinct"],
                )
            )
            loads.update({warehouse.id: count for warehouse, count in groups})
        return loads

    # ------------------------------------------------------------------------------------ clock and working days
    # A transfer whose operation type has no warehouse goes by its company's: these helpers take an empty
    # warehouse too, in the company of its environment (``with_company``).

    def _oms_company(self):
        if self:
            self.ensure_one()
        return self.company_id or self.env.company

    def _oms_tz(self):
        """The warehouse's time zone: its address's, else its company's, else UTC. Never the user's: the day and
        the cut-off of a warehouse are the same for whoever looks at them."""
        return pytz.timezone(self.partner_id.tz or self._oms_company().partner_id.tz or "UTC")

    def _oms_local(self, moment):
        """A UTC datetime (naive, as Odoo stores them) as the warehouse's local time, naive."""
        return pytz.utc.localize(moment).astimezone(self._oms_tz()).replace(tzinfo=None)

    def _oms_today(self):
        return self._oms_local(fields.Datetime.now()).date()

    def _oms_cutoff(self):
        return self.oms_cutoff_hour if self else DEFAULT_CUTOFF_HOUR

    def _oms_working_days(self, first_day, last_day=None):
        """The working days of the warehouse's company calendar from ``first_day`` (its public holidays read up to
        ``last_day`` and beyond, as far as a transit time reaches)."""
        calendar = self._oms_company().resource_calendar_id
        return calendar._oms_working_days(first_day, (last_day or first_day) + WORKING_DAYS_AHEAD)

    def _oms_candidate(self):
        """This warehouse for the routing engine, without stock: orders add theirs (`_oms_candidate_stock`)."""
        self.ensure_one()
        return Candidate(
            warehouse_id=self.id,
            name=self.name,
            location=self.partner_id._oms_location(),
            company_id=self.company_id.id,
            enabled=self.oms_fulfillment_enabled and self.active,
            priority=self.oms_priority,
            capacity_left=self.oms_daily_capacity or None,
            handling_cost=self.oms_handling_cost,
            countries_served=frozenset(self.oms_country_ids.mapped("code")),
        )

    def _oms_record_past_deliveries(self, product_id, daily_quantities):
        """Deliver ``daily_quantities`` of a product (oldest first, the last one yesterday) to customers from this
        warehouse, dated in the past, without changing its stock on hand: an inventory adjustment brings in what
        leaves. Gives a demand history to demo data and tests of the forecast."""
        self.ensure_one()
        product = self.env["product.product"].browse(product_id)
        today = fields.Date.context_today(self)
        start = today - timedelta(days=len(daily_quantities))
        stock = self.lot_stock_id
        total = sum(daily_quantities)
        quant = self.env["stock.quant"]._gather(product, stock, strict=True)
        self.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": stock.id,
                "inventory_quantity": sum(quant.mapped("quantity")) + total,
            }
        ).action_apply_inventory()
        customers = self.env.ref("stock.stock_location_customers")
        moves = self.env["stock.move"].create(
            [
                {
                    "name": product.display_name,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "product_uom": product.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                    "company_id": self.company_id.id,
                    "warehouse_id": self.id,
                }
                for quantity in daily_quantities
                if quantity > 0
            ]
        )
        moves._action_confirm(merge=False)
        moves._action_assign()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        days = [start + timedelta(days=index) for index, quantity in enumerate(daily_quantities) if quantity > 0]
        for move, day in zip(moves, days, strict=True):
            dated = datetime.combine(day, time(12))
            move.write({"date": dated})
            move.move_line_ids.write({"date": dated})
        return moves
