"""Every platform's fixture orders, mapped by its mapper and imported through a channel: the sale order's total is
the platform's grand total to the cent, with its taxes, discounts, shipping, fees and order discounts on the right
lines; and what happens when a tax has no Odoo tax, the grand total is wrong, or a refund arrives later."""

import copy
import json

from odoo.tests import tagged

from ..services.platforms import magento, prestashop, shopify, woocommerce
from . import test_services_platform_magento as magento_fixtures
from . import test_services_platform_prestashop as prestashop_fixtures
from . import test_services_platform_shopify as shopify_fixtures
from . import test_services_platform_woocommerce as woocommerce_fixtures
from .common import ChannelCase


def distinct(orders):
    """The mapped orders by external id, the first of each (a webhook body and a pull of one order map alike)."""
    first = {}
    for order in orders:
        first.setdefault(order["external_id"], order)
    return list(first.values())


def one(orders, external_id):
    """A deep copy (tests change it) of the mapped order of this external id."""
    return copy.deepcopy(next(order for order in orders if order["external_id"] == external_id))


def shopify_orders(shape):
    if shape == "graphql":
        return [shopify.map_order(node) for node in shopify_fixtures.graphql_nodes().values()]
    return [shopify.map_order(shopify_fixtures.webhook(order_id)) for order_id in shopify_fixtures.WEBHOOKS]


def woocommerce_orders():
    refunds = [woocommerce_fixtures.order_5098_refund()]
    return distinct(
        [woocommerce.map_order(payload, refunds=refunds) for payload in woocommerce_fixtures.all_fixture_orders()]
    )


def magento_orders():
    return [magento.map_order(json.loads(path.read_text(encoding="utf-8"))) for path in magento_fixtures.ORDER_FILES]


def prestashop_orders():
    payloads = [prestashop_fixtures.payload_of(order_id) for order_id in prestashop_fixtures.ORDER_IDS]
    return [prestashop.map_order(payload) for payload in payloads]


@tagged("post_install", "-at_install")
class TestImportPlatformValues(ChannelCase):
    """Spanish, Portuguese and British taxes of the company, each on both price bases; the channel's Taxes table
    maps two platform titles to the tax-excluded ones (orders with tax-included prices take their twins)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.taxes = {}
        for rate, name in ((21, "IVA 21%"), (23, "IVA 23%"), (20, "VAT 20%")):
            for basis in ("tax_excluded", "tax_included"):
                cls.taxes[rate, basis] = cls.env["account.tax"].create(
                    {
                        "name": f"{name} ({basis})",
                        "amount": rate,
                        "amount_type": "percent",
                        "type_tax_use": "sale",
                        "price_include_override": basis,
                        "company_id": cls.company.id,
                        "sequence": 1,  # before the company's own taxes of the same rate, if any
                    }
                )
        cls.free_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Platform shipping",
                "delivery_type": "fixed",
                "fixed_price": 0.0,
                "product_id": cls.env["product.product"].create({"name": "Platform shipping", "type": "service"}).id,
            }
        )

    def platform_channel(self, code):
        """A channel of the OMS's own schema receiving the mapped orders, unmapped shipping methods to a carrier."""
        return self.env["oms.channel"].create(
            {
                "name": f"Shop {code}",
                "code": code,
                "company_id": self.company.id,
                "pricelist_id": self.pricelist["EUR"].id,
                "warehouse_id": self.warehouse.id,
                "default_carrier_id": self.free_carrier.id,
                "workflow_id": self.workflow.id,
                "tax_map_ids": [
                    (0, 0, {"name": "IVA 21%", "tax_id": self.taxes[21, "tax_excluded"].id}),
                    (0, 0, {"name": "GB VAT", "rate": 20, "tax_id": self.taxes[20, "tax_excluded"].id}),
                ],
            }
        )

    def ensure_products(self, orders):
        """A storable product for every SKU the orders sell that no product has yet."""
        skus = {line["sku"] for order in orders for line in order["lines"]}
        known = set(self.env["product.product"].search([("default_code", "in", list(skus))]).mapped("default_code"))
        self.env["product.product"].create(
            [{"name": f"Product {sku}", "default_code": sku, "is_storable": True} for sku in sorted(skus - known)]
        )

    def import_orders(self, code, orders):
        self.ensure_products(orders)
        channel = self.platform_channel(code)
        channel._receive_orders(orders)
        return channel

    # --- every fixture of every platform ------------------------------------------------------------------------

    def assert_imported_as_the_platform_says(self, channel, orders):
        self.assertGreaterEqual(len(orders), 4)
        for mapped in orders:
            with self.subTest(order=mapped["external_id"]):
                record = self.staging(mapped["external_id"], channel)
                if mapped["status"] == "cancelled":
                    self.assertEqual(record.state, "cancelled")
                    continue
                self.assertEqual(record.state, "imported", record.error_message)
                order = record.sale_order_id
                self.assertEqual(order.state, "sale", "the total matched: the order was confirmed")
                self.assertFalse(order.currency_id.compare_amounts(order.amount_total, mapped["grand_total"]))
                self.assertEqual(order.oms_channel_grand_total, mapped["grand_total"])
                self.assert_lines(order, mapped)
                self.assert_kept_values(order, mapped)

    def assert_lines(self, order, mapped):
        include = mapped["prices_include_tax"]
        lines = order.order_line.sorted(lambda line: (line.sequence, line.id))
        product_lines = lines.filtered(lambda line: line.oms_channel_line_ref)
        self.assertEqual(len(product_lines), len(mapped["lines"]))
        for line, platform_line in zip(product_lines, mapped["lines"], strict=True):
            self.assertEqual(line.oms_channel_line_ref, platform_line["external_line_id"])
            net = platform_line["quantity"] * platform_line["unit_price"] - platform_line["discount_amount"]
            amount = line.price_total if include else line.price_subtotal
            self.assertAlmostEqual(amount, net, places=2, msg="the line's discount to the cent")
            self.assert_taxes(line, platform_line["taxes"], include)
        delivery = lines.filtered("is_delivery")
        if mapped.get("shipping"):
            shipping = mapped["shipping"]
            self.assertEqual(order.carrier_id, self.free_carrier)
            amount = delivery.price_total if include else delivery.price_subtotal
            self.assertAlmostEqual(amount, shipping["price"] - shipping["discount_amount"], places=2)
            self.assert_taxes(delivery, shipping["taxes"], include)
        service_lines = lines - product_lines - delivery
        expected = [(fee["kind"], fee["amount"], fee["taxes"]) for fee in mapped["fees"]]
        expected += [("discount", -discount["amount"], discount["taxes"]) for discount in mapped["discounts"]]
        self.assertEqual(len(service_lines), len(expected))
        for line, (kind, amount, taxes) in zip(service_lines, expected, strict=True):
            self.assertEqual(line.product_id, self.env.ref(f"oms_channels.product_channel_{kind}"))
            self.assertAlmostEqual(line.price_unit, amount, places=2)
            self.assert_taxes(line, taxes, include)

    def assert_taxes(self, line, platform_taxes, include):
        self.assertEqual(sorted(line.tax_id.mapped("amount")), sorted(tax["rate"] for tax in platform_taxes))
        self.assertEqual(set(line.tax_id.mapped("price_include")), {include} if platform_taxes else set())

    def assert_kept_values(self, order, mapped):
        self.assertEqual(order.oms_coupon_codes or "", ", ".join(mapped.get("coupon_codes", [])))
        self.assertEqual(order.oms_platform_status or None, mapped.get("platform_status"))
        self.assertEqual(order.oms_platform_reference or None, mapped.get("reference"))
        self.assertEqual(order.oms_prices_include_tax, mapped["prices_include_tax"])
        if mapped.get("shop_currency"):
            self.assertEqual(order.oms_shop_currency_id.name, mapped["shop_currency"])
            self.assertEqual(order.oms_shop_grand_total, mapped["shop_grand_total"])
        self.assertEqual(
            sorted(order.oms_channel_refund_ids.mapped("external_id")),
            sorted(refund["external_id"] for refund in mapped.get("refunds", [])),
            "refunds made before the import are announced too",
        )

    def test_every_shopify_order_pulled_totals_the_platform_grand_total(self):
        orders = shopify_orders("graphql")
        self.assert_imported_as_the_platform_says(self.import_orders("SHOPIFY", orders), orders)

    def test_every_shopify_webhook_order_totals_the_platform_grand_total(self):
        orders = shopify_orders("webhook")
        self.assert_imported_as_the_platform_says(self.import_orders("SHOPIFY-WH", orders), orders)

    def test_every_woocommerce_order_totals_the_platform_grand_total(self):
        orders = woocommerce_orders()
        self.assert_imported_as_the_platform_says(self.import_orders("WOO", orders), orders)

    def test_every_magento_order_totals_the_platform_grand_total(self):
        orders = magento_orders()
        self.assert_imported_as_the_platform_says(self.import_orders("MAGENTO", orders), orders)

    def test_every_prestashop_order_totals_the_platform_grand_total(self):
        orders = prestashop_orders()
        self.assert_imported_as_the_platform_says(self.import_orders("PRESTA", orders), orders)

    def test_the_channel_and_the_sale_order_show_the_platform_values(self):
        channel_form = self.env["oms.channel"].get_view(view_type="form")["arch"]
        for field_name in ("tax_map_ids", "fee_product_id", "gift_wrap_product_id", "discount_product_id"):
            self.assertIn(f'name="{field_name}"', channel_form)
        order_form = self.env["sale.order"].get_view(view_type="form")["arch"]
        for field_name in ("oms_platform_reference", "oms_coupon_codes", "oms_gift_message", "oms_shop_grand_total"):
            self.assertIn(f'name="{field_name}"', order_form)
        channel = self.platform_channel("DEFAULTS")
        self.assertEqual(channel.fee_product_id, self.env.ref("oms_channels.product_channel_fee"))
        self.assertEqual(channel.discount_product_id, self.env.ref("oms_channels.product_channel_discount"))

    def test_gift_message_reaches_the_sale_order(self):
        orders = magento_orders()
        channel = self.import_orders("MAGENTO-GIFT", orders)
        with_message = [order for order in orders if order.get("gift_message")]
        self.assertTrue(with_message, "a Magento fixture has a gift message")
        order = self.staging(with_message[0]["external_id"], channel).sale_order_id
        self.assertEqual(order.oms_gift_message, with_message[0]["gift_message"])

    # --- what a person has to fix -------------------------------------------------------------------------------

    def test_platform_tax_without_odoo_tax_goes_to_import_errors_naming_it(self):
        mapped = one(woocommerce_orders(), "5101")  # tax-included prices
        mapped["lines"][1]["taxes"] = [{"name": "IVA superreducido 4%", "rate": 4}]
        channel = self.import_orders("WOO-TAX", [mapped])
        record = self.staging(mapped["external_id"], channel)
        self.assertEqual(record.state, "error")
        self.assertEqual(record.error_category, "unknown_tax")
        for words in ("lines[1]", "IVA superreducido 4%", "(4%)", "Shop WOO-TAX", "Taxes"):
            self.assertIn(words, record.error_message)
        self.assertFalse(self.sale_orders(channel))
        # Once the tax exists, the retry imports the order to the cent.
        self.env["account.tax"].create(
            {"name": "IVA 4%", "amount": 4, "type_tax_use": "sale", "price_include_override": "tax_included"}
        )
        record.action_retry()
        self.assertEqual(record.state, "imported", record.error_message)

    def test_mapped_tax_on_the_other_basis_without_twin_names_the_odoo_tax(self):
        reduced = self.env["account.tax"].create(
            {"name": "IVA 10% (excl.)", "amount": 10, "type_tax_use": "sale", "price_include_override": "tax_excluded"}
        )
        mapped = one(woocommerce_orders(), "5101")
        mapped["lines"][0]["taxes"] = [{"name": "IVA 10%", "rate": 10}]
        self.ensure_products([mapped])
        channel = self.platform_channel("WOO-TWIN")
        channel.tax_map_ids = [(0, 0, {"name": "IVA 10%", "tax_id": reduced.id})]
        channel._receive_orders([mapped])
        record = self.staging(mapped["external_id"], channel)
        self.assertEqual(record.error_category, "unknown_tax")
        self.assertIn("IVA 10% (excl.)", record.error_message)
        self.assertIn("included in price", record.error_message)

    def test_wrong_grand_total_goes_to_import_errors_with_both_totals_and_is_not_confirmed(self):
        good, wrong = copy.deepcopy(magento_orders()[:2])
        wrong["grand_total"] = round(wrong["grand_total"] + 0.05, 2)
        channel = self.import_orders("MAGENTO-TOTAL", [good, wrong])
        record = self.staging(wrong["external_id"], channel)
        self.assertEqual(record.state, "error")
        self.assertEqual(record.error_category, "total_mismatch")
        self.assertFalse(record.sale_order_id)
        message = record.error_message.replace("\xa0", " ")
        for amount in (f"{wrong['grand_total'] - 0.05:.2f}", f"{wrong['grand_total']:.2f}", "-0.05"):
            self.assertIn(amount, message)
        self.assertEqual(self.sale_orders(channel).mapped("oms_channel_ref"), [good["external_id"]])
        self.assertEqual(self.staging(good["external_id"], channel).sale_order_id.state, "sale")

    def test_discount_that_is_no_whole_percentage_is_kept_to_the_cent_in_the_unit_price(self):
        mapped = one(woocommerce_orders(), "5098")  # tax-excluded prices
        line = mapped["lines"][0]
        line.update(quantity=3, unit_price=45.0, discount_amount=6.77)
        mapped.pop("grand_total")
        channel = self.import_orders("WOO-DISC", [mapped])
        order = self.staging(mapped["external_id"], channel).sale_order_id
        ref = line["external_line_id"]
        kettle = order.order_line.filtered(lambda order_line: order_line.oms_channel_line_ref == ref)
        self.assertAlmostEqual(kettle.price_subtotal, 128.23, places=2)
        self.assertIn("6.77", kettle.name, "the line says the platform's discount")

    # --- refunds --------------------------------------------------------------------------------------------------

    def test_refund_arriving_after_import_gives_one_note_and_one_activity_even_when_replayed(self):
        mapped = one(prestashop_orders(), "103")  # refunded later
        refunds = mapped.pop("refunds")
        channel = self.import_orders("PRESTA-REFUND", [mapped])
        order = self.staging(mapped["external_id"], channel).sale_order_id
        self.assertFalse(order.oms_channel_refund_ids)
        activities = order.activity_ids
        refunded = dict(mapped, refunds=refunds, updated_at="2026-12-01T14:06:00Z")
        for version in (refunded, refunded, dict(refunded, platform_status="Reembolsado")):
            channel._receive_orders([version])
        self.assertEqual(order.oms_channel_refund_ids.mapped("external_id"), [refunds[0]["external_id"]])
        self.assertAlmostEqual(order.oms_channel_refund_ids.amount, refunds[0]["amount"])
        notes = order.message_ids.filtered(lambda message: "make the credit note" in (message.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("6.60", notes.body)
        refunded_line = order.order_line.filtered(lambda line: line.oms_channel_line_ref == "1006")
        self.assertIn(refunded_line.product_id.display_name, notes.body, "the refunded line is named by its product")
        new_activities = order.activity_ids - activities
        self.assertEqual(len(new_activities), 1)
        self.assertEqual(new_activities.user_id, channel.user_id)

    def test_credit_note_made_for_a_platform_refund_is_linked_to_it_once(self):
        mapped = one(prestashop_orders(), "103")  # refunded on PrestaShop before the import: 1 x 6.60 GBP
        channel = self.import_orders("PRESTA-CREDIT", [mapped])
        order = self.staging(mapped["external_id"], channel).sale_order_id
        refund = order.oms_channel_refund_ids
        refunded_line = order.order_line.filtered(lambda line: line.oms_channel_line_ref == "1006")

        def credit_note(amount):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": order.partner_id.id,
                    "currency_id": order.currency_id.id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": refunded_line.product_id.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [(6, 0, refunded_line.tax_id.ids)],
                                "sale_line_ids": [(6, 0, refunded_line.ids)],
                            },
                        )
                    ],
                }
            )
            move.action_post()
            return move

        answering = credit_note(6.60)
        self.assertEqual(answering.amount_total, 6.60)
        self.assertEqual(answering.oms_channel_refund_id, refund, "the push-back must not send it")
        self.assertEqual(refund.move_ids, answering)
        self.assertFalse(credit_note(6.60).oms_channel_refund_id, "a platform refund is answered once")
        self.assertFalse(credit_note(3.30).oms_channel_refund_id, "another amount is a refund made in Odoo")
        self.assertEqual(
            (answering | credit_note(1.00))._oms_match_platform_refunds(), answering, "what the push-back skips"
        )
