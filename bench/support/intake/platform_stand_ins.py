"""The platforms' local stand-ins (``oms_channels/stand_ins/<platform>.py``) as the intake benchmark uses them: which
class, the credentials a channel (or a client) needs to pull from one, and how orders are put on one."""

import importlib

STAND_INS = {
    "shopify": ("shopify", "LocalShopify"),
    "woocommerce": ("woocommerce", "LocalWooCommerce"),
    "magento": ("magento", "LocalMagento"),
    "prestashop": ("prestashop", "LocalPrestashop"),
}

# The stand-in's attribute of a channel field, where the names differ.
STAND_IN_NAMES = {"webservice_key": "key"}


def stand_in_class(platform):
    module, name = STAND_INS[platform]
    return getattr(importlib.import_module(f"odoo.addons.oms_channels.stand_ins.{module}"), name)


def stand_in(platform):
    """A stand-in of the platform with its default credentials (start it with ``with``)."""
    return stand_in_class(platform)()


def channel_credentials(platform, shop):
    """The values of a channel's platform fields (``PLATFORM_CREDENTIALS``) that pull from ``shop``."""
    fields = {
        "shopify": ("access_token", "api_version"),
        "woocommerce": ("consumer_key", "consumer_secret"),
        "magento": ("access_token",),
        "prestashop": ("webservice_key",),
    }[platform]
    values = {name: getattr(shop, STAND_IN_NAMES.get(name, name)) for name in fields}
    if platform == "magento":
        values["store_code"] = "default"
    return {"shop_url": shop.url, **values}


def credentials(platform, shop):
    """The client's credentials (client.py's names) of ``shop``, as ``oms.channel._platform_client`` builds them."""
    from odoo.addons.oms_channels.models.oms_channel_platform import CLIENT_KEYS  # noqa: PLC0415

    renamed = CLIENT_KEYS[platform]
    return {renamed.get(name, name): value for name, value in channel_credentials(platform, shop).items()}


def serve(platform, shop, orders):
    """Puts orders on the stand-in: JSON orders, or PrestaShop's [(resource, XML document)] of each."""
    if platform == "prestashop":
        for documents in orders:
            for resource, xml in documents:
                shop.add_documents(resource, xml)
    else:
        shop.add_orders(list(orders))
