"""PrestaShop webservice orders (XML) to the channel-order schema, in plain Python (no ORM).

Two parts (facts and traps: ``tests/fixtures/platforms/prestashop/API.md``): the webservice's XML read into
plain dicts (:func:`read_document`, :func:`order_payload`, in :mod:`.prestashop_documents`) and the mapping of
one order (:func:`map_order`; its typed readers in :mod:`.prestashop_read`).

:func:`map_order` takes the order plus the documents it references, as the connector fetches them once per sync::

    {
      "order": {...},                    # read_document(GET /api/orders/101)["order"], or an item of a list page
      "customers": [...], "addresses": [...], "currencies": [...], "countries": [...], "states": [...],
      "carriers": [...], "order_states": [...], "taxes": [...],          # filter[id]=[...] of the whole sync
      "order_details": [...], "order_cart_rules": [...], "order_slips": [...],   # filter[id_order]=[...]
      "order_histories": [...],          # optional: an order refunded or cancelled after payment stays "paid"
      "cart_rules": [...],               # optional: the coupon codes (order_cart_rules carry only the rule's name)
      "shop_currency": "EUR",            # optional: PS_CURRENCY_DEFAULT, for shop_currency / shop_grand_total
      "timezone": "Europe/Madrid",       # optional: PS_TIMEZONE; PrestaShop dates carry no offset
      "cancelled_state_ids": ["6"]       # optional: PS_OS_CANCELED (default 6, or a state with template order_canceled)
    }

Each list may hold the documents of other orders too (the mapper picks this order's) or be cut down to this order's
by :func:`order_payload`, which is what to keep as the raw payload.

How PrestaShop's amounts become the channel order's:

- **Tax basis**: always tax included (``prices_include_tax`` true). PrestaShop stores every amount both ways and the
  customer group's display method is not on the order; with ``round_type`` 1 (per item, the default) it rounds each
  unit price *with tax* to the cent before multiplying by the quantity (order 102: 12.40 × 1.23 = 15.252 → 15.25,
  six of them 91.50, where a tax-excluded line taxed afterwards makes 91.51), so only the tax-included unit prices
  add up to ``total_paid_tax_incl``. With ``round_type`` 2 or 3 a line is PrestaShop's own
  ``order_details.total_price_tax_incl``.
- **Line discount** (catalogue specific price, group or quantity reduction): ``unit_price`` is
  ``original_product_price`` (tax excluded, before reductions) with the line's taxes, ``discount_amount`` what the
  line lost against it. Cart rules are never allocated to lines by PrestaShop: they are order-level ``discounts``
  (free-shipping rules go to ``shipping.discount_amount`` up to the shipping price).
- **Fees**: gift wrapping (``total_wrapping_tax_incl``). Cash-on-delivery surcharges of third-party modules are folded
  into ``total_shipping_tax_incl`` by those modules and cannot be told from shipping (order 104).
- **Paid**: the ``paid`` flag of the current ``order_states`` entry, or of an earlier state in ``order_histories``.
  **Status**: "cancelled" for the shop's cancelled state; a refunded order stays "open" with its ``refunds``
  (``order_slip``).
"""

from decimal import Decimal

from ..payload import ChannelOrderError
from .prestashop_documents import (  # noqa: F401 - read_document, order_payload and the error: imported from here
    WebserviceDocumentError,
    _associated,
    _items,
    _text,
    order_payload,
    read_document,
)
from .prestashop_read import _MAX_AMOUNT, _NO_ID, _ZERO, OrderDocuments, _cents, _flag, _money, _quantity

PLATFORM = "prestashop"
ROUND_ITEM = "1"  # Order::ROUND_ITEM; 2 = ROUND_LINE, 3 = ROUND_TOTAL
GIFT_WRAP_NAME = "Gift wrapping"


# --- mapping ------------------------------------------------------------------------------------------------------


def map_order(payload: dict) -> dict:
    """A PrestaShop order with its referenced documents (see the module docstring) -> a channel-order dict.

    Raises ChannelOrderError naming PrestaShop's own field (``order.associations.order_rows[1].product_reference``,
    ``customers/7``) when the payload lacks what the mapping needs."""
    if not isinstance(payload, dict) or not isinstance(payload.get("order"), dict):
        raise ChannelOrderError("malformed", "a PrestaShop payload needs the order document under 'order'")
    return _OrderMapper(payload).map()


def map_staged(payload: dict) -> dict:
    """The channel order of a payload the PrestaShop client staged (:func:`order_payload`, JSON as stored)."""
    return map_order(payload)


def channel_product_key(product_id: str, combination_id: str = "") -> str | None:
    """The product's key on the channel: ``"12"`` for a product, ``"14-31"`` for its combination 31. Both ids, as a
    combination id alone cannot be told from a product id (product 31 and combination 31 are different things) and
    the stock push needs the product to find the combination's ``stock_availables``."""
    if product_id in _NO_ID:
        return None
    return product_id if combination_id in _NO_ID else f"{product_id}-{combination_id}"


class _OrderMapper(OrderDocuments):
    # --- the order ----------------------------------------------------------------------------------------------

    def map(self) -> dict:
        order = self.order
        order_id = self.required(order, "id", "order")
        state_id = self.required(order, "current_state", "order")
        state = self.document("order_states", state_id, "order.current_state")
        currency = self.document("currencies", _text(order.get("id_currency")), "order.id_currency")
        customer = self.document("customers", _text(order.get("id_customer")), "order.id_customer")
        invoice = self.document("addresses", _text(order.get("id_address_invoice")), "order.id_address_invoice")
        delivery = self.document("addresses", _text(order.get("id_address_delivery")), "order.id_address_delivery")
        lines = self.lines()
        shipping, discounts, coupon_codes = self.shipping_and_discounts()
        grand_total = self.number(order, "total_paid_tax_incl", "order")
        result = {
            "platform": PLATFORM,
            "external_id": order_id,
            "reference": _text(order.get("reference")) or None,
            "order_date": self.date(order, "date_add"),
            "updated_at": self.date(order, "date_upd"),
            "status": "cancelled" if self.is_cancelled(state_id, state) else "open",
            "platform_status": _text(state.get("name"), self.lang) or state_id,
            "paid": self.is_paid(state),
            "currency": self.required(currency, "iso_code", f"currencies/{currency.get('id')}").upper(),
            "prices_include_tax": True,
            "customer": self.customer(customer, invoice, delivery),
            "billing_address": self.address(invoice, customer, "order.id_address_invoice"),
            "shipping_address": self.address(delivery, customer, "order.id_address_delivery"),
            "lines": lines,
            "fees": self.fees(),
            "coupon_codes": coupon_codes,
            "discounts": discounts,
            "grand_total": _money(grand_total),
            "gift_message": (_text(order.get("gift_message")) or None) if _flag(order, "gift") else None,
            "note": _text(order.get("note")) or None,
            "refunds": self.refunds(),
        }
        if shipping is not None:
            result["shipping"] = shipping
        result.update(self.shop_amounts(result["currency"], grand_total))
        return result

    def shop_amounts(self, currency: str, grand_total: Decimal) -> dict:
        """The shop's default currency and the grand total in it; ``conversion_rate`` = shop currency -> order's."""
        shop_currency = _text(self.payload.get("shop_currency")).upper()
        if not shop_currency:
            return {}
        if shop_currency == currency:
            return {"shop_currency": shop_currency, "shop_grand_total": _money(grand_total)}
        rate = self.number(self.order, "conversion_rate", "order")
        if rate <= 0:
            raise ChannelOrderError("invalid_value", f"order.conversion_rate must be greater than 0 (got {rate})")
        shop_total = grand_total / rate
        if shop_total > _MAX_AMOUNT:
            raise ChannelOrderError("invalid_value", f"order.conversion_rate is out of range (got {rate})")
        return {"shop_currency": shop_currency, "shop_grand_total": _money(shop_total)}

    # --- customer and addresses ---------------------------------------------------------------------------------

    def customer(self, customer: dict, invoice: dict, delivery: dict) -> dict:
        path = f"customers/{_text(customer.get('id'))}"
        name = " ".join(filter(None, (_text(customer.get("firstname")), _text(customer.get("lastname")))))
        if not name:
            raise ChannelOrderError("missing_field", f"{path}.firstname and {path}.lastname are empty")
        phones = (_text(address.get(key)) for address in (invoice, delivery) for key in ("phone", "phone_mobile"))
        return {
            "name": name,
            "email": _text(customer.get("email")) or None,
            "phone": next(filter(None, phones), None),
            "company": _text(customer.get("company")) or _text(invoice.get("company")) or None,
            "vat": _text(invoice.get("vat_number")) or None,
        }

    def address(self, address: dict, customer: dict, path: str) -> dict:
        address_path = f"addresses/{_text(address.get('id'))}"
        country = self.document("countries", _text(address.get("id_country")), f"{address_path}.id_country")
        state = None
        state_id = _text(address.get("id_state"))
        if state_id not in _NO_ID:
            region = self.document("states", state_id, f"{address_path}.id_state")
            state = _text(region.get("iso_code")) or _text(region.get("name"), self.lang) or None
        return {
            "name": " ".join(filter(None, (_text(address.get("firstname")), _text(address.get("lastname"))))) or None,
            "company": _text(address.get("company")) or None,
            "street": self.required(address, "address1", address_path),
            "street2": _text(address.get("address2")) or None,
            "city": self.required(address, "city", address_path),
            "zip": _text(address.get("postcode")) or None,
            "state": state,
            "country_code": self.required(country, "iso_code", f"countries/{_text(country.get('id'))}").upper(),
            "phone": _text(address.get("phone")) or _text(address.get("phone_mobile")) or None,
            "email": _text(customer.get("email")) or None,
            "vat": _text(address.get("vat_number")) or None,
        }

    # --- lines --------------------------------------------------------------------------------------------------

    def lines(self) -> list[dict]:
        rows = _associated(self.order, "order_rows", "order")
        if not rows:
            raise ChannelOrderError("missing_field", "order.associations.order_rows is empty")
        details = {_text(detail.get("id")): detail for detail in self.of_order("order_details")}
        return [self.line(index, row, details) for index, row in enumerate(rows)]

    def line(self, index: int, row: dict, details: dict) -> dict:
        path = f"order.associations.order_rows[{index}]"
        row_id = self.required(row, "id", path)
        detail = details.get(row_id)
        if detail is None:
            raise ChannelOrderError(
                "missing_field", f"{path}.id is {row_id} but order_details/{row_id} is not among the documents fetched"
            )
        detail_path = f"order_details/{row_id}"
        sku = _text(row.get("product_reference"))
        barcode = _text(row.get("product_ean13")) or _text(row.get("product_upc"))
        product_id, combination_id = _text(row.get("product_id")), _text(row.get("product_attribute_id"))
        channel_product_id = channel_product_key(product_id, combination_id)
        if not (sku or barcode or channel_product_id):
            raise ChannelOrderError(
                "missing_field", f"{path}.product_reference empty, no product_ean13 or product_upc and no product_id"
            )
        quantity = self.number(row, "product_quantity", path)
        if quantity <= 0:
            raise ChannelOrderError("invalid_value", f"{path}.product_quantity must be greater than 0 (got {quantity})")
        taxes, factor = self.detail_taxes(detail, detail_path)
        unit_paid = _cents(self.number(row, "unit_price_tax_incl", path))
        if _text(self.order.get("round_type")) in ("", ROUND_ITEM):
            line_paid = quantity * unit_paid
        else:
            line_paid = _cents(self.number(detail, "total_price_tax_incl", detail_path))
        unit_price = unit_paid
        if any(
            self.number(detail, key, detail_path, required=False) > 0
            for key in ("reduction_percent", "reduction_amount", "group_reduction", "product_quantity_discount")
        ):
            original = self.number(detail, "original_product_price", detail_path)
            unit_price = max(unit_paid, _cents(original * factor))
        # Per-line or per-total rounding can leave the line a fraction of a cent above quantity x unit price.
        discount = max(_ZERO, quantity * unit_price - line_paid)
        return {
            "external_line_id": row_id,
            "sku": sku or None,
            "barcode": barcode or None,
            "channel_product_id": channel_product_id,
            "name": _text(row.get("product_name")) or None,
            "quantity": _quantity(quantity),
            "unit_price": _money(unit_price),
            "discount_amount": _money(discount),
            "taxes": taxes,
        }

    # --- shipping, wrapping, discounts --------------------------------------------------------------------------

    def shipping_and_discounts(self) -> tuple[dict | None, list[dict], list[str]]:
        order = self.order
        price = self.number(order, "total_shipping_tax_incl", "order")
        carrier_id = _text(order.get("id_carrier"))
        shipping = None
        shipping_discount = _ZERO
        if carrier_id not in _NO_ID or price > 0:
            method = None
            if carrier_id not in _NO_ID:
                carrier = self.document("carriers", carrier_id, "order.id_carrier")
                method = _text(carrier.get("name"), self.lang) or None
            rate = self.number(order, "carrier_tax_rate", "order", required=False)
            shipping = {"method": method, "price": _money(price), "taxes": [self.tax_for_rate(rate)] if rate else []}
        cart_rules = {_text(rule.get("id")): rule for rule in _items(self.payload.get("cart_rules"), "cart_rules")}
        discounts, codes, total = [], [], _ZERO
        for rule in self.of_order("order_cart_rules"):
            path = f"order_cart_rules/{_text(rule.get('id'))}"
            value = self.number(rule, "value", path)
            value_excl = self.number(rule, "value_tax_excl", path, required=False)
            total += value
            code = _text(cart_rules.get(_text(rule.get("id_cart_rule")), {}).get("code"))
            if code and code not in codes:
                codes.append(code)
            if _flag(rule, "free_shipping") and shipping is not None:
                # A free-shipping rule's value holds the shipping it cancels, plus any reduction of its own.
                taken = min(value, price - shipping_discount)
                if value:
                    value_excl -= value_excl * taken / value
                value -= taken
                shipping_discount += taken
            if value > 0:
                discounts.append(
                    {
                        "name": _text(rule.get("name"), self.lang) or path,
                        "amount": _money(value),
                        "taxes": self.taxes_from_amounts(value, value_excl),
                    }
                )
        expected = self.number(order, "total_discounts_tax_incl", "order", required=False)
        if _cents(total) != _cents(expected):
            raise ChannelOrderError(
                "missing_field",
                f"order.total_discounts_tax_incl is {_cents(expected)} but the order_cart_rules of order "
                f"{_text(order.get('id'))} add up to {_cents(total)}",
            )
        if shipping is not None:
            shipping["discount_amount"] = _money(shipping_discount)
        return shipping, discounts, codes

    def fees(self) -> list[dict]:
        incl = self.number(self.order, "total_wrapping_tax_incl", "order", required=False)
        if incl <= 0:
            return []
        excl = self.number(self.order, "total_wrapping_tax_excl", "order", required=False)
        return [
            {
                "kind": "gift_wrap",
                "name": GIFT_WRAP_NAME,
                "amount": _money(incl),
                "taxes": self.taxes_from_amounts(incl, excl),
            }
        ]

    # --- refunds ------------------------------------------------------------------------------------------------

    def refunds(self) -> list[dict]:
        """The order's credit slips (``order_slip``), tax included like the rest of the order."""
        refunds = []
        slips = self.of_order("order_slips")
        for slip in slips:
            slip_id = _text(slip.get("id"))
            if not (slip_id.isascii() and slip_id.isdecimal()):
                raise ChannelOrderError("invalid_value", f"order_slip/{slip_id}.id is not a number (got {slip_id!r})")
        for slip in sorted(slips, key=lambda slip: int(_text(slip.get("id")))):
            slip_id = _text(slip.get("id"))
            path = f"order_slip/{slip_id}"
            products = self.number(slip, "total_products_tax_incl", path)
            shipping = self.number(slip, "total_shipping_tax_incl", path, required=False)
            lines = []
            for index, detail in enumerate(_associated(slip, "order_slip_details", path)):
                detail_path = f"{path}.associations.order_slip_details[{index}]"
                lines.append(
                    {
                        "external_line_id": self.required(detail, "id_order_detail", detail_path),
                        "quantity": _quantity(self.number(detail, "product_quantity", detail_path)),
                        "amount": _money(self.number(detail, "amount_tax_incl", detail_path)),
                    }
                )
            refunds.append(
                {
                    "external_id": slip_id,
                    "date": self.date(slip, "date_add", path),
                    "amount": _money(products + shipping),
                    "lines": lines,
                    "shipping_amount": _money(shipping),
                }
            )
        return refunds
