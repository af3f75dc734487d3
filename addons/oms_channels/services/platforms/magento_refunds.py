"""The refunds of a Magento 2 order: one per credit memo when the caller has them, else one cumulative refund
from the order's own ``*_refunded`` fields (see :mod:`.magento`); plain Python."""

from ..payload import ChannelOrderError
from .magento_read import ZERO, OrderValues, _date, _objects, _out, _quantity


class OrderRefunds(OrderValues):
    """The refunds part of the mapper (``self.creditmemos``: the credit memos, None when the caller has none)."""

    def refunds(self, lines: list[dict]) -> list[dict]:
        line_ids = {line["external_line_id"] for line in lines}
        if self.creditmemos is not None:
            return [self.creditmemo(index, memo, line_ids) for index, memo in enumerate(self.creditmemos)]
        total = self.amount(self.order, "total_refunded")
        if not total:
            return []
        refund_lines = []
        for index, item in enumerate(self.order["items"]):
            if str(item.get("item_id")) not in line_ids or not self.amount(item, "qty_refunded"):
                continue
            path = f"items[{index}]"
            amount = (
                (self.amount(item, "amount_refunded", path=path) or ZERO)
                + (self.amount(item, "tax_refunded", path=path) or ZERO)
                + (self.amount(item, "discount_tax_compensation_refunded", path=path) or ZERO)
                - (self.amount(item, "discount_refunded", path=path) or ZERO)
            )
            quantity = self.amount(item, "qty_refunded", path=path)
            refund_lines.append(
                {"external_line_id": str(item["item_id"]), "quantity": _quantity(quantity), "amount": _out(amount)}
            )
        shipping = (self.amount(self.order, "shipping_refunded") or ZERO) + (
            self.amount(self.order, "shipping_tax_refunded") or ZERO
        )
        return [
            {
                "external_id": f"{self.order['entity_id']}-refunded",
                "date": self.date("updated_at"),
                "amount": _out(total),
                "lines": refund_lines,
                "shipping_amount": _out(shipping),
            }
        ]

    def creditmemo(self, index: int, memo: dict, line_ids: set) -> dict:
        path = f"creditmemos[{index}]"
        if not isinstance(memo, dict):
            raise ChannelOrderError("malformed", f"{path} must be an object")
        refund_lines = []
        for item_path, item in _objects(memo.get("items"), f"{path}.items"):
            line_id = str(self.required(item, "order_item_id", path=item_path))
            quantity = self.amount(item, "qty", path=item_path) or ZERO
            if line_id not in line_ids or not quantity:
                continue  # a configurable's child row, or an item not refunded
            amount = (
                (self.amount(item, "row_total", path=item_path) or ZERO)
                + (self.amount(item, "tax_amount", path=item_path) or ZERO)
                + (self.amount(item, "discount_tax_compensation_amount", path=item_path) or ZERO)
                - (self.amount(item, "discount_amount", path=item_path) or ZERO)
            )
            refund_lines.append({"external_line_id": line_id, "quantity": _quantity(quantity), "amount": _out(amount)})
        shipping = self.amount(memo, "shipping_incl_tax", path=path)
        if shipping is None:
            shipping = (self.amount(memo, "shipping_amount", path=path) or ZERO) + (
                self.amount(memo, "shipping_tax_amount", path=path) or ZERO
            )
        return {
            "external_id": str(self.required(memo, "entity_id", path=path)),
            "date": _date(memo.get("created_at"), f"{path}.created_at"),
            "amount": _out(self.amount(memo, "grand_total", path=path, required=True)),
            "lines": refund_lines,
            "shipping_amount": _out(shipping),
        }
