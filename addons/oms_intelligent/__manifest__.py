{
    "name": "Order Management",
    "summary": "One place to capture, route, fulfil, invoice and follow up every order",
    "description": """
Order Management System (OMS) for Odoo: the base application.

Menus, access groups and settings shared by the OMS addons, the consolidated
view of orders and stock, and a demo world (a Spanish company with four
warehouses, uneven stock, customers across Europe) to try it on.
""",
    "version": "18.0.1.1.0",
    "category": "Sales/Order Management",
    "author": "OMS Team",
    "website": "https://github.com/oms-team/oms",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "purchase_stock",
        "crm",
        "account",
        "base_geolocalize",
    ],
    "data": [
        "security/oms_security.xml",
        "security/ir.model.access.csv",
        "security/oms_intelligent_rules.xml",
        "data/oms_lifecycle_data.xml",
        "data/oms_reorder_data.xml",
        "views/stock_orderpoint_views.xml",
        "views/oms_liquidation_candidate_views.xml",
        "views/oms_menus.xml",
        "views/oms_stock_position_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/stock_warehouse_views.xml",
        "views/oms_routing_views.xml",
        "views/oms_special_order_views.xml",
        "views/res_partner_views.xml",
        "data/oms_special_order_type_data.xml",
        "wizard/oms_allocation_wizard_views.xml",
        "views/oms_lifecycle_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/stock_warehouse_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        "demo/stock_quant_demo.xml",
        "demo/res_users_demo.xml",
        "demo/oms_routing_demo.xml",
        "demo/oms_lifecycle_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/oms_special_order_demo.xml",
        "demo/oms_reorder_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "oms_intelligent/static/src/forecast_chart/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "application": True,
    "installable": True,
}
