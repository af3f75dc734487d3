"""Lifecycle benchmark: consumer orders taken through the OMS lifecycle a batch at a time, as an import worker takes
the batch it claimed (``sale.order._oms_process`` on the batch: the company's policies, then the workflow "pay, ship,
invoice": one confirmation with routing first, one invoicing, posting and payment registration of the channel's
payments for the whole batch), against plain Odoo doing the same to the same orders one at a time, as a person or a
plain script does, in the same run and database: ``action_confirm``, ``_create_invoices``, ``action_post`` and
``account.payment.register`` in the same bank journal (goal: ratio 1.2 or more).

- OMS orders: customers are individuals (B2C); the company's default B2C workflow requires payment, confirms by
  itself and invoices on payment; ``oms_paid_on_channel`` is set (the channel collected the payment); each order has
  a routing strategy as in bench/routing.py. The company's policies are active: payment (B2C), credit (B2B, out of
  scope for these customers but looked at), billing and delivery countries differ, and a condition policy that tags
  orders above LARGE_ORDER.
- Plain orders are twins: customers at the same addresses (own partner records: Odoo auto-batches deliveries per
  customer, and shared customers would let one path join the batches the other created), the same products,
  quantities and prices, shipping from the warehouse routing chose for the twin, no routing strategy and no
  workflow (``oms_workflow_id`` set to False explicitly, else the company's default would be computed).
- The addons are installed in the same database, so plain orders go through the OMS ``action_confirm`` override
  too. The company's policies are what OMS adds, so they are archived before each plain round and restored before
  each OMS round, outside the timed part: the simplest fair choice (a second company would need its own chart of
  accounts, journals, warehouses and stock, and would measure a different company). What the override still does
  for plain orders (an empty policy search, ``oms_validated``, looking for a default strategy, the stored OMS
  status) counts in plain Odoo's time, so the ratio is, if anything, a little flattering.
- Method: a warm-up round of WARMUP orders per path (untimed), then rounds of ``--round`` orders; each round the
  OMS path takes its orders, then plain Odoo takes their twins (which need the warehouse routing chose), each round
  committed, so that neither path gets the warmer caches or the emptier tables. Time is ``time.perf_counter()``
  around the loop and its commit; SQL queries are counted with ``odoo.sql_db.sql_counter``. Both paths must end with
  the same confirmed orders, deliveries, posted invoices and paid amounts (checked at the end).

    .venv/bin/python bench/lifecycle.py --config .local/odoo-bench.conf --database oms_bench [--orders 500]

(``scripts/bench.sh lifecycle`` makes the database and runs it.) Data are generated with a fixed seed.
"""

import argparse
import random
import statistics
import sys
import time

from support.twin_world import twin_world

SEED = 42
LARGE_ORDER = 500.0  # the condition policy tags orders above this total
CONDITION_POLICY = "Bench: large order"
WARMUP = 5  # untimed orders of each path first: registry, caches and prepared paths warm for both


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--orders", type=int, default=500, help="orders per path")
    parser.add_argument("--round", type=int, default=50, help="orders per round of each path")
    args = parser.parse_args(argv)
    if args.orders < 1 or args.round < 1:
        parser.error("--orders and --round must be positive")
    return args


def prepare(env, rng):
    """Warehouses, stock, customers, the B2C workflow, the policies and a routing strategy."""
    company = env.company
    assert not env["oms.routing.strategy"]._default_for(
        company
    ), "the company has a default routing strategy: plain orders would be routed"
    world = twin_world(
        env,
        rng,
        {True: "Lifecycle", False: "Plain"},
        lambda index: {"invoice_policy": "order", "list_price": round(rng.uniform(5, 150), 2)},
    )
    workflow, was_default = _b2c_workflow(env)
    journal = workflow._payment_journal()
    assert journal, "the company has a bank journal for the channel's payments"
    policies, condition = _policies(env)
    env.cr.commit()
    return {
        **world,
        "workflow": workflow,
        "was_default": was_default,
        "journal": journal,
        "policies": policies,
        "tag": condition.tag_ids,
    }


def _b2c_workflow(env):
    """The company's default B2C workflow, made "pay, ship, invoice" and the default for the run only (see
    lifecycle_figure's end); (workflow, whether it was the default before)."""
    workflow = env["oms.order.workflow"].search(
        [("company_id", "=", env.company.id), ("customer_type", "=", "b2c"), ("is_default", "=", True)], limit=1
    ) or env.ref("oms_intelligent.workflow_b2c")
    was_default = workflow.is_default
    workflow.write(
        {
            "active": True,
            "is_default": True,
            "require_payment": True,
            "auto_confirm": True,
            "send_quotation": False,
            "invoice_policy": "on_payment",
        }
    )
    return workflow, was_default


def _policies(env):
    """The payment, credit and fraud policies and a condition policy tagging large orders, all active; (the
    company's policies, the condition policy)."""
    company = env.company
    Policy = env["oms.order.policy"].with_context(active_test=False)
    builtin = env.ref("oms_intelligent.policy_payment") | env.ref("oms_intelligent.policy_credit")
    builtin |= env.ref("oms_intelligent.policy_fraud")
    condition = Policy.search([("company_id", "=", company.id), ("name", "=", CONDITION_POLICY)], limit=1)
    if not condition:
        tag = env["crm.tag"].create({"name": "Large order"})
        condition = Policy.create(
            {
                "name": CONDITION_POLICY,
                "sequence": 40,
                "company_id": company.id,
                "check": "condition",
                "domain": f"[('amount_total', '>', {LARGE_ORDER})]",
                "action": "tag",
                "tag_ids": [(6, 0, tag.ids)],
            }
        )
    (builtin | condition).active = True  # a run stopped during a plain round left them archived
    policies = env["oms.order.policy"].search([("company_id", "=", company.id)])
    assert set(policies.mapped("check")) >= {"payment", "credit", "fraud", "condition"}, "the policies are active"
    return policies, condition


def make_orders(env, world, oms, count):
    """The same orders for both paths (same seed): the OMS ones paid on the channel, with a routing strategy and
    the default workflow; the plain ones without any of these."""
    orders_rng = random.Random(SEED)
    return env["sale.order"].create(
        [
            {
                "partner_id": orders_rng.choice(world["customers"][oms]).id,
                "oms_routing_strategy_id": world["strategy"].id if oms else False,
                "oms_paid_on_channel": oms,
                **({} if oms else {"oms_workflow_id": False}),
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": orders_rng.randint(1, 4)})
                    for product in orders_rng.sample(world["products"], 3)
                ],
            }
            for _ in range(count)
        ]
    )


def plain_lifecycle(order, journal):
    """What plain Odoo does for a paid order to end confirmed, invoiced and paid."""
    order.action_confirm()
    invoices = order._create_invoices(final=True)
    invoices.action_post()
    order.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoices.ids).create(
        {"journal_id": journal.id, "communication": order.client_order_ref or order.name}
    )._create_payments()


def timed(env, work):
    """Seconds and SQL queries of work() and its commit."""
    import odoo.sql_db

    queries = odoo.sql_db.sql_counter
    started = time.perf_counter()
    work()
    env.cr.commit()
    return time.perf_counter() - started, odoo.sql_db.sql_counter - queries


def lifecycle_figure(env, rng, count, round_size):
    world = prepare(env, rng)
    oms_orders, plain_orders = (
        make_orders(env, world, True, WARMUP + count),
        make_orders(env, world, False, WARMUP + count),
    )
    env.cr.commit()
    assert oms_orders.oms_workflow_id == world["workflow"], "OMS orders follow the company's default B2C workflow"
    assert not plain_orders.oms_workflow_id, "plain orders have no workflow"
    policies, journal = world["policies"], world["journal"]
    seconds = {True: [], False: []}
    queries = {True: 0, False: 0}
    # A warm-up round of WARMUP orders (untimed), then rounds of round_size orders.
    rounds = [(0, WARMUP, False)] + [
        (start, start + round_size, True) for start in range(WARMUP, WARMUP + count, round_size)
    ]
    for start, end, counted in rounds:
        oms_batch, plain_batch = oms_orders[start:end], plain_orders[start:end]
        policies.active = True
        env.cr.commit()
        elapsed, count_sql = timed(env, lambda batch=oms_batch: batch._oms_process())
        if counted:
            seconds[True].append(elapsed)
            queries[True] += count_sql
        # Each plain twin ships from the warehouse routing chose for its order; plain Odoo has no policies.
        for plain, twin in zip(plain_batch, oms_batch, strict=True):
            plain.warehouse_id = twin.warehouse_id
        policies.active = False
        env.cr.commit()
        elapsed, count_sql = timed(env, lambda batch=plain_batch: [plain_lifecycle(order, journal) for order in batch])
        if counted:
            seconds[False].append(elapsed)
            queries[False] += count_sql
    policies.active = True
    tagged = check(oms_orders, plain_orders, world)
    # Leave the company as it was: the next benchmark's consumer orders must not follow this workflow.
    world["workflow"].is_default = world["was_default"]
    env.cr.commit()
    return seconds, queries, tagged


def check(oms_orders, plain_orders, world):
    """Both paths did the same work; the OMS one through its workflow. Returns how many orders the policy tagged."""
    for orders in (oms_orders, plain_orders):
        orders.invalidate_recordset()
    assert all(order.state == "sale" for order in oms_orders), "every OMS order is confirmed"
    assert all(oms_orders.mapped("oms_routing_decision_id")), "every OMS order is routed"
    assert not any(oms_orders.mapped("oms_on_hold")), "no OMS order is on hold"
    assert not oms_orders.oms_hold_ids, "no policy held an OMS order"
    assert all(plain_orders.mapped("state")) and set(plain_orders.mapped("state")) == {"sale"}, "plain confirmed"
    assert not any(plain_orders.mapped("oms_routing_decision_id")), "plain orders are not routed"
    assert not plain_orders.oms_workflow_id, "plain orders have no workflow"
    for oms, plain in zip(oms_orders, plain_orders, strict=True):
        for order in (oms, plain):
            invoices = order.invoice_ids
            assert len(invoices) == 1 and invoices.state == "posted", f"{order.name} has one posted invoice"
            assert invoices.payment_state in ("paid", "in_payment"), f"{order.name}'s invoice is paid"
            assert invoices.amount_total == order.amount_total, f"{order.name} is invoiced in full"
            assert len(order.order_line.warehouse_id) == 1, f"{order.name} ships from one warehouse"
        assert oms.amount_total == plain.amount_total, f"{oms.name} and its twin {plain.name} have the same total"
        assert oms.order_line.warehouse_id == plain.order_line.warehouse_id, f"{oms.name}'s twin ships from there too"
        assert len(oms.picking_ids) == len(plain.picking_ids) == 1, f"{oms.name} and its twin have one delivery each"
        assert oms.picking_ids.move_ids.mapped("product_uom_qty") == plain.picking_ids.move_ids.mapped(
            "product_uom_qty"
        ), f"{oms.name} and its twin deliver the same"
        oms_paid = sum(oms.invoice_ids._get_reconciled_payments().mapped("amount"))
        plain_paid = sum(plain.invoice_ids._get_reconciled_payments().mapped("amount"))
        assert oms_paid == plain_paid == oms.amount_total, f"{oms.name} and its twin were paid the same"
    large = oms_orders.filtered(lambda order: order.amount_total > LARGE_ORDER)
    assert all(world["tag"] <= order.tag_ids for order in large), "the condition policy tagged the large orders"
    assert not (plain_orders.tag_ids & world["tag"]), "plain orders went through no policy"
    return len(large)


def main(argv):
    args = parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(SEED)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seconds, queries, tagged = lifecycle_figure(env, rng, args.orders, args.round)
    oms_rate, plain_rate = args.orders / sum(seconds[True]), args.orders / sum(seconds[False])
    round_ratios = [plain / oms for oms, plain in zip(seconds[True], seconds[False], strict=True)]
    print(
        f"lifecycle: {oms_rate:.1f} orders/s vs plain Odoo confirm+invoice {plain_rate:.1f} orders/s "
        f"(ratio {oms_rate / plain_rate:.2f}, goal >= 1.2) on {args.orders:,} orders x 3 lines"
    )
    print(
        f"lifecycle: {queries[True] / args.orders:.1f} SQL queries/order vs plain Odoo confirm+invoice "
        f"{queries[False] / args.orders:.1f} SQL queries/order"
    )
    print(
        f"lifecycle: {sum(seconds[True]):.1f} s vs {sum(seconds[False]):.1f} s in {len(round_ratios)} rounds of "
        f"{args.round} orders taken in turns; ratio per round: median {statistics.median(round_ratios):.2f}, "
        f"{min(round_ratios):.2f} to {max(round_ratios):.2f}"
    )
    print(
        f"lifecycle: checked: {args.orders:,} orders confirmed, routed, invoiced and paid in both paths, none held, "
        f"{tagged} tagged as large orders by the condition policy"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
