from odoo import fields, models
from odoo.exceptions import AccessError

from ..services.carrier import CarrierError, user_text
from ..services.carrier_correos import CorreosClient
from ..services.carrier_dhl_express import DhlExpressClient
from ..services.carrier_sendcloud import SendcloudClient
from .delivery_carrier import MANAGER_GROUP, OMS_PLATFORM_TYPES, oms_ondelete


class DeliveryCarrier(models.Model):
    """Sendcloud, DHL Express and Correos as delivery types: their credentials (OMS managers only, never tracked
    nor shown in messages), the client each builds from them and from its settings
    (delivery_carrier_platform_settings.py), and a *Test Connection*. What they do with shipments is the OMS
    carriers' (delivery_carrier.py).

    Fields per type (the form names them in each carrier's words):

    ==================  ===================  ==================  ==========================
    field               Sendcloud            DHL Express         Correos
    ==================  ===================  ==================  ==========================
    oms_api_key         Public Key           API Key             -
    oms_api_secret      Secret Key           API Secret          Password
    oms_account         Contract (optional)  Account Number      Web Service User
    oms_service_url     API URL (optional)   API URL (optional)  Pre-registration URL (opt.)
    oms_labeller_code   -                    -                   Labeller Code
    oms_wsdl_url        -                    -                   WSDL URL
    oms_locator_url     -                    -                   Tracking URL (optional)
    prod_environment    -                    test / production   -
    ==================  ===================  ==================  ==========================
    """

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[
            ("oms_sendcloud", "Sendcloud"),
            ("oms_dhl_express", "DHL Express"),
            ("oms_correos", "Correos"),
        ],
        ondelete=oms_ondelete(OMS_PLATFORM_TYPES),
    )
    oms_api_secret = fields.Char(
        "API Secret / Password", groups=MANAGER_GROUP, copy=False, help="Sendcloud: the integration's Secret Key."
    )
    oms_labeller_code = fields.Char(
        "Labeller Code", groups=MANAGER_GROUP, copy=False, help="Correos: the contract's 4-character labeller code."
    )
    oms_wsdl_url = fields.Char(
        "WSDL URL", groups=MANAGER_GROUP, help="Correos: where the pre-registration WSDL Correos gives is hosted."
    )
    oms_locator_url = fields.Char(
        "Tracking Service URL",
        groups=MANAGER_GROUP,
        help="Correos: the base URL of its tracking service (production when empty).",
    )

    oms_webhook_key = fields.Char(
        "Webhook Signature Key",
        groups=MANAGER_GROUP,
        copy=False,
        help="Sendcloud: the key its webhooks are signed with, when the integration has one (else its Secret Key). "
        "Its webhook URL is /oms/carrier/sendcloud/<id of this carrier>.",
    )

    oms_return_service_code = fields.Char(
        "Return Service",
        help="Sendcloud: the return shipping option its return labels are made with (an option offering returns).",
    )

    def _oms_sendcloud_webhook_key(self):
        self.ensure_one()
        carrier = self.sudo()
        return carrier.oms_webhook_key or carrier.oms_api_secret or ""

    def _oms_sendcloud_client(self):
        credentials = {
            "public_key": self.oms_api_key,
            "secret_key": self.oms_api_secret,
            "base_url": self.oms_service_url,
            "contract_id": self.oms_account,
        }
        return SendcloudClient.from_credentials(
            credentials, timeout=self.oms_timeout, paper_size=self.oms_label_paper_size
        )

    def _oms_dhl_express_client(self):
        credentials = {
            "api_key": self.oms_api_key,
            "api_secret": self.oms_api_secret,
            "account_number": self.oms_account,
            "environment": "production" if self.prod_environment else "test",
            "base_url": self.oms_service_url,
        }
        options = {"timeout": self.oms_timeout, **self._oms_dhl_express_options()}
        timezone = (self.company_id or self.env.company).partner_id.tz
        if timezone:
            options["timezone"] = timezone
        return DhlExpressClient.from_credentials(credentials, **options)

    def _oms_correos_client(self):
        credentials = {
            "user": self.oms_account,
            "password": self.oms_api_secret,
            "labeller_code": self.oms_labeller_code,
            "wsdl_url": self.oms_wsdl_url,
            "service_url": self.oms_service_url,
            "tracking_url": self.oms_locator_url,
            **self._oms_correos_contract(),
        }
        return CorreosClient.from_credentials(credentials, timeout=self.oms_timeout)

    def action_oms_test_connection(self):
        """Ask the carrier's service whether it accepts the credentials: its answer, or the reason it refused
        (which never holds a credential)."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only OMS managers test a carrier's connection."))
        try:
            client = self._oms_client()
            if not hasattr(client, "test_connection"):
                raise CarrierError(self.env._("this carrier's service has no connection test"), transient=False)
            message, kind = user_text(client.test_connection(), self.env._), "success"
        except CarrierError as error:
            message, kind = error.text(self.env._), "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "sticky": kind == "danger",
                "title": self.env._("Connection to %s works", self.name)
                if kind == "success"
                else self.env._("Connection to %s failed", self.name),
                "message": message,
            },
        }
