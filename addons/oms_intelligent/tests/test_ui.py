from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOmsWebClient(HttpCase):
    """Every menu of the Order Management app opens in the web client without a client error."""

    allow_end_on_form = True

    def _click_every_oms_menu(self, login):
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('oms_intelligent.menu_oms_root');",
            "odoo.isReady === true",
            login=login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_admin_opens_every_order_management_menu(self):
        self.env.ref("base.user_admin").tour_enabled = False
        self._click_every_oms_menu("admin")

    def test_oms_user_opens_every_order_management_menu(self):
        new_test_user(
            self.env,
            login="oms_click_user",
            password="oms_click_user",
            groups="base.group_user,oms_intelligent.group_oms_user",
            tour_enabled=False,
        )
        self._click_every_oms_menu("oms_click_user")
