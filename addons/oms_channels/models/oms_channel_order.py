import base64
import json
import logging
import traceback

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, float_is_zero

from ..services.channel_order import (
    MAX_PAYLOAD_BYTES,
    ChannelOrderError,
    clean_text,
    external_id_of,
    json_text,
    parse_channel_order,
    parse_payload,
    payload_fingerprint,
    storable_json,
)
from ..services.matching import match_customer, match_lines, normalize_email, normalize_phone, normalize_vat

_logger = logging.getLogger(__name__)

IMPORT_BATCH_SIZE = 50
CLAIM_ATTEMPTS = 3
MAX_COLLISIONS = 5
# Scheduled actions that import staged orders, each claiming its own batches: as many import at once as there are
# free cron workers (one scheduled action runs on one worker at a time).
IMPORT_CRON_XMLIDS = tuple(f"oms_channels.ir_cron_import_staged_{number}" for number in range(1, 5))
# How a partner's e-mail, VAT and phone are normalized in SQL: the same as services.matching does for orders.
PARTNER_MATCH_KEYS = {
    "by_email": "email_normalized",
    "by_vat": "upper(regexp_replace(vat, '[^A-Za-z0-9]', '', 'g'))",
    "by_phone": "right(regexp_replace(phone, '[^0-9]', '', 'g'), 9)",
}
ERROR_CATEGORIES = [
    ("malformed", "Malformed payload"),
    ("too_large", "Payload too large"),
    ("missing_field", "Missing field"),
    ("invalid_value", "Invalid value"),
    ("unknown_product", "Unknown product"),
    ("unknown_currency", "Unknown currency"),
    ("unknown_country", "Unknown country"),
    ("unknown_shipping", "Unknown shipping method"),
    ("import_failed", "Import failed"),
    ("internal", "Internal error"),
]


class ChannelImportError(ChannelOrderError):
    """A well-formed order that this company cannot take as it is (currency, country, shipping method...)."""


class OmsChannelOrder(models.Model):
    """One order of a channel as it was received: the raw payload, kept whatever happens to it.

    Unique per channel and external reference at the database level, so an order pulled twice, or pushed by
    webhook and pulled by the cron, is one record and one sale order.
    """

    _name = "oms.channel.order"
    _description = "Channel Order (staging)"
    _inherit = ["mail.thread", "oms.state.mixin"]
    _order = "id desc"
    # What the channel sent and what the import made of it: set by the intake only, never by hand or by the API.
    _oms_protected_fields = (
        "state",
        "channel_id",
        "external_ref",
        "payload",
        "raw_body",
        "payload_truncated",
        "fingerprint",
        "sale_order_id",
        "error_category",
        "error_message",
        "intake_notes",
        "sender_address",
    )
    _rec_name = "external_ref"

    channel_id = fields.Many2one("oms.channel", required=True, index=True, ondelete="restrict", readonly=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    external_ref = fields.Char("External Reference", required=True, index=True, readonly=True)
    source = fields.Selection(
        [("pull", "Pulled"), ("webhook", "Webhook"), ("manual", "Manual")], required=True, default="pull"
    )
    payload = fields.Text(readonly=True, help="The order exactly as the channel sent it (its last version).")
    fingerprint = fields.Char(readonly=True, index=True)
    state = fields.Selection(
        string="Status",
        selection=[
            ("new", "To Import"),
            ("imported", "Imported"),
            ("error", "Error"),
            ("duplicate", "Duplicate"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        index=True,
        readonly=True,
    )
    error_category = fields.Selection(ERROR_CATEGORIES, string="Error Reason", readonly=True)
    error_message = fields.Text("Error", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null", ondelete="set null")
    customer_name = fields.Char("Customer", readonly=True)
    customer_email = fields.Char(readonly=True)
    currency_code = fields.Char("Currency", readonly=True)
    amount_total = fields.Float("Channel Total", readonly=True, help="Sum of the lines as the channel priced them.")
    order_updated_at = fields.Datetime("Updated on Channel", readonly=True)
    receive_count = fields.Integer("Times Received", default=1, readonly=True)
    last_received_at = fields.Datetime("Last Received", default=fields.Datetime.now, readonly=True)
    update_pending = fields.Boolean(
        "Update to Review", readonly=True, help="The channel changed an imported order in a way that needs a person."
    )
    update_message = fields.Text(readonly=True)
    intake_notes = fields.Text(
        readonly=True, help="What was done to the payload to keep it: characters removed, a body cut to the limit..."
    )
    sender_address = fields.Char(readonly=True, help="Network address the webhook body came from.")
    payload_truncated = fields.Boolean(
        "Payload Cut", readonly=True, help="The body was larger than the limit: only its beginning is kept."
    )
    raw_body = fields.Binary(
        "Exact Body",
        attachment=True,
        readonly=True,
        help="The bytes as received, kept when the text above could not hold them exactly (NUL bytes, invalid "
        "UTF-8).",
    )

    _sql_constraints = [
        (
            "channel_external_ref_uniq",
            "unique(channel_id, external_ref)",
            "An order with this external reference was already received from this channel.",
        )
    ]

    # ------------------------------------------------------------------ receiving

    @api.model
    def _receive(self, channel, payloads, source="pull", sender=False):
        """Store payloads (dicts, or raw bytes/str as received) in staging; returns their records, in their order.

        Replays of an identical order only count; changed orders update the staging record (and the sale
        order when already imported); malformed payloads are quarantined in error with the payload kept. One
        payload that cannot be stored for a reason nobody foresaw is quarantined alone ("internal"), with what
        could be kept of it; the others go on.
        """
        prepared = []
        failed = {}
        for position, payload in enumerate(payloads):
            try:
                vals = self._prepare_received(channel, payload, source)
            except Exception as error:  # noqa: BLE001 - kept as the order's error below
                failed[position] = (payload, error)
                continue
            vals.update(_position=position, sender_address=sender or False)
            prepared.append(vals)
        # Sorted, so that two workers inserting the same orders lock them in the same order: no deadlock.
        prepared.sort(key=lambda vals: vals["external_ref"])
        existing = {
            record.external_ref: record
            for record in self.search(
                [("channel_id", "=", channel.id), ("external_ref", "in", [vals["external_ref"] for vals in prepared])]
            )
        }
        received = {}
        for vals in prepared:
            position = vals.pop("_position")
            try:
                with self.env.cr.savepoint():
                    record = self._store_received(vals, existing)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # another worker's transaction: this one is retried as a whole
            except Exception as error:  # noqa: BLE001 - kept as the order's error below
                failed[position] = (vals["payload"], error)
                continue
            if record:
                existing[record.external_ref] = record
                received[position] = record
        for position, (payload, error) in failed.items():
            received[position] = self._quarantine_unexpected(channel, payload, source, sender, error)
        return self.browse(list(dict.fromkeys(received[position].id for position in sorted(received))))

    def _store_received(self, vals, existing):
        """The staging record of one prepared payload: created, or the known one with this replay counted.
        Empty when a concurrent worker stored it first (that worker imports it)."""
        data = vals.pop("_data")
        record = existing.get(vals["external_ref"])
        if record is None:
            record, created = self._create_or_find(vals)
            if not record or created:
                return record
        record._register_replay(vals, data)
        return record

    @api.model
    def _prepare_received(self, channel, payload, source):
        if not isinstance(payload, bytes | str | dict):
            payload = json.dumps(payload)  # a connector's list or scalar: quarantined as "not a JSON object"
        vals = {"channel_id": channel.id, "source": source, "state": "new"}
        notes = []
        raw_text = None
        if isinstance(payload, bytes):
            raw_text = self._storable_text(payload, vals, notes)
        elif isinstance(payload, str):
            raw_text = clean_text(payload, multiline=True)
            if raw_text != payload:
                notes.append(self.env._("Control characters the database cannot store were removed from the payload."))
        data = None
        try:
            data = parse_payload(payload) if raw_text is not None else payload
        except ChannelOrderError as error:
            vals.update(state="error", error_category=error.category, error_message=str(error))
        if data is None:
            fingerprint = payload_fingerprint({"raw": raw_text})
            vals.update(payload=raw_text, fingerprint=fingerprint, external_ref=f"invalid-{fingerprint[:16]}")
        else:
            fingerprint = payload_fingerprint(data)
            vals.update(
                payload=raw_text if raw_text is not None else storable_json(data),
                fingerprint=fingerprint,
                external_ref=external_id_of(data) or f"missing-{fingerprint[:16]}",
                **self._summary_of(data),
            )
            self._validate_received(data, vals, notes)
        vals["intake_notes"] = "\n".join(notes) or False
        vals["_data"] = data
        return vals

    @api.model
    def _storable_text(self, body, vals, notes):
        """The body as text PostgreSQL can store; when that text is not exactly the bytes (NUL bytes, invalid
        UTF-8), the bytes are kept beside it and a note says so."""
        text = body.decode("utf-8", errors="replace")
        storable = clean_text(text, multiline=True)
        if storable != text or "\ufffd" in text:
            vals["raw_body"] = base64.b64encode(body)
            notes.append(
                self.env._(
                    "The body held bytes the text cannot show (NUL, invalid UTF-8): they are replaced here, and the "
                    "exact body is kept in Exact Body."
                )
            )
        return storable

    @api.model
    def _summary_of(self, data):
        """What the staging list shows, read leniently from a payload that may be malformed."""
        customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
        return {
            "customer_name": self._summary_text(customer.get("name"), 256),
            "customer_email": self._summary_text(customer.get("email"), 256),
            "currency_code": (self._summary_text(data.get("currency"), 8) or "").upper() or False,
            "amount_total": 0.0,
            "order_updated_at": False,
        }

    @api.model
    def _validate_received(self, data, vals, notes):
        """Check the order against the schema as it is staged: an invalid one is quarantined at once, with every
        problem; a valid one gets its total, its update time and a note of the text that had to be cleaned."""
        try:
            order = parse_channel_order(data)
        except ChannelOrderError as error:
            vals.update(state="error", error_category=error.category, error_message=clean_text(str(error)))
            return
        vals["amount_total"] = sum(line.quantity * line.unit_price for line in order.lines)
        vals["order_updated_at"] = (order.updated_at or order.order_date or fields.Datetime.now()).replace(tzinfo=None)
        if order.cleaned:
            notes.append(self.env._("Control characters were removed from: %s.", ", ".join(order.cleaned)))

    @staticmethod
    def _summary_text(value, size):
        if isinstance(value, bool) or not isinstance(value, str | int):
            return False
        return clean_text(str(value))[:size] or False

    @api.model
    def _quarantine_unexpected(self, channel, payload, source, sender, error):
        """Keep a payload whose storing failed unexpectedly, in error ("internal") with the exception's last line,
        so that staff see it and the channel's other orders go on. Empty only when even that fails (logged)."""
        _logger.exception("channel %s: a payload could not be stored", channel.code, exc_info=error)
        try:
            if isinstance(payload, bytes):
                text = clean_text(payload.decode("utf-8", errors="replace"), multiline=True)
            elif isinstance(payload, str):
                text = clean_text(payload, multiline=True)
            else:
                text = storable_json(payload)
            fingerprint = payload_fingerprint({"raw": text})
            vals = {
                "channel_id": channel.id,
                "source": source,
                "sender_address": sender or False,
                "payload": text,
                "fingerprint": fingerprint,
                "external_ref": f"internal-{fingerprint[:16]}",
                "state": "error",
                "error_category": "internal",
                "error_message": self._describe_exception(error),
            }
            with self.env.cr.savepoint():
                return self._create_or_count(vals)
        except Exception:
            _logger.exception("channel %s: a payload could not even be quarantined", channel.code)
            return self.browse()

    @api.model
    def _describe_exception(self, error):
        """The last line of the exception's traceback, as staff read it on the order: "ValueError: ..."."""
        return clean_text(traceback.format_exception_only(error)[-1].strip())

    @api.model
    def _receive_oversize(self, channel, beginning, size, sender):
        """Record a webhook body larger than the limit, cut to it: its signature cannot be checked without reading
        all of it, so it is never imported; staff learn that the channel tried to send an order."""
        vals = {"channel_id": channel.id, "source": "webhook", "sender_address": sender or False}
        notes = []
        text = self._storable_text(beginning, vals, notes)
        fingerprint = payload_fingerprint({"raw": text, "size": size})
        size_text = (
            self.env._("%(size)s bytes", size=size)
            if size
            else self.env._("more than %(limit)s bytes", limit=MAX_PAYLOAD_BYTES)
        )
        vals.update(
            payload=text,
            fingerprint=fingerprint,
            external_ref=f"too-large-{fingerprint[:16]}",
            state="error",
            error_category="too_large",
            error_message=self.env._(
                "The body (%(size)s) is larger than the %(limit)s bytes allowed: only its beginning is kept, its "
                "signature was not checked and it is not imported. Ask the channel to send smaller orders.",
                size=size_text,
                limit=MAX_PAYLOAD_BYTES,
            ),
            payload_truncated=True,
            intake_notes="\n".join(notes) or False,
        )
        return self._create_or_count(vals)

    @api.model
    def _create_or_count(self, vals):
        """The staging record of a body that is never imported (quarantined as it arrives): created, or the one
        this same body made before with one more receipt counted."""
        record, created = self._create_or_find(vals)
        if record and not created:
            record._count_receipt()
        return record

    def _count_receipt(self):
        self.write({"receive_count": self.receive_count + 1, "last_received_at": fields.Datetime.now()})

    @api.model
    def _create_or_find(self, vals):
        """Create the staging record, or return the one another worker created first: (record, created).

        Under repeatable read, a record another worker committed after our snapshot stays invisible: then the
        returned record is empty, and that worker imports the order.
        """
        try:
            with self.env.cr.savepoint():
                # Thousands arrive by cron: no "created" note, no follower; errors and retries are what matters.
                return self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)._oms_create([vals]), True
        except psycopg2.errors.UniqueViolation:
            pass  # another worker stored the same order between our read and this insert
        domain = [("channel_id", "=", vals["channel_id"]), ("external_ref", "=", vals["external_ref"])]
        return self.search(domain), False

    def _register_replay(self, vals, data):
        """The order came again: count a replay of the same version, or take the new version."""
        self.ensure_one()
        if self.fingerprint == vals["fingerprint"]:
            self._count_receipt()
            return
        now = fields.Datetime.now()
        previous = self._payload_data()
        change = {key: value for key, value in vals.items() if key not in ("channel_id", "state", "source")}
        change.update(receive_count=self.receive_count + 1, last_received_at=now)
        if self.state in ("new", "error"):
            # Not imported yet: the newer version replaces the older one and is imported again.
            change.update(
                state=vals["state"],
                error_category=vals.get("error_category", False),
                error_message=vals.get("error_message", False),
            )
            self._oms_write(change)
            return
        self._oms_write(change)
        if self.state == "imported" and data is not None:
            self._apply_update(previous, data)

    def _payload_data(self):
        try:
            return json.loads(json_text(self.payload or "{}"))
        except ValueError:
            return {}

    def _apply_update(self, previous, data):
        """Apply a channel's change to an imported order: cancellation and new address, or flag it for review."""
        order = self.sale_order_id
        shipped = order.picking_ids.filtered(lambda picking: picking.state == "done")
        notes = []
        if data.get("status") == "cancelled":
            if order.state == "cancel":
                pass
            elif shipped:
                notes.append(self.env._("The channel cancelled the order after it was shipped."))
            else:
                order._action_cancel()
                order.message_post(body=self.env._("Cancelled by channel %s.", self.channel_id.name))
                self._oms_write({"state": "cancelled"})
        else:
            new_address = data.get("shipping_address") or data.get("billing_address")
            old_address = previous.get("shipping_address") or previous.get("billing_address")
            if new_address != old_address:
                if shipped:
                    notes.append(self.env._("The channel changed the delivery address after shipment."))
                else:
                    self._update_delivery_address(order, data)
            if previous.get("lines") != data.get("lines"):
                notes.append(self.env._("The channel changed the order lines; the sale order was left as it is."))
        if notes:
            message = " ".join(notes)
            self.write({"update_pending": True, "update_message": message})
            order.message_post(body=message)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Review the channel's change"),
                note=message,
                user_id=self.channel_id.user_id.id or self.env.user.id,
            )

    def _update_delivery_address(self, order, data):
        order_data = parse_channel_order(data)
        countries = self._countries_by_code([order_data.shipping_address])
        delivery = self.env["res.partner"].create(
            self._address_vals(order_data.shipping_address, countries, order.partner_id, "delivery")
        )
        order.partner_shipping_id = delivery
        order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).partner_id = delivery
        order.message_post(body=self.env._("Delivery address changed by channel %s.", self.channel_id.name))

    # ------------------------------------------------------------------ importing

    @api.model
    def _import_pending(self, channel=None):
        """Import staged orders (of one channel, else of all), a batch at a time, each batch committed, until none
        is left that this worker may take. Orders that stay to import after an attempt are left for a later run."""
        attempted = set()
        collisions = 0
        while batch := self._claim_batch(channel, skip=attempted):
            if batch._import_retrying():
                attempted.update(batch.ids)
            else:
                collisions += 1
                if collisions >= MAX_COLLISIONS:  # another worker keeps getting in the way: leave them to a later run
                    attempted.update(batch.ids)
        self.env["oms.channel"]._commit_batch()

    @api.model
    def _cron_import_staged(self):
        """One batch of staged orders, for each of the import scheduled actions (several, so that as many cron
        workers import at once); Odoo's cron runner calls it again while orders remain."""
        batch = self._claim_batch()
        batch._import_retrying()
        remaining = self.search_count([("state", "=", "new")]) if batch else 0
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    def _import_retrying(self):
        """Import this claimed batch; True when done. When another worker's transaction got in the way (the same
        new customer, the same last units), everything is rolled back and False returned: the batch is claimed
        again, with a snapshot that sees what the other worker committed. Nothing else was done since the claim's
        commit, so nothing else is lost."""
        try:
            self._import(locked=True)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            if self.env.registry.in_test_mode():
                raise
            _logger.info("import of %s staged orders met another worker: imported again", len(self))
            self.env.cr.rollback()
            return False
        return True

    @api.model
    def _trigger_import(self):
        """Wake the import scheduled actions now, unless they are already due (no pile of triggers under load)."""
        crons = (
            self.env["ir.cron"]
            .sudo()
            .browse(cron.id for xmlid in IMPORT_CRON_XMLIDS if (cron := self.env.ref(xmlid, raise_if_not_found=False)))
            .filtered("active")
        )
        if crons and not self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "in", crons.ids)], limit=1):
            for cron in crons:
                cron._trigger()

    @api.model
    def _claim_batch(self, channel=None, skip=()):
        """The next staged orders no other worker holds, locked until this worker commits.

        Taken right after a commit, so the lock query takes the transaction's snapshot and sees what other
        workers committed; rows they are importing are skipped rather than waited for. A row another worker
        finished between that snapshot and the lock makes PostgreSQL refuse it: nothing is done yet, so the
        transaction starts again with a new snapshot.
        """
        self.env["oms.channel"]._commit_batch()
        self.env.flush_all()
        conditions = [SQL("state = 'new'")]
        if channel:
            conditions.append(SQL("channel_id = %s", channel.id))
        if skip:
            conditions.append(SQL("NOT id = ANY(%s)", list(skip)))
        query = SQL(
            "SELECT id FROM oms_channel_order WHERE %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            SQL(" AND ").join(conditions),
            IMPORT_BATCH_SIZE,
        )
        for attempt in range(CLAIM_ATTEMPTS):
            try:
                self.env.cr.execute(query)
                break
            except psycopg2.errors.SerializationFailure:
                if attempt == CLAIM_ATTEMPTS - 1 or self.env.registry.in_test_mode():
                    raise
                self.env.cr.rollback()
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        batch.invalidate_recordset(["state", "sale_order_id"])
        return batch

    def _lock_for_import(self):
        """Rows another worker is importing are skipped, so each order is imported by one worker only."""
        if not self.ids:
            return self
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM oms_channel_order WHERE id IN %s AND state = 'new' FOR UPDATE SKIP LOCKED",
            (tuple(self.ids),),
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        locked.invalidate_recordset(["state", "sale_order_id"])
        return locked

    def _import(self, locked=False):
        """Turn staged orders into sale orders, the data they need read in a few queries per batch.

        A batch is first imported in one savepoint, so that Odoo batches its writes; when any of its orders
        fails, that savepoint is rolled back and the batch imported again with one savepoint per order, so that
        the good orders go through and each bad one is kept in error with its reason.
        """
        records = self if locked else self._lock_for_import()
        parsed = {}
        for record in records:
            try:
                parsed[record] = parse_channel_order(record._payload_data())
            except ChannelOrderError as error:
                record._set_error(error.category, str(error))
            except Exception as error:  # noqa: BLE001 - a parser bug stops this order, not the batch
                record._set_internal_error(error)
        if not parsed:
            return
        for channel, channel_records in self._group_by_channel(parsed):
            orders = [parsed[record] for record in channel_records]
            try:
                with self.env.cr.savepoint():
                    lookups = self._lookups(channel, orders)
                    channel_records._import_together(parsed, lookups)
                continue
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # another worker's transaction: the batch is retried as a whole
            except Exception:  # noqa: BLE001 - rolled back: one order at a time below, each failure on its order
                pass
            # Looked up again: customers created by the rolled-back attempt are gone.
            lookups = self._lookups(channel, orders)
            for record in channel_records:
                record._import_one(parsed[record], lookups)

    @api.model
    def _group_by_channel(self, parsed):
        by_channel = {}
        for record in parsed:
            by_channel.setdefault(record.channel_id, self.browse())
            by_channel[record.channel_id] |= record
        return by_channel.items()

    def _set_error(self, category, message):
        message = clean_text(message, multiline=True)
        self._oms_write({"state": "error", "error_category": category, "error_message": message})

    def _set_internal_error(self, error):
        """An exception nobody foresaw: the order keeps it (its last line) in error, the log has the traceback."""
        _logger.exception("channel order %s could not be imported", self.external_ref, exc_info=error)
        self._set_error("internal", self._describe_exception(error))

    def _import_one(self, order_data, lookups):
        """Import one staged order in a savepoint of its own; a failure is kept as the order's error."""
        self.ensure_one()
        # Customers this order creates join the look-ups; a failure rolls them back, so the look-ups must too.
        known_partners = {table: dict(lookups[table]) for table in PARTNER_MATCH_KEYS}
        try:
            with self.env.cr.savepoint():
                self._import_together({self: order_data}, lookups)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # another worker's transaction: retried as a whole
        except Exception as error:  # noqa: BLE001 - every failure is this order's error, never the batch's
            lookups.update(known_partners)
            if isinstance(error, ChannelOrderError):
                self._set_error(error.category, str(error))
            elif isinstance(error, UserError):
                self._set_error("import_failed", str(error))
            else:
                self._set_internal_error(error)

    def _import_together(self, parsed, lookups):
        """Import these staged orders of one channel at once: their sale orders are created in one go, then put
        through the policies and the channel's workflow together (one confirmation with routing, one invoicing,
        posting and payment for all, Odoo's multi-record paths). A failure is raised to the caller."""
        channel = self.channel_id.with_company(self.channel_id.company_id)
        planned = []  # (staged order, sale order values, carrier and price, how the customer was found)
        for record in self:
            order_data = parsed[record]
            if not record._settled_without_import(order_data, lookups):
                planned.append((record, *record._sale_order_plan(channel, order_data, lookups)))
        if not planned:
            return
        orders = self.env["sale.order"].with_company(channel.company_id).create([plan[1] for plan in planned])
        for (_record, _values, shipping, _how), order in zip(planned, orders, strict=True):
            if shipping:
                order.set_delivery_line(*shipping)
        orders._oms_process()  # policies, then the channel's workflow: confirm (routed), invoice when paid
        orders.filtered(lambda order: order.state in ("draft", "sent"))._oms_route()  # where they would ship from
        matched_by = {
            "email": self.env._("customer matched by e-mail"),
            "vat": self.env._("customer matched by VAT number"),
            "phone": self.env._("customer matched by phone"),
            "new": self.env._("new customer created"),
        }
        bodies = {}
        for (record, _values, _shipping, how), order in zip(planned, orders, strict=True):
            record._oms_write(
                {"state": "imported", "sale_order_id": order.id, "error_category": False, "error_message": False}
            )
            bodies[order.id] = Markup(
                self.env._("Imported from channel <b>%(channel)s</b>, order %(ref)s; %(matched_by)s.")
            ) % {
                "channel": channel.name,
                "ref": order.oms_channel_ref,
                "matched_by": matched_by[how],
            }
        # Logged notes: they tell where the orders came from without notifying followers of every import.
        orders._message_log_batch(bodies=bodies)

    def _settled_without_import(self, order_data, lookups):
        """True when the staged order needs no sale order: already entered another way, or cancelled."""
        existing_order = lookups["orders_by_ref"].get(order_data.external_id)
        if existing_order:
            self._oms_write({"state": "duplicate", "sale_order_id": existing_order})
            return True
        if order_data.status == "cancelled":
            self._oms_write({"state": "cancelled"})
            return True
        return False

    def _sale_order_plan(self, channel, order_data, lookups):
        """(sale order values, (carrier, price) or None, how the customer was found) of one staged order; the
        customer and addresses are found or created on the way."""
        product_ids = match_lines(order_data, lookups["by_binding"], lookups["by_sku"], lookups["by_barcode"])
        self._check_quantities(order_data, product_ids)
        pricelist = self._pricelist_for(channel, order_data.currency, lookups)
        shipping = self._shipping_for(channel, order_data, lookups)
        partner, invoice_partner, delivery_partner, how = self._customer_for(channel, order_data, lookups)
        order_vals = {
            "partner_id": partner.id,
            "partner_invoice_id": invoice_partner.id,
            "partner_shipping_id": delivery_partner.id,
            "company_id": channel.company_id.id,
            "pricelist_id": pricelist.id,
            "team_id": channel.team_id.id,
            "user_id": channel.user_id.id,
            "client_order_ref": order_data.external_id,
            "oms_channel_id": channel.id,
            "oms_channel_ref": order_data.external_id,
            "oms_routing_strategy_id": channel.routing_strategy_id.id,
            "oms_paid_on_channel": order_data.paid,
            "note": order_data.note or False,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": product_id,
                        "product_uom_qty": line.quantity,
                        "price_unit": line.unit_price,
                        "discount": line.discount,
                    }
                )
                for line, product_id in zip(order_data.lines, product_ids, strict=True)
            ],
        }
        if order_data.order_date:
            order_vals["date_order"] = order_data.order_date.replace(tzinfo=None)
        if channel.warehouse_id:
            order_vals["warehouse_id"] = channel.warehouse_id.id
        return order_vals, shipping, how

    @api.model
    def _check_quantities(self, order_data, product_ids):
        """A quantity the product's unit rounds to nothing (0.000000001 units) would become a line of zero."""
        products = self.env["product.product"].browse(product_ids)
        for index, (line, product) in enumerate(zip(order_data.lines, products, strict=True)):
            if float_is_zero(line.quantity, precision_rounding=product.uom_id.rounding):
                raise ChannelImportError(
                    "invalid_value",
                    self.env._(
                        "lines[%(index)s].quantity %(quantity)s is less than the smallest quantity of %(product)s",
                        index=index,
                        quantity=line.quantity,
                        product=product.display_name,
                    ),
                )

    @api.model
    def _shipping_for(self, channel, order_data, lookups):
        """(carrier, price) of the order's shipping line, or None when it has none."""
        if not order_data.shipping or not (order_data.shipping.method or order_data.shipping.price):
            return None
        carrier = lookups["carriers"].get(order_data.shipping.method) or channel.default_carrier_id
        if not carrier:
            raise ChannelImportError(
                "unknown_shipping",
                self.env._(
                    "shipping method %(method)s is not mapped to a carrier on channel %(channel)s",
                    method=order_data.shipping.method,
                    channel=channel.name,
                ),
            )
        return carrier, order_data.shipping.price

    # ------------------------------------------------------------------ lookups (a few queries per batch)

    @api.model
    def _lookups(self, channel, orders):
        customers = [order.customer for order in orders]
        lines = [line for order in orders for line in order.lines]
        company_ids = (channel.company_id.id, False)
        return {
            "orders_by_ref": self._existing_orders(channel, [order.external_id for order in orders]),
            **self._partner_lookups(customers, channel.company_id.id),
            **self._product_lookups(channel, lines, company_ids),
            "countries": self._countries_by_code(
                [address for order in orders for address in (order.billing_address, order.shipping_address)]
            ),
            "carriers": {mapping.method: mapping.carrier_id for mapping in channel.carrier_map_ids},
            "pricelists": {},
        }

    @api.model
    def _existing_orders(self, channel, refs):
        """Sale orders already made for these references (a manual entry, or an import outside staging)."""
        orders = self.env["sale.order"].search_read(
            [("oms_channel_id", "=", channel.id), ("oms_channel_ref", "in", refs)], ["oms_channel_ref"]
        )
        return {order["oms_channel_ref"]: order["id"] for order in orders}

    @api.model
    def _partner_lookups(self, customers, company_id):
        """{"by_email"|"by_vat"|"by_phone": {normalized key: partner id}}: one query per key, for the whole batch,
        each comparing the same normalization in SQL as :mod:`..services.matching` applies to the orders."""
        wanted = {
            "by_email": {normalize_email(customer.email) for customer in customers if customer.email},
            "by_vat": {normalize_vat(customer.vat) for customer in customers if customer.vat},
            "by_phone": {normalize_phone(customer.phone) for customer in customers if customer.phone},
        }
        lookups = {}
        for table, expression in PARTNER_MATCH_KEYS.items():
            lookups[table] = {}
            if wanted[table]:
                key = SQL(expression)
                self.env.cr.execute(
                    SQL(
                        "SELECT %s, min(id) FROM res_partner WHERE active"
                        " AND (company_id IS NULL OR company_id = %s) AND %s IN %s GROUP BY 1",
                        key,
                        company_id,
                        key,
                        tuple(wanted[table]),
                    )
                )
                lookups[table] = dict(self.env.cr.fetchall())
        return lookups

    @api.model
    def _product_lookups(self, channel, lines, company_ids):
        skus = {line.sku for line in lines if line.sku}
        barcodes = {line.barcode for line in lines if line.barcode}
        binding_keys = {line.channel_product_id for line in lines if line.channel_product_id} | skus
        by_binding = {}
        if binding_keys:
            for binding in self.env["oms.channel.product"].search_read(
                [
                    ("channel_id", "=", channel.id),
                    "|",
                    ("external_id", "in", list(binding_keys)),
                    ("external_sku", "in", list(binding_keys)),
                ],
                ["external_id", "external_sku", "product_id"],
            ):
                for key in (binding["external_id"], binding["external_sku"]):
                    if key:
                        by_binding[key] = binding["product_id"][0]
        product_domain = [("sale_ok", "=", True), ("company_id", "in", company_ids)]
        by_sku = {}
        if skus:
            for product in self.env["product.product"].search_read(
                [*product_domain, ("default_code", "in", list(skus))], ["default_code"], order="id"
            ):
                by_sku.setdefault(product["default_code"], product["id"])
        by_barcode = {}
        if barcodes:
            for product in self.env["product.product"].search_read(
                [*product_domain, ("barcode", "in", list(barcodes))], ["barcode"], order="id"
            ):
                by_barcode.setdefault(product["barcode"], product["id"])
        return {"by_binding": by_binding, "by_sku": by_sku, "by_barcode": by_barcode}

    @api.model
    def _countries_by_code(self, addresses):
        codes = {address.country_code for address in addresses if address and address.country_code}
        if not codes:
            return {}
        return {country.code: country for country in self.env["res.country"].search([("code", "in", list(codes))])}

    @api.model
    def _pricelist_for(self, channel, currency_code, lookups):
        cache = lookups["pricelists"]
        if currency_code not in cache:
            pricelist = channel.pricelist_id
            if not pricelist or pricelist.currency_id.name != currency_code:
                pricelist = self.env["product.pricelist"].search(
                    [
                        ("currency_id.name", "=", currency_code),
                        ("currency_id.active", "=", True),
                        ("company_id", "in", (channel.company_id.id, False)),
                    ],
                    limit=1,
                )
            cache[currency_code] = pricelist
        if not cache[currency_code]:
            raise ChannelImportError(
                "unknown_currency",
                self.env._(
                    "currency %(currency)s has no active pricelist in company %(company)s: "
                    "activate it and add a pricelist in it",
                    currency=currency_code,
                    company=channel.company_id.name,
                ),
            )
        return cache[currency_code]

    def _customer_for(self, channel, order_data, lookups):
        """The customer (found by email, VAT or phone, else created) and its invoice and delivery addresses."""
        partner_id, how = match_customer(
            order_data.customer, lookups["by_email"], lookups["by_vat"], lookups["by_phone"]
        )
        partners = self.env["res.partner"]
        countries = lookups["countries"]
        if partner_id:
            partner = partners.browse(partner_id)
        else:
            partner = partners.create(
                {
                    **self._address_vals(order_data.billing_address, countries, partners, "contact"),
                    "name": order_data.customer.name,
                    "email": order_data.customer.email or False,
                    "phone": order_data.customer.phone or order_data.billing_address.phone or False,
                    "vat": order_data.customer.vat or False,
                    "company_id": False,
                }
            )
            # The next orders of this batch find the customer just created; other workers collide on its keys.
            customer = order_data.customer
            keys = []
            for key, table in (
                (customer.email and normalize_email(customer.email), "by_email"),
                (customer.vat and normalize_vat(customer.vat), "by_vat"),
                (customer.phone and normalize_phone(customer.phone), "by_phone"),
            ):
                if key:
                    lookups[table][key] = partner.id
                    keys.append(f"{table}:{key}")
            self.env["oms.channel.customer.key"]._reserve(partner, keys)
        invoice = partner
        delivery = partner
        if order_data.shipping_address != order_data.billing_address or how != "new":
            delivery = self._find_or_create_address(partner, order_data.shipping_address, countries)
        return partner, invoice, delivery, how

    def _find_or_create_address(self, partner, address, countries):
        """Reuse the customer's own address when it is the same place, else add a delivery address."""
        for candidate in partner | partner.child_ids:
            if (
                (candidate.street or "") == (address.street or "")
                and (candidate.zip or "") == (address.zip or "")
                and candidate.country_id.code == address.country_code
            ):
                return candidate
        return self.env["res.partner"].create(self._address_vals(address, countries, partner, "delivery"))

    @api.model
    def _address_vals(self, address, countries, parent, address_type):
        country = countries.get(address.country_code)
        if not country:
            raise ChannelImportError("unknown_country", self.env._("unknown country code %s", address.country_code))
        vals = {
            "type": address_type,
            "street": address.street,
            "street2": address.street2 or False,
            "city": address.city,
            "zip": address.zip or False,
            "country_id": country.id,
            "partner_latitude": address.latitude or 0.0,
            "partner_longitude": address.longitude or 0.0,
        }
        if parent:
            vals.update(parent_id=parent.id, name=address.name or parent.name)
        if address.state:
            state = self.env["res.country.state"].search(
                [
                    ("country_id", "=", country.id),
                    "|",
                    ("code", "=ilike", address.state),
                    ("name", "=ilike", address.state),
                ],
                limit=1,
            )
            vals["state_id"] = state.id
        return vals

    # ------------------------------------------------------------------ actions

    def action_retry(self):
        """Import again the orders in error (after fixing a binding, a currency, a carrier mapping...)."""
        retried = self.filtered(lambda record: record.state == "error")
        for record in retried:
            payload = record.payload
            try:
                data = parse_payload(payload)
            except ChannelOrderError as error:
                record._set_error(error.category, str(error))
                continue
            vals = {"state": "new", "error_category": False, "error_message": False, **self._summary_of(data)}
            self._validate_received(data, vals, [])
            record._oms_write(vals)
        retried.filtered(lambda record: record.state == "new")._import()
        return True

    def action_open_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }
