"""A label of several parcels reaches the shop it was sold in (oms_fulfillment and oms_channels together): the
delivery of a Shopify order, packed in two boxes and validated, gets Sendcloud's label of two parcels, and Shopify's
fulfillment every parcel's number with the carrier's page. Both Sendcloud and Shopify are local stand-ins."""

from odoo import Command
from odoo.addons.oms_channels.stand_ins.shopify import LocalShopify
from odoo.addons.oms_channels.tests.platform_shops import fill_shopify
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud
from odoo.addons.oms_fulfillment.tests.common import CarrierCase
from odoo.tests import tagged

ORDER, KETTLE_LINE = "5810000001001", "16100000010011"  # the Shopify fixture's order #1001 and its 2 kettles
TOKEN = "shpat_parcels_token"


@tagged("post_install", "-at_install")
class TestMultiParcelTrackingPush(CarrierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lucia.phone = "+34 600 000 000"
        cls.box = cls.env.ref("oms_fulfillment.package_type_box_s")
        cls.sendcloud = cls.env["delivery.carrier"].create(
            {
                "name": "Sendcloud",
                "delivery_type": "oms_sendcloud",
                "product_id": cls._shipping_product("Sendcloud").id,
                "oms_timeout": 2.0,
                "oms_default_package_type_id": cls.box.id,
                "country_ids": [Command.set(cls.env.ref("base.es").ids)],
            }
        )
        cls.shop = cls.env["oms.channel"].create(
            {
                "name": "Parcels Shopify",
                "code": "PSHOP",
                "kind": "web_shop",
                "platform": "shopify",
                "connector": "webhook",
                "company_id": cls.company.id,
                "pricelist_id": cls.env["product.pricelist"]
                .create(
                    {"name": "Parcels EUR", "currency_id": cls.company.currency_id.id, "company_id": cls.company.id}
                )
                .id,
                "warehouse_id": cls.madrid.id,
                "shop_url": "https://127.0.0.1",
                "access_token": TOKEN,
                "product_binding_ids": [Command.create({"product_id": cls.kettle.id, "external_id": "45100000000001"})],
            }
        )

    def setUp(self):
        super().setUp()
        sendcloud = self.enterContext(LocalSendcloud())
        self.sendcloud.write(
            {
                "oms_api_key": sendcloud.public_key,
                "oms_api_secret": sendcloud.secret_key,
                "oms_service_url": sendcloud.url,
            }
        )
        self.shopify = self.enterContext(LocalShopify(access_token=TOKEN))
        fill_shopify(self.shopify)
        self.shop.shop_url = self.shopify.url

    def test_every_parcels_number_of_a_carrier_label_reaches_shopify(self):
        picking = self.delivery(quantity=2, carrier=self.sendcloud, oms_channel_id=self.shop.id, oms_channel_ref=ORDER)
        picking.sale_id.order_line.filtered(
            lambda line: line.product_id == self.kettle
        ).oms_channel_line_ref = KETTLE_LINE
        line = picking.move_line_ids
        line.write({"quantity": 1, "result_package_id": self._box().id})
        line.copy({"quantity": 1, "result_package_id": self._box().id, "move_id": line.move_id.id})
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True, picking.oms_carrier_error)
        numbers = picking.carrier_tracking_ref.split(",")
        self.assertEqual(len(set(numbers)), 2, "one number per parcel")
        self.assertTrue(picking.oms_tracking_pushed, picking.message_ids.mapped("body"))
        tracking = self.shopify.fulfillments[-1]["trackingInfo"]
        self.assertEqual(tracking["company"], "Sendcloud")
        self.assertEqual(tracking["numbers"], numbers)
        self.assertEqual(len(tracking["urls"]), 2)
        for number, url in zip(numbers, tracking["urls"], strict=True):
            self.assertIn(f"code={number}", url, "each parcel's own page, as Sendcloud gave it")
        self.assertEqual(picking.open_website_url()["name"], "Display tracking links", "one page per parcel in Odoo")
        self.assertEqual(picking.oms_pack_state()["shipping"]["tracking_url"], tracking["urls"][0])
        self.assertNotIn("number", tracking)

    def _box(self):
        return self.env["stock.quant.package"].create({"package_type_id": self.box.id, "shipping_weight": 2.2})
