from odoo import fields, models
from odoo.tools import SQL


class OmsChannelWebhook(models.Model):
    """Orders pushed by the channel to its webhook address, and the bodies refused for their signature."""

    _inherit = "oms.channel"

    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook Address")
    webhook_refused_count = fields.Integer(
        "Refused Webhooks",
        copy=False,
        readonly=True,
        help="Bodies pushed to the webhook address whose signature did not match the secret: a wrong secret on the "
        "channel's side, or someone else. They are not stored.",
    )
    webhook_refused_at = fields.Datetime("Last Refused Webhook", copy=False, readonly=True)

    def _compute_webhook_url(self):
        base_url = self.get_base_url()
        for channel in self:
            channel.webhook_url = f"{base_url}/oms/webhook/{channel.id}" if channel.id else False

    def _count_refused_webhook(self):
        """One more body refused for its signature. Counted in a transaction of its own at READ COMMITTED, so that
        refusals arriving together add up instead of failing on each other's update of the channel."""
        self.ensure_one()
        query = SQL(
            "UPDATE oms_channel SET webhook_refused_count = coalesce(webhook_refused_count, 0) + 1,"
            " webhook_refused_at = %s WHERE id = %s",
            fields.Datetime.now(),
            self.id,
        )
        self.invalidate_recordset(["webhook_refused_count", "webhook_refused_at"])
        if self._in_test_transaction():
            self.env.cr.execute(query)  # tests share one transaction: there is no other to open
            return
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute(query)
