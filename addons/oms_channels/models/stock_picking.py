import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..services.errors import ConnectorError
from ..services.platforms.client import Shipment, ShipmentLine
from ..services.platforms.staged import PLATFORM_LABELS

_logger = logging.getLogger(__name__)

TRACKING_NUMBER_TOKEN = "<shipmenttrackingnumber>"  # where a carrier's tracking_url takes the number (Odoo's)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_tracking_pushed = fields.Boolean(
        "Tracking Sent to Channel",
        copy=False,
        readonly=True,
        help="The carrier and tracking number of this delivery reached the channel of its order.",
    )
    oms_shipment_ref = fields.Char(
        "Channel Shipment ID", copy=False, readonly=True, help="The platform's id of this delivery's shipment."
    )
    oms_tracking_push_error = fields.Text(
        "Tracking Not Sent Because", copy=False, readonly=True, help="Why the channel has not taken the tracking yet."
    )

    def _action_done(self):
        result = super()._action_done()
        self._oms_push_tracking()
        return result

    def write(self, vals):
        result = super().write(vals)
        if vals.get("carrier_tracking_ref"):
            # A tracking number given after the delivery was validated reaches the channel at once, not at the
            # next run of the cron.
            self._oms_push_tracking()
        return result

    def _oms_pickings_to_push(self):
        # Never without a tracking number: a shipped status on the platform tells the customer to look for it.
        return self.filtered(
            lambda picking: picking.state == "done"
            and picking.picking_type_code == "outgoing"
            and picking.carrier_tracking_ref
            and not picking.oms_tracking_pushed
            and (
                picking.sale_id.oms_channel_id.connector in ("rest", "soap")
                or picking.sale_id.oms_channel_id.platform in PLATFORM_LABELS
            )
        )

    def _oms_push_tracking(self):
        """Tell the channel the carrier and tracking number; a failure is noted and retried by the cron."""
        for picking in self._oms_pickings_to_push():
            channel = picking.sale_id.oms_channel_id
            try:
                shipment_ref = picking._oms_send_to_channel(channel)
            except (ConnectorError, UserError, ValueError) as error:  # ValueError: what a platform client refuses
                error = channel._redact_credentials(str(error))
                _logger.info("tracking of %s not sent to channel %s: %s", picking.name, channel.code, error)
                if error != picking.oms_tracking_push_error:  # once per reason, not at every retry of the cron
                    picking.message_post(
                        body=self.env._(
                            "Tracking not sent to channel %(channel)s yet: %(error)s", channel=channel.name, error=error
                        )
                    )
                    picking.oms_tracking_push_error = error
                continue
            picking.write(
                {
                    "oms_tracking_pushed": True,
                    "oms_shipment_ref": shipment_ref or False,
                    "oms_tracking_push_error": False,
                }
            )
            picking.message_post(
                body=self.env._(
                    "Tracking %(tracking)s sent to channel %(channel)s.",
                    tracking=picking.carrier_tracking_ref,
                    channel=channel.name,
                )
            )

    def _oms_send_to_channel(self, channel):
        """Send this delivery to the channel: the tracking of the order (OMS schema), or the shipment of its own
        lines (a platform); the platform's id of the shipment, when it has one."""
        self.ensure_one()
        connector = channel._get_connector()
        if channel.platform == "oms":
            pages = self._oms_tracking_pages()
            numbers = [number.strip() for number in self.carrier_tracking_ref.split(",") if number.strip()]
            connector.push_tracking(
                self.sale_id.oms_channel_ref,
                self.carrier_id.name or "",
                self.carrier_tracking_ref,
                pages["tracking_url"] or next(iter(dict(pages["parcel_urls"]).values()), ""),
                tracking_numbers=numbers,
            )
            return None
        return connector.push_shipment(self._oms_shipment())

    def _oms_shipment(self):
        """This parcel as its platform is told of it: the order lines it carries (by the platform's line ids, in
        the order's units) with the carrier and tracking, and whether the whole order has now shipped."""
        self.ensure_one()
        shipped = defaultdict(float)
        for move in self.move_ids.filtered(lambda move: move.state == "done" and move.sale_line_id):
            sale_line = move.sale_line_id
            shipped[sale_line] += move.product_uom._compute_quantity(move.quantity, sale_line.product_uom)
        lines = tuple(
            ShipmentLine(external_line_id=sale_line.oms_channel_line_ref, quantity=quantity)
            for sale_line, quantity in shipped.items()
            if sale_line.oms_channel_line_ref and quantity > 0
        )
        if not lines:
            raise UserError(
                self.env._(
                    "No line of %(picking)s has the platform's line id: its order was not imported from the platform.",
                    picking=self.name,
                )
            )
        return Shipment(
            order_external_id=self.sale_id.oms_channel_ref,
            tracking_number=self.carrier_tracking_ref,
            carrier=self.carrier_id.name or "",
            lines=lines,
            complete=self._oms_order_shipped_whole(),
            **self._oms_tracking_pages(),
        )

    def _oms_tracking_pages(self):
        """The carrier's tracking pages of this delivery: {"tracking_url": the whole shipment's, "parcel_urls":
        ((number, its own page), ...)}. Odoo's carriers of several parcels give a JSON list of (number, page); a
        carrier's page template filled with every number at once (Odoo's fixed and rule-based carriers) is filled
        with each parcel's number instead."""
        self.ensure_one()
        pairs = self.get_multiple_carrier_tracking()
        if isinstance(pairs, list):
            parcel_urls = tuple(
                (str(pair[0]), str(pair[1])) for pair in pairs if isinstance(pair, list | tuple) and len(pair) == 2
            )
            return {"tracking_url": None, "parcel_urls": parcel_urls}
        url = self.carrier_tracking_url or None
        numbers = [number.strip() for number in (self.carrier_tracking_ref or "").split(",") if number.strip()]
        template = self.carrier_id.tracking_url or ""
        if (
            len(numbers) > 1
            and TRACKING_NUMBER_TOKEN in template
            and url == template.replace(TRACKING_NUMBER_TOKEN, self.carrier_tracking_ref)
        ):
            parcel_urls = tuple((number, template.replace(TRACKING_NUMBER_TOKEN, number)) for number in numbers)
            return {"tracking_url": None, "parcel_urls": parcel_urls}
        return {"tracking_url": url, "parcel_urls": ()}

    def _oms_order_shipped_whole(self):
        """Whether every deliverable line of this delivery's order has now shipped in full: the first parcel of an
        order split in backorders is partial, the last completes it. (A remainder cancelled, delivered without
        backorder, leaves the order open on the platform: it was not shipped.)"""
        lines = self.sale_id.order_line.filtered(
            lambda line: not line.display_type
            and not line.is_delivery
            and line.product_id.type == "consu"
            and line.product_uom_qty > 0
        )
        return all(
            float_compare(line.qty_delivered, line.product_uom_qty, precision_rounding=line.product_uom.rounding) >= 0
            for line in lines
        )

    @api.model
    def _cron_push_tracking(self, limit=200):
        pickings = self.search(
            [
                ("state", "=", "done"),
                ("picking_type_code", "=", "outgoing"),
                ("carrier_tracking_ref", "!=", False),
                ("oms_tracking_pushed", "=", False),
                "|",
                ("sale_id.oms_channel_id.connector", "in", ("rest", "soap")),
                ("sale_id.oms_channel_id.platform", "in", list(PLATFORM_LABELS)),
            ],
            limit=limit,
        )
        pickings._oms_push_tracking()
