import logging

from odoo import api, fields, models

from ..services.errors import ConnectorError

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_tracking_pushed = fields.Boolean(
        "Tracking Sent to Channel",
        copy=False,
        readonly=True,
        help="The carrier and tracking number of this delivery reached the channel of its order.",
    )

    def _action_done(self):
        result = super()._action_done()
        self._oms_push_tracking()
        return result

    def _oms_pickings_to_push(self):
        return self.filtered(
            lambda picking: picking.state == "done"
            and picking.picking_type_code == "outgoing"
            and picking.carrier_tracking_ref
            and not picking.oms_tracking_pushed
            and picking.sale_id.oms_channel_id.connector in ("rest", "soap")
        )

    def _oms_push_tracking(self):
        """Tell the channel the carrier and tracking number; a failure is noted and retried by the cron."""
        for picking in self._oms_pickings_to_push():
            order = picking.sale_id
            channel = order.oms_channel_id
            try:
                channel._get_connector().push_tracking(
                    order.oms_channel_ref,
                    picking.carrier_id.name or "",
                    picking.carrier_tracking_ref,
                    picking.carrier_tracking_url or "",
                )
            except ConnectorError as error:
                error = channel._redact_credentials(str(error))
                _logger.info("tracking of %s not sent to channel %s: %s", picking.name, channel.code, error)
                picking.message_post(
                    body=self.env._(
                        "Tracking not sent to channel %(channel)s yet: %(error)s", channel=channel.name, error=error
                    )
                )
                continue
            picking.oms_tracking_pushed = True
            picking.message_post(
                body=self.env._(
                    "Tracking %(tracking)s sent to channel %(channel)s.",
                    tracking=picking.carrier_tracking_ref,
                    channel=channel.name,
                )
            )

    @api.model
    def _cron_push_tracking(self, limit=200):
        pickings = self.search(
            [
                ("state", "=", "done"),
                ("picking_type_code", "=", "outgoing"),
                ("carrier_tracking_ref", "!=", False),
                ("oms_tracking_pushed", "=", False),
                ("sale_id.oms_channel_id.connector", "in", ("rest", "soap")),
            ],
            limit=limit,
        )
        pickings._oms_push_tracking()
