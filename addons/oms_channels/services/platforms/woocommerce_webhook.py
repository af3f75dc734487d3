"""WooCommerce webhooks as they arrive (facts in ``tests/fixtures/platforms/woocommerce/API.md``, "Webhooks"): the
signature, what the topic means for an order, and the ping sent when a webhook is saved. Plain Python; the webhook
controller reaches these through ``platforms/woocommerce.py``.

- Signature: ``X-WC-Webhook-Signature`` = base64(HMAC-SHA256(raw body, secret)), the secret first decoded as
  WordPress's ``wp_specialchars_decode`` does (a secret stored as ``a&amp;b`` signs with ``a&b``). Checked on the
  raw bytes received, compared in constant time.
- Topics: ``order.created`` creates; ``order.updated`` (also fired by refunds) and ``order.restored`` (out of the
  trash, the full order again) update. ``order.deleted`` is the order moved to the trash (or deleted for good): the
  shop has thrown it away, which the mapper already reads as a cancellation (status ``trash``), and the pull never
  sees it again (``status=any`` leaves the trash out), so the webhook is the only news of it: it means "cancel".
  Its body is only ``{"id": N}``, not an order: the receiver cancels the order with that external id and does not
  stage the body as an order (:func:`deleted_order_id`). Other topics (products, customers, coupons) are not ours.
- Ping: saving a webhook POSTs the form body ``webhook_id=<n>`` with no topic and no signature, and WooCommerce
  activates the webhook only if it gets 200: the receiver answers 200 and stages nothing.
"""

import base64
import hashlib
import hmac
import json
import re

ORDER_TOPICS = {
    "order.created": "create",
    "order.updated": "update",
    "order.restored": "update",
    "order.deleted": "cancel",
}
_PING_BODY_RE = re.compile(rb"\s*webhook_id=\d+\s*")
# wp_specialchars_decode( $secret, ENT_QUOTES ): &amp; last, so that "&amp;lt;" becomes "&lt;" as in PHP.
_WP_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#039;", "'"), ("&#39;", "'"), ("&amp;", "&"))


def verify_webhook(secret: str, body: bytes, headers) -> bool:
    """Whether ``body`` (the raw bytes received) was signed by WooCommerce with the webhook's ``secret``; False
    when the secret or the signature header is missing."""
    signature = header(headers, "X-WC-Webhook-Signature")
    if not secret or not signature or not isinstance(body, bytes):
        return False
    for entity, character in _WP_ENTITIES:
        secret = secret.replace(entity, character)
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest), signature.strip().encode("utf-8", "replace"))


def webhook_topic(headers) -> str | None:
    """``"create"``, ``"update"`` or ``"cancel"`` for an order topic (see the module's docstring), None for any
    other topic or none."""
    topic = header(headers, "X-WC-Webhook-Topic")
    return ORDER_TOPICS.get(topic.strip().lower()) if topic else None


def is_ping(body: bytes, headers) -> bool:  # pylint: disable=unused-argument
    """Whether this is the ping WooCommerce sends when a webhook is saved (``webhook_id=<n>``, no order): answer
    it 200, stage nothing. Read from the body alone, as the ping carries no topic nor signature."""
    return isinstance(body, bytes) and _PING_BODY_RE.fullmatch(body) is not None


def deleted_order_id(body: bytes) -> str | None:
    """The order id an ``order.deleted`` body (``{"id": N}``) names, or None when it names none."""
    try:
        document = json.loads(body)
    except (TypeError, ValueError):
        return None
    order_id = document.get("id") if isinstance(document, dict) else None
    if isinstance(order_id, bool) or not isinstance(order_id, int | str) or not str(order_id).strip().isdigit():
        return None
    return str(order_id).strip()


def header(headers, name: str) -> str | None:
    """A header's value, its name in any case (a plain dict from a test or werkzeug's headers)."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None and hasattr(headers, "items"):
        value = next((item for key, item in headers.items() if str(key).lower() == name.lower()), None)
    return value if isinstance(value, str) else None
