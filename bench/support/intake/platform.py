"""The intake benchmark's platform part: per shop platform, orders in the platform's own format served by its local
stand-in, pulled by a channel of that platform, mapped, staged, imported and confirmed by
``oms.channel._sync_orders()`` as the cron does, against plain Odoo ``sale.order.create`` + ``action_confirm`` of the
same orders (customers, products, quantities, prices, discounts, taxes, shipping, fees), in rounds taken in turns
as the pull part does; and its checks."""

import statistics

from .platform_orders import PLATFORMS, PlatformOrders
from .platform_stand_ins import serve, stand_in_class
from .platform_world import prepare_platform
from .pull import OmsPath, PlainPath, TimedMarketplace, _customer_problems, _staging_problems, _take_turns

# Each platform's new customers are new to it (their e-mails and phones carry this run number, not the pull's).
IDENTITY_RUN_BASE = 500


class PlatformOmsPath(OmsPath):
    """The cron's pull from the platform's stand-in: the round's orders are put on it, then one ``_sync_orders``."""

    def __init__(self, env, channel, market, platform, served):
        super().__init__(env, None, channel, market, served)
        self.platform = platform

    def before(self, orders):
        serve(self.platform, self.market, [self.payloads[order["index"]] for order in orders])


class PlatformPlainPath(PlainPath):
    """Plain Odoo creating and confirming each order by hand from what the platform says: its lines with their
    discount and tax, its shipping by the carrier's delivery line, its fees and order discounts as service lines."""

    label = "plain Odoo create+confirm"

    def __init__(self, env, world, setup, parsed, refs, batch_size):
        super().__init__(env, None, world, None, batch_size)
        self.setup = setup
        self.parsed = parsed
        self.refs = refs

    def take(self, orders):
        sale_orders = self.env["sale.order"]
        carrier = self.setup["carrier"]
        for done, order in enumerate(orders, start=1):
            parsed = self.parsed[order["index"]]
            sale_order = sale_orders.create(self.order_vals(order, parsed))
            if parsed.shipping:
                shipping = parsed.shipping
                sale_order.set_delivery_line(carrier, shipping.price - shipping.discount_amount)
                sale_order.order_line.filtered("is_delivery").tax_id = self.tax_ids(parsed, shipping.taxes)
            sale_order.action_confirm()
            if done % self.batch_size == 0:
                self.env.cr.commit()
        self.env.cr.commit()

    def order_vals(self, order, parsed):
        from odoo import Command  # noqa: PLC0415

        world, services = self.world, self.setup["services"]
        lines = [
            {
                **line_price(line),
                "product_id": world["product_ids"][line.sku],
                "product_uom_qty": line.quantity,
                "tax_id": [Command.set(self.tax_ids(parsed, line.taxes))],
            }
            for line in parsed.lines
        ]
        extras = [(services[fee.kind], fee.name, fee.amount, fee.taxes) for fee in parsed.fees]
        extras += [(services["discount"], d.name, -d.amount, d.taxes) for d in parsed.discounts]
        lines += [
            {
                "product_id": product,
                "name": name or "/",
                "product_uom_qty": 1,
                "price_unit": amount,
                "tax_id": [Command.set(self.tax_ids(parsed, taxes))],
            }
            for product, name, amount, taxes in extras
        ]
        return {
            "partner_id": world["plain_partner"][order["customer"]["index"]],
            "pricelist_id": world["pricelists"][parsed.currency].id,
            "warehouse_id": world["warehouse"].id,
            "client_order_ref": self.refs[order["index"]],
            "date_order": order["date"],
            "order_line": [Command.create(vals) for vals in lines],
        }

    def tax_ids(self, parsed, taxes):
        return [self.setup["taxes"][tax.rate, bool(parsed.prices_include_tax)] for tax in taxes or ()]


def line_price(line):
    """Unit price and discount (a percentage with two decimals, Odoo's) giving the platform's line total: the
    percentage when it does, else the net unit price."""
    gross = line.quantity * line.unit_price
    if not line.discount_amount:
        return {"price_unit": line.unit_price, "discount": line.discount}
    percent = round(100 * line.discount_amount / gross, 2)
    if round(line.unit_price * (1 - percent / 100) * line.quantity, 2) == round(gross - line.discount_amount, 2):
        return {"price_unit": line.unit_price, "discount": percent}
    return {"price_unit": (gross - line.discount_amount) / line.quantity, "discount": 0.0}


def run_platforms(args, env, world, run, bench_data):
    """The platform part, platform after platform; prints their lines, returns the problems."""
    problems = []
    for platform in args.platforms:
        found = run_platform(args, env, world, run, platform, bench_data)
        problems += [f"platform {platform}: {problem}" for problem in found]
    return problems


def run_platform(args, env, world, run, platform, bench_data):
    from odoo.addons.oms_channels.models.oms_channel_order import IMPORT_BATCH_SIZE  # noqa: PLC0415
    from odoo.addons.oms_channels.services.channel_order import parse_channel_order  # noqa: PLC0415

    products, customers, orders = bench_data
    identity_run = IDENTITY_RUN_BASE + 4 * run + PLATFORMS.index(platform)
    generator = PlatformOrders(platform, identity_run)
    served = {order["index"]: generator.served(order, products) for order in orders}
    parsed = {index: parse_channel_order(generator.channel_order(payload)) for index, payload in served.items()}
    refs = {order["index"]: f"B{run}-{platform[:2].upper()}P{order['index']:06d}" for order in orders}
    timed_shop = TimedMarketplace(stand_in_class(platform))
    with timed_shop.market as shop:
        generator.serve_shared(shop)
        setup = prepare_platform(env, world, f"{run}-{platform}", platform, shop, parsed.values())
        oms = PlatformOmsPath(env, setup["channel"], shop, platform, served)
        plain = PlatformPlainPath(env, world, setup, parsed, refs, IMPORT_BATCH_SIZE)
        server_seconds = _take_turns(args, env, (oms, plain), orders, timed_shop)
    problems, replays = check(env, setup["channel"], parsed, refs)
    customer_problems, new_count = _customer_problems(env, identity_run, orders, customers)
    problems += customer_problems
    ratio = _print(args, platform, (oms, plain), server_seconds, (replays, new_count), len(generator.templates))
    if not problems:
        print(
            f"intake {platform}: checked: {len(orders):,} orders imported once and confirmed, each total the"
            " platform's grand total and plain Odoo's; each new customer created once"
        )
    if ratio < args.min_ratio:
        problems.append(f"ratio {ratio:.2f} below --min-ratio {args.min_ratio}")
    return problems


def check(env, channel, parsed, refs):
    """Every order staged, imported and confirmed once, its total the platform's grand total and plain Odoo's."""
    expected = {order.external_id: index for index, order in parsed.items()}
    staged = env["oms.channel.order"].search([("channel_id", "=", channel.id)])
    # A pull from the cursor's own second receives its last orders again: a replay, counted and printed, no fault.
    problems = [p for p in _staging_problems(staged, set(expected)) if "more than once" not in p]
    replays = sum(record.receive_count - 1 for record in staged)
    oms_orders = env["sale.order"].search([("oms_channel_id", "=", channel.id)])
    plain_orders = env["sale.order"].search([("client_order_ref", "in", list(refs.values()))])
    if len(oms_orders) != len(expected) or set(oms_orders.mapped("oms_channel_ref")) != set(expected):
        problems.append(f"{len(oms_orders)} sale orders of the channel for {len(expected)} orders")
    if len(plain_orders) != len(refs):
        problems.append(f"{len(plain_orders)} plain sale orders for {len(refs)} orders")
    plain_by_ref = {order.client_order_ref: order for order in plain_orders}
    unconfirmed = (oms_orders | plain_orders).filtered(lambda order: order.state != "sale")
    if unconfirmed:
        problems.append(f"{len(unconfirmed)} sale orders not confirmed (state sale)")
    differing = []
    for order in oms_orders.filtered(lambda record: record.oms_channel_ref in expected):
        index = expected[order.oms_channel_ref]
        plain = plain_by_ref.get(refs.get(index))
        totals = (parsed[index].grand_total, plain.amount_total if plain else None)
        if plain is None or any(order.currency_id.compare_amounts(order.amount_total, t) for t in totals):
            grand_total, plain_total = totals
            differing.append(
                f"{order.oms_channel_ref}: {order.amount_total} (platform {grand_total}, plain {plain_total})"
            )
    if differing:
        problems.append(f"{len(differing)} imported orders' totals differ ({'; '.join(differing[:3])})")
    return problems, replays


def _print(args, platform, paths, server_seconds, counts, templates):
    oms, plain = paths
    replays, new_count = counts
    oms_rate, plain_rate = oms.orders / oms.seconds, plain.orders / plain.seconds
    ratio = oms_rate / plain_rate
    round_ratios = [p / o for o, p in zip(oms.round_seconds, plain.round_seconds, strict=True)]
    print(
        f"intake {platform}: {oms_rate:.1f} orders/s vs plain Odoo create+confirm {plain_rate:.1f} orders/s"
        f" (ratio {ratio:.2f}, goal >= 0.9) on {args.orders:,} orders from {templates} fixture orders"
    )
    rounds = f"{len(round_ratios)} round{'s' if len(round_ratios) > 1 else ''} of {args.round}"
    print(
        f"intake {platform}: {oms.queries / oms.orders:.1f} SQL queries/order vs plain Odoo"
        f" {plain.queries / plain.orders:.1f}; {oms.seconds:.1f} s vs {plain.seconds:.1f} s in {rounds} taken in"
        f" turns, ratio per round: median {statistics.median(round_ratios):.2f}, {min(round_ratios):.2f} to"
        f" {max(round_ratios):.2f}"
    )
    print(
        f"intake {platform}: the stand-in (same process) took {1000 * server_seconds:.0f} ms of the intake's time;"
        f" {replays} orders received again by a later pull (the since-cursor is inclusive); {new_count} new"
        " customers created by the intake, the others matched"
    )
    return ratio
