"""The intake benchmark's pull part: channel orders served by the local marketplace, pulled, staged, imported and
confirmed by ``oms.channel._sync_orders()`` as the cron does, against plain Odoo ``sale.order.create`` +
``action_confirm`` of the same orders, in rounds taken in turns; and its checks."""

import cProfile
import statistics
import time

from .data import channel_payload, customer_identity, external_ref, plain_ref
from .report import profile_report


class Path:
    """One way of taking orders in, timed (and counted in SQL queries) over the orders it is given."""

    label = ""

    def __init__(self, env, profile):
        self.env = env
        self.seconds = 0.0
        self.queries = 0
        self.orders = 0
        self.round_seconds = []
        self.profiler = cProfile.Profile() if profile else None

    def run(self, orders, timed=True):
        import odoo.sql_db

        self.before(orders)
        queries = odoo.sql_db.sql_counter
        if timed and self.profiler:
            self.profiler.enable()
        start = time.perf_counter()
        self.take(orders)
        elapsed = time.perf_counter() - start
        if timed and self.profiler:
            self.profiler.disable()
        if timed:
            self.seconds += elapsed
            self.round_seconds.append(elapsed)
            self.queries += odoo.sql_db.sql_counter - queries
            self.orders += len(orders)

    def before(self, orders):
        pass

    def take(self, orders):
        raise NotImplementedError


class OmsPath(Path):
    """The cron's pull: the new orders are put on the marketplace, then one ``_sync_orders`` fetches, stages,
    matches, imports and confirms them, committing per batch as it does in a cron worker."""

    label = "intake"

    def __init__(self, env, profile, channel, market, payloads):
        super().__init__(env, profile)
        self.channel = channel
        self.market = market
        self.payloads = payloads

    def before(self, orders):
        self.market.add_orders([self.payloads[order["index"]] for order in orders])

    def take(self, orders):
        self.channel._sync_orders()
        self.env.cr.commit()


class PlainPath(Path):
    """Plain Odoo: ``sale.order.create`` + ``action_confirm``, one order at a time, with the same customers (see
    KNOWN_CUSTOMERS), products, quantities, prices, pricelists and warehouse, committed every ``batch_size``."""

    label = "plain Odoo create+confirm"

    def __init__(self, env, profile, world, run, batch_size):
        super().__init__(env, profile)
        self.world = world
        self.run_number = run
        self.batch_size = batch_size

    def take(self, orders):
        from odoo import Command

        sale_orders = self.env["sale.order"]
        world = self.world
        for done, order in enumerate(orders, start=1):
            sale_order = sale_orders.create(
                {
                    "partner_id": world["plain_partner"][order["customer"]["index"]],
                    "pricelist_id": world["pricelists"][order["currency"]].id,
                    "warehouse_id": world["warehouse"].id,
                    "client_order_ref": plain_ref(order, self.run_number),
                    "date_order": order["date"],
                    "order_line": [
                        Command.create(
                            {
                                "product_id": world["product_ids"][product["sku"]],
                                "product_uom_qty": quantity,
                                "price_unit": price,
                                "discount": 0.0,
                            }
                        )
                        for product, quantity, price in order["lines"]
                    ],
                }
            )
            sale_order.action_confirm()
            if done % self.batch_size == 0:
                self.env.cr.commit()
        self.env.cr.commit()


class TimedMarketplace:
    """Wraps a LocalMarketplace to add up the time its (in-process) server thread spends answering."""

    def __init__(self, market_class, **kwargs):
        outer = self
        self.server_seconds = 0.0

        class _Market(market_class):
            def handle(self, request):
                start = time.perf_counter()
                try:
                    return super().handle(request)
                finally:
                    outer.server_seconds += time.perf_counter() - start

        self.market = _Market(**kwargs)


def run_pull(args, env, world, run, customers_orders, timed_market):
    """The pull part: the intake's pull against plain create+confirm, in turns; prints its lines, returns problems."""
    from odoo.addons.oms_channels.models.oms_channel_order import IMPORT_BATCH_SIZE

    customers, orders = customers_orders
    payloads = {order["index"]: channel_payload(order, run) for order in orders}
    oms = OmsPath(env, args.profile, world["channel"], timed_market.market, payloads)
    plain = PlainPath(env, args.profile, world, run, IMPORT_BATCH_SIZE)
    server_seconds = _take_turns(args, env, (oms, plain), orders, timed_market)
    problems, new_count = check(env, world, run, orders, args.lines, customers)
    ratio = _print_pull(args, oms, plain, server_seconds, new_count)
    problems = [f"pull: {problem}" for problem in problems]
    if not problems:
        print(f"intake: checked: {len(orders):,} orders imported exactly once and confirmed, same totals as plain Odoo")
    if ratio < args.min_ratio:
        problems.append(f"pull: ratio {ratio:.2f} below --min-ratio {args.min_ratio}")
    return problems


def _take_turns(args, env, paths, orders, timed_market):
    """The warm-up, then rounds of --round orders taken in turns; the seconds the marketplace spent answering."""
    oms, plain = paths
    warmup, measured = orders[: args.warmup], orders[args.warmup :]
    # Warm-up (untimed): registry, caches, prepared statements, the HTTP connection path.
    if warmup:
        plain.run(warmup, timed=False)
        oms.run(warmup, timed=False)
    server_before = timed_market.server_seconds
    # Rounds of --round orders, the two paths taking turns, the first one alternating (ABBA...): both see the
    # database grow alike, and neither always runs right after the other's commits.
    for number, start in enumerate(range(0, len(measured), args.round)):
        chunk = measured[start : start + args.round]
        for path in (plain, oms) if number % 2 == 0 else (oms, plain):
            path.run(chunk)
    server_seconds = timed_market.server_seconds - server_before
    env.cr.commit()
    return server_seconds


def _print_pull(args, oms, plain, server_seconds, new_count):
    """The pull's figures (and its profile when asked); returns the ratio."""
    oms_rate = oms.orders / oms.seconds
    plain_rate = plain.orders / plain.seconds
    ratio = oms_rate / plain_rate
    round_ratios = [p / o for o, p in zip(oms.round_seconds, plain.round_seconds, strict=True)]
    size = f"{args.orders:,} orders x {args.lines} lines"
    print(
        f"intake: {oms_rate:.1f} orders/s vs plain Odoo create+confirm {plain_rate:.1f} orders/s"
        f" (ratio {ratio:.2f}) on {size}"
    )
    print(
        f"intake: {oms.queries / oms.orders:.1f} SQL queries/order vs plain Odoo create+confirm "
        f"{plain.queries / plain.orders:.1f} SQL queries/order"
    )
    print(
        f"intake: {oms.seconds:.1f} s vs {plain.seconds:.1f} s in {len(round_ratios)} rounds of {args.round} orders"
        f" taken in turns; ratio per round: median {statistics.median(round_ratios):.2f},"
        f" {min(round_ratios):.2f} to {max(round_ratios):.2f}"
    )
    print(
        f"intake: the local marketplace (same process) took {1000 * server_seconds:.0f} ms of the intake's time;"
        f" {new_count} new customers created by the intake, the others matched"
    )
    if args.profile:
        oms.profiler.dump_stats(args.profile)
        plain.profiler.dump_stats(args.profile + ".plain")
        print("intake: figures taken under cProfile (slower than without it)")
        profile_report(oms.profiler, plain.profiler, oms.orders, plain.orders)
    return ratio


def check(env, world, run, orders, lines_per_order, customers):
    """Every order imported exactly once and confirmed, the same amounts as plain Odoo's, new customers once."""
    channel = world["channel"]
    expected_refs = {external_ref(order, run) for order in orders}
    staged = env["oms.channel.order"].search([("channel_id", "=", channel.id)])
    oms_orders = env["sale.order"].search([("oms_channel_id", "=", channel.id)])
    plain_orders = env["sale.order"].search([("client_order_ref", "in", [plain_ref(o, run) for o in orders])])
    problems = _staging_problems(staged, expected_refs)
    problems += _sale_order_problems(staged, oms_orders, plain_orders, expected_refs, len(orders), lines_per_order)
    problems += _total_problems(oms_orders, plain_orders)
    customer_problems, new_count = _customer_problems(env, run, orders, customers)
    return problems + customer_problems, new_count


def _staging_problems(staged, expected_refs):
    problems = []
    if set(staged.mapped("external_ref")) != expected_refs or len(staged) != len(expected_refs):
        problems.append(f"{len(staged)} staging records for {len(expected_refs)} orders served")
    not_imported = staged.filtered(lambda record: record.state != "imported")
    if not_imported:
        sample = "; ".join(f"{r.external_ref}: {r.state} {r.error_message or ''}" for r in not_imported[:5])
        problems.append(f"{len(not_imported)} staging records not imported ({sample})")
    replayed = staged.filtered(lambda record: record.receive_count != 1)
    if replayed:
        problems.append(f"{len(replayed)} orders received more than once")
    return problems


def _sale_order_problems(staged, oms_orders, plain_orders, expected_refs, order_count, lines_per_order):
    problems = []
    if len(oms_orders) != len(expected_refs) or set(oms_orders.mapped("oms_channel_ref")) != expected_refs:
        problems.append(f"{len(oms_orders)} sale orders of the channel for {len(expected_refs)} orders")
    if set(staged.sale_order_id.ids) != set(oms_orders.ids):
        problems.append("staging records and the channel's sale orders do not match one to one")
    if len(plain_orders) != order_count:
        problems.append(f"{len(plain_orders)} plain sale orders for {order_count} orders")
    for label, records in (("imported", oms_orders), ("plain", plain_orders)):
        unconfirmed = records.filtered(lambda order: order.state != "sale")
        if unconfirmed:
            problems.append(f"{len(unconfirmed)} {label} sale orders not confirmed (state sale)")
        wrong_lines = records.filtered(lambda order: len(order.order_line) != lines_per_order)
        if wrong_lines:
            problems.append(f"{len(wrong_lines)} {label} sale orders without {lines_per_order} lines")
    return problems


def _total_problems(oms_orders, plain_orders):
    oms_by_index = {int(order.oms_channel_ref.rsplit("-", 1)[1]): order for order in oms_orders}
    plain_by_index = {int(order.client_order_ref.rsplit("-P", 1)[1]): order for order in plain_orders}
    differing = [
        index
        for index, order in oms_by_index.items()
        if index in plain_by_index
        and (
            order.currency_id != plain_by_index[index].currency_id
            or order.currency_id.compare_amounts(order.amount_total, plain_by_index[index].amount_total)
        )
    ]
    if differing:
        return [f"{len(differing)} imported orders differ from plain Odoo's in currency or total"]
    return []


def _customer_problems(env, run, orders, customers):
    """Each new customer created once, no known customer made twice; and the number of new customers."""
    problems = []
    new_customers = {
        order["customer"]["index"]: order["customer"] for order in orders if not order["customer"]["known"]
    }
    emails = [customer_identity(customer, run)["email"] for customer in new_customers.values()]
    partners = env["res.partner"].search([("email", "in", emails), ("parent_id", "=", False)])
    if len(partners) != len(emails) or set(partners.mapped("email")) != set(emails):
        problems.append(f"{len(partners)} customers created for {len(emails)} new customers")
    known_emails = {customer_identity(c, run)["email"] for c in customers if c["known"]}
    known_partners = env["res.partner"].search([("email", "in", list(known_emails))])
    if len(known_partners) != len(known_emails):
        problems.append(f"{len(known_partners)} partners for {len(known_emails)} known customers (duplicates made)")
    return problems, len(new_customers)
