from odoo import fields, models
from odoo.tools import SQL, mute_logger


class OmsChannelCustomerKey(models.Model):
    """The e-mail, VAT number and phone of each customer the intake created, unique: two import workers creating
    the same new customer at once collide here, and the second one imports its batch again, finding the first's
    customer. Written by the intake only."""

    _name = "oms.channel.customer.key"
    _description = "Channel Customer Key"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade")

    _sql_constraints = [("key_uniq", "unique(key)", "This customer key is taken.")]

    def _reserve(self, keys):
        """Take the keys, [(key, partner id)], of customers just created. A key another worker took after this
        transaction began makes PostgreSQL refuse it (a serialization failure), so the caller's batch is imported
        again; one taken long ago (its customer was since renamed or archived) is left to it."""
        if not keys:
            return
        keys = sorted(keys)  # two workers taking the same keys take them in the same order: no deadlock
        # The collision is expected and handled by the caller: not a "bad query" for the server's log.
        with mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                SQL(
                    "INSERT INTO oms_channel_customer_key (key, partner_id)"
                    " SELECT unnest(%s::varchar[]), unnest(%s::int[]) ON CONFLICT (key) DO NOTHING",
                    [key for key, _partner_id in keys],
                    [partner_id for _key, partner_id in keys],
                )
            )
