{
    "name": "Order Management: Fulfilment",
    "summary": "Pick by order, batch, zone or wave; boxes, carriers, tracking, surveys and returns",
    "version": "18.0.1.0.0",
    "category": "Sales/Order Management",
    "author": "OMS Team",
    "website": "https://github.com/oms-team/oms",
    "license": "LGPL-3",
    "depends": ["oms_intelligent", "delivery", "stock_picking_batch", "survey"],
    "data": [
        "security/ir.model.access.csv",
        "security/oms_fulfillment_rules.xml",
        "views/oms_fulfillment_menus.xml",
        "views/stock_package_type_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/delivery_carrier_demo.xml",
        "demo/stock_package_type_demo.xml",
    ],
    "installable": True,
}
