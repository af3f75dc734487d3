import json

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..services.carrier import CarrierError, Label, user_text
from .delivery_carrier import OMS_CARRIER_TYPES


class StockPicking(models.Model):
    """Labels bought from the OMS carriers (by hand, or at validation: see ``_pre_action_done_hook``); a carrier
    that fails leaves the delivery ready, with its error and a Retry button."""

    _inherit = "stock.picking"

    oms_carrier_error = fields.Text(
        "Carrier Error", copy=False, readonly=True, help="Why the carrier could not create the label, until retried."
    )
    oms_carrier_error_on_validate = fields.Boolean(
        "Validate on Retry", copy=False, readonly=True, help="The label failed while validating: Retry validates."
    )

    oms_parcel_numbers = fields.Char(
        "Parcel Numbers", copy=False, readonly=True, help="The carrier's number of each parcel of the label."
    )
    oms_carrier_shipment_id = fields.Char(
        "Carrier Shipment", copy=False, readonly=True, help="The carrier's id of the label's shipment or pickup."
    )
    oms_tracking_link = fields.Char(
        "Carrier Tracking Link", copy=False, readonly=True, help="The tracking page the carrier gave with the label."
    )
    oms_carrier_delivery_date = fields.Date(
        "Carrier's Delivery Date",
        copy=False,
        readonly=True,
        help="When the carrier said, with the label, it will deliver: the estimated arrival when given.",
    )
    oms_cancelled_labels = fields.Integer(
        "Cancelled Labels",
        copy=False,
        readonly=True,
        help="Labels of this delivery cancelled at the carrier: the next label is bought under a new reference.",
    )

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
        self._oms_lock_for_labels()
        for picking in self:
            try:
                with self.env.cr.savepoint():
                    # As Odoo's validation does: the carrier's price may go on the sale order.
                    picking.sudo().send_to_shipper()
            except (UserError, ValidationError, CarrierError) as error:
                failed |= picking
                picking._oms_carrier_failed(user_text(error, self.env._), validating)
            else:
                if picking.oms_carrier_error:
                    picking.write({"oms_carrier_error": False, "oms_carrier_error_on_validate": False})
        return failed

    def _oms_lock_for_labels(self):
        """Lock these deliveries' rows until the transaction ends, before asking any carrier: a second request
        buying the same label meanwhile (two packers, a double click, two workers validating) waits, then gets a
        serialization failure, is retried by Odoo, and finds the label bought instead of buying another."""
        if self:
            self.env.cr.execute("SELECT id FROM stock_picking WHERE id IN %s ORDER BY id FOR UPDATE", [tuple(self.ids)])

    # ------------------------------------------------------------------------------------------ labels

    def _oms_shipment_reference(self):
        """Our reference of the delivery's label at the carrier: the carriers find a label bought under it before
        (a time-out) rather than buying a second one, so a label cancelled needs a new one (name-2, name-3...)."""
        self.ensure_one()
        return f"{self.name}-{self.oms_cancelled_labels + 1}" if self.oms_cancelled_labels else self.name

    def _oms_keep_label(self, carrier, label):
        """The label's PDF and the carrier's other papers (a commercial invoice) attached to the delivery; its
        parcels' numbers, the carrier's shipment id and tracking page kept (the tracking number is Odoo's)."""
        self.ensure_one()
        attachments = [(f"{carrier._get_delivery_label_prefix()}-{label.tracking_number}.pdf", label.pdf)]
        for name, pdf in label.documents:
            stem = name.removesuffix(".pdf")
            attachments.append((f"{carrier._get_delivery_doc_prefix()}-{label.tracking_number}-{stem}.pdf", pdf))
        self.write(
            {
                "oms_parcel_numbers": ",".join(label.parcel_numbers) or False,
                "oms_carrier_shipment_id": label.shipment_id or False,
                "oms_tracking_link": self._oms_label_tracking_link(label) or False,
                "oms_carrier_delivery_date": label.delivery_date or False,
            }
        )
        self.message_post(
            body=self.env._(
                "Shipping label of %(carrier)s, tracking number %(number)s.",
                carrier=carrier.name,
                number=label.tracking_number,
            ),
            attachments=attachments,
        )

    @staticmethod
    def _oms_label_tracking_link(label):
        """The carrier's tracking page of the label; for parcels tracked apart, each with its own page, Odoo's JSON
        list of [number, page] (what the delivery's Tracking button lists, and the channels push per parcel)."""
        numbers, pages = label.parcel_numbers, label.parcel_tracking_urls
        if len(numbers) > 1 and label.tracking_number in numbers and len(pages) == len(numbers) and all(pages):
            return json.dumps([[number, page] for number, page in zip(numbers, pages, strict=True)])
        return label.tracking_url

    def _oms_labels_to_cancel(self):
        """What the carrier's client cancels: the label kept (its parcels and shipment id), else each tracking
        number."""
        self.ensure_one()
        numbers = [number.strip() for number in (self.carrier_tracking_ref or "").split(",") if number.strip()]
        if not self.oms_parcel_numbers and not self.oms_carrier_shipment_id:
            return numbers
        parcels = tuple(self.oms_parcel_numbers.split(",")) if self.oms_parcel_numbers else ()
        return [
            Label(
                tracking_number=numbers[0] if numbers else "",
                pdf=b"",
                parcel_numbers=parcels,
                shipment_id=self.oms_carrier_shipment_id or "",
            )
        ]

    def _oms_label_cancelled(self):
        for picking in self:
            picking.write(
                {
                    "oms_cancelled_labels": picking.oms_cancelled_labels + 1,
                    "oms_parcel_numbers": False,
                    "oms_carrier_shipment_id": False,
                    "oms_tracking_link": False,
                    "oms_carrier_delivery_date": False,
                }
            )

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
