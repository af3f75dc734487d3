import logging

from odoo import http
from odoo.addons.oms_intelligent.services.public_body import read_body
from odoo.http import request

from ..services.carrier import CarrierError
from ..services.carrier_sendcloud import verify_webhook, webhook_tracking
from ..services.carrier_sendcloud_data import webhook_payload, webhook_time

_logger = logging.getLogger(__name__)
# A parcel_status_changed webhook is a few kilobytes.
MAX_WEBHOOK_BYTES = 64 * 1024


class CarrierWebhook(http.Controller):
    """Sendcloud's ``parcel_status_changed`` webhook, one URL per carrier record (``/oms/carrier/sendcloud/<id>``,
    set as the integration's webhook URL in the Sendcloud panel), signed with ``Sendcloud-Signature``: HMAC-SHA256
    of the body under the integration's Webhook Signature Key (else its Secret Key). In the order of every endpoint
    without a login: size, signature (the same 401 whatever is wrong), then what the body says. A status moves the
    deliveries shipped under the parcel's number, and the returns whose label it is (Sendcloud as returns carrier)."""

    @http.route(
        "/oms/carrier/sendcloud/<int:carrier_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        readonly=False,
        oms_raw_body=True,
    )
    def sendcloud_status(self, carrier_id, **_kwargs):
        body, _size, oversize = read_body(request.httprequest, MAX_WEBHOOK_BYTES)
        if oversize:
            return self._answer(413, {"error": f"body larger than {MAX_WEBHOOK_BYTES} bytes"})
        carrier = request.env["delivery.carrier"].sudo().browse(carrier_id).exists()
        key = carrier._oms_sendcloud_webhook_key() if carrier.delivery_type == "oms_sendcloud" else ""
        if not verify_webhook(key, body, request.httprequest.headers):
            _logger.info("Sendcloud webhook for carrier %s refused: unknown carrier or bad signature", carrier_id)
            return self._answer(401, {"error": "invalid signature"})
        try:
            payload = webhook_payload(body)
            status = webhook_tracking(payload)
            moment = webhook_time(payload)
        except CarrierError as error:
            return self._answer(400, {"error": str(error)})
        if status is None:
            return self._answer(200, {"received": "other"})
        pickings = request.env["stock.picking"].sudo()._oms_receive_tracking(carrier, status, moment)
        returns = request.env["oms.return"].sudo()._oms_receive_carrier_tracking(carrier, status)
        return self._answer(200, {"deliveries": pickings.mapped("name"), "returns": returns.mapped("name")})

    @staticmethod
    def _answer(status, data):
        return request.make_json_response(data, status=status)
