"""Property test of the order webhook: hundreds of mutated bodies, generated from valid orders with a fixed seed,
pushed over real HTTP, then imported.

Whatever a channel (or someone holding its secret) sends:

1. the webhook never answers a server error;
2. every signed body up to the size limit is in staging afterwards (its exact text, or its exact bytes), and every
   larger one is recorded cut;
3. after the import, nothing absurd is confirmed: confirmed orders stay within the channel's limits, orders above
   them are held, and no control character reaches a customer or an order note;
4. badly signed bodies are refused, not stored, and counted on the channel;
5. the import keeps the webhook's word: an order answered "new" is not found malformed or invalid later, nothing
   fails for a reason nobody foresaw ("internal"), nothing is left to import, and untouched orders are confirmed.

The generator is plain ``random.Random(SEED)``: a failure is reproduced by running the test again. Each generated
order carries its case number (``fuzz_case``, first key) and a unique ``external_id`` (``FUZZ-<n>``), so that
distinct bodies are distinct staged orders unless a mutation removes or garbles them.
"""

import base64
import math
from collections import Counter

from odoo.tests import HttpCase, tagged

from ..services.signature import SIGNATURE_HEADER
from .webhook_fuzzer import LINE_FORBIDDEN, NOTE_FORBIDDEN, SECRET, SEED, SKU, PayloadFuzzer


@tagged("post_install", "-at_install")
class TestWebhookFuzz(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # The channel prices in the company's currency: its limits and the order totals compare as they are.
        cls.currency = company.currency_id
        cls.env["product.product"].create(
            {"name": "Fuzz Kettle", "default_code": SKU, "is_storable": True, "list_price": 30.0}
        )
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Fuzz", "currency_id": cls.currency.id, "company_id": company.id}
        )
        carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Fuzz Courier",
                "delivery_type": "fixed",
                "fixed_price": 5.0,
                "product_id": cls.env["product.product"].create({"name": "Fuzz shipping", "type": "service"}).id,
            }
        )
        # Imported orders are confirmed at once, unless a policy holds them.
        workflow = cls.env["oms.order.workflow"].create(
            {"name": "Confirm on import", "company_id": company.id, "auto_confirm": True}
        )
        cls.channel = cls.env["oms.channel"].create(
            {
                "name": "Fuzzed Shop",
                "code": "FUZZ",
                "kind": "web_shop",
                "connector": "webhook",
                "company_id": company.id,
                "pricelist_id": pricelist.id,
                "webhook_secret": SECRET,
                "carrier_map_ids": [(0, 0, {"method": "express", "carrier_id": carrier.id})],
                "workflow_id": workflow.id,
            }
        )

    def post(self, case):
        headers = {}
        if case.content_type is not None:
            headers["Content-Type"] = case.content_type
        if case.signature is not None:
            headers[SIGNATURE_HEADER] = case.signature
        data = case.body
        if case.chunked:  # a generator: requests sends it chunked, without Content-Length
            data = (case.body[index : index + 65536] for index in range(0, len(case.body), 65536))
        # Not url_open: it would send an empty body as a GET.
        url = self.base_url() + f"/oms/webhook/{self.channel.id}"
        return self.opener.post(url, data=data, headers=headers, timeout=30)

    def staged(self):
        return self.env["oms.channel.order"].search([("channel_id", "=", self.channel.id)])

    def test_mutated_payloads_are_never_a_server_error_never_lost_never_confirmed_when_absurd(self):
        cases = PayloadFuzzer(SEED, self.currency.name).cases()
        self.assertGreaterEqual(len(cases), 500)
        last_partner = self.env["res.partner"].search([], order="id desc", limit=1).id
        answers = self.send(cases)
        # The HTTP requests ran in the server's thread on the test cursor: this thread's cache knows nothing of them.
        self.env.invalidate_all()
        self.assertEveryBodyStaged(cases, answers)
        self.assertEqual(self.channel.webhook_refused_count, Counter(case.kind for case in cases)["refused"])

        # What the import scheduled actions do after the webhook answered.
        self.env["oms.channel.order"]._import_pending()
        self.env.invalidate_all()
        self.assertImportKeptTheWebhooksWord(answers)
        self.assertNothingAbsurdConfirmed(last_partner)
        self.assertValidOrdersImported(cases)

    def send(self, cases):
        """Post every case; {case: its JSON answer} for the bodies answered 200. Fails listing every server error
        or unexpected status, with the body that caused it."""
        failures = []
        answers = {}
        for case in cases:
            try:
                response = self.post(case)
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported together
                failures.append(f"{case.describe()}: {type(error).__name__}: {error}")
                continue
            if response.status_code != case.expected_status:
                failures.append(f"{case.describe()}: HTTP {response.status_code} {response.text[:200]!r}")
            elif response.status_code == 200:
                answers[case] = response.json()
        self.assertFalse(failures, f"{len(failures)} bodies were not answered as expected:\n" + "\n".join(failures))
        return answers

    def assertEveryBodyStaged(self, cases, answers):
        """Each distinct signed body is one staged order holding its exact text or, when the text cannot hold it,
        its exact bytes; oversize ones are recorded cut; badly signed ones are not stored."""
        staged = self.staged()
        stored = {case.body: case for case in cases if case.expected_status == 200}
        oversize = {case.body: case for case in cases if case.expected_status == 413}
        self.assertEqual(len(staged), len(stored) + len(oversize), "one staged order per distinct body")
        by_ref = {record.external_ref: record for record in staged}
        payloads = set(staged.mapped("payload"))
        raw_bodies = {base64.b64decode(record.raw_body) for record in staged if record.raw_body}
        lost = []
        for body, case in stored.items():
            for reference in {case.expected_ref, answers[case]["reference"]} - {None}:
                if reference not in by_ref:
                    lost.append(f"{case.describe()}: no staged order {reference[:80]!r}")
            try:
                exact = body.decode("utf-8") in payloads
            except UnicodeDecodeError:
                exact = False
            if not exact and body not in raw_bodies:
                lost.append(f"{case.describe()}: neither its text nor its bytes are in staging")
        self.assertFalse(lost, f"{len(lost)} signed bodies were lost:\n" + "\n".join(lost))
        cut = staged.filtered("payload_truncated")
        self.assertEqual(len(cut), len(oversize), "every oversize body is recorded, cut")
        self.assertEqual(set(cut.mapped("error_category")), {"too_large"})
        refused = {f"FUZZ-R-{case.number}" for case in cases if case.kind == "refused"}
        self.assertFalse(refused & set(by_ref), "badly signed bodies are not stored")

    def assertImportKeptTheWebhooksWord(self, answers):
        """An order the webhook answered "new" (a valid order, to import) is not found invalid by the import: the
        staged text is read as the body was. Nothing is left to import."""
        by_ref = {record.external_ref: record for record in self.staged()}
        broken = [
            f"{case.describe()}: {record.error_category}: {record.error_message[:200]}"
            for case, answer in answers.items()
            if answer["state"] == "new"
            and (record := by_ref[answer["reference"]]).error_category
            in ("malformed", "missing_field", "invalid_value")
        ]
        self.assertFalse(broken, "accepted by the webhook, then refused by the import:\n" + "\n".join(broken))
        internal = [
            f"{record.external_ref[:80]}: {record.error_message}"
            for record in by_ref.values()
            if record.error_category == "internal"
        ]
        self.assertFalse(internal, "failures nobody foresaw:\n" + "\n".join(internal))
        left = [record.external_ref for record in by_ref.values() if record.state == "new"]
        self.assertFalse(left, "every staged order was imported or quarantined")

    def assertNothingAbsurdConfirmed(self, last_partner):
        """Confirmed orders are within the channel's limits; customers, addresses and notes hold no control
        character."""
        channel = self.channel
        orders = self.env["sale.order"].search([("oms_channel_id", "=", channel.id)])
        absurd = []
        for order in orders.filtered(lambda order: order.state == "sale"):
            quantities = order.order_line.filtered(lambda line: not line.display_type).mapped("product_uom_qty")
            if max(quantities) > channel.max_line_quantity:
                absurd.append(f"{order.oms_channel_ref}: quantities {quantities}")
            if not math.isfinite(order.amount_total) or order.amount_total > channel.max_order_amount:
                absurd.append(f"{order.oms_channel_ref}: total {order.amount_total}")
        for order in orders:
            if NOTE_FORBIDDEN.search(order.note or ""):
                absurd.append(f"{order.oms_channel_ref}: note {order.note[:200]!r}")
        for partner in self.env["res.partner"].search([("id", ">", last_partner)]):
            for name in ("name", "street", "street2", "city", "zip", "email", "phone"):
                if LINE_FORBIDDEN.search(partner[name] or ""):
                    absurd.append(f"partner {partner.id} {name}: {partner[name][:200]!r}")
        self.assertFalse(absurd, "absurd orders confirmed or control characters kept:\n" + "\n".join(absurd))

    def assertValidOrdersImported(self, cases):
        """Untouched orders are imported and confirmed; orders above the channel's limits are imported and held."""
        by_ref = {record.external_ref: record for record in self.staged()}
        wrong = []
        for case in cases:
            record = by_ref.get(case.expected_ref)
            order = record.sale_order_id if record else self.env["sale.order"]
            seen = (
                f"{case.describe()}: staged {record and record.state} {record and record.error_message}, {order.state}"
            )
            if case.must_import and order.state != "sale":
                wrong.append(seen)
            active_holds = order.oms_hold_ids.filtered(lambda hold: hold.state == "active")
            if case.must_hold and (
                order.state not in ("draft", "sent") or "unusual" not in active_holds.mapped("kind")
            ):
                wrong.append(seen)
        self.assertFalse(wrong, "valid orders not imported as expected:\n" + "\n".join(wrong))
        orders = self.env["sale.order"].search([("oms_channel_id", "=", self.channel.id)])
        held = orders.filtered(lambda order: "unusual" in order.oms_hold_ids.mapped("kind"))
        kinds = Counter(case.kind for case in cases)
        self.assertGreaterEqual(len(orders.filtered(lambda order: order.state == "sale")), kinds["valid"])
        self.assertGreaterEqual(len(held), kinds["unusual"])
        self.assertTrue(kinds["valid"] and kinds["unusual"])
