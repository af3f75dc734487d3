"""The reorder benchmark's plain Odoo part (its replenishment report), its checks and what it prints at the end."""

import pstats
import time
from collections import Counter

from .data import PATTERNS
from .recompute import batch_query_groups

QUERY_TOLERANCE = 3  # queries per batch may differ by this much: Odoo writes one UPDATE per set of changed fields


def plain_replenishment(env):
    """Odoo's replenishment report opened by the administrator: seconds, SQL queries, reorder points it created and
    removed."""
    import odoo.sql_db

    admin_env = env(user=env.ref("base.user_admin").id, context={"allowed_company_ids": [env.company.id]})
    Orderpoint = admin_env["stock.warehouse.orderpoint"]
    before = set(Orderpoint.with_context(active_test=False).search([]).ids)
    env.cr.commit()
    queries, started = odoo.sql_db.sql_counter, time.perf_counter()
    Orderpoint.action_open_orderpoints()
    env.cr.commit()
    seconds, count = time.perf_counter() - started, odoo.sql_db.sql_counter - queries
    after = set(Orderpoint.with_context(active_test=False).search([]).ids)
    return seconds, count, after - before, before - after


def check(env, ids, series, batches, removed):
    """The failures found, as sentences (none: all good)."""
    failures = []
    env.cr.execute(
        """
        SELECT o.id, o.oms_computed_at IS NOT NULL, o.oms_forecast_method, o.product_min_qty, o.product_max_qty,
               (SELECT count(*) FROM oms_orderpoint_history h WHERE h.orderpoint_id = o.id)
          FROM stock_warehouse_orderpoint o
         WHERE o.id = ANY(%s)
        """,
        [ids],
    )
    rows = {row[0]: row[1:] for row in env.cr.fetchall()}
    if len(rows) != len(ids):
        failures.append(f"{len(ids) - len(rows)} forecast reorder points are gone")
    pattern_of = dict(zip(ids, (one.pattern for one in series), strict=True))
    uncomputed = [key for key, row in rows.items() if not row[0] or not row[1]]
    inverted = [key for key, row in rows.items() if row[2] > row[3]]
    not_none = [key for key, row in rows.items() if pattern_of[key] == "none" and row[1] != "none"]
    histories = Counter(row[4] for row in rows.values())
    if uncomputed:
        failures.append(f"{len(uncomputed)} reorder points without oms_computed_at or a method, e.g. {uncomputed[:5]}")
    if inverted:
        failures.append(f"{len(inverted)} reorder points with min > max, e.g. {inverted[:5]}")
    if not_none:
        failures.append(f"{len(not_none)} series without history not forecast as 'none', e.g. {not_none[:5]}")
    if set(histories) != {1}:
        failures.append(f"history rows per reorder point (count: reorder points): {dict(histories)}, not 1 each")
    _first, chunk_first, others = batch_query_groups(batches)
    for label, counts in (("first of a cron chunk", chunk_first), ("other", others)):
        if counts and max(counts) - min(counts) > QUERY_TOLERANCE:
            failures.append(f"SQL queries per full batch ({label}) vary: {counts}")
    if removed & set(ids):
        failures.append(f"Odoo's replenishment deleted {len(removed & set(ids))} forecast reorder points")
    methods = Counter((pattern_of[key], row[1]) for key, row in rows.items())
    return failures, methods


def print_methods(methods):
    """The forecast methods chosen per pattern (not checked: a slow flat series may well be intermittent)."""
    for pattern in PATTERNS:
        chosen = sorted(((count, method) for (name, method), count in methods.items() if name == pattern), reverse=True)
        print(f"reorder: {pattern} series forecast with: " + ", ".join(f"{m} {c:,}" for c, m in chosen))


def profile_report(profiler, path):
    profiler.dump_stats(path)
    stats = pstats.Stats(profiler)
    print(f"profile: written to {path}; top 25 functions by cumulative time, then by own time")
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(25)
