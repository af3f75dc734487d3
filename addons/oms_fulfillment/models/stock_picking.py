"""Delivery orders in the OMS: release and pick order, the warehouse's clock and calendar, and the overrides of
Odoo's validation, which call the steps of each concern:

- ``stock_picking_rate_shopping``: the carrier each delivery ships with, and why;
- ``stock_picking_carrier``: labels bought from the carriers, and their errors;
- ``stock_picking_tracking``: shipped, estimated arrival, tracking notice, tracking with the carrier, late shipments;
- ``stock_picking_boxes`` and ``stock_picking_box_packages``: box choice, its packing plan, and the plan applied as
  packages;
- ``stock_picking_scan`` and ``stock_picking_pack_screen``: scanning every item, and the packing screen;
- ``stock_picking_return``: the goods of a return request are back.
"""

from collections import defaultdict

from odoo import fields, models

from ..services.rate_shopping import Handover


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_released = fields.Datetime(
        "Released", readonly=True, copy=False, help="When Release handed this transfer to the pickers."
    )
    oms_release_rank = fields.Integer(
        "Pick Order", readonly=True, copy=False, help="Its place among the transfers released together."
    )

    def _oms_pick_list(self):
        """Sections (one per zone) of this transfer's lines in walking order, for its pick list."""
        return self.move_line_ids._oms_pick_list()

    # ------------------------------------------------------------------------------ the warehouse's clock and days

    def _oms_warehouse(self):
        """The warehouse the transfer leaves from, whose clock and working days it goes by (its company's when its
        operation type has no warehouse)."""
        self.ensure_one()
        return self.picking_type_id.warehouse_id.with_company(self.company_id)

    def _oms_local(self, moment):
        """A UTC datetime as the warehouse's local time, naive."""
        return self._oms_warehouse()._oms_local(moment)

    def _oms_promised_date(self):
        """The date promised to the customer (the delivery's deadline, else the order's delivery date), local."""
        self.ensure_one()
        promised = self.date_deadline or self.sale_id.commitment_date
        return self._oms_local(promised).date() if promised else None

    def _oms_handovers(self, moments):
        """{picking: Handover} of these transfers handed over at ``moments`` ({picking: UTC datetime}): the day each
        leaves and arrives by its warehouse's clock, cut-off and working days, its calendar read once per warehouse."""
        local = {picking: picking._oms_local(moments[picking]) for picking in self}
        by_warehouse = defaultdict(lambda: self.browse())
        for picking in self:
            by_warehouse[picking.picking_type_id.warehouse_id.id, picking.company_id.id] |= picking
        handovers = {}
        for pickings in by_warehouse.values():
            warehouse = pickings[0]._oms_warehouse()
            dates = [local[picking].date() for picking in pickings]
            working = warehouse._oms_working_days(min(dates), max(dates))
            for picking in pickings:
                handovers[picking] = Handover(local[picking], warehouse._oms_cutoff(), working)
        return handovers

    # ------------------------------------------------------------------------------------------ validation

    def button_validate(self):
        """Transfers whose operation type asks for it are validated only once every item is scanned; a transfer fully
        scanned ships what was scanned. Integrations validating without a packer pass `oms_skip_scan_check`."""
        pending = self.filtered(lambda picking: picking.state not in ("done", "cancel"))
        if not self.env.context.get("oms_skip_scan_check"):
            pending._oms_check_scanned()
        pending.filtered(lambda picking: not picking._oms_scan_gaps())._oms_apply_scanned_quantities()
        return super().button_validate()

    def _pre_action_done_hook(self):
        """Once the validation's wizards are answered, and before anything is done, OMS carriers make the labels:
        a carrier that fails leaves every delivery of the validation ready, its error in the chatter (Odoo would
        otherwise roll the error back with the validation)."""
        result = super()._pre_action_done_hook()
        if result is not True or self.env.context.get("oms_skip_labels"):
            return result
        failed = (
            self._oms_needs_label()
            .filtered(lambda p: p.picking_type_id.print_label)
            ._oms_send_to_shipper(validating=True)
        )
        if failed:
            return failed._oms_carrier_error_action()
        return result

    def _action_done(self):
        result = super()._action_done()
        self._oms_return_received()
        self._oms_shipped()
        return result
