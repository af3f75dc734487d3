from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_is_zero

from ..services.cart_event import parse_cart_event
from ..services.matching import UnknownProductsError, match_product, normalize_email
from ..services.payload import payload_fingerprint


class OmsChannelCart(models.Model):
    """A customer's cart on a channel, kept up to date by the channel's cart events (see services/cart_event.py):
    what sits in carts without being sold yet, and whom to remind when a cart is abandoned."""

    _name = "oms.channel.cart"
    _description = "Channel Cart"
    _inherit = ["mail.thread"]
    _order = "last_event_at desc, id desc"
    _rec_name = "cart_ref"

    channel_id = fields.Many2one("oms.channel", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    cart_ref = fields.Char("Cart Reference", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index="btree_not_null",
        help="The contact whose e-mail is the cart's.",
    )
    email = fields.Char(readonly=True)
    customer_name = fields.Char(readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("abandoned", "Abandoned"), ("ordered", "Ordered")],
        required=True,
        default="open",
        index=True,
        readonly=True,
    )
    last_event_at = fields.Datetime("Last Event", readonly=True)
    last_event_fingerprint = fields.Char(readonly=True, help="Fingerprint of the last event, to skip its replays.")
    abandoned_at = fields.Datetime("Abandoned On", readonly=True)
    reminder_sent_at = fields.Datetime("Reminder Sent On", readonly=True, copy=False)
    line_ids = fields.One2many("oms.channel.cart.line", "cart_id", string="Lines", readonly=True)
    line_count = fields.Integer("Products", compute="_compute_totals", store=True)
    quantity_total = fields.Float("Quantity", compute="_compute_totals", store=True, digits="Product Unit of Measure")

    _sql_constraints = [
        (
            "channel_cart_ref_uniq",
            "unique(channel_id, cart_ref)",
            "This channel already has a cart with this reference.",
        )
    ]

    @api.depends("line_ids.quantity")
    def _compute_totals(self):
        for cart in self:
            cart.line_count = len(cart.line_ids)
            cart.quantity_total = sum(cart.line_ids.mapped("quantity"))

    # ------------------------------------------------------------------ receiving events

    @api.model
    def _receive_event(self, channel, data):
        """Apply one cart event (a dict) of the channel and return its cart.

        Raises ChannelOrderError for an invalid event or an unknown product, before anything is stored. Events
        may arrive late or twice: an exact replay of the cart's last event is skipped, an event older than the
        cart's last one changes its lines but not its state, and an ordered cart ignores older events.
        """
        event = parse_cart_event(data)
        product_id = self._product_of(channel, event) if event.changes_lines else None
        cart = self.search([("channel_id", "=", channel.id), ("cart_ref", "=", event.cart_id)])
        # Without its time, an identical event may be a second, genuine "add one more": only timed ones are replays.
        fingerprint = payload_fingerprint(data) if event.occurred_at else False
        if not cart:
            # A concurrent first event of the same cart fails on the unique constraint; the channel delivers it again.
            # Carts come by the thousand: their chatter keeps the reminders only, without "created" notes.
            cart = self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True).create(
                {"channel_id": channel.id, "cart_ref": event.cart_id}
            )
        elif fingerprint and cart.last_event_fingerprint == fingerprint:
            return cart
        occurred_at = event.occurred_at.replace(tzinfo=None) if event.occurred_at else fields.Datetime.now()
        cart._apply_event(event, product_id, occurred_at, fingerprint)
        return cart

    @api.model
    def _product_of(self, channel, event):
        """The product an event names: it has an order line's sku, barcode and channel_product_id, matched alike."""
        lookups = self.env["oms.channel.order"]._product_lookups(channel, [event], (channel.company_id.id, False))
        product_id, _how = match_product(event, lookups["by_binding"], lookups["by_sku"], lookups["by_barcode"])
        if product_id is None:
            raise UnknownProductsError([event])
        return product_id

    def _apply_event(self, event, product_id, occurred_at, fingerprint):
        self.ensure_one()
        is_older = bool(self.last_event_at) and occurred_at < self.last_event_at
        vals = {
            "last_event_at": max(filter(None, [self.last_event_at, occurred_at])),
            "last_event_fingerprint": fingerprint,
        }
        if self.state == "ordered":
            # An ordered cart's content became an order: only a later line event starts it again, empty.
            if not event.changes_lines or occurred_at <= self.last_event_at:
                return
            self.line_ids.unlink()
            vals.update(state="open", abandoned_at=False)
        elif is_older:
            pass  # a late event tells nothing about the cart's state now
        elif event.event == "cart.ordered":
            vals["state"] = "ordered"
        elif event.event == "cart.abandoned":
            vals.update(state="abandoned", abandoned_at=occurred_at)
        else:
            vals.update(state="open", abandoned_at=False)
        vals.update(self._customer_vals(event, is_older))
        self.write(vals)
        if event.event == "cart.added":
            self._change_quantity(product_id, event.quantity)
        elif event.event == "cart.removed":
            self._change_quantity(product_id, -event.quantity)

    def _customer_vals(self, event, is_older):
        """Who the cart belongs to, from the newest event that tells it."""
        vals = {}
        if event.email and not (is_older and self.email):
            partner = self.env["res.partner"].search(
                [
                    ("email_normalized", "=", normalize_email(event.email)),
                    ("company_id", "in", (self.company_id.id, False)),
                ],
                order="id",
                limit=1,
            )
            vals.update(email=event.email, partner_id=partner.id)
        if event.customer_name and not (is_older and self.customer_name):
            vals["customer_name"] = event.customer_name
        return vals

    def _change_quantity(self, product_id, quantity):
        """Add (or remove, when negative) a quantity of a product; a line that reaches zero is dropped."""
        line = self.line_ids.filtered(lambda cart_line: cart_line.product_id.id == product_id)
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        new_quantity = (line.quantity if line else 0.0) + quantity
        if new_quantity <= 0 or float_is_zero(new_quantity, precision_digits=precision):
            line.unlink()
        elif line:
            line.quantity = new_quantity
        else:
            self.env["oms.channel.cart.line"].create(
                {"cart_id": self.id, "product_id": product_id, "quantity": new_quantity}
            )

    # ------------------------------------------------------------------ reminders

    @api.model
    def _cron_send_abandoned_cart_reminders(self, now=None):
        """Queue the channel's reminder for each cart abandoned longer than the channel's delay, once per cart.

        Only carts with products and an e-mail are reminded; channels without a template send none.
        """
        now = now or fields.Datetime.now()
        for channel in self.env["oms.channel"].search([("abandoned_cart_template_id", "!=", False)]):
            carts = self.search(
                [
                    ("channel_id", "=", channel.id),
                    ("state", "=", "abandoned"),
                    ("abandoned_at", "<=", now - timedelta(hours=channel.abandoned_cart_delay)),
                    ("reminder_sent_at", "=", False),
                    ("email", "!=", False),
                    ("line_ids", "!=", False),
                ]
            )
            for cart in carts:
                channel.abandoned_cart_template_id.send_mail(cart.id)
            carts.reminder_sent_at = now
