from . import oms_release_wizard
from . import stock_return_picking
