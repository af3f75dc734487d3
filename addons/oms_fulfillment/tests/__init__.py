from . import test_demo_carriers
