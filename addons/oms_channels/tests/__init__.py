from . import test_channel_faults
from . import test_channel_intake
from . import test_webhook
from . import test_carts
from . import test_demo_channels
from . import test_stock_position_carts
from . import test_intake_hardening
from . import test_translation_intake
