import logging

import psycopg2

from odoo import api, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from .oms_channel_order import IMPORT_BATCH_SIZE

_logger = logging.getLogger(__name__)

CLAIM_ATTEMPTS = 3
MAX_COLLISIONS = 5
# Scheduled actions that import staged orders, each claiming its own batches: as many import at once as there are
# free cron workers (one scheduled action runs on one worker at a time).
IMPORT_CRON_XMLIDS = tuple(f"oms_channels.ir_cron_import_staged_{number}" for number in range(1, 5))


class OmsChannelOrderClaim(models.Model):
    """Which worker imports which staged orders: batches claimed with SKIP LOCKED, each committed, by the pull and
    by several import scheduled actions at once."""

    _inherit = "oms.channel.order"

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
            if self.env["oms.channel"]._in_test_transaction():
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
                if attempt == CLAIM_ATTEMPTS - 1 or self.env["oms.channel"]._in_test_transaction():
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
