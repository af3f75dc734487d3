import json

from odoo import fields, models

from ..services.payload import json_text

# Staged orders a worker claims and imports at once (see oms_channel_order_claim.py).
IMPORT_BATCH_SIZE = 50
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

    def _payload_data(self):
        """The staged order in the channel-order schema: the payload, mapped from the platform's shape when the
        channel runs on one (raises ChannelOrderError when it cannot be)."""
        try:
            data = json.loads(json_text(self.payload or "{}"))
        except ValueError:
            return {}
        return self.channel_id._channel_order_of(data) if isinstance(data, dict) else data

    def action_open_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }
