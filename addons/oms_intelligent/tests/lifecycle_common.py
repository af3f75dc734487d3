"""The world of the lifecycle tests (test_lifecycle.py, test_holds.py)."""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class LifecycleCase(TransactionCase):
    """The demo company with its policies and workflows, a consumer and a business customer in Spain, a stocked
    product priced 100 without taxes (so amounts read plainly)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.b2c_workflow = cls.env.ref("oms_intelligent.oms_workflow_b2c")
        cls.b2b_workflow = cls.env.ref("oms_intelligent.oms_workflow_b2b")
        cls.manager_group = cls.env.ref("oms_intelligent.group_oms_manager")
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.tent = cls.env["product.product"].create(
            {
                "name": "Lifecycle Tent",
                "is_storable": True,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
                "company_id": cls.company.id,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.tent, cls.madrid.lot_stock_id, 500)
        spain = cls.env.ref("base.es")
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Marta Consumidora", "country_id": spain.id, "email": "marta@example.com"}
        )
        cls.business = cls.env["res.partner"].create(
            {
                "name": "Tiendas Norte S.L.",
                "is_company": True,
                "country_id": spain.id,
                "email": "compras@tiendasnorte.example.com",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.business.with_company(cls.company).credit_limit = 1000.0
        cls.oms_user = new_test_user(
            cls.env,
            "lifecycle_user",
            groups="sales_team.group_sale_salesman,oms_intelligent.group_oms_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.oms_manager = new_test_user(
            cls.env,
            "lifecycle_manager",
            groups="sales_team.group_sale_manager,oms_intelligent.group_oms_manager,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def order(self, partner, quantity=1, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.tent.id, "product_uom_qty": quantity})],
                **values,
            }
        )

    def delivery_address_in_france(self, city):
        return self.env["res.partner"].create(
            {
                "name": f"Marta ({city})",
                "parent_id": self.consumer.id,
                "type": "delivery",
                "city": city,
                "country_id": self.env.ref("base.fr").id,
            }
        )

    def active_reasons(self, order):
        return order.oms_hold_ids.filtered(lambda hold: hold.state == "active").mapped("reason")

    def deliver(self, order):
        for picking in order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")):
            picking.action_assign()
            picking.move_ids.quantity = picking.move_ids.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()
