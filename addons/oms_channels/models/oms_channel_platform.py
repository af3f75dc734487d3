from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.platforms.staged import PLATFORM_LABELS, channel_order_of, platform_client

MANAGER_GROUP = "oms_intelligent.group_oms_manager"
SHOPIFY_API_VERSION = "2026-01"  # the version the mapper and the fixtures were written for (API.md)

# The credentials each platform's API asks for, in the order the form shows them.
PLATFORM_CREDENTIALS = {
    "shopify": ("shop_url", "access_token", "api_version"),
    "woocommerce": ("shop_url", "consumer_key", "consumer_secret"),
    "magento": ("shop_url", "access_token", "store_code"),
    "prestashop": ("shop_url", "webservice_key"),
}
# The client's names of the channel's fields (client.py, ``from_credentials``).
CLIENT_KEYS = {
    "shopify": {"shop_url": "shop_domain"},
    "woocommerce": {"shop_url": "site_url"},
    "magento": {"shop_url": "base_url"},
    "prestashop": {"shop_url": "shop_url"},
}


class OmsChannelPlatform(models.Model):
    """The shop platform a channel runs on, and the credentials its API asks for (readable by OMS managers only)."""

    _inherit = "oms.channel"

    platform = fields.Selection(
        [("oms", "OMS schema"), *PLATFORM_LABELS.items()],
        required=True,
        default="oms",
        tracking=True,
        help="The format and API of the channel's orders: the OMS's own schema and REST API, or a shop platform's.",
    )
    shop_url = fields.Char(
        "Shop Address",
        groups=MANAGER_GROUP,
        help="Shopify: the shop's domain (my-shop.myshopify.com). WooCommerce: the site's URL. Magento: the store's "
        "base URL. PrestaShop: the shop's URL.",
    )
    access_token = fields.Char(
        groups=MANAGER_GROUP,
        copy=False,
        help="Shopify: the Admin API access token of the shop's custom app. Magento: the integration's access token.",
    )
    api_version = fields.Char(
        "API Version", default=SHOPIFY_API_VERSION, groups=MANAGER_GROUP, help="Shopify Admin API version (YYYY-MM)."
    )
    consumer_key = fields.Char(groups=MANAGER_GROUP, copy=False, help="WooCommerce REST API consumer key (ck_...).")
    consumer_secret = fields.Char(
        groups=MANAGER_GROUP, copy=False, help="WooCommerce REST API consumer secret (cs_...)."
    )
    store_code = fields.Char(
        default="default", groups=MANAGER_GROUP, help="Magento store view code of the REST paths (rest/<code>/V1)."
    )
    webservice_key = fields.Char(groups=MANAGER_GROUP, copy=False, help="PrestaShop webservice key.")
    sync_page_size = fields.Integer(
        "Orders per Page",
        default=50,
        help="Orders asked for in one call of a pull; fewer when a shop's large orders make its answers slow.",
    )

    _sql_constraints = [
        (
            "sync_page_size_range",
            "CHECK(sync_page_size BETWEEN 1 AND 100)",
            "A pull asks for 1 to 100 orders per page.",
        ),
    ]

    @api.onchange("platform")
    def _onchange_platform(self):
        # A shop platform is pulled through its REST API and may push by webhook too.
        if self.platform != "oms" and self.connector not in ("rest", "webhook"):
            self.connector = "rest"

    def _platform_client(self):
        """The plain-Python client of this platform channel, built from its (manager-only) credentials."""
        self.ensure_one()
        credentials = self.sudo()
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in PLATFORM_CREDENTIALS[self.platform]
            if not credentials[name]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Channel %(channel)s lacks what %(platform)s asks for: %(missing)s.",
                    channel=self.name,
                    platform=PLATFORM_LABELS[self.platform],
                    missing=", ".join(missing),
                )
            )
        renamed = CLIENT_KEYS[self.platform]
        values = {renamed.get(name, name): credentials[name] for name in PLATFORM_CREDENTIALS[self.platform]}
        return platform_client(self.platform, values, page_size=self.sync_page_size)

    def _platform_secrets(self):
        """The platform credentials, for the messages every OMS user reads never to show them."""
        credentials = self.sudo()
        return [credentials[name] for name in ("access_token", "consumer_key", "consumer_secret", "webservice_key")]

    def _channel_order_of(self, payload):
        """The channel order of a payload staged for this channel (see services/platforms/staged.py)."""
        self.ensure_one()
        return channel_order_of(self.platform, payload)
