import json
import logging

from odoo import http
from odoo.addons.oms_intelligent.services.public_body import read_body
from odoo.http import request

from ..services.cart_event import is_cart_event
from ..services.payload import MAX_PAYLOAD_BYTES, ChannelOrderError, parse_payload
from ..services.platforms.staged import deleted_order_ref, webhook_verdict

_logger = logging.getLogger(__name__)


class ChannelWebhook(http.Controller):
    """Orders and cart events pushed by a channel: JSON signed with HMAC-SHA256 of the body under its secret.

    Store first, then process: a signed order is committed to staging as received and answered 200 at once; the
    import scheduled actions parse, match and import it, and whatever fails then is the staged order's error.
    """

    # oms_raw_body: whatever its Content-Type, the body is not parsed as a form (see oms_intelligent/models/ir_http.py).
    @http.route(
        "/oms/webhook/<int:channel_id>", type="http", auth="public", methods=["POST"], csrf=False, oms_raw_body=True
    )
    def receive(self, channel_id, **_kwargs):
        """In the order every endpoint without a login follows: size, signature, then what the body says."""
        body, size, oversize = read_body(request.httprequest, MAX_PAYLOAD_BYTES)
        sender = request.httprequest.remote_addr
        channel = request.env["oms.channel"].sudo().browse(channel_id).exists()
        if oversize:
            # Never read past the limit, never hashed nor parsed; a channel's own body is recorded cut (flagged,
            # never imported), so that staff learn that the channel tried to send an order.
            _logger.info("webhook for channel %s refused: body of %s bytes from %s", channel_id, size or "?", sender)
            if channel.active:
                channel.env["oms.channel.order"]._receive_oversize(channel, body, size, sender)
                request.env.cr.commit()
            return self._answer(413, {"error": f"body larger than {MAX_PAYLOAD_BYTES} bytes"})
        if not channel.active:
            _logger.info("webhook for unknown or archived channel %s refused", channel_id)
            return self._answer(401, {"error": "invalid signature"})
        channel = channel.with_company(channel.company_id)
        verdict = webhook_verdict(channel.platform, channel.webhook_secret or "", body, request.httprequest.headers)
        if verdict == "refused":
            _logger.info("webhook for channel %s refused: bad signature", channel.code)
            channel._count_refused_webhook()
            return self._answer(401, {"error": "invalid signature"})
        answer = self._receive_notice(channel, verdict, body)
        if answer is not None:
            return answer
        staging = channel.env["oms.channel.order"]
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

    def _receive_notice(self, channel, verdict, body):
        """The answer to a signed body that is not an order to stage, or None when it is one: a platform checking
        the address or a topic that is no order (heard, nothing kept), an order thrown away on the platform
        (cancelled), a cart event of an OMS-schema channel."""
        if verdict in ("ping", "other"):
            return self._answer(200, {"received": verdict})
        if verdict == "deleted":
            record = channel.env["oms.channel.order"]._receive_deletion(
                channel, deleted_order_ref(channel.platform, body)
            )
            request.env.cr.commit()  # the cancellation kept before the platform hears "received"
            return self._answer(200, {"reference": record.external_ref or None, "state": record.state or None})
        if channel.platform == "oms":
            return self._receive_cart_event(channel, body)
        return None

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
