"""Two requests buying the label of the same delivery at once (two packers, a double click on Buy Label, two workers
validating) buy one label at the carrier, not two.

Each buyer is its own transaction, as each click is its own request; both start together. The first locks the
delivery's row before asking the carrier; the second waits, then gets a serialization failure and is retried (as
Odoo's HTTP workers retry), and finds the label bought. The carrier is the local REST stand-in, which, like most
carriers, labels every shipment it is sent: a second request would be a second label, paid for.
"""

import threading
import uuid

import psycopg2
import pytest

from odoo import SUPERUSER_ID, Command, api
from odoo.addons.oms_fulfillment.stand_ins.rest_carrier import LocalRestCarrier
from odoo.modules.registry import Registry
from odoo.tools import config


@pytest.fixture
def registry():
    return Registry(config["db_name"])


@pytest.fixture
def carrier_server():
    with LocalRestCarrier(
        api_key="race-key", account="ACC-RACE", base_price=2.0, price_per_kg=0.5, prefix="RACE"
    ) as server:
        yield server


def _race_carrier(env, company, server, suffix):
    return env["delivery.carrier"].create(
        {
            "name": f"Race REST {suffix}",
            "delivery_type": "oms_rest",
            "company_id": company.id,
            "product_id": env["product.product"].create({"name": "Race shipping", "type": "service"}).id,
            "oms_service_url": server.url,
            "oms_api_key": "race-key",
            "oms_account": "ACC-RACE",
        }
    )


def _ready_delivery(env, warehouse, product, carrier):
    """A delivery of one ``product`` to a customer in Madrid, by ``carrier``, its stock reserved."""
    customer = env["res.partner"].create(
        {
            "name": "Race customer",
            "street": "Calle de Serrano 45",
            "zip": "28001",
            "city": "Madrid",
            "country_id": env.ref("base.es").id,
        }
    )
    customers = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": customer.id,
            "carrier_id": carrier.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    return picking


@pytest.fixture
def delivery(registry, carrier_server):
    """A ready delivery of a new company, shipped by the REST carrier; archived afterwards."""
    suffix = uuid.uuid4().hex[:8].upper()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"Label Race {suffix}", "country_id": env.ref("base.es").id})
        env = env(context={"allowed_company_ids": [company.id]})
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        product = env["product.product"].create(
            {"name": f"Race kettle {suffix}", "is_storable": True, "weight": 2.0, "company_id": company.id}
        )
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5)
        carrier = _race_carrier(env, company, carrier_server, suffix)
        picking = _ready_delivery(env, warehouse, product, carrier)
        ids = {"company": company.id, "picking": picking.id, "carrier": carrier.id}
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
        env["stock.picking"].browse(ids["picking"]).action_cancel()
        env["delivery.carrier"].browse(ids["carrier"]).active = False
        env["res.company"].browse(ids["company"]).active = False


def _buyer(registry, ids, barrier, errors):
    try:
        for attempt in range(10):
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [ids["company"]]})
                    picking = env["stock.picking"].browse(ids["picking"])
                    picking.carrier_tracking_ref  # noqa: B018 - start the transaction before both go
                    if attempt == 0:
                        barrier.wait(timeout=30)
                    if picking._oms_needs_label():
                        assert picking.action_oms_buy_label() is True, picking.oms_carrier_error
                return
            except psycopg2.errors.SerializationFailure:
                continue
        errors.append("the label could not be bought in 10 attempts")
    except Exception as error:  # noqa: BLE001 - handed to the main thread
        errors.append(error)


def test_two_requests_buying_the_same_label_at_once_buy_one(registry, delivery, carrier_server):
    barrier = threading.Barrier(2)
    errors = []
    threads = [threading.Thread(target=_buyer, args=(registry, delivery, barrier, errors)) for _buyer_ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(carrier_server.calls("/shipments")) == 1, "one label asked for"
    assert len(carrier_server.shipments) == 1
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [delivery["company"]]})
        picking = env["stock.picking"].browse(delivery["picking"])
        assert picking.carrier_tracking_ref == next(iter(carrier_server.shipments))
        labels = env["ir.attachment"].search([("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)])
        assert labels.mapped("name") == [f"LabelShipping-oms_rest-{picking.carrier_tracking_ref}.pdf"]
