import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression

_logger = logging.getLogger(__name__)

SURVEY_BATCH = 200
SURVEY_XMLID = "oms_fulfillment.survey_post_sale"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_delivered_at = fields.Datetime(
        "Delivered On",
        compute="_compute_oms_delivered_at",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the customer received the last delivery of the order, once every delivery reached them.",
    )
    oms_survey_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        readonly=True,
        groups="survey.group_survey_user",
        copy=False,
        index="btree_not_null",
        help="The customer's answer to the post-sale survey this order was sent.",
    )
    oms_survey_sent = fields.Datetime(
        "Survey Sent", readonly=True, copy=False, help="When the customer was invited to the post-sale survey."
    )
    oms_survey_answered = fields.Datetime("Survey Answered", readonly=True, copy=False)
    oms_survey_rating = fields.Integer(
        "Survey Rating", readonly=True, copy=False, aggregator="avg", help="The customer's rating, 1 to 5."
    )
    oms_survey_all_received = fields.Boolean(
        "Everything Received", readonly=True, copy=False, help="The customer said they received everything."
    )
    oms_survey_comment = fields.Text("Survey Comment", readonly=True, copy=False)
    oms_survey_url = fields.Char("Survey Link", compute="_compute_oms_survey_url")

    _sql_constraints = [
        ("oms_survey_input_uniq", "unique(oms_survey_input_id)", "A survey answer belongs to one order."),
    ]

    @api.depends("picking_ids.state", "picking_ids.oms_delivered_date", "picking_ids.picking_type_code")
    def _compute_oms_delivered_at(self):
        for order in self:
            deliveries = order.picking_ids.filtered(
                lambda picking: picking.picking_type_code == "outgoing" and picking.state != "cancel"
            )
            dates = deliveries.mapped("oms_delivered_date")
            delivered = deliveries and all(p.state == "done" for p in deliveries) and len(dates) == len(deliveries)
            order.oms_delivered_at = max(dates) if delivered else False

    @api.depends("oms_survey_input_id.access_token")
    def _compute_oms_survey_url(self):
        for order in self:
            answer = order.sudo().oms_survey_input_id
            order.oms_survey_url = order.get_base_url() + answer.get_start_url() if answer else False

    # ------------------------------------------------------------------------------------------ invitation

    @api.model
    def _oms_survey_due_domain(self, now=None):
        """Delivered orders not invited yet whose delay (their sales team's own, else their company's) has passed."""
        now = now or fields.Datetime.now()
        own_teams = (
            self.env["crm.team"].sudo().with_context(active_test=False).search([("oms_survey_own_delay", "=", True)])
        )
        by_delay = [
            [
                ("company_id", "=", company.id),
                "|",
                ("team_id", "=", False),
                ("team_id", "not in", own_teams.ids),
                ("oms_delivered_at", "<=", now - timedelta(days=company.oms_survey_delay_days)),
            ]
            for company in self.env["res.company"].sudo().search([])
        ] + [
            [("team_id", "=", team.id), ("oms_delivered_at", "<=", now - timedelta(days=team.oms_survey_delay_days))]
            for team in own_teams
        ]
        return expression.AND(
            [
                [
                    ("state", "=", "sale"),
                    ("oms_state", "in", ("delivered", "closed")),
                    ("oms_survey_sent", "=", False),
                    ("oms_delivered_at", "!=", False),
                ],
                expression.OR(by_delay),
            ]
        )

    @api.model
    def _cron_oms_send_surveys(self, batch_size=SURVEY_BATCH):
        """Invite the customers of delivered orders to the post-sale survey, a batch per call (the cron runner
        commits between calls and calls again while some remain)."""
        domain = self._oms_survey_due_domain()
        orders = self.search(domain, limit=batch_size, order="oms_delivered_at, id")
        orders._oms_send_survey()
        self.env["ir.cron"]._notify_progress(done=len(orders), remaining=self.search_count(domain))

    def _oms_send_survey(self):
        """Create each order's survey answer for its customer and queue the invitation, once per order: the orders
        are locked (others' locked ones skipped) and checked again, so that two workers never invite twice."""
        if not self:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM sale_order WHERE id IN %s AND oms_survey_sent IS NULL FOR UPDATE SKIP LOCKED",
            [tuple(self.ids)],
        )
        free = self.browse(row[0] for row in self.env.cr.fetchall())
        free.invalidate_recordset(["oms_survey_sent", "oms_survey_input_id"])
        template = self.env.ref("oms_fulfillment.mail_template_post_sale_survey", raise_if_not_found=False)
        now = fields.Datetime.now()
        for order in free:
            survey = order.company_id.oms_survey_id or self.env.ref(SURVEY_XMLID, raise_if_not_found=False)
            partner = order.partner_id
            if not survey or not survey.active or not partner.email or not template:
                order.write({"oms_survey_sent": now})
                order.message_post(
                    body=self.env._(
                        "No post-sale survey was sent: no active survey, no e-mail template or no customer e-mail."
                    )
                )
                continue
            answer = survey.sudo()._create_answer(partner=partner, check_attempts=False, oms_sale_order_id=order.id)
            order.write({"oms_survey_sent": now, "oms_survey_input_id": answer.id})
            template.with_company(order.company_id).send_mail(
                order.id, email_layout_xmlid="mail.mail_notification_light"
            )
            order.message_post(body=self.env._("Post-sale survey e-mailed to %s.", partner.display_name))
        return free

    # ------------------------------------------------------------------------------------------ answers

    def _oms_survey_answered(self):
        """Copy the completed answer to its order and, for a low rating or a missing item, ask customer service to
        follow up (once: an answered order is not read again)."""
        for order in self.filtered(lambda o: not o.oms_survey_answered and o.oms_survey_input_id.state == "done"):
            rating, received, comment = self.env["survey.user_input"]._oms_answer_facts(order.oms_survey_input_id)
            order.write(
                {
                    "oms_survey_answered": fields.Datetime.now(),
                    "oms_survey_rating": rating or 0,
                    "oms_survey_all_received": received is not False,
                    "oms_survey_comment": comment or False,
                }
            )
            low = rating is not None and rating <= order.company_id.oms_survey_low_rating
            if low or received is False:
                order._oms_survey_follow_up(rating, received, comment)

    def _oms_survey_follow_up(self, rating, received, comment):
        self.ensure_one()
        user = (
            self.company_id.oms_survey_service_user_id
            or self.team_id.user_id
            or self.user_id
            or self.env.ref("base.user_admin")
        )
        problems = []
        if rating is not None:
            problems.append(self.env._("rated %(rating)s/5", rating=rating))
        if received is False:
            problems.append(self.env._("did not receive everything"))
        summary = self.env._(
            "Survey: %(customer)s %(problems)s", customer=self.partner_id.name, problems=", ".join(problems)
        )
        note = Markup("<p>%s</p>") % self.env._(
            "Order %(order)s: the customer %(problems)s.", order=self.name, problems=", ".join(problems)
        )
        if comment:
            note += Markup("<p>%s</p><blockquote>%s</blockquote>") % (self.env._("Their comment:"), comment)
        self.activity_schedule("mail.mail_activity_data_todo", summary=summary, note=note, user_id=user.id)

    # ------------------------------------------------------------------ returns

    oms_return_ids = fields.One2many("oms.return", "sale_order_id", string="Returns")
    oms_return_count = fields.Integer(compute="_compute_oms_return_count", string="Return Count")

    def _compute_oms_return_count(self):
        counts = dict(
            self.env["oms.return"]._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.oms_return_count = counts.get(order, 0)

    def _oms_delivery_dates(self):
        """When the order's deliveries were done."""
        self.ensure_one()
        return (
            self.sudo()
            .picking_ids.filtered(
                lambda picking: picking.state == "done"
                and picking.picking_type_code == "outgoing"
                and picking.date_done
            )
            .mapped("date_done")
        )

    def action_view_oms_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_fulfillment.action_oms_return")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id}
        return action
