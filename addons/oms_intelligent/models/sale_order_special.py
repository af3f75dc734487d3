from odoo import api, fields, models

from .oms_special_order_type import TRIGGER_PRECEDENCE

# Changes of these fields may make an order special (see _oms_tag_special).
SPECIAL_TRIGGER_FIELDS = {"oms_special_type_id", "partner_id", "oms_replaced_order_id", "order_line"}


class SaleOrder(models.Model):
    """Special orders (VIP, replacement, gift...): their type, set by hand or by the type's rule, their unique code
    and the type's effects (free lines, priority, no payment hold)."""

    _inherit = "sale.order"

    oms_special_type_id = fields.Many2one(
        "oms.special.order.type",
        string="Special Order Type",
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="VIP, replacement, gift... Set by the type's rule when none is chosen by hand.",
    )
    oms_special_code = fields.Char(
        "Special Code",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Unique code of a special order, given once by its type's sequence.",
    )
    oms_replaced_order_id = fields.Many2one(
        "sale.order",
        string="Replaces Order",
        copy=False,
        check_company=True,
        index="btree_not_null",
        help="The order this one replaces (e.g. after a return).",
    )
    oms_retention_outcome = fields.Selection(
        [("pending", "Pending"), ("retained", "Retained"), ("lost", "Lost")],
        string="Retention Outcome",
        tracking=True,
        copy=False,
    )
    oms_retention_note = fields.Text("Retention Note", copy=False)

    _sql_constraints = [
        (
            "oms_special_code_company_uniq",
            "unique(company_id, oms_special_code)",
            "The special code of an order must be unique.",
        ),
    ]

    @property
    def _rec_names_search(self):
        return [*super()._rec_names_search, "oms_special_code"]

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._oms_tag_special()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if not self.env.context.get("oms_special_tagging") and not SPECIAL_TRIGGER_FIELDS.isdisjoint(vals):
            self._oms_tag_special()
        return res

    def _oms_tag_special(self):
        """Give these orders a special type when a rule matches and none was chosen by hand, then their code (once:
        a code is never given again, even when the type changes) and the type's effects."""
        rules = {}
        for order in self.filtered(lambda order: order.state != "cancel"):
            special_type = order.oms_special_type_id or order._oms_detect_special_type(rules)
            if not special_type:
                continue
            special_type = special_type.sudo()
            vals = {} if order.oms_special_type_id else {"oms_special_type_id": special_type.id}
            if not order.oms_special_code:
                vals["oms_special_code"] = special_type._next_code()
                vals["oms_retention_outcome"] = order.oms_retention_outcome or "pending"
            if vals:
                order.with_context(oms_special_tagging=True).write(vals)
            if "oms_special_code" in vals:
                order._message_log(
                    body=self.env._(
                        "Special order %(code)s (%(type)s).", code=vals["oms_special_code"], type=special_type.name
                    )
                )
            if special_type.zero_price:
                order.order_line._oms_make_free()
            if special_type.priority:
                order.picking_ids.filtered(
                    lambda picking: picking.state not in ("done", "cancel") and picking.priority != "1"
                ).priority = "1"

    def _oms_detect_special_type(self, rules):
        """The first type of the order's company whose rule matches, in TRIGGER_PRECEDENCE (`rules` caches the
        company's automatic types for a batch)."""
        self.ensure_one()
        if self.company_id not in rules:
            types = (
                self.env["oms.special.order.type"]
                .sudo()
                .search([("company_id", "=", self.company_id.id), ("trigger", "!=", "manual")])
            )
            # The first of each rule by sequence wins.
            rules[self.company_id] = {special_type.trigger: special_type for special_type in reversed(types)}
        company_rules = rules[self.company_id]
        for trigger in TRIGGER_PRECEDENCE:
            if trigger in company_rules and self._oms_matches_special_rule(trigger):
                return company_rules[trigger]
        return None

    def _oms_matches_special_rule(self, trigger):
        self.ensure_one()
        if trigger == "replacement":
            return bool(self.oms_replaced_order_id)
        if trigger == "vip_customer":
            return self.partner_id.oms_vip or self.partner_id.commercial_partner_id.oms_vip
        if trigger == "gift_lines":
            # A gift order gives everything away: it has goods and every one of them is free (an order with one
            # free sample among paid lines is not a gift, since a gift type makes all its lines free).
            goods = self.order_line._oms_goods()
            return bool(goods) and all(line._oms_is_free() for line in goods)
        return False

    def _oms_is_priority(self):
        """Routed before the other orders of a batch, and its deliveries are starred for the warehouse."""
        self.ensure_one()
        return bool(self.oms_special_type_id.sudo().priority)

    def _oms_skips_payment_hold(self):
        """True when the order's special type says it ships without waiting for payment (e.g. replacements)."""
        self.ensure_one()
        return bool(self.oms_special_type_id.sudo().skip_payment_hold)
