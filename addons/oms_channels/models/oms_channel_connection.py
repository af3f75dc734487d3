from odoo import fields, models
from odoo.addons.oms_intelligent.services.redact import redact, url_secrets
from odoo.exceptions import AccessError, UserError

from ..services.errors import ConnectorError
from ..services.rest_connector import RestConnector
from ..services.soap_connector import SoapConnector

MANAGER_GROUP = "oms_intelligent.group_oms_manager"


class OmsChannelConnection(models.Model):
    """How the OMS talks to a channel: its credentials and the plain-Python connector built from them."""

    _inherit = "oms.channel"

    # Credentials: only OMS managers read or write them; they are never tracked in the chatter.
    endpoint_url = fields.Char("Endpoint URL", groups=MANAGER_GROUP, help="REST base URL or SOAP WSDL URL.")
    api_key = fields.Char("API Key", groups=MANAGER_GROUP, copy=False)
    webhook_secret = fields.Char(
        groups=MANAGER_GROUP, copy=False, help="Shared secret of the HMAC-SHA256 signature of pushed orders."
    )

    def _get_connector(self):
        """The plain-Python connector of this channel, built from its (manager-only) credentials."""
        self.ensure_one()
        if self.platform != "oms":
            return self._platform_client()
        credentials = self.sudo()
        if self.connector not in ("rest", "soap"):
            connector = dict(self._fields["connector"]._description_selection(self.env))[self.connector]
            raise UserError(
                self.env._(
                    "Channel %(channel)s does not pull orders: its connector is %(connector)s.",
                    channel=self.name,
                    connector=connector,
                )
            )
        if not credentials.endpoint_url:
            raise UserError(self.env._("Channel %s has no endpoint URL.", self.name))
        if self.connector == "rest":
            return RestConnector(credentials.endpoint_url, credentials.api_key or "")
        return SoapConnector(credentials.endpoint_url, credentials.api_key or "")

    def _redact_credentials(self, text):
        """``text`` without the channel's credentials nor its endpoint URL (manager-only): what is written where
        every OMS user reads it goes through here, whatever the connector or an unforeseen error said."""
        credentials = self.sudo()
        secrets = [
            credentials.api_key,
            credentials.webhook_secret,
            *url_secrets(credentials.endpoint_url),
            *self._platform_secrets(),
            *url_secrets(credentials.shop_url),
        ]
        return redact(text, secrets)

    def action_test_connection(self):
        self.ensure_one()
        # The button is for OMS managers only, and so is the method: it uses their credentials.
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Order Management managers may test a channel's connection."))
        try:
            message = self._get_connector().test_connection()
            kind, title = "success", self.env._("Connection works")
        except ConnectorError as error:
            message, kind, title = str(error), "danger", self.env._("Connection failed")
        message = self._redact_credentials(message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": title, "message": message, "type": kind, "sticky": kind == "danger"},
        }
