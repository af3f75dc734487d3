{
    "name": "Order Management: Fulfilment",
    "summary": "Pick by order, batch, zone or wave; boxes, carriers, tracking, surveys and returns",
    "version": "18.0.1.1.0",
    "category": "Sales/Order Management",
    "author": "OMS Team",
    "website": "https://github.com/oms-team/oms",
    "license": "LGPL-3",
    "depends": ["oms_intelligent", "delivery", "stock_picking_batch", "survey"],
    "data": [
        "security/ir.model.access.csv",
        "security/oms_fulfillment_rules.xml",
        "views/stock_picking_type_views.xml",
        "views/oms_pick_zone_views.xml",
        "wizard/oms_release_wizard_views.xml",
        "report/oms_pick_list_reports.xml",
        "views/oms_fulfillment_menus.xml",
    ],
    "demo": [
        "demo/delivery_carrier_demo.xml",
        "demo/oms_picking_demo.xml",
    ],
    "installable": True,
}
