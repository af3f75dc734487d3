from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models


class SaleOrder(models.Model):
    """The company's policies on quotations: a hold (released by hand or when its condition clears), a tag or a
    note to the team; holds by hand through wizards."""

    _inherit = "sale.order"

    oms_validated = fields.Boolean(
        "Policies Passed", copy=False, readonly=True, help="The order went through the policies without a hold."
    )
    oms_hold_ids = fields.One2many("oms.order.hold", "order_id", string="Holds")
    oms_on_hold = fields.Boolean("On Hold", compute="_compute_oms_hold", store=True, index=True)
    oms_hold_since = fields.Datetime("On Hold Since", compute="_compute_oms_hold", store=True)
    oms_hold_reasons = fields.Text("Hold Reasons", compute="_compute_oms_hold", store=True)

    @api.depends("oms_hold_ids.state", "oms_hold_ids.reason")
    def _compute_oms_hold(self):
        for order in self:
            active = order.oms_hold_ids.filtered(lambda hold: hold.state == "active")
            order.oms_on_hold = bool(active)
            order.oms_hold_since = min(active.mapped("create_date"), default=False)
            order.oms_hold_reasons = "\n".join(active.mapped("reason")) or False

    def action_oms_hold(self):
        """Hold by hand: a wizard asks for the reason."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hold Orders"),
            "res_model": "oms.hold.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sale.order", "active_ids": self.ids},
        }

    def action_oms_release(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Held Orders"),
            "res_model": "oms.hold.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sale.order", "active_ids": self.ids},
        }

    def _oms_check_policies(self):
        """Put the quotations through their companies' policies: hold (with every reason), tag or notify; release
        by themselves the holds whose condition cleared. Quotations without a hold are validated."""
        quotations = self.filtered(lambda order: order.state in ("draft", "sent") and not order.locked)
        if not quotations:
            return
        met = quotations._oms_policies_met()
        new_holds = []
        for order in quotations:
            new_holds += order._oms_apply_policies(met.get(order, {}))
        created = self.env["oms.order.hold"].sudo().create(new_holds)
        for order, holds in created.grouped("order_id").items():
            order._message_log(
                body=Markup("<b>%s</b><ul>%s</ul>")
                % (
                    self.env._("On hold"),
                    Markup().join(Markup("<li>%s</li>") % reason for reason in holds.mapped("reason")),
                )
            )
        quotations.filtered(lambda order: not order.oms_on_hold and not order.oms_validated).oms_validated = True

    def _oms_policies_met(self):
        """{order: {policy: reason}} of the policies of the orders' companies that these orders meet."""
        policies = self.env["oms.order.policy"].sudo().search([("company_id", "in", self.company_id.ids)])
        met = defaultdict(dict)
        for policy in policies:
            for order, reason in policy._reasons(self).items():
                met[order][policy] = reason
        return met

    def _oms_apply_policies(self, met):
        """Act on the policies this quotation meets ({policy: reason}): tag, notify, update the reasons of its
        holds, and release by themselves those whose condition cleared. Returns the values of the holds to create."""
        self.ensure_one()
        active = self.oms_hold_ids.filtered(lambda hold: hold.state == "active")
        held_by = {hold.policy_id: hold for hold in active if hold.policy_id}
        # A person released this policy's hold: the decision stands for the rest of the order's life.
        waived = self.oms_hold_ids.filtered(
            lambda hold: hold.state == "released" and not hold.released_automatically
        ).policy_id
        new_holds = []
        for policy, reason in met.items():
            if policy in waived:
                continue
            if policy.action in ("hold", "approval"):
                if policy in held_by:
                    held_by[policy].sudo().reason = reason  # still met, perhaps for other figures
                else:
                    new_holds.append(self._oms_hold_values(policy, reason))
            elif policy.action == "tag":
                self.tag_ids = [fields.Command.link(tag.id) for tag in policy.tag_ids]
            else:
                self._oms_notify_team(policy, reason)
        cleared = active.filtered(lambda hold: hold.policy_id and hold.auto_release and hold.policy_id not in met)
        cleared._release(self.env._("the condition cleared"), automatic=True)
        return new_holds

    def _oms_hold_values(self, policy, reason):
        return {
            "order_id": self.id,
            "policy_id": policy.id,
            "kind": policy.check,
            "reason": reason,
            "approval_group_id": policy.approval_group_id.id if policy.action == "approval" else False,
            "auto_release": policy.auto_release,
        }

    def _oms_notify_team(self, policy, reason):
        """One activity per order and policy, for the team's leader (else the salesperson)."""
        self.ensure_one()
        summary = policy.name[:80]
        if self.activity_ids.filtered(lambda activity: activity.summary == summary):
            return
        user = policy.team_id.user_id or self.user_id or self.env.user
        self.sudo().activity_schedule("mail.mail_activity_data_todo", summary=summary, note=reason, user_id=user.id)

    def _oms_held_notification(self):
        """Tell the user which orders a policy held and why, then show them again."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("On hold"),
                "message": "\n".join(f"{order.name}: {order.oms_hold_reasons}" for order in self),
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
