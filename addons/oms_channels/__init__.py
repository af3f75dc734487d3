from . import controllers
from . import models


def uninstall_hook(env):
    # Channel orders keep their channel (ondelete restrict: a channel with orders is archived, not deleted). The
    # model goes with the addon, so its records go first, letting the addon's channels be deleted.
    env["oms.channel.order"].with_context(active_test=False).search([]).unlink()
