import base64
import json
from unittest.mock import patch

import psycopg2.errors

from odoo.addons.oms_channels.stand_ins.orders import make_order
from odoo.tests import HttpCase, tagged

from ..models.oms_channel_order_receipt import OmsChannelOrderReceipt
from ..services.payload import MAX_PAYLOAD_BYTES
from ..services.signature import SIGNATURE_HEADER, sign
from .test_intake_hardening import NOT_FINITE, NUMBER_PATHS, TEXT_PATHS, get_path, set_path


@tagged("post_install", "-at_install")
class TestChannelWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["product.product"].create(
            {"name": "Webhook Kettle", "default_code": "WH-KET", "is_storable": True, "list_price": 30.0}
        )
        eur = cls.env.ref("base.EUR")
        eur.active = True
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Webhook EUR", "currency_id": eur.id, "company_id": cls.env.company.id}
        )
        cls.channel = cls.env["oms.channel"].create(
            {
                "name": "Pushing Shop",
                "code": "PUSH",
                "kind": "web_shop",
                "connector": "webhook",
                "pricelist_id": pricelist.id,
                "webhook_secret": "s3cret",
            }
        )
        cls.url = f"/oms/webhook/{cls.channel.id}"

    def post(self, body, signature, content_type="application/json"):
        headers = {"Content-Type": content_type}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        return self.url_open(self.url, data=body, headers=headers)

    def staged(self):
        return self.env["oms.channel.order"].search([("channel_id", "=", self.channel.id)])

    def import_staged(self):
        """What the import scheduled actions do after the webhook answered."""
        self.env.invalidate_all()
        self.env["oms.channel.order"]._import_pending()

    def test_unsigned_or_badly_signed_order_is_refused_and_nothing_stored(self):
        body = json.dumps(
            make_order("WH-1", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}], shipping=None)
        ).encode()
        for signature in (None, "sha256=00", sign("not-the-secret", body)):
            response = self.post(body, signature)
            self.assertEqual(response.status_code, 401, signature)
        self.assertFalse(self.staged())

    def test_signed_order_is_imported_once_even_when_pushed_twice(self):
        body = json.dumps(
            make_order("WH-2", lines=[{"sku": "WH-KET", "quantity": 3, "unit_price": 28}], shipping=None)
        ).encode()
        first = self.post(body, sign("s3cret", body))
        self.assertEqual(first.status_code, 200, first.text)
        self.assertEqual(first.json(), {"reference": "WH-2", "state": "new", "error": None}, "stored, to import")
        self.import_staged()
        self.assertEqual(self.staged().state, "imported")
        second = self.post(body, sign("s3cret", body))
        self.assertEqual(second.json()["reference"], "WH-2")
        self.import_staged()
        self.assertEqual(len(self.staged()), 1)
        self.assertEqual(self.staged().receive_count, 2)
        order = self.env["sale.order"].search([("oms_channel_id", "=", self.channel.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.order_line.product_uom_qty, 3)

    def test_signed_but_malformed_order_is_answered_with_its_error(self):
        body = b'{"external_id": "WH-3"}'
        response = self.post(body, sign("s3cret", body))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["state"], "error")
        self.assertIn("customer", response.json()["error"])
        self.assertEqual(self.staged().payload, body.decode())

    def test_refused_signatures_are_counted_on_the_channel_and_nothing_stored(self):
        body = b'{"external_id": "WH-REFUSED"}'
        for signature in (None, "sha256=" + "0" * 64, "sha256=\u00f1\u00ff"):
            self.assertEqual(self.post(body, signature).status_code, 401, signature)
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.webhook_refused_count, 3)
        self.assertTrue(self.channel.webhook_refused_at)
        self.assertFalse(self.staged())

    def test_oversize_body_is_refused_unread_past_the_limit_and_recorded_cut(self):
        """Size first: a body over the limit is refused unread past it, whatever its signature; its signature
        cannot be checked without reading all of it, so it is recorded cut and never imported."""
        order = make_order("WH-BIG", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}])
        order["note"] = "x" * (MAX_PAYLOAD_BYTES + 10)
        body = json.dumps(order).encode()
        answers = [
            self.post(body, sign("s3cret", body)),
            self.post(body, None),
            self.url_open("/oms/webhook/999999", data=body, headers={SIGNATURE_HEADER: sign("s3cret", body)}),
            # Not declared: sent in chunks, read up to the limit only.
            self.url_open(self.url, data=iter([body[:1000], body[1000:]]), headers={SIGNATURE_HEADER: "x"}),
        ]
        for response in answers:
            self.assertEqual(response.status_code, 413)
            self.assertEqual(response.json(), {"error": f"body larger than {MAX_PAYLOAD_BYTES} bytes"})
        self.channel.invalidate_recordset()
        self.assertFalse(self.channel.webhook_refused_count)
        # Staff learn that the channel tried to send an order: cut to the limit, flagged, with its sender.
        declared, chunked = self.staged().sorted("id")
        self.assertEqual(declared.receive_count, 2, "the same body twice is one record")
        for record in (declared, chunked):
            self.assertTrue(record.payload_truncated)
            self.assertEqual((record.state, record.error_category), ("error", "too_large"))
            self.assertEqual(record.sender_address, "127.0.0.1")
            self.assertEqual(len(record.payload.encode()), MAX_PAYLOAD_BYTES)
            self.assertTrue(record.payload.startswith('{"external_id": "WH-BIG"'))
        self.assertIn(str(len(body)), declared.error_message)
        self.import_staged()
        self.assertFalse(self.env["sale.order"].search([("oms_channel_id", "=", self.channel.id)]))

    def test_any_signature_header_and_any_body_are_refused_alike_before_parsing(self):
        """Whatever the header (absent, not ASCII, bytes that are not UTF-8) and the body (nested 100,000 deep,
        not UTF-8, not an object), an unsigned body gets the same 401 and is not stored; never a 500."""
        bodies = [
            b"[" * 100_000 + b"]" * 100_000,
            b'{"external_id": "WH-\xff\xfe"}',
            b"[]",
            b"{",
        ]
        headers = [None, "", "sha256=\u00f1\u00ff", "sha256=\u00f1".encode(), b"\xff\xfe\x80", "sha256=" + "0" * 64]
        answers = set()
        for body in bodies:
            for header in headers:
                response = self.post(body, header)
                self.assertEqual(response.status_code, 401, (body[:10], header))
                answers.add(response.text)
        unknown = self.url_open("/oms/webhook/999999", data=bodies[0], headers={SIGNATURE_HEADER: "sha256=\u00f1"})
        self.assertEqual(unknown.status_code, 401)
        answers.add(unknown.text)
        self.assertEqual(len(answers), 1, "the answer says nothing about what was wrong")
        self.assertFalse(self.staged())

    def test_signed_bodies_that_are_no_order_are_stored_in_error_never_a_server_error(self):
        deep = b"[" * 100_000 + b"]" * 100_000
        deep_object = b'{"a":' * 40_000 + b"1" + b"}" * 40_000  # within the size limit
        for body in (deep, deep_object, b"[]", b'"text"', b"{", b'{"external_id": "WH-\xff"}'):
            response = self.post(body, sign("s3cret", body))
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json()["state"], "error")
            self.assertLess(len(response.json()["error"]), 300)
        self.assertEqual(len(self.staged()), 6)
        self.assertEqual(set(self.staged().mapped("error_category")), {"malformed"})

    def test_hostile_text_and_numbers_are_stored_never_a_server_error(self):
        def body_of(external_id, **overrides):
            lines = [{"sku": "WH-KET", "quantity": 1, "unit_price": 30}]
            return json.dumps(make_order(external_id, lines=lines, shipping=None, **overrides)).encode()

        nul_name = body_of("WH-NUL", customer={"name": "Ana\u0000 Ruiz", "email": "ana.ruiz@example.es"})
        infinite = body_of("WH-INF").replace(b'"quantity": 1', b'"quantity": "Infinity"')
        infinite_token = body_of("WH-INF-TOKEN").replace(b'"unit_price": 30', b'"unit_price": Infinity')
        raw_bytes = body_of("WH-BYTES").replace(b"Fern", b"Fe\x00\xffrn")
        for body in (nul_name, infinite, infinite_token, raw_bytes):
            response = self.post(body, sign("s3cret", body))
            self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(self.staged()), 4, "every signed body is in staging")
        raw = self.staged().filtered("raw_body")
        self.assertEqual(raw.error_category, "malformed")
        self.assertEqual(base64.b64decode(raw.raw_body), raw_bytes, "the exact bytes are kept")
        self.assertNotIn("\x00", raw.payload)
        self.import_staged()
        by_ref = {record.external_ref: record for record in self.staged()}
        self.assertEqual(by_ref["WH-NUL"].state, "imported")
        self.assertEqual(by_ref["WH-NUL"].sale_order_id.partner_id.name, "Ana Ruiz")
        for reference in ("WH-INF", "WH-INF-TOKEN"):
            self.assertEqual((by_ref[reference].state, by_ref[reference].error_category), ("error", "invalid_value"))

    def test_nul_in_every_text_field_and_non_finite_numbers_never_give_a_server_error(self):
        bodies = []
        for number, path in enumerate(TEXT_PATHS):
            order = make_order(
                f"WH-NUL-{number:02d}",
                lines=[{"sku": "WH-KET", "name": "Kettle", "quantity": 1, "unit_price": 30}],
                shipping={"method": "", "price": 0},
            )
            order["shipping_address"] = dict(order["billing_address"])
            value = get_path(order, path)
            set_path(order, path, value[:1] + "\u0000" + value[1:])
            bodies.append(json.dumps(order).encode())
        for number, (path, value) in enumerate((path, value) for path in NUMBER_PATHS for value in NOT_FINITE):
            order = make_order(f"WH-NUM-{number:02d}", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}])
            set_path(order, path, value)
            bodies.append(json.dumps(order).encode())
        for body in bodies:
            response = self.post(body, sign("s3cret", body))
            self.assertEqual(response.status_code, 200, body[:200])
        staged = self.staged()
        self.assertEqual(len(staged), len(bodies), "every signed body is in staging")
        self.import_staged()
        for record in staged:
            self.assertNotIn("\x00", record.payload + (record.customer_name or "") + (record.error_message or ""))
            if record.external_ref.startswith("WH-NUM-"):
                self.assertEqual((record.state, record.error_category), ("error", "invalid_value"), record.external_ref)
        imported = staged.filtered(lambda record: record.state == "imported")
        self.assertEqual(len(imported), len(TEXT_PATHS) - 4, "only a NUL in a code or a date stops an order")
        for partner in imported.sale_order_id.partner_id | imported.sale_order_id.partner_shipping_id:
            self.assertNotIn("\x00", f"{partner.name}{partner.street}{partner.city}{partner.email}{partner.zip}")

    def test_signed_order_sent_as_a_form_is_stored_not_refused(self):
        # Odoo reads the body of such requests as form fields: the webhook would have had nothing left to verify.
        for number, content_type in enumerate(
            ("application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x")
        ):
            body = json.dumps(
                make_order(f"WH-FORM-{number}", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}])
            ).encode()
            response = self.post(body, sign("s3cret", body), content_type=content_type)
            self.assertEqual(response.status_code, 200, f"{content_type}: {response.text}")
            self.assertEqual(response.json()["reference"], f"WH-FORM-{number}")
        self.assertEqual(len(self.staged()), 3)
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.webhook_refused_count, 0)

    def test_order_is_stored_when_its_transaction_is_retried_after_a_serialization_failure(self):
        class Conflict(psycopg2.errors.SerializationFailure):
            pgcode = "40001"  # what PostgreSQL sets on a real one, and Odoo's retry logs

        body = json.dumps(make_order("WH-RETRY", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}])).encode()
        receive = OmsChannelOrderReceipt._receive
        calls = []

        def conflicting_once(staging, *args, **kwargs):
            calls.append(args)
            if len(calls) == 1:  # another worker updated the same staged order: Odoo runs the request again
                raise Conflict("could not serialize access due to concurrent update")
            return receive(staging, *args, **kwargs)

        with patch.object(OmsChannelOrderReceipt, "_receive", conflicting_once):
            response = self.post(body, sign("s3cret", body))
        self.assertEqual(len(calls), 2, "the request was run again")
        self.assertEqual(response.status_code, 200, "the retry read the same body, not an empty one")
        self.assertEqual(self.staged().external_ref, "WH-RETRY")
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.webhook_refused_count, 0)

    def test_order_with_a_byte_order_mark_is_imported_and_one_in_utf16_refused_at_once(self):
        order = make_order("WH-BOM", lines=[{"sku": "WH-KET", "quantity": 1, "unit_price": 30}], shipping=None)
        with_bom = b"\xef\xbb\xbf" + json.dumps(order).encode()
        response = self.post(with_bom, sign("s3cret", with_bom))
        self.assertEqual(response.json(), {"reference": "WH-BOM", "state": "new", "error": None})
        utf16 = json.dumps(dict(order, external_id="WH-UTF16")).encode("utf-16")
        response = self.post(utf16, sign("s3cret", utf16))
        self.assertEqual(response.json()["state"], "error", "told at once, not accepted and then failed")
        self.assertIn("utf-8", response.json()["error"])
        self.import_staged()
        self.assertEqual(self.staged().filtered(lambda record: record.external_ref == "WH-BOM").state, "imported")
