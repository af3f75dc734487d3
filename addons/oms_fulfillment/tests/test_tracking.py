"""The tracking notice e-mailed when a delivery ships, and the scheduled tracking of shipments with their carrier."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CarrierCase

# Friday 27 November 2026, 18:30 in Madrid (17:30 UTC): after the 17:00 cut-off, so parcels leave on Monday.
FRIDAY_EVENING = datetime(2026, 11, 27, 17, 30)


@tagged("post_install", "-at_install")
class TestTrackingNotice(CarrierCase):
    def ship(self, partner, carrier, moment=FRIDAY_EVENING):
        picking = self.delivery(partner, carrier=carrier)
        with freeze_time(moment):
            self.validate(picking)
        self.assertEqual(picking.state, "done")
        return picking

    def notice(self, picking):
        return self.env["mail.mail"].search([("model", "=", "stock.picking"), ("res_id", "=", picking.id)])

    def test_a_spanish_customer_gets_the_notice_in_spanish_arriving_wednesday(self):
        # Friday after the cut-off + 2 transit days (Iberia Express) -> ships Monday -> arrives Wednesday.
        picking = self.ship(self.lucia, self.express)
        self.assertEqual(picking.oms_eta, date(2026, 12, 2))
        mail = self.notice(picking)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued with the other e-mails, not sent on the spot")
        self.assertEqual(mail.recipient_ids, self.lucia)
        self.assertIn("está en camino", mail.subject)
        self.assertIn("Iberia Express", mail.body_html)
        self.assertIn("miércoles, 2 de diciembre de 2026", mail.body_html)
        self.assertIn("Llegada estimada", mail.body_html)
        self.assertIn("Tracking notice e-mailed to Lucía Fernández", picking.message_ids[0].body)

    def test_an_english_customer_gets_the_notice_in_english_with_the_tracking_link(self):
        picking = self.ship(self.oliver, self.rest)
        # Parcel REST's own default (5 days): no quote was shopped for this delivery.
        self.assertEqual(picking.oms_eta, date(2026, 12, 7))
        mail = self.notice(picking)
        self.assertIn("is on its way", mail.subject)
        self.assertIn("Parcel REST", mail.body_html)
        self.assertIn("RST000001", mail.body_html)
        self.assertIn("https://track.example.com/rest/RST000001", mail.body_html)
        self.assertIn("Monday, December 7, 2026", mail.body_html)

    def test_the_arrival_uses_the_transit_days_of_the_chosen_quote(self):
        picking = self.delivery(self.lucia)
        with freeze_time(FRIDAY_EVENING):
            picking.action_oms_shop_rates()
            self.assertEqual(picking.carrier_id, self.rest)  # 3 transit days, its default being 5
            self.validate(picking)
        self.assertEqual(picking.oms_eta, date(2026, 12, 3))
        self.assertIn("jueves, 3 de diciembre de 2026", self.notice(picking).body_html)

    def test_before_the_cutoff_the_parcel_leaves_the_same_day(self):
        picking = self.ship(self.lucia, self.express, moment=datetime(2026, 11, 27, 10, 0))
        self.assertEqual(picking.oms_eta, date(2026, 12, 1))  # Friday + 2 working days

    def test_no_notice_without_e_mail_or_when_the_company_sends_none(self):
        self.lucia.email = False
        picking = self.ship(self.lucia, self.express)
        self.assertFalse(self.notice(picking))
        self.assertIn("the customer has no e-mail address", picking.message_ids[0].body)
        self.company.oms_tracking_notice = False
        self.assertFalse(self.notice(self.ship(self.oliver, self.standard)))


@tagged("post_install", "-at_install")
class TestTrackingPolling(CarrierCase):
    def shipped(self, carrier, moment=FRIDAY_EVENING, partner=None):
        picking = self.delivery(partner or self.lucia, carrier=carrier)
        with freeze_time(moment):
            self.validate(picking)
        self.assertTrue(picking.carrier_tracking_ref)
        return picking

    def test_the_scheduled_action_marks_the_delivery_delivered_from_tracking_and_the_order_follows(self):
        rest = self.shipped(self.rest)
        soap = self.shipped(self.soap)
        order = rest.sale_id
        self.assertEqual(order.oms_state, "shipped")
        self.rest_server.set_status(rest.carrier_tracking_ref, "delivered", "2026-12-01T11:15:00+01:00")
        self.soap_server.set_status(soap.carrier_tracking_ref, "in_transit")
        with freeze_time(datetime(2026, 12, 1, 12, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertEqual(rest.oms_delivered_date, datetime(2026, 12, 1, 10, 15))
        self.assertEqual(rest.oms_tracking_status, "delivered")
        self.assertEqual(order.oms_state, "delivered")
        self.assertIn("Parcel REST delivered the shipment on 12/01/2026", rest.message_ids[0].body)
        self.assertFalse(soap.oms_delivered_date)
        self.assertEqual(soap.oms_tracking_status, "in_transit")
        self.assertEqual(soap.sale_id.oms_state, "shipped")

    def test_deliveries_checked_recently_wait_for_a_later_run(self):
        picking = self.shipped(self.rest)
        with freeze_time(datetime(2026, 12, 1, 12, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertEqual(len(self.rest_server.calls("/tracking/")), 1)
        with freeze_time(datetime(2026, 12, 1, 13, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertEqual(len(self.rest_server.calls("/tracking/")), 2)
        self.assertEqual(picking.oms_tracking_status, "pending")

    def test_a_carrier_failing_to_track_is_asked_again_later_and_others_are_tracked(self):
        rest = self.shipped(self.rest)
        soap = self.shipped(self.soap)
        self.rest_server.fail_next(1, 500)
        self.soap_server.set_status(soap.carrier_tracking_ref, "delivered", "2026-12-01T09:00:00Z")
        with freeze_time(datetime(2026, 12, 1, 12, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertFalse(rest.oms_delivered_date)
        self.assertEqual(rest.oms_tracking_checked_at, datetime(2026, 12, 1, 12, 0))
        self.assertEqual(soap.oms_delivered_date, datetime(2026, 12, 1, 9, 0))

    def test_a_silent_carrier_is_asked_once_per_run(self):
        first, second = self.shipped(self.rest), self.shipped(self.rest)
        self.rest_server.delay_next(1, 3.0)
        with freeze_time(datetime(2026, 12, 1, 12, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertEqual(len(self.rest_server.calls("/tracking/")), 1)
        self.assertEqual((first | second).mapped("oms_tracking_checked_at"), [datetime(2026, 12, 1, 12, 0)] * 2)
        self.assertFalse((first | second).filtered("oms_delivered_date"))

    def test_a_late_shipment_gives_the_team_leader_an_activity_once(self):
        leader = self.env["res.users"].search([("login", "=", "oms_manager")], limit=1) or self.env.user
        team = self.env["crm.team"].create({"name": "Carrier Test Team", "user_id": leader.id})
        picking = self.delivery(self.lucia, carrier=self.rest, team_id=team.id)
        with freeze_time(FRIDAY_EVENING):
            self.validate(picking)
        self.assertEqual(picking.oms_eta, date(2026, 12, 7))  # ships Monday 30 November + 5 working days
        with freeze_time(datetime(2026, 12, 7, 12, 0)):  # not late yet on the day it is due
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertFalse(picking.activity_ids)
        self.rest_server.set_status(picking.carrier_tracking_ref, "in_transit")
        with freeze_time(datetime(2026, 12, 8, 12, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
        activity = picking.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Late shipment")
        self.assertEqual(activity.user_id, leader)
        self.assertIn("Parcel REST should have delivered", str(activity.note))
        with freeze_time(datetime(2026, 12, 9, 12, 0)):
            self.env["stock.picking"]._cron_oms_poll_tracking()
        self.assertEqual(len(picking.activity_ids), 1, "one activity per late shipment")
        self.assertEqual(picking.oms_tracking_status, "in_transit")

    def test_a_carrier_exception_is_written_in_the_chatter(self):
        picking = self.shipped(self.soap)
        self.soap_server.set_status(picking.carrier_tracking_ref, "exception")
        picking.action_oms_check_tracking()
        self.assertEqual(picking.oms_tracking_status, "exception")
        self.assertIn("Parcel SOAP reports a problem with the shipment", picking.message_ids[0].body)
