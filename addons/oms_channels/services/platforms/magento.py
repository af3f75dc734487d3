"""Magento 2 / Adobe Commerce REST (V1) order -> channel order (the schema of :mod:`..channel_order`, extended for
issue #16), in plain Python.

The input is one order as ``GET /V1/orders/{id}`` (or an item of ``GET /V1/orders``) returns it; the facts and traps
are in ``tests/fixtures/platforms/magento/API.md``. How it maps:

- **Ids**: ``external_id`` is ``entity_id`` (what every ``/V1/order/{id}/...`` path takes); ``reference`` keeps
  ``increment_id``, the number the customer sees (it repeats across stores).
- **Currency**: the order's amounts are the unprefixed fields, in ``order_currency_code`` (what the customer paid
  in); ``shop_currency`` / ``shop_grand_total`` are ``base_currency_code`` / ``base_grand_total``.
- **Tax basis**: an order does not say whether the store's catalog prices include tax, but it carries both bases
  (``price`` / ``price_incl_tax``, ``shipping_amount`` / ``shipping_incl_tax``). ``prices_include_tax`` is the
  caller's (the channel's setting) when given, else read from the items (see :func:`prices_include_tax`). Unit
  prices, discounts, shipping and fees are then all given in that basis.
- **Items**: ``items[]`` holds parents and children. A configurable's parent row carries price, tax and discount,
  its child row (``parent_item_id``) the variant: one line per ordered product, priced from the parent, with the
  child's ``sku`` and ``product_id`` (the variant id). A bundle whose children carry the prices (dynamic price)
  gives a line per child and none for the parent; a fixed-price bundle gives the parent's line only (no fixture has
  a bundle). ``external_line_id`` is the ``item_id`` of the priced row, which shipments and credit memos take.
- **Discounts**: Magento spreads every cart rule over the items (``items[].discount_amount``, positive, row-wide)
  and the shipping (``shipping_discount_amount``); ``discounts`` holds only what the order's ``discount_amount``
  does not explain that way (third-party rules), plus store credit, gift cards and reward points (Adobe Commerce),
  which lower ``grand_total`` without lowering the tax base. ``coupon_codes`` from
  ``extension_attributes.coupon_codes`` (2.4.8) or ``coupon_code``.
- **Taxes**: from ``extension_attributes.item_applied_taxes`` (``type`` product per ``item_id``, shipping, and the
  gift-wrapping types), ``name`` = the tax ``title``, ``rate`` = ``percent``, plus the rate's ``code`` (what a
  merchant names the rate by); when an old Magento (< 2.3) leaves those out, the item's ``tax_percent``.
- **Fees**: Magento Open Source has none. Adobe Commerce gift wrapping (``extension_attributes.gw_*``) gives
  ``gift_wrap`` fees, ``custom_fees[]`` gives ``fee`` fees. Third-party surcharges (cash on delivery modules) use
  fields of their own and are not read: the totals check catches them.
- **Paid**: ``total_paid`` covers ``grand_total`` (captured invoices); **status**: ``cancelled`` when ``state`` is
  ``canceled``, ``platform_status`` is ``state`` (``status`` is a label the merchant renames).
- **Refunds**: one per credit memo when the caller passes them (``GET /V1/creditmemos`` filtered on ``order_id``),
  else one cumulative refund from the order's own ``*_refunded`` fields (its amount grows with each credit memo).
  Refund amounts are money returned (tax included whatever the basis).
- **Staged payload** (:func:`map_staged`): the order as the client's ``fetch_orders`` yields it (an item of
  ``GET /V1/orders``) with, for an order with refunds, its credit memos (``GET /V1/creditmemos``) under
  ``oms_creditmemos`` (:data:`STAGED_CREDITMEMOS`, a name Magento never uses), kept as received.
- **Addresses**: ``billing_address``; the shipping address only under
  ``extension_attributes.shipping_assignments[0].shipping.address``. ``state`` is ``region_code`` else ``region``.
"""

from decimal import Decimal

from ..payload import ChannelOrderError
from ..value_reader import is_blank
from .magento_people import OrderPeople
from .magento_read import ZERO, _cent, _list, _number, _object, _objects, _out, _plain, _quantity, _taxes, _text
from .magento_refunds import OrderRefunds

PLATFORM = "magento"
# Where the client puts an order's credit memos in the payload it yields (Magento's own fields never start "oms_").
STAGED_CREDITMEMOS = "oms_creditmemos"
# Tax detail types of Adobe Commerce gift wrapping in item_applied_taxes (unconfirmed: Magento_GiftWrapping's
# tax collector codes), per gift-wrapping amount.
_GIFT_WRAP_TAX_TYPES = {"gw": ("quote_gw",), "gw_items": ("item_gw",), "gw_card": ("printed_card",)}
_PAID_STATES = ("processing", "complete", "closed")


def map_order(payload: dict, *, creditmemos: list | None = None, prices_include_tax: bool | None = None) -> dict:
    """Map one Magento REST order to a channel-order dict; raises ChannelOrderError naming Magento's field path."""
    if not isinstance(payload, dict):
        raise ChannelOrderError("malformed", "order must be a JSON object")
    return _OrderMapper(payload, creditmemos, prices_include_tax).map()


def map_staged(payload: dict) -> dict:
    """Map what ``MagentoClient.fetch_orders`` yields (and the staging keeps): the order, its credit memos under
    ``oms_creditmemos`` when it has refunds (else the order's own ``*_refunded`` totals give the refund)."""
    if not isinstance(payload, dict):
        raise ChannelOrderError("malformed", "order must be a JSON object")
    creditmemos = payload.get(STAGED_CREDITMEMOS)
    if creditmemos is not None and not isinstance(creditmemos, list):
        raise ChannelOrderError("malformed", f"{STAGED_CREDITMEMOS} must be a list of credit memos")
    order = {key: value for key, value in payload.items() if key != STAGED_CREDITMEMOS}
    return map_order(order, creditmemos=creditmemos)


def prices_include_tax(order: dict) -> bool:
    """Whether the store's prices include tax, read from the order (Magento does not say it in so many words):
    an item's catalog ``original_price`` equal to ``price_incl_tax`` (not ``price``), or its rule discount a
    percentage of the row including tax; else a discount tax compensation (only computed on prices including tax).
    Without any sign (untaxed items, special prices): False. A channel that knows its store passes the flag."""
    for item in _list(order.get("items")):
        if not isinstance(item, dict) or not is_blank(item.get("parent_item_id")):
            continue
        excl, incl = _number(item.get("price")), _number(item.get("price_incl_tax"))
        if excl is None or incl is None or excl == incl:
            continue
        original = _number(item.get("original_price"))
        if original == incl:
            return True
        if original == excl:
            return False
        percent, discount = _number(item.get("discount_percent")), _number(item.get("discount_amount"))
        row_incl, row_excl = _number(item.get("row_total_incl_tax")), _number(item.get("row_total"))
        if percent and 0 < percent <= 100 and discount and row_incl is not None and row_excl is not None:
            if _cent(row_incl * percent / 100) == _cent(discount):
                return True
            if _cent(row_excl * percent / 100) == _cent(discount):
                return False
    return bool(_number(order.get("discount_tax_compensation_amount")))


class _OrderMapper(OrderPeople, OrderRefunds):
    def __init__(self, order: dict, creditmemos: list | None, include_tax: bool | None):
        super().__init__(order)
        self.creditmemos = creditmemos
        self.extension = _object(order.get("extension_attributes"), "extension_attributes")
        self.include_tax = prices_include_tax(order) if include_tax is None else include_tax
        self.spread = ZERO  # Magento's discounts spread over the mapped lines and the shipping
        self.item_taxes = {}  # item_id -> applied taxes of the product
        self.other_taxes = {}  # type -> applied taxes (shipping, gift wrapping)
        details = _objects(self.extension.get("item_applied_taxes"), "extension_attributes.item_applied_taxes")
        for path, detail in details:
            kind = _text(detail.get("type"), f"{path}.type")
            applied = _objects(detail.get("applied_taxes"), f"{path}.applied_taxes")
            if kind == "product" and not is_blank(detail.get("item_id")):
                self.item_taxes[str(detail["item_id"])] = applied
            elif kind != "product":
                self.other_taxes.setdefault(kind, []).extend(applied)

    # --- the order --------------------------------------------------------------------------------------------------

    def map(self) -> dict:
        order = self.order
        entity_id = self.required(order, "entity_id")
        grand_total = self.amount(order, "grand_total", required=True)
        lines = self.lines()
        shipping = self.shipping()
        fees = self.fees()
        state = str(order.get("state") or "")
        mapped = {
            "platform": PLATFORM,
            "platform_status": state or None,
            "external_id": str(entity_id),
            "reference": _text(order.get("increment_id")),
            "order_date": self.date("created_at"),
            "updated_at": self.date("updated_at"),
            "status": "cancelled" if state == "canceled" else "open",
            "paid": self.paid(grand_total, state),
            "currency": self.required(order, "order_currency_code"),
            "prices_include_tax": self.include_tax,
            "customer": self.customer(),
            "billing_address": self.address(order.get("billing_address"), "billing_address", required=True),
            "lines": lines,
            "coupon_codes": self.coupon_codes(),
            "discounts": self.discounts(),
            "fees": fees,
            "grand_total": _out(grand_total),
            "gift_message": self.gift_message(),
            "note": _text(order.get("customer_note")),
            "refunds": self.refunds(lines),
        }
        shipping_address = self.assigned_shipping().get("address")
        if shipping_address:
            path = "extension_attributes.shipping_assignments[0].shipping.address"
            mapped["shipping_address"] = self.address(shipping_address, path, required=False)
        if shipping is not None:
            mapped["shipping"] = shipping
        if not is_blank(order.get("base_currency_code")):
            mapped["shop_currency"] = _text(order["base_currency_code"], "base_currency_code")
            base_total = self.amount(order, "base_grand_total")
            if base_total is not None:
                mapped["shop_grand_total"] = _out(base_total)
        return mapped

    def assigned_shipping(self) -> dict:
        """The shipping of the order's first shipping assignment (its address and method), {} when none."""
        assignments = _objects(self.extension.get("shipping_assignments"), "extension_attributes.shipping_assignments")
        if not assignments:
            return {}
        path, assignment = assignments[0]
        return _object(assignment.get("shipping"), f"{path}.shipping")

    def paid(self, grand_total: Decimal, state: str) -> bool:
        total_paid = self.amount(self.order, "total_paid") or ZERO
        if grand_total > 0:
            return total_paid >= grand_total
        return state in _PAID_STATES

    # --- lines ------------------------------------------------------------------------------------------------------

    def lines(self) -> list[dict]:
        items = self.order.get("items")
        if not isinstance(items, list) or not items:
            raise ChannelOrderError("missing_field", "items is missing or empty")
        children = {}  # parent item_id -> [(index, child)]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ChannelOrderError("malformed", f"items[{index}] must be an object")
            if not is_blank(item.get("parent_item_id")):
                children.setdefault(str(item["parent_item_id"]), []).append((index, item))
        lines = []
        for index, item in enumerate(items):
            if not is_blank(item.get("parent_item_id")):
                continue
            kids = children.get(str(item.get("item_id")), [])
            if item.get("product_type") == "bundle" and any(self.amount(kid, "price") for _i, kid in kids):
                lines.extend(self.line(kid_index, kid, variant=None) for kid_index, kid in kids)
            else:
                lines.append(self.line(index, item, variant=kids[0] if len(kids) == 1 else None))
        return lines

    def line(self, index: int, item: dict, variant: tuple[int, dict] | None) -> dict:
        """The line of a priced row; ``variant`` is a configurable's child row, which names the product."""
        path = f"items[{index}]"
        sku, product_id = item.get("sku"), item.get("product_id")
        if variant is not None:
            child_index, child = variant
            sku = child.get("sku") if not is_blank(child.get("sku")) else sku
            product_id = child.get("product_id")
            if is_blank(sku) and is_blank(product_id):
                raise ChannelOrderError(
                    "missing_field", f"items[{child_index}].sku empty and no product_id (variant of {path})"
                )
        elif item.get("product_type") == "configurable":
            product_id = None  # the configurable's own id names no variant; its sku is the chosen child's
        if is_blank(sku) and is_blank(product_id):
            raise ChannelOrderError("missing_field", f"{path}.sku empty and no product_id")
        quantity = self.amount(item, "qty_ordered", path=path, required=True)
        price_key = "price_incl_tax" if self.include_tax else "price"
        item_id = self.required(item, "item_id", path=path)
        return {
            "external_line_id": str(item_id),
            "sku": _text(sku),
            "channel_product_id": _text(product_id),
            "name": _text(item.get("name")),
            "quantity": _quantity(quantity),
            "unit_price": _out(self.amount(item, price_key, path=path, required=True)),
            "discount_amount": _out(self.discount(item, "discount_amount", "discount_tax_compensation_amount", path)),
            "taxes": self.line_taxes(item),
        }

    def discount(self, data: dict, key: str, compensation_key: str, path: str = "") -> Decimal:
        """A discount in the order's tax basis. Magento's discount is positive and, on prices including tax, includes
        the tax it took back (the discount tax compensation): without tax, that part comes off. Magento's own
        figure is added to ``self.spread`` to tell the discount it spread from the order's."""
        discount = self.amount(data, key, path=path) or ZERO
        self.spread += discount
        if not self.include_tax:
            discount -= self.amount(data, compensation_key, path=path) or ZERO
        return discount

    def line_taxes(self, item: dict) -> list[dict]:
        item_id = str(item.get("item_id"))
        if item_id in self.item_taxes:
            return _taxes(self.item_taxes[item_id])
        return self.fallback_taxes(item, "tax_amount", _number(item.get("tax_percent")))

    def fallback_taxes(self, data: dict, tax_key: str, percent: Decimal | None = None) -> list[dict]:
        """Taxes of an item or the shipping when item_applied_taxes does not list them (Magento < 2.3): the
        order's applied tax of the item's ``tax_percent``, or its only applied tax."""
        if not _number(data.get(tax_key)):
            return []
        applied = _objects(self.extension.get("applied_taxes"), "extension_attributes.applied_taxes")
        if percent is not None:
            same = [(path, tax) for path, tax in applied if _number(tax.get("percent")) == percent]
            return _taxes(same) or [{"name": f"{_plain(percent)}%", "rate": float(percent), "code": None}]
        return _taxes(applied) if len(applied) == 1 else []

    # --- shipping, fees, discounts ----------------------------------------------------------------------------------

    def shipping(self) -> dict | None:
        order = self.order
        method = self.assigned_shipping().get("method")
        method = method or order.get("shipping_method") or order.get("shipping_description")
        if is_blank(method) and not self.amount(order, "shipping_amount"):
            return None  # a virtual order
        price_key = "shipping_incl_tax" if self.include_tax else "shipping_amount"
        return {
            "method": _text(method),
            "price": _out(self.amount(order, price_key) or ZERO),
            "discount_amount": _out(
                self.discount(order, "shipping_discount_amount", "shipping_discount_tax_compensation_amount")
            ),
            "taxes": _taxes(self.other_taxes.get("shipping")) or self.fallback_taxes(order, "shipping_tax_amount"),
        }

    def fees(self) -> list[dict]:
        fees = []
        labels = {"gw": "Gift wrapping (order)", "gw_items": "Gift wrapping (items)", "gw_card": "Printed card"}
        for prefix, label in labels.items():
            key = f"{prefix}_price_incl_tax" if self.include_tax else f"{prefix}_price"
            amount = self.amount(self.extension, key, path="extension_attributes")
            if not amount:
                continue
            taxes = [tax for kind in _GIFT_WRAP_TAX_TYPES[prefix] for tax in self.other_taxes.get(kind, [])]
            fees.append(
                {
                    "kind": "fee" if prefix == "gw_card" else "gift_wrap",
                    "name": label,
                    "amount": _out(amount),
                    "taxes": _taxes(taxes),
                }
            )
        for path, fee in _objects(self.extension.get("custom_fees"), "extension_attributes.custom_fees"):
            amount = self.amount(fee, "custom_fee_amount", path=path, required=True)
            if amount:
                name = fee.get("custom_fee_label") or fee.get("custom_fee_code")
                fees.append({"kind": "fee", "name": _text(name), "amount": _out(amount), "taxes": []})
        return fees

    def discounts(self) -> list[dict]:
        """Order-level discounts Magento did not spread over the items and the shipping, and the means of payment
        that lower grand_total without lowering the tax base (store credit, gift cards, reward points)."""
        discounts = []
        order_discount = -(self.amount(self.order, "discount_amount") or ZERO)  # negative in Magento
        rest = _cent(order_discount - self.spread)
        if rest:
            name = self.order.get("discount_description") or "Discount"
            discounts.append({"name": _text(name), "amount": _out(rest), "taxes": []})
        for key, name in (
            ("customer_balance_amount", "Store credit"),
            ("gift_cards_amount", "Gift cards"),
            ("reward_currency_amount", "Reward points"),
        ):
            amount = self.amount(self.order, key) or self.amount(self.extension, key, path="extension_attributes")
            if amount:
                discounts.append({"name": name, "amount": _out(amount), "taxes": []})
        return discounts

    def coupon_codes(self) -> list[str]:
        codes = [str(code) for code in _list(self.extension.get("coupon_codes")) if not is_blank(code)]
        if not codes and not is_blank(self.order.get("coupon_code")):
            codes = [str(self.order["coupon_code"])]
        return codes
