from werkzeug.datastructures import ImmutableMultiDict

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        if rule.endpoint.routing.get("oms_raw_body"):
            # The body is the route's to read (a signed order), never a form. Odoo parses the body of every "http"
            # route whose Content-Type says application/x-www-form-urlencoded or multipart/form-data into its
            # parameters, which consumes it: the route would then read nothing and refuse a well-signed order.
            wrapped = request.httprequest._HTTPRequest__wrapped
            wrapped.form = ImmutableMultiDict()
            wrapped.files = ImmutableMultiDict()
        return super()._pre_dispatch(rule, args)
