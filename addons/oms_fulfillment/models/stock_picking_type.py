from odoo import api, fields, models
from odoo.addons.oms_intelligent.tools import keep_column_defaults
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..services.picking import Line, Picking, release

PICKING_METHODS = [
    ("auto", "Odoo's automatic batches"),
    ("single", "Single order"),
    ("batch", "Batch"),
    ("zone", "Zone"),
    ("wave", "Wave"),
]


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    oms_scan_required = fields.Boolean(
        "Scan Every Item Before Validating",
        help="Transfers of this type can be validated only once every item has been scanned on the packing screen "
        "(the Pack button of the transfer, or Order Management › Fulfillment › Pack); the scanned quantities are "
        "then the quantities shipped. Products tracked by lots or serial numbers are not scanned there.",
    )

    oms_picking_method = fields.Selection(
        PICKING_METHODS,
        string="Picking Method",
        default="auto",
        required=True,
        help="How Release hands ready transfers to pickers. Odoo's automatic batches: Odoo batches transfers as "
        "they are confirmed (Batch & Wave Transfers settings below) and Release does not apply. Single order: "
        "one at a time, most urgent first. Batch: several orders on one pick list. Zone: one pick list per zone "
        "of the warehouse, completed at packing. Wave: a group of orders picked in every zone at once and "
        "brought to one consolidation point.",
    )
    oms_batch_size = fields.Integer(
        "Orders per Batch", default=10, help="Most transfers in one batch or wave when they are released."
    )
    oms_group_by = fields.Selection(
        [("none", "Nothing"), ("carrier", "Carrier"), ("cutoff", "Cut-off (shipping day)")],
        string="Batch by",
        default="none",
        required=True,
        help="A batch or wave only holds transfers of the same carrier, or leaving on the same day given the "
        "warehouse's cut-off time, so that it goes out with one pickup.",
    )

    def _auto_init(self):
        result = super()._auto_init()
        keep_column_defaults(self, ("oms_picking_method", "oms_group_by"))
        return result

    @api.constrains("oms_picking_method", "default_location_dest_id")
    def _check_oms_zone_picking_step(self):
        for picking_type in self:
            if picking_type.oms_picking_method == "zone" and picking_type.default_location_dest_id.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "Zone picking splits each order between the zones' pickers, so it needs a picking step "
                        "before packing: %(type)s delivers straight to %(destination)s. Set the warehouse's "
                        "outgoing shipments to two or three steps and use zone picking on its Pick operation.",
                        type=picking_type.display_name,
                        destination=picking_type.default_location_dest_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._oms_leave_batching_to_release(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._oms_leave_batching_to_release(vals)
        return super().write(vals)

    @api.model
    def _oms_leave_batching_to_release(self, vals):
        """With an OMS picking method, Release makes the batches: Odoo's automatic batching at confirmation would
        group the transfers first, by its own rules."""
        if vals.get("oms_picking_method", "auto") != "auto":
            vals["auto_batch"] = False

    @api.constrains("oms_batch_size")
    def _check_oms_batch_size(self):
        if any(picking_type.oms_batch_size < 1 for picking_type in self):
            raise ValidationError(self.env._("A batch holds at least one order."))

    def action_oms_release(self):
        """Release the ready transfers of these operation types by their picking method, and open the result."""
        automatic = self.filtered(lambda picking_type: picking_type.oms_picking_method == "auto")
        if automatic:
            raise UserError(
                self.env._(
                    "%(types)s batch transfers automatically as Odoo confirms them; choose a picking method on the "
                    "operation type to release them by order, batch, zone or wave.",
                    types=", ".join(automatic.mapped("display_name")),
                )
            )
        released = self._oms_release()
        if not released:
            raise UserError(
                self.env._("No transfer is ready to release: they are all waiting for stock or already released.")
            )
        batches = released.batch_id
        if batches:
            action = self.env["ir.actions.act_window"]._for_xml_id("stock_picking_batch.stock_picking_batch_action")
            action["domain"] = [("id", "in", batches.ids)]
            action["context"] = {"search_default_in_progress": 0}
            return action
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", released.ids)]
        action["context"] = {"search_default_available": 0}
        return action

    def _oms_release(self):
        """Group each type's ready transfers into batches (or, single order, rank them), and return them."""
        released = self.env["stock.picking"]
        for picking_type in self:
            pickings = picking_type._oms_lock_ready_pickings()
            if not pickings:
                continue
            groups = release(
                picking_type._oms_release_data(pickings),
                picking_type.oms_picking_method,
                picking_type.oms_batch_size,
                picking_type.oms_group_by,
            )
            picking_type._oms_make_batches(groups, pickings)
            released |= pickings
        return released

    def _oms_lock_ready_pickings(self):
        """Ready transfers of this type not released yet, locked (rows another worker holds are left to it), so two
        people releasing at once never put a transfer in two batches."""
        self.ensure_one()
        self.env["stock.picking"].flush_model(["picking_type_id", "state", "batch_id", "oms_released"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM stock_picking
                 WHERE picking_type_id = %s AND state = 'assigned' AND batch_id IS NULL AND oms_released IS NULL
                 ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                self.id,
            )
        )
        return self.env["stock.picking"].browse(row[0] for row in self.env.cr.fetchall())

    def _oms_release_data(self, pickings):
        """The transfers as the release service takes them, read in a few queries."""
        self.ensure_one()
        pickings.fetch(["priority", "scheduled_date", "create_date", "carrier_id", "sale_id", "move_line_ids"])
        pickings.sale_id.fetch(["commitment_date"])
        move_lines = pickings.move_line_ids
        move_lines.fetch(["picking_id", "product_id", "quantity", "location_id"])
        locations = move_lines.location_id._oms_locations()
        ship_days = self._oms_ship_days(pickings)
        lines_by_picking = {picking.id: [] for picking in pickings}
        for line in move_lines:
            lines_by_picking[line.picking_id.id].append(
                Line(line.id, line.picking_id.id, line.product_id.id, line.quantity, locations[line.location_id.id])
            )
        return [
            Picking(
                picking_id=picking.id,
                priority=picking.priority == "1",
                promised=picking.sale_id.commitment_date or None,
                scheduled=picking.scheduled_date,
                created=picking.create_date,
                carrier_id=picking.carrier_id.id,
                ship_day=ship_days[picking.id],
                lines=tuple(lines_by_picking[picking.id]),
            )
            for picking in pickings
        ]

    def _oms_ship_days(self, pickings):
        """picking id -> the day it leaves (ISO date): handed over at its scheduled time, or now if that is later,
        the day rate shopping counts from (``stock.picking._oms_handovers``)."""
        self.ensure_one()
        now = fields.Datetime.now()
        handovers = pickings._oms_handovers({picking: max(picking.scheduled_date, now) for picking in pickings})
        return {picking.id: handover.ship_date.isoformat() for picking, handover in handovers.items()}

    def _oms_make_batches(self, groups, pickings):
        self.ensure_one()
        now = fields.Datetime.now()
        method = self.oms_picking_method
        for rank, group in enumerate(groups, start=1):
            members = self.env["stock.picking"].browse(group.picking_ids)
            if method == "single":
                members.write({"oms_released": now, "oms_release_rank": rank})
                continue
            batch = self.env["stock.picking.batch"].create(
                {
                    "picking_type_id": self.id,
                    "company_id": self.company_id.id,
                    "is_wave": method in ("zone", "wave"),
                    "description": self._oms_group_label(group),
                    "oms_picking_method": method,
                    "oms_zone_id": group.zone_id or False,
                    "picking_ids": [] if method == "zone" else [(6, 0, members.ids)],
                }
            )
            if method == "zone":
                # Odoo moves the zone's lines into the wave, splitting a transfer that spans several zones.
                self.env["stock.move.line"].browse(group.line_ids)._add_to_wave(batch)
            batch.picking_ids.write({"oms_released": now, "oms_release_rank": rank})
            if batch.state == "draft":
                batch.action_confirm()

    def _oms_group_label(self, group):
        if group.zone_id is not None:
            zone = self.env["oms.pick.zone"].browse(group.zone_id)
            return self.env._("Zone %(zone)s", zone=zone.name) if zone else self.env._("No zone")
        if self.oms_group_by == "carrier":
            carrier = self.env["delivery.carrier"].browse(group.carrier_id)
            return self.env._("Carrier: %(carrier)s", carrier=carrier.name) if carrier else self.env._("No carrier")
        if self.oms_group_by == "cutoff":
            return self.env._("Ships on %(day)s", day=group.ship_day)
        return False
