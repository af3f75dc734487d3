"""Odoo's own tests of carriers and of deliveries from sale orders, run on the database where the OMS addons are
installed: the OMS carriers, their settings and the OMS's delivery hooks leave Odoo's rate, shipping, packing and
sale-to-delivery behaviour as in plain Odoo (warehouse users without sales rights included)."""

# Collected here by pytest.
from odoo.addons.delivery.tests.test_delivery_availability import TestDeliveryAvailability  # noqa: F401
from odoo.addons.delivery.tests.test_delivery_cost import TestDeliveryCost as TestSaleDeliveryCost  # noqa: F401
from odoo.addons.sale_stock.tests.test_sale_stock import TestSaleStock  # noqa: F401
from odoo.addons.stock_delivery.tests.test_carrier_propagation import TestCarrierPropagation  # noqa: F401
from odoo.addons.stock_delivery.tests.test_delivery_cost import TestDeliveryCost  # noqa: F401
from odoo.addons.stock_delivery.tests.test_delivery_stock_move import StockMoveInvoice  # noqa: F401
from odoo.addons.stock_delivery.tests.test_packing_delivery import TestPacking  # noqa: F401
