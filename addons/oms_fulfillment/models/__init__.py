from . import oms_picking_box
from . import res_company
from . import res_config_settings
from . import stock_package_type
from . import stock_picking
