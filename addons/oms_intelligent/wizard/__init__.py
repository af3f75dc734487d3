from . import oms_allocation_wizard
from . import oms_hold_wizard
from . import oms_hold_release_wizard
from . import oms_public_holiday_wizard
