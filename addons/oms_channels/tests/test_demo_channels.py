from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoChannels(TransactionCase):
    """What a user sees in the demo: three kinds of channel, and a first marketplace pull with its errors."""

    def test_demo_has_a_marketplace_an_edi_partner_and_phone_orders(self):
        channels = self.env["oms.channel"].search([("company_id", "=", self.env.ref("oms_intelligent.oms_company").id)])
        self.assertEqual(
            {(channel.code, channel.kind, channel.connector) for channel in channels},
            {("MKT-ES", "marketplace", "rest"), ("EDI-PT", "edi", "soap"), ("PHONE", "phone", "manual")},
        )
        marketplace = self.env.ref("oms_channels.channel_marketplace_iberia")
        self.assertEqual(len(marketplace.product_binding_ids), 20)
        self.assertTrue(self.env.ref("oms_channels.channel_edi_portugal").product_binding_ids)

    def test_demo_pull_imported_the_good_orders_and_quarantined_the_bad_ones(self):
        marketplace = self.env.ref("oms_channels.channel_marketplace_iberia")
        staged = {record.external_ref: record for record in marketplace.staging_ids}
        imported = [ref for ref, record in staged.items() if record.state == "imported"]
        self.assertEqual(sorted(imported), ["MKT-408-1001", "MKT-408-1002", "MKT-408-1003"])
        lucia = self.env.ref("oms_intelligent.partner_customer_lucia_fernandez")
        self.assertEqual(staged["MKT-408-1001"].sale_order_id.partner_id, lucia, "matched by e-mail, not created")
        self.assertEqual(staged["MKT-408-1003"].sale_order_id.currency_id.name, "GBP")
        self.assertEqual(staged["MKT-408-1004"].error_category, "unknown_product")
        self.assertIn("MKT-UNKNOWN-77", staged["MKT-408-1004"].error_message)
        malformed = marketplace.staging_ids.filtered(lambda record: record.error_category == "malformed")
        self.assertIn("MKT-408-1005", malformed.payload)
        self.assertEqual(marketplace.error_count, 2)
