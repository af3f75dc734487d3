from . import test_demo_carriers
from . import test_picking_release
from . import test_rate_shopping
from . import test_carrier_labels
from . import test_tracking
from . import test_reports
from . import test_packing
