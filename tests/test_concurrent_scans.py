"""Two packers scanning the same delivery at once never count more than was ordered, and the note that packing is
complete is written once.

Each scan is its own transaction, as each scan of the packing screen is its own request; both packers start each
round together. A scan locks all the delivery's move rows, so a packer who loses the race waits, then gets a
serialization failure and scans again (as Odoo's HTTP workers retry), and sees what the other counted, on their
line and on every other line (else two packers finishing two different lines would each see the other's unfinished).
"""

import threading
import uuid

import psycopg2
import pytest

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

ORDERED = 3


@pytest.fixture
def registry():
    return Registry(config["db_name"])


def _reserved_delivery(env, warehouse, products):
    """A delivery of ORDERED units of each product, its stock reserved."""
    customers = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": ORDERED,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                    },
                )
                for product in products
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    return picking


@pytest.fixture
def delivery(registry):
    suffix = uuid.uuid4().hex[:8].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"Packing Race {suffix}"})
        env = env(context={"allowed_company_ids": [company.id]})
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        warehouse.out_type_id.oms_scan_required = True
        products = env["product.product"].create(
            [
                {
                    "name": f"{name} {suffix}",
                    "barcode": f"{name}{suffix}",
                    "is_storable": True,
                    "company_id": company.id,
                }
                for name in ("MUG", "BOWL")
            ]
        )
        for product in products:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        picking = _reserved_delivery(env, warehouse, products)
        ids = {"company": company.id, "picking": picking.id, "barcodes": products.mapped("barcode")}
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
        env["stock.picking"].browse(ids["picking"]).action_cancel()
        env["res.company"].browse(ids["company"]).active = False


def _packer(registry, ids, barcode, rounds, barrier, answers, errors):
    try:
        for _round in range(rounds):
            for attempt in range(10):
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
                        picking = env["stock.picking"].browse(ids["picking"])
                        picking.state  # noqa: B018 - start the transaction before both go
                        if attempt == 0:
                            barrier.wait(timeout=30)
                        answer = picking.oms_scan(barcode)
                    answers.append(answer["accepted"])
                    break
                except psycopg2.errors.SerializationFailure:
                    continue
            else:
                errors.append("a scan could not be judged in 10 attempts")
    except Exception as error:  # noqa: BLE001 - handed to the main thread
        errors.append(error)


def _race(registry, delivery, barcodes, rounds):
    barrier = threading.Barrier(len(barcodes))
    answers, errors = [], []
    threads = [
        threading.Thread(target=_packer, args=(registry, delivery, barcode, rounds, barrier, answers, errors))
        for barcode in barcodes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    return answers


def _packed(registry, delivery):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [delivery["company"]]})
        picking = env["stock.picking"].browse(delivery["picking"])
        notes = [body for body in picking.message_ids.mapped("body") if "Packed by" in body]
        return picking.move_ids.mapped("oms_scanned_qty"), picking.oms_scan_refused_count, notes


def test_two_packers_scanning_the_same_line_never_count_more_than_ordered(registry, delivery):
    mug, bowl = delivery["barcodes"]
    answers = _race(registry, delivery, [mug, mug], ORDERED)
    assert sorted(answers) == [False] * ORDERED + [True] * ORDERED, "each mug is counted once, the extra refused"
    scanned, refused, _notes = _packed(registry, delivery)
    assert scanned == [ORDERED, 0]
    assert refused == ORDERED


def test_two_packers_finishing_two_lines_at_once_write_one_packed_note(registry, delivery):
    mug, bowl = delivery["barcodes"]
    answers = _race(registry, delivery, [mug, bowl], ORDERED + 1)
    assert sorted(answers) == [False] * 2 + [True] * 2 * ORDERED
    scanned, refused, notes = _packed(registry, delivery)
    assert scanned == [ORDERED, ORDERED]
    assert refused == 2
    assert len(notes) == 1, notes
    assert f"{2 * ORDERED} items scanned" in notes[0]
