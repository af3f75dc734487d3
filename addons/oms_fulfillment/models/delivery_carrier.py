from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.carrier import Address, CarrierError, Parcel, Shipment
from ..services.carrier_rest import RestCarrierClient
from ..services.carrier_soap import SoapCarrierClient

MANAGER_GROUP = "oms_intelligent.group_oms_manager"
# Carriers reached through the OMS connectors: they rate, label and track shipments through their own service.
OMS_CARRIER_TYPES = ("oms_rest", "oms_soap")
# What a carrier type falls back to when oms_fulfillment is uninstalled.
_ONDELETE = {
    carrier_type: lambda carriers: carriers.write({"delivery_type": "fixed", "fixed_price": 0, "active": False})
    for carrier_type in OMS_CARRIER_TYPES
}


class DeliveryCarrier(models.Model):
    """Two more providers in Odoo's carrier API (``<type>_rate_shipment``, ``_send_shipping``,
    ``_get_tracking_link``, ``_cancel_shipment``), so they work wherever Odoo uses carriers (a sale order's *Add
    shipping*, a delivery's validation), plus what rate shopping needs from every carrier: a transit time and a
    price for one delivery order."""

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("oms_rest", "OMS REST carrier"), ("oms_soap", "OMS SOAP carrier")], ondelete=_ONDELETE
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
        """The client of this carrier's service (credentials read as superuser, for users who cannot read them)."""
        self.ensure_one()
        carrier = self.sudo()
        if not carrier.oms_service_url:
            raise CarrierError(self.env._("the carrier has no service URL: an OMS manager sets it on the carrier"))
        if carrier.delivery_type == "oms_rest":
            return RestCarrierClient(
                carrier.oms_service_url, carrier.oms_api_key, carrier.oms_account, timeout=carrier.oms_timeout
            )
        if carrier.delivery_type == "oms_soap":
            return SoapCarrierClient(
                carrier.oms_service_url, carrier.oms_api_key, carrier.oms_account, timeout=carrier.oms_timeout
            )
        raise CarrierError(self.env._("%s is not an OMS carrier", self.name))

    # ------------------------------------------------------------------------------------------ shipments

    @api.model
    def _oms_address(self, partner):
        return Address(
            name=partner.name or partner.commercial_partner_id.name or "",
            street=partner.street or "",
            street2=partner.street2 or "",
            city=partner.city or "",
            zip=partner.zip or "",
            state=partner.state_id.code or "",
            country_code=partner.country_id.code or "",
            phone=partner.phone or partner.mobile or "",
            email=partner.email or "",
        )

    def _oms_units(self):
        """(weight unit, kg, length unit, cm) to convert Odoo's configured units to the carriers'."""
        template = self.env["product.template"]
        return (
            template._get_weight_uom_id_from_ir_config_parameter(),
            self.env.ref("uom.product_uom_kgm"),
            template._get_length_uom_id_from_ir_config_parameter(),
            self.env.ref("uom.product_uom_cm"),
        )

    @api.model
    def _oms_parcels(self, picking):
        """One parcel per package of the delivery, plus one for what is not packed; a single parcel of the
        delivery's weight when nothing is reserved yet."""
        weight_uom, kg, length_uom, cm = self._oms_units()

        def parcel(weight, package_type=None, reference=""):
            dimensions = (
                (package_type.packaging_length, package_type.width, package_type.height) if package_type else (0, 0, 0)
            )
            return Parcel(
                weight=weight_uom._compute_quantity(weight, kg, round=False),
                length=length_uom._compute_quantity(dimensions[0], cm, round=False),
                width=length_uom._compute_quantity(dimensions[1], cm, round=False),
                height=length_uom._compute_quantity(dimensions[2], cm, round=False),
                reference=reference,
            )

        parcels = [
            parcel(package.shipping_weight or package.weight, package.package_type_id, package.name)
            for package in picking.move_line_ids.result_package_id
        ]
        if picking.weight_bulk:
            parcels.append(parcel(picking.weight_bulk))
        if not parcels:
            parcels.append(parcel(picking.shipping_weight or picking.weight))
        return tuple(parcels)

    def _oms_shipment_from_picking(self, picking):
        self.ensure_one()
        sender = picking.picking_type_id.warehouse_id.partner_id or picking.company_id.partner_id
        return Shipment(
            reference=picking.name,
            sender=self._oms_address(sender),
            recipient=self._oms_address(picking.partner_id),
            parcels=self._oms_parcels(picking),
            service=self.oms_service_code or "",
        )

    def _oms_shipment_from_order(self, order):
        self.ensure_one()
        weight_uom, kg, _length_uom, _cm = self._oms_units()
        weight = self.env.context.get("order_weight") or order.shipping_weight or order._get_estimated_weight()
        sender = order.warehouse_id.partner_id or order.company_id.partner_id
        return Shipment(
            reference=order.name,
            sender=self._oms_address(sender),
            recipient=self._oms_address(order.partner_shipping_id),
            parcels=(Parcel(weight_uom._compute_quantity(weight, kg, round=False)),),
            service=self.oms_service_code or "",
        )

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
                "error_message": self.env._("%(carrier)s gave no rate: %(error)s", carrier=self.name, error=error),
                "warning_message": False,
            }
        # Like Odoo's rule-based carriers: the price in the order's currency.
        price = currency._convert(
            rate.price, order.currency_id, order.company_id, order.date_order or fields.Date.today()
        )
        return {"success": True, "price": price, "error_message": False, "warning_message": False}

    def _oms_send_shipping(self, pickings):
        """Buy a label per delivery: the PDF is attached to the delivery and posted in its chatter. Returns Odoo's
        [{exact_price (company currency), tracking_number}]; a carrier failure raises UserError."""
        self.ensure_one()
        client = None
        results = []
        for picking in pickings:
            try:
                client = client or self._oms_client()
                label = client.create_label(self._oms_shipment_from_picking(picking))
                price = 0.0
                if label.price is not None:
                    currency = self._oms_currency(label.currency or picking.company_id.currency_id.name)
                    price = currency._convert(
                        label.price, picking.company_id.currency_id, picking.company_id, fields.Date.today()
                    )
            except CarrierError as error:
                raise UserError(
                    self.env._(
                        "%(carrier)s could not create the label of %(picking)s: %(error)s",
                        carrier=self.name,
                        picking=picking.name,
                        error=error,
                    )
                ) from None
            filename = f"{self._get_delivery_label_prefix()}-{label.tracking_number}.pdf"
            picking.message_post(
                body=self.env._(
                    "Shipping label of %(carrier)s, tracking number %(number)s.",
                    carrier=self.name,
                    number=label.tracking_number,
                ),
                attachments=[(filename, label.pdf)],
            )
            results.append({"exact_price": price, "tracking_number": label.tracking_number})
        return results

    def _oms_get_tracking_link(self, picking):
        if self.tracking_url and picking.carrier_tracking_ref:
            return self.tracking_url.replace("<shipmenttrackingnumber>", picking.carrier_tracking_ref)
        return False

    def _oms_cancel_shipment(self, pickings):
        self.ensure_one()
        client = self._oms_client()
        for picking in pickings.filtered("carrier_tracking_ref"):
            for number in picking.carrier_tracking_ref.split(","):
                try:
                    client.cancel(number.strip())
                except CarrierError as error:
                    raise UserError(
                        self.env._(
                            "%(carrier)s could not cancel shipment %(number)s: %(error)s",
                            carrier=self.name,
                            number=number,
                            error=error,
                        )
                    ) from None

    def _oms_tracking(self, tracking_number, client=None):
        """The carrier's TrackingStatus of one tracking number (CarrierError when it cannot say)."""
        self.ensure_one()
        return (client or self._oms_client()).tracking(tracking_number)

    def oms_rest_rate_shipment(self, order):
        return self._oms_rate_shipment(order)

    def oms_rest_send_shipping(self, pickings):
        return self._oms_send_shipping(pickings)

    def oms_rest_get_tracking_link(self, picking):
        return self._oms_get_tracking_link(picking)

    def oms_rest_cancel_shipment(self, pickings):
        return self._oms_cancel_shipment(pickings)

    def oms_soap_rate_shipment(self, order):
        return self._oms_rate_shipment(order)

    def oms_soap_send_shipping(self, pickings):
        return self._oms_send_shipping(pickings)

    def oms_soap_get_tracking_link(self, picking):
        return self._oms_get_tracking_link(picking)

    def oms_soap_cancel_shipment(self, pickings):
        return self._oms_cancel_shipment(pickings)

    # ------------------------------------------------------------------------------------------ rate shopping

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

    def _oms_quote_picking(self, picking, client=None, currencies=None):
        """(price, currency, transit days) this carrier asks to ship the delivery; CarrierError or UserError when
        it cannot say. Odoo's fixed and rule-based carriers are priced on the delivery's own weight and value."""
        self.ensure_one()
        if self.delivery_type in OMS_CARRIER_TYPES:
            rate = (client or self._oms_client()).rate(self._oms_shipment_from_picking(picking))
            transit = rate.transit_days if rate.transit_days is not None else self.oms_transit_days
            return rate.price, self._oms_currency(rate.currency, currencies), transit
        company_currency = (self.company_id or picking.company_id).currency_id
        if self.delivery_type == "fixed":
            return self.fixed_price, company_currency, self.oms_transit_days
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
            return price, company_currency, self.oms_transit_days
        # Any other provider, through Odoo's own API on the delivery's sale order.
        if not picking.sale_id:
            raise CarrierError(self.env._("this carrier rates sale orders only, and this delivery has none"))
        result = self.rate_shipment(picking.sale_id)
        if not result.get("success"):
            raise CarrierError(result.get("error_message") or self.env._("no rate"))
        return result["price"], picking.sale_id.currency_id, self.oms_transit_days
