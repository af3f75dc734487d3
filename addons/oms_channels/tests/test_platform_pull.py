"""Pulling each platform's orders as the scheduled action does, from its local stand-in: every order over several
pages imported once, to the cent of what the customer paid; throttling and server errors survived with nothing
lost and the cursor kept; a later cancellation applied; a webhook and a pull of one order, one sale order."""

from pathlib import Path

from odoo.tests import tagged

from .platform_common import PlatformCase
from .platform_shops import cancel_on_platform

FIXTURES = Path(__file__).parent / "fixtures" / "platforms"
# Orders of each platform's fixtures, and those cancelled on the platform.
ORDERS = {
    "shopify": ({"5810000001001", "5810000001002", "5810000001003", "5810000001004"}, {"5810000001004"}),
    "woocommerce": ({"5098", "5101", "5102", "5103"}, {"5103"}),
    "magento": ({"101", "102", "103", "104"}, {"104"}),
    "prestashop": ({"101", "102", "103", "104"}, {"102"}),
}


@tagged("post_install", "-at_install")
class TestPlatformPull(PlatformCase):
    def assert_pulled_to_the_cent(self, channel):
        every, cancelled = ORDERS[channel.platform]
        staged = {record.external_ref: record for record in channel.staging_ids}
        self.assertEqual(set(staged), every)
        for ref, record in staged.items():
            with self.subTest(order=ref):
                if ref in cancelled:
                    self.assertEqual(record.state, "cancelled", record.error_message)
                    continue
                self.assertEqual(record.state, "imported", record.error_message)
                order = record.sale_order_id
                self.assertEqual(order.state, "sale")
                grand_total = record._payload_data()["grand_total"]
                self.assertFalse(order.currency_id.compare_amounts(order.amount_total, grand_total))
        self.assertTrue(channel.last_sync_ok, channel.last_sync_message)
        self.assertTrue(channel.sync_cursor)

    def pull_everything(self, platform):
        channel, shop = self.platform_channel(platform)
        self.assertTrue(channel._sync_orders(), channel.last_sync_message)
        self.assert_pulled_to_the_cent(channel)
        self.assertEqual(len(self.sale_orders(channel)), len(ORDERS[platform][0] - ORDERS[platform][1]))
        # Pulled again: nothing new, nothing doubled.
        channel._sync_orders()
        self.assertEqual(len(self.sale_orders(channel)), len(ORDERS[platform][0] - ORDERS[platform][1]))
        return channel, shop

    def test_shopify_orders_pulled_over_pages_and_imported_to_the_cent(self):
        _channel, shop = self.pull_everything("shopify")
        self.assertGreaterEqual(len([r for r in shop.requests if r.operation == "orders"]), 2)

    def test_woocommerce_orders_pulled_over_pages_and_imported_to_the_cent(self):
        _channel, shop = self.pull_everything("woocommerce")
        pages = [r for r in shop.requests if r.method == "GET" and r.path.endswith("/wc/v3/orders")]
        self.assertGreaterEqual(len(pages), 2)

    def test_magento_orders_pulled_over_pages_and_imported_to_the_cent(self):
        _channel, shop = self.pull_everything("magento")
        self.assertGreaterEqual(len([r for r in shop.requests if r.path.endswith("/V1/orders")]), 2)

    def test_prestashop_orders_pulled_over_pages_and_imported_to_the_cent(self):
        _channel, shop = self.pull_everything("prestashop")
        self.assertGreaterEqual(len([r for r in shop.requests if r.path.rstrip("/").endswith("/api/orders")]), 2)

    # --- throttling, server errors, the cursor ------------------------------------------------------------------

    def survive(self, platform, disturb):
        channel, shop = self.platform_channel(platform)
        disturb(shop)
        self.assertTrue(channel._sync_orders(), channel.last_sync_message)
        self.assert_pulled_to_the_cent(channel)

    def test_shopify_throttled_query_and_server_error_survived_nothing_lost(self):
        self.survive("shopify", lambda shop: (shop.throttle_next(2), shop.fail_next(1)))

    def test_woocommerce_429_and_500_survived_nothing_lost(self):
        self.survive("woocommerce", lambda shop: (shop.throttle_next(1, retry_after=0), shop.fail_next(1)))

    def test_magento_429_and_500_survived_nothing_lost(self):
        self.survive("magento", lambda shop: (shop.throttle_next(1, retry_after=0), shop.fail_next(1)))

    def test_prestashop_429_and_500_survived_nothing_lost(self):
        self.survive("prestashop", lambda shop: (shop.throttle_next(1, retry_after=0), shop.fail_next(1)))

    def test_a_shop_failing_for_good_ends_the_pull_with_its_reason_and_keeps_the_cursor(self):
        for platform in ORDERS:
            with self.subTest(platform=platform):
                channel, shop = self.platform_channel(platform, code=f"DOWN-{platform.upper()}")
                shop.fail_next(4)  # every attempt of the first call
                self.assertFalse(channel._sync_orders())
                self.assertFalse(channel.last_sync_ok)
                self.assertIn("500", channel.last_sync_message)
                self.assertNotIn(shop.url, channel.last_sync_message)
                self.assertFalse(channel.sync_cursor, "nothing staged: the next run asks from the same point")
                self.assertTrue(channel._sync_orders(), channel.last_sync_message)
                self.assert_pulled_to_the_cent(channel)

    # --- what happens on the platform later ---------------------------------------------------------------------

    def test_an_order_cancelled_on_the_platform_after_import_is_cancelled_in_odoo(self):
        first_open = {"shopify": "5810000001001", "woocommerce": "5101", "magento": "101", "prestashop": "101"}
        for platform, external_id in first_open.items():
            with self.subTest(platform=platform):
                channel, shop = self.platform_channel(platform, code=f"CANCEL-{platform.upper()}")
                channel._sync_orders()
                order = self.staging(external_id, channel).sale_order_id
                self.assertEqual(order.state, "sale")
                cancel_on_platform(platform, shop, external_id)
                self.assertTrue(channel._sync_orders(), channel.last_sync_message)
                self.assertEqual(order.state, "cancel")
                self.assertEqual(self.staging(external_id, channel).state, "cancelled")
                self.assertEqual(self.sale_orders(channel).mapped("oms_channel_ref").count(external_id), 1)

    def test_an_order_pushed_by_webhook_then_pulled_is_one_sale_order(self):
        webhooks = {
            "shopify": ("5810000001001", FIXTURES / "shopify" / "webhook_orders_create_1001.json"),
            "woocommerce": ("5101", FIXTURES / "woocommerce" / "webhook_order_created_5101.body.json"),
        }
        for platform, (external_id, body) in webhooks.items():
            with self.subTest(platform=platform):
                channel, _shop = self.platform_channel(platform, code=f"BOTH-{platform.upper()}")
                channel._receive_orders([body.read_bytes()], source="webhook")
                order = self.staging(external_id, channel).sale_order_id
                self.assertEqual(order.state, "sale", self.staging(external_id, channel).error_message)
                channel._sync_orders()
                staged = self.staging(external_id, channel)
                self.assertEqual(staged.sale_order_id, order)
                self.assertGreaterEqual(staged.receive_count, 2)
                self.assertEqual(self.sale_orders(channel).mapped("oms_channel_ref").count(external_id), 1)
                self.assertFalse(staged.update_pending, "the pulled version is the same order: nothing to review")
