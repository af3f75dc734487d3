"""Two Odoo workers pulling the same channel at once import every order exactly once.

Each worker has its own database cursor and commits for real, as two cron workers do; the data lives in a
company of its own, archived afterwards, so the other tests do not see it.
"""

import threading
import uuid

import pytest

from odoo import SUPERUSER_ID, api
from odoo.addons.oms_channels.stand_ins.marketplace import LocalMarketplace
from odoo.addons.oms_channels.stand_ins.orders import make_order
from odoo.modules.registry import Registry
from odoo.tools import config

ORDER_COUNT = 40
NEW_CUSTOMER_ORDERS = 120  # more than two import batches, so that both workers take some


@pytest.fixture
def registry():
    return Registry(config["db_name"])


@pytest.fixture
def market():
    with LocalMarketplace(api_key="race-key") as server:
        yield server


@pytest.fixture
def race_channel(registry, market):
    suffix = uuid.uuid4().hex[:6].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"Race Co {suffix}", "currency_id": env.ref("base.EUR").id})
        env.ref("base.EUR").active = True
        pricelist = env["product.pricelist"].create(
            {"name": f"Race {suffix}", "currency_id": env.ref("base.EUR").id, "company_id": company.id}
        )
        product = env["product.product"].create(
            {
                "name": f"Race item {suffix}",
                "default_code": f"RACE-{suffix}",
                "is_storable": True,
                "company_id": company.id,
            }
        )
        channel = env["oms.channel"].create(
            {
                "name": f"Race market {suffix}",
                "code": f"RACE-{suffix}",
                "connector": "rest",
                "kind": "marketplace",
                "company_id": company.id,
                "pricelist_id": pricelist.id,
                "endpoint_url": market.url,
                "api_key": "race-key",
            }
        )
        ids = {"company": company.id, "channel": channel.id, "sku": product.default_code}
    market.add_orders(
        [
            make_order(
                f"RACE-{suffix}-{number:03d}",
                lines=[{"sku": ids["sku"], "quantity": 1, "unit_price": 10}],
                shipping=None,
                updated_at=f"2026-11-22T10:{number:02d}:00Z",
            )
            for number in range(ORDER_COUNT)
        ]
    )
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        orders = env["sale.order"].search([("oms_channel_id", "=", ids["channel"])])
        orders._action_cancel()
        env["oms.channel"].browse(ids["channel"]).active = False
        env["res.company"].browse(ids["company"]).active = False


def _run_in_two_workers(registry, job):
    """Runs job(env) in two threads, each with its own cursor, started together; re-raises their errors."""
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait(timeout=30)
                job(env)
        except Exception as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors


def _counts(registry, channel_id):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*), count(DISTINCT oms_channel_ref) FROM sale_order WHERE oms_channel_id = %s", (channel_id,)
        )
        orders, distinct_refs = cr.fetchone()
        cr.execute("SELECT state, count(*) FROM oms_channel_order WHERE channel_id = %s GROUP BY state", (channel_id,))
        return orders, distinct_refs, dict(cr.fetchall())


def test_two_cron_runs_at_once_on_the_same_channel_import_each_order_once(registry, race_channel):
    _run_in_two_workers(registry, lambda env: env["oms.channel"].browse(race_channel["channel"])._sync_orders())
    assert _counts(registry, race_channel["channel"]) == (ORDER_COUNT, ORDER_COUNT, {"imported": ORDER_COUNT})


def test_two_workers_receiving_the_same_orders_without_the_channel_lock_import_each_once(
    registry, market, race_channel
):
    """Even past the per-channel lock (a webhook and a pull at once), staging and import stay exactly-once."""

    def receive_and_import(env):
        channel = env["oms.channel"].browse(race_channel["channel"])
        staging = env["oms.channel.order"]
        staging._receive(channel, [dict(order) for order in market.orders])
        env.cr.commit()
        staging._import_pending(channel)

    _run_in_two_workers(registry, receive_and_import)
    assert _counts(registry, race_channel["channel"]) == (ORDER_COUNT, ORDER_COUNT, {"imported": ORDER_COUNT})


def test_two_import_workers_create_each_new_customer_once(registry, race_channel):
    """Staged orders of the same new customers, imported by two workers at once: one customer each, not two."""
    suffix = race_channel["sku"].lower()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        channel = env["oms.channel"].browse(race_channel["channel"])
        payloads = [
            make_order(
                f"NEWCUST-{suffix}-{number:03d}",
                lines=[{"sku": race_channel["sku"], "quantity": 1, "unit_price": 10}],
                shipping=None,
                customer={"name": f"New {number % 8}", "email": f"new.{number % 8}.{suffix}@example.com"},
            )
            for number in range(NEW_CUSTOMER_ORDERS)
        ]
        # Interleaved, so that both workers' first batches hold orders of every customer.
        env["oms.channel.order"]._receive(channel, payloads, source="webhook")
    _run_in_two_workers(registry, lambda env: env["oms.channel.order"]._import_pending())
    with registry.cursor() as cr:
        cr.execute(
            "SELECT email, count(*) FROM res_partner WHERE email LIKE %s AND parent_id IS NULL GROUP BY email",
            (f"new.%.{suffix}@example.com",),
        )
        created = dict(cr.fetchall())
        cr.execute(
            "SELECT state, count(*) FROM oms_channel_order WHERE external_ref LIKE %s GROUP BY state",
            (f"NEWCUST-{suffix}-%",),
        )
        states = dict(cr.fetchall())
    assert states == {"imported": NEW_CUSTOMER_ORDERS}
    assert len(created) == 8 and set(created.values()) == {1}, created
