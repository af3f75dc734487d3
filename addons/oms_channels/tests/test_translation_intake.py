"""The intake hardening in Spanish: the channel's limits, the policy check they feed and the hold it puts."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ChannelCase


@tagged("post_install", "-at_install")
class TestIntakeSpanish(ChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        # Overwrite: the terms of this tree's es.po, whatever an older load left in the database.
        cls.env["ir.module.module"]._load_module_terms(["oms_channels"], ["es_ES"], overwrite=True)
        cls.spanish = cls.env(context=dict(cls.env.context, lang="es_ES"))

    def test_channel_limits_policy_check_and_hold_kind_read_in_spanish(self):
        labels = self.spanish["oms.channel"].fields_get(["max_line_quantity", "max_order_amount"], ["string"])
        self.assertEqual(labels["max_line_quantity"]["string"], "Cantidad máxima por línea")
        self.assertEqual(labels["max_order_amount"]["string"], "Importe máximo del pedido")
        checks = dict(self.spanish["oms.order.policy"].fields_get(["check"], ["selection"])["check"]["selection"])
        self.assertEqual(checks["unusual"], "Cantidad o importe inusual")
        kinds = dict(self.spanish["oms.order.hold"].fields_get(["kind"], ["selection"])["kind"]["selection"])
        self.assertEqual(kinds["unusual"], "Pedido inusual")
        # English stays English.
        self.assertEqual(
            self.env["oms.channel"].fields_get(["max_line_quantity"], ["string"])["max_line_quantity"]["string"],
            "Max Quantity per Line",
        )

    def test_unusual_order_imported_in_spanish_is_held_with_a_spanish_reason(self):
        self.channel.max_line_quantity = 2
        payload = self.order("ES-UNUSUAL", lines=[{"sku": "TST-KET", "quantity": 3, "unit_price": 27.5}])
        self.channel.with_context(lang="es_ES")._receive_orders([payload], source="webhook")
        order = self.staging("ES-UNUSUAL").sale_order_id
        self.assertTrue(order, self.staging("ES-UNUSUAL").error_message)
        self.assertIn(order.state, ("draft", "sent"), "an unusual order is never confirmed by itself")
        hold = order.oms_hold_ids.filtered(lambda hold: hold.kind == "unusual")
        self.assertTrue(hold, order.oms_hold_reasons)
        product = self.kettle.display_name
        self.assertEqual(hold.reason, f"Pedido inusual: {product}: 3 unidades (el límite del canal es 2)")
        # The same check in an English environment speaks English.
        reasons = self.env.ref("oms_channels.policy_unusual")._reasons_unusual(order)
        self.assertEqual(reasons[order], f"Unusual order: {product}: 3 units (the channel's limit is 2)")

    def test_platform_fields_and_their_refusals_read_in_spanish(self):
        fields = self.spanish["oms.channel"].fields_get(["platform", "consumer_secret", "sync_page_size"], ["string"])
        self.assertEqual(fields["platform"]["string"], "Plataforma")
        self.assertEqual(fields["consumer_secret"]["string"], "Secreto de consumidor")
        self.assertEqual(fields["sync_page_size"]["string"], "Pedidos por página")
        platforms = dict(self.spanish["oms.channel"].fields_get(["platform"], ["selection"])["platform"]["selection"])
        self.assertEqual(platforms["oms"], "Esquema del OMS")
        channel = self.channel.with_env(self.spanish).copy({"code": "ES-WOO", "platform": "woocommerce"})
        with self.assertRaisesRegex(UserError, "le falta lo que pide WooCommerce"):
            channel._get_connector()
