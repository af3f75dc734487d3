from odoo import api, models

from ..services.allocation import allocate_greedy, allocate_optimal, shipping_costs


class SaleOrder(models.Model):
    """Batch allocation: share the stock among the orders waiting to ship so that the most ship complete, instead of
    first come, first served (the Allocate wizard)."""

    _inherit = "sale.order"

    @api.model
    def _oms_waiting_to_ship(self, company):
        """Confirmed orders of the company none of whose deliveries has left yet, oldest first."""
        return self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("locked", "=", False),
                ("picking_ids.state", "in", ("waiting", "confirmed", "assigned")),
            ],
            order="date_order, id",
        ).filtered(lambda order: not any(picking.state == "done" for picking in order.picking_ids))

    def _oms_allocate(self):
        """Share the stock among these orders: the most orders complete, then the cheapest shipping (an integer
        program), instead of first come, first served. Returns the allocation and the greedy one it beat."""
        company = self.company_id
        company.ensure_one()
        self.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).do_unreserve()
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)], order="id")
        products = self.order_line.product_id.filtered("is_storable")
        stock = self._oms_lock_available_to_promise(products, warehouses)
        loads = warehouses._oms_loads_today()
        inputs = [order._oms_routing_input() for order in self]
        candidates = [
            self[:1]._oms_candidate_stock(warehouse._oms_candidate(), {}, {}, loads) for warehouse in warehouses
        ]
        rates = self[:1]._oms_strategy()._oms_service_rates()
        costs = shipping_costs(inputs, candidates, rates)
        allocation = allocate_optimal(inputs, stock, costs)
        greedy = allocate_greedy(inputs, stock, costs)
        for order in self:
            warehouse = warehouses.browse(allocation.served.get(order.id))
            order._oms_ship_complete_from(warehouse)
        return allocation, greedy

    def _oms_ship_complete_from(self, warehouse):
        """Move the order's pending deliveries to the warehouse the allocation gave it, or note that it waits."""
        self.ensure_one()
        if not warehouse:
            self.message_post(
                body=self.env._("Batch allocation: not enough stock to ship this order complete; it waits.")
            )
            return
        lines = self.order_line.filtered(lambda line: line.product_id.type != "service")
        if lines.warehouse_id == warehouse:
            self.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).action_assign()
        else:
            self._oms_release_pending_moves()
            lines.with_context(skip_procurement=True).warehouse_id = warehouse
            self.order_line._action_launch_stock_rule()
        self.message_post(body=self.env._("Batch allocation: ships complete from %s.", warehouse.name))
