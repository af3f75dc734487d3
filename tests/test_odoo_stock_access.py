"""A warehouse user who reads only their own sale orders (Odoo's "Sales: own documents only") still validates the
delivery of another salesperson's order with the OMS installed, as in plain Odoo: Odoo's sale_stock test
``test_inventory_admin_no_backorder_not_own_sale_order`` met an AccessError in the OMS's delivery hook, which read
the order's hold and workflow as the warehouse user."""

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWarehouseUserValidatesOthersOrders(TransactionCase):
    def test_a_stock_manager_seeing_only_own_orders_validates_another_salespersons_delivery(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        product = self.env["product.product"].create({"name": "Access test lamp", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Access test customer"}).id,
                "warehouse_id": warehouse.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        delivery = order.picking_ids
        packer = new_test_user(
            self.env,
            login="oms_own_orders_packer",
            groups="base.group_user,stock.group_stock_manager,sales_team.group_sale_salesman",
        )
        self.assertFalse(order.with_user(packer).has_access("read"), "the order is another salesperson's")
        delivery.with_user(packer).move_ids.write({"quantity": 2, "picked": True})
        # The packer's request starts with nothing of the order read.
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertIs(delivery.with_user(packer).button_validate(), True)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 2)
