"""The post-sale survey: invited once, some days after delivery; answers copied to the order, and low ratings or
missing items followed up by customer service."""

from datetime import datetime, timedelta
from unittest.mock import Mock, patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.addons.survey.controllers.main import Survey
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

DELIVERED = datetime(2026, 11, 20, 10, 0)


@tagged("post_install", "-at_install")
class TestPostSaleSurvey(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company.write(
            {
                "oms_survey_delay_days": 3,
                "oms_survey_low_rating": 2,
                "oms_survey_id": False,
                "oms_survey_service_user_id": False,
                "oms_service_email": "service@oms-iberia.example.com",
                "oms_return_instructions": "Send it back within 30 days with the return slip.",
            }
        )
        cls.survey = cls.env.ref("oms_fulfillment.survey_post_sale")
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.service = cls.env["res.users"].create(
            {
                "name": "Carmen Service",
                "login": "carmen.service",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Web Shop", "company_id": cls.company.id, "user_id": cls.service.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Survey Test Mug", "is_storable": True, "list_price": 10.0, "company_id": cls.company.id}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.madrid.lot_stock_id, 100)
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["oms_fulfillment"], ["es_ES"])
        cls.lucia = cls.env["res.partner"].create(
            {"name": "Lucía Fernández", "email": "lucia@example.es", "lang": "es_ES"}
        )
        cls.oliver = cls.env["res.partner"].create(
            {"name": "Oliver Smith", "email": "oliver@example.co.uk", "lang": "en_US"}
        )

    # --- helpers -----------------------------------------------------------------------------------------------------

    def order(self, partner=None, team=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.oliver).id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "team_id": (team or self.team).id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        return order

    def delivered(self, partner=None, team=None, when=DELIVERED):
        order = self.order(partner, team)
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        picking.oms_delivered_date = when
        self.assertEqual(order.oms_delivered_at, when)
        return order

    def run_cron(self, moment):
        with freeze_time(moment):
            self.env["sale.order"]._cron_oms_send_surveys()

    def mails(self, order):
        return self.env["mail.mail"].search([("model", "=", "sale.order"), ("res_id", "=", order.id)])

    def answer(self, order, rating, received=True, comment=""):
        """Fill in and complete the order's survey answer as the customer would."""
        answer = order.oms_survey_input_id
        questions = {question.oms_survey_role: question for question in self.survey.question_ids}
        answer._save_lines(questions["rating"], str(rating))
        choice = questions["all_received"].suggested_answer_ids.filtered(lambda a: a.oms_negative != received)
        answer._save_lines(questions["all_received"], str(choice.id))
        if comment:
            answer._save_lines(questions["comment"], comment)
        answer._mark_done()
        return answer

    def activities(self, order):
        return self.env["mail.activity"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])

    # --- invitation --------------------------------------------------------------------------------------------------

    def test_invited_once_after_the_delay_and_not_before(self):
        order = self.delivered()
        self.run_cron(DELIVERED + timedelta(days=2, hours=23))
        self.assertFalse(order.oms_survey_sent, "not before the 3 days")
        self.assertFalse(order.oms_survey_url)
        self.assertFalse(self.mails(order))
        self.run_cron(DELIVERED + timedelta(days=3, minutes=1))
        self.assertTrue(order.oms_survey_sent)
        answer = order.oms_survey_input_id
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.partner_id, self.oliver, "the answer is the customer's")
        self.assertEqual(answer.oms_sale_order_id, order, "and the order's")
        self.assertEqual(order.oms_survey_url, order.get_base_url() + answer.get_start_url())
        mail = self.mails(order)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued with the other e-mails")
        self.assertEqual(mail.recipient_ids, self.oliver)
        self.assertIn(order.name, mail.subject)
        self.assertIn(answer.access_token, mail.body_html)
        self.assertIn(f"/survey/start/{self.survey.access_token}?answer_token={answer.access_token}", mail.body_html)
        self.assertIn("service@oms-iberia.example.com", mail.body_html)
        self.assertIn("Send it back within 30 days", mail.body_html)
        # Never twice: a second run, or sending again by hand.
        self.run_cron(DELIVERED + timedelta(days=10))
        order._oms_send_survey()
        self.assertEqual(len(self.mails(order)), 1)
        self.assertEqual(order.oms_survey_input_id, answer)
        self.assertEqual(self.env["survey.user_input"].search_count([("oms_sale_order_id", "=", order.id)]), 1)

    def test_undelivered_orders_are_not_invited(self):
        order = self.order()
        self.assertFalse(order.oms_delivered_at)
        self.run_cron(DELIVERED + timedelta(days=30))
        self.assertFalse(order.oms_survey_sent)
        self.assertFalse(self.mails(order))

    def test_a_sales_team_may_wait_otherwise(self):
        slow = self.env["crm.team"].create(
            {
                "name": "Marketplace",
                "company_id": self.company.id,
                "oms_survey_own_delay": True,
                "oms_survey_delay_days": 7,
            }
        )
        web, marketplace = self.delivered(), self.delivered(team=slow)
        self.run_cron(DELIVERED + timedelta(days=4))
        self.assertTrue(web.oms_survey_sent)
        self.assertFalse(marketplace.oms_survey_sent)
        self.run_cron(DELIVERED + timedelta(days=7, minutes=1))
        self.assertTrue(marketplace.oms_survey_sent)

    def test_a_spanish_customer_gets_the_invitation_in_spanish(self):
        order = self.delivered(partner=self.lucia)
        self.run_cron(DELIVERED + timedelta(days=4))
        mail = self.mails(order)
        self.assertEqual(len(mail), 1)
        self.assertIn("¿Qué tal su pedido", mail.subject)
        self.assertIn("Valore su pedido", mail.body_html)
        self.assertIn(order.oms_survey_input_id.access_token, mail.body_html)

    # --- answers -----------------------------------------------------------------------------------------------------

    def invited(self, partner=None):
        order = self.delivered(partner)
        self.run_cron(DELIVERED + timedelta(days=4))
        self.assertTrue(order.oms_survey_input_id)
        return order

    def test_a_low_rating_opens_one_activity_for_customer_service(self):
        order = self.invited()
        self.answer(order, 2, comment="The box was crushed.")
        self.assertEqual(order.oms_survey_rating, 2)
        self.assertTrue(order.oms_survey_all_received)
        self.assertEqual(order.oms_survey_comment, "The box was crushed.")
        activity = self.activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service, "the sales team's leader")
        self.assertIn("2/5", activity.summary)
        self.assertIn("The box was crushed.", activity.note)
        self.assertIn(order.name, activity.note)
        # Only once, even if the answer were completed again.
        order.oms_survey_input_id._mark_done()
        self.assertEqual(len(self.activities(order)), 1)

    def test_a_good_rating_with_everything_received_opens_none(self):
        order = self.invited()
        self.answer(order, 5)
        self.assertEqual(order.oms_survey_rating, 5)
        self.assertTrue(order.oms_survey_all_received)
        self.assertTrue(order.oms_survey_answered)
        self.assertFalse(self.activities(order))

    def test_not_everything_received_opens_one_activity(self):
        self.company.oms_survey_service_user_id = self.env.ref("base.user_admin")
        order = self.invited()
        self.answer(order, 4, received=False)
        self.assertFalse(order.oms_survey_all_received)
        activity = self.activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.env.ref("base.user_admin"), "the configured customer service")
        self.assertIn("did not receive everything", activity.summary)

    def test_a_used_link_shows_the_thank_you_page(self):
        order = self.invited()
        answer = self.answer(order, 5)
        controller = Survey()
        public_env = self.env(user=self.env.ref("base.public_user"), context={})
        request = patch("odoo.addons.survey.controllers.main.request", new=Mock(env=public_env, cookies={}))
        with request:
            access = controller._get_access_data(self.survey.access_token, answer.access_token, ensure_token=True)
            self.assertIs(access["validity_code"], True, "no error for a completed answer's link")
            data = controller._prepare_survey_data(access["survey_sudo"], access["answer_sudo"])
        self.assertNotIn("question", data, "no question to fill in again")
        html = str(public_env["ir.qweb"]._render("survey.survey_fill_form_done", data))
        self.assertIn("Thank you!", html)
        self.assertIn("Thank you for your answers", html)

    def test_a_customer_without_e_mail_is_not_asked_again(self):
        self.oliver.email = False
        order = self.delivered()
        self.run_cron(DELIVERED + timedelta(days=4))
        self.assertTrue(order.oms_survey_sent, "stamped: the scheduled action does not take it again")
        self.assertFalse(order.oms_survey_input_id)
        self.assertFalse(self.mails(order))
        self.assertIn("No post-sale survey was sent", order.message_ids[0].body)

    def test_an_answer_belongs_to_one_order_in_the_database(self):
        order, other = self.invited(), self.delivered()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            other.oms_survey_input_id = order.oms_survey_input_id
            other.flush_recordset()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.survey._create_answer(partner=self.oliver, check_attempts=False, oms_sale_order_id=order.id)
            self.env.flush_all()
