from . import models
from . import wizard

# Demo records that stock moves, valuation layers and the company's ledger refer to (none of which carry an xml
# id): Odoo cannot delete them when the addon goes, so they stay as ordinary data, detached from the addon.
RECORDS_KEPT_ON_UNINSTALL = (
    "res.company",
    "res.partner",
    "stock.warehouse",
    "product.product",
    "product.template",
    "product.category",
)


def uninstall_hook(env):
    env["ir.model.data"].search(
        [("module", "=", "oms_intelligent"), ("model", "in", RECORDS_KEPT_ON_UNINSTALL)]
    ).unlink()
