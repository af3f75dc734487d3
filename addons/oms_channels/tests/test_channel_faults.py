import json
from unittest.mock import patch

from odoo.addons.oms_channels.stand_ins.edi_soap import LocalEdiSoap
from odoo.addons.oms_channels.stand_ins.marketplace import LocalMarketplace
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..services.payload import MAX_PAYLOAD_BYTES
from ..services.rest_connector import RestConnector
from .common import ChannelCase


@tagged("post_install", "-at_install")
class TestChannelFaults(ChannelCase):
    def receive(self, *payloads):
        records = self.env["oms.channel.order"]._receive(self.channel, list(payloads), source="webhook")
        records.filtered(lambda record: record.state == "new")._import()
        return records

    def assertQuarantined(self, record, category, *words):
        self.assertEqual(record.state, "error")
        self.assertEqual(record.error_category, category)
        for word in words:
            self.assertIn(word, record.error_message)
        self.assertTrue(record.payload, "the payload is kept")
        self.assertFalse(record.sale_order_id)

    def test_each_bad_input_is_quarantined_with_its_payload_and_reason(self):
        bad_line = self.order("BAD-QTY", lines=[{"sku": "TST-KET", "quantity": -2, "unit_price": 10}])
        no_customer = self.order("BAD-CUSTOMER")
        del no_customer["customer"]
        records = self.receive(
            b'{"external_id": "BROKEN", "lines": [',
            b'{"external_id": "HUGE", "note": "' + b"x" * MAX_PAYLOAD_BYTES + b'"}',
            no_customer,
            bad_line,
            self.order("BAD-SKU", lines=[{"sku": "NOPE-999", "quantity": 1, "unit_price": 5}]),
            self.order("BAD-CURRENCY", currency="EURO"),
            self.order("NO-PRICELIST", currency="JPY"),
            self.order("GOOD"),
        )
        self.assertEqual(len(records), 8)
        malformed, huge = records[0], records[1]
        self.assertQuarantined(malformed, "malformed", "JSON")
        self.assertIn('"lines": [', malformed.payload)
        self.assertQuarantined(huge, "too_large")
        self.assertQuarantined(self.staging("BAD-CUSTOMER"), "missing_field", "customer")
        self.assertQuarantined(self.staging("BAD-QTY"), "invalid_value", "quantity", "-2")
        self.assertQuarantined(self.staging("BAD-SKU"), "unknown_product", "NOPE-999")
        self.assertQuarantined(self.staging("BAD-CURRENCY"), "invalid_value", "currency")
        self.assertQuarantined(self.staging("NO-PRICELIST"), "unknown_currency", "JPY")
        # The good order in the same batch went through.
        self.assertEqual(self.staging("GOOD").state, "imported")
        self.assertEqual(len(self.sale_orders()), 1)

    def test_marketplace_order_that_is_not_an_object_is_quarantined(self):
        self.market.add_orders([["not", "an", "order"], self.order("AFTER-LIST", updated_at="2026-11-20T11:00:00Z")])
        self.assertTrue(self.channel._sync_orders())
        quarantined = self.env["oms.channel.order"].search(
            [("channel_id", "=", self.channel.id), ("state", "=", "error")]
        )
        self.assertEqual(quarantined.error_category, "malformed")
        self.assertIn('"not"', quarantined.payload)
        self.assertEqual(self.staging("AFTER-LIST").state, "imported")

    def test_malformed_payload_received_twice_is_quarantined_once(self):
        self.receive(b"{not json")
        self.receive(b"{not json")
        records = self.env["oms.channel.order"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(len(records), 1)
        self.assertEqual(records.receive_count, 2)

    def test_retry_imports_an_order_once_its_product_is_bound(self):
        self.receive(self.order("RETRY-1", lines=[{"sku": "MKT-ONLY-SKU", "quantity": 1, "unit_price": 9.9}]))
        record = self.staging("RETRY-1")
        self.assertQuarantined(record, "unknown_product", "MKT-ONLY-SKU")
        self.env["oms.channel.product"].create(
            {"channel_id": self.channel.id, "product_id": self.lamp.id, "external_sku": "MKT-ONLY-SKU"}
        )
        record.action_retry()
        self.assertEqual(record.state, "imported")
        self.assertEqual(
            record.sale_order_id.order_line.filtered(lambda line: not line.is_delivery).product_id, self.lamp
        )
        self.assertFalse(record.error_message)

    def test_marketplace_failure_is_reported_on_the_channel_and_orders_already_staged_stay(self):
        self.market.add_orders([self.order("OK-1", updated_at="2026-11-20T09:00:00Z")])
        self.channel._sync_orders()
        self.assertEqual(len(self.sale_orders()), 1)
        self.market.add_orders([self.order("OK-2", updated_at="2026-11-20T09:05:00Z")])
        self.market.fail_next(3, status=500)  # every attempt of the connector fails
        self.assertFalse(self.channel._sync_orders())
        self.assertFalse(self.channel.last_sync_ok)
        self.assertIn("500", self.channel.last_sync_message)
        self.assertEqual(len(self.sale_orders()), 1, "nothing lost, nothing doubled")
        self.assertEqual(self.channel.sync_cursor.strftime("%H:%M"), "09:00", "the cursor did not move")
        # When the marketplace is back, the next run takes the missed order.
        self.assertTrue(self.channel._sync_orders())
        self.assertEqual(sorted(self.sale_orders().mapped("oms_channel_ref")), ["OK-1", "OK-2"])

    def test_wrong_api_key_is_a_configuration_error_said_on_the_channel(self):
        self.channel.api_key = "wrong-key"
        self.assertFalse(self.channel._sync_orders())
        self.assertIn("401", self.channel.last_sync_message)
        self.assertNotIn("wrong-key", self.channel.last_sync_message)
        notification = self.channel.action_test_connection()
        self.assertEqual(notification["params"]["type"], "danger")
        self.channel.api_key = "test-key"
        self.assertEqual(self.channel.action_test_connection()["params"]["type"], "success")

    def test_soap_edi_partner_orders_are_imported_and_its_faults_reported(self):
        with LocalEdiSoap(api_key="edi-key") as edi:
            edi.orders.extend(
                [
                    self.order("EDI-1", updated_at="2026-11-21T08:00:00Z"),
                    self.order("EDI-2", currency="GBP", updated_at="2026-11-21T08:01:00Z"),
                ]
            )
            channel = self.channel.copy(
                {
                    "name": "EDI partner",
                    "code": "EDI",
                    "kind": "edi",
                    "connector": "soap",
                    "endpoint_url": edi.wsdl_url,
                    "api_key": "edi-key",
                    "default_carrier_id": self.carrier.id,
                }
            )
            self.assertTrue(channel._sync_orders(), channel.last_sync_message)
            orders = self.sale_orders(channel)
            self.assertEqual(sorted(orders.mapped("oms_channel_ref")), ["EDI-1", "EDI-2"])
            self.assertEqual(orders.filtered(lambda order: order.oms_channel_ref == "EDI-2").currency_id.name, "GBP")
            edi.fault_next(1, "Service temporarily unavailable")
            self.assertFalse(channel._sync_orders())
            self.assertIn("Service temporarily unavailable", channel.last_sync_message)

    def test_only_oms_managers_test_a_connection(self):
        user = new_test_user(self.env, login="channel_tester", groups="base.group_user,oms_intelligent.group_oms_user")
        manager = new_test_user(
            self.env, login="channel_test_manager", groups="base.group_user,oms_intelligent.group_oms_manager"
        )
        with self.assertRaises(AccessError):
            self.channel.with_user(user).action_test_connection()
        notification = self.channel.with_user(manager).action_test_connection()
        self.assertEqual(notification["params"]["type"], "success")

    def test_what_users_read_of_a_failing_channel_holds_neither_its_url_nor_its_key(self):
        with LocalMarketplace() as stopped:
            gone = f"{stopped.url}/shop-t0k3n-123"
        self.channel.write({"endpoint_url": gone, "api_key": "sk-live-key-456"})
        secrets = ("t0k3n-123", "sk-live-key-456", "127.0.0.1")
        with patch("time.sleep"):  # the connector's back-off between attempts
            notification = self.channel.action_test_connection()
            self.assertFalse(self.channel._sync_orders())
        self.assertIn("could not be reached", notification["params"]["message"])
        self.assertIn("could not be reached", self.channel.last_sync_message)
        # Nor does an error nobody foresaw, whatever it says.
        with patch.object(RestConnector, "fetch_orders", side_effect=RuntimeError(f"boom at {gone} sk-live-key-456")):
            self.assertFalse(self.channel._sync_orders())
        self.assertIn("internal error: RuntimeError: boom at ***", self.channel.last_sync_message)
        self.channel.push_stock = True
        with patch("time.sleep"):
            self.channel._cron_push_stock()
        for message in (
            notification["params"]["message"],
            self.channel.last_sync_message,
            self.channel.last_stock_push_message,
        ):
            for secret in secrets:
                self.assertNotIn(secret, message)

    def test_credentials_are_for_oms_managers_only(self):
        user = new_test_user(self.env, login="channel_user", groups="base.group_user,oms_intelligent.group_oms_user")
        manager = new_test_user(
            self.env, login="channel_manager", groups="base.group_user,oms_intelligent.group_oms_manager"
        )
        channel_as_user = self.channel.with_user(user)
        self.assertEqual(channel_as_user.name, "Local Market")
        for field in ("api_key", "webhook_secret", "endpoint_url"):
            with self.assertRaises(AccessError):
                channel_as_user.read([field])
        with self.assertRaises(AccessError):
            channel_as_user.write({"api_key": "stolen"})
        self.assertEqual(self.channel.with_user(manager).read(["api_key"])[0]["api_key"], "test-key")
        tracked = self.channel.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertNotIn("api_key", tracked)

    def test_channels_of_another_company_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "Other OMS Co"})
        user = new_test_user(
            self.env,
            login="channel_other_co",
            groups="base.group_user,oms_intelligent.group_oms_user",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self.receive(self.order("CO-1"))
        self.assertFalse(self.env["oms.channel"].with_user(user).search([("id", "=", self.channel.id)]))
        self.assertFalse(self.env["oms.channel.order"].with_user(user).search([("external_ref", "=", "CO-1")]))

    def test_errors_can_be_grouped_by_reason(self):
        self.receive(
            self.order("G-1", lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": 1}]),
            self.order("G-2", lines=[{"sku": "NOPE-2", "quantity": 1, "unit_price": 1}]),
            b"[]",
        )
        groups = self.env["oms.channel.order"].read_group(
            [("channel_id", "=", self.channel.id), ("state", "=", "error")], ["error_category"], ["error_category"]
        )
        counts = {group["error_category"]: group["error_category_count"] for group in groups}
        self.assertEqual(counts, {"unknown_product": 2, "malformed": 1})

    def test_payload_is_kept_exactly_as_received(self):
        raw = json.dumps(self.order("RAW-1"), indent=4).encode()
        self.receive(raw)
        self.assertEqual(self.staging("RAW-1").payload, raw.decode())
