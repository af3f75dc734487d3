from . import oms_release_wizard
