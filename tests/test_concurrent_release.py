"""Two people releasing the same operation type at once never put a transfer in two batches.

Each worker has its own cursor and commits for real. The first worker holds the ready transfers (its transaction
is still open) when the second one releases: the second skips them instead of batching them again.
"""

import threading
import uuid

import pytest

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

READY = 6


@pytest.fixture
def registry():
    return Registry(config["db_name"])


@pytest.fixture
def ready_world(registry):
    suffix = uuid.uuid4().hex[:6].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"Release Co {suffix}"})
        env = env(context={"allowed_company_ids": [company.id]})
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        out_type = warehouse.out_type_id
        out_type.write({"oms_picking_method": "batch", "oms_batch_size": 2})
        product = env["product.product"].create({"name": f"Ready {suffix}", "is_storable": True})
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
        customers = env.ref("stock.stock_location_customers")
        pickings = env["stock.picking"].create(
            [
                {
                    "picking_type_id": out_type.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "move_ids": [(0, 0, {"name": product.name, "product_id": product.id, "product_uom_qty": 1})],
                }
                for _ in range(READY)
            ]
        )
        pickings.action_confirm()
        pickings.action_assign()
        ids = {"company": company.id, "type": out_type.id, "pickings": pickings.ids}
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
        env["stock.picking"].browse(ids["pickings"]).action_cancel()
        env["res.company"].browse(ids["company"]).active = False


def test_a_second_release_skips_the_transfers_the_first_one_holds(registry, ready_world):
    first_holds = threading.Event()
    second_done = threading.Event()
    errors, second_released = [], []

    def first_worker():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ready_world["company"]]})
                picking_type = env["stock.picking.type"].browse(ready_world["type"])
                locked = picking_type._oms_lock_ready_pickings()
                assert len(locked) == READY
                first_holds.set()
                second_done.wait(timeout=60)
                picking_type._oms_release()
        except Exception as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)
            first_holds.set()

    def second_worker():
        try:
            first_holds.wait(timeout=60)
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ready_world["company"]]})
                second_released.extend(env["stock.picking.type"].browse(ready_world["type"])._oms_release().ids)
        except Exception as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)
        finally:
            second_done.set()

    threads = [threading.Thread(target=first_worker), threading.Thread(target=second_worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert second_released == [], "the second release found nothing free to release"
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ready_world["company"]]})
        pickings = env["stock.picking"].browse(ready_world["pickings"])
        assert all(pickings.mapped("batch_id")), "the first release batched them all"
        batches = pickings.batch_id
        assert len(batches) == READY // 2
        assert sum(len(batch.picking_ids) for batch in batches) == READY, "each transfer in one batch only"
