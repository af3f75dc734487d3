"""What the Magento client (:mod:`.magento_client`) sends, built from plain data: the ``searchCriteria`` query
parameters of its searches, MSI source items, and the body of the credit memo a refund becomes. Plain Python."""

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from ..errors import ConnectorConfigurationError, ConnectorError
from .client import RefundRequest, StockLevel

CENT = Decimal("0.01")
MAGENTO_TIME = "%Y-%m-%d %H:%M:%S"


def search_criteria(groups: list, page_size: int | None = None) -> dict:
    """``searchCriteria`` query parameters: ``groups`` of (field, condition, value) filters (OR within a group, AND
    between groups), sorted updated_at then entity_id ascending when paged."""
    params = {}
    for g, group in enumerate(groups):
        for f, (field, condition, value) in enumerate(group):
            prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            params[f"{prefix}[field]"], params[f"{prefix}[value]"] = field, value
            params[f"{prefix}[condition_type]"] = condition
    if page_size:
        for position, field in enumerate(("updated_at", "entity_id")):
            params[f"searchCriteria[sortOrders][{position}][field]"] = field
            params[f"searchCriteria[sortOrders][{position}][direction]"] = "ASC"
        params.update({"searchCriteria[pageSize]": page_size, "searchCriteria[currentPage]": 1})
    return params


def orders_after(since: datetime | None, last: dict | None) -> list:
    """The filter groups of the orders page after the order ``last`` in the sort (updated_at, entity_id): at or after
    its time, and after its time or its id (groups AND, filters within a group OR); the first page (``last`` None):
    updated at or after ``since``, if any."""
    if last is None:
        return [[("updated_at", "gteq", magento_time(since))]] if since else []
    updated_at, order_id = str(last.get("updated_at")), str(last.get("entity_id"))
    return [[("updated_at", "gteq", updated_at)], [("updated_at", "gt", updated_at), ("entity_id", "gt", order_id)]]


def order_key(order: dict) -> tuple:
    """An order's place in the sort of the orders pages."""
    return str(order.get("updated_at")), magento_id(order.get("entity_id"))


def magento_time(moment: datetime) -> str:
    """Magento's UTC ``YYYY-MM-DD HH:MM:SS`` of a naive UTC (or aware) datetime."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.strftime(MAGENTO_TIME)


def item_quantities(lines) -> list[dict]:
    """Order items and quantities (of a shipment, a credit memo) as Magento takes them."""
    return [{"order_item_id": magento_id(line.external_line_id), "qty": number(line.quantity)} for line in lines]


def source_item(level: StockLevel) -> dict:
    quantity = max(level.quantity, 0)
    status = int(quantity > 0)  # 1 "in stock", 0 "out of stock"
    return {"sku": level.sku, "source_code": level.location_id, "quantity": number(quantity), "status": status}


def _unit_refund(item: dict) -> Decimal:
    """What Magento refunds per unit of an order item: its row, tax included, after discount, per unit ordered."""
    row = sum(_decimal(item.get(key)) for key in ("row_total", "tax_amount", "discount_tax_compensation_amount"))
    ordered = _decimal(item.get("qty_ordered")) or Decimal(1)
    return (row - _decimal(item.get("discount_amount"))) / ordered


def _shipping(order: dict, refunded_incl: Decimal) -> tuple[Decimal, Decimal]:
    """(shipping argument excluding tax, what Magento will refund for it tax included), at the order's rate."""
    excl, incl = _decimal(order.get("shipping_amount")), _decimal(order.get("shipping_incl_tax"))
    if not refunded_incl or not excl or not incl:
        return refunded_incl.quantize(CENT, ROUND_HALF_UP), refunded_incl.quantize(CENT, ROUND_HALF_UP)
    argument = _cents(refunded_incl * excl / incl)
    return argument, _cents(argument * incl / excl)


def creditmemo_request(order: dict, refund: RefundRequest, marker: str) -> dict:
    """The body of ``POST V1/order/<id>/refund`` whose credit memo totals ``refund.amount``: the lines by quantity
    (Magento prices them from the order), the shipping excluding tax, the rest as an adjustment. A refund of no line
    (an amount only) names one item with quantity 0: Magento's credit memo factory refunds every item when the
    request names none (its reading of ``qtys``; unconfirmed by a documentation page)."""
    if not isinstance(order, dict):
        raise ConnectorError("Magento answered the order with something else than an order", transient=False)
    currency = order.get("order_currency_code")
    if currency and refund.currency and currency != refund.currency:
        raise ConnectorConfigurationError(f"the refund is in {refund.currency}, the Magento order in {currency}")
    items = {str(item.get("item_id")): item for item in order.get("items") or [] if isinstance(item, dict)}
    lines, lines_total = [], Decimal(0)
    for line in refund.lines:
        item = items.get(str(line.external_line_id))
        if item is None:
            raise ConnectorConfigurationError(f"the Magento order has no item {line.external_line_id}")
        if line.quantity <= 0:
            continue
        lines.append({"order_item_id": magento_id(line.external_line_id), "qty": number(line.quantity)})
        lines_total += _cents(_unit_refund(item) * Decimal(str(line.quantity)))
    if not lines:  # no items would refund them all (Magento refunds every item when none is named)
        first = next((item for item in items.values() if not item.get("parent_item_id")), None)
        lines = [{"order_item_id": magento_id(first.get("item_id")), "qty": 0}] if first else []
    shipping_excl, shipping_incl = _shipping(order, Decimal(str(refund.shipping_amount)))
    adjustment = Decimal(str(refund.amount)).quantize(CENT, ROUND_HALF_UP) - lines_total - shipping_incl
    arguments = {
        "shipping_amount": float(shipping_excl),
        "adjustment_positive": float(max(adjustment, Decimal(0))),
        "adjustment_negative": float(max(-adjustment, Decimal(0))),
    }
    if refund.restock:
        arguments["extension_attributes"] = {"return_to_stock_items": [line["order_item_id"] for line in lines]}
    comment = f"{marker} {refund.reason}" if refund.reason else marker
    return {
        "items": lines,
        "notify": True,
        "appendComment": True,
        "comment": {"comment": comment, "is_visible_on_front": 0},
        "arguments": arguments,
    }


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def number(value: float):
    """An integral quantity as an int (Magento echoes what it gets), else the float."""
    return int(value) if float(value).is_integer() else float(value)


def magento_id(value):
    """An id as Magento's JSON has it (a number) when it is one."""
    text = str(value).strip()
    return int(text) if text.isdigit() else text
