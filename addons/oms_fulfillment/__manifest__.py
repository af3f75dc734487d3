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
        "views/stock_picking_type_views.xml",
        "views/stock_picking_views.xml",
        "views/oms_pack_screen_views.xml",
        "views/oms_fulfillment_menus.xml",
    ],
    "demo": [
        "demo/delivery_carrier_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "oms_fulfillment/static/src/pack_screen/*",
        ],
        "web.assets_tests": [
            "oms_fulfillment/static/tests/tours/*",
        ],
    },
    "installable": True,
}
