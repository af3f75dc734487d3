"""Routing benchmark, three figures:

1. the engine alone (``route_order``) per order, 10 warehouses x 20 lines (goal: 5 ms or less);
2. the batch optimiser (``allocate_optimal``) on 1,000 orders x 10 warehouses x 30 products with scarce stock
   (goal: 5 s or less), with how many orders it serves against first come, first served;
3. ``action_confirm`` with routing against plain Odoo ``action_confirm`` of the same orders in the same run and
   database (goal: ratio 0.9 or more). The orders are alike in both paths (customers at the same addresses, same
   products and quantities); the plain ones have no routing strategy and are confirmed from the warehouse routing
   chose for their twin, so both paths make the same deliveries. Every warehouse has stock, so no order is split:
   the figure is routing's own cost (scoring, the stock lock, the stored decision and its note). The two paths
   alternate round by round so that neither gets the warmer caches or the emptier tables.

    .venv/bin/python bench/routing.py --config .local/odoo-bench.conf --database oms_bench [--orders 300]

(``scripts/bench.sh routing`` makes the database and runs it.) Data are generated with a fixed seed.
"""

import argparse
import random
import sys
import time

from support.twin_world import WAREHOUSE_CITIES, twin_world

SEED = 42


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--orders", type=int, default=300, help="orders per path for the confirm figure")
    parser.add_argument("--engine-orders", type=int, default=500, help="orders routed by the engine alone")
    parser.add_argument("--batch-orders", type=int, default=1000, help="orders of the batch optimiser")
    parser.add_argument("--round", type=int, default=50, help="orders per round of each path")
    return parser.parse_args(argv)


def random_orders(rng, count, products, line_count, max_quantity):
    """Orders to addresses anywhere in Iberia, of line_count() distinct products each."""
    from odoo.addons.oms_intelligent.services.geo import Location
    from odoo.addons.oms_intelligent.services.routing import Line, Order

    return [
        Order(
            order_id=number,
            company_id=1,
            destination=Location(rng.uniform(36.5, 43.5), rng.uniform(-9, 3), "ES"),
            lines=tuple(
                Line(line_id=number * 100 + position, product_id=product, quantity=rng.randint(1, max_quantity))
                for position, product in enumerate(rng.sample(products, line_count()))
            ),
        )
        for number in range(count)
    ]


def engine_figure(rng, count):
    from odoo.addons.oms_intelligent.services.geo import Location
    from odoo.addons.oms_intelligent.services.routing import (
        Candidate,
        ShippingRates,
        Strategy,
        route_order,
    )

    candidates = [
        Candidate(
            warehouse_id=index + 1,
            name=name,
            location=Location(lat, lon, "ES"),
            company_id=1,
            atp={product: rng.choice((0, 0, 3, 10, 50)) for product in range(1, 201)},
            priority=rng.randint(0, 20),
            capacity_left=rng.choice((None, 50, 500)),
            handling_cost=rng.uniform(0.5, 2),
        )
        for index, (name, lat, lon) in enumerate(WAREHOUSE_CITIES)
    ]
    orders = random_orders(rng, count, range(1, 201), lambda: 20, max_quantity=4)
    rates = ShippingRates(per_shipment=4.5, per_km=0.012)
    results = []
    for policy in ("never", "when_needed", "minimise_cost"):
        strategy = Strategy(split_policy=policy, split_penalty=6.0, max_shipments=3)
        started = time.perf_counter()
        for order in orders:
            route_order(order, candidates, strategy, rates)
        results.append((policy, (time.perf_counter() - started) * 1000 / count))
    return results


def batch_figure(rng, count):
    from odoo.addons.oms_intelligent.services.allocation import allocate_greedy, allocate_optimal, shipping_costs
    from odoo.addons.oms_intelligent.services.geo import Location
    from odoo.addons.oms_intelligent.services.routing import Candidate, ShippingRates

    products = range(1, 31)
    candidates = [
        Candidate(warehouse_id=index + 1, name=name, location=Location(lat, lon, "ES"), company_id=1)
        for index, (name, lat, lon) in enumerate(WAREHOUSE_CITIES)
    ]
    orders = random_orders(rng, count, products, lambda: rng.randint(1, 3), max_quantity=3)
    demand = {product: 0 for product in products}
    for order in orders:
        for line in order.lines:
            demand[line.product_id] += line.quantity
    # Half of the products are short by 10 to 60 %, each stocked in 2 to 6 of the warehouses.
    stock = {}
    for product in products:
        total = demand[product] * (rng.uniform(0.4, 0.9) if product % 2 else 1.3)
        holders = rng.sample(candidates, rng.randint(2, 6))
        for holder in holders:
            stock[product, holder.warehouse_id] = round(total / len(holders))
    costs = shipping_costs(orders, candidates, ShippingRates(per_shipment=4.5, per_km=0.012))
    started = time.perf_counter()
    optimal = allocate_optimal(orders, stock, costs)
    optimal_seconds = time.perf_counter() - started
    greedy = allocate_greedy(orders, stock, costs)
    return optimal_seconds, optimal, greedy


def confirm_figure(env, rng, count, round_size):
    world = twin_world(env, rng, {True: "Routed", False: "Plain"}, lambda index: {"list_price": 10})
    strategy, products, customers = world["strategy"], world["products"], world["customers"]
    env.cr.commit()

    def make_orders(routed):
        orders_rng = random.Random(SEED)
        return env["sale.order"].create(
            [
                {
                    "partner_id": orders_rng.choice(customers[routed]).id,
                    "oms_routing_strategy_id": strategy.id if routed else False,
                    "oms_workflow_id": False,  # confirmed here by hand, whatever the company's default workflow
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": orders_rng.randint(1, 4)})
                        for product in orders_rng.sample(products, 3)
                    ],
                }
                for _ in range(count)
            ]
        )

    routed_orders, plain_orders = make_orders(True), make_orders(False)
    env.cr.commit()
    elapsed = {True: 0.0, False: 0.0}
    for start in range(0, count, round_size):
        for routed, orders in ((True, routed_orders), (False, plain_orders)):
            batch = orders[start : start + round_size]
            if not routed:
                # Each plain twin ships from the warehouse routing chose for its order: both paths then make the
                # same deliveries, and the difference is routing's own cost.
                for plain, twin in zip(batch, routed_orders[start : start + round_size], strict=True):
                    plain.warehouse_id = twin.warehouse_id
                env.cr.commit()
            started = time.perf_counter()
            for order in batch:
                order.action_confirm()
            env.cr.commit()
            elapsed[routed] += time.perf_counter() - started
    assert set((routed_orders | plain_orders).mapped("state")) == {"sale"}, "every order is confirmed, none held"
    assert all(routed_orders.mapped("oms_routing_decision_id")), "every routed order has its decision"
    assert not any(plain_orders.mapped("oms_routing_decision_id")), "plain orders are not routed"
    return count / elapsed[True], count / elapsed[False]


def main(argv):
    args = parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(SEED)
    for policy, milliseconds in engine_figure(rng, args.engine_orders):
        print(
            f"routing engine ({policy}): {milliseconds:.2f} ms per order, 10 warehouses x 20 lines "
            f"(goal <= 5 ms) on {args.engine_orders} orders"
        )
    seconds, optimal, greedy = batch_figure(rng, args.batch_orders)
    print(
        f"batch allocation: {seconds:.2f} s for {args.batch_orders:,} orders x 10 warehouses x 30 products "
        f"(goal <= 5 s), {optimal.served_count} orders served complete vs first come first served "
        f"{greedy.served_count} ({optimal.solver_status})"
    )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        routed, plain = confirm_figure(env, rng, args.orders, args.round)
    print(
        f"confirm with routing: {routed:.1f} orders/s vs plain Odoo action_confirm {plain:.1f} orders/s "
        f"(ratio {routed / plain:.2f}, goal >= 0.9) on {args.orders:,} orders x 3 lines, 5 warehouses"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
