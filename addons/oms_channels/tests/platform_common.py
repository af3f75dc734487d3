"""A company that sells through the four shop platforms: the taxes their fixture orders carry (Spanish 21 %,
Portuguese 23 %, British 20 %, each price-excluded and price-included), a product for every SKU they sell, a carrier
for their shipping, and a channel per platform pointing at its local stand-in, filled with its fixture orders."""

from ..stand_ins.magento import LocalMagento
from ..stand_ins.prestashop import LocalPrestashop
from ..stand_ins.shopify import LocalShopify
from ..stand_ins.woocommerce import LocalWooCommerce
from .common import ChannelCase
from .platform_shops import FILL

STAND_INS = {
    # Its bucket refills at once: a throttled query waits a fraction of a second, not Shopify's 20 s.
    "shopify": (LocalShopify, {"access_token": "shpat_platform_world", "restore_rate": 100_000}),
    "woocommerce": (LocalWooCommerce, {"consumer_key": "ck_platform_world", "consumer_secret": "cs_platform_world"}),
    "magento": (LocalMagento, {"access_token": "magento-platform-world"}),
    "prestashop": (LocalPrestashop, {"key": "PLATFORMWORLDKEY0123456789ABCDEF"}),
}
# The channel's fields of each stand-in's credentials.
CHANNEL_CREDENTIALS = {
    "shopify": lambda shop: {"access_token": shop.access_token, "api_version": shop.api_version},
    "woocommerce": lambda shop: {"consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret},
    "magento": lambda shop: {"access_token": shop.access_token, "store_code": "default"},
    "prestashop": lambda shop: {"webservice_key": shop.key},
}
FIXTURE_SKUS = (
    "OMS-KET-17 OMS-TOS-02R GIFT-WRAP OMS-SAR-28 OMS-OLL-06 OMS-BAT-15 OMS-CAF-06 OMS-TAZ-04W "  # Shopify
    "OMS-PAN-SET3 OMS-BOARD-BAM OMS-KET-01 OMS-MUG-BLU OMS-MOKA-06 OMS-BEAN-1K OMS-TEAPOT-IR OMS-MUG-GRN "  # Woo
    "CL-MANTA-LINO-ARENA CL-TAZA-GRES CL-TOALHA-BANHO CL-VELA-FIGO CL-SILLA-ROBLE CL-COJIN-LANA CL-LAMPARA-NOGAL "
    "OMS-TST-02-R OMS-JUG-10 OMS-MUG-04 OMS-TEA-08 OMS-FLT-03 OMS-SCL-05"  # Magento, PrestaShop
).split()


class PlatformCase(ChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for rate, name in ((21, "IVA 21%"), (23, "IVA 23%"), (20, "VAT 20%")):
            for basis in ("tax_excluded", "tax_included"):
                cls.env["account.tax"].create(
                    {
                        "name": f"{name} ({basis})",
                        "amount": rate,
                        "type_tax_use": "sale",
                        "price_include_override": basis,
                        "company_id": cls.company.id,
                        "sequence": 1,
                    }
                )
        known = set(cls.env["product.product"].search([("default_code", "in", FIXTURE_SKUS)]).mapped("default_code"))
        cls.env["product.product"].create(
            [
                {"name": f"Platform {sku}", "default_code": sku, "is_storable": True}
                for sku in FIXTURE_SKUS
                if sku not in known
            ]
        )
        cls.platform_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Platform shipping",
                "delivery_type": "fixed",
                "fixed_price": 0.0,
                "product_id": cls.env["product.product"].create({"name": "Platform shipping", "type": "service"}).id,
            }
        )

    def platform_channel(self, platform, page_size=2, **values):
        """A channel of ``platform`` pulling from a new stand-in filled with the fixture orders: (channel, shop)."""
        stand_in, options = STAND_INS[platform]
        shop = self.enterContext(stand_in(**options))
        FILL[platform](shop)
        channel = self.env["oms.channel"].create(
            {
                "name": f"{platform} shop",
                "code": f"PF-{platform.upper()}",
                "platform": platform,
                "connector": "rest",
                "company_id": self.company.id,
                "pricelist_id": self.pricelist["EUR"].id,
                "warehouse_id": self.warehouse.id,
                "default_carrier_id": self.platform_carrier.id,
                "workflow_id": self.workflow.id,
                "shop_url": shop.url,
                "sync_page_size": page_size,
                **CHANNEL_CREDENTIALS[platform](shop),
                **values,
            }
        )
        return channel, shop
