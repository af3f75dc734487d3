"""The products side of the local WooCommerce shop (``stand_ins/woocommerce.py``): a small catalogue to look up and
the batch endpoints that set stock, answering as ``tests/fixtures/platforms/woocommerce/API.md`` documents them::

    shop.add_products([{"id": 812, "sku": "OMS-KET-01"}, {"id": 820, "sku": "OMS-MUG", "type": "variable"},
                       {"id": 823, "sku": "OMS-MUG-BLU", "type": "variation", "parent_id": 820}])

- ``GET products?sku=a,b`` finds products **and** variations by exact SKU (WooCommerce widens the post type to
  ``product_variation`` when ``sku`` is given); ``GET products?include=1,2`` finds products only, never variations;
  ``GET products/<id>`` answers a variation too, with its ``parent_id`` (what the client assumes; not confirmed).
- ``POST products/batch`` and ``POST products/<id>/variations/batch`` ``{"update": [{"id", ...}]}`` (at most 100)
  answer 200 with each item on its own: the product, or ``{"id", "error": {...}}`` (an unknown id, or a variation
  sent to ``products/batch``). The per-item error code of an unknown variation is not confirmed.

Every stock change lands in ``shop.stock_updates`` as the single-product endpoints record it.
"""

from werkzeug.wrappers import Request, Response

from odoo.addons.oms_intelligent.stand_ins.http_server import json_response

BATCH_LIMIT = 100


class ProductsServed:
    """Mixin of LocalWooCommerce; its ``lock``, ``stock_updates`` and ``wp_error`` answers are shared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.products: dict[int, dict] = {}

    def add_products(self, products: list[dict]) -> None:
        """Products as ``{"id", "sku", "type" ("simple", "variable", "variation"), "parent_id"}``."""
        with self.lock:
            for product in products:
                self.products[product["id"]] = {"type": "simple", "parent_id": 0, **product}

    def _serve_products(self, request: Request, body) -> Response:
        skus = [sku for sku in request.args.get("sku", "").split(",") if sku]
        include = {int(value) for value in request.args.get("include", "").split(",") if value.strip().isdigit()}
        with self.lock:
            found = [
                dict(product)
                for product in self.products.values()
                if (not skus or product.get("sku") in skus)
                and (not include or product["id"] in include)
                and (skus or product["type"] != "variation")
            ]
        response = json_response(sorted(found, key=lambda product: product["id"]))
        response.headers.update({"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(1 if found else 0)})
        return response

    def _serve_product(self, request: Request, body, product_id: int) -> Response:
        with self.lock:
            product = self.products.get(product_id)
        if product is None:
            return self._wp_error("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        return json_response(dict(product))

    def _serve_product_batch(self, request: Request, body) -> Response:
        return self._batch(body, parent_id=None)

    def _serve_variation_batch(self, request: Request, body, product_id: int) -> Response:
        return self._batch(body, parent_id=product_id)

    def _batch(self, body, parent_id: int | None) -> Response:
        updates = body.get("update") if isinstance(body, dict) else None
        if not isinstance(updates, list):
            return self._wp_error("rest_invalid_json", "Invalid JSON body passed.", 400)
        if len(updates) > BATCH_LIMIT:
            message = f"Unable to accept more than {BATCH_LIMIT} items for this request."
            return self._wp_error("woocommerce_rest_request_entity_too_large", message, 413)
        with self.lock:
            return json_response({"update": [self._batch_item(item, parent_id) for item in updates]})

    def _batch_item(self, item, parent_id: int | None) -> dict:
        product = self.products.get(item.get("id")) if isinstance(item, dict) else None
        wanted_type = product and (product["type"] == "variation") == (parent_id is not None)
        if product is None or not wanted_type or (parent_id is not None and product["parent_id"] != parent_id):
            return {"id": item.get("id") if isinstance(item, dict) else None, "error": _item_error(product, parent_id)}
        quantity = item.get("stock_quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            error = {"code": "rest_invalid_param", "message": "Invalid parameter(s): stock_quantity"}
            return {"id": product["id"], "error": {**error, "data": {"status": 400}}}
        product.update({key: value for key, value in item.items() if key != "id"})
        self.stock_updates.append(
            {
                "product_id": parent_id or product["id"],
                "variation_id": product["id"] if parent_id else None,
                "body": {key: value for key, value in item.items() if key != "id"},
            }
        )
        return {**product, "stock_status": "instock" if quantity > 0 else "outofstock"}


def _item_error(product: dict | None, parent_id: int | None) -> dict:
    if product is not None and product["type"] == "variation" and parent_id is None:
        message = (
            "To manipulate product variations you should use the "
            "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint."
        )
        return {"code": "woocommerce_rest_invalid_product_id", "message": message, "data": {"status": 404}}
    if parent_id is not None:
        return {
            "code": "woocommerce_rest_product_variation_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        }
    return {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.", "data": {"status": 400}}
