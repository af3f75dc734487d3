"""What the intake benchmark prints beyond its main figures: where the pull's time goes under the profiler, and the
drain's rounds, queries, retries, CPU and doubled customers."""

import os
import pstats
import statistics

from . import drain_workers
from .data import customer_identity


def profile_report(oms_profiler, plain_profiler, oms_orders, plain_orders):
    """Milliseconds per order of the parts of each path (cumulative, so parts may nest)."""
    oms = pstats.Stats(oms_profiler)
    plain = pstats.Stats(plain_profiler)
    print(f"profile: ms per order{'':<36} {'intake':>8} {'plain':>8}")
    for label, oms_seconds, plain_seconds in _profile_rows(oms, plain):
        oms_ms = 1000 * oms_seconds / oms_orders
        plain_ms = 1000 * plain_seconds / plain_orders
        print(f"profile: {label:<50} {oms_ms:8.1f} {plain_ms:8.1f}")
    print("profile: top 25 functions of the intake path by own time:")
    oms.sort_stats("tottime").print_stats(25)


def _cumulative(stats, func, path_part=""):
    times = [
        ct
        for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
        if name == func and path_part in filename
    ]
    return max(times, default=0.0)


def _total(stats):
    return sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())


def _profile_rows(oms, plain):
    """(label, seconds of the intake, seconds of plain Odoo) of each part looked at."""
    cumulative = _cumulative
    return [
        ("total profiled", _total(oms), _total(plain)),
        ("  fetch from the marketplace (HTTP, JSON)", cumulative(oms, "fetch_orders", "rest_connector"), 0.0),
        ("  staging insert (_receive)", cumulative(oms, "_receive", "oms_channel_order"), 0.0),
        ("    one savepoint per record (_create_or_find)", cumulative(oms, "_create_or_find"), 0.0),
        ("  import loop (_import_pending)", cumulative(oms, "_import_pending", "oms_channel_order"), 0.0),
        ("    payload parsing (parse_channel_order)", cumulative(oms, "parse_channel_order", "channel_order"), 0.0),
        ("    batch look-ups (_lookups)", cumulative(oms, "_lookups", "oms_channel_order"), 0.0),
        (
            "    import plan (plan_batch: customers, addresses, products)",
            cumulative(oms, "plan_batch", "import_plan"),
            0.0,
        ),
        (
            "    new customers and addresses (_create_planned_partners)",
            cumulative(oms, "_create_planned_partners", "oms_channel_order_import"),
            0.0,
        ),
        (
            "    sale.order create",
            cumulative(oms, "create", "sale/models/sale_order"),
            cumulative(plain, "create", "sale/models/sale_order"),
        ),
        ("    action_confirm", cumulative(oms, "action_confirm"), cumulative(plain, "action_confirm")),
        ("    message_post", cumulative(oms, "message_post", "mail_thread"), cumulative(plain, "message_post")),
        (
            "  commits (flush left, COMMIT)",
            cumulative(oms, "commit", "sql_db"),
            cumulative(plain, "commit", "sql_db"),
        ),
        (
            "  cursor flushes (at savepoints and commits)",
            cumulative(oms, "flush", "sql_db"),
            cumulative(plain, "flush", "sql_db"),
        ),
        ("  SQL (cursor.execute)", cumulative(oms, "execute", "odoo/sql_db"), cumulative(plain, "execute", "sql_db")),
    ]


def report_drain(args, seconds, reports, round_size, sampler, leftover):
    one_rate = args.drain_orders / sum(seconds[1])
    two_rate = args.drain_orders / sum(seconds[2])
    ratio = two_rate / one_rate
    round_ratios = [one / two for one, two in zip(seconds[1], seconds[2], strict=True)]
    print(
        f"intake drain: 2 workers {two_rate:.1f} orders/s vs 1 worker {one_rate:.1f} orders/s (ratio {ratio:.2f},"
        f" goal >= 1.4) on {args.drain_orders:,} staged orders x {args.lines} lines per path"
    )
    per_worker = [sum(outcome[worker]["orders"] for outcome in reports[2]) for worker in (0, 1)]
    batches = [sum(outcome[worker]["batches"] for outcome in reports[2]) for worker in (0, 1)]
    print(
        f"intake drain: {sum(seconds[2]):.1f} s vs {sum(seconds[1]):.1f} s in {len(round_ratios)} rounds of"
        f" {round_size} orders taken in turns; ratio per round: median {statistics.median(round_ratios):.2f},"
        f" {min(round_ratios):.2f} to {max(round_ratios):.2f}; the two workers imported {per_worker[0]:,} and"
        f" {per_worker[1]:,} orders ({batches[0]} and {batches[1]} batches)"
    )

    def workers_reports(count):
        return [report for outcome in reports[count] for report in outcome.values()]

    def queries(count):
        return sum(report["queries"] for report in workers_reports(count)) / args.drain_orders

    retries = {}
    warnings = []
    for count in (1, 2):
        for report in workers_reports(count):
            for name, times in report["retries"].items():
                retries[name] = retries.get(name, 0) + times
            warnings += report["first_warnings"][: report["warnings"]]
    retried = ", ".join(f"{times} {name}" for name, times in retries.items()) or "none"
    print(
        f"intake drain: {queries(2):.1f} SQL queries/order with 2 workers vs {queries(1):.1f} with 1;"
        f" concurrency errors retried: {retried}; {sampler.summary()}"
    )
    warning_count = sum(report["warnings"] for count in (1, 2) for report in workers_reports(count))
    if warning_count or leftover:
        print(
            f"intake drain: {warning_count} warnings or errors logged by the workers"
            + (f" (first: {warnings[0]})" if warnings else "")
            + (f"; {leftover} orders left staged by earlier runs imported first, untimed" if leftover else "")
        )


def report_cpu(args, seconds, reports, machine, loads):
    """CPU per order of the workers and of their PostgreSQL backends, and the cores they kept busy: two workers can
    only gain what the machine's two cores, shared with PostgreSQL and other processes, leave them."""
    parts = []
    for count in (1, 2):
        outcomes = [report for outcome in reports[count] for report in outcome.values()]
        odoo_cpu = sum(report["cpu"] for report in outcomes)
        backend = [report["backend_cpu"] for report in outcomes]
        pg_cpu = sum(backend) if None not in backend else float("nan")
        elapsed = sum(seconds[count])
        ours = (odoo_cpu + pg_cpu) / elapsed
        parts.append(
            f"{count} worker{'s' if count > 1 else ''} {1000 * odoo_cpu / args.drain_orders:.0f} ms Odoo +"
            f" {1000 * pg_cpu / args.drain_orders:.0f} ms PostgreSQL, {ours:.2f} cores busy with them and"
            f" {max(machine[count] / elapsed - ours, 0):.2f} with other processes"
        )
    print(
        f"intake drain: CPU per order: {'; '.join(parts)}; load average {loads[0]:.1f} before, {loads[1]:.1f} after"
        f" on {os.cpu_count()} cores"
    )


def report_duplicates(env, orders, numbers):
    """New customers created more than once, per path: two workers importing orders of the same new customer at
    the same time each create it (neither sees the other's uncommitted customer)."""
    found = {}
    for count in (1, 2):
        emails = {
            customer_identity(order["customer"], numbers[count])["email"]
            for order in orders
            if not order["customer"]["known"]
        }
        found[count] = (len(drain_workers.duplicate_customers(env, emails)), len(emails))
    if found[1][0] or found[2][0]:
        print(
            f"intake drain: FOUND: new customers created more than once: {found[2][0]} of {found[2][1]} with 2"
            f" workers, {found[1][0]} of {found[1][1]} with 1 worker (each worker creates the customer of an order"
            " it imports when it cannot see one committed: two batches imported at once with the same new customer"
            " make two)"
        )
    else:
        print(f"intake drain: each of the {found[1][1] + found[2][1]} new customers created once")
