"""What :class:`~.shopify_client.ShopifyClient` sends back to Shopify: stock levels, shipments, refunds (shapes in
``tests/fixtures/platforms/shopify/pushback_mutations.graphql``).

- Stock: ``inventorySetQuantities`` sets the absolute "available" quantity of a variant's inventory item at a
  location; the inventory items of a batch are found with one query (by variant id, else by SKU), batches holding
  at most :data:`STOCK_BATCH` levels (Shopify takes at most 250 items in an input array; fewer keep the lookup
  query's cost under its single-query maximum).
- Shipments: ``fulfillmentCreate`` on the order's open fulfillment orders, only the shipment's lines and quantities,
  one call per assigned location (Shopify fulfils one location at a time), tracking always given: every parcel's
  number and page (``trackingInfo.numbers`` and ``urls``) when the label has several.
- Refunds: ``refundCreate`` with the refund's key in its note, after looking for a refund already holding that key,
  so that a refund asked twice (a retry after a crash) is made once.
"""

import math
from collections import defaultdict

from ..errors import ConnectorConfigurationError
from . import shopify_queries

STOCK_BATCH = 100
FULFILLABLE = ("OPEN", "IN_PROGRESS")
PAYMENT_KINDS = ("SALE", "CAPTURE")


def push_stock(client, levels: list) -> int:
    done, unknown = 0, []
    for start in range(0, len(levels), STOCK_BATCH):
        batch = levels[start : start + STOCK_BATCH]
        quantities, skus, missing = _quantities(client, batch)
        unknown.extend(missing)
        if quantities:
            _set_quantities(client, quantities, skus)
            done += len(quantities)
    if unknown:
        raise ConnectorConfigurationError(
            f"Shopify has no variant for {', '.join(unknown[:10])}{' ...' if len(unknown) > 10 else ''}: check "
            f"their SKUs or Shopify variant ids ({done} other quantities were set)"
        )
    return done


def _quantities(client, batch: list) -> tuple[list[dict], list[str], list[str]]:
    """The ``quantities`` input of a batch, the SKU (or id) of each, and the levels Shopify has no variant for."""
    ids = [gid("ProductVariant", level.channel_product_id) for level in batch if level.channel_product_id]
    skus = sorted({level.sku for level in batch if level.sku})
    if not ids and not skus:
        return [], [], ["?"] * len(batch)
    primary = any(not level.location_id for level in batch)
    query = shopify_queries.variants_lookup(by_id=bool(ids), by_sku=bool(skus), primary_location=primary)
    variables = {}
    if ids:
        variables["ids"] = ids
    if skus:
        variables["skus"] = " OR ".join(f'sku:"{_quoted(sku)}"' for sku in skus)
    data, _cost = client.graphql(query, variables, what="the variants to update", scope="read_products")
    by_id = {variant.get("id"): variant for variant in data.get("nodes") or [] if isinstance(variant, dict)}
    by_sku = {
        variant.get("sku"): variant
        for variant in ((data.get("productVariants") or {}).get("nodes") or [])
        if isinstance(variant, dict)
    }
    location = ((data.get("location") or {}).get("id")) if primary else None
    items, missing = {}, []
    for level in batch:
        variant = by_id.get(gid("ProductVariant", level.channel_product_id)) if level.channel_product_id else None
        item = ((variant or by_sku.get(level.sku) or {}).get("inventoryItem") or {}).get("id")
        if not item:
            missing.append(level.sku or level.channel_product_id or "?")
            continue
        location_id = gid("Location", level.location_id) if level.location_id else location
        # one quantity per item and location: Shopify refuses duplicates, the last level wins
        items[(item, location_id)] = (level.sku or level.channel_product_id, _whole_units(level.quantity))
    quantities = [
        {"inventoryItemId": item, "locationId": location_id, "quantity": quantity}
        for (item, location_id), (_name, quantity) in items.items()
    ]
    return quantities, [name for name, _quantity in items.values()], missing


def _set_quantities(client, quantities: list[dict], skus: list[str]) -> None:
    stock = {
        "name": "available",
        "reason": "correction",
        "ignoreCompareQuantity": True,  # the OMS's quantity is the truth: no compare-and-set
        "quantities": quantities,
    }
    data, _cost = client.graphql(
        shopify_queries.SET_STOCK, {"input": stock}, what="the stock levels", scope="write_inventory"
    )
    errors = (data.get("inventorySetQuantities") or {}).get("userErrors") or []
    if errors:
        details = "; ".join(f"{_user_error_subject(error, skus)}: {error.get('message')}" for error in errors)
        raise ConnectorConfigurationError(f"Shopify refused stock levels: {client.http.short(details)}")


def _user_error_subject(error: dict, skus: list[str]) -> str:
    """The SKU a user error points at (``field: ["input", "quantities", "3", ...]``)."""
    field = error.get("field") or []
    if len(field) >= 3 and field[1] == "quantities" and str(field[2]).isdigit() and int(field[2]) < len(skus):
        return f"SKU {skus[int(field[2])]}"
    return ".".join(str(part) for part in field) or "stock"


def push_shipment(client, shipment) -> str:
    """The fulfillment's id (ids joined by commas when the lines ship from several Shopify locations)."""
    if not shipment.tracking_numbers:
        raise ValueError("A shipment is sent to Shopify only with its tracking number")
    order_id = gid("Order", shipment.order_external_id)
    what = f"the fulfillment orders of order {legacy_id(order_id)}"
    data, _cost = client.graphql(
        shopify_queries.FULFILLMENT_ORDERS,
        {"id": order_id},
        what=what,
        scope="read_merchant_managed_fulfillment_orders",
    )
    order = data.get("order")
    if not order:
        raise ConnectorConfigurationError(f"Shopify has no order {legacy_id(order_id)}")
    tracking = tracking_info(shipment)
    ids = []
    for groups in _fulfillment_groups(order, shipment).values():
        fulfillment = {
            "notifyCustomer": True,
            "trackingInfo": tracking,
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": fulfillment_order, "fulfillmentOrderLineItems": items}
                for fulfillment_order, items in groups.items()
            ],
        }
        data, _cost = client.graphql(
            shopify_queries.FULFIL,
            {"fulfillment": fulfillment},
            what=f"the shipment of order {legacy_id(order_id)}",
            scope="write_merchant_managed_fulfillment_orders",
        )
        answer = data.get("fulfillmentCreate") or {}
        _refuse_user_errors(client, answer, f"the shipment {shipment.tracking_number} of order {legacy_id(order_id)}")
        ids.append(legacy_id((answer.get("fulfillment") or {}).get("id")))
    return ",".join(ids)


def tracking_info(shipment) -> dict:
    """``FulfillmentTrackingInput``: ``number`` and ``url`` for one parcel, ``numbers`` and ``urls`` (matched by
    position, one page per number) for several; never both forms."""
    numbers = list(shipment.tracking_numbers)
    tracking = {"company": shipment.carrier}
    if len(numbers) == 1:
        tracking["number"] = numbers[0]
        if shipment.url_of(numbers[0]):
            tracking["url"] = shipment.url_of(numbers[0])
        return tracking
    tracking["numbers"] = numbers
    urls = [shipment.url_of(number) for number in numbers]
    if all(urls):
        tracking["urls"] = urls
    return tracking


def _fulfillment_groups(order: dict, shipment) -> dict:
    """{location: {fulfillment order id: [{id, quantity}]}}: the shipment's quantities taken from the open
    fulfillment orders' line items of each order line."""
    open_items = defaultdict(list)  # order line id -> [(location, fulfillment order, item id, remaining)]
    for fulfillment_order in (order.get("fulfillmentOrders") or {}).get("nodes") or []:
        if fulfillment_order.get("status") not in FULFILLABLE:
            continue
        location = (((fulfillment_order.get("assignedLocation") or {}).get("location")) or {}).get("id")
        for item in (fulfillment_order.get("lineItems") or {}).get("nodes") or []:
            line_id = legacy_id((item.get("lineItem") or {}).get("id"))
            remaining = int(item.get("remainingQuantity") or 0)
            if remaining > 0:
                open_items[line_id].append((location, fulfillment_order["id"], item["id"], remaining))
    groups = defaultdict(lambda: defaultdict(list))
    for line in shipment.lines:
        wanted = int(round(line.quantity))
        left = wanted
        for location, fulfillment_order, item_id, remaining in open_items[legacy_id(line.external_line_id)]:
            taken = min(left, remaining)
            if taken:
                groups[location][fulfillment_order].append({"id": item_id, "quantity": taken})
                left -= taken
        if left > 0:
            raise ConnectorConfigurationError(
                f"Shopify has {wanted - left} of line {legacy_id(line.external_line_id)} left to ship in order "
                f"{legacy_id(order.get('id'))}, not {wanted}: was it shipped already?"
            )
    return groups


def push_refund(client, refund) -> str:
    order_id = gid("Order", refund.order_external_id)
    what = f"the refunds of order {legacy_id(order_id)}"
    data, _cost = client.graphql(shopify_queries.REFUND_CONTEXT, {"id": order_id}, what=what, scope="read_orders")
    order = data.get("order")
    if not order:
        raise ConnectorConfigurationError(f"Shopify has no order {legacy_id(order_id)}")
    marker = f"[{refund.key}]"  # bracketed: key 1 must not be found in the note of key 12
    for existing in order.get("refunds") or []:
        if marker in str(existing.get("note") or ""):
            return legacy_id(existing.get("id"))  # already made (a retry after a crash): once only
    restock = {"restockType": "RETURN", "locationId": (data.get("location") or {}).get("id")}
    refund_input = {
        "orderId": order_id,
        "note": f"OMS refund {marker}" + (f": {refund.reason}" if refund.reason else ""),
        "notify": False,
        "currency": refund.currency,
        "refundLineItems": [
            {
                "lineItemId": gid("LineItem", line.external_line_id),
                "quantity": int(round(line.quantity)),
                **(restock if refund.restock else {"restockType": "NO_RESTOCK"}),
            }
            for line in refund.lines
            if int(round(line.quantity)) > 0
        ],
        "transactions": [_refund_transaction(order, refund)],
    }
    if refund.shipping_amount:
        refund_input["shipping"] = {"amount": f"{refund.shipping_amount:.2f}"}
    data, _cost = client.graphql(
        shopify_queries.REFUND, {"input": refund_input}, what=f"the refund {refund.key}", scope="write_orders"
    )
    answer = data.get("refundCreate") or {}
    _refuse_user_errors(client, answer, f"the refund {refund.key} of order {legacy_id(order_id)}")
    return legacy_id((answer.get("refund") or {}).get("id"))


def _refund_transaction(order: dict, refund) -> dict:
    """The money given back, on the order's payment (its successful sale or capture)."""
    payments = [
        transaction
        for transaction in order.get("transactions") or []
        if transaction.get("kind") in PAYMENT_KINDS and transaction.get("status") == "SUCCESS"
    ]
    if not payments:
        raise ConnectorConfigurationError(
            f"Shopify order {legacy_id(order.get('id'))} has no captured payment to refund: refund it in Shopify"
        )
    payment = payments[-1]
    return {
        "orderId": order["id"],
        "parentId": payment["id"],
        "gateway": payment.get("gateway"),
        "kind": "REFUND",
        "amount": f"{refund.amount:.2f}",
    }


def _refuse_user_errors(client, answer: dict, what: str) -> None:
    errors = answer.get("userErrors") or []
    if errors:
        details = "; ".join(str(error.get("message")) for error in errors)
        raise ConnectorConfigurationError(f"Shopify refused {what}: {client.http.short(details)}")


def gid(kind: str, value) -> str:
    """Shopify's global id of a numeric id (a gid stays as given)."""
    text = str(value).strip()
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


def legacy_id(value) -> str:
    """The numeric id of a gid (``gid://shopify/Refund/123`` -> ``123``); a numeric id stays as given."""
    return str(value or "").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _whole_units(quantity: float) -> int:
    """Shopify counts whole units: a fraction left is not sellable (rounded first: 2.9999999 is 3), none below 0."""
    return max(0, math.floor(round(quantity, 6)))


def _quoted(sku: str) -> str:
    return sku.replace("\\", "\\\\").replace('"', '\\"')
