import json
import logging

from odoo import http
from odoo.http import request

from ..services.cart_event import is_cart_event
from ..services.channel_order import MAX_PAYLOAD_BYTES, ChannelOrderError, parse_payload
from ..services.signature import SIGNATURE_HEADER, verify

_logger = logging.getLogger(__name__)


class ChannelWebhook(http.Controller):
    """Orders and cart events pushed by a channel: JSON signed with HMAC-SHA256 of the body under its secret."""

    @http.route("/oms/webhook/<int:channel_id>", type="http", auth="public", methods=["POST"], csrf=False)
    def receive(self, channel_id, **_kwargs):
        channel = request.env["oms.channel"].sudo().browse(channel_id).exists()
        body = request.httprequest.get_data(cache=True, as_text=False, parse_form_data=False)
        signature = request.httprequest.headers.get(SIGNATURE_HEADER, "")
        if not channel or not channel.active or not verify(channel.webhook_secret or "", body, signature):
            _logger.info("webhook for channel %s refused: unknown channel or bad signature", channel_id)
            return self._answer(401, {"error": "invalid signature"})
        if len(body) > MAX_PAYLOAD_BYTES:
            return self._answer(413, {"error": f"payload larger than {MAX_PAYLOAD_BYTES} bytes"})
        channel = channel.with_company(channel.company_id)
        cart_answer = self._receive_cart_event(channel, body)
        if cart_answer is not None:
            return cart_answer
        record = channel._receive_orders([body], source="webhook")[:1]
        return self._answer(
            200,
            {
                "reference": record.external_ref,
                "state": record.state,
                "sale_order": record.sale_order_id.name or None,
                "error": record.error_message or None,
            },
        )

    def _receive_cart_event(self, channel, body):
        """The answer to a cart event, or None when the body is not one (orders, even malformed, go to staging)."""
        try:
            data = parse_payload(body)
        except ChannelOrderError:
            return None
        if not is_cart_event(data):
            return None
        carts = request.env["oms.channel.cart"].sudo().with_company(channel.company_id)
        try:
            cart = carts._receive_event(channel, data)
        except ChannelOrderError as error:
            return self._answer(200, {"error": str(error)})
        return self._answer(200, {"cart": cart.cart_ref, "state": cart.state})

    @staticmethod
    def _answer(status, data):
        return request.make_response(json.dumps(data), headers=[("Content-Type", "application/json")], status=status)
