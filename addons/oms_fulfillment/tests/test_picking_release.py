from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

MADRID = (40.4168, -3.7038)


class ReleaseCase(TransactionCase):
    """Madrid's demo zones (shelving in aisles 1 and 2, bulky goods) with new products on their shelves, and
    orders of a Madrid customer, each shipping from Madrid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.out_type = cls.madrid.out_type_id
        cls.express = cls.env.ref("oms_fulfillment.carrier_iberia_express")
        cls.standard = cls.env.ref("oms_fulfillment.carrier_europa_standard")
        aisle_1 = cls.env.ref("oms_fulfillment.location_madrid_aisle_1")
        aisle_2 = cls.env.ref("oms_fulfillment.location_madrid_aisle_2")
        bulky = cls.env.ref("oms_fulfillment.location_madrid_bulky")
        # Shelves along the aisles: (location, rack) per product.
        cls.slots = {
            "Mug": (aisle_1, 1),
            "Plate": (aisle_1, 5),
            "Bowl": (aisle_1, 3),
            "Glass": (aisle_2, 5),
            "Jug": (aisle_2, 2),
            "Table": (bulky, 1),
        }
        cls.products = {}
        for name, (aisle, rack) in cls.slots.items():
            shelf = cls.env["stock.location"].create(
                {"name": f"{name} shelf", "location_id": aisle.id, "posx": aisle.posx, "posy": rack}
            )
            product = cls.env["product.product"].create({"name": f"Release {name}", "is_storable": True})
            cls.env["stock.quant"]._update_available_quantity(product, shelf, 100)
            cls.products[name] = product
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Cliente de Madrid",
                "city": "Madrid",
                "country_id": cls.env.ref("base.es").id,
                "partner_latitude": MADRID[0],
                "partner_longitude": MADRID[1],
            }
        )
        # The demo's own ready deliveries in Madrid are out of the way of these tests.
        cls.env["stock.picking"].search(
            [("picking_type_id", "=", cls.out_type.id), ("state", "=", "assigned")]
        ).oms_released = fields.Datetime.now()

    def delivery(self, *names, carrier=None, promised=None, priority=False):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "carrier_id": carrier.id if carrier else False,
                "commitment_date": promised,
                "order_line": [(0, 0, {"product_id": self.products[name].id, "product_uom_qty": 1}) for name in names],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_id, self.out_type, "shipped from Madrid")
        self.assertEqual(picking.state, "assigned")
        if priority:
            picking.priority = "1"
        return picking

    def configure(self, method, size=10, group_by="none"):
        self.out_type.write({"oms_picking_method": method, "oms_batch_size": size, "oms_group_by": group_by})

    def next_weekday(self, weekday):
        """The first date after tomorrow that falls on ``weekday`` (Monday is 0)."""
        day = fields.Date.today() + timedelta(days=2)
        return day + timedelta(days=(weekday - day.weekday()) % 7)

    def released_at(self, *moments):
        """Transfers scheduled at ``moments`` (UTC), released in waves by cut-off; their waves' descriptions."""
        self.configure("wave", size=10, group_by="cutoff")
        self.madrid.partner_id.tz = "Europe/Madrid"
        self.madrid.oms_cutoff_hour = 17.0
        pickings = [self.delivery("Mug") for _moment in moments]
        for picking, moment in zip(pickings, moments, strict=True):
            picking.scheduled_date = moment
        self.out_type.action_oms_release()
        return [picking.batch_id.description for picking in pickings]


@tagged("post_install", "-at_install")
class TestRelease(ReleaseCase):
    def test_batches_of_one_carrier_each_most_urgent_first(self):
        self.configure("batch", size=2, group_by="carrier")
        express = [self.delivery("Mug", carrier=self.express) for _ in range(3)]
        standard = [self.delivery("Plate", carrier=self.standard) for _ in range(2)]
        urgent = self.delivery("Bowl", carrier=self.standard, priority=True)
        self.out_type.action_oms_release()
        everything = self.env["stock.picking"].concat(*express, *standard, urgent)
        batches = everything.batch_id
        self.assertEqual(len(batches), 4, "3 express in batches of 2 (2 + 1), 3 standard (2 + 1)")
        for batch in batches:
            self.assertLessEqual(len(batch.picking_ids), 2)
            self.assertEqual(len(batch.picking_ids.carrier_id), 1, "one carrier per batch")
            self.assertEqual(batch.oms_picking_method, "batch")
            self.assertEqual(batch.state, "in_progress")
        self.assertTrue(all(picking.batch_id for picking in everything), "every ready transfer released")
        first = everything.filtered(lambda picking: picking.oms_release_rank == 1).batch_id
        self.assertIn(urgent, first.picking_ids, "the priority order is in the first batch")
        self.assertIn("Europa Standard", first.description)
        with self.assertRaises(UserError):
            self.out_type.action_oms_release()

    def test_single_order_ranks_priority_then_promised_date(self):
        self.configure("single")
        now = fields.Datetime.now()
        later = self.delivery("Mug", promised=now + timedelta(days=5))
        sooner = self.delivery("Plate", promised=now + timedelta(days=2))
        urgent = self.delivery("Bowl", promised=now + timedelta(days=9), priority=True)
        self.out_type.action_oms_release()
        ranks = {picking: picking.oms_release_rank for picking in (later, sooner, urgent)}
        self.assertEqual(ranks, {urgent: 1, sooner: 2, later: 3})
        self.assertFalse((later | sooner | urgent).batch_id, "single order picking makes no batch")
        self.assertTrue(all(picking.oms_released for picking in ranks))

    def test_waves_by_cutoff_ship_the_same_day(self):
        self.configure("wave", size=10, group_by="cutoff")
        self.madrid.partner_id.tz = "Europe/Madrid"
        self.madrid.oms_cutoff_hour = 17.0
        tuesday = self.next_weekday(1)
        # 9:00 UTC is 10:00 or 11:00 in Madrid, before the cut-off; 18:00 UTC is after it.
        morning = self.delivery("Mug", "Glass")
        morning.scheduled_date = datetime.combine(tuesday, time(9, 0))
        evening = self.delivery("Plate")
        evening.scheduled_date = datetime.combine(tuesday, time(18, 0))
        also_morning = self.delivery("Jug")
        also_morning.scheduled_date = morning.scheduled_date
        self.out_type.action_oms_release()
        self.assertEqual(morning.batch_id, also_morning.batch_id)
        self.assertNotEqual(morning.batch_id, evening.batch_id)
        self.assertTrue(morning.batch_id.is_wave)
        self.assertIn(tuesday.isoformat(), morning.batch_id.description)
        self.assertIn((tuesday + timedelta(days=1)).isoformat(), evening.batch_id.description)

    def test_after_fridays_cutoff_a_wave_ships_on_monday(self):
        friday = self.next_weekday(4)
        # 17:30 UTC is 18:30 in Madrid in winter and 19:30 in summer: after the cut-off either way.
        [shipping] = self.released_at(datetime.combine(friday, time(17, 30)))
        self.assertEqual(shipping, f"Ships on {friday + timedelta(days=3)}", "the next working day: Monday")

    def test_a_public_holiday_of_the_warehouse_calendar_moves_the_wave_to_the_next_working_day(self):
        tuesday = self.next_weekday(1)
        calendar = self.company.resource_calendar_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Fiesta local",
                "calendar_id": calendar.id,
                "date_from": datetime.combine(tuesday, time(0)) - timedelta(hours=2),
                "date_to": datetime.combine(tuesday, time(23, 59, 59)) - timedelta(hours=1),
            }
        )
        [shipping] = self.released_at(datetime.combine(tuesday, time(9, 0)))
        self.assertEqual(shipping, f"Ships on {tuesday + timedelta(days=1)}")

    def test_release_goes_by_the_warehouse_clock_not_the_users(self):
        self.env.user.tz = "America/New_York"
        self.out_type = self.out_type.with_context(tz="America/New_York")
        tuesday = self.next_weekday(1)
        # 20:00 UTC: 15:00 in New York, before the cut-off, but 21:00 in Madrid, after it.
        [shipping] = self.released_at(datetime.combine(tuesday, time(20, 0)))
        self.assertEqual(shipping, f"Ships on {tuesday + timedelta(days=1)}")

    def test_pick_list_walks_aisle_by_aisle_in_an_s_shape_then_bulky_goods(self):
        self.configure("batch", size=10)
        first = self.delivery("Table", "Glass", "Mug")
        second = self.delivery("Bowl", "Jug", "Plate")
        self.out_type.action_oms_release()
        batch = first.batch_id
        self.assertEqual(batch, second.batch_id)
        sections = batch._oms_pick_list()
        self.assertEqual([section["zone"] for section in sections], ["Shelving", "Bulky Goods"])
        walked = [line.product_id for section in sections for line in section["lines"]]
        # Up aisle 1 (racks 1, 3, 5), down aisle 2 (racks 5, 2), then the bulky zone.
        expected = [self.products[name] for name in ("Mug", "Bowl", "Plate", "Glass", "Jug", "Table")]
        self.assertEqual(walked, expected)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("oms_fulfillment.action_report_pick_list_batch", batch.ids)[0]
            .decode()
        )
        positions = [html.index(f"Release {name}") for name in ("Mug", "Bowl", "Plate", "Glass", "Jug", "Table")]
        self.assertEqual(positions, sorted(positions), "the printed pick list follows the walk")

    def test_zone_picking_needs_a_pick_step(self):
        with self.assertRaises(ValidationError):
            self.configure("zone")

    def test_an_oms_method_takes_batching_over_from_odoo(self):
        self.out_type.write({"oms_picking_method": "auto", "auto_batch": True})
        with self.assertRaisesRegex(UserError, "automatically"):
            self.out_type.action_oms_release()
        self.configure("batch")
        self.assertFalse(self.out_type.auto_batch)
        first, second = self.delivery("Mug"), self.delivery("Plate")
        self.assertFalse((first | second).batch_id, "not batched by customer at confirmation")


@tagged("post_install", "-at_install")
class TestZoneRelease(TransactionCase):
    """A two-step warehouse (pick, then ship): zone picking gives each zone a wave of its lines, and the pick step's
    transfers meet again at the output, where the delivery takes them."""

    def zoned_warehouse(self):
        """A warehouse picking by zone, a front and a back zone, an item stocked on a shelf of each:
        (env, pick type, zones, (front item, back item))."""
        company = self.env.ref("oms_intelligent.oms_company")
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        warehouse = env["stock.warehouse"].create(
            {"name": "Zonal", "code": "ZON", "company_id": company.id, "delivery_steps": "pick_ship"}
        )
        warehouse.pick_type_id.oms_picking_method = "zone"
        zones = env["oms.pick.zone"].create(
            [
                {"name": "Front", "code": "F", "sequence": 1, "warehouse_id": warehouse.id},
                {"name": "Back", "code": "B", "sequence": 2, "warehouse_id": warehouse.id},
            ]
        )
        shelves = env["stock.location"].create(
            [
                {"name": "Front shelf", "location_id": warehouse.lot_stock_id.id, "oms_zone_id": zones[0].id},
                {"name": "Back shelf", "location_id": warehouse.lot_stock_id.id, "oms_zone_id": zones[1].id},
            ]
        )
        items = env["product.product"].create(
            [{"name": "Front item", "is_storable": True}, {"name": "Back item", "is_storable": True}]
        )
        for item, shelf in zip(items, shelves, strict=True):
            env["stock.quant"]._update_available_quantity(item, shelf, 10)
        return env, warehouse.pick_type_id, zones, items

    def test_one_wave_per_zone_and_orders_split_between_them(self):
        env, pick_type, zones, (front, back) = self.zoned_warehouse()
        warehouse = pick_type.warehouse_id
        pickings = env["stock.picking"].create(
            [
                {
                    "picking_type_id": pick_type.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": pick_type.default_location_dest_id.id,
                    "move_ids": [
                        (0, 0, {"name": product.name, "product_id": product.id, "product_uom_qty": 2})
                        for product in products
                    ],
                }
                for products in ((front, back), (front,))
            ]
        )
        pickings.action_confirm()
        pickings.action_assign()
        pick_type.action_oms_release()
        waves = env["stock.picking.batch"].search([("picking_type_id", "=", pick_type.id)])
        self.assertEqual(waves.oms_zone_id, zones)
        for wave in waves:
            self.assertTrue(wave.is_wave)
            self.assertEqual(wave.move_line_ids.location_id.oms_zone_id, wave.oms_zone_id, "one zone per wave")
        front_wave = waves.filtered(lambda wave: wave.oms_zone_id == zones[0])
        self.assertEqual(front_wave.move_line_ids.product_id, front)
        self.assertEqual(sum(front_wave.move_line_ids.mapped("quantity")), 4, "both orders' front items")
        self.assertEqual(waves.filtered(lambda wave: wave.oms_zone_id == zones[1]).move_line_ids.product_id, back)
