from odoo import api, fields, models
from odoo.addons.oms_intelligent.services.public_body import parse_json_object, signature_matches
from odoo.exceptions import UserError

from ..services.returns_provider import STATUSES, ReturnsProviderClient, ReturnsProviderError, parse_status


class OmsReturnProvider(models.Model):
    """The returns provider: a prepaid return label, and where the returned parcel is (asked, or posted by the
    provider's signed webhook)."""

    _inherit = "oms.return"

    provider_tracking_ref = fields.Char(
        "Return Tracking", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    provider_status = fields.Selection(
        [
            ("label_created", "Label Created"),
            ("in_transit", "In Transit"),
            ("delivered", "Delivered to the Warehouse"),
            ("exception", "Exception"),
        ],
        "Return Shipment",
        readonly=True,
        copy=False,
        tracking=True,
    )

    def _oms_provider_client(self):
        self.ensure_one()
        company = self.company_id.sudo()
        if not company.oms_returns_provider_url:
            raise UserError(self.env._("No returns provider is set up (Settings › Order Management › Returns)."))
        return ReturnsProviderClient(company.oms_returns_provider_url, company.oms_returns_provider_key or "")

    @staticmethod
    def _oms_address(partner):
        return {
            "name": partner.name or "",
            "street": partner.street or "",
            "city": partner.city or "",
            "zip": partner.zip or "",
            "country_code": partner.country_id.code or "",
            "email": partner.email or "",
        }

    def action_oms_get_return_label(self):
        """A prepaid return label from the returns provider, attached to the return and sent nowhere (the customer
        gets it by the chatter or the portal)."""
        for rma in self:
            if rma.state != "approved":
                raise UserError(self.env._("%s: return labels are for approved returns.", rma.name))
            warehouse = rma.picking_id.picking_type_id.warehouse_id or rma.sale_order_id.warehouse_id
            items = [
                {
                    "sku": line.product_id.default_code or str(line.product_id.id),
                    "name": line.product_id.name,
                    "quantity": line.quantity,
                }
                for line in rma.line_ids
                if line.quantity > 0
            ]
            try:
                carrier = rma._oms_returns_carrier()
                if carrier:
                    label = rma._oms_carrier_return_label(carrier, warehouse)
                else:
                    label = rma._oms_provider_client().create_label(
                        rma.name,
                        rma._oms_address(rma.sale_order_id.partner_shipping_id or rma.partner_id),
                        rma._oms_address(warehouse.partner_id or rma.company_id.partner_id),
                        items,
                    )
            except ReturnsProviderError as error:
                raise UserError(self.env._("The returns provider could not make the label: %s", error)) from error
            attachment = rma.env["ir.attachment"].create(
                {
                    "name": f"{label.tracking_number}.pdf",
                    "raw": label.pdf,
                    "mimetype": "application/pdf",
                    "res_model": rma._name,
                    "res_id": rma.id,
                }
            )
            rma.write({"provider_tracking_ref": label.tracking_number, "provider_status": "label_created"})
            rma.message_post(
                body=self.env._("Return label %s created.", label.tracking_number),
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )

    def action_oms_check_return_status(self):
        """Ask the returns provider where the returned parcels are."""
        for rma in self.filtered("provider_tracking_ref"):
            try:
                status = rma._oms_return_status()
            except ReturnsProviderError as error:
                rma.message_post(body=self.env._("Return status not checked: %s", error), subtype_xmlid="mail.mt_note")
                continue
            rma._oms_apply_provider_status(status)

    def _oms_apply_provider_status(self, status):
        self.ensure_one()
        if status.status in STATUSES and status.status != self.provider_status:
            self.provider_status = status.status
            if status.status == "delivered" and self.picking_id.state not in ("done", "cancel"):
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Returned parcel delivered: check and receive %s", self.picking_id.name),
                    user_id=self.env.user.id,
                )

    @api.model
    def _oms_provider_signers(self, body, signature):
        """The companies whose returns provider API key signs ``body``: ``signature`` (any header value, even absent
        or not ASCII) is ``sha256=<hex HMAC-SHA256 of the raw body>`` under that key. Only the companies' keys are
        read: nothing the body says is looked up before its signature holds."""
        companies = self.env["res.company"].sudo().search([("oms_returns_provider_key", "!=", False)])
        return companies.filtered(lambda company: signature_matches(company.oms_returns_provider_key, body, signature))

    @api.model
    def _oms_provider_status_received(self, companies, status):
        """Apply a signed status (a ReturnStatus) to the return of one of ``companies`` with its tracking number;
        returns that return, empty when there is none."""
        rma = self.sudo().search(
            [("provider_tracking_ref", "=", status.tracking_number), ("company_id", "in", companies.ids)], limit=1
        )
        if rma:
            rma._oms_apply_provider_status(status)
        return rma

    @api.model
    def _oms_provider_webhook(self, body, signature):
        """A status the returns provider posted, checked in the order of every endpoint without a login: its
        signature, then its document, then the return it names. Returns the return (empty when the signature is
        wrong or no return of the signing company has that tracking number); a signed body that is no status
        document raises BodyError or ReturnsProviderError."""
        companies = self._oms_provider_signers(body, signature)
        if not companies:
            return self.browse()
        return self._oms_provider_status_received(companies, parse_status(parse_json_object(body)))
