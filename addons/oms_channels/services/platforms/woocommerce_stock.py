"""Stock levels pushed to a WooCommerce shop (facts in ``tests/fixtures/platforms/woocommerce/API.md``, "Push-back").

WooCommerce keeps one stock number per product or variation (no locations in core), an integer, set with
``manage_stock: true`` and ``stock_quantity``. A variation is only reachable under its parent product, which the
OMS does not know, so the products are found first, with as few calls as possible:

1. ``GET products?sku=<sku>,<sku>...&per_page=100``: one call per 100 SKUs; with ``sku`` WooCommerce searches
   variations too and answers each with its ``parent_id``. A level is matched by its product id when that came
   back, else by its SKU (the SKU is what both sides show).
2. Levels still unmatched that carry the shop's id: ``GET products?include=<id>,...`` (one call per 100 ids) finds
   simple and variable products, never variations;
3. what is left, one ``GET products/<id>`` each, read for its ``type`` and ``parent_id`` (that WooCommerce answers a
   variation's id there too is not confirmed: the docs show only products); bindings normally carry SKUs, so
   this stays rare, and an id it does not answer is named among the failures.

Then one ``POST products/batch`` per 100 products and one ``POST products/<parent>/variations/batch`` per parent
(per 100 variations). WooCommerce answers a batch 200 with each item on its own: items refused there, and levels
not found in the shop, are named by SKU in one error once everything else has been sent.

Quantities are rounded down to whole units and never below 0: a shop must not promise what is not there.
"""

import math

from ..errors import ConnectorConfigurationError, ConnectorError
from .client import StockLevel

BATCH_SIZE = 100  # WooCommerce's default woocommerce_rest_batch_items_limit
LOOKUP_SIZE = 100  # ids or SKUs per look-up, and per_page's maximum
MAX_NAMED = 10  # failures named in one message


def push_stock(http, levels: list[StockLevel]) -> int:
    """Sets the levels' quantities on the shop; returns how many were set. ``http``: a ``WooCommerceHttp``."""
    levels = [level for level in levels if level.sku or level.channel_product_id]
    if not levels:
        return 0
    products = _find_products(http, levels)
    failures, batches = [], {}
    for level in levels:
        product = _match(level, products)
        if product is None:
            failures.append(f"{_name(level)}: not found in the shop (by SKU nor by product id)")
            continue
        parent = _parent_id(product)
        batches.setdefault(parent, []).append((level, product["id"]))
    done = 0
    for parent, targets in batches.items():
        path = "/products/batch" if parent is None else f"/products/{parent}/variations/batch"
        for start in range(0, len(targets), BATCH_SIZE):
            chunk = targets[start : start + BATCH_SIZE]
            set_now, refused = _send_batch(http, path, chunk)
            done += set_now
            failures += refused
    if failures:
        named = "; ".join(failures[:MAX_NAMED]) + (
            f"; and {len(failures) - MAX_NAMED} more" if len(failures) > MAX_NAMED else ""
        )
        raise ConnectorConfigurationError(
            f"WooCommerce did not take the stock of {len(failures)} product(s) ({done} set): {named}"
        )
    return done


def _send_batch(http, path: str, chunk: list) -> tuple[int, list]:
    body = {
        "update": [
            {"id": product_id, "manage_stock": True, "stock_quantity": _units(level.quantity)}
            for level, product_id in chunk
        ]
    }
    answer = http.json(http.call("POST", path, json=body), "the stock update")
    items = answer.get("update") if isinstance(answer, dict) else None
    if not isinstance(items, list):
        raise ConnectorError("WooCommerce answered the stock update without its list of products")
    by_id = {str(item.get("id")): item for item in items if isinstance(item, dict)}
    done, refused = 0, []
    for level, product_id in chunk:
        item = by_id.get(str(product_id))
        error = item.get("error") if isinstance(item, dict) else {"message": "missing from the answer"}
        if error:
            message = error.get("message") if isinstance(error, dict) else error
            refused.append(f"{_name(level)}: {http.short(str(message or 'refused'))}")
        else:
            done += 1
    return done, refused


def _find_products(http, levels: list[StockLevel]) -> dict:
    """The shop's products and variations the levels name, by id (text) and by ``"sku:" + SKU``."""
    products = {}
    skus = list(dict.fromkeys(level.sku for level in levels if level.sku))
    for start in range(0, len(skus), LOOKUP_SIZE):
        _add(products, _list(http, {"sku": ",".join(skus[start : start + LOOKUP_SIZE]), "per_page": LOOKUP_SIZE}))
    missing = [
        level.channel_product_id
        for level in levels
        if _match(level, products) is None and str(level.channel_product_id or "").isdigit()
    ]
    missing = list(dict.fromkeys(missing))
    for start in range(0, len(missing), LOOKUP_SIZE):
        _add(
            products, _list(http, {"include": ",".join(missing[start : start + LOOKUP_SIZE]), "per_page": LOOKUP_SIZE})
        )
    for product_id in missing:
        if product_id not in products:
            _add(products, [_one(http, product_id)])
    return products


def _list(http, params: dict) -> list:
    answer = http.json(http.call("GET", "/products", params=params), "the product look-up")
    if not isinstance(answer, list):
        raise ConnectorError("WooCommerce answered the product look-up without a list of products")
    return answer


def _one(http, product_id: str) -> dict | None:
    try:
        answer = http.json(http.call("GET", f"/products/{product_id}"), f"product {product_id}")
    except ConnectorConfigurationError as exc:
        if exc.status in (400, 404):  # not in the shop: named among the failures
            return None
        raise
    return answer if isinstance(answer, dict) else None


def _add(products: dict, found: list) -> None:
    for product in found:
        if isinstance(product, dict) and str(product.get("id", "")).isdigit():
            products[str(product["id"])] = product
            if product.get("sku"):
                products.setdefault(f"sku:{product['sku']}", product)


def _match(level: StockLevel, products: dict) -> dict | None:
    by_id = products.get(str(level.channel_product_id)) if level.channel_product_id else None
    return by_id or (products.get(f"sku:{level.sku}") if level.sku else None)


def _parent_id(product: dict) -> int | None:
    parent = product.get("parent_id")
    is_variation = product.get("type") == "variation"
    return int(parent) if is_variation and str(parent or "").isdigit() and int(parent) else None


def _units(quantity: float) -> int:
    return max(0, math.floor(quantity))


def _name(level: StockLevel) -> str:
    return f"SKU {level.sku}" if level.sku else f"product {level.channel_product_id}"
