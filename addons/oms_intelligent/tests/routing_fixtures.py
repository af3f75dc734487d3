"""The demo world of the routing engine's plain tests: four warehouses, two customers, the tariff."""

from odoo.addons.oms_intelligent.services.geo import Location
from odoo.addons.oms_intelligent.services.routing import (
    Candidate,
    Line,
    Order,
    ShippingRates,
    Strategy,
    Weights,
)

COMPANY_ID = 1


# The demo warehouses' coordinates.
MADRID = Location(40.3585, -3.6948, "ES", "M")


BARCELONA = Location(41.3369, 2.1322, "ES", "B")


SEVILLA = Location(37.4061, -5.9392, "ES", "SE")


LISBOA = Location(38.7468, -9.1037, "PT")


CUSTOMER_IN_SEVILLA = Location(37.3891, -5.9845, "ES", "SE")


CUSTOMER_IN_TOULOUSE = Location(43.6047, 1.4442, "FR", "31")


RATES = ShippingRates(per_shipment=4.0, per_km=0.01)


# Distance first; stock still counts so that a warehouse holding nothing never looks best.
NEAREST_FIRST = Strategy(weights=Weights(distance=5, cost=0, coverage=1, priority=0, capacity=0))


def warehouse(warehouse_id: int, name: str, location: Location, atp: dict | None = None, **fields) -> Candidate:
    return Candidate(warehouse_id, name, location, fields.pop("company_id", COMPANY_ID), atp=atp or {}, **fields)


def line(line_id: int, product_id: int, quantity: float, **fields) -> Line:
    return Line(line_id, product_id, quantity, label=f"OMS-{product_id:03d}", **fields)


def order(*lines: Line, destination: Location = CUSTOMER_IN_SEVILLA) -> Order:
    return Order(order_id=100, company_id=COMPANY_ID, destination=destination, lines=lines)


def the_four(atp: dict | None = None, **fields) -> list[Candidate]:
    """The demo's four warehouses, all holding ``atp``."""
    return [
        warehouse(1, "Madrid", MADRID, atp, **fields),
        warehouse(2, "Barcelona", BARCELONA, atp, **fields),
        warehouse(3, "Sevilla", SEVILLA, atp, **fields),
        warehouse(4, "Lisboa", LISBOA, atp, **fields),
    ]


def score_of(decision, warehouse_id):
    return next(score for score in decision.scores if score.warehouse_id == warehouse_id)


def shipped(decision) -> dict[tuple[int, int], float]:
    return {(a.line_id, a.warehouse_id): a.quantity for a in decision.assignments}
