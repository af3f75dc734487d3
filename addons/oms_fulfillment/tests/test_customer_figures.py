"""The fulfilment figures of the customer 360 tab: the latest survey rating and the open returns."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_returns import ReturnCase


@tagged("post_install", "-at_install")
class TestCustomerFigures(ReturnCase):
    def test_latest_survey_rating_and_open_returns_on_the_customer(self):
        first, second = self.delivered_order(tent=1, lamp=0), self.delivered_order(tent=1, lamp=0)
        self.assertFalse(self.customer.oms_last_survey_rating)
        self.assertEqual(self.customer.oms_open_return_count, 0)
        now = fields.Datetime.now()
        first.sudo().write({"oms_survey_answered": now - timedelta(days=10), "oms_survey_rating": 5})
        second.sudo().write({"oms_survey_answered": now, "oms_survey_rating": 2})
        rma = self.new_return(first, {self.tent: 1})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.oms_last_survey_rating, "2/5", "the latest answer counts")
        self.assertEqual(self.customer.oms_open_return_count, 1)
        rma.action_cancel()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.oms_open_return_count, 0, "a cancelled return is not open")
