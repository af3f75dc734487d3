from . import test_access
from . import test_demo_world
from . import test_ui
from . import test_stock_position
from . import test_routing
from . import test_translation
from . import test_lifecycle
from . import test_special_orders
