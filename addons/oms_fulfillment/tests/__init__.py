from . import test_demo_carriers
from . import test_packing
