from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services.errors import ConnectorError
from ..services.platforms.client import StockLevel

# The platforms whose stock has locations of its own (Shopify locations, Magento sources); the others keep one
# quantity per product.
LOCATION_PLATFORMS = ("shopify", "magento")


class OmsChannelStockPush(models.Model):
    """Pushing stock: the free quantity of the channel's products, sent by a scheduled action."""

    _inherit = "oms.channel"

    stock_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Sells Stock From",
        check_company=True,
        help="Warehouses whose available stock is pushed to the channel; all of the company's when empty.",
    )
    push_stock = fields.Boolean(help="Send available stock to the channel by a scheduled action.")
    last_stock_push_at = fields.Datetime("Last Stock Push", copy=False, readonly=True)
    last_stock_push_ok = fields.Boolean("Last Stock Push Succeeded", copy=False, readonly=True)
    last_stock_push_message = fields.Text("Last Stock Push Outcome", copy=False, readonly=True)
    location_ids = fields.One2many(
        "oms.channel.location",
        "channel_id",
        string="Platform Locations",
        help="The platform's stock locations and the warehouses each shows; without any, one quantity per product "
        "over the warehouses the channel sells stock from.",
    )

    @api.model
    def _cron_push_stock(self):
        # Platform channels push through their platform's API whether their orders arrive by pull or by webhook.
        channels = self.search(
            [
                ("active", "=", True),
                ("push_stock", "=", True),
                "|",
                ("connector", "=", "rest"),
                ("platform", "!=", "oms"),
            ]
        )
        for channel in channels:
            try:
                channel._push_stock()
            except (ConnectorError, UserError, ValueError) as error:  # ValueError: what a platform client refuses
                channel.write(
                    {
                        "last_stock_push_at": fields.Datetime.now(),
                        "last_stock_push_ok": False,
                        "last_stock_push_message": channel._redact_credentials(str(error)),
                    }
                )
            channel._commit_batch()

    def _push_stock(self):
        self.ensure_one()
        if self.platform != "oms":
            return self._push_platform_stock()
        items = self._stock_to_push()
        self._get_connector().push_stock(items)
        self.write(
            {
                "last_stock_push_at": fields.Datetime.now(),
                "last_stock_push_ok": True,
                "last_stock_push_message": self.env._("Stock of %s product(s) sent.", len(items)),
            }
        )
        return items

    def _stock_to_push(self):
        """Free quantity (on hand less reserved) of the channel's products over the warehouses it sells from.

        The products are those bound to the channel, else every storable product with a SKU; the SKU sent is
        the channel's own when the binding has one. One grouped query for all products.
        """
        self.ensure_one()
        warehouses = self._stock_warehouses()
        sku_of = {
            binding.product_id: binding.external_sku or binding.product_id.default_code
            for binding in self.product_binding_ids
        }
        if not sku_of:
            products = self.env["product.product"].search(
                [
                    ("is_storable", "=", True),
                    ("sale_ok", "=", True),
                    ("default_code", "!=", False),
                    ("company_id", "in", (self.company_id.id, False)),
                ]
            )
            sku_of = {product: product.default_code for product in products}
        free = {
            product: quantity - reserved
            for product, quantity, reserved in self.env["stock.quant"]._read_group(
                [
                    ("product_id", "in", [product.id for product in sku_of]),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.warehouse_id", "in", warehouses.ids),
                ],
                ["product_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        }
        return [
            {"sku": sku, "quantity": max(free.get(product, 0.0), 0.0)}
            for product, sku in sorted(sku_of.items(), key=lambda item: item[1] or "")
            if sku
        ]

    def _stock_warehouses(self):
        return self.stock_warehouse_ids or self.env["stock.warehouse"].search([("company_id", "=", self.company_id.id)])

    def _stock_locations(self):
        return self.location_ids if self.platform in LOCATION_PLATFORMS else self.env["oms.channel.location"]

    def _push_platform_stock(self):
        levels = self._platform_stock_levels()
        if not levels:
            raise UserError(
                self.env._(
                    "Channel %s has no product bound to the platform's: bind them on its Products tab (the "
                    "platform's product or variant id, or SKU) to send their stock.",
                    self.name,
                )
            )
        self._get_connector().push_stock(levels)
        self.write(
            {
                "last_stock_push_at": fields.Datetime.now(),
                "last_stock_push_ok": True,
                "last_stock_push_message": self.env._(
                    "Stock of %(products)s product(s) sent to %(locations)s location(s).",
                    products=len({(level.sku, level.channel_product_id) for level in levels}),
                    locations=len(self._stock_locations()) or 1,
                ),
            }
        )
        return levels

    def _platform_stock_levels(self):
        """The quantity of each bound product at each platform location: what the location's warehouses can
        promise (on hand, less reserved, less held in open carts), summed over those warehouses only, never over
        the company's whole stock; one level per product (location None) over the warehouses the channel sells
        from when no location is mapped. A warehouse short of its carts' holds lowers the location's total: what a
        cart holds will be shipped from somewhere. Magento sources get back what this channel's own open orders
        reserve (Magento deducts those itself). Two or three grouped queries, whatever the number of products.
        """
        self.ensure_one()
        bindings = self.product_binding_ids.filtered(
            lambda binding: binding.external_id or binding.external_sku or binding.product_id.default_code
        ).sorted(lambda binding: binding.product_id.id)
        locations = [(location.platform_location_id, location.warehouse_ids) for location in self._stock_locations()]
        locations = locations or [(None, self._stock_warehouses())]
        all_warehouses = self.env["stock.warehouse"].union(*(warehouses for __, warehouses in locations))
        promise = self._promise_by_warehouse(bindings.product_id, all_warehouses)
        return [
            StockLevel(
                quantity=max(sum(promise.get((binding.product_id.id, id_), 0.0) for id_ in warehouses.ids), 0.0),
                sku=binding.external_sku or binding.product_id.default_code or None,
                channel_product_id=binding.external_id or None,
                location_id=location_id,
            )
            for location_id, warehouses in locations
            for binding in bindings
        ]

    def _promise_by_warehouse(self, products, warehouses):
        """{(product id, warehouse id): on hand - reserved - held in open carts} of these products there."""
        promise = {
            (product.id, warehouse.id): quantity - reserved
            for product, warehouse, quantity, reserved in self.env["stock.quant"]._read_group(
                [
                    ("product_id", "in", products.ids),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.warehouse_id", "in", warehouses.ids),
                ],
                ["product_id", "warehouse_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        }
        # The carts of every channel hold stock where the stock position says they do.
        for model in ("oms.channel", "oms.channel.cart", "oms.channel.cart.line"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT hold.product_id, hold.warehouse_id, SUM(hold.quantity)
                  FROM (%s) hold
                 WHERE hold.product_id = ANY(%s) AND hold.warehouse_id = ANY(%s)
                 GROUP BY hold.product_id, hold.warehouse_id
                """,
                self.env["oms.stock.position"]._cart_hold_query(),
                products.ids,
                warehouses.ids,
            )
        )
        for product_id, warehouse_id, held in self.env.cr.fetchall():
            promise[product_id, warehouse_id] = promise.get((product_id, warehouse_id), 0.0) - float(held)
        if self.platform == "magento" and self._stock_locations():
            for key, reserved in self._own_reservations(products, warehouses).items():
                promise[key] = promise.get(key, 0.0) + reserved
        return promise

    def _own_reservations(self, products, warehouses):
        """{(product id, warehouse id): quantity} reserved there for this channel's own open orders.

        Magento deducts from a source's quantity its own orders placed and not shipped (its reservations): a
        quantity that deducts them too would count them twice until they ship (see magento_client.py).
        """
        reserved = defaultdict(float)
        for product, location, quantity in self.env["stock.move.line"]._read_group(
            [
                ("state", "not in", ("done", "cancel")),
                ("product_id", "in", products.ids),
                ("location_id.usage", "=", "internal"),
                ("location_id.warehouse_id", "in", warehouses.ids),
                ("move_id.group_id.sale_id.oms_channel_id", "=", self.id),
            ],
            ["product_id", "location_id"],
            ["quantity_product_uom:sum"],
        ):
            reserved[product.id, location.warehouse_id.id] += quantity
        return reserved
