"""A platform channel's credentials and its Test Connection, against each platform's local stand-in: what works is
said, what fails names the credential to check, and no message shows a secret; only OMS managers see the keys."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..stand_ins.magento import LocalMagento
from ..stand_ins.prestashop import LocalPrestashop
from ..stand_ins.shopify import LocalShopify
from ..stand_ins.woocommerce import LocalWooCommerce
from .platform_shops import FILL

SHOPIFY_TOKEN = "shpat_connection_test_token"
WOO_KEY, WOO_SECRET = "ck_connection_test_key", "cs_connection_test_secret"
MAGENTO_TOKEN = "magento-connection-test-token"
PRESTASHOP_KEY = "CONNECTIONTESTKEY0123456789ABCDE"


@tagged("post_install", "-at_install")
class TestPlatformConnection(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shops = {
            "shopify": cls.enterClassContext(LocalShopify(access_token=SHOPIFY_TOKEN)),
            "woocommerce": cls.enterClassContext(LocalWooCommerce(consumer_key=WOO_KEY, consumer_secret=WOO_SECRET)),
            "magento": cls.enterClassContext(LocalMagento(access_token=MAGENTO_TOKEN)),
            "prestashop": cls.enterClassContext(LocalPrestashop(key=PRESTASHOP_KEY)),
        }
        for platform, shop in cls.shops.items():
            FILL[platform](shop)
        credentials = {
            "shopify": {"access_token": SHOPIFY_TOKEN, "api_version": "2026-01"},
            "woocommerce": {"consumer_key": WOO_KEY, "consumer_secret": WOO_SECRET},
            "magento": {"access_token": MAGENTO_TOKEN, "store_code": "default"},
            "prestashop": {"webservice_key": PRESTASHOP_KEY},
        }
        cls.channels = {
            platform: cls.env["oms.channel"].create(
                {
                    "name": f"{platform} connection",
                    "code": f"CONN-{platform.upper()}",
                    "platform": platform,
                    "connector": "rest",
                    "shop_url": shop.url,
                    **credentials[platform],
                }
            )
            for platform, shop in cls.shops.items()
        }
        cls.manager = new_test_user(cls.env, "oms_conn_manager", groups="oms_intelligent.group_oms_manager")
        cls.user = new_test_user(cls.env, "oms_conn_user", groups="oms_intelligent.group_oms_user")

    def check_connection(self, platform, **credentials):
        channel = self.channels[platform]
        channel.write(credentials)
        return channel.with_user(self.manager).action_test_connection()["params"]

    def test_every_platform_with_good_credentials_says_the_connection_works(self):
        for platform in self.shops:
            with self.subTest(platform=platform):
                answer = self.check_connection(platform)
                self.assertEqual(answer["type"], "success", answer["message"])

    def test_a_wrong_credential_is_named_and_never_shown(self):
        wrong = {
            "shopify": ("access_token", "shpat_wrong_token_value", "access token"),
            "woocommerce": ("consumer_secret", "cs_wrong_secret_value", "consumer"),
            "magento": ("access_token", "wrong-magento-token-value", "access token"),
            "prestashop": ("webservice_key", "WRONGKEYWRONGKEYWRONGKEYWRONGKEY", "webservice key"),
        }
        for platform, (field, value, named) in wrong.items():
            with self.subTest(platform=platform):
                answer = self.check_connection(platform, **{field: value})
                self.assertEqual(answer["type"], "danger")
                self.assertIn(named, answer["message"].lower())
                self.assertNotIn(value, answer["message"])
                self.assertNotIn(self.shops[platform].url, answer["message"], "the shop's address is masked")

    def test_a_shop_answering_an_html_page_is_a_clear_connector_error(self):
        self.shops["woocommerce"].serve_html_next(4, "maintenance", retry_after=0)
        answer = self.check_connection("woocommerce")
        self.assertEqual(answer["type"], "danger")
        self.assertIn("HTML page", answer["message"])

    def test_missing_credentials_are_named_before_any_call(self):
        channel = self.channels["woocommerce"]
        channel.consumer_secret = False
        with self.assertRaisesRegex(UserError, "Consumer Secret"):
            channel._get_connector()

    def test_only_managers_read_the_credentials_or_test_the_connection(self):
        channel = self.channels["shopify"].with_user(self.user)
        self.assertEqual(channel.platform, "shopify", "users see which platform a channel runs on")
        for field in ("access_token", "shop_url", "consumer_secret", "webservice_key"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                channel.read([field])
        with self.assertRaises(AccessError):
            channel.action_test_connection()
        self.assertEqual(self.channels["shopify"].with_user(self.manager).access_token, SHOPIFY_TOKEN)
