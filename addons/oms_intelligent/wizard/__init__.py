from . import oms_allocation_wizard
