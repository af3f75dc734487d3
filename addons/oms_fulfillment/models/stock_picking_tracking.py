import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import escape_psql, format_date, groupby

from ..services.carrier import DELIVERED, EXCEPTION, IN_TRANSIT, PENDING, CarrierError
from .delivery_carrier import OMS_CARRIER_TYPES

_logger = logging.getLogger(__name__)

# A tracked shipment is asked about again at most this often by the scheduled action.
TRACKING_RECHECK = timedelta(minutes=50)
TRACKING_BATCH = 200
LATE_BATCH = 500


class StockPicking(models.Model):
    """Shipped: the estimated arrival and the tracking notice to the customer; then the shipment tracked with its
    carrier until delivered, and the team told of the late ones."""

    _inherit = "stock.picking"

    oms_eta = fields.Date(
        "Estimated Arrival",
        copy=False,
        help="When the customer should receive the shipment: the first working day after the warehouse cut-off, "
        "plus the carrier's transit days, counted in working days of the warehouse's calendar (weekends and public "
        "holidays skipped).",
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

    @api.depends("partner_id.email", "sale_id.partner_id.email")
    def _compute_oms_notice_partner_id(self):
        for picking in self:
            candidates = picking.partner_id | picking.sale_id.partner_id
            picking.oms_notice_partner_id = candidates.filtered("email")[:1] or picking.partner_id

    # ------------------------------------------------------------------------------------------ shipped

    def _oms_shipped(self):
        """Deliveries just validated with a carrier: their arrival date, the customer's notice, and the tracking
        status of those their OMS carrier tracks."""
        shipped = self.filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.carrier_id)
        if not shipped:
            return
        shipped._oms_set_arrival()
        shipped.filtered(lambda p: p.company_id.oms_tracking_notice)._oms_send_tracking_notice()
        shipped.filtered(lambda p: p._oms_awaits_carrier_delivery() and not p.oms_tracking_status).write(
            {"oms_tracking_status": PENDING}
        )

    def _oms_awaits_carrier_delivery(self):
        """OMS carriers track their shipments: the customer has it when the carrier says so, not at validation."""
        self.ensure_one()
        return self.carrier_id.delivery_type in OMS_CARRIER_TYPES and bool(self.carrier_tracking_ref)

    def _oms_transit_days(self):
        """The transit days of the chosen quote of the delivery's carrier, else the carrier's own."""
        self.ensure_one()
        quote = self.sudo().oms_carrier_quote_ids.filtered(
            lambda q: q.chosen and q.carrier_id == self.carrier_id and not q.failed
        )[:1]
        return quote.transit_days if quote else self.carrier_id.oms_transit_days

    def _oms_set_arrival(self):
        handed_over = {picking: picking.date_done or fields.Datetime.now() for picking in self}
        handovers = self._oms_handovers(handed_over)
        for picking in self:
            picking.oms_eta = picking.oms_carrier_delivery_date or handovers[picking].eta(picking._oms_transit_days())

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

    @api.model
    def _oms_receive_tracking(self, carrier, status, moment=None):
        """A carrier's news of one parcel (a webhook): the deliveries of ``carrier`` shipped under that number and
        not delivered yet take it, unless they know newer (polled or told after ``moment``); a delivery of several
        parcels asks the carrier about all of them. Returns the deliveries told."""
        candidates = self.search(
            self._oms_tracking_domain()
            + [("carrier_id", "=", carrier.id), ("carrier_tracking_ref", "ilike", escape_psql(status.tracking_number))]
        )
        now = fields.Datetime.now()
        moment = min(moment or now, now)
        told = candidates.filtered(
            lambda p: status.tracking_number in [number.strip() for number in p.carrier_tracking_ref.split(",")]
            and not (p.oms_tracking_checked_at and p.oms_tracking_checked_at >= moment)
        )
        several = told.filtered(lambda p: "," in p.carrier_tracking_ref)
        several._oms_poll_tracking()
        for picking in told - several:
            picking._oms_apply_tracking([status], moment)
        return told

    @staticmethod
    def _oms_overall_status(statuses):
        """One status for the parcels of a shipment: delivered when all are, else the worst news."""
        if statuses and all(one.delivered for one in statuses):
            return DELIVERED
        if any(one.status == EXCEPTION for one in statuses):
            return EXCEPTION
        if any(one.status == IN_TRANSIT or one.delivered for one in statuses):
            return IN_TRANSIT
        return PENDING

    def _oms_apply_tracking(self, statuses, now):
        self.ensure_one()
        overall = self._oms_overall_status(statuses)
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
                    date=format_date(self.env, self._oms_local(values["oms_delivered_date"]).date()),
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

    # ------------------------------------------------------------------------------------------ late shipments

    @api.model
    def _oms_notify_late_shipments(self):
        """One activity per shipment past its estimated arrival and not delivered, for the order's sales team
        leader (else its salesperson, else the delivery's responsible)."""
        late = self.search(self._oms_late_domain(), limit=LATE_BATCH)
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

    @api.model
    def _oms_late_domain(self):
        """Shipments not delivered and not notified whose estimated arrival is before today, the warehouse's today
        (a shipment of a transfer type without a warehouse: its company's)."""
        # Every warehouse, archived ones too (their shipments can still be late): a handful of rows.
        warehouses = self.env["stock.warehouse"].with_context(active_test=False).search([])  # pylint: disable=no-search-all
        by_today = defaultdict(list)
        for warehouse in warehouses:
            by_today[warehouse._oms_today()].append(warehouse.id)
        past_eta = [
            [("picking_type_id.warehouse_id", "in", warehouse_ids), ("oms_eta", "<", today)]
            for today, warehouse_ids in by_today.items()
        ]
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            company_today = self.env["stock.warehouse"].with_company(company)._oms_today()
            past_eta.append(
                [
                    ("picking_type_id.warehouse_id", "=", False),
                    ("company_id", "=", company.id),
                    ("oms_eta", "<", company_today),
                ]
            )
        return expression.AND(
            [
                [
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "=", "done"),
                    ("oms_delivered_date", "=", False),
                    ("oms_late_notified", "=", False),
                ],
                expression.OR(past_eta),
            ]
        )
