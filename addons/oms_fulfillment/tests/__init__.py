from . import test_demo_carriers
from . import test_pack_scan
from . import test_pack_screen_ui
