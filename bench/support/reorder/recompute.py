"""The reorder benchmark's timed OMS part: ``_oms_recompute_reorder_points()`` over the run's reorder points by the
cron's chunks, instrumented (SQL queries and time per batch, time of its parts), and the forecast engine timed
again alone on the same histories."""

import statistics
import time
from collections import Counter


class Recompute:
    """The OMS recomputation, instrumented: queries and time per batch, and the time of its parts."""

    def __init__(self, env):
        from odoo.addons.oms_intelligent.models import stock_warehouse_orderpoint_recompute as module

        self.env = env
        self.module = module
        self.Model = type(env["stock.warehouse.orderpoint"])
        self.batches = []  # (size, queries, seconds, first of its cron chunk)
        self.chunk_started = False
        self.parts = Counter()
        self.histories = []

    def _timed(self, part, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.parts[part] += time.perf_counter() - started

        return wrapper

    def _batch(self, original):
        import odoo.sql_db

        def batch(records):
            queries, started = odoo.sql_db.sql_counter, time.perf_counter()
            original(records)
            records.env.flush_all()
            elapsed = time.perf_counter() - started
            self.batches.append((len(records), odoo.sql_db.sql_counter - queries, elapsed, self.chunk_started))
            self.chunk_started = False

        return batch

    def _forecast(self, original):
        def forecast_many(histories, horizon):
            self.histories.extend(history.copy() for history in histories)
            return original(histories, horizon)

        return self._timed("engine", forecast_many)

    def run(self, ids, profiler=None):
        """Seconds and SQL queries of the recomputation of ``ids`` by the cron's chunks, each committed."""
        import odoo.sql_db
        from odoo.tools import split_every

        module, Model = self.module, self.Model
        saved = (
            module.forecast_many,
            module.daily_histories,
            Model._oms_recompute_batch,
            Model._oms_demand_series,
            Model._oms_store_recomputation,
        )
        own = {
            name: Model.__dict__.get(name)
            for name in ("_oms_recompute_batch", "_oms_demand_series", "_oms_store_recomputation")
        }
        module.forecast_many = self._forecast(saved[0])
        module.daily_histories = self._timed("histories", saved[1])
        # On the registry's class: every recordset of the model goes through the wrappers until they are removed.
        Model._oms_recompute_batch = self._batch(saved[2])
        Model._oms_demand_series = self._timed("demand", saved[3])
        Model._oms_store_recomputation = self._timed("store", saved[4])
        env = self.env
        env.invalidate_all()
        try:
            queries, started = odoo.sql_db.sql_counter, time.perf_counter()
            if profiler:
                profiler.enable()
            for chunk in split_every(module.CRON_CHUNK, ids):
                self.chunk_started = True
                env["stock.warehouse.orderpoint"].browse(chunk)._oms_recompute_reorder_points()
                env.cr.commit()
            if profiler:
                profiler.disable()
            return time.perf_counter() - started, odoo.sql_db.sql_counter - queries
        finally:
            module.forecast_many, module.daily_histories = saved[0], saved[1]
            for name, method in own.items():
                if method is None:
                    delattr(Model, name)  # the inherited method again
                else:
                    setattr(Model, name, method)


def batch_query_groups(batches):
    """SQL queries of the full batches (RECOMPUTE_BATCH reorder points) in three groups: the run's first, which also
    fills the process's caches (defaults, decimal precisions, languages); the first of each later cron chunk, which
    reads the company, users and partners again (the commit before cleared the records' cache); the others."""
    largest = max(size for size, *_rest in batches)
    groups = ([], [], [])
    for index, (size, queries, _seconds, first) in enumerate(batches):
        if size == largest:
            groups[0 if index == 0 else 1 if first else 2].append(queries)
    return groups


def span(counts):
    return "-" if not counts else f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)} to {max(counts)}"


def recompute_figure(env, ids, profiler):
    """The OMS recomputation, timed and printed; returns its seconds and batches."""
    recompute = Recompute(env)
    seconds, queries = recompute.run(ids, profiler)
    _print_batches(len(ids), seconds, queries, recompute)
    _print_engine_alone(seconds, recompute)
    return seconds, recompute.batches


def _print_batches(count, seconds, queries, recompute):
    from odoo.addons.oms_intelligent.models.stock_warehouse_orderpoint_recompute import CRON_CHUNK, RECOMPUTE_BATCH

    batches = recompute.batches
    batch_queries = [count for _size, count, _seconds, _first in batches]
    batch_seconds = [elapsed for _size, _count, elapsed, _first in batches]
    first, chunk_first, others = batch_query_groups(batches)
    parts = recompute.parts
    rest = sum(batch_seconds) - parts["demand"] - parts["histories"] - parts["engine"] - parts["store"]
    print(
        f"reorder: recomputed {count:,} forecast reorder points in {seconds:.1f} s "
        f"({seconds * 1000 / count:.2f} s per 1,000 series; goal <= 60 s for 10,000), "
        f"{len(batches)} batches of {RECOMPUTE_BATCH} in cron chunks of {CRON_CHUNK:,}, each chunk committed"
    )
    print(
        f"reorder: SQL queries per batch of {RECOMPUTE_BATCH}: {span(others)}; the first of each later cron "
        f"chunk {span(chunk_first)} (cache cleared by the commit), the run's first {span(first)} (filling "
        f"caches); per batch in order: {' '.join(map(str, batch_queries))}; {queries:,} in all with the commits"
    )
    print(
        f"reorder: seconds per batch: median {statistics.median(batch_seconds):.2f}, "
        f"{min(batch_seconds):.2f} to {max(batch_seconds):.2f}; in all: demand read (SQL) {parts['demand']:.1f} s, "
        f"daily arrays {parts['histories']:.1f} s, forecast engine {parts['engine']:.1f} s, "
        f"levels and history written {parts['store']:.1f} s, "
        f"the rest (ORM reads, vendors, levels, flush) {rest:.1f} s"
    )


def _print_engine_alone(seconds, recompute):
    """The forecast engine timed again alone on the histories the recomputation gave it."""
    from odoo.addons.oms_intelligent.models.stock_warehouse_orderpoint_recompute import FORECAST_DAYS, RECOMPUTE_BATCH
    from odoo.addons.oms_intelligent.services.forecast import forecast_many

    histories = recompute.histories
    without_engine = seconds - recompute.parts["engine"]
    alone = []
    for size in (RECOMPUTE_BATCH, len(histories)):
        started = time.perf_counter()
        for start in range(0, len(histories), size):
            forecast_many(histories[start : start + size], FORECAST_DAYS)
        alone.append(time.perf_counter() - started)
    print(
        f"reorder: forecast engine alone on the same {len(histories):,} histories: {alone[0]:.1f} s in batches of "
        f"{RECOMPUTE_BATCH} as the model calls it ({alone[0] * 1000 / len(histories):.2f} ms per series), "
        f"{alone[1]:.1f} s in one call; the recomputation without the engine: {without_engine:.1f} s"
    )
