from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class OmsOrderHold(models.Model):
    """One reason an order is stopped, from a policy or put by hand, until it is released (by a person with a
    note, or by itself when its condition clears)."""

    _name = "oms.order.hold"
    _inherit = ["oms.state.mixin"]
    _description = "Order Hold"
    _oms_protected_fields = ("state", "released_by_id", "release_date", "release_note", "released_automatically")
    _order = "order_id, state, id"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    policy_id = fields.Many2one("oms.order.policy", ondelete="set null", index=True)
    kind = fields.Selection(
        [
            ("payment", "Payment"),
            ("credit", "Credit"),
            ("fraud", "Fraud Check"),
            ("condition", "Policy"),
            ("manual", "By Hand"),
        ],
        required=True,
        default="manual",
    )
    reason = fields.Char(required=True)
    state = fields.Selection(
        [("active", "On Hold"), ("released", "Released")], default="active", required=True, readonly=True
    )
    approval_group_id = fields.Many2one("res.groups", "Released By Members Of")
    auto_release = fields.Boolean(
        "Releases Itself", help="Released by itself when the order no longer meets the policy."
    )
    released_automatically = fields.Boolean(readonly=True)
    released_by_id = fields.Many2one("res.users", readonly=True)
    release_date = fields.Datetime(readonly=True)
    release_note = fields.Text(readonly=True)

    def _check_can_release(self):
        if self.env.is_superuser():
            return
        if not self.env.user.has_group("oms_intelligent.group_oms_user"):
            raise AccessError(self.env._("Only Order Management users may release held orders."))
        for hold in self.filtered("approval_group_id"):
            if hold.approval_group_id not in self.env.user.groups_id:
                raise AccessError(
                    self.env._(
                        "Only members of %(group)s may release this hold on %(order)s: %(reason)s",
                        group=hold.approval_group_id.full_name,
                        order=hold.order_id.name,
                        reason=hold.reason,
                    )
                )

    def _release(self, note, automatic=False):
        """Release these holds with the note and tell the orders' chatter (the caller moves the orders on)."""
        holds = self.filtered(lambda hold: hold.state == "active")
        if not holds:
            return
        if not automatic:
            if not (note or "").strip():
                raise UserError(self.env._("Say why the hold is released: the note is kept with the order."))
            holds._check_can_release()
        holds.sudo()._oms_write(
            {
                "state": "released",
                "released_by_id": self.env.user.id,
                "release_date": fields.Datetime.now(),
                "release_note": note,
                "released_automatically": automatic,
            }
        )
        for order, order_holds in holds.grouped("order_id").items():
            title = self.env._("Hold released automatically") if automatic else self.env._("Hold released")
            reasons = "; ".join(order_holds.mapped("reason"))
            order._message_log(
                body=self.env._("%(title)s (%(reasons)s): %(note)s", title=title, reasons=reasons, note=note)
            )
