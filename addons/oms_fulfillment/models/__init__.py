from . import oms_pick_zone
from . import stock_location
from . import stock_picking_type
from . import stock_picking
from . import stock_picking_batch
from . import stock_move_line
