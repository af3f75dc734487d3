import logging
from collections import defaultdict
from datetime import timedelta

import pytz
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_repr, float_round, format_amount, format_date, groupby

from ..services.carrier import DELIVERED, EXCEPTION, IN_TRANSIT, PENDING, CarrierError
from ..services.packing import (
    ALONE_TOO_BIG,
    MAX_UNITS,
    UNPLANNED_NO_BOXES,
    UNPLANNED_NO_DIMENSIONS,
    UNPLANNED_NO_WEIGHT,
    UNPLANNED_TOO_MANY_UNITS,
    Box,
    Item,
    PackingPlan,
    plan_packing,
)
from ..services.rate_shopping import Quote, choose, estimated_arrival, ship_date
from .delivery_carrier import OMS_CARRIER_TYPES

_logger = logging.getLogger(__name__)

DEFAULT_CUTOFF_HOUR = 17.0
# A tracked shipment is asked about again at most this often by the scheduled action.
TRACKING_RECHECK = timedelta(minutes=50)
TRACKING_BATCH = 200
LATE_BATCH = 500
# A quantity this close to a whole number is that number of units.
WHOLE_UNITS_TOLERANCE = 1e-6
PACK_SCREEN_TAG = "oms_fulfillment.pack_screen"


def _like_literal(text):
    """`text` matched literally by an `=ilike` domain (case-insensitive equality)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_return_id = fields.Many2one(
        "oms.return", string="Return Request", readonly=True, copy=False, index="btree_not_null"
    )
    oms_released = fields.Datetime(
        "Released", readonly=True, copy=False, help="When Release handed this transfer to the pickers."
    )
    oms_release_rank = fields.Integer(
        "Pick Order", readonly=True, copy=False, help="Its place among the transfers released together."
    )

    oms_carrier_quote_ids = fields.One2many("oms.carrier.quote", "picking_id", string="Carrier Quotes")
    oms_carrier_choice = fields.Text(
        "Carrier Choice", copy=False, readonly=True, help="Why rate shopping chose the carrier of this delivery."
    )
    oms_carrier_error = fields.Text(
        "Carrier Error", copy=False, readonly=True, help="Why the carrier could not create the label, until retried."
    )
    oms_carrier_error_on_validate = fields.Boolean(
        "Validate on Retry", copy=False, readonly=True, help="The label failed while validating: Retry validates."
    )
    oms_eta = fields.Date(
        "Estimated Arrival",
        copy=False,
        help="When the customer should receive the shipment: the first working day after the warehouse cut-off, "
        "plus the carrier's transit days (weekends skipped).",
    )
    oms_tracking_status = fields.Selection(
        [(PENDING, "Label Created"), (IN_TRANSIT, "In Transit"), (DELIVERED, "Delivered"), (EXCEPTION, "Exception")],
        "Tracking Status",
        copy=False,
        readonly=True,
    )
    oms_tracking_checked_at = fields.Datetime("Tracking Checked On", copy=False, readonly=True)
    oms_late_notified = fields.Boolean("Late Shipment Notified", copy=False, readonly=True)
    oms_notice_partner_id = fields.Many2one(
        "res.partner", compute="_compute_oms_notice_partner_id", string="Tracking Notice To"
    )

    def _oms_pick_list(self):
        """Sections (one per zone) of this transfer's lines in walking order, for its pick list."""
        return self.move_line_ids._oms_pick_list()

    @api.depends("partner_id.email", "sale_id.partner_id.email")
    def _compute_oms_notice_partner_id(self):
        for picking in self:
            candidates = picking.partner_id | picking.sale_id.partner_id
            picking.oms_notice_partner_id = candidates.filtered("email")[:1] or picking.partner_id

    # ------------------------------------------------------------------------------------------ local time

    def _oms_local(self, moment):
        """A UTC datetime as the warehouse's local time (its address's time zone, else the company's, else the
        user's), naive, and the warehouse's cut-off hour."""
        self.ensure_one()
        warehouse = self.picking_type_id.warehouse_id
        tz_name = warehouse.partner_id.tz or self.company_id.partner_id.tz or self.env.user.tz or "UTC"
        local = pytz.utc.localize(moment).astimezone(pytz.timezone(tz_name)).replace(tzinfo=None)
        cutoff = warehouse.oms_cutoff_hour if warehouse else DEFAULT_CUTOFF_HOUR
        return local, cutoff

    def _oms_promised_date(self):
        """The date promised to the customer (the delivery's deadline, else the order's delivery date), local."""
        self.ensure_one()
        promised = self.date_deadline or self.sale_id.commitment_date
        return self._oms_local(promised)[0].date() if promised else None

    # ------------------------------------------------------------------------------------------ rate shopping

    def action_oms_shop_rates(self):
        pickings = self.filtered(lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel"))
        if not pickings:
            raise UserError(self.env._("Rates are shopped for deliveries to customers that are not done yet."))
        choices = pickings._oms_shop_rates()
        without = [picking.name for picking, choice in choices.items() if not choice.quote]
        message = (
            self.env._("Rates shopped for %s deliveries.", len(choices))
            if len(choices) > 1
            else pickings.oms_carrier_choice
        )
        if without:
            message = self.env._(
                "%(message)s No carrier gave a rate for: %(pickings)s.", message=message, pickings=", ".join(without)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if without else "success",
                "title": self.env._("Carrier Rates"),
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _oms_shop_rates(self):
        """Ask every eligible carrier of each delivery's company for a rate and a transit time, keep the quotes,
        and give each delivery the carrier its warehouse's (else company's) policy chooses. Carriers, currencies
        and order lines are read once for all the deliveries; a SOAP carrier's WSDL is loaded once, and a carrier
        that did not answer is not asked again in the same run."""
        now = fields.Datetime.now()
        session = {
            "today": fields.Date.context_today(self),
            "currencies": {
                currency.name: currency
                for currency in self.env["res.currency"].with_context(active_test=False).search([])
            },
            "clients": {},
            "unreachable": {},
        }
        carriers = self.env["delivery.carrier"].search(
            [("oms_rate_shopping", "=", True), ("company_id", "in", self.company_id.ids)]
        )
        # What the carriers look at, read for every delivery at once rather than delivery by delivery.
        self.move_ids.sale_line_id.mapped("price_reduce_taxinc")
        self.oms_carrier_quote_ids.unlink()
        quote_values, bodies, choices = [], {}, {}
        for picking in self:
            local_now, cutoff = picking._oms_local(now)
            quotes, values_by_key = [], {}
            for carrier in carriers.filtered(lambda c, picking=picking: c.company_id == picking.company_id):
                if carrier._oms_matches_picking(picking):
                    quote, values = picking._oms_ask_carrier(carrier, session, local_now, cutoff)
                    quotes.append(quote)
                    values_by_key[carrier.id] = values
                    quote_values.append(values)
            warehouse = picking.picking_type_id.warehouse_id
            policy = warehouse._oms_carrier_policy() if warehouse else picking.company_id.oms_carrier_policy
            choice = choose(quotes, policy, picking._oms_promised_date())
            if choice.quote:
                values_by_key[choice.quote.key]["chosen"] = True
            choices[picking] = choice
            bodies[picking.id] = picking._oms_explain(choice)
        self.env["oms.carrier.quote"].create(quote_values)
        for picking, choice in choices.items():
            values = {"oms_carrier_choice": bodies[picking.id]}
            if choice.quote:
                values["carrier_id"] = choice.quote.key
            picking.write(values)
        self._message_log_batch(
            bodies={
                picking_id: escape(self.env._("Carrier rates shopped: %s", body)) for picking_id, body in bodies.items()
            }
        )
        return choices

    def _oms_ask_carrier(self, carrier, session, local_now, cutoff):
        """One carrier's quote for this delivery handed over at ``local_now``: (the Quote the policy compares, the
        values of its oms.carrier.quote). ``session`` holds what the deliveries of one run share."""
        self.ensure_one()
        values = {"picking_id": self.id, "carrier_id": carrier.id, "ship_date": ship_date(local_now, cutoff)}
        if carrier.id in session["unreachable"]:
            # It did not answer for an earlier delivery: the other deliveries do not wait for it again.
            message = self.env._(
                "Not asked: the carrier did not answer for %(picking)s (%(error)s).",
                **session["unreachable"][carrier.id],
            )
            values["error_message"] = message
            return Quote(carrier.id, carrier.name, None, None, error=message), values
        try:
            client = None
            if carrier.delivery_type in OMS_CARRIER_TYPES:
                clients = session["clients"]
                client = clients.get(carrier.id) or clients.setdefault(carrier.id, carrier._oms_client())
            price, currency, transit = carrier._oms_quote_picking(self, client, session["currencies"])
        except (CarrierError, UserError, ValidationError) as error:
            if isinstance(error, CarrierError) and error.unreachable:
                session["unreachable"][carrier.id] = {"picking": self.name, "error": str(error)}
            values["error_message"] = str(error)
            return Quote(carrier.id, carrier.name, None, None, error=str(error)), values
        company = self.company_id
        price_company = currency._convert(price, company.currency_id, company, session["today"])
        eta = estimated_arrival(local_now, cutoff, transit)
        values.update(currency_id=currency.id, price=price, price_company=price_company, transit_days=transit, eta=eta)
        return Quote(carrier.id, carrier.name, price_company, transit, eta=eta), values

    def _oms_explain(self, choice):
        self.ensure_one()
        company = self.company_id
        return choice.explain(
            self.env._,
            money=lambda quote: format_amount(self.env, quote.price, company.currency_id),
            day=lambda day: format_date(self.env, day),
        )

    # ------------------------------------------------------------------------------------------ labels

    def _oms_needs_label(self):
        """Deliveries an OMS carrier has not made a label for yet."""
        return self.filtered(
            lambda p: p.picking_type_code == "outgoing"
            and p.state not in ("done", "cancel")
            and p.carrier_id.delivery_type in OMS_CARRIER_TYPES
            and p.carrier_id.integration_level == "rate_and_ship"
            and not p.carrier_tracking_ref
        )

    def action_oms_buy_label(self):
        pickings = self._oms_needs_label()
        if not pickings:
            raise UserError(
                self.env._("Labels are bought for deliveries not done yet, with an OMS carrier and no tracking number.")
            )
        failed = pickings._oms_send_to_shipper()
        if failed:
            return failed._oms_carrier_error_action()
        return True

    def action_oms_retry_carrier(self):
        """Ask the carrier for the label again; validate the deliveries whose validation it stopped."""
        pickings = self.filtered("oms_carrier_error")
        to_validate = pickings.filtered("oms_carrier_error_on_validate")
        failed = pickings._oms_needs_label()._oms_send_to_shipper(validating=False)
        if failed:
            return failed._oms_carrier_error_action()
        (pickings - failed).write({"oms_carrier_error": False, "oms_carrier_error_on_validate": False})
        if to_validate:
            return to_validate.button_validate()
        return True

    def _oms_send_to_shipper(self, validating=False):
        """Odoo's send_to_shipper per delivery (label attached, tracking number set). A delivery whose carrier fails
        is left as it was, with the error in its chatter and a Retry button; returns those."""
        failed = self.browse()
        for picking in self:
            try:
                with self.env.cr.savepoint():
                    # As Odoo's validation does: the carrier's price may go on the sale order.
                    picking.sudo().send_to_shipper()
            except (UserError, ValidationError, CarrierError) as error:
                failed |= picking
                picking._oms_carrier_failed(str(error), validating)
            else:
                if picking.oms_carrier_error:
                    picking.write({"oms_carrier_error": False, "oms_carrier_error_on_validate": False})
        return failed

    def _oms_carrier_failed(self, message, validating):
        self.ensure_one()
        self.write(
            {
                "oms_carrier_error": message,
                "oms_carrier_error_on_validate": validating or self.oms_carrier_error_on_validate,
            }
        )
        note = (
            self.env._("The delivery was not validated: the carrier could not create its label.")
            if validating
            else self.env._("The carrier could not create the label.")
        )
        self.message_post(
            body=Markup("%s<br/>%s<br/>%s")
            % (
                note,
                message,
                self.env._("Use Retry once the carrier answers again; the delivery stays ready until then."),
            )
        )

    def _oms_carrier_error_action(self):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger",
                "sticky": True,
                "title": self.env._("The carrier could not create the label"),
                "message": "\n".join(f"{picking.name}: {picking.oms_carrier_error}" for picking in self),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _pre_action_done_hook(self):
        """Once the validation's wizards are answered, and before anything is done, OMS carriers make the labels:
        a carrier that fails leaves every delivery of the validation ready, its error in the chatter (Odoo would
        otherwise roll the error back with the validation)."""
        result = super()._pre_action_done_hook()
        if result is not True or self.env.context.get("oms_skip_labels"):
            return result
        failed = (
            self._oms_needs_label()
            .filtered(lambda p: p.picking_type_id.print_label)
            ._oms_send_to_shipper(validating=True)
        )
        if failed:
            return failed._oms_carrier_error_action()
        return result

    # ------------------------------------------------------------------------------------------ shipped

    def _oms_awaits_carrier_delivery(self):
        """OMS carriers track their shipments: the customer has it when the carrier says so, not at validation."""
        self.ensure_one()
        return self.carrier_id.delivery_type in OMS_CARRIER_TYPES and bool(self.carrier_tracking_ref)

    def _action_done(self):
        result = super()._action_done()
        self._oms_return_received()
        shipped = self.filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.carrier_id)
        if shipped:
            shipped._oms_set_arrival()
            shipped.filtered(lambda p: p.company_id.oms_tracking_notice)._oms_send_tracking_notice()
            shipped.filtered(lambda p: p._oms_awaits_carrier_delivery() and not p.oms_tracking_status).write(
                {"oms_tracking_status": PENDING}
            )
        return result

    def _oms_transit_days(self):
        """The transit days of the chosen quote of the delivery's carrier, else the carrier's own."""
        self.ensure_one()
        quote = self.sudo().oms_carrier_quote_ids.filtered(
            lambda q: q.chosen and q.carrier_id == self.carrier_id and not q.failed
        )[:1]
        return quote.transit_days if quote else self.carrier_id.oms_transit_days

    def _oms_set_arrival(self):
        for picking in self:
            local, cutoff = picking._oms_local(picking.date_done or fields.Datetime.now())
            picking.oms_eta = estimated_arrival(local, cutoff, picking._oms_transit_days())

    def _oms_send_tracking_notice(self):
        """E-mail the customer the carrier, the tracking link and the estimated arrival, in their language (queued
        with the other outgoing e-mails)."""
        template = self.env.ref("oms_fulfillment.mail_template_tracking_notice", raise_if_not_found=False)
        if not template:
            return
        for picking in self:
            partner = picking.oms_notice_partner_id
            if not partner.email:
                picking.message_post(
                    body=self.env._("No tracking notice was sent: the customer has no e-mail address.")
                )
                continue
            template.send_mail(picking.id, email_layout_xmlid="mail.mail_notification_light")
            picking.message_post(
                body=self.env._(
                    "Tracking notice e-mailed to %(customer)s: arriving on %(eta)s.",
                    customer=partner.display_name,
                    eta=format_date(self.env, picking.oms_eta) if picking.oms_eta else self.env._("an unknown date"),
                )
            )

    # ------------------------------------------------------------------------------------------ tracking

    @api.model
    def _oms_tracking_domain(self):
        return [
            ("picking_type_code", "=", "outgoing"),
            ("state", "=", "done"),
            ("carrier_tracking_ref", "!=", False),
            ("oms_delivered_date", "=", False),
            ("carrier_id.delivery_type", "in", OMS_CARRIER_TYPES),
        ]

    @api.model
    def _cron_oms_poll_tracking(self, batch_size=TRACKING_BATCH):
        """Ask the carriers about shipments not delivered yet, a batch per call (the cron runner commits between
        calls and calls again while some are left), then give the team an activity for late shipments."""
        due = self._oms_tracking_domain() + [
            "|",
            ("oms_tracking_checked_at", "=", False),
            ("oms_tracking_checked_at", "<", fields.Datetime.now() - TRACKING_RECHECK),
        ]
        batch = self.search(due, limit=batch_size, order="oms_tracking_checked_at ASC NULLS FIRST, id")
        batch._oms_poll_tracking()
        remaining = self.search_count(due)
        if not remaining:
            self._oms_notify_late_shipments()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    def action_oms_check_tracking(self):
        pickings = self.filtered_domain(self._oms_tracking_domain())
        if not pickings:
            raise UserError(self.env._("Only shipped deliveries of OMS carriers not delivered yet are tracked."))
        pickings._oms_poll_tracking()
        return True

    def _oms_poll_tracking(self):
        now = fields.Datetime.now()
        for carrier, pickings in groupby(self, key=lambda p: p.carrier_id):
            client = None
            for picking in pickings:
                try:
                    client = client or carrier._oms_client()
                    statuses = [
                        carrier._oms_tracking(number.strip(), client)
                        for number in picking.carrier_tracking_ref.split(",")
                        if number.strip()
                    ]
                except CarrierError as error:
                    # Asked again at the next run: nothing to tell the customer or the team yet.
                    _logger.warning("tracking of %s at %s failed: %s", picking.name, carrier.name, error)
                    if error.unreachable:
                        # The carrier does not answer: its other shipments wait for the next run.
                        self.browse([p.id for p in pickings]).write({"oms_tracking_checked_at": now})
                        break
                    picking.oms_tracking_checked_at = now
                    continue
                picking._oms_apply_tracking(statuses, now)

    def _oms_apply_tracking(self, statuses, now):
        self.ensure_one()
        if statuses and all(one.delivered for one in statuses):
            overall = DELIVERED
        elif any(one.status == EXCEPTION for one in statuses):
            overall = EXCEPTION
        elif any(one.status == IN_TRANSIT or one.delivered for one in statuses):
            overall = IN_TRANSIT
        else:
            overall = PENDING
        values = {"oms_tracking_checked_at": now, "oms_tracking_status": overall}
        if overall == DELIVERED:
            values["oms_delivered_date"] = max(one.delivered_at or now for one in statuses)
        changed = overall != self.oms_tracking_status
        self.write(values)
        if changed and overall == DELIVERED:
            self.message_post(
                body=self.env._(
                    "%(carrier)s delivered the shipment on %(date)s.",
                    carrier=self.carrier_id.name,
                    date=format_date(self.env, self._oms_local(values["oms_delivered_date"])[0].date()),
                )
            )
        elif changed and overall == EXCEPTION:
            details = "; ".join(one.description for one in statuses if one.status == EXCEPTION and one.description)
            self.message_post(
                body=self.env._(
                    "%(carrier)s reports a problem with the shipment: %(details)s",
                    carrier=self.carrier_id.name,
                    details=details or self.env._("no details given"),
                )
            )

    @api.model
    def _oms_notify_late_shipments(self):
        """One activity per shipment past its estimated arrival and not delivered, for the order's sales team
        leader (else its salesperson, else the delivery's responsible)."""
        today = fields.Date.context_today(self)
        late = self.search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("oms_delivered_date", "=", False),
                ("oms_eta", "<", today),
                ("oms_late_notified", "=", False),
            ],
            limit=LATE_BATCH,
        )
        for picking in late:
            user = picking.sale_id.team_id.user_id or picking.sale_id.user_id or picking.user_id or self.env.user
            picking.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Late shipment"),
                note=self.env._(
                    "%(carrier)s should have delivered %(picking)s to %(customer)s by %(eta)s and has not confirmed "
                    "the delivery (tracking number %(number)s).",
                    carrier=picking.carrier_id.name,
                    picking=picking.name,
                    customer=picking.partner_id.display_name,
                    eta=format_date(self.env, picking.oms_eta),
                    number=picking.carrier_tracking_ref or self.env._("none"),
                ),
                user_id=user.id,
            )
        late.write({"oms_late_notified": True})
        return late

    oms_box_ids = fields.One2many(
        "oms.picking.box", "picking_id", "Boxes", copy=False, groups="oms_intelligent.group_oms_user"
    )
    oms_box_cost = fields.Monetary(
        "Box Cost",
        currency_field="oms_box_currency_id",
        compute="_compute_oms_box_cost",
        store=True,
        groups="oms_intelligent.group_oms_user",
        help="What the boxes of this delivery cost: those it was put in by box choice and those suggested.",
    )
    oms_box_currency_id = fields.Many2one(related="company_id.currency_id", string="Box Cost Currency")
    oms_box_note = fields.Text("Box Choice Notes", copy=False, groups="oms_intelligent.group_oms_user")

    @api.depends("oms_box_ids.cost")
    def _compute_oms_box_cost(self):
        for picking in self:
            picking.oms_box_cost = sum(picking.oms_box_ids.mapped("cost"))

    # ------------------------------------------------------------------------------------------------------------
    # Buttons

    def action_oms_suggest_boxes(self):
        """Suggest boxes for what is left to pack (the reserved quantities not in a package yet; the ordered
        quantities while nothing is reserved) and keep the suggestion on the delivery."""
        for picking in self:
            picking._oms_check_box_choice()
            notes = []
            quantities = {}
            if picking.state not in ("done", "cancel"):
                if picking.move_line_ids:
                    quantities = picking._oms_box_quantities(picking._package_move_lines())
                else:
                    quantities = picking._oms_demand_quantities()
                    if quantities:
                        notes.append(self.env._("Nothing is reserved yet: the boxes are for the ordered quantities."))
            if not quantities:
                notes.append(self.env._("Nothing left to put in boxes."))
            plan, plan_notes = picking._oms_plan_boxes(quantities)
            picking._oms_keep_plan(plan, notes + plan_notes)
        return True

    def action_oms_put_in_boxes(self):
        """Pack what is left to pack as box choice says: one package per box, of the box's type, and one without a
        type for each item that ships alone; a product whose units go into several boxes has its move line split.
        Products that cannot be planned stay out of packages, for the packer's own Put in Pack."""
        for picking in self:
            picking._oms_check_box_choice()
            if picking.state in ("draft", "done", "cancel"):
                raise UserError(self.env._("Only a delivery waiting to be shipped can be put in boxes."))
            lines = picking._package_move_lines()
            if not lines:
                raise UserError(
                    self.env._("There is nothing to put in boxes: no reserved quantity is left outside a package.")
                )
            plan, notes = picking._oms_plan_boxes(picking._oms_box_quantities(lines))
            if not plan.boxes and not plan.alone:
                raise UserError("\n".join(notes))
            packages = picking._oms_pack(plan, lines)
            picking._oms_keep_plan(plan, notes, packages)
            picking.message_post(body=picking._oms_packed_message(plan))
        return True

    # ------------------------------------------------------------------------------------------------------------
    # What to pack, and the plan

    def _oms_check_box_choice(self):
        self.ensure_one()
        if self.picking_type_code != "outgoing":
            raise UserError(
                self.env._("Box choice is for deliveries to customers; %(transfer)s is not one.", transfer=self.name)
            )

    def _oms_box_quantities(self, move_lines):
        """product -> quantity in the product's unit, over ``move_lines``."""
        quantities = defaultdict(float)
        for line in move_lines:
            quantities[line.product_id] += line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
        return dict(quantities)

    def _oms_demand_quantities(self):
        quantities = defaultdict(float)
        for move in self.move_ids:
            if move.state not in ("done", "cancel"):
                quantities[move.product_id] += move.product_qty
        return {product: quantity for product, quantity in quantities.items() if quantity > 0}

    def _oms_plan_boxes(self, quantities):
        """The packing plan for ``quantities`` (product -> quantity) with the standard boxes of the delivery's
        warehouse, by the company's objective, and the notes for the packer."""
        self.ensure_one()
        warehouse = self.picking_type_id.warehouse_id
        box_types = self.env["stock.package.type"]._oms_standard_boxes(self.company_id, warehouse)
        sized = box_types.filtered(lambda box: box.packaging_length > 0 and box.width > 0 and box.height > 0)
        to_mm = self._oms_length_to_mm()
        boxes = [
            Box(
                box.id,
                box.packaging_length * to_mm,
                box.width * to_mm,
                box.height * to_mm,
                max_weight=box.max_weight,
                cost=max(box.oms_cost, 0.0),
                empty_weight=max(box.base_weight, 0.0),
            )
            for box in sized
        ]
        items = []
        not_whole = self.env["product.product"]
        for product, quantity in quantities.items():
            units = round(quantity)
            if abs(quantity - units) > WHOLE_UNITS_TOLERANCE:
                not_whole |= product
                continue
            items.append(
                Item(
                    product.id,
                    product.product_length or None,
                    product.product_width or None,
                    product.product_height or None,
                    product.weight or None,
                    int(units),
                )
            )
        plan = plan_packing(items, boxes, self.company_id.oms_box_objective)
        notes = self._oms_box_notes(plan, warehouse, not_whole, box_types - sized)
        return plan, notes

    def _oms_length_to_mm(self):
        """Odoo keeps package sizes in the database's length unit (mm, or feet when it works in cubic feet)."""
        length_uom = self.env["product.template"]._get_length_uom_id_from_ir_config_parameter()
        millimetre = self.env.ref("uom.product_uom_millimeter")
        return length_uom._compute_quantity(1.0, millimetre, round=False)

    def _oms_box_notes(self, plan: PackingPlan, warehouse, not_whole, unsized):
        products = self.env["product.product"].browse(
            [left.item_id for left in plan.unplanned] + [parcel.item_id for parcel in plan.alone]
        )
        names = {product.id: product.display_name for product in products}

        def listed(item_ids):
            return ", ".join(dict.fromkeys(names[item_id] for item_id in item_ids))

        by_reason = defaultdict(list)
        for left in plan.unplanned:
            by_reason[left.reason].append(left.item_id)
        notes = []
        if by_reason[UNPLANNED_NO_DIMENSIONS]:
            notes.append(
                self.env._(
                    "No dimensions for %(products)s: choose the box by hand.",
                    products=listed(by_reason[UNPLANNED_NO_DIMENSIONS]),
                )
            )
        if by_reason[UNPLANNED_NO_WEIGHT]:
            notes.append(
                self.env._(
                    "No weight for %(products)s: choose the box by hand.",
                    products=listed(by_reason[UNPLANNED_NO_WEIGHT]),
                )
            )
        if not_whole:
            notes.append(
                self.env._(
                    "%(products)s: not a whole number of units, choose the box by hand.",
                    products=", ".join(not_whole.mapped("display_name")),
                )
            )
        if by_reason[UNPLANNED_NO_BOXES]:
            notes.append(
                self.env._(
                    "No standard boxes for %(warehouse)s: set them up in Configuration › Box Sizes, or choose the "
                    "boxes by hand.",
                    warehouse=warehouse.name or self.company_id.name,
                )
            )
        if by_reason[UNPLANNED_TOO_MANY_UNITS]:
            notes.append(
                self.env._(
                    "More than %(limit)s units: too many for box choice, pack them by hand.",
                    limit=MAX_UNITS,
                )
            )
        if unsized:
            notes.append(
                self.env._(
                    "Standard boxes without a size are left out: %(boxes)s.",
                    boxes=", ".join(unsized.mapped("name")),
                )
            )
        for parcel in plan.alone:
            name = names[parcel.item_id]
            if parcel.reason == ALONE_TOO_BIG:
                note = self.env._("%(product)s is larger than every box: ships alone.", product=name)
            else:
                note = self.env._("%(product)s is heavier than every box can carry: ships alone.", product=name)
            if note not in notes:
                notes.append(note)
        return notes

    # ------------------------------------------------------------------------------------------------------------
    # Keeping and applying the plan

    def _oms_parcels(self, plan: PackingPlan):
        """(package type or empty, {product id: units}, weight, cost) per box of the plan, then per unit shipping
        alone."""
        box_types = self.env["stock.package.type"].browse([box.box_id for box in plan.boxes])
        parcels = [
            (box_type, box.contents, box.weight, box.cost) for box_type, box in zip(box_types, plan.boxes, strict=True)
        ]
        no_type = self.env["stock.package.type"]
        parcels += [(no_type, {parcel.item_id: 1}, parcel.weight, 0.0) for parcel in plan.alone]
        return parcels

    def _oms_keep_plan(self, plan: PackingPlan, notes, packages=None):
        """Show ``plan`` in the Boxes tab: it replaces the previous suggestion; the boxes already packed by box choice
        stay listed, with their packages."""
        self.ensure_one()
        parcels = self._oms_parcels(plan)
        products = self.env["product.product"].browse(
            list(dict.fromkeys(product_id for _type, contents, _weight, _cost in parcels for product_id in contents))
        )
        names = {product.id: product.display_name for product in products}
        own_packaging = self.env._("Own packaging")
        packed = self.oms_box_ids.filtered("package_id")
        (self.oms_box_ids - packed).unlink()
        first = max(packed.mapped("sequence"), default=0) + 1
        self.env["oms.picking.box"].create(
            [
                {
                    "picking_id": self.id,
                    "sequence": first + index,
                    "name": box_type.name or own_packaging,
                    "package_type_id": box_type.id,
                    "ships_alone": not box_type,
                    "contents": "\n".join(f"{units} × {names[product_id]}" for product_id, units in contents.items()),
                    "weight": weight,
                    "cost": cost,
                    "package_id": packages[index].id if packages else False,
                }
                for index, (box_type, contents, weight, cost) in enumerate(parcels)
            ]
        )
        self.oms_box_note = "\n".join(notes) or False

    def _oms_pack(self, plan: PackingPlan, move_lines):
        """One package per parcel of ``plan``, the units of ``move_lines`` in them; returns the packages in the
        plan's order."""
        self.ensure_one()
        parcels = self._oms_parcels(plan)
        packages = self.env["stock.quant.package"].create(
            [
                {"package_type_id": box_type.id, "shipping_weight": weight}
                for box_type, _contents, weight, _cost in parcels
            ]
        )
        # Units of each line still to place (in the product's unit), taken in the lines' order.
        left = {
            line: line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id) for line in move_lines
        }
        lines_by_product = defaultdict(list)
        for line in move_lines:
            lines_by_product[line.product_id.id].append(line)
        shares = defaultdict(list)  # move line -> [(package, quantity in the product's unit)]
        for package, (_type, contents, _weight, _cost) in zip(packages, parcels, strict=True):
            for product_id, units in contents.items():
                needed = float(units)
                for line in lines_by_product[product_id]:
                    if needed <= WHOLE_UNITS_TOLERANCE:
                        break
                    taken = min(left[line], needed)
                    if taken > WHOLE_UNITS_TOLERANCE:
                        shares[line].append((package, taken))
                        left[line] -= taken
                        needed -= taken
        # A line whose units go into several packages keeps the first share and is copied for the others; it is
        # reduced before the copies are made, so its reservation moves to them.
        lines_by_package = defaultdict(lambda: self.env["stock.move.line"])
        copies, copy_packages = [], []
        for line, line_shares in shares.items():
            lines_by_package[line_shares[0][0]] |= line
            if len(line_shares) == 1:
                continue
            product_uom = line.product_id.uom_id
            line.quantity = product_uom._compute_quantity(line_shares[0][1], line.product_uom_id)
            for package, share in line_shares[1:]:
                quantity = product_uom._compute_quantity(share, line.product_uom_id)
                copies += line.copy_data({"quantity": quantity, "picked": line.picked, "result_package_id": package.id})
                copy_packages.append(package)
        for package, lines in lines_by_package.items():
            lines.result_package_id = package
        for package, copy in zip(copy_packages, self.env["stock.move.line"].create(copies), strict=True):
            lines_by_package[package] |= copy
        self.env["stock.package_level"].with_context(from_put_in_pack=True).create(
            [
                {
                    "package_id": package.id,
                    "picking_id": self.id,
                    "location_id": False,
                    "location_dest_id": lines_by_package[package][:1].location_dest_id.id,
                    "move_line_ids": [Command.set(lines_by_package[package].ids)],
                    "company_id": self.company_id.id,
                }
                for package in packages
                if lines_by_package[package]
            ]
        )
        return packages

    def _oms_packed_message(self, plan: PackingPlan):
        parcels = self._oms_parcels(plan)
        boxes = defaultdict(int)
        for box_type, _contents, _weight, _cost in parcels:
            if box_type:
                boxes[box_type.name] += 1
        parts = []
        if boxes:
            parts.append(
                self.env._(
                    "Put in boxes by box choice: %(boxes)s (box cost %(cost)s).",
                    boxes=", ".join(f"{count} × {name}" for name, count in boxes.items()),
                    cost=format_amount(self.env, plan.total_cost, self.company_id.currency_id),
                )
            )
        if plan.alone:
            alone = defaultdict(int)
            for parcel in plan.alone:
                alone[parcel.item_id] += 1
            products = self.env["product.product"].browse(list(alone))
            parts.append(
                self.env._(
                    "Ships alone: %(products)s.",
                    products=", ".join(f"{alone[product.id]} × {product.display_name}" for product in products),
                )
            )
        return " ".join(parts)

    oms_scan_required = fields.Boolean(related="picking_type_id.oms_scan_required")
    oms_scan_refused_count = fields.Integer(
        "Refused Scans",
        copy=False,
        readonly=True,
        help="Scans the packing screen refused on this transfer: unknown barcodes, products not in the order, "
        "more than ordered.",
    )
    oms_scan_complete = fields.Boolean(
        "Fully Scanned",
        compute="_compute_oms_scan_complete",
        help="Every item of the transfer (except lot/serial-tracked products) has been scanned on the packing screen.",
    )

    @api.depends("move_ids.oms_scanned_qty", "move_ids.product_uom_qty", "move_ids.state")
    def _compute_oms_scan_complete(self):
        for picking in self:
            picking.oms_scan_complete = not picking._oms_scan_gaps()

    # ------------------------------------------------------------------------------------------------------------
    # The packing screen
    # ------------------------------------------------------------------------------------------------------------

    def action_oms_pack(self):
        """The packing screen of this transfer."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": PACK_SCREEN_TAG,
            "name": self.env._("Pack %s", self.name),
            "context": {"active_id": self.id},
        }

    @api.model
    def oms_pack_find(self, reference):
        """The delivery to pack for a scanned or typed reference: the transfer's own (the barcode on its printed picking
        operations) or its source document's. Returns {"picking_id": id} or {"message": why not}."""
        code = (reference or "").strip()
        if not code:
            return {"message": self.env._("Scan or type the reference of a delivery.")}
        outgoing = [("picking_type_code", "=", "outgoing")]
        pickings = self.search([("name", "=ilike", _like_literal(code))] + outgoing, limit=1)
        if not pickings:
            pickings = self.search(
                [("origin", "=ilike", _like_literal(code)), ("state", "not in", ("done", "cancel"))] + outgoing
            )
            if len(pickings) > 1:
                return {
                    "message": self.env._(
                        "%(reference)s has %(count)s deliveries to pack; scan one of them: %(names)s.",
                        reference=code,
                        count=len(pickings),
                        names=", ".join(pickings.mapped("name")),
                    )
                }
        if not pickings:
            return {"message": self.env._("No delivery with reference %s.", code)}
        if pickings.state in ("done", "cancel"):
            return {
                "message": self.env._(
                    "%(picking)s is %(state)s: there is nothing to pack.", **pickings._oms_state_args()
                )
            }
        return {"picking_id": pickings.id}

    @api.model
    def oms_pack_queue(self, limit=20):
        """The deliveries ready to pack, most urgent first, for the packing screen's start page."""
        pickings = self.search(
            [("picking_type_code", "=", "outgoing"), ("state", "=", "assigned")],
            order="priority desc, scheduled_date asc, id asc",
            limit=limit,
        )
        return [
            {
                "id": picking.id,
                "name": picking.name,
                "partner": picking.partner_id.display_name or "",
                "origin": picking.origin or "",
                "priority": picking.priority == "1",
                "started": any(picking.move_ids.mapped("oms_scanned_qty")),
            }
            for picking in pickings
        ]

    def oms_pack_state(self):
        """What the packing screen shows of this transfer."""
        self.ensure_one()
        self.check_access("read")
        lines = []
        for move in self.move_ids.filtered(lambda move: move.state != "cancel"):
            tracked = move.product_id.tracking != "none"
            lines.append(
                {
                    "id": move.id,
                    "product": move.product_id.display_name,
                    "sku": move.product_id.default_code or "",
                    "barcode": move.product_id.barcode or "",
                    "demand": move.product_uom_qty,
                    "scanned": move.oms_scanned_qty,
                    "uom": move.product_uom.name,
                    "tracked": tracked,
                    "complete": not tracked and self._oms_move_scanned(move) == 0,
                    "excess": not tracked and self._oms_move_scanned(move) > 0,
                }
            )
        scannable = [line for line in lines if not line["tracked"]]
        complete = not self._oms_scan_gaps()
        return {
            "id": self.id,
            "name": self.name,
            "partner": self.partner_id.display_name or "",
            "origin": self.origin or "",
            "state": self.state,
            "state_label": dict(self._fields["state"]._description_selection(self.env)).get(self.state, ""),
            "scan_required": self.oms_scan_required,
            "complete": complete,
            "can_validate": self.state not in ("done", "cancel") and (complete or not self.oms_scan_required),
            "refused": self.oms_scan_refused_count,
            "scanned_total": sum(line["scanned"] for line in scannable),
            "demand_total": sum(line["demand"] for line in scannable),
            "lines": lines,
        }

    def oms_scan(self, barcode):
        """Judge one scan of the packing screen: a product's barcode or SKU counts one unit, a packaging's barcode its
        quantity. A product not in the transfer, more than ordered or an unknown barcode is refused and changes no
        quantity. Two packers scanning the same transfer are serialised on its move rows.

        Returns {"accepted": bool, "message": str, "move_id": the line counted or False, "picking": oms_pack_state}.
        """
        self.ensure_one()
        self.check_access("write")
        code = (barcode or "").strip()
        if self.state in ("done", "cancel"):
            return self._oms_scan_answer(
                False, self.env._("%(picking)s is %(state)s: there is nothing to pack.", **self._oms_state_args())
            )
        if not code:
            return self._oms_scan_answer(False, self.env._("Scan a barcode, or type a SKU."))
        product, quantity, packaging = self._oms_scan_match(code)
        self._oms_lock_moves()
        moves = self._oms_scannable_moves().filtered(lambda move: product and move.product_id == product)
        refusal = self._oms_scan_refusal(code, product, quantity, packaging, moves)
        if refusal:
            self.oms_scan_refused_count += 1
            return self._oms_scan_answer(False, refusal)
        message, counted = self._oms_scan_count(product, quantity, packaging, moves)
        if not self._oms_scan_gaps():
            self._oms_post_packed()
            message = self.env._("%(message)s Everything is scanned: validate the transfer.", message=message)
        return self._oms_scan_answer(True, message, counted)

    def oms_scan_reset(self):
        """Forget the scans of this transfer, to count it again."""
        self.ensure_one()
        self.check_access("write")
        if self.state in ("done", "cancel"):
            return self._oms_scan_answer(
                False, self.env._("%(picking)s is %(state)s: there is nothing to pack.", **self._oms_state_args())
            )
        self._oms_lock_moves()
        scanned = self.move_ids.filtered("oms_scanned_qty")
        if scanned or self.oms_scan_refused_count:
            scanned.oms_scanned_qty = 0.0
            self.oms_scan_refused_count = 0
            self.message_post(body=self.env._("Scans cleared by %s.", self.env.user.name), subtype_xmlid="mail.mt_note")
        return self._oms_scan_answer(True, self.env._("Scans cleared: scan every item again."))

    # ------------------------------------------------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------------------------------------------------

    def button_validate(self):
        """Transfers whose operation type asks for it are validated only once every item is scanned; a transfer fully
        scanned ships what was scanned. Integrations validating without a packer pass `oms_skip_scan_check`."""
        pending = self.filtered(lambda picking: picking.state not in ("done", "cancel"))
        if not self.env.context.get("oms_skip_scan_check"):
            unscanned = pending.filtered(lambda picking: picking.oms_scan_required and picking._oms_scan_gaps())
            if unscanned:
                raise UserError(
                    "\n\n".join(picking._oms_scan_gaps_text() for picking in unscanned)
                    + "\n\n"
                    + self.env._(
                        'Scan them with the Pack button of the transfer, or turn off "Scan Every Item Before '
                        'Validating" on its operation type.'
                    )
                )
        pending.filtered(lambda picking: not picking._oms_scan_gaps())._oms_apply_scanned_quantities()
        return super().button_validate()

    def _oms_apply_scanned_quantities(self):
        """The scanned quantities become the picked quantities of the scanned lines."""
        for picking in self:
            moves = picking._oms_scannable_moves().filtered(lambda move: move.state != "done")
            if not moves.filtered("oms_scanned_qty"):
                continue
            for move in moves:
                if float_compare(move.quantity, move.oms_scanned_qty, precision_rounding=move.product_uom.rounding):
                    move.quantity = move.oms_scanned_qty
            moves.picked = True
            # Lot/serial-tracked lines keep the quantities set on the transfer, picked as Odoo would pick them.
            tracked = (picking.move_ids - moves).filtered(lambda move: move.state not in ("done", "cancel"))
            if not any(tracked.mapped("picked")):
                tracked.filtered("quantity").picked = True

    # ------------------------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------------------------

    def _oms_scannable_moves(self):
        """The lines the packing screen counts: not cancelled, not tracked by lots or serial numbers."""
        return self.move_ids.filtered(lambda move: move.state != "cancel" and move.product_id.tracking == "none")

    @staticmethod
    def _oms_move_scanned(move):
        """-1, 0 or 1: less, exactly or more scanned than ordered on the move."""
        return float_compare(move.oms_scanned_qty, move.product_uom_qty, precision_rounding=move.product_uom.rounding)

    def _oms_scan_gaps(self):
        """The scannable lines not scanned exactly as ordered."""
        self.ensure_one()
        return self._oms_scannable_moves().filtered(lambda move: self._oms_move_scanned(move) != 0)

    def _oms_scan_gaps_text(self):
        self.ensure_one()
        lines = []
        for move in self._oms_scan_gaps():
            if self._oms_move_scanned(move) < 0:
                lines.append(
                    self.env._(
                        "- %(quantity)s × %(product)s",
                        quantity=self._oms_quantity_text(move.product_uom_qty - move.oms_scanned_qty, move.product_uom),
                        product=move.product_id.display_name,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "- %(product)s: %(scanned)s scanned but %(demand)s ordered; clear the scans and count again",
                        product=move.product_id.display_name,
                        scanned=self._oms_quantity_text(move.oms_scanned_qty, move.product_uom),
                        demand=self._oms_quantity_text(move.product_uom_qty, move.product_uom),
                    )
                )
        return (
            self.env._("%s cannot be validated before every item is scanned. Still to scan:", self.name)
            + "\n"
            + "\n".join(lines)
        )

    def _oms_scan_match(self, code):
        """(product, quantity in the product's unit, packaging) a scanned code stands for: a product of the transfer
        by barcode or SKU (SKUs in any case), a packaging by barcode, then any product by barcode or SKU."""
        packaging = self.env["product.packaging"]
        folded = code.casefold()
        for product in self.move_ids.product_id:
            if product.barcode == code or (product.default_code or "").casefold() == folded:
                return product, 1.0, packaging
        packaging = packaging.search([("barcode", "=", code), ("qty", ">", 0)], limit=1)
        if packaging:
            return packaging.product_id, packaging.qty, packaging
        products = self.env["product.product"].with_context(active_test=False)
        product = products.search([("barcode", "=", code)], limit=1) or products.search(
            [("default_code", "=ilike", _like_literal(code))], limit=1
        )
        return product, 1.0, packaging

    def _oms_scan_refusal(self, code, product, quantity, packaging, moves):
        """Why scanning `quantity` of `product` (read from `code`) on its `moves` here is refused, if it is."""
        if not product:
            return self.env._("No product with barcode %s.", code)
        if not moves:
            if product in self.move_ids.filtered(lambda move: move.state != "cancel").product_id:
                return self.env._(
                    "%s is tracked by lots or serial numbers, which the packing screen does not scan: set them on "
                    "the transfer.",
                    product.display_name,
                )
            return self.env._("%s is not in this order.", product.display_name)
        uom = product.uom_id
        left = sum(self._oms_left_to_scan(move, uom) for move in moves)
        if float_compare(quantity, left, precision_rounding=uom.rounding) <= 0:
            return None
        if float_is_zero(left, precision_rounding=uom.rounding):
            return self.env._(
                "All %(count)s of %(product)s are already scanned.",
                count=self._oms_quantity_text(sum(moves.mapped("product_qty")), uom),
                product=product.display_name,
            )
        return self.env._(
            "%(packaging)s holds %(quantity)s of %(product)s, but only %(left)s are left to scan: open it and scan "
            "the items one by one.",
            packaging=packaging.name,
            quantity=self._oms_quantity_text(quantity, uom),
            product=product.display_name,
            left=self._oms_quantity_text(left, uom),
        )

    def _oms_scan_count(self, product, quantity, packaging, moves):
        """Count `quantity` (in the product's unit) on `moves`, first come first filled; returns the message and the
        first move counted."""
        uom = product.uom_id
        to_count = quantity
        counted = self.env["stock.move"]
        for move in moves:
            share = min(self._oms_left_to_scan(move, uom), to_count)
            if float_is_zero(share, precision_rounding=uom.rounding):
                continue
            move.oms_scanned_qty += uom._compute_quantity(share, move.product_uom, rounding_method="HALF-UP")
            counted |= move
            to_count -= share
        progress = {
            "product": product.display_name,
            "scanned": self._oms_quantity_text(
                sum(move.product_uom._compute_quantity(move.oms_scanned_qty, uom) for move in moves), uom
            ),
            "demand": self._oms_quantity_text(sum(moves.mapped("product_qty")), uom),
        }
        if packaging:
            message = self.env._(
                "%(packaging)s: %(quantity)s more. %(product)s: %(scanned)s of %(demand)s scanned.",
                packaging=packaging.name,
                quantity=self._oms_quantity_text(quantity, uom),
                **progress,
            )
        else:
            message = self.env._("%(product)s: %(scanned)s of %(demand)s scanned.", **progress)
        return message, counted[:1]

    @staticmethod
    def _oms_left_to_scan(move, uom):
        return max(move.product_uom._compute_quantity(move.product_uom_qty - move.oms_scanned_qty, uom), 0.0)

    def _oms_lock_moves(self):
        """Lock this transfer's move rows until the end of the transaction, then read them again: a packer scanning
        the same transfer meanwhile waits, and sees what this one counted (or retries on a serialization failure)."""
        self.env["stock.move"].flush_model()
        self.env.cr.execute("SELECT id FROM stock_move WHERE picking_id = %s ORDER BY id FOR UPDATE", [self.id])
        self.invalidate_recordset(["move_ids"])
        self.move_ids.invalidate_recordset()

    def _oms_scan_answer(self, accepted, message, move=None):
        return {
            "accepted": accepted,
            "message": message,
            "move_id": move.id if move else False,
            "picking": self.oms_pack_state(),
        }

    def _oms_post_packed(self):
        """One note in the chatter when packing completes, instead of one per scan."""
        items = sum(
            move.product_uom._compute_quantity(move.oms_scanned_qty, move.product_id.uom_id)
            for move in self._oms_scannable_moves()
        )
        unit = self.env.ref("uom.product_uom_unit")
        items_text = (
            self.env._("1 item scanned")
            if float_compare(items, 1.0, precision_digits=6) == 0
            else self.env._("%s items scanned", self._oms_quantity_text(items, unit))
        )
        refused = self.oms_scan_refused_count
        if not refused:
            refused_text = self.env._("no refused scan")
        elif refused == 1:
            refused_text = self.env._("1 refused scan")
        else:
            refused_text = self.env._("%s refused scans", refused)
        self.message_post(
            body=self.env._(
                "Packed by %(user)s: %(items)s, %(refused)s.",
                user=self.env.user.name,
                items=items_text,
                refused=refused_text,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _oms_state_args(self):
        self.ensure_one()
        return {
            "picking": self.name,
            "state": dict(self._fields["state"]._description_selection(self.env)).get(self.state, self.state).lower(),
        }

    def _oms_quantity_text(self, quantity, uom):
        """`quantity` without trailing zeros, followed by its unit unless the unit is Units."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        text = float_repr(float_round(quantity, precision_rounding=uom.rounding), digits)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if uom != self.env.ref("uom.product_uom_unit"):
            text = f"{text} {uom.name}"
        return text

    def _oms_return_received(self):
        """The goods of return requests are back: the requests go on (credit note or exchange order)."""
        received = self.filtered(
            lambda picking: picking.state == "done"
            and picking.oms_return_id
            and picking.location_id.usage == "customer"
        )
        if received:
            received.oms_return_id.sudo()._oms_receive()
