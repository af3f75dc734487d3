"""Two workers creating special orders of the same type at the same time get different codes, and neither waits.

Each worker has its own cursor and commits for real. The first keeps its transaction open until the second has
created its order: were the code taken under a row lock (a 'no_gap' sequence), the second would wait for the first's
commit, hit its lock timeout and fail the test.
"""

import threading
import uuid

import pytest

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

WAIT = 30  # seconds a worker waits for the other before the test fails


@pytest.fixture
def registry():
    return Registry(config["db_name"])


@pytest.fixture
def rush_world(registry):
    suffix = uuid.uuid4().hex[:6].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"Rush Co {suffix}"})
        env = env(context={"allowed_company_ids": [company.id]})
        special_type = env["oms.special.order.type"].create(
            {"name": "Rush", "code": f"R{suffix}", "company_id": company.id, "priority": True}
        )
        customer = env["res.partner"].create({"name": f"Impatient customer {suffix}"})
        ids = {"company": company.id, "type": special_type.id, "customer": customer.id, "orders": []}
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
        env["sale.order"].browse(ids["orders"])._action_cancel()
        env["res.company"].browse(ids["company"]).active = False


def _create_in_own_worker(registry, world, created, wait_for, results, errors):
    """Create a special order in a transaction of its own, signal it, and commit only once `wait_for` is set."""
    try:
        with registry.cursor() as cr:
            # A worker that has to wait for the other's lock fails here instead of hanging.
            cr.execute("SET LOCAL lock_timeout = %s", (f"{WAIT}s",))
            env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [world["company"]]})
            order = env["sale.order"].create(
                {
                    "partner_id": world["customer"],
                    "company_id": world["company"],
                    "oms_special_type_id": world["type"],
                }
            )
            results[order.id] = order.oms_special_code
            created.set()
            if wait_for is not None and not wait_for.wait(timeout=WAIT):
                errors.append("the other worker never created its order while this one's was not committed")
    except Exception as error:  # noqa: BLE001 - handed to the main thread
        errors.append(error)
        created.set()


def test_two_workers_creating_special_orders_at_once_get_distinct_codes_without_waiting(registry, rush_world):
    first_created, second_created = threading.Event(), threading.Event()
    results, errors = {}, []
    first = threading.Thread(
        target=_create_in_own_worker, args=(registry, rush_world, first_created, second_created, results, errors)
    )
    second = threading.Thread(
        target=_create_in_own_worker, args=(registry, rush_world, second_created, None, results, errors)
    )
    first.start()
    assert first_created.wait(timeout=WAIT), "the first worker could not create its order"
    # The first worker's transaction is still open: the second creates its order (and commits) meanwhile.
    second.start()
    second.join(timeout=2 * WAIT)
    first.join(timeout=2 * WAIT)
    rush_world["orders"].extend(results)
    assert not errors, errors
    assert not first.is_alive() and not second.is_alive()
    codes = list(results.values())
    assert len(codes) == 2 and len(set(codes)) == 2, codes
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [rush_world["company"]]})
        orders = env["sale.order"].browse(list(results))
        assert sorted(orders.mapped("oms_special_code")) == sorted(codes), "both orders were committed"
        numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
        assert numbers == [1, 2], "the type's first two codes"
