import logging
import threading
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.errors import ConnectorError

_logger = logging.getLogger(__name__)

# Advisory-lock namespace of channel syncs: two cron workers never pull the same channel at once.
SYNC_LOCK_NAMESPACE = 72_611
FETCH_BATCH_SIZE = 100


class OmsChannelPull(models.Model):
    """Pulling orders: new and updated orders since the cursor are staged, a page at a time, then imported."""

    _inherit = "oms.channel"

    sync_interval = fields.Integer("Sync Every (minutes)", default=15)
    sync_cursor = fields.Datetime(
        "Synced Up To", copy=False, help="Newest order update already pulled; the next pull asks for later ones."
    )
    # What the last pull itself did, never overwritten by a stock push or a webhook.
    last_sync_at = fields.Datetime("Last Pull", copy=False, readonly=True)
    last_sync_ok = fields.Boolean("Last Pull Succeeded", copy=False, readonly=True)
    last_sync_received = fields.Integer("Orders Received", copy=False, readonly=True)
    last_sync_quarantined = fields.Integer(
        "Orders Quarantined", copy=False, readonly=True, help="Orders of the last pull kept in error with their reason."
    )
    last_sync_message = fields.Text("Last Pull Outcome", copy=False, readonly=True)

    _sql_constraints = [
        ("sync_interval_positive", "CHECK(sync_interval > 0)", "The sync interval must be at least one minute."),
    ]

    def action_sync_now(self):
        for channel in self:
            channel._sync_orders()
        return True

    @api.model
    def _cron_sync_channels(self, limit=10):
        """Pull the channels that are due, a few per run; the cron runs again while some remain."""
        now = fields.Datetime.now()
        due = self.search([("active", "=", True), ("connector", "in", ("rest", "soap"))]).filtered(
            lambda channel: not channel.last_sync_at
            or channel.last_sync_at + timedelta(minutes=channel.sync_interval) <= now
        )
        batch = due[:limit]
        for done, channel in enumerate(batch, start=1):
            channel._sync_orders()
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)

    def _sync_orders(self):
        """Pull new and updated orders since the cursor into staging, then import them with the other workers.

        One worker pulls a channel at a time (an advisory lock); the import that follows is shared: the import
        scheduled actions are woken up, and this worker imports too, claiming batches as they do.
        """
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (SYNC_LOCK_NAMESPACE, self.id))
        if not cr.fetchone()[0]:
            _logger.info("channel %s is being synced by another worker, skipped", self.code)
            return False
        try:
            received, error = self._pull_into_staging()
            self._write_pull_outcome(received, error)
            self._commit_batch()
        finally:
            cr.execute("SELECT pg_advisory_unlock(%s, %s)", (SYNC_LOCK_NAMESPACE, self.id))
        staging_model = self.env["oms.channel.order"]
        staging_model._trigger_import()
        staging_model._import_pending(self)
        # Orders that failed at import count as quarantined too.
        received.invalidate_recordset(["state"])
        self._write_pull_outcome(received, error)
        self._commit_batch()
        return not error

    def _pull_into_staging(self):
        """(staged records, error message or None). Every page is committed as it is staged; one order that cannot
        be staged is quarantined alone. A fault of the channel (time-out, 5xx after retries, wrong credentials) or
        of this code ends the pull with the reason, never the cron run."""
        staging_model = self.env["oms.channel.order"]
        received = staging_model
        try:
            connector = self._get_connector()
            batch = []
            for payload in connector.fetch_orders(self.sync_cursor or None):
                batch.append(payload)
                if len(batch) >= FETCH_BATCH_SIZE:
                    received |= staging_model._receive(self, batch)
                    self._commit_batch()
                    batch = []
            received |= staging_model._receive(self, batch)
        except (ConnectorError, UserError) as error:
            return received, str(error)
        except Exception as error:  # noqa: BLE001 - the cron goes on with the next channel; the log has the trace
            _logger.exception("pulling channel %s failed", self.code)
            return received, self.env._("internal error: %s", staging_model._describe_exception(error))
        return received, None

    def _write_pull_outcome(self, received, error):
        quarantined = len(received.filtered(lambda record: record.state == "error"))
        outcome = self.env._(
            "%(received)s order(s) received, %(quarantined)s quarantined.",
            received=len(received),
            quarantined=quarantined,
        )
        vals = {
            "last_sync_at": fields.Datetime.now(),
            "last_sync_ok": not error,
            "last_sync_received": len(received),
            "last_sync_quarantined": quarantined,
            "last_sync_message": f"{outcome} {self._redact_credentials(error)}" if error else outcome,
        }
        if not error:
            # Only what this pull received moves the cursor: a webhook's newer order must not make it skip any.
            vals["sync_cursor"] = max(
                filter(None, [self.sync_cursor, *received.mapped("order_updated_at")]), default=False
            )
        self.write(vals)

    def _receive_orders(self, payloads, source="manual"):
        """Stage payloads (dicts, or raw bytes as received) and import the new ones: webhooks, uploads, demo."""
        self.ensure_one()
        records = self.env["oms.channel.order"]._receive(self, payloads, source=source)
        records.filtered(lambda record: record.state == "new")._import()
        return records

    def _commit_batch(self):
        """Commit what a batch did, so a later failure never rolls it back (not inside tests' transaction)."""
        if not self._in_test_transaction():
            # pylint: disable=invalid-commit
            # The pull's batch boundary: staged payloads (and imported batches) are kept whatever fails next.
            self.env.cr.commit()

    @api.model
    def _in_test_transaction(self):
        """True inside a test's shared transaction, which nothing may commit or roll back, and where no other
        transaction may be opened: a test thread (pytest-odoo's, Odoo's test runner) or an HTTP test's request."""
        return getattr(threading.current_thread(), "testing", False) or self.env.registry.in_test_mode()
