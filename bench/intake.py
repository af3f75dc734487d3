"""Intake benchmark, in three parts (``--parts``, all by default):

- pull: channel orders served by the local REST marketplace, pulled, staged, matched, imported and confirmed end
  to end by ``oms.channel._sync_orders`` (as the cron does), against plain Odoo ``sale.order.create`` +
  ``action_confirm`` of the same orders in the same process and database;
- drain: staged orders imported by one import worker process, then by two at once (``_import_pending()``,
  claiming batches with SKIP LOCKED), in turns;
- webhook: the answer time of signed bodies POSTed over HTTP to an Odoo server on the same database (store first),
  beside Odoo's own version_info route and plain Odoo creating the same order over JSON-RPC;
- platform: per shop platform (``--platform``: Shopify, WooCommerce, Magento 2, PrestaShop, all by default), orders
  in the platform's format served by its stand-in, pulled by a channel of that platform, mapped, imported and
  confirmed as the cron does, against plain Odoo create+confirm of the same orders.

    .venv/bin/python bench/intake.py --config .local/odoo-bench.conf --database oms_bench [--orders 100]

(``scripts/bench.sh intake -- --orders 100`` makes the database and runs it.) See bench/README.md for the data,
the method and what is printed.
"""

import random
import sys
import time

from support.intake import data, world
from support.intake.drain import run_drain
from support.intake.options import parse_args
from support.intake.platform import run_platforms
from support.intake.pull import TimedMarketplace, run_pull
from support.intake.webhook import run_webhook


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv, __doc__)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"], setup_logging=True)
    from odoo.addons.oms_channels.stand_ins.marketplace import LocalMarketplace

    rng = random.Random(data.SEED)
    products, customers, orders = data.generate(rng, args.warmup + args.orders, args.lines)
    registry = odoo.modules.registry.Registry(args.database)
    timed_market = TimedMarketplace(LocalMarketplace, api_key="bench-key")
    problems = []
    started = time.perf_counter()
    with timed_market.market as market, registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run = world.next_run_number(env)
        bench_world = world.prepare_database(env, products, customers, run, market.url, market.api_key)
        if "pull" in args.parts:
            problems += run_pull(args, env, bench_world, run, (customers, orders), timed_market)
        if "drain" in args.parts:
            problems += run_drain(args, env, registry, bench_world, run)
        if "webhook" in args.parts:
            problems += run_webhook(args, env, bench_world, run)
        if "platform" in args.parts:
            problems += run_platforms(args, env, bench_world, run, (products, customers, orders))
    print(f"intake: {', '.join(args.parts)} done in {time.perf_counter() - started:.0f} s")
    for problem in problems:
        print(f"intake: FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
