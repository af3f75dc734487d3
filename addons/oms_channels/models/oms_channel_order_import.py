import logging

from markupsafe import Markup

from odoo import fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..services.channel_order import ChannelOrderError, parse_channel_order
from ..services.import_plan import NewPartner, plan_batch

_logger = logging.getLogger(__name__)


class OmsChannelOrderImport(models.Model):
    """Staged orders become sale orders, going down once: parse (services.channel_order), plan
    (services.import_plan: customer, addresses, products, prices, each with its reason, on look-ups read for the
    whole batch) and apply (here: the plan written in a few queries)."""

    _inherit = "oms.channel.order"

    def _import(self, locked=False):
        """Turn staged orders into sale orders, the data they need read in a few queries per batch.

        A batch is first imported in one savepoint, so that Odoo batches its writes; when any of its orders
        fails, that savepoint is rolled back and the batch imported again with one savepoint per order, so that
        the good orders go through and each bad one is kept in error with its reason.
        """
        records = self if locked else self._lock_for_import()
        parsed = records._parse_staged()
        for channel, channel_records in self._group_by_channel(parsed):
            orders = [parsed[record] for record in channel_records]
            try:
                with self.env.cr.savepoint():
                    channel_records._import_together(parsed, self._lookups(channel, orders))
                continue
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # another worker's transaction: the batch is retried as a whole
            except Exception as error:  # noqa: BLE001 - rolled back: one order at a time below, each failure on its order
                _logger.info(
                    "channel %s: %s orders failed together (%s), imported one at a time",
                    channel.code,
                    len(channel_records),
                    error,
                )
            # Looked up again: customers created by the rolled-back attempt are gone.
            lookups = self._lookups(channel, orders)
            for record in channel_records:
                record._import_one(parsed[record], lookups)

    def _parse_staged(self):
        """{staged order: its parsed order}; an order that does not parse is kept in error."""
        parsed = {}
        for record in self:
            try:
                parsed[record] = parse_channel_order(record._payload_data())
            except ChannelOrderError as error:
                record._set_error(error.category, str(error))
            except Exception as error:  # noqa: BLE001 - a parser bug stops this order, not the batch
                record._set_internal_error(error)
        return parsed

    def _group_by_channel(self, parsed):
        by_channel = {}
        for record in parsed:
            by_channel.setdefault(record.channel_id, self.browse())
            by_channel[record.channel_id] |= record
        return by_channel.items()

    def _import_one(self, order_data, lookups):
        """Import one staged order in a savepoint of its own; a failure is kept as the order's error. The customers
        it created join the look-ups, for the next orders."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                created = self._import_together({self: order_data}, lookups)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # another worker's transaction: retried as a whole
        except Exception as error:  # noqa: BLE001 - every failure is this order's error, never the batch's
            self._set_import_error(error)
            return
        lookups.remember(created)

    def _import_together(self, parsed, lookups):
        """Import these staged orders of one channel at once, by their plan: the new customers and addresses in
        two creates, the sale orders in one, then put through the policies and the channel's workflow together
        (one confirmation with routing, one invoicing, posting and payment for all, Odoo's multi-record paths).
        An order the plan rejects is kept in error; a failure of the rest is raised to the caller. Returns
        {planned partner: id} of the partners created."""
        channel = self.channel_id.with_company(self.channel_id.company_id)
        plan = plan_batch([parsed[record] for record in self], lookups)
        to_create = []  # (staged order, its plan)
        for position, record in enumerate(self):
            if position in plan.rejected:
                record._set_import_error(plan.rejected[position])
            elif plan.orders[position].action == "duplicate":
                record._oms_write({"state": "duplicate", "sale_order_id": plan.orders[position].sale_order_id})
            elif plan.orders[position].action == "cancelled":
                record._oms_write({"state": "cancelled"})
            else:
                to_create.append((record, plan.orders[position]))
        created = self._create_planned_partners(plan)
        if to_create:
            self._create_sale_orders(channel, to_create, created)
        return created

    def _create_planned_partners(self, plan):
        """The plan's new customers in one create, then their new addresses in another; the customers' keys are
        reserved against another worker creating the same customer. Returns {planned partner: id}."""
        created = {}
        partners = self.env["res.partner"]
        for new_partners in (plan.new_customers, plan.new_addresses):
            if new_partners:
                records = partners.create([self._partner_vals(partner, created) for partner in new_partners])
                created.update(zip(new_partners, records.ids, strict=True))
        keys = [(key, created[partner]) for partner in plan.new_customers for key in partner.keys]
        self.env["oms.channel.customer.key"]._reserve(keys)
        return created

    def _partner_vals(self, partner, created):
        if partner.parent is None:
            return partner.values
        return {**partner.values, "parent_id": self._partner_id(partner.parent, created)}

    def _partner_id(self, partner, created):
        """The id of a partner of the plan: known, or created by it."""
        return created[partner] if isinstance(partner, NewPartner) else partner

    def _create_sale_orders(self, channel, to_create, created):
        """The sale orders of these (staged order, plan), created at once, processed, and noted as imported.
        An order whose total is not the channel's grand total is raised before anything confirms it."""
        plans = [plan for _record, plan in to_create]
        orders = (
            self.env["sale.order"]
            .with_company(channel.company_id)
            .create([self._sale_order_vals(channel, plan, created) for plan in plans])
        )
        self._add_delivery_lines(orders, plans)
        self._note_discounts_in_prices(orders, plans)
        self._check_grand_totals(orders, plans)
        orders._oms_process()  # policies, then the channel's workflow: confirm (routed), invoice when paid
        orders.filtered(lambda order: order.state in ("draft", "sent"))._oms_route()  # where they would ship from
        for (record, _plan), order in zip(to_create, orders, strict=True):
            record._oms_write(
                {"state": "imported", "sale_order_id": order.id, "error_category": False, "error_message": False}
            )
        self._log_imports(channel, to_create, orders)
        self._remember_refunds(orders, [plan.values.refunds if plan.values else () for plan in plans])

    def _sale_order_vals(self, channel, plan, created):
        """The sale order of one planned order, with the channel's team, salesperson, warehouse and strategy."""
        partner_id = self._partner_id(plan.customer.partner, created)
        order_vals = {
            "partner_id": partner_id,
            "partner_invoice_id": partner_id,
            "partner_shipping_id": self._partner_id(plan.customer.delivery, created),
            "company_id": channel.company_id.id,
            "pricelist_id": plan.pricelist_id,
            "team_id": channel.team_id.id,
            "user_id": channel.user_id.id,
            "client_order_ref": plan.external_id,
            "oms_channel_id": channel.id,
            "oms_channel_ref": plan.external_id,
            "oms_routing_strategy_id": channel.routing_strategy_id.id,
            "oms_paid_on_channel": plan.paid,
            "note": plan.note or False,
            "order_line": [fields.Command.create(self._product_line_vals(line)) for line in plan.lines]
            + [fields.Command.create(self._extra_line_vals(line)) for line in plan.extra_lines],
            **self._channel_values(plan.values),
        }
        if plan.order_date:
            order_vals["date_order"] = plan.order_date.replace(tzinfo=None)
        if channel.warehouse_id:
            order_vals["warehouse_id"] = channel.warehouse_id.id
        return order_vals

    def _log_imports(self, channel, to_create, orders):
        """A logged note on each sale order: where it came from and how its customer was found (no notification
        to followers of every import)."""
        matched_by = {
            "email": self.env._("customer matched by e-mail"),
            "vat": self.env._("customer matched by VAT number"),
            "phone": self.env._("customer matched by phone"),
            "new": self.env._("new customer created"),
        }
        bodies = {}
        for (_record, plan), order in zip(to_create, orders, strict=True):
            bodies[order.id] = Markup(
                self.env._("Imported from channel <b>%(channel)s</b>, order %(ref)s; %(matched_by)s.")
            ) % {
                "channel": channel.name,
                "ref": order.oms_channel_ref,
                "matched_by": matched_by[plan.customer.matched_by],
            }
        orders._message_log_batch(bodies=bodies)
