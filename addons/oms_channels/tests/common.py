from odoo.addons.oms_channels.stand_ins.marketplace import LocalMarketplace
from odoo.addons.oms_channels.stand_ins.orders import make_order
from odoo.tests import TransactionCase


class ChannelCase(TransactionCase):
    """A company-agnostic set-up: three products with SKU and barcode, pricelists in EUR, USD and GBP, a carrier,
    and a REST channel pointing at a local marketplace server started for the class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.market = cls.enterClassContext(LocalMarketplace(api_key="test-key"))
        cls.company = cls.env.company
        cls._set_up_pricelists()
        cls._set_up_products()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls._set_up_channel()

    @classmethod
    def _set_up_pricelists(cls):
        """EUR, USD and GBP active, each with a pricelist of the company."""
        currencies = (
            cls.env["res.currency"].with_context(active_test=False).search([("name", "in", ("EUR", "USD", "GBP"))])
        )
        currencies.active = True
        cls.currency = {currency.name: currency for currency in currencies}
        cls.pricelist = {
            name: cls.env["product.pricelist"].create(
                {"name": f"Channel test {name}", "currency_id": currency.id, "company_id": cls.company.id}
            )
            for name, currency in cls.currency.items()
        }

    @classmethod
    def _set_up_products(cls):
        cls.kettle, cls.lamp, cls.tent = cls.env["product.product"].create(
            [
                {
                    "name": "Test Kettle",
                    "default_code": "TST-KET",
                    "barcode": "2000000000015",
                    "is_storable": True,
                    "list_price": 30.0,
                },
                {
                    "name": "Test Lamp",
                    "default_code": "TST-LMP",
                    "barcode": "2000000000022",
                    "is_storable": True,
                    "list_price": 45.0,
                },
                {
                    "name": "Test Tent",
                    "default_code": "TST-TNT",
                    "barcode": "2000000000039",
                    "is_storable": True,
                    "list_price": 199.0,
                },
            ]
        )

    @classmethod
    def _set_up_channel(cls):
        """The REST channel of the local marketplace, its shipping method mapped to a carrier, confirming on import."""
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test Courier",
                "delivery_type": "fixed",
                "fixed_price": 5.0,
                "product_id": cls.env["product.product"].create({"name": "Test shipping", "type": "service"}).id,
            }
        )
        # Imported orders are confirmed at once and invoiced by hand: what these tests look at is the intake.
        cls.workflow = cls.env["oms.order.workflow"].create(
            {"name": "Confirm on import", "company_id": cls.company.id, "auto_confirm": True}
        )
        cls.channel = cls.env["oms.channel"].create(
            {
                "name": "Local Market",
                "code": "LOCAL",
                "kind": "marketplace",
                "connector": "rest",
                "company_id": cls.company.id,
                "pricelist_id": cls.pricelist["EUR"].id,
                "warehouse_id": cls.warehouse.id,
                "endpoint_url": cls.market.url,
                "api_key": "test-key",
                "webhook_secret": "webhook-secret",
                "carrier_map_ids": [(0, 0, {"method": "express", "carrier_id": cls.carrier.id})],
                "workflow_id": cls.workflow.id,
            }
        )

    def setUp(self):
        super().setUp()
        # The server lives for the class; each test starts from an empty marketplace.
        self.market.orders.clear()
        self.market.stock_updates.clear()
        self.market.shipments.clear()
        self.market.requests.clear()

    def order(self, external_id, lines=None, **overrides):
        """A valid channel order of this test set-up's products."""
        return make_order(
            external_id,
            lines=lines or [{"sku": "TST-KET", "quantity": 2, "unit_price": 27.5}],
            **overrides,
        )

    def staging(self, external_id, channel=None):
        return self.env["oms.channel.order"].search(
            [("channel_id", "=", (channel or self.channel).id), ("external_ref", "=", external_id)]
        )

    def sale_orders(self, channel=None):
        return self.env["sale.order"].search([("oms_channel_id", "=", (channel or self.channel).id)])
