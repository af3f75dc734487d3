"""The two shapes of a Shopify order, each read into the same :class:`~.shopify_read.OrderView`: the GraphQL Admin
API ``Order`` node of a pull (``orders`` query, see the fixtures' ``orders_query.graphql``) and the REST-shaped body
of an ``orders/*`` webhook. Keys differ; meanings are the same, so both views of one order are equal.
"""

from decimal import Decimal

from ..payload import ChannelOrderError, json_type
from .shopify_read import (
    GRAPHQL,
    WEBHOOK,
    Line,
    OrderView,
    Refund,
    RefundLine,
    Shape,
    ShippingLine,
    date,
    items,
    join,
    legacy_id,
    mapping,
    missing,
    money,
    money_currency,
    number,
    tax_lines,
    text,
)


def order_view(payload, *, graphql: bool) -> OrderView:
    """The neutral view of a GraphQL ``Order`` node (``graphql``) or of a webhook order body."""
    if not isinstance(payload, dict):
        raise ChannelOrderError("malformed", f"Shopify order must be a JSON object (got {json_type(payload)})")
    return (_GraphqlReader if graphql else _WebhookReader)(payload).view()


class _Reader:
    """What both shapes read alike; subclasses name the keys."""

    shape: Shape

    def __init__(self, order: dict):
        self.order = order

    def money(self, data: dict, key: str, path: str, **options):
        return money(data, key, path, self.shape, **options)

    def currency(self, key: str, total_key: str, *, shop: bool = False) -> str | None:
        """The customer's (presentment) currency, required, or with ``shop`` the shop's; else the total's."""
        value = text(self.order, key) or money_currency(self.order, total_key, self.shape, shop=shop)
        if value is None and not shop:
            raise missing(key)
        return value

    def allocations(self, line: dict, path: str, key: str, amount_key: str) -> Decimal:
        return sum((self.money(allocation, amount_key, p) for p, allocation in items(line, key, path)), Decimal(0))

    def line(self, path: str, line: dict, ids: dict, keys: dict) -> Line:
        return Line(
            path=path,
            external_id=legacy_id(line.get("id"), join(path, "id"), required=True),
            sku=text(line, "sku"),
            variant_id=ids.get("variant_id"),
            product_id=ids.get("product_id"),
            name=text(line, "name") or text(line, "title"),
            quantity=number(line, "quantity", path),
            unit_price=self.money(line, keys["price"], path),
            discount=self.allocations(line, path, keys["allocations"], keys["allocated"]),
            taxes=tax_lines(line, keys["taxes"], path),
            requires_shipping=line.get(keys["requires_shipping"]) is not False,
        )

    def shipping_line(self, path: str, line: dict, keys: dict) -> ShippingLine:
        price = self.money(line, keys["price"], path)
        discounted = self.money(line, keys["discounted"], path, required=False)
        return ShippingLine(
            method=text(line, "code") or text(line, "title"),
            price=price,
            discounted_price=price if discounted is None else discounted,
            taxes=tax_lines(line, keys["taxes"], path),
        )

    def extra_charges(self, keys: list[tuple[str, str]]) -> list[tuple[str, Decimal]]:
        """Duties and additional (import) fees: in the total but on no line."""
        charges = []
        for name, key in keys:
            amount = self.money(self.order, key, "", required=False)
            if amount:
                charges.append((name, amount))
        return charges


# GraphQL MailingAddress keys -> the webhook's, so the mapper reads one address shape.
_GRAPHQL_ADDRESS_KEYS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "name": "name",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "province": "province",
    "provinceCode": "province_code",
    "zip": "zip",
    "countryCodeV2": "country_code",
    "phone": "phone",
    "latitude": "latitude",
    "longitude": "longitude",
}


class _GraphqlReader(_Reader):
    shape = GRAPHQL

    def view(self) -> OrderView:
        order = self.order
        more_lines = mapping(mapping(order, "lineItems", "") or {}, "pageInfo", "lineItems") or {}
        if more_lines.get("hasNextPage") is True:
            raise ChannelOrderError(
                "malformed", "lineItems.pageInfo.hasNextPage is true: read the order's remaining lines first"
            )
        customer = mapping(order, "customer", "") or {}
        return OrderView(
            external_id=legacy_id(order.get("legacyResourceId") or order.get("id"), "legacyResourceId", required=True),
            currency=self.currency("presentmentCurrencyCode", "totalPriceSet"),
            shop_currency=self.currency("currencyCode", "totalPriceSet", shop=True),
            grand_total=self.money(order, "totalPriceSet", ""),
            shop_grand_total=self.money(order, "totalPriceSet", "", shop=True),
            prices_include_tax=order.get("taxesIncluded") is True,
            financial_status=(text(order, "displayFinancialStatus") or "").lower(),
            order_date=date(order, "processedAt", "") or date(order, "createdAt", ""),
            updated_at=date(order, "updatedAt", ""),
            cancelled_at=date(order, "cancelledAt", ""),
            cancel_reason=(text(order, "cancelReason") or "").lower() or None,
            email=text(order, "email"),
            phone=text(order, "phone"),
            locale=text(order, "customerLocale"),
            customer={
                "first_name": text(customer, "firstName"),
                "last_name": text(customer, "lastName"),
                "email": text(mapping(customer, "defaultEmailAddress", "customer") or {}, "emailAddress"),
                "phone": text(mapping(customer, "defaultPhoneNumber", "customer") or {}, "phoneNumber"),
            },
            billing_address=self.address("billingAddress"),
            shipping_address=self.address("shippingAddress"),
            note=text(order, "note"),
            attributes={text(a, "key"): text(a, "value") for _, a in items(order, "customAttributes", "")},
            coupon_codes=self.coupon_codes(),
            lines=[self.graphql_line(path, line) for path, line in items(order, "lineItems", "", connection=True)],
            shipping_lines=self.shipping_lines(),
            extra_charges=self.extra_charges(
                [("Duties", "originalTotalDutiesSet"), ("Additional fees", "originalTotalAdditionalFeesSet")]
            ),
            refunds=[self.refund(path, refund) for path, refund in items(order, "refunds", "")],
        )

    def address(self, key: str) -> dict | None:
        address = mapping(self.order, key, "")
        if address is None:
            return None
        return {webhook_key: address.get(graphql_key) for graphql_key, webhook_key in _GRAPHQL_ADDRESS_KEYS.items()}

    def coupon_codes(self) -> list[str]:
        codes = self.order.get("discountCodes") or []
        if not isinstance(codes, list):
            raise ChannelOrderError("malformed", f"discountCodes must be an array (got {json_type(codes)})")
        return [str(code).strip() for code in codes if isinstance(code, str | int) and str(code).strip()]

    def graphql_line(self, path: str, line: dict) -> Line:
        variant = mapping(line, "variant", path) or {}
        product = mapping(line, "product", path) or {}
        ids = {
            "variant_id": legacy_id(variant.get("legacyResourceId") or variant.get("id"), join(path, "variant.id")),
            "product_id": legacy_id(product.get("legacyResourceId") or product.get("id"), join(path, "product.id")),
        }
        keys = {
            "price": "originalUnitPriceSet",
            "allocations": "discountAllocations",
            "allocated": "allocatedAmountSet",
            "taxes": "taxLines",
            "requires_shipping": "requiresShipping",
        }
        return self.line(path, line, ids, keys)

    def shipping_lines(self) -> list[ShippingLine]:
        keys = {"price": "originalPriceSet", "discounted": "discountedPriceSet", "taxes": "taxLines"}
        return [
            self.shipping_line(path, line, keys)
            for path, line in items(self.order, "shippingLines", "", connection=True)
            if line.get("isRemoved") is not True
        ]

    def refund(self, path: str, refund: dict) -> Refund:
        lines = []
        for line_path, line in items(refund, "refundLineItems", path, connection=True):
            line_item = mapping(line, "lineItem", line_path, required=True)
            lines.append(
                RefundLine(
                    external_line_id=legacy_id(line_item.get("id"), join(line_path, "lineItem.id"), required=True),
                    quantity=number(line, "quantity", line_path),
                    subtotal=self.money(line, "subtotalSet", line_path),
                    tax=self.money(line, "totalTaxSet", line_path, required=False) or Decimal(0),
                )
            )
        return Refund(
            external_id=legacy_id(refund.get("legacyResourceId") or refund.get("id"), join(path, "id"), required=True),
            date=date(refund, "createdAt", path),
            amount=self.money(refund, "totalRefundedSet", path),
            lines=tuple(lines),
        )


class _WebhookReader(_Reader):
    shape = WEBHOOK

    def view(self) -> OrderView:
        order = self.order
        customer = mapping(order, "customer", "") or {}
        return OrderView(
            external_id=legacy_id(order.get("id"), "id", required=True),
            currency=self.currency("presentment_currency", "total_price_set"),
            shop_currency=self.currency("currency", "total_price_set", shop=True),
            grand_total=self.money(order, "total_price_set", ""),
            shop_grand_total=self.money(order, "total_price_set", "", shop=True),
            prices_include_tax=order.get("taxes_included") is True,
            financial_status=(text(order, "financial_status") or "").lower(),
            order_date=date(order, "processed_at", "") or date(order, "created_at", ""),
            updated_at=date(order, "updated_at", ""),
            cancelled_at=date(order, "cancelled_at", ""),
            cancel_reason=(text(order, "cancel_reason") or "").lower() or None,
            email=text(order, "email") or text(order, "contact_email"),
            phone=text(order, "phone"),
            locale=text(order, "customer_locale"),
            customer={key: text(customer, key) for key in ("first_name", "last_name", "email", "phone")},
            billing_address=mapping(order, "billing_address", ""),
            shipping_address=mapping(order, "shipping_address", ""),
            note=text(order, "note"),
            attributes={text(a, "name"): text(a, "value") for _, a in items(order, "note_attributes", "")},
            coupon_codes=[code for _, c in items(order, "discount_codes", "") if (code := text(c, "code"))],
            lines=[self.webhook_line(path, line) for path, line in items(order, "line_items", "")],
            shipping_lines=self.shipping_lines(),
            extra_charges=self.extra_charges(
                [("Duties", "original_total_duties_set"), ("Additional fees", "original_total_additional_fees_set")]
            ),
            refunds=[self.refund(path, refund) for path, refund in items(order, "refunds", "")],
        )

    def webhook_line(self, path: str, line: dict) -> Line:
        ids = {
            "variant_id": legacy_id(line.get("variant_id"), join(path, "variant_id")),
            "product_id": legacy_id(line.get("product_id"), join(path, "product_id")),
        }
        keys = {
            "price": "price_set",
            "allocations": "discount_allocations",
            "allocated": "amount_set",
            "taxes": "tax_lines",
            "requires_shipping": "requires_shipping",
        }
        return self.line(path, line, ids, keys)

    def shipping_lines(self) -> list[ShippingLine]:
        keys = {"price": "price_set", "discounted": "discounted_price_set", "taxes": "tax_lines"}
        return [
            self.shipping_line(path, line, keys)
            for path, line in items(self.order, "shipping_lines", "")
            if line.get("is_removed") is not True
        ]

    def refund(self, path: str, refund: dict) -> Refund:
        lines = tuple(
            RefundLine(
                external_line_id=legacy_id(line.get("line_item_id"), join(line_path, "line_item_id"), required=True),
                quantity=number(line, "quantity", line_path),
                subtotal=self.money(line, "subtotal_set", line_path),
                tax=self.money(line, "total_tax_set", line_path, required=False) or Decimal(0),
            )
            for line_path, line in items(refund, "refund_line_items", path)
        )
        return Refund(
            external_id=legacy_id(refund.get("id"), join(path, "id"), required=True),
            date=date(refund, "created_at", path),
            amount=self.refunded(path, refund),
            lines=lines,
        )

    def refunded(self, path: str, refund: dict) -> Decimal:
        """Sum of the refund's successful ``refund`` transactions, in the customer's currency (the webhook's
        refund has no total of its own; GraphQL's ``totalRefundedSet`` is the same sum)."""
        total = Decimal(0)
        currency = text(self.order, "presentment_currency")
        for transaction_path, transaction in items(refund, "transactions", path):
            if text(transaction, "kind") != "refund" or text(transaction, "status") != "success":
                continue
            if currency and text(transaction, "currency") not in (None, currency):
                found = text(transaction, "currency")
                message = f"{join(transaction_path, 'currency')} is {found}, not the order's {currency}"
                raise ChannelOrderError("invalid_value", message)
            total += number(transaction, "amount", transaction_path)
        return total
