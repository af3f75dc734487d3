from odoo import api, models

from ..services.carrier import DELIVERED, EXCEPTION, IN_TRANSIT, PENDING, CarrierError
from ..services.returns_provider import ReturnsProviderError, ReturnStatus

# A carrier's tracking status -> the return's provider status.
RETURN_STATUS = {PENDING: "label_created", IN_TRANSIT: "in_transit", DELIVERED: "delivered", EXCEPTION: "exception"}


class OmsReturnCarrier(models.Model):
    """Return labels and return tracking from a carrier platform (Sendcloud's Returns API) when the company names
    one as its returns carrier, instead of the returns provider's URL: the customer sends the parcel from the
    delivery address to the warehouse, with customs lines from outside the EU."""

    _inherit = "oms.return"

    def _oms_returns_carrier(self):
        self.ensure_one()
        return self.company_id.sudo().oms_returns_carrier_id

    def _oms_carrier_return_label(self, carrier, warehouse):
        """The carrier's return Label (ReturnsProviderError when it makes none)."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.quantity > 0)
        goods = [
            (
                line.product_id,
                line.quantity,
                carrier._oms_converted(line.sale_line_id.price_reduce_taxexcl, line.sale_line_id.order_id)
                if line.sale_line_id
                else line.product_id.lst_price,
            )
            for line in lines
        ]
        weight = sum(line.product_id.weight * line.quantity for line in lines)
        shipment = carrier._oms_shipment(
            reference=self.name,
            sender=self.sale_order_id.partner_shipping_id or self.partner_id,
            recipient=warehouse.partner_id or self.company_id.partner_id,
            parcels=(carrier._oms_parcel(weight),),
            service=carrier.oms_return_service_code or "",
            currency=self.company_id.currency_id,
            goods=goods,
        )
        try:
            return carrier._oms_client().create_return(shipment)
        except CarrierError as error:
            raise ReturnsProviderError(error.text(self.env._), transient=error.transient) from None

    def _oms_return_status(self):
        """Where the returned parcel is (a ReturnStatus), asked of the returns carrier or the returns provider."""
        self.ensure_one()
        carrier = self._oms_returns_carrier()
        if not carrier:
            return self._oms_provider_client().status(self.provider_tracking_ref)
        try:
            status = carrier._oms_tracking(self.provider_tracking_ref)
        except CarrierError as error:
            raise ReturnsProviderError(error.text(self.env._), transient=error.transient) from None
        return ReturnStatus(self.provider_tracking_ref, RETURN_STATUS[status.status], status.description)

    @api.model
    def _oms_receive_carrier_tracking(self, carrier, status):
        """A carrier's news (a webhook) of a returned parcel: the returns of the companies whose returns carrier
        it is, with that tracking number, take it. Returns them."""
        returns = self.search(
            [
                ("provider_tracking_ref", "=", status.tracking_number),
                ("company_id.oms_returns_carrier_id", "=", carrier.id),
            ]
        )
        for rma in returns:
            rma._oms_apply_provider_status(
                ReturnStatus(status.tracking_number, RETURN_STATUS[status.status], status.description)
            )
        return returns
