"""The lifecycle's plain rules, without Odoo."""

import pytest

from odoo.addons.oms_intelligent.services.lifecycle import (
    Credit,
    OrderFacts,
    countries_differ,
    order_status,
    payment_missing,
)


def test_credit_is_exceeded_only_above_a_limit_that_is_set():
    assert Credit(receivable=600, to_invoice=200, order_amount=300, limit=1000).exceeded()
    assert not Credit(receivable=600, to_invoice=100, order_amount=300, limit=1000).exceeded()
    assert not Credit(receivable=60000, to_invoice=0, order_amount=300, limit=0).exceeded(), "no limit set"


def test_payment_missing_counts_partial_payments_and_trusts_the_channel():
    assert payment_missing(100.0, 0.0, False) == 100.0
    assert payment_missing(100.0, 40.0, False) == 60.0
    assert payment_missing(100.0, 100.0, False) == 0.0
    assert payment_missing(100.0, 0.0, True) == 0.0


def test_countries_differ_above_the_threshold_only():
    assert countries_differ("ES", "FR", 600, 500)
    assert not countries_differ("ES", "FR", 400, 500)
    assert not countries_differ("ES", "ES", 6000, 500)
    assert not countries_differ(None, "FR", 6000, 500), "an unknown country is not a signal"


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        (OrderFacts(state="draft"), "received"),
        (OrderFacts(state="draft", validated=True), "validated"),
        (OrderFacts(state="sent", on_hold=True, validated=True), "on_hold"),
        (OrderFacts(state="sale", deliveries=("confirmed",)), "routed"),
        (OrderFacts(state="sale", deliveries=("assigned",), started=True), "in_fulfillment"),
        (OrderFacts(state="sale", deliveries=("done", "assigned")), "in_fulfillment"),
        (OrderFacts(state="sale", deliveries=("done", "cancel")), "shipped"),
        (OrderFacts(state="sale", deliveries=("done",), delivered=True), "delivered"),
        (OrderFacts(state="sale", deliveries=("done",), delivered=True, invoiced_and_paid=True), "closed"),
        (OrderFacts(state="sale", deliveries=("done",), delivered=True, returned=True), "returned"),
        (OrderFacts(state="cancel", on_hold=True), "cancelled"),
        (OrderFacts(state="sale", invoiced_and_paid=True), "closed"),
    ],
)
def test_order_status_follows_the_order(facts, status):
    assert order_status(facts) == status
