from odoo import api, fields, models

from ..services.carrier import Address, CustomsLine, Parcel, Shipment
from ..services.customs_territory import needs_customs


class DeliveryCarrier(models.Model):
    """What an OMS carrier is asked to rate or ship (``services.carrier.Shipment``), built from a delivery order or
    a sale order: the warehouse's address as the sender, a parcel per package, the goods' value at their sale price
    (insured above the carrier's threshold), customs lines across a customs border, and the
    service rate shopping picked."""

    _inherit = "delivery.carrier"

    oms_insurance_threshold = fields.Float(
        "Insure Above",
        help="Shipments whose goods are worth more than this (in the company's currency) are insured with the "
        "carrier for their value. 0: never insured.",
    )

    oms_default_package_type_id = fields.Many2one(
        "stock.package.type",
        "Default Box",
        check_company=True,
        help="The size given to the carrier for what is not in a package (a sale order's rate, unpacked goods): "
        "carriers such as DHL Express price and ship only parcels with a size.",
    )

    _sql_constraints = [
        (
            "oms_insurance_threshold_not_negative",
            "CHECK(oms_insurance_threshold >= 0)",
            "The insurance threshold cannot be negative.",
        ),
    ]

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

    def _oms_parcel(self, weight, package_type=None, reference=""):
        """A Parcel in kg and cm; the carrier's default box gives the size of what is not in a package."""
        weight_uom, kg, length_uom, cm = self._oms_units()
        package_type = package_type or self.oms_default_package_type_id
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

    def _oms_parcels(self, picking):
        """One parcel per package of the delivery, plus one for what is not packed; a single parcel of the
        delivery's weight when nothing is reserved yet."""
        parcels = [
            self._oms_parcel(package.shipping_weight or package.weight, package.package_type_id, package.name)
            for package in picking.move_line_ids.result_package_id
        ]
        if picking.weight_bulk:
            parcels.append(self._oms_parcel(picking.weight_bulk))
        if not parcels:
            parcels.append(self._oms_parcel(picking.shipping_weight or picking.weight))
        return tuple(parcels)

    def _oms_shipment_from_picking(self, picking):
        self.ensure_one()
        sender = picking.picking_type_id.warehouse_id.partner_id or picking.company_id.partner_id
        currency = picking.company_id.currency_id
        goods = [
            (move.product_id, move.quantity or move.product_uom_qty, self._oms_unit_value(move))
            for move in picking.move_ids.filtered(lambda move: move.state != "cancel")
        ]
        return self._oms_shipment(
            reference=picking._oms_shipment_reference(),
            sender=sender,
            recipient=picking.partner_id,
            parcels=self._oms_parcels(picking),
            service=picking._oms_chosen_service(self),
            currency=currency,
            goods=goods,
        )

    def _oms_shipment_from_order(self, order):
        self.ensure_one()
        weight = self.env.context.get("order_weight") or order.shipping_weight or order._get_estimated_weight()
        lines = order.order_line.filtered(lambda line: not line.is_delivery and not line.display_type)
        return self._oms_shipment(
            reference=order.name,
            sender=order.warehouse_id.partner_id or order.company_id.partner_id,
            recipient=order.partner_shipping_id,
            parcels=(self._oms_parcel(weight),),
            service=self.oms_service_code or "",
            currency=order.company_id.currency_id,
            goods=[
                (line.product_id, line.product_uom_qty, self._oms_converted(line.price_reduce_taxexcl, order))
                for line in lines
            ],
        )

    def _oms_unit_value(self, move):
        """What one unit of a move sells for, without taxes, in the company's currency: its sale line's price,
        else the product's sales price."""
        if move.sale_line_id:
            return self._oms_converted(move.sale_line_id.price_reduce_taxexcl, move.sale_line_id.order_id)
        return move.product_id.lst_price

    @api.model
    def _oms_converted(self, amount, order):
        """An amount of a sale order in its company's currency: the goods are declared in the currency of the
        company that ships them (some carriers, such as Correos, take euros only)."""
        company = order.company_id
        return order.currency_id._convert(amount, company.currency_id, company, order.date_order or fields.Date.today())

    def _oms_shipment(self, *, reference, sender, recipient, parcels, service, currency, goods):
        """The Shipment; ``goods`` is [(product, quantity, unit value in ``currency``, the company's)]; the goods'
        value is insured above the carrier's threshold."""
        declared = currency.round(sum(quantity * value for _product, quantity, value in goods))
        insured = self.oms_insurance_threshold and declared > self.oms_insurance_threshold
        sender_address, recipient_address = self._oms_address(sender), self._oms_address(recipient)
        return Shipment(
            reference=reference,
            sender=sender_address,
            recipient=recipient_address,
            parcels=parcels,
            service=service,
            currency=currency.name,
            declared_value=declared,
            insured_value=declared if insured else 0.0,
            customs=self._oms_customs_lines(goods, sender, recipient),
        )

    def _oms_customs_lines(self, goods, sender, recipient):
        """A commercial invoice line per product when the parcel crosses a customs border (outside the EU, or to and
        from the Canary Islands, Ceuta and Melilla: ``services.customs_territory``): Odoo's HS code and country of
        origin of the product (the warehouse's country when it has none), as Odoo's own connectors."""
        if not needs_customs(sender.country_id.code, sender.zip, recipient.country_id.code, recipient.zip):
            return ()
        origin = sender.country_id
        weight_uom, kg, _length_uom, _cm = self._oms_units()
        return tuple(
            CustomsLine(
                description=product.name,
                quantity=quantity,
                unit_value=round(value, 2),
                weight=weight_uom._compute_quantity(product.weight * quantity, kg, round=False),
                hs_code=product.hs_code or "",
                origin_country=product.country_of_origin.code or origin.code or "",
                sku=product.default_code or "",
            )
            for product, quantity, value in goods
            if quantity > 0 and product.type == "consu"
        )
