"""Two workers confirming orders that compete for the last units never promise the same units twice.

Each worker has its own cursor and commits for real; a worker that loses the race on the stock rows gets a
serialization failure and does its transaction again, as Odoo's cron and HTTP workers do.
"""

import threading
import uuid

import psycopg2
import pytest

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

LAST_UNITS = 5


@pytest.fixture
def registry():
    return Registry(config["db_name"])


@pytest.fixture
def scarce_world(registry):
    suffix = uuid.uuid4().hex[:6].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"Scarce Co {suffix}"})
        env = env(context={"allowed_company_ids": [company.id]})
        near = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        far = env["stock.warehouse"].create(
            {"name": f"Far {suffix}", "code": "F" + suffix[:4], "company_id": company.id}
        )
        near.partner_id.write({"partner_latitude": 40.4168, "partner_longitude": -3.7038})
        far.partner_id = env["res.partner"].create(
            {"name": "Far away", "partner_latitude": 41.3874, "partner_longitude": 2.1686}
        )
        env["oms.routing.strategy"].create(
            {"name": "Race", "company_id": company.id, "is_default": True, "split_policy": "when_needed"}
        )
        product = env["product.product"].create(
            {"name": f"Last units {suffix}", "is_storable": True, "company_id": company.id}
        )
        env["stock.quant"]._update_available_quantity(product, near.lot_stock_id, LAST_UNITS)
        customer = env["res.partner"].create({"name": "Buyer", "partner_latitude": 40.42, "partner_longitude": -3.70})
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": LAST_UNITS})],
                }
                for _ in range(2)
            ]
        )
        ids = {"company": company.id, "orders": orders.ids, "product": product.id, "near": near.id}
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
        env["sale.order"].browse(ids["orders"])._action_cancel()
        env["res.company"].browse(ids["company"]).active = False


def _confirm_in_own_worker(registry, order_id, company_id, barrier, errors):
    try:
        for attempt in range(5):
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [company_id]})
                    order = env["sale.order"].browse(order_id)
                    order.partner_id  # noqa: B018 - start the transaction before both go
                    if attempt == 0:
                        barrier.wait(timeout=30)
                    order.action_confirm()
                return
            except psycopg2.errors.SerializationFailure:
                continue
        errors.append(f"order {order_id} could not be confirmed in 5 attempts")
    except Exception as error:  # noqa: BLE001 - handed to the main thread
        errors.append(error)


def test_two_workers_routing_the_last_units_promise_them_once(registry, scarce_world):
    barrier = threading.Barrier(2)
    errors = []
    threads = [
        threading.Thread(
            target=_confirm_in_own_worker, args=(registry, order_id, scarce_world["company"], barrier, errors)
        )
        for order_id in scarce_world["orders"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [scarce_world["company"]]})
        orders = env["sale.order"].browse(scarce_world["orders"])
        assert set(orders.mapped("state")) == {"sale"}
        promised = sum(
            line.quantity
            for line in orders.oms_routing_decision_id.line_ids
            if not line.backorder and line.warehouse_id.id == scarce_world["near"]
        )
        reserved = sum(orders.picking_ids.move_ids.mapped("quantity"))
        backordered = sum(orders.oms_routing_decision_id.line_ids.filtered("backorder").mapped("quantity"))
    assert promised == LAST_UNITS, "the last units are promised to one order only"
    assert reserved == LAST_UNITS
    assert backordered == LAST_UNITS, "the other order is told its units are backordered"
