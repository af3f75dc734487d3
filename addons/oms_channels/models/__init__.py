from . import oms_channel
from . import oms_channel_carrier
from . import oms_channel_order
from . import oms_channel_product
from . import sale_order
from . import stock_picking
from . import oms_channel_cart
from . import oms_channel_cart_line
