"""What the carrier tests share: OMS Iberia's Madrid warehouse (Europe/Madrid, 17:00 cut-off), a 2 kg kettle
stocked there, a Spanish- and an English-speaking customer, Odoo's two demo carriers of the company and two carriers
reached through their web services, served by local stand-ins started for each test:

=================  ==================  =====================  ==========================
carrier            type                price for 2 kg         transit (working days)
=================  ==================  =====================  ==========================
Parcel REST        oms_rest            2.00 + 0.50/kg = 3.00  3
Iberia Express     base_on_rule        4.90 (up to 2 kg)      2
Parcel SOAP        oms_soap            9.00 + 0.50/kg = 10.00 1
Europa Standard    fixed               12.90                  4
=================  ==================  =====================  ==========================
"""

from datetime import datetime
from urllib.parse import urlparse

from odoo import Command
from odoo.addons.oms_fulfillment.stand_ins.rest_carrier import LocalRestCarrier
from odoo.addons.oms_fulfillment.stand_ins.soap_carrier import LocalSoapCarrier
from odoo.tests import TransactionCase
from odoo.tests.common import _super_send

# Monday 30 November 2026, 09:00 in Madrid (08:00 UTC): parcels handed over now ship today.
MONDAY_MORNING = datetime(2026, 11, 30, 8, 0)


class CarrierCase(TransactionCase):
    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        # Odoo's tests raise every timeout under 10 s to 10 s; the stand-ins on 127.0.0.1 keep the carrier's own,
        # so that a slow carrier times out in a second.
        if urlparse(request.url).hostname == "127.0.0.1":
            return _super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company.oms_carrier_policy = "cheapest"
        cls._set_up_madrid()
        cls._set_up_customers()
        cls._set_up_web_carriers()

    @classmethod
    def _set_up_madrid(cls):
        """The Madrid warehouse (17:00 cut-off), Odoo's demo carriers' transit times, kettles in stock."""
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.madrid.partner_id.tz = "Europe/Madrid"
        cls.madrid.write({"oms_cutoff_hour": 17.0, "oms_carrier_policy": False})
        cls.express = cls.env.ref("oms_fulfillment.carrier_iberia_express")
        cls.standard = cls.env.ref("oms_fulfillment.carrier_europa_standard")
        cls.express.oms_transit_days = 2
        cls.standard.oms_transit_days = 4
        cls.kettle = cls.env["product.product"].create(
            {
                "name": "Carrier Test Kettle",
                "default_code": "CT-KETTLE",
                "is_storable": True,
                "weight": 2.0,
                "list_price": 30.0,
                "taxes_id": [Command.clear()],
                "company_id": cls.company.id,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.kettle, cls.madrid.lot_stock_id, 1000)

    @classmethod
    def _set_up_customers(cls):
        """Lucía in Madrid (Spanish, with the addon's Spanish terms loaded) and Oliver in London."""
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["oms_fulfillment"], ["es_ES"])
        cls.lucia = cls.env["res.partner"].create(
            {
                "name": "Lucía Fernández",
                "email": "lucia@example.es",
                "lang": "es_ES",
                "street": "Calle de Serrano 45",
                "zip": "28001",
                "city": "Madrid",
                "country_id": cls.env.ref("base.es").id,
            }
        )
        cls.oliver = cls.env["res.partner"].create(
            {
                "name": "Oliver Smith",
                "email": "oliver@example.co.uk",
                "lang": "en_US",
                "street": "45 Oxford Street",
                "zip": "W1D 2DZ",
                "city": "London",
                "country_id": cls.env.ref("base.uk").id,
            }
        )

    @classmethod
    def _set_up_web_carriers(cls):
        """Parcel REST and Parcel SOAP; their service URLs point at the stand-ins each test starts (setUp)."""
        cls.rest, cls.soap = cls.env["delivery.carrier"].create(
            [
                {
                    "name": "Parcel REST",
                    "delivery_type": "oms_rest",
                    "product_id": cls._shipping_product("Parcel REST").id,
                    "oms_account": "ACC-REST",
                    "oms_api_key": "rest-key",
                    "oms_service_code": "STANDARD",
                    "oms_timeout": 1.0,
                    "oms_transit_days": 5,
                    "tracking_url": "https://track.example.com/rest/<shipmenttrackingnumber>",
                    "country_ids": [Command.set(cls.env.ref("base.es").ids + cls.env.ref("base.uk").ids)],
                },
                {
                    "name": "Parcel SOAP",
                    "delivery_type": "oms_soap",
                    "product_id": cls._shipping_product("Parcel SOAP").id,
                    "oms_account": "ACC-SOAP",
                    "oms_api_key": "soap-key",
                    "oms_timeout": 1.0,
                    "tracking_url": "https://track.example.com/soap/<shipmenttrackingnumber>",
                    "country_ids": [Command.set(cls.env.ref("base.es").ids)],
                },
            ]
        )

    @classmethod
    def _shipping_product(cls, name):
        return cls.env["product.product"].create(
            {"name": name, "type": "service", "company_id": cls.company.id, "list_price": 0.0}
        )

    def setUp(self):
        super().setUp()
        self.rest_server = self.enterContext(
            LocalRestCarrier(api_key="rest-key", account="ACC-REST", base_price=2.0, price_per_kg=0.5, transit_days=3)
        )
        self.soap_server = self.enterContext(
            LocalSoapCarrier(api_key="soap-key", account="ACC-SOAP", base_price=9.0, price_per_kg=0.5, transit_days=1)
        )
        self.rest.oms_service_url = self.rest_server.url
        self.soap.oms_service_url = self.soap_server.wsdl_url

    # --- helpers -----------------------------------------------------------------------------------------------------

    def order(self, partner=None, quantity=1, **values):
        """A confirmed sale order of kettles shipped from Madrid."""
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.lucia).id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.kettle.id, "product_uom_qty": quantity})],
                **values,
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def delivery(self, partner=None, quantity=1, carrier=None, **values):
        """The ready delivery order of a new sale order (with ``carrier`` when given)."""
        picking = self.order(partner, quantity, **values).picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_id.warehouse_id, self.madrid)
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        if carrier:
            picking.carrier_id = carrier
        return picking

    def validate(self, picking):
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.move_ids.picked = True
        return picking.button_validate()

    def quotes_by_carrier(self, picking):
        return {quote.carrier_id: quote for quote in picking.oms_carrier_quote_ids}
