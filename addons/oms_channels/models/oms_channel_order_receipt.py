import base64
import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..services.channel_order import parse_channel_order
from ..services.payload import (
    MAX_PAYLOAD_BYTES,
    ChannelOrderError,
    clean_text,
    external_id_of,
    parse_payload,
    payload_fingerprint,
    storable_json,
)
from ..services.platforms.staged import raw_external_id

_logger = logging.getLogger(__name__)


class OmsChannelOrderReceipt(models.Model):
    """Receiving: a payload is stored as it came, a replay counted, a new version taken (and applied to the sale
    order when imported), an invalid one quarantined at once with every problem."""

    _inherit = "oms.channel.order"

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
        order_data = None
        if data is None:
            fingerprint = payload_fingerprint({"raw": raw_text})
            vals.update(payload=raw_text, fingerprint=fingerprint, external_ref=f"invalid-{fingerprint[:16]}")
        else:
            fingerprint = payload_fingerprint(data)
            order_data = self._mapped_received(channel, data, vals)
            external_ref = external_id_of(order_data) or raw_external_id(channel.platform, data)
            vals.update(
                payload=raw_text if raw_text is not None else storable_json(data),
                fingerprint=fingerprint,
                external_ref=external_ref or f"missing-{fingerprint[:16]}",
                **self._summary_of(order_data or {}),
            )
            if order_data is not None:
                self._validate_received(order_data, vals, notes)
        vals["intake_notes"] = "\n".join(notes) or False
        vals["_data"] = order_data
        return vals

    @api.model
    def _mapped_received(self, channel, data, vals):
        """The channel order of a platform's payload (the payload itself on an OMS-schema channel), or None with
        the order quarantined when it lacks what the mapping needs, the platform's field named."""
        try:
            return channel._channel_order_of(data)
        except ChannelOrderError as error:
            vals.update(state="error", error_category=error.category, error_message=clean_text(str(error)))
            return None

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
        vals["amount_total"] = (
            order.grand_total
            if order.grand_total is not None
            else sum(line.quantity * line.unit_price for line in order.lines)
        )
        vals["order_updated_at"] = (order.updated_at or order.order_date or fields.Datetime.now()).replace(tzinfo=None)
        if order.cleaned:
            notes.append(self.env._("Control characters were removed from: %s.", ", ".join(order.cleaned)))

    @staticmethod
    def _summary_text(value, size):
        if isinstance(value, bool) or not isinstance(value, str | int):
            return False
        return clean_text(str(value))[:size] or False

    @api.model
    def _receive_deletion(self, channel, external_ref):
        """The platform threw an order away (WooCommerce's trash; its pull never shows it again): an order not
        imported yet is cancelled, an imported one is cancelled as a channel's cancellation is (flagged for a
        person when it has shipped). The staged payload stays the last order received. Returns the staged order,
        empty when this order never came."""
        record = self.search([("channel_id", "=", channel.id), ("external_ref", "=", external_ref or "")], limit=1)
        if record.state == "imported":
            previous = record._payload_data()
            record._apply_update(previous, {**previous, "status": "cancelled"})
        elif record.state in ("new", "error"):
            record._oms_write({"state": "cancelled"})
        if record:
            record._count_receipt()
        return record

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
            # Another worker stored the same order between our read and this insert: its record is found below.
            _logger.debug("channel order %s was stored by another worker first", vals["external_ref"])
        domain = [("channel_id", "=", vals["channel_id"]), ("external_ref", "=", vals["external_ref"])]
        return self.search(domain), False

    def _is_older_version(self, vals):
        """Whether this version was updated on the channel before the one kept: webhooks and pulls may bring an
        order's versions out of order, and an older one must not undo a newer one."""
        received_at, kept_at = vals.get("order_updated_at"), self.order_updated_at
        return bool(received_at and kept_at and vals.get("state") != "error" and received_at < kept_at)

    def _register_replay(self, vals, data):
        """The order came again: count a replay of the same version, or take the new version."""
        self.ensure_one()
        if self.fingerprint == vals["fingerprint"] or self._is_older_version(vals):
            self._count_receipt()
            return
        now = fields.Datetime.now()
        previous = self._payload_data() if self.state == "imported" else {}
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
