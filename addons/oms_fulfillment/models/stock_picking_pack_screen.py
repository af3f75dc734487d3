from odoo import api, models
from odoo.tools import float_compare, float_is_zero

PACK_SCREEN_TAG = "oms_fulfillment.pack_screen"


def _like_literal(text):
    """`text` matched literally by an `=ilike` domain (case-insensitive equality)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StockPicking(models.Model):
    """The packing screen's remote calls: find a delivery, list those ready to pack, show one, and judge each scan
    (two packers scanning the same transfer are serialised on its move rows)."""

    _inherit = "stock.picking"

    def action_oms_pack(self):
        """The packing screen of this transfer."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": PACK_SCREEN_TAG,
            "name": self.env._("Pack %s", self.name),
            "context": {"active_id": self.id},
        }

    @api.model
    def oms_pack_find(self, reference):
        """The delivery to pack for a scanned or typed reference: the transfer's own (the barcode on its printed picking
        operations) or its source document's; a shipped one only to print its label again. Returns
        {"picking_id": id} or {"message": why not}."""
        code = (reference or "").strip()
        if not code:
            return {"message": self.env._("Scan or type the reference of a delivery.")}
        outgoing = [("picking_type_code", "=", "outgoing")]
        pickings = self.search([("name", "=ilike", _like_literal(code))] + outgoing, limit=1)
        if not pickings:
            pickings = self.search(
                [("origin", "=ilike", _like_literal(code)), ("state", "not in", ("done", "cancel"))] + outgoing
            )
            if len(pickings) > 1:
                return {
                    "message": self.env._(
                        "%(reference)s has %(count)s deliveries to pack; scan one of them: %(names)s.",
                        reference=code,
                        count=len(pickings),
                        names=", ".join(pickings.mapped("name")),
                    )
                }
        if not pickings:
            return {"message": self.env._("No delivery with reference %s.", code)}
        if pickings.state == "done" and (pickings._oms_pack_shipping() or {}).get("label"):
            return {"picking_id": pickings.id}  # shipped: opened to print its label again
        if pickings.state in ("done", "cancel"):
            return {
                "message": self.env._(
                    "%(picking)s is %(state)s: there is nothing to pack.", **pickings._oms_state_args()
                )
            }
        return {"picking_id": pickings.id}

    @api.model
    def oms_pack_queue(self, limit=20):
        """The deliveries ready to pack, most urgent first, for the packing screen's start page."""
        pickings = self.search(
            [("picking_type_code", "=", "outgoing"), ("state", "=", "assigned")],
            order="priority desc, scheduled_date asc, id asc",
            limit=limit,
        )
        return [
            {
                "id": picking.id,
                "name": picking.name,
                "partner": picking.partner_id.display_name or "",
                "origin": picking.origin or "",
                "priority": picking.priority == "1",
                "started": any(picking.move_ids.mapped("oms_scanned_qty")),
            }
            for picking in pickings
        ]

    def oms_pack_state(self):
        """What the packing screen shows of this transfer."""
        self.ensure_one()
        self.check_access("read")
        lines = []
        for move in self.move_ids.filtered(lambda move: move.state != "cancel"):
            tracked = move.product_id.tracking != "none"
            lines.append(
                {
                    "id": move.id,
                    "product": move.product_id.display_name,
                    "sku": move.product_id.default_code or "",
                    "barcode": move.product_id.barcode or "",
                    "demand": move.product_uom_qty,
                    "scanned": move.oms_scanned_qty,
                    "uom": move.product_uom.name,
                    "tracked": tracked,
                    "complete": not tracked and self._oms_move_scanned(move) == 0,
                    "excess": not tracked and self._oms_move_scanned(move) > 0,
                }
            )
        scannable = [line for line in lines if not line["tracked"]]
        complete = not self._oms_scan_gaps()
        return {
            "id": self.id,
            "name": self.name,
            "partner": self.partner_id.display_name or "",
            "origin": self.origin or "",
            "state": self.state,
            "state_label": dict(self._fields["state"]._description_selection(self.env)).get(self.state, ""),
            "scan_required": self.oms_scan_required,
            "complete": complete,
            "can_validate": self.state not in ("done", "cancel") and (complete or not self.oms_scan_required),
            "refused": self.oms_scan_refused_count,
            "scanned_total": sum(line["scanned"] for line in scannable),
            "demand_total": sum(line["demand"] for line in scannable),
            "lines": lines,
            "shipping": self._oms_pack_shipping(),
        }

    def oms_scan(self, barcode):
        """Judge one scan of the packing screen: a product's barcode or SKU counts one unit, a packaging's barcode its
        quantity. A product not in the transfer, more than ordered or an unknown barcode is refused and changes no
        quantity. Two packers scanning the same transfer are serialised on its move rows.

        Returns {"accepted": bool, "message": str, "move_id": the line counted or False, "picking": oms_pack_state}.
        """
        self.ensure_one()
        self.check_access("write")
        code = (barcode or "").strip()
        if self.state in ("done", "cancel"):
            return self._oms_scan_answer(
                False, self.env._("%(picking)s is %(state)s: there is nothing to pack.", **self._oms_state_args())
            )
        if not code:
            return self._oms_scan_answer(False, self.env._("Scan a barcode, or type a SKU."))
        product, quantity, packaging = self._oms_scan_match(code)
        self._oms_lock_moves()
        moves = self._oms_scannable_moves().filtered(lambda move: product and move.product_id == product)
        refusal = self._oms_scan_refusal(code, product, quantity, packaging, moves)
        if refusal:
            self.oms_scan_refused_count += 1
            return self._oms_scan_answer(False, refusal)
        message, counted = self._oms_scan_count(product, quantity, packaging, moves)
        if not self._oms_scan_gaps():
            self._oms_post_packed()
            message = self.env._("%(message)s Everything is scanned: validate the transfer.", message=message)
        return self._oms_scan_answer(True, message, counted)

    def oms_scan_reset(self):
        """Forget the scans of this transfer, to count it again."""
        self.ensure_one()
        self.check_access("write")
        if self.state in ("done", "cancel"):
            return self._oms_scan_answer(
                False, self.env._("%(picking)s is %(state)s: there is nothing to pack.", **self._oms_state_args())
            )
        self._oms_lock_moves()
        scanned = self.move_ids.filtered("oms_scanned_qty")
        if scanned or self.oms_scan_refused_count:
            scanned.oms_scanned_qty = 0.0
            self.oms_scan_refused_count = 0
            self.message_post(body=self.env._("Scans cleared by %s.", self.env.user.name), subtype_xmlid="mail.mt_note")
        return self._oms_scan_answer(True, self.env._("Scans cleared: scan every item again."))

    def _oms_scan_match(self, code):
        """(product, quantity in the product's unit, packaging) a scanned code stands for: a product of the transfer
        by barcode or SKU (SKUs in any case), a packaging by barcode, then any product by barcode or SKU."""
        packaging = self.env["product.packaging"]
        folded = code.casefold()
        for product in self.move_ids.product_id:
            if product.barcode == code or (product.default_code or "").casefold() == folded:
                return product, 1.0, packaging
        packaging = packaging.search([("barcode", "=", code), ("qty", ">", 0)], limit=1)
        if packaging:
            return packaging.product_id, packaging.qty, packaging
        products = self.env["product.product"].with_context(active_test=False)
        product = products.search([("barcode", "=", code)], limit=1) or products.search(
            [("default_code", "=ilike", _like_literal(code))], limit=1
        )
        return product, 1.0, packaging

    def _oms_scan_refusal(self, code, product, quantity, packaging, moves):
        """Why scanning `quantity` of `product` (read from `code`) on its `moves` here is refused, if it is."""
        if not product:
            return self.env._("No product with barcode %s.", code)
        if not moves:
            if product in self.move_ids.filtered(lambda move: move.state != "cancel").product_id:
                return self.env._(
                    "%s is tracked by lots or serial numbers, which the packing screen does not scan: set them on "
                    "the transfer.",
                    product.display_name,
                )
            return self.env._("%s is not in this order.", product.display_name)
        uom = product.uom_id
        left = sum(self._oms_left_to_scan(move, uom) for move in moves)
        if float_compare(quantity, left, precision_rounding=uom.rounding) <= 0:
            return None
        if float_is_zero(left, precision_rounding=uom.rounding):
            return self.env._(
                "All %(count)s of %(product)s are already scanned.",
                count=self._oms_quantity_text(sum(moves.mapped("product_qty")), uom),
                product=product.display_name,
            )
        return self.env._(
            "%(packaging)s holds %(quantity)s of %(product)s, but only %(left)s are left to scan: open it and scan "
            "the items one by one.",
            packaging=packaging.name,
            quantity=self._oms_quantity_text(quantity, uom),
            product=product.display_name,
            left=self._oms_quantity_text(left, uom),
        )

    def _oms_scan_count(self, product, quantity, packaging, moves):
        """Count `quantity` (in the product's unit) on `moves`, first come first filled; returns the message and the
        first move counted."""
        uom = product.uom_id
        to_count = quantity
        counted = self.env["stock.move"]
        for move in moves:
            share = min(self._oms_left_to_scan(move, uom), to_count)
            if float_is_zero(share, precision_rounding=uom.rounding):
                continue
            move.oms_scanned_qty += uom._compute_quantity(share, move.product_uom, rounding_method="HALF-UP")
            counted |= move
            to_count -= share
        progress = {
            "product": product.display_name,
            "scanned": self._oms_quantity_text(
                sum(move.product_uom._compute_quantity(move.oms_scanned_qty, uom) for move in moves), uom
            ),
            "demand": self._oms_quantity_text(sum(moves.mapped("product_qty")), uom),
        }
        if packaging:
            message = self.env._(
                "%(packaging)s: %(quantity)s more. %(product)s: %(scanned)s of %(demand)s scanned.",
                packaging=packaging.name,
                quantity=self._oms_quantity_text(quantity, uom),
                **progress,
            )
        else:
            message = self.env._("%(product)s: %(scanned)s of %(demand)s scanned.", **progress)
        return message, counted[:1]

    @staticmethod
    def _oms_left_to_scan(move, uom):
        return max(move.product_uom._compute_quantity(move.product_uom_qty - move.oms_scanned_qty, uom), 0.0)

    def _oms_lock_moves(self):
        """Lock this transfer's move rows until the end of the transaction, then read them again: a packer scanning
        the same transfer meanwhile waits, and sees what this one counted (or retries on a serialization failure)."""
        self.env["stock.move"].flush_model()
        self.env.cr.execute("SELECT id FROM stock_move WHERE picking_id = %s ORDER BY id FOR UPDATE", [self.id])
        self.invalidate_recordset(["move_ids"])
        self.move_ids.invalidate_recordset()

    def _oms_scan_answer(self, accepted, message, move=None):
        return {
            "accepted": accepted,
            "message": message,
            "move_id": move.id if move else False,
            "picking": self.oms_pack_state(),
        }

    def _oms_post_packed(self):
        """One note in the chatter when packing completes, instead of one per scan."""
        items = sum(
            move.product_uom._compute_quantity(move.oms_scanned_qty, move.product_id.uom_id)
            for move in self._oms_scannable_moves()
        )
        unit = self.env.ref("uom.product_uom_unit")
        items_text = (
            self.env._("1 item scanned")
            if float_compare(items, 1.0, precision_digits=6) == 0
            else self.env._("%s items scanned", self._oms_quantity_text(items, unit))
        )
        refused = self.oms_scan_refused_count
        if not refused:
            refused_text = self.env._("no refused scan")
        elif refused == 1:
            refused_text = self.env._("1 refused scan")
        else:
            refused_text = self.env._("%s refused scans", refused)
        self.message_post(
            body=self.env._(
                "Packed by %(user)s: %(items)s, %(refused)s.",
                user=self.env.user.name,
                items=items_text,
                refused=refused_text,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _oms_state_args(self):
        self.ensure_one()
        return {
            "picking": self.name,
            "state": dict(self._fields["state"]._description_selection(self.env)).get(self.state, self.state).lower(),
        }
