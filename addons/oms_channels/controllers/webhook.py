import json
import logging

from odoo import http
from odoo.http import request

from ..services.cart_event import is_cart_event
from ..services.channel_order import MAX_PAYLOAD_BYTES, ChannelOrderError, parse_payload
from ..services.signature import SIGNATURE_HEADER, verify

_logger = logging.getLogger(__name__)


class ChannelWebhook(http.Controller):
    """Orders and cart events pushed by a channel: JSON signed with HMAC-SHA256 of the body under its secret.

    Store first, then process: a signed order is committed to staging as received and answered 200 at once; the
    import scheduled actions parse, match and import it, and whatever fails then is the staged order's error.
    """

    # oms_raw_body: whatever its Content-Type, the body is not parsed as a form (see models/ir_http.py).
    @http.route(
        "/oms/webhook/<int:channel_id>", type="http", auth="public", methods=["POST"], csrf=False, oms_raw_body=True
    )
    def receive(self, channel_id, **_kwargs):
        body, size, oversize = self._read_body()
        channel = request.env["oms.channel"].sudo().browse(channel_id).exists()
        if not channel or not channel.active:
            _logger.info("webhook for unknown or archived channel %s refused", channel_id)
            return self._answer(401, {"error": "invalid signature"})
        channel = channel.with_company(channel.company_id)
        staging = channel.env["oms.channel.order"]
        sender = request.httprequest.remote_addr
        if oversize:
            staging._receive_oversize(channel, body, size, sender)
            request.env.cr.commit()
            return self._answer(413, {"error": f"body larger than {MAX_PAYLOAD_BYTES} bytes"})
        if not verify(channel.webhook_secret or "", body, request.httprequest.headers.get(SIGNATURE_HEADER, "")):
            _logger.info("webhook for channel %s refused: bad signature", channel.code)
            channel._count_refused_webhook()
            return self._answer(401, {"error": "invalid signature"})
        cart_answer = self._receive_cart_event(channel, body)
        if cart_answer is not None:
            return cart_answer
        record = staging._receive(channel, [body], source="webhook", sender=sender)[:1]
        staging._trigger_import()
        request.env.cr.commit()  # stored for good before the channel hears "received"
        return self._answer(
            200,
            {
                "reference": record.external_ref or None,
                "state": record.state or None,
                "error": record.error_message or None,
            },
        )

    @staticmethod
    def _read_body():
        """(body, size, oversize), read once per HTTP request: when Odoo runs the route again after a serialization
        failure (two deliveries of one order, or an import holding its staged row), the stream is spent and the
        retry must see the same bytes, not an empty body that no signature matches."""
        httprequest = request.httprequest
        if not hasattr(httprequest, "oms_webhook_body"):
            httprequest.oms_webhook_body = ChannelWebhook._read_stream()
        return httprequest.oms_webhook_body

    @staticmethod
    def _read_stream():
        """(body, size, oversize): never more than the limit and one byte are read, whatever the sender declares or
        sends; an oversize body is cut to the limit, and its size is the declared one (None when not declared)."""
        declared = request.httprequest.content_length
        # Odoo's request wrapper does not expose the stream, and get_data() would read the whole body.
        stream = request.httprequest._HTTPRequest__wrapped.stream
        if declared is not None and declared > MAX_PAYLOAD_BYTES:
            return stream.read(MAX_PAYLOAD_BYTES), declared, True
        body = stream.read(MAX_PAYLOAD_BYTES + 1)
        if len(body) > MAX_PAYLOAD_BYTES:
            return body[:MAX_PAYLOAD_BYTES], None, True
        return body, len(body), False

    def _receive_cart_event(self, channel, body):
        """The answer to a cart event, or None when the body is not one (orders, even malformed, go to staging)."""
        try:
            data = parse_payload(body)
        except ChannelOrderError:
            return None
        if not is_cart_event(data):
            return None
        carts = channel.env["oms.channel.cart"]
        try:
            with request.env.cr.savepoint():
                cart = carts._receive_event(channel, data)
        except ChannelOrderError as error:
            return self._answer(200, {"error": str(error)})
        except Exception:  # noqa: BLE001 - a cart event is not an order: logged and answered, never a 500
            _logger.exception("cart event of channel %s could not be processed", channel.code)
            return self._answer(200, {"error": "the cart event could not be processed; it was logged"})
        return self._answer(200, {"cart": cart.cart_ref, "state": cart.state})

    @staticmethod
    def _answer(status, data):
        return request.make_response(json.dumps(data), headers=[("Content-Type", "application/json")], status=status)
