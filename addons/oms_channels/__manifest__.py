{
    "name": "Order Management: Sales Channels",
    "summary": "Capture orders from web shops, marketplaces, EDI, phone and stores exactly once",
    "version": "18.0.1.0.0",
    "category": "Sales/Order Management",
    "author": "OMS Team",
    "website": "https://github.com/oms-team/oms",
    "license": "LGPL-3",
    "depends": ["oms_intelligent", "delivery"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
