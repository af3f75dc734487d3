"""A marketplace refusal answered by a web server's HTML page (a proxy, a wrong URL) reads as the status and its
hint, as the carriers' clients already did: the page's markup says nothing to the manager (plain pytest)."""

import pytest
from werkzeug.wrappers import Response

from odoo.addons.oms_channels.services.errors import ConnectorConfigurationError
from odoo.addons.oms_channels.services.rest_connector import RestConnector
from odoo.addons.oms_intelligent.stand_ins.http_server import LocalWsgiServer

PAGE = "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>"


class _WebServer(LocalWsgiServer):
    def handle(self, request):
        return Response(PAGE, status=404, mimetype="text/html")


def test_an_html_error_page_is_not_quoted_in_the_message():
    with _WebServer() as server, pytest.raises(ConnectorConfigurationError) as error:
        RestConnector(server.url, "test-key").test_connection()
    assert str(error.value) == "marketplace answered 404: check the endpoint URL"
    assert error.value.status == 404
