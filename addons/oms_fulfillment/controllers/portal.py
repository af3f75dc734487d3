import math

from odoo import http
from odoo.addons.oms_intelligent.services.public_body import BodyError, parse_json_object, read_body
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from ..models.oms_return import RETURN_REASONS
from ..services.returns_provider import MAX_STATUS_BYTES, ReturnsProviderError, parse_status


class OmsReturnPortal(CustomerPortal):
    """Customers list their returns and ask to return items of their own delivered orders."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "oms_return_count" in counters:
            Return = request.env["oms.return"]
            values["oms_return_count"] = (
                Return.search_count(self._oms_returns_domain()) if Return.has_access("read") else 0
            )
        return values

    def _oms_returns_domain(self):
        partner = request.env.user.partner_id
        return [("partner_id", "child_of", [partner.commercial_partner_id.id])]

    @http.route(["/my/returns", "/my/returns/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_oms_returns(self, page=1, **kw):
        Return = request.env["oms.return"]
        domain = self._oms_returns_domain()
        count = Return.search_count(domain)
        pager = portal_pager(url="/my/returns", total=count, page=page, step=self._items_per_page)
        returns = Return.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({"returns": returns, "pager": pager, "page_name": "oms_returns", "default_url": "/my/returns"})
        return request.render("oms_fulfillment.portal_my_oms_returns", values)

    def _oms_returnable_lines(self, order):
        """The order's delivered lines with what is left to return."""
        lines = []
        for sale_line in order.order_line.filtered(lambda line: line._oms_shipped_qty() > 0):
            left = sale_line._oms_shipped_qty() - sale_line._oms_returned_qty()
            if left > 0:
                lines.append((sale_line, left))
        return lines

    def _oms_portal_quantities(self, order, post):
        """({sale line: quantity}, errors) of the quantities typed on the return form: each must be a finite number,
        not negative, and at most what is left to return of its line; a blank or zero one is skipped."""
        quantities, errors = {}, []
        for sale_line, left in self._oms_returnable_lines(order):
            typed = (post.get(f"qty_{sale_line.id}") or "").strip()
            if not typed:
                continue
            product = sale_line.product_id.display_name
            try:
                quantity = float(typed)
            except ValueError:
                quantity = math.nan
            if not math.isfinite(quantity):
                errors.append(
                    request.env._("%(product)s: “%(typed)s” is not a quantity.", product=product, typed=typed[:20])
                )
            elif quantity < 0:
                errors.append(request.env._("%s: a quantity cannot be negative.", product))
            elif quantity - left > sale_line.product_uom.rounding / 2:  # no float_compare: it overflows on 1e308
                errors.append(
                    request.env._(
                        "%(product)s: %(asked)s asked, only %(left)s can be returned.",
                        product=product,
                        asked=typed[:20],
                        left=left,
                    )
                )
            elif quantity:
                quantities[sale_line] = quantity
        return quantities, errors

    @http.route(["/my/orders/<int:order_id>/return"], type="http", auth="public", methods=["GET", "POST"], website=True)
    def portal_oms_return_request(self, order_id, access_token=None, **post):
        """The return form of one of the customer's orders (GET) and its submission (POST). Another customer's order
        is refused by `_document_check_access`: back to /my."""
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        partner = request.env.user.partner_id
        if request.env.user._is_public() or (
            partner.commercial_partner_id != order_sudo.partner_id.commercial_partner_id
        ):
            # A shared link lets one see the order, not return it in someone else's name.
            return request.redirect("/my")
        errors = []
        if request.httprequest.method == "POST":
            quantities, errors = self._oms_portal_quantities(order_sudo, post)
            reason = post.get("reason") if post.get("reason") in dict(RETURN_REASONS) else "other"
            outcome = post.get("outcome") if post.get("outcome") in ("refund", "exchange") else "refund"
            if not errors:
                rma, errors = (
                    request.env["oms.return"]
                    .sudo()
                    ._oms_portal_request(order_sudo, partner, quantities, reason, outcome, post.get("description"))
                )
                if rma:
                    return request.redirect(f"/my/returns?created={rma.id}")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "order": order_sudo,
                "lines": self._oms_returnable_lines(order_sudo),
                "reasons": RETURN_REASONS,
                "errors": errors,
                "access_token": access_token,
                "page_name": "oms_return_request",
                "title": request.env._("Return items"),
            }
        )
        return request.render("oms_fulfillment.portal_oms_return_request", values)

    # It writes: read/write from the start (Odoo 18 tries auth="none" routes on a read-only cursor first).
    @http.route(
        ["/oms/returns/status"],
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        readonly=False,
        oms_raw_body=True,
    )
    def oms_returns_provider_status(self, **kw):
        """The returns provider's webhook: a status document, signed with the company's API key (header
        ``X-OMS-Signature: sha256=<HMAC-SHA256 of the body>``). In the order of every endpoint without a login: size,
        signature (the same 401 whatever is wrong), document, and only then the return it names."""
        body, _size, oversize = read_body(request.httprequest, MAX_STATUS_BYTES)
        if oversize:
            return request.make_json_response({"error": f"body larger than {MAX_STATUS_BYTES} bytes"}, status=413)
        Return = request.env["oms.return"].sudo()
        companies = Return._oms_provider_signers(body, request.httprequest.headers.get("X-OMS-Signature"))
        if not companies:
            return request.make_json_response({"error": "invalid signature"}, status=401)
        try:
            status = parse_status(parse_json_object(body))
        except (BodyError, ReturnsProviderError) as error:
            return request.make_json_response({"error": str(error)}, status=400)
        if not Return._oms_provider_status_received(companies, status):
            return request.make_json_response({"error": "unknown return"}, status=404)
        return request.make_json_response({"ok": True})
