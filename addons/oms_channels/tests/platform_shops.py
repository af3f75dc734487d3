"""Each platform's local stand-in filled with its fixture orders, as the tests of the Odoo side pull them."""

import json
from pathlib import Path

from ..stand_ins.shopify import fixture_order_nodes
from . import test_prestashop_client as prestashop_fixtures

PLATFORMS = Path(__file__).parent / "fixtures" / "platforms"


def _json(platform, name):
    return json.loads((PLATFORMS / platform / name).read_text(encoding="utf-8"))


def fill_shopify(shop):
    shop.add_orders(fixture_order_nodes())


def fill_woocommerce(shop):
    folder = PLATFORMS / "woocommerce"
    shop.add_orders(sorted((_json("woocommerce", path.name) for path in folder.glob("order_*.json")), key=_id))
    shop.add_refund(5098, _json("woocommerce", "refund_5120_of_order_5098.json"))


def fill_magento(shop):
    shop.add_orders([_json("magento", path.name) for path in sorted((PLATFORMS / "magento").glob("order-*.json"))])
    shop.add_creditmemos(_json("magento", "creditmemos-order-103.json")["items"])


def fill_prestashop(shop):
    folder = PLATFORMS / "prestashop"
    shop.add_orders([(folder / name).read_text() for name in ("orders_page_1.xml", "orders_page_2.xml")])
    for resource, name in prestashop_fixtures.DOCUMENTS.items():
        shop.add_documents(resource, (folder / name).read_text())
    shop.add_documents("cart_rules", prestashop_fixtures.CART_RULES)
    shop.add_documents("configurations", prestashop_fixtures.CONFIGURATIONS)
    shop.add_documents("stock_availables", prestashop_fixtures.COMBINATION_STOCK)


FILL = {
    "shopify": fill_shopify,
    "woocommerce": fill_woocommerce,
    "magento": fill_magento,
    "prestashop": fill_prestashop,
}


def _id(order):
    return order["id"]
