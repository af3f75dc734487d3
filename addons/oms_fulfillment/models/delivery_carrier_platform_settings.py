from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .delivery_carrier import MANAGER_GROUP

# DHL Express's pickup.location holds at most 80 characters (its OpenAPI file, version 2.12.0).
PICKUP_LOCATION_LENGTH = 80


class DeliveryCarrier(models.Model):
    """What a merchant sets on Sendcloud, DHL Express and Correos carriers besides their credentials: the paper the
    labels are printed on, DHL Express's incoterm and courier pickup, and the Correos contract's numbers (read and
    changed by OMS managers only, like the credentials). Each becomes an option of the carrier's client
    (delivery_carrier_platforms.py)."""

    _inherit = "delivery.carrier"

    oms_label_paper_size = fields.Selection(
        [("A6", "A6 (label printer)"), ("A4", "A4 (office printer)")],
        "Label Paper Size",
        default="A6",
        required=True,
        help="Sendcloud and DHL Express: the paper labels are printed on. Correos' pre-registration service has no "
        "label size: its labels come as Correos lays them out.",
    )
    oms_incoterm = fields.Selection(
        [("DAP", "DAP: the receiver pays duties and taxes"), ("DDP", "DDP: the shipper pays duties and taxes")],
        "Incoterm",
        default="DAP",
        required=True,
        help="DHL Express: who pays the duties and taxes of a shipment that crosses a customs border.",
    )
    oms_book_pickup = fields.Boolean(
        "Book Courier Pickup",
        help="DHL Express: book a courier pickup with every label (cancelled with the label). Leave it off when DHL "
        "collects at the warehouse every day anyway.",
    )
    oms_pickup_close_time = fields.Float(
        "Pickup Close Time",
        default=18.0,
        help="DHL Express: the latest time the courier can collect the parcels, in the warehouse's local time.",
    )
    oms_pickup_location = fields.Char(
        "Pickup Location",
        size=PICKUP_LOCATION_LENGTH,
        help="DHL Express: where the courier collects the parcels, e.g. Reception or Dock 3.",
    )
    oms_pickup_requestor = fields.Char(
        "Pickup Requestor",
        help="DHL Express: the name DHL is given when a pickup is cancelled; the user who cancels when empty.",
    )
    oms_contract_number = fields.Char(
        "Contract Number",
        size=8,
        groups=MANAGER_GROUP,
        copy=False,
        help="Correos: the contract number (NumContrato), when Correos gave one with the web service user.",
    )
    oms_customer_number = fields.Char(
        "Customer Number",
        size=8,
        groups=MANAGER_GROUP,
        copy=False,
        help="Correos: the customer number (NumCliente), when Correos gave one with the contract.",
    )
    oms_customs_reference = fields.Char(
        "Customs Reference",
        size=50,
        groups=MANAGER_GROUP,
        copy=False,
        help="Correos: the sender's customs reference printed on customs declarations (RefAduaneraExpedidor), e.g. "
        "the company's EORI number.",
    )

    @api.constrains("oms_pickup_close_time")
    def _check_oms_pickup_close_time(self):
        for carrier in self:
            if not 0 <= carrier.oms_pickup_close_time < 24:
                raise ValidationError(self.env._("The pickup close time is a time of day, from 00:00 to 23:59."))

    def _oms_pickup(self):
        """DHL Express's ``pickup`` of every shipment: None when no pickup is booked."""
        if not self.oms_book_pickup:
            return None
        hours, minutes = divmod(round(self.oms_pickup_close_time * 60), 60)
        pickup = {"closeTime": f"{min(hours, 23):02d}:{minutes:02d}"}
        if self.oms_pickup_location:
            pickup["location"] = self.oms_pickup_location.strip()
        return pickup

    def _oms_dhl_express_options(self):
        """The DHL Express client's options from the carrier's settings."""
        return {
            "paper_size": self.oms_label_paper_size,
            "incoterm": self.oms_incoterm,
            "pickup": self._oms_pickup(),
            "requestor_name": self.oms_pickup_requestor or self.env.user.name,
        }

    def _oms_correos_contract(self):
        """The Correos contract's numbers, as the client's credentials name them (read as superuser)."""
        carrier = self.sudo()
        return {
            "contract_number": carrier.oms_contract_number,
            "customer_number": carrier.oms_customer_number,
            "customs_reference": carrier.oms_customs_reference,
        }
