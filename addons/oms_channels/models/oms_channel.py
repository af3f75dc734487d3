import logging
import threading
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.oms_intelligent.services.redact import redact, url_secrets
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..services.errors import ConnectorError
from ..services.rest_connector import RestConnector
from ..services.soap_connector import SoapConnector

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "oms_intelligent.group_oms_manager"
# Advisory-lock namespace of channel syncs: two cron workers never pull the same channel at once.
SYNC_LOCK_NAMESPACE = 72_611
FETCH_BATCH_SIZE = 100


class OmsChannel(models.Model):
    _name = "oms.channel"
    _description = "Sales Channel"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, help="Short code shown on orders and used in the webhook address, e.g. AMZ-ES.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    kind = fields.Selection(
        [
            ("web_shop", "Web Shop"),
            ("marketplace", "Marketplace"),
            ("phone", "Phone / Customer Service"),
            ("store", "In-Store"),
            ("edi", "EDI"),
        ],
        required=True,
        default="web_shop",
        tracking=True,
    )
    connector = fields.Selection(
        [
            ("rest", "REST API (pull)"),
            ("soap", "SOAP web service (pull)"),
            ("webhook", "Webhook (push)"),
            ("manual", "Manual entry"),
        ],
        required=True,
        default="manual",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist",
        check_company=True,
        help="Pricelist of orders in its currency; orders in another currency use the company's pricelist in theirs.",
    )
    currency_id = fields.Many2one(related="pricelist_id.currency_id", string="Currency")
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Default Warehouse", check_company=True, help="Warehouse of imported orders."
    )
    stock_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Sells Stock From",
        check_company=True,
        help="Warehouses whose available stock is pushed to the channel; all of the company's when empty.",
    )
    routing_strategy_id = fields.Many2one(
        "oms.routing.strategy",
        check_company=True,
        help="How this channel's orders choose their warehouses; the company's default strategy when empty.",
    )
    workflow_id = fields.Many2one(
        "oms.order.workflow",
        "Order Workflow",
        check_company=True,
        help="What happens to imported orders once the policies pass (confirm, invoice); the company's default "
        "for the customer type when empty, and quotations when there is none.",
    )
    default_carrier_id = fields.Many2one(
        "delivery.carrier", string="Default Carrier", help="Carrier of orders whose shipping method is not mapped."
    )
    carrier_map_ids = fields.One2many("oms.channel.carrier", "channel_id", string="Shipping Methods")
    product_binding_ids = fields.One2many("oms.channel.product", "channel_id", string="Product Bindings")

    # Credentials: only OMS managers read or write them; they are never tracked in the chatter.
    endpoint_url = fields.Char("Endpoint URL", groups=MANAGER_GROUP, help="REST base URL or SOAP WSDL URL.")
    api_key = fields.Char("API Key", groups=MANAGER_GROUP, copy=False)
    webhook_secret = fields.Char(
        groups=MANAGER_GROUP, copy=False, help="Shared secret of the HMAC-SHA256 signature of pushed orders."
    )
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook Address")

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
    push_stock = fields.Boolean("Push Stock", help="Send available stock to the channel by a scheduled action.")
    last_stock_push_at = fields.Datetime("Last Stock Push", copy=False, readonly=True)
    last_stock_push_ok = fields.Boolean("Last Stock Push Succeeded", copy=False, readonly=True)
    last_stock_push_message = fields.Text("Last Stock Push Outcome", copy=False, readonly=True)
    webhook_refused_count = fields.Integer(
        "Refused Webhooks",
        copy=False,
        readonly=True,
        help="Bodies pushed to the webhook address whose signature did not match the secret: a wrong secret on the "
        "channel's side, or someone else. They are not stored.",
    )
    webhook_refused_at = fields.Datetime("Last Refused Webhook", copy=False, readonly=True)

    # Orders above these limits are imported but held for a person ("Unusual quantity or amount" policy).
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    max_line_quantity = fields.Float(
        "Max Quantity per Line",
        default=10_000,
        digits="Product Unit of Measure",
        help="An imported order with a line above this quantity is held for a person; 0: no limit.",
    )
    max_order_amount = fields.Monetary(
        "Max Order Amount",
        currency_field="company_currency_id",
        default=1_000_000,
        help="An imported order above this total (in the company's currency) is held for a person; 0: no limit.",
    )

    staging_ids = fields.One2many("oms.channel.order", "channel_id", string="Channel Orders")
    order_count_today = fields.Integer(compute="_compute_dashboard")
    error_count = fields.Integer(compute="_compute_dashboard")
    pending_count = fields.Integer(compute="_compute_dashboard")

    # Carts: what the channel's customers hold in their carts, and the reminder of abandoned ones.
    abandoned_cart_delay = fields.Float(
        "Remind Abandoned Carts After (hours)",
        default=24.0,
        help="Hours between the channel's abandoned-cart event and the reminder e-mail.",
    )
    abandoned_cart_template_id = fields.Many2one(
        "mail.template",
        string="Abandoned-Cart E-mail",
        domain=[("model", "=", "oms.channel.cart")],
        default=lambda self: self.env.ref("oms_channels.mail_template_abandoned_cart", raise_if_not_found=False),
        help="E-mail sent to customers who abandoned their cart; none is sent when empty.",
    )
    cart_count_open = fields.Integer("Open Carts", compute="_compute_cart_totals")
    cart_reserved_qty = fields.Float(
        "Quantity in Open Carts", compute="_compute_cart_totals", digits="Product Unit of Measure"
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The channel code must be unique per company."),
        ("sync_interval_positive", "CHECK(sync_interval > 0)", "The sync interval must be at least one minute."),
        (
            "limits_not_negative",
            "CHECK(max_line_quantity >= 0 AND max_order_amount >= 0)",
            "The unusual-order limits cannot be negative.",
        ),
        (
            "abandoned_cart_delay_not_negative",
            "CHECK(abandoned_cart_delay >= 0)",
            "The abandoned-cart reminder delay cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        channels = super().create(vals_list)
        self.env["oms.order.policy"].sudo()._ensure_unusual_policy(channels.company_id)
        return channels

    def _compute_webhook_url(self):
        base_url = self.get_base_url()
        for channel in self:
            channel.webhook_url = f"{base_url}/oms/webhook/{channel.id}" if channel.id else False

    def _compute_dashboard(self):
        today_start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        counts = {
            (channel.id, state): count
            for channel, state, count in self.env["oms.channel.order"]._read_group(
                [("channel_id", "in", self.ids)], ["channel_id", "state"], ["__count"]
            )
        }
        today = dict(
            self.env["oms.channel.order"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "imported"), ("create_date", ">=", today_start)],
                ["channel_id"],
                ["__count"],
            )
        )
        for channel in self:
            channel.order_count_today = today.get(channel, 0)
            channel.error_count = counts.get((channel.id, "error"), 0)
            channel.pending_count = counts.get((channel.id, "new"), 0)

    def _compute_cart_totals(self):
        open_carts = {
            channel: (count, quantity)
            for channel, count, quantity in self.env["oms.channel.cart"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "open")],
                ["channel_id"],
                ["__count", "quantity_total:sum"],
            )
        }
        for channel in self:
            channel.cart_count_open, channel.cart_reserved_qty = open_carts.get(channel, (0, 0.0))

    # ------------------------------------------------------------------ connectors

    def _get_connector(self):
        """The plain-Python connector of this channel, built from its (manager-only) credentials."""
        self.ensure_one()
        credentials = self.sudo()
        if self.connector not in ("rest", "soap"):
            connector = dict(self._fields["connector"]._description_selection(self.env))[self.connector]
            raise UserError(
                self.env._(
                    "Channel %(channel)s does not pull orders: its connector is %(connector)s.",
                    channel=self.name,
                    connector=connector,
                )
            )
        if not credentials.endpoint_url:
            raise UserError(self.env._("Channel %s has no endpoint URL.", self.name))
        if self.connector == "rest":
            return RestConnector(credentials.endpoint_url, credentials.api_key or "")
        return SoapConnector(credentials.endpoint_url, credentials.api_key or "")

    def _redact_credentials(self, text):
        """``text`` without the channel's credentials nor its endpoint URL (manager-only): what is written where
        every OMS user reads it goes through here, whatever the connector or an unforeseen error said."""
        credentials = self.sudo()
        secrets = [credentials.api_key, credentials.webhook_secret, *url_secrets(credentials.endpoint_url)]
        return redact(text, secrets)

    def action_test_connection(self):
        self.ensure_one()
        # The button is for OMS managers only, and so is the method: it uses their credentials.
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Order Management managers may test a channel's connection."))
        try:
            message = self._get_connector().test_connection()
            kind, title = "success", self.env._("Connection works")
        except ConnectorError as error:
            message, kind, title = str(error), "danger", self.env._("Connection failed")
        message = self._redact_credentials(message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": title, "message": message, "type": kind, "sticky": kind == "danger"},
        }

    # ------------------------------------------------------------------ pulling orders

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
            for payload in connector.fetch_orders(self.sync_cursor):
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
        if self.env.registry.in_test_mode():
            self.env.cr.execute(query)  # tests share one transaction: there is no other to open
            return
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute(query)

    def _commit_batch(self):
        """Commit what a batch did, so a later failure never rolls it back (not inside tests' transaction)."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()

    # ------------------------------------------------------------------ pushing stock

    @api.model
    def _cron_push_stock(self):
        for channel in self.search([("active", "=", True), ("push_stock", "=", True), ("connector", "=", "rest")]):
            try:
                channel._push_stock()
            except (ConnectorError, UserError) as error:
                channel.write(
                    {
                        "last_stock_push_at": fields.Datetime.now(),
                        "last_stock_push_ok": False,
                        "last_stock_push_message": channel._redact_credentials(str(error)),
                    }
                )
            channel._commit_batch()

    def _push_stock(self):
        self.ensure_one()
        items = self._stock_to_push()
        self._get_connector().push_stock(items)
        self.write(
            {
                "last_stock_push_at": fields.Datetime.now(),
                "last_stock_push_ok": True,
                "last_stock_push_message": self.env._("Stock of %s product(s) sent.", len(items)),
            }
        )
        return items

    def _stock_to_push(self):
        """Free quantity (on hand less reserved) of the channel's products over the warehouses it sells from.

        The products are those bound to the channel, else every storable product with a SKU; the SKU sent is
        the channel's own when the binding has one. One grouped query for all products.
        """
        self.ensure_one()
        warehouses = self.stock_warehouse_ids or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)]
        )
        sku_of = {
            binding.product_id: binding.external_sku or binding.product_id.default_code
            for binding in self.product_binding_ids
        }
        if not sku_of:
            products = self.env["product.product"].search(
                [
                    ("is_storable", "=", True),
                    ("sale_ok", "=", True),
                    ("default_code", "!=", False),
                    ("company_id", "in", (self.company_id.id, False)),
                ]
            )
            sku_of = {product: product.default_code for product in products}
        free = {
            product: quantity - reserved
            for product, quantity, reserved in self.env["stock.quant"]._read_group(
                [
                    ("product_id", "in", [product.id for product in sku_of]),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.warehouse_id", "in", warehouses.ids),
                ],
                ["product_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        }
        return [
            {"sku": sku, "quantity": max(free.get(product, 0.0), 0.0)}
            for product, sku in sorted(sku_of.items(), key=lambda item: item[1] or "")
            if sku
        ]

    # ------------------------------------------------------------------ screens

    def action_open_staging(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_channels.action_oms_channel_order")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"default_channel_id": self.id, "search_default_filter_to_check": 1}
        return action

    def action_open_errors(self):
        action = self.action_open_staging()
        action["context"] = {"search_default_filter_error": 1, "search_default_group_error_category": 1}
        return action

    def action_open_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("oms_channel_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ carts

    def _cart_quantities_by_product(self):
        """{product id: quantity} held in the open carts of these channels, in one grouped query."""
        return {
            product.id: quantity
            for product, quantity in self.env["oms.channel.cart.line"]._read_group(
                [("channel_id", "in", self.ids), ("cart_id.state", "=", "open")], ["product_id"], ["quantity:sum"]
            )
        }

    def action_open_carts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_channels.action_oms_channel_cart")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
