from . import test_access
from . import test_demo_world
from . import test_ui
