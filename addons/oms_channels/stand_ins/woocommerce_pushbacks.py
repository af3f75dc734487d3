"""The push-backs side of the local WooCommerce shop (``stand_ins/woocommerce.py``): order status updates, order
notes (listed back newest first) and refunds (served back as WooCommerce documents them: negative lines naming
``_refunded_item_id``), each recorded in a list of the shop."""

from datetime import datetime, timezone

from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import json_response


class PushBacksServed:
    """Mixin of LocalWooCommerce; its ``lock``, ``_find_order``, ``_new_id`` and ``wp_error`` answers are shared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes: list[tuple[int, dict]] = []  # (order id, body)
        self._note_answers: list[tuple[int, dict]] = []  # (order id, the note as answered)
        self.order_updates: list[tuple[int, dict]] = []  # (order id, body), e.g. {"status": "completed"}
        self.refunds: list[tuple[int, dict]] = []  # (order id, body) of the refunds created
        self._refund_answers: list[tuple[int, dict]] = []  # (order id, the refund as answered)

    def add_refund(self, order_id: int, refund: dict) -> None:
        """A refund document of an order (``GET orders/<id>/refunds`` serves it), e.g. a fixture's."""
        with self.lock:
            self._refund_answers.append((order_id, refund))

    def _serve_order_update(self, request: Request, body, order_id: int) -> Response:
        if not isinstance(body, dict):
            return self._wp_error("rest_invalid_json", "Invalid JSON body passed.", 400)
        with self.lock:
            order = self._find_order(order_id)
            if order is None:
                return self._invalid_order()
            self.order_updates.append((order_id, body))
            if "status" in body:
                order["status"] = body["status"]
            return json_response(order)

    def _serve_note(self, request: Request, body, order_id: int) -> Response:
        if not (isinstance(body, dict) and isinstance(body.get("note"), str) and body["note"]):
            return self._wp_error("rest_missing_callback_param", "Missing parameter(s): note", 400, params=["note"])
        with self.lock:
            if self._find_order(order_id) is None:
                return self._invalid_order()
            self.notes.append((order_id, body))
            note = {
                "id": self._new_id(),
                "author": "system",
                "date_created_gmt": _now(),
                "note": body["note"],
                "customer_note": bool(body.get("customer_note", False)),
            }
            self._note_answers.append((order_id, note))
        return json_response(note, 201)

    def _serve_notes(self, request: Request, body, order_id: int) -> Response:
        with self.lock:
            if self._find_order(order_id) is None:
                return self._invalid_order()
            return json_response([note for oid, note in reversed(self._note_answers) if oid == order_id])

    def _serve_refunds(self, request: Request, body, order_id: int) -> Response:
        with self.lock:
            if self._find_order(order_id) is None:
                return self._invalid_order()
            return json_response([refund for oid, refund in self._refund_answers if oid == order_id])

    def _serve_refund(self, request: Request, body, order_id: int) -> Response:
        if not isinstance(body, dict):
            return self._wp_error("rest_invalid_json", "Invalid JSON body passed.", 400)
        lines = body.get("line_items") or []
        try:
            amount = float(body["amount"]) if body.get("amount") not in (None, "") else _lines_amount(lines)
        except (TypeError, ValueError, KeyError):
            return self._wp_error(
                "rest_invalid_param", "Invalid parameter(s): amount", 400, params={"amount": "not a number"}
            )
        if amount <= 0:
            return self._wp_error(
                "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400
            )
        if body.get("api_refund", True) not in (False, "false", 0, "0"):
            return self._wp_error(
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.",
                500,
            )
        with self.lock:
            order = self._find_order(order_id)
            if order is None:
                return self._invalid_order()
            self.refunds.append((order_id, body))
            refund = {
                "id": self._new_id(),
                "date_created_gmt": _now(),
                "amount": f"{amount:.2f}",
                "reason": body.get("reason", ""),
                "refunded_payment": False,
                "meta_data": body.get("meta_data", []),
                "line_items": [],
                "shipping_lines": [],
            }
            # The refunded items land in the refund's list of their kind, as WooCommerce writes them.
            shipping_ids = {str(item.get("id")) for item in order.get("shipping_lines") or []}
            for line in lines:
                if isinstance(line, dict):
                    kind = "shipping_lines" if str(line.get("id")) in shipping_ids else "line_items"
                    refund[kind].append(self._refunded_item(line))
            self._refund_answers.append((order_id, refund))
            order.setdefault("refunds", []).append(
                {"id": refund["id"], "reason": refund["reason"], "total": f"-{amount:.2f}"}
            )
            order["date_modified"] = order["date_modified_gmt"] = _now()  # a refund is a change of the order
        return json_response(refund, 201)

    def _refunded_item(self, line: dict) -> dict:
        """A refund document's line as WooCommerce writes it: negative amounts, the order item in meta."""
        taxes = [tax for tax in line.get("refund_tax") or [] if isinstance(tax, dict)]
        tax_total = sum(float(tax.get("refund_total") or 0) for tax in taxes)
        return {
            "id": self._new_id(),
            "quantity": -int(line.get("quantity") or 0),
            "total": f"{-float(line.get('refund_total') or 0):.2f}",
            "total_tax": f"{-tax_total:.2f}",
            "taxes": [{"id": tax.get("id"), "total": f"{-float(tax.get('refund_total') or 0):.2f}"} for tax in taxes],
            "meta_data": [{"key": "_refunded_item_id", "value": str(line.get("id"))}],
        }

    def _invalid_order(self) -> Response:
        return self._wp_error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)


def _lines_amount(lines: list) -> float:
    return sum(
        float(line.get("refund_total") or 0)
        + sum(float(tax.get("refund_total") or 0) for tax in line.get("refund_tax", []))
        for line in lines
    )


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
