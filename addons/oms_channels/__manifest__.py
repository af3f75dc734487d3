{
    "name": "Order Management: Sales Channels",
    "summary": "Capture orders from web shops, marketplaces, EDI, phone and stores exactly once",
    "description": """
Channels (web shop, marketplace, phone, store, EDI) pull orders by scheduled actions through REST
(requests) or SOAP (zeep) connectors, or receive them by signed webhooks. Every order is kept in a staging
record with its raw payload, imported once into a sale order (customer matched by email, VAT or phone,
products by binding, SKU or barcode, in the channel's currency), and bad orders are quarantined with their
reason. Available stock and tracking numbers are pushed back to the channels. Cart events keep the
quantities held in customers' carts and send an abandoned-cart e-mail after a delay.
""",
    "version": "18.0.1.1.0",
    "category": "Sales/Order Management",
    "author": "OMS Team",
    "website": "https://github.com/oms-team/oms",
    "license": "LGPL-3",
    "depends": ["oms_intelligent", "delivery"],
    "external_dependencies": {"python": ["requests", "zeep"]},
    "data": [
        "security/ir.model.access.csv",
        "security/oms_channels_security.xml",
        "data/ir_cron_data.xml",
        "data/oms_order_policy_data.xml",
        "data/mail_template_data.xml",
        "views/oms_channel_views.xml",
        "views/oms_channel_order_views.xml",
        "views/sale_order_views.xml",
        "views/oms_channel_cart_views.xml",
        "views/oms_order_policy_views.xml",
        "views/oms_channels_menus.xml",
    ],
    "demo": [
        "demo/oms_channel_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
