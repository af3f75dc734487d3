from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSpanishTranslation(TransactionCase):
    def test_order_management_reads_in_spanish_once_spanish_is_loaded(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["oms_intelligent", "oms_channels"], ["es_ES"])
        spanish = self.env(context={"lang": "es_ES"})
        self.assertEqual(spanish.ref("oms_intelligent.menu_oms_root").name, "Gestión de pedidos")
        self.assertEqual(spanish.ref("oms_intelligent.menu_oms_routing_strategies").name, "Estrategias de enrutamiento")
        self.assertEqual(spanish.ref("oms_channels.menu_oms_channel_orders").name, "Pedidos de canal")
        self.assertEqual(self.env.ref("oms_intelligent.menu_oms_root").name, "Order Management")
