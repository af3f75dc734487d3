from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.packing import (
    ALONE_TOO_BIG,
    MAX_UNITS,
    UNPLANNED_NO_BOXES,
    UNPLANNED_NO_DIMENSIONS,
    UNPLANNED_NO_WEIGHT,
    UNPLANNED_TOO_MANY_UNITS,
    Box,
    Item,
    PackingPlan,
    plan_packing,
)

# A quantity this close to a whole number is that number of units.
WHOLE_UNITS_TOLERANCE = 1e-6


class StockPicking(models.Model):
    """Box choice: which standard boxes of the warehouse a delivery's items go in (the packing service plans it),
    kept on the delivery's Boxes tab, and applied as packages when the packer asks."""

    _inherit = "stock.picking"

    oms_box_ids = fields.One2many(
        "oms.picking.box", "picking_id", "Boxes", copy=False, groups="oms_intelligent.group_oms_user"
    )
    oms_box_cost = fields.Monetary(
        "Box Cost",
        currency_field="oms_box_currency_id",
        compute="_compute_oms_box_cost",
        store=True,
        groups="oms_intelligent.group_oms_user",
        help="What the boxes of this delivery cost: those it was put in by box choice and those suggested.",
    )
    oms_box_currency_id = fields.Many2one(related="company_id.currency_id", string="Box Cost Currency")
    oms_box_note = fields.Text("Box Choice Notes", copy=False, groups="oms_intelligent.group_oms_user")

    @api.depends("oms_box_ids.cost")
    def _compute_oms_box_cost(self):
        for picking in self:
            picking.oms_box_cost = sum(picking.oms_box_ids.mapped("cost"))

    # ------------------------------------------------------------------------------------------------------------
    # Buttons

    def action_oms_suggest_boxes(self):
        """Suggest boxes for what is left to pack (the reserved quantities not in a package yet; the ordered
        quantities while nothing is reserved) and keep the suggestion on the delivery."""
        for picking in self:
            picking._oms_check_box_choice()
            notes = []
            quantities = {}
            if picking.state not in ("done", "cancel"):
                if picking.move_line_ids:
                    quantities = picking._oms_box_quantities(picking._package_move_lines())
                else:
                    quantities = picking._oms_demand_quantities()
                    if quantities:
                        notes.append(self.env._("Nothing is reserved yet: the boxes are for the ordered quantities."))
            if not quantities:
                notes.append(self.env._("Nothing left to put in boxes."))
            plan, plan_notes = picking._oms_plan_boxes(quantities)
            picking._oms_keep_plan(plan, notes + plan_notes)
        return True

    def action_oms_put_in_boxes(self):
        """Pack what is left to pack as box choice says: one package per box, of the box's type, and one without a
        type for each item that ships alone; a product whose units go into several boxes has its move line split.
        Products that cannot be planned stay out of packages, for the packer's own Put in Pack."""
        for picking in self:
            picking._oms_check_box_choice()
            if picking.state in ("draft", "done", "cancel"):
                raise UserError(self.env._("Only a delivery waiting to be shipped can be put in boxes."))
            lines = picking._package_move_lines()
            if not lines:
                raise UserError(
                    self.env._("There is nothing to put in boxes: no reserved quantity is left outside a package.")
                )
            plan, notes = picking._oms_plan_boxes(picking._oms_box_quantities(lines))
            if not plan.boxes and not plan.alone:
                raise UserError("\n".join(notes))
            packages = picking._oms_pack(plan, lines)
            picking._oms_keep_plan(plan, notes, packages)
            picking.message_post(body=picking._oms_packed_message(plan))
        return True

    # ------------------------------------------------------------------------------------------------------------
    # What to pack, and the plan

    def _oms_check_box_choice(self):
        self.ensure_one()
        if self.picking_type_code != "outgoing":
            raise UserError(
                self.env._("Box choice is for deliveries to customers; %(transfer)s is not one.", transfer=self.name)
            )

    def _oms_box_quantities(self, move_lines):
        """product -> quantity in the product's unit, over ``move_lines``."""
        quantities = defaultdict(float)
        for line in move_lines:
            quantities[line.product_id] += line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
        return dict(quantities)

    def _oms_demand_quantities(self):
        quantities = defaultdict(float)
        for move in self.move_ids:
            if move.state not in ("done", "cancel"):
                quantities[move.product_id] += move.product_qty
        return {product: quantity for product, quantity in quantities.items() if quantity > 0}

    def _oms_plan_boxes(self, quantities):
        """The packing plan for ``quantities`` (product -> quantity) with the standard boxes of the delivery's
        warehouse, by the company's objective, and the notes for the packer."""
        self.ensure_one()
        warehouse = self.picking_type_id.warehouse_id
        box_types = self.env["stock.package.type"]._oms_standard_boxes(self.company_id, warehouse)
        sized = box_types.filtered(lambda box: box.packaging_length > 0 and box.width > 0 and box.height > 0)
        items, not_whole = self._oms_box_items(quantities)
        plan = plan_packing(items, self._oms_boxes(sized), self.company_id.oms_box_objective)
        notes = self._oms_box_notes(plan, warehouse, not_whole, box_types - sized)
        return plan, notes

    def _oms_boxes(self, box_types):
        """The packing service's boxes for ``box_types`` (sized ones), in millimetres."""
        to_mm = self._oms_length_to_mm()
        return [
            Box(
                box.id,
                box.packaging_length * to_mm,
                box.width * to_mm,
                box.height * to_mm,
                max_weight=box.max_weight,
                cost=max(box.oms_cost, 0.0),
                empty_weight=max(box.base_weight, 0.0),
            )
            for box in box_types
        ]

    def _oms_box_items(self, quantities):
        """The packing service's items for ``quantities`` (product -> quantity), and the products whose quantity is
        not a whole number of units (left out)."""
        items = []
        not_whole = self.env["product.product"]
        for product, quantity in quantities.items():
            units = round(quantity)
            if abs(quantity - units) > WHOLE_UNITS_TOLERANCE:
                not_whole |= product
                continue
            items.append(
                Item(
                    product.id,
                    product.product_length or None,
                    product.product_width or None,
                    product.product_height or None,
                    product.weight or None,
                    int(units),
                )
            )
        return items, not_whole

    def _oms_length_to_mm(self):
        """Odoo keeps package sizes in the database's length unit (mm, or feet when it works in cubic feet)."""
        length_uom = self.env["product.template"]._get_length_uom_id_from_ir_config_parameter()
        millimetre = self.env.ref("uom.product_uom_millimeter")
        return length_uom._compute_quantity(1.0, millimetre, round=False)

    # ------------------------------------------------------------------------------------------------------------
    # Notes for the packer

    def _oms_box_notes(self, plan: PackingPlan, warehouse, not_whole, unsized):
        """What box choice left to the packer, and why: products it could not plan, boxes it could not use, and
        items that ship alone."""
        products = self.env["product.product"].browse(
            [left.item_id for left in plan.unplanned] + [parcel.item_id for parcel in plan.alone]
        )
        names = {product.id: product.display_name for product in products}
        unplanned = defaultdict(list)
        for left in plan.unplanned:
            unplanned[left.reason].append(names[left.item_id])
        notes = self._oms_product_notes(unplanned, not_whole) + self._oms_box_set_notes(unplanned, warehouse, unsized)
        for note in self._oms_alone_notes(plan, names):
            if note not in notes:
                notes.append(note)
        return notes

    def _oms_product_notes(self, unplanned, not_whole):
        """Products left out for what is missing on them (``unplanned``: reason -> product names)."""

        def listed(names):
            return ", ".join(dict.fromkeys(names))

        notes = []
        if unplanned[UNPLANNED_NO_DIMENSIONS]:
            notes.append(
                self.env._(
                    "No dimensions for %(products)s: choose the box by hand.",
                    products=listed(unplanned[UNPLANNED_NO_DIMENSIONS]),
                )
            )
        if unplanned[UNPLANNED_NO_WEIGHT]:
            notes.append(
                self.env._(
                    "No weight for %(products)s: choose the box by hand.",
                    products=listed(unplanned[UNPLANNED_NO_WEIGHT]),
                )
            )
        if not_whole:
            notes.append(
                self.env._(
                    "%(products)s: not a whole number of units, choose the box by hand.",
                    products=", ".join(not_whole.mapped("display_name")),
                )
            )
        return notes

    def _oms_box_set_notes(self, unplanned, warehouse, unsized):
        """What stopped box choice on the warehouse's boxes or on the size of the order."""
        notes = []
        if unplanned[UNPLANNED_NO_BOXES]:
            notes.append(
                self.env._(
                    "No standard boxes for %(warehouse)s: set them up in Configuration › Box Sizes, or choose the "
                    "boxes by hand.",
                    warehouse=warehouse.name or self.company_id.name,
                )
            )
        if unplanned[UNPLANNED_TOO_MANY_UNITS]:
            notes.append(
                self.env._(
                    "More than %(limit)s units: too many for box choice, pack them by hand.",
                    limit=MAX_UNITS,
                )
            )
        if unsized:
            notes.append(
                self.env._(
                    "Standard boxes without a size are left out: %(boxes)s.",
                    boxes=", ".join(unsized.mapped("name")),
                )
            )
        return notes

    def _oms_alone_notes(self, plan: PackingPlan, names):
        notes = []
        for parcel in plan.alone:
            name = names[parcel.item_id]
            if parcel.reason == ALONE_TOO_BIG:
                notes.append(self.env._("%(product)s is larger than every box: ships alone.", product=name))
            else:
                notes.append(self.env._("%(product)s is heavier than every box can carry: ships alone.", product=name))
        return notes

    # ------------------------------------------------------------------------------------------------------------
    # Keeping and applying the plan

    def _oms_parcels(self, plan: PackingPlan):
        """(package type or empty, {product id: units}, weight, cost) per box of the plan, then per unit shipping
        alone."""
        box_types = self.env["stock.package.type"].browse([box.box_id for box in plan.boxes])
        parcels = [
            (box_type, box.contents, box.weight, box.cost) for box_type, box in zip(box_types, plan.boxes, strict=True)
        ]
        no_type = self.env["stock.package.type"]
        parcels += [(no_type, {parcel.item_id: 1}, parcel.weight, 0.0) for parcel in plan.alone]
        return parcels

    def _oms_keep_plan(self, plan: PackingPlan, notes, packages=None):
        """Show ``plan`` in the Boxes tab: it replaces the previous suggestion; the boxes already packed by box choice
        stay listed, with their packages."""
        self.ensure_one()
        parcels = self._oms_parcels(plan)
        products = self.env["product.product"].browse(
            list(dict.fromkeys(product_id for _type, contents, _weight, _cost in parcels for product_id in contents))
        )
        names = {product.id: product.display_name for product in products}
        own_packaging = self.env._("Own packaging")
        packed = self.oms_box_ids.filtered("package_id")
        (self.oms_box_ids - packed).unlink()
        first = max(packed.mapped("sequence"), default=0) + 1
        self.env["oms.picking.box"].create(
            [
                {
                    "picking_id": self.id,
                    "sequence": first + index,
                    "name": box_type.name or own_packaging,
                    "package_type_id": box_type.id,
                    "ships_alone": not box_type,
                    "contents": "\n".join(f"{units} × {names[product_id]}" for product_id, units in contents.items()),
                    "weight": weight,
                    "cost": cost,
                    "package_id": packages[index].id if packages else False,
                }
                for index, (box_type, contents, weight, cost) in enumerate(parcels)
            ]
        )
        self.oms_box_note = "\n".join(notes) or False
