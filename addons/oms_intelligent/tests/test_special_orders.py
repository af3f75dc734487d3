import psycopg2

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval


class SpecialOrderCase(TransactionCase):
    """OMS Iberia's special order types (demo), a VIP customer and a product costing 8.00 sold at 20.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.vip_type, cls.replacement_type, cls.gift_type, cls.priority_type = (
            cls.env.ref(f"oms_intelligent.special_order_type_oms_{name}")
            for name in ("vip", "replacement", "gift", "priority")
        )
        cls.marketing = cls.env.ref("oms_intelligent.account_marketing_gifts")
        cls.year = fields.Date.context_today(cls.vip_type).year
        cls.customer = cls.env["res.partner"].create({"name": "Plain Customer", "city": "Madrid"})
        cls.vip = cls.env["res.partner"].create({"name": "Very Important Customer", "oms_vip": True})
        cls.mug = cls.env["product.product"].create(
            {
                "name": "Thank-you mug",
                "list_price": 20.0,
                "standard_price": 8.0,
                "invoice_policy": "order",
                "company_id": cls.company.id,
            }
        )

    def order(self, partner=None, price_unit=None, discount=0.0, quantity=1, **vals):
        line = {"product_id": self.mug.id, "product_uom_qty": quantity, "discount": discount}
        if price_unit is not None:
            line["price_unit"] = price_unit
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "order_line": [(0, 0, line)],
                **vals,
            }
        )

    def number(self, code):
        return int(code.rsplit("-", 1)[1])


@tagged("post_install", "-at_install")
class TestSpecialOrderCodes(SpecialOrderCase):
    def test_vip_customer_order_gets_a_vip_code_of_this_year(self):
        order = self.order(self.vip)
        self.assertEqual(order.oms_special_type_id, self.vip_type)
        self.assertRegex(order.oms_special_code, rf"^VIP-{self.year}-\d{{5}}$")
        self.assertEqual(order.oms_retention_outcome, "pending")
        self.assertIn(order.oms_special_code, order.message_ids[0].body)
        self.assertFalse(self.order().oms_special_code, "a plain customer's order is not special")

    def test_contact_of_a_vip_company_orders_as_vip(self):
        contact = self.env["res.partner"].create({"name": "Buyer at VIP", "parent_id": self.vip.id})
        self.assertEqual(self.order(contact).oms_special_type_id, self.vip_type)

    def test_codes_increase_one_by_one_and_are_unique(self):
        orders = self.env["sale.order"].create(
            [{"partner_id": self.vip.id, "company_id": self.company.id} for _ in range(3)]
        )
        numbers = [self.number(code) for code in orders.mapped("oms_special_code")]
        self.assertEqual(numbers, [numbers[0], numbers[0] + 1, numbers[0] + 2])
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            orders[1].write({"oms_special_code": orders[0].oms_special_code})
            orders.flush_recordset()

    def test_code_finds_the_order_by_name_search_and_in_the_order_search_bar(self):
        order = self.order(self.vip)
        code = order.oms_special_code
        found = self.env["sale.order"].name_search(code)
        self.assertEqual([order_id for order_id, _name in found], [order.id])
        self.assertEqual(self.env["sale.order"].search([("oms_special_code", "ilike", code.lower())]), order)
        arch = self.env["sale.order"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("('oms_special_code', 'ilike', self)", arch, "the Order field of the search bar finds codes")
        self.assertIn('name="filter_special"', arch)

    def test_code_is_not_given_again_when_the_type_changes(self):
        order = self.order(self.vip)
        code = order.oms_special_code
        order.oms_special_type_id = self.priority_type
        self.assertEqual(order.oms_special_code, code)
        self.assertEqual(order.oms_special_type_id, self.priority_type)
        self.assertTrue(order._oms_is_priority())

    def test_type_chosen_by_hand_wins_over_the_rules(self):
        order = self.order(self.vip, oms_special_type_id=self.priority_type.id)
        self.assertEqual(order.oms_special_type_id, self.priority_type)
        self.assertRegex(order.oms_special_code, rf"^PRIO-{self.year}-\d{{5}}$")

    def test_copy_of_a_special_order_gets_a_code_of_its_own(self):
        order = self.order(self.vip)
        copy = order.copy()
        self.assertTrue(copy.oms_special_code)
        self.assertNotEqual(copy.oms_special_code, order.oms_special_code)


@tagged("post_install", "-at_install")
class TestSpecialOrderEffects(SpecialOrderCase):
    def test_replacement_order_gets_the_replacement_type_and_skips_the_payment_hold(self):
        original = self.order(self.vip)
        replacement = self.order(self.vip, oms_replaced_order_id=original.id)
        self.assertEqual(replacement.oms_special_type_id, self.replacement_type, "a replacement, even for a VIP")
        self.assertRegex(replacement.oms_special_code, rf"^REP-{self.year}-\d{{5}}$")
        self.assertTrue(replacement._oms_skips_payment_hold())
        self.assertFalse(original._oms_skips_payment_hold())
        # The returns flow links the original after creating the order.
        later = self.order()
        later.oms_replaced_order_id = original
        self.assertEqual(later.oms_special_type_id, self.replacement_type)
        self.assertTrue(later._oms_skips_payment_hold())

    def test_order_of_only_free_lines_is_a_gift_and_stays_free(self):
        order = self.order(discount=100.0)
        self.assertEqual(order.oms_special_type_id, self.gift_type)
        self.assertRegex(order.oms_special_code, rf"^GIFT-{self.year}-\d{{5}}$")
        self.assertEqual(order.order_line.mapped("price_unit"), [0.0], "the 100% discount became a 0 price")
        order.order_line = [(0, 0, {"product_id": self.mug.id, "product_uom_qty": 2})]
        self.assertEqual(order.order_line.mapped("price_unit"), [0.0, 0.0], "a line added to a gift is free")
        self.assertEqual(order.amount_total, 0.0)

    def test_order_with_one_free_sample_among_paid_lines_is_not_a_gift(self):
        self.assertFalse(self.order(price_unit=20.0).oms_special_type_id)
        mixed = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": self.mug.id, "product_uom_qty": 1, "price_unit": 0.0}),
                    (0, 0, {"product_id": self.mug.id, "product_uom_qty": 1}),
                ],
            }
        )
        self.assertFalse(mixed.oms_special_type_id)
        self.assertEqual(mixed.order_line.mapped("price_unit"), [0.0, 20.0])

    def test_gift_type_chosen_by_hand_makes_the_order_free(self):
        order = self.order(quantity=3)
        self.assertEqual(order.amount_untaxed, 60.0)
        order.oms_special_type_id = self.gift_type
        self.assertEqual(order.amount_untaxed, 0.0)

    def test_gift_invoice_line_and_cost_entry_hit_the_marketing_account(self):
        order = self.order(price_unit=0.0, quantity=3)
        self.assertEqual(order.oms_special_type_id, self.gift_type)
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.account_id, self.marketing)
        invoice.action_post()
        entry = self.env["account.move"].search([("oms_gift_invoice_id", "=", invoice.id)])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.ref, order.oms_special_code)
        self.assertEqual(entry.journal_id.type, "general")
        cost_account = self.mug.with_company(self.company).product_tmpl_id._get_product_accounts()["expense"]
        self.assertTrue(cost_account)
        self.assertEqual(
            sorted((line.account_id, line.debit, line.credit) for line in entry.line_ids),
            sorted([(self.marketing, 24.0, 0.0), (cost_account, 0.0, 24.0)]),
            "3 mugs at a cost of 8.00",
        )
        self.assertIn(entry.name, order.message_ids[0].body)
        # Posted again after a correction: the cost is not booked twice.
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(self.env["account.move"].search_count([("oms_gift_invoice_id", "=", invoice.id)]), 1)

    def test_paid_order_invoice_keeps_the_income_account(self):
        order = self.order(price_unit=20.0)
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertNotEqual(invoice.invoice_line_ids.account_id, self.marketing)
        invoice.action_post()
        self.assertFalse(self.env["account.move"].search([("oms_gift_invoice_id", "=", invoice.id)]))


@tagged("post_install", "-at_install")
class TestPriorityOrders(SpecialOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.lamp = cls.env["product.product"].create(
            {"name": "Last lamps", "is_storable": True, "list_price": 50.0, "company_id": cls.company.id}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.madrid.lot_stock_id, 3)

    def lamp_order(self, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "order_line": [(0, 0, {"product_id": self.lamp.id, "product_uom_qty": 3})],
                **vals,
            }
        )

    def test_priority_order_delivery_is_starred_for_the_warehouse(self):
        urgent = self.lamp_order(oms_special_type_id=self.priority_type.id)
        plain = self.lamp_order()
        (urgent | plain).action_confirm()
        self.assertEqual(urgent.picking_ids.mapped("priority"), ["1"])
        self.assertEqual(plain.picking_ids.mapped("priority"), ["0"])

    def test_priority_order_confirmed_with_others_is_routed_first_and_gets_the_last_units(self):
        plain = self.lamp_order()
        urgent = self.lamp_order(oms_special_type_id=self.priority_type.id)
        (plain | urgent).action_confirm()
        self.assertFalse(urgent.oms_routing_decision_id.line_ids.filtered("backorder"))
        self.assertEqual(plain.oms_routing_decision_id.line_ids.filtered("backorder").quantity, 3)

    def test_order_made_priority_after_confirmation_stars_its_open_delivery(self):
        order = self.lamp_order()
        order.action_confirm()
        self.assertEqual(order.picking_ids.priority, "0")
        order.oms_special_type_id = self.priority_type
        self.assertEqual(order.picking_ids.priority, "1")


@tagged("post_install", "-at_install")
class TestSpecialOrderAccess(SpecialOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.oms_user = new_test_user(
            cls.env, login="sp_oms_user", groups="base.group_user,oms_intelligent.group_oms_user", **company
        )
        cls.oms_manager = new_test_user(
            cls.env, login="sp_oms_manager", groups="base.group_user,oms_intelligent.group_oms_manager", **company
        )

    def test_oms_user_reads_types_but_cannot_change_them_and_sets_the_retention_outcome(self):
        types = self.env["oms.special.order.type"].with_user(self.oms_user)
        self.assertEqual(types.browse(self.vip_type.id).name, "VIP")
        with self.assertRaises(AccessError):
            types.browse(self.vip_type.id).write({"priority": False})
        with self.assertRaises(AccessError):
            types.create({"name": "Sneaky", "code": "SNK"})
        order = self.order(self.vip).with_user(self.oms_user)
        order.write({"oms_retention_outcome": "retained", "oms_retention_note": "Stays with us."})
        self.assertEqual(order.oms_retention_outcome, "retained")

    def test_manager_creates_a_type_with_its_own_sequence(self):
        new_type = (
            self.env["oms.special.order.type"].with_user(self.oms_manager).create({"name": "Press", "code": "PR"})
        )
        self.assertEqual(new_type.company_id, self.company)
        self.assertEqual(new_type.sequence_id.company_id, self.company)
        self.assertEqual(new_type.sequence_id.implementation, "standard", "codes never wait on a row lock")
        order = self.order(oms_special_type_id=new_type.id)
        self.assertRegex(order.oms_special_code, rf"^PR-{self.year}-00001$")

    def test_types_of_another_company_are_not_visible(self):
        main_types = self.env["oms.special.order.type"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertTrue(main_types, "the main company has its own types (data)")
        visible = self.env["oms.special.order.type"].with_user(self.oms_user).search([])
        self.assertEqual(visible.company_id, self.company)
        self.assertFalse(visible & main_types)
        with self.assertRaises(AccessError):
            main_types.with_user(self.oms_user).read(["name"])

    def test_each_company_numbers_its_own_codes(self):
        main_company = self.env.ref("base.main_company")
        order = (
            self.env["sale.order"]
            .with_company(main_company)
            .create({"partner_id": self.vip.id, "company_id": main_company.id})
        )
        self.assertEqual(order.oms_special_type_id, self.env.ref("oms_intelligent.special_order_type_vip"))
        self.assertEqual(order.oms_special_type_id.company_id, main_company)

    def test_retention_menu_lists_special_orders_for_oms_users(self):
        menu = self.env.ref("oms_intelligent.menu_oms_retention")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.oms_user)._visible_menu_ids())
        special = self.order(self.vip)
        plain = self.order()
        action = self.env.ref("oms_intelligent.action_oms_retention")
        listed = self.env["sale.order"].with_user(self.oms_user).search(safe_eval(action.domain))
        self.assertIn(special, listed)
        self.assertNotIn(plain, listed)

    def test_retention_reads_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["oms_intelligent"], ["es_ES"])
        spanish = self.env(context={"lang": "es_ES"})
        self.assertEqual(spanish.ref("oms_intelligent.menu_oms_retention").name, "Retención")
        self.assertEqual(spanish.ref("oms_intelligent.menu_oms_special_order_types").name, "Tipos de pedido especial")
        self.assertEqual(spanish.ref("oms_intelligent.special_order_type_gift").name, "Regalo")
        order = self.order(self.vip).with_env(spanish)
        self.assertEqual(
            dict(order._fields["oms_retention_outcome"]._description_selection(spanish))["retained"], "Retenido"
        )


@tagged("post_install", "-at_install")
class TestSpecialOrderDemo(SpecialOrderCase):
    def test_demo_has_one_special_order_of_each_kind_with_its_code(self):
        for kind, prefix in (("vip", "VIP"), ("replacement", "REP"), ("gift", "GIFT"), ("priority", "PRIO")):
            order = self.env.ref(f"oms_intelligent.sale_order_oms_special_{kind}")
            self.assertEqual(order.oms_special_type_id, self.env.ref(f"oms_intelligent.special_order_type_oms_{kind}"))
            self.assertRegex(order.oms_special_code, rf"^{prefix}-\d{{4}}-\d{{5}}$")
        gift = self.env.ref("oms_intelligent.sale_order_oms_special_gift")
        self.assertEqual(gift.amount_total, 0.0)
        self.assertEqual(self.gift_type.gift_expense_account_id, self.marketing)
        self.assertTrue(self.env.ref("oms_intelligent.partner_customer_carmen_ruiz").oms_vip)
