"""Each platform's local stand-in filled with its fixture orders, as the tests of the Odoo side pull them."""

import json
import re
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


LATER = "2026-12-01T10:00:00"


def cancel_on_platform(platform, shop, external_id):
    """The shop cancels one of its orders, which becomes its newest update (as each platform records it)."""
    if platform == "prestashop":
        _cancel_prestashop(shop, external_id)
        return
    with shop.lock:
        order = next(order for order in shop.orders if str(_platform_id(platform, order)) == external_id)
        if platform == "shopify":
            order.update(cancelledAt=f"{LATER}Z", cancelReason="CUSTOMER", updatedAt=f"{LATER}Z")
        elif platform == "woocommerce":
            order.update(status="cancelled", date_modified=LATER, date_modified_gmt=LATER)
        else:
            order.update(state="canceled", status="canceled", updated_at=LATER.replace("T", " "))


def _platform_id(platform, order):
    return order[{"shopify": "legacyResourceId", "woocommerce": "id", "magento": "entity_id"}[platform]]


def _cancel_prestashop(shop, external_id):
    """The order's current state becomes PS_OS_CANCELED (6) and its date_upd the latest."""
    with shop.lock:
        orders = shop.documents["orders"]
        position, (_element, raw) = next(
            (position, entry) for position, entry in enumerate(orders) if entry[0].findtext("id") == external_id
        )
        del orders[position]
    raw = re.sub(r"(<current_state[^>]*><!\[CDATA\[)\d+", r"\g<1>6", raw)
    raw = re.sub(r"(<date_upd><!\[CDATA\[)[^\]]+", rf"\g<1>{LATER.replace('T', ' ')}", raw)
    shop.add_documents(
        "orders",
        '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        f"<orders>\n{raw}\n</orders>\n</prestashop>\n",
    )
