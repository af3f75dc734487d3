from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.errors import ConnectorError


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

    @api.model
    def _cron_push_stock(self):
        for channel in self.search([("active", "=", True), ("push_stock", "=", True), ("connector", "=", "rest")]):
            try:
                channel._push_stock()
            except (ConnectorError, UserError) as error:
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
        warehouses = self.stock_warehouse_ids or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)]
        )
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
