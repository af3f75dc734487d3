from collections import defaultdict

from odoo import Command, models
from odoo.tools import format_amount

from ..services.packing import PackingPlan
from .stock_picking_boxes import WHOLE_UNITS_TOLERANCE


class StockPicking(models.Model):
    """Put in boxes: the packing plan of box choice (``stock_picking_boxes``) applied as packages of the delivery,
    one per box, a move line split when its units go into several boxes."""

    _inherit = "stock.picking"

    def _oms_pack(self, plan: PackingPlan, move_lines):
        """One package per parcel of ``plan``, the units of ``move_lines`` in them; returns the packages in the
        plan's order."""
        self.ensure_one()
        parcels = self._oms_parcels(plan)
        packages = self.env["stock.quant.package"].create(
            [
                {"package_type_id": box_type.id, "shipping_weight": weight}
                for box_type, _contents, weight, _cost in parcels
            ]
        )
        contents = [parcel_contents for _type, parcel_contents, _weight, _cost in parcels]
        shares = self._oms_package_shares(move_lines, zip(packages, contents, strict=True))
        lines_by_package = self._oms_split_lines(shares)
        self.env["stock.package_level"].with_context(from_put_in_pack=True).create(
            [
                {
                    "package_id": package.id,
                    "picking_id": self.id,
                    "location_id": False,
                    "location_dest_id": lines_by_package[package][:1].location_dest_id.id,
                    "move_line_ids": [Command.set(lines_by_package[package].ids)],
                    "company_id": self.company_id.id,
                }
                for package in packages
                if lines_by_package[package]
            ]
        )
        return packages

    @staticmethod
    def _oms_package_shares(move_lines, package_contents):
        """move line -> [(package, quantity in the product's unit)]: the units each package of ``package_contents``
        ((package, {product id: units})) takes from ``move_lines``, in the lines' order."""
        left = {
            line: line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id) for line in move_lines
        }
        lines_by_product = defaultdict(list)
        for line in move_lines:
            lines_by_product[line.product_id.id].append(line)
        shares = defaultdict(list)
        for package, contents in package_contents:
            for product_id, units in contents.items():
                needed = float(units)
                for line in lines_by_product[product_id]:
                    if needed <= WHOLE_UNITS_TOLERANCE:
                        break
                    taken = min(left[line], needed)
                    if taken > WHOLE_UNITS_TOLERANCE:
                        shares[line].append((package, taken))
                        left[line] -= taken
                        needed -= taken
        return shares

    def _oms_split_lines(self, shares):
        """Put each move line in its package; a line whose units go into several packages keeps the first share and
        is copied for the others (reduced before the copies are made, so its reservation moves to them). Returns
        package -> its move lines."""
        lines_by_package = defaultdict(lambda: self.env["stock.move.line"])
        copies, copy_packages = [], []
        for line, line_shares in shares.items():
            lines_by_package[line_shares[0][0]] |= line
            if len(line_shares) == 1:
                continue
            product_uom = line.product_id.uom_id
            line.quantity = product_uom._compute_quantity(line_shares[0][1], line.product_uom_id)
            for package, share in line_shares[1:]:
                quantity = product_uom._compute_quantity(share, line.product_uom_id)
                copies += line.copy_data({"quantity": quantity, "picked": line.picked, "result_package_id": package.id})
                copy_packages.append(package)
        for package, lines in lines_by_package.items():
            lines.result_package_id = package
        for package, copy in zip(copy_packages, self.env["stock.move.line"].create(copies), strict=True):
            lines_by_package[package] |= copy
        return lines_by_package

    def _oms_packed_message(self, plan: PackingPlan):
        parcels = self._oms_parcels(plan)
        boxes = defaultdict(int)
        for box_type, _contents, _weight, _cost in parcels:
            if box_type:
                boxes[box_type.name] += 1
        parts = []
        if boxes:
            parts.append(
                self.env._(
                    "Put in boxes by box choice: %(boxes)s (box cost %(cost)s).",
                    boxes=", ".join(f"{count} × {name}" for name, count in boxes.items()),
                    cost=format_amount(self.env, plan.total_cost, self.company_id.currency_id),
                )
            )
        if plan.alone:
            alone = defaultdict(int)
            for parcel in plan.alone:
                alone[parcel.item_id] += 1
            products = self.env["product.product"].browse(list(alone))
            parts.append(
                self.env._(
                    "Ships alone: %(products)s.",
                    products=", ".join(f"{alone[product.id]} × {product.display_name}" for product in products),
                )
            )
        return " ".join(parts)
