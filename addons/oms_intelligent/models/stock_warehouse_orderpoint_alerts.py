from collections import defaultdict
from datetime import timedelta

from odoo import fields, models
from odoo.tools import float_compare, format_date

from ..services.reorder import affected_orders, stockout_day
from .stock_warehouse_orderpoint_recompute import FORECAST_DAYS


class StockWarehouseOrderpointAlerts(models.Model):
    """When Odoo orders what a forecast reorder point says is due, the warehouse managers hear about reorders that
    arrive after the stock runs out, or that no vendor can fill."""

    _inherit = "stock.warehouse.orderpoint"

    def _procure_orderpoint_confirm(self, use_new_cursor=False, company_id=None, raise_user_error=True):
        # What is due is read before ordering: once the RFQ exists, it counts as stock in progress.
        forecast = self.filtered(lambda orderpoint: orderpoint.oms_reorder_mode == "forecast")
        due = forecast.filtered(
            lambda point: float_compare(point.qty_to_order, 0.0, precision_rounding=point.product_uom.rounding) > 0
        )
        due_on_hand = {orderpoint.id: orderpoint.qty_on_hand for orderpoint in due}
        result = super()._procure_orderpoint_confirm(
            use_new_cursor=use_new_cursor, company_id=company_id, raise_user_error=raise_user_error
        )
        if due:
            due._oms_alert_reorders(due_on_hand)
        return result

    def _oms_alert_reorders(self, on_hand_by_orderpoint):
        """Tell the warehouse managers about reorders that arrive after the stock runs out, or that no vendor can
        fill, with the product, the expected stockout date and the open orders that will wait."""
        today = fields.Date.context_today(self)
        commitments = self._oms_open_commitments()
        sellers = self._oms_first_sellers(self.product_id)
        for orderpoint in self:
            on_hand = on_hand_by_orderpoint[orderpoint.id]
            committed = commitments.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), [])
            available = on_hand - sum(quantity for _reference, _date, quantity in committed)
            daily = orderpoint.oms_forecast_daily or []
            days = stockout_day(available, daily)
            stockout = today + timedelta(days=days) if days is not None else None
            waiting = affected_orders(on_hand, committed, stockout)
            vendor = orderpoint.supplier_id or sellers.get(orderpoint.product_id.id)
            arrival = today + timedelta(days=orderpoint.oms_lead_days or 0)
            if not vendor:
                summary = self.env._("No vendor to reorder %(product)s", product=orderpoint.product_id.display_name)
                note = self.env._(
                    "%(warehouse)s needs %(qty)s more %(product)s but the product has no vendor, so no RFQ was "
                    "created. Expected stockout: %(stockout)s. Open orders waiting: %(orders)s.",
                    warehouse=orderpoint.warehouse_id.name,
                    qty=orderpoint.qty_to_order,
                    product=orderpoint.product_id.display_name,
                    stockout=format_date(self.env, stockout)
                    if stockout
                    else self.env._("not within %s days", FORECAST_DAYS),
                    orders=", ".join(waiting) or self.env._("none"),
                )
            elif stockout is not None and stockout < arrival:
                summary = self.env._(
                    "%(product)s runs out before its reorder", product=orderpoint.product_id.display_name
                )
                note = self.env._(
                    "%(warehouse)s runs out of %(product)s around %(stockout)s; the reorder from %(vendor)s arrives "
                    "around %(arrival)s (%(days)s days lead time). Open orders waiting: %(orders)s.",
                    warehouse=orderpoint.warehouse_id.name,
                    product=orderpoint.product_id.display_name,
                    stockout=format_date(self.env, stockout),
                    vendor=vendor.partner_id.name,
                    arrival=format_date(self.env, arrival),
                    days=round(orderpoint.oms_lead_days),
                    orders=", ".join(waiting) or self.env._("none"),
                )
            else:
                continue
            orderpoint._oms_notify_warehouse_managers(summary, note)

    def _oms_open_commitments(self):
        """Open deliveries of these orderpoints' products, per (product, warehouse): (order, date, quantity)."""
        moves = self.env["stock.move"].search(
            [
                ("product_id", "in", self.product_id.ids),
                ("state", "not in", ["draft", "done", "cancel"]),
                ("location_dest_id.usage", "=", "customer"),
                ("location_id.warehouse_id", "in", self.warehouse_id.ids),
            ]
        )
        commitments = defaultdict(list)
        for move in moves:
            key = (move.product_id.id, move.location_id.warehouse_id.id)
            reference = move.sale_line_id.order_id.name or move.reference
            commitments[key].append((reference, move.date.date(), move.product_qty))
        return commitments

    def _oms_notify_warehouse_managers(self, summary, note):
        self.ensure_one()
        template = self.product_id.product_tmpl_id
        managers = self.env.ref("stock.group_stock_manager").users.filtered(
            lambda user: not user.share and self.company_id in user.company_ids
        )
        already = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "product.template"),
                    ("res_id", "=", template.id),
                    ("summary", "=", summary),
                    ("user_id", "in", managers.ids),
                ]
            )
            .user_id
        )
        for manager in managers - already:
            template.sudo().activity_schedule(
                "mail.mail_activity_data_warning", summary=summary, note=note, user_id=manager.id
            )
