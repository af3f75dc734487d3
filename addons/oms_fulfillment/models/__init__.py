from . import delivery_carrier
from . import oms_carrier_quote
from . import res_company
from . import res_config_settings
from . import stock_picking
from . import stock_warehouse
