from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOmsAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.oms_user = new_test_user(
            cls.env, login="oms_access_user", groups="base.group_user,oms_intelligent.group_oms_user"
        )
        cls.oms_manager = new_test_user(
            cls.env, login="oms_access_manager", groups="base.group_user,oms_intelligent.group_oms_manager"
        )
        cls.employee = new_test_user(cls.env, login="oms_access_employee", groups="base.group_user")
        cls.root_menu = cls.env.ref("oms_intelligent.menu_oms_root")
        cls.config_menu = cls.env.ref("oms_intelligent.menu_oms_configuration")

    def _visible_menu_ids(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_oms_user_sees_the_app_but_not_its_configuration(self):
        visible = self._visible_menu_ids(self.oms_user)
        self.assertIn(self.root_menu.id, visible)
        self.assertIn(self.env.ref("oms_intelligent.menu_oms_sale_orders").id, visible)
        self.assertNotIn(self.config_menu.id, visible)

    def test_oms_manager_sees_the_configuration(self):
        visible = self._visible_menu_ids(self.oms_manager)
        self.assertIn(self.config_menu.id, visible)
        self.assertIn(self.env.ref("oms_intelligent.menu_oms_warehouses").id, visible)

    def test_employee_without_oms_group_does_not_see_the_app(self):
        self.assertNotIn(self.root_menu.id, self._visible_menu_ids(self.employee))

    def test_manager_group_implies_user_group(self):
        self.assertTrue(self.oms_manager.has_group("oms_intelligent.group_oms_user"))
        self.assertFalse(self.oms_user.has_group("oms_intelligent.group_oms_manager"))

    def test_oms_user_cannot_change_manager_only_configuration(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        with self.assertRaises(AccessError):
            warehouse.with_user(self.oms_user).write({"name": "Renamed by a user"})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.oms_user).create({})
        warehouse.with_user(self.oms_manager).write({"name": "Renamed by a manager"})
        self.assertEqual(warehouse.name, "Renamed by a manager")
