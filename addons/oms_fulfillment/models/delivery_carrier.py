import json

from odoo import fields, models
from odoo.exceptions import UserError

from ..services.carrier import CarrierError, Label
from ..services.carrier_dhl_express import DhlNoCancellation
from ..services.carrier_rest import RestCarrierClient
from ..services.carrier_soap import SoapCarrierClient

MANAGER_GROUP = "oms_intelligent.group_oms_manager"
# The carrier platforms with their own API (delivery_carrier_platforms.py): each has its client in services/.
OMS_PLATFORM_TYPES = ("oms_sendcloud", "oms_dhl_express", "oms_correos")
# Carriers reached through the OMS connectors: they rate, label and track shipments through their own service.
OMS_CARRIER_TYPES = ("oms_rest", "oms_soap", *OMS_PLATFORM_TYPES)


def oms_ondelete(carrier_types):
    """What a carrier type falls back to when oms_fulfillment is uninstalled."""
    return {
        carrier_type: lambda carriers: carriers.write({"delivery_type": "fixed", "fixed_price": 0, "active": False})
        for carrier_type in carrier_types
    }


class DeliveryCarrier(models.Model):
    """The OMS carriers as providers of Odoo's carrier API (``<type>_rate_shipment``, ``_send_shipping``,
    ``_get_tracking_link``, ``_cancel_shipment``, one implementation for every type in ``OMS_CARRIER_TYPES``), so
    they work wherever Odoo uses carriers (a sale order's *Add shipping*, a delivery's validation), plus what rate
    shopping needs from every carrier: a transit time and a price for one delivery order. Each type builds its
    client in ``_<type>_client`` (``_oms_rest_client``...)."""

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("oms_rest", "OMS REST carrier"), ("oms_soap", "OMS SOAP carrier")],
        ondelete=oms_ondelete(("oms_rest", "oms_soap")),
    )
    oms_transit_days = fields.Integer(
        "Transit Days",
        default=2,
        help="Working days this carrier usually takes from collection to delivery. Carriers whose service gives a "
        "transit time with each rate use this when it gives none.",
    )
    oms_rate_shopping = fields.Boolean(
        "Shop Rates",
        default=True,
        help="Ask this carrier for a rate when shopping rates for a delivery of its company.",
    )
    oms_service_code = fields.Char(
        "Service", help="The carrier's service to book, e.g. EXPRESS; the carrier's default service when empty."
    )
    oms_timeout = fields.Float(
        "Timeout (seconds)", default=10.0, help="How long to wait for the carrier's service before giving up."
    )
    # Credentials: only OMS managers read or write them; the carrier methods read them as superuser and never
    # show them (not in the chatter, the logs, nor error messages).
    oms_service_url = fields.Char(
        "Service URL", groups=MANAGER_GROUP, help="REST: the base URL of the carrier's API. SOAP: the URL of its WSDL."
    )
    oms_account = fields.Char("Account Number", groups=MANAGER_GROUP, copy=False)
    oms_api_key = fields.Char("API Key / Password", groups=MANAGER_GROUP, copy=False)

    _sql_constraints = [
        ("oms_transit_days_not_negative", "CHECK(oms_transit_days >= 0)", "Transit days cannot be negative."),
        ("oms_timeout_positive", "CHECK(oms_timeout > 0)", "The carrier's timeout must be more than 0 seconds."),
    ]

    # ------------------------------------------------------------------------------------------ connection

    def _oms_client(self):
        """The client of this carrier's service (credentials read as superuser, for users who cannot read them),
        built by the ``_<delivery type>_client`` of its type."""
        self.ensure_one()
        carrier = self.sudo()
        build = getattr(carrier, f"_{carrier.delivery_type}_client", None)
        if carrier.delivery_type not in OMS_CARRIER_TYPES or build is None:
            raise CarrierError(self.env._("%s is not an OMS carrier", self.name), transient=False)
        return build()

    def _oms_required_url(self):
        if not self.oms_service_url:
            raise CarrierError(
                self.env._("the carrier has no service URL: an OMS manager sets it on the carrier"), transient=False
            )
        return self.oms_service_url

    def _oms_rest_client(self):
        return RestCarrierClient(self._oms_required_url(), self.oms_api_key, self.oms_account, timeout=self.oms_timeout)

    def _oms_soap_client(self):
        return SoapCarrierClient(self._oms_required_url(), self.oms_api_key, self.oms_account, timeout=self.oms_timeout)

    # ------------------------------------------------------------------------------------------ shipments

    def _oms_currency(self, code, currencies=None):
        """The currency of an ISO code; ``currencies`` ({code: currency}) spares the search for many calls."""
        if currencies is not None:
            currency = currencies.get(code) or self.env["res.currency"]
        else:
            currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", code)], limit=1)
        if not currency:
            raise CarrierError(self.env._("the carrier answered in %s, a currency Odoo does not know", code))
        return currency

    # ------------------------------------------------------------------------------------------ Odoo's carrier API

    def _oms_rate_shipment(self, order):
        try:
            rate = self._oms_client().rate(self._oms_shipment_from_order(order))
            currency = self._oms_currency(rate.currency)
        except CarrierError as error:
            return {
                "success": False,
                "price": 0.0,
                "error_message": self.env._(
                    "%(carrier)s gave no rate: %(error)s", carrier=self.name, error=error.text(self.env._)
                ),
                "warning_message": False,
            }
        # Like Odoo's rule-based carriers: the price in the order's currency.
        price = currency._convert(
            rate.price, order.currency_id, order.company_id, order.date_order or fields.Date.today()
        )
        return {"success": True, "price": price, "error_message": False, "warning_message": False}

    def _oms_send_shipping(self, pickings):
        """Buy a label per delivery (under the delivery's shipment reference, so that a retry after a time-out gets
        the label bought before): its PDF and papers are attached to the delivery. Returns Odoo's
        [{exact_price (company currency), tracking_number}]; a carrier failure raises UserError, and nothing of
        the label is kept."""
        self.ensure_one()
        client = None
        results = []
        for picking in pickings:
            try:
                client = client or self._oms_client()
                label = client.create_label(self._oms_shipment_from_picking(picking))
                price = self._oms_label_price(label, picking.company_id)
            except CarrierError as error:
                raise UserError(
                    self.env._(
                        "%(carrier)s could not create the label of %(picking)s: %(error)s",
                        carrier=self.name,
                        picking=picking.name,
                        error=error.text(self.env._),
                    )
                ) from None
            picking._oms_keep_label(self, label)
            results.append({"exact_price": price, "tracking_number": self._oms_tracking_numbers(label)})
        return results

    def _oms_label_price(self, label, company):
        if label.price is None:
            return 0.0
        currency = self._oms_currency(label.currency or company.currency_id.name)
        return currency._convert(label.price, company.currency_id, company, fields.Date.today())

    @staticmethod
    def _oms_tracking_numbers(label):
        """The delivery's tracking numbers: every parcel's when each parcel is tracked on its own (comma-separated,
        as Odoo's carriers do), else the shipment's (a waybill whose pieces are not tracked apart)."""
        if len(label.parcel_numbers) > 1 and label.tracking_number in label.parcel_numbers:
            return ",".join(label.parcel_numbers)
        return label.tracking_number

    def _oms_get_tracking_link(self, picking):
        """The carrier's page of the shipment when it gave one with the label, else the carrier's Tracking Link
        filled with the number: with several parcels, Odoo's JSON list of [number, page], one page per parcel
        (which the delivery's Tracking button lists)."""
        numbers = [number.strip() for number in (picking.carrier_tracking_ref or "").split(",") if number.strip()]
        if not numbers:
            return False
        if picking.oms_tracking_link:
            return picking.oms_tracking_link
        if not self.tracking_url:
            return False
        pages = [[number, self.tracking_url.replace("<shipmenttrackingnumber>", number)] for number in numbers]
        return pages[0][1] if len(pages) == 1 else json.dumps(pages)

    def _oms_cancel_shipment(self, pickings):
        """Cancel the labels at the carrier; the next label of a delivery then gets a new reference. A carrier
        that cannot cancel (DHL Express) says what to do instead, in the delivery's chatter."""
        self.ensure_one()
        client = self._oms_client()
        for picking in pickings.filtered("carrier_tracking_ref"):
            for label in picking._oms_labels_to_cancel():
                number = label.tracking_number if isinstance(label, Label) else label
                answer = None
                try:
                    answer = client.cancel(label)
                except DhlNoCancellation as error:
                    picking.message_post(
                        body=self.env._(
                            "%(carrier)s did not cancel shipment %(number)s: %(error)s",
                            carrier=self.name,
                            number=number,
                            error=error.text(self.env._),
                        )
                    )
                except CarrierError as error:
                    raise UserError(
                        self.env._(
                            "%(carrier)s could not cancel shipment %(number)s: %(error)s",
                            carrier=self.name,
                            number=number,
                            error=error.text(self.env._),
                        )
                    ) from None
                if answer == "queued":
                    picking.message_post(
                        body=self.env._(
                            "%(carrier)s will cancel shipment %(number)s later, unless its carrier scans the parcel "
                            "first: do not hand it over.",
                            carrier=self.name,
                            number=number,
                        )
                    )
            picking._oms_label_cancelled()

    def _oms_tracking(self, tracking_number, client=None):
        """The carrier's TrackingStatus of one tracking number (CarrierError when it cannot say)."""
        self.ensure_one()
        return (client or self._oms_client()).tracking(tracking_number)

    # ------------------------------------------------------------------------------------------ rate shopping

    def _oms_rate_key(self, shipment):
        """What a carrier's rate depends on: the carrier, its service, the route's countries and postcodes, the
        parcels' weights and sizes (in any order), the insured value and whether the goods clear customs."""
        sender, recipient = shipment.sender, shipment.recipient
        parcels = tuple(sorted((p.weight, p.length, p.width, p.height) for p in shipment.parcels))
        route = (sender.country_code, sender.zip, recipient.country_code, recipient.zip)
        return self.id, shipment.service, route, parcels, shipment.insured_value, bool(shipment.customs)

    def _oms_matches_picking(self, picking):
        """Odoo's ``_match`` (address, must-have and excluded product tags, maximum weight and volume) applied to
        what this delivery ships, rather than to its whole sale order (a split order ships part of it)."""
        self.ensure_one()
        if not self._match_address(picking.partner_id):
            return False
        moves = picking.move_ids.filtered(lambda move: move.state != "cancel")
        tags = moves.product_id.all_product_tag_ids
        if self.must_have_tag_ids and not self.must_have_tag_ids & tags:
            return False
        if self.excluded_tag_ids & tags:
            return False
        if self.max_weight and (picking.shipping_weight or picking.weight) > self.max_weight:
            return False
        volume = sum(move.product_id.volume * move.product_qty for move in moves)
        return not (self.max_volume and volume > self.max_volume)

    def _oms_quote_picking(self, picking, client=None, currencies=None, rates=None):
        """(price, currency, transit days, service) this carrier asks to ship the delivery; CarrierError or
        UserError when it cannot say. Odoo's fixed and rule-based carriers are priced on the delivery's own weight
        and value. ``rates`` ({key: Rate}) keeps the OMS carriers' rates of one run: deliveries of the same parcels
        on the same route are rated once per carrier."""
        self.ensure_one()
        if self.delivery_type in OMS_CARRIER_TYPES:
            shipment = self._oms_shipment_from_picking(picking)
            key = self._oms_rate_key(shipment)
            rate = rates.get(key) if rates is not None else None
            if rate is None:
                rate = (client or self._oms_client()).rate(shipment)
                if rates is not None:
                    rates[key] = rate
            transit = rate.transit_days if rate.transit_days is not None else self.oms_transit_days
            return rate.price, self._oms_currency(rate.currency, currencies), transit, rate.service
        company_currency = (self.company_id or picking.company_id).currency_id
        if self.delivery_type == "fixed":
            return self.fixed_price, company_currency, self.oms_transit_days, ""
        if self.delivery_type == "base_on_rule":
            moves = picking.move_ids.filtered(lambda move: move.state != "cancel")
            total = sum(
                move.product_qty
                * (move.sale_line_id.price_reduce_taxinc if move.sale_line_id else move.product_id.lst_price)
                for move in moves
            )
            if picking.sale_id:
                total = self._compute_currency(picking.sale_id, total, "pricelist_to_company")
            price = self._get_price_from_picking(
                total,
                picking.shipping_weight or picking.weight,
                sum(move.product_id.volume * move.product_qty for move in moves),
                sum(moves.mapped("product_qty")),
            )
            return price, company_currency, self.oms_transit_days, ""
        # Any other provider, through Odoo's own API on the delivery's sale order.
        if not picking.sale_id:
            raise CarrierError(self.env._("this carrier rates sale orders only, and this delivery has none"))
        result = self.rate_shipment(picking.sale_id)
        if not result.get("success"):
            raise CarrierError(result.get("error_message") or self.env._("no rate"))
        return result["price"], picking.sale_id.currency_id, self.oms_transit_days, ""


def _odoo_hooks(carrier_type):
    """Odoo's provider hooks of one OMS carrier type, all going to the one implementation above."""
    return {
        f"{carrier_type}_rate_shipment": lambda self, order: self._oms_rate_shipment(order),
        f"{carrier_type}_send_shipping": lambda self, pickings: self._oms_send_shipping(pickings),
        f"{carrier_type}_get_tracking_link": lambda self, picking: self._oms_get_tracking_link(picking),
        f"{carrier_type}_cancel_shipment": lambda self, pickings: self._oms_cancel_shipment(pickings),
    }


for _carrier_type in OMS_CARRIER_TYPES:
    for _name, _hook in _odoo_hooks(_carrier_type).items():
        setattr(DeliveryCarrier, _name, _hook)
