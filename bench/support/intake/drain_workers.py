"""Staged orders drained by import workers: real OS processes (multiprocessing, 'spawn': Odoo's registry is not
fork-safe once used), each with its own registry and cursor, calling ``oms.channel.order._import_pending()`` as an
import worker does. The parent stages the orders, tells one or both workers to go, and samples PostgreSQL's lock
waits while they work. Used by the drain part (drain.py)."""

import collections
import logging
import multiprocessing
import os
import queue
import signal
import time
import traceback

READY_TIMEOUT = 300  # seconds for a worker to load Odoo and the registry
IDLE_TIMEOUT = 3600  # a worker that hears nothing for this long exits (its parent is gone)
MAX_RETRIES = 50  # concurrency errors (serialization, deadlock, lock not available) retried per drain
SAMPLE_EVERY = 0.25  # seconds between two looks at pg_stat_activity


# ---------------------------------------------------------------------------------------------------- worker side


class _WarningCounter(logging.Handler):
    """Counts the warnings and errors Odoo logs in a worker during a drain, keeping the first few."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0
        self.first = []

    def emit(self, record):
        self.count += 1
        if len(self.first) < 5:
            self.first.append(f"{record.levelname} {record.name}: {record.getMessage()[:300]}")

    def reset(self):
        self.count = 0
        self.first = []


class _TimeLimit(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise _TimeLimit()


def worker_main(config, database, worker_id, commands, results):
    """A worker process: loads the registry, says it is ready, then drains whenever told to, until told to stop."""
    from odoo import SUPERUSER_ID, api

    registry, warnings, claimed = _load_worker(config, database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        staging = env["oms.channel.order"]
        staging.search_count([("state", "=", "new")])
        cr.commit()
        results.put(("ready", worker_id, os.getpid()))
        while True:
            try:
                command = commands.get(timeout=IDLE_TIMEOUT)
            except queue.Empty:
                return
            if command[0] == "stop":
                return
            _verb, channel_id, time_limit = command
            claimed.clear()
            warnings.reset()
            results.put(("done", worker_id, _drain_report(env, (channel_id, time_limit), claimed, warnings)))


def _load_worker(config, database):
    """Odoo configured, its warnings counted, the registry loaded with ``_claim_batch`` counting the orders this
    worker claims, batch by batch (benchmark instrumentation: the method itself runs); (registry, warning counter,
    list of the batches' sizes)."""
    import odoo

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"], setup_logging=True)
    warnings = _WarningCounter()
    logging.getLogger().addHandler(warnings)
    signal.signal(signal.SIGALRM, _on_alarm)
    registry = odoo.modules.registry.Registry(database)
    staging_class = registry["oms.channel.order"]
    claim_batch = staging_class._claim_batch
    claimed = []

    def counting_claim_batch(self, channel=None, skip=()):
        batch = claim_batch(self, channel, skip=skip)
        if batch:
            claimed.append(len(batch))
        return batch

    staging_class._claim_batch = counting_claim_batch
    return registry, warnings, claimed


def _drain_report(env, channel_limit, claimed, warnings):
    """Drains once; what it took: time, orders and batches claimed, queries, CPU, retries, error, warnings."""
    import odoo.sql_db
    from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

    channel_id, time_limit = channel_limit
    cr = env.cr
    queries = odoo.sql_db.sql_counter
    backend = cr._cnx.get_backend_pid()
    cpu, backend_cpu = time.process_time(), cpu_seconds(backend)
    start = time.monotonic()
    retries, error = _drain(env, env["oms.channel.order"], channel_id, time_limit, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)
    end = time.monotonic()
    cpu, backend_cpu = time.process_time() - cpu, cpu_seconds(backend) - backend_cpu
    return {
        "start": start,
        "end": end,
        "orders": sum(claimed),
        "batches": len(claimed),
        "queries": odoo.sql_db.sql_counter - queries,
        "cpu": cpu,
        "backend_cpu": backend_cpu if backend == cr._cnx.get_backend_pid() else None,
        "retries": dict(retries),
        "error": error,
        "warnings": warnings.count,
        "first_warnings": list(warnings.first),
    }


def cpu_seconds(pid):
    """CPU seconds (user + system) a process has used so far, from /proc (Linux); 0.0 when unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU seconds all the machine's cores have been busy since boot (not idle nor waiting on I/O), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # user .. steal (guest time is inside user)


def _drain(env, staging, channel_id, time_limit, retry_errors):
    """``_import_pending()`` until it returns, each concurrency error rolled back and retried (as a cron worker's
    next run would), within time_limit seconds. Returns ({error name: count}, error text or None)."""
    cr = env.cr
    channel = env["oms.channel"].browse(channel_id) if channel_id else None
    retries = collections.Counter()
    signal.alarm(max(1, int(time_limit)))
    try:
        while True:
            try:
                staging._import_pending(channel)
                return retries, None
            except retry_errors as error:
                cr.rollback()
                retries[type(error).__name__] += 1
                if sum(retries.values()) > MAX_RETRIES:
                    return retries, f"more than {MAX_RETRIES} concurrency errors, last: {error}".strip()
    except _TimeLimit:
        cr.rollback()
        return retries, f"time limit of {time_limit} s reached"
    except Exception as error:  # noqa: BLE001 - reported to the parent, which fails the run
        cr.rollback()
        return retries, "".join(traceback.format_exception_only(error)).strip()
    finally:
        signal.alarm(0)


# ---------------------------------------------------------------------------------------------------- parent side


class DrainWorkers:
    """Worker processes started once (their start-up is not timed) and told to drain, one or several at a time."""

    def __init__(self, config, database, count):
        context = multiprocessing.get_context("spawn")
        self.results = context.Queue()
        self.commands = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(
                target=worker_main,
                args=(config, database, number, self.commands[number], self.results),
                name=f"oms-bench-import-worker-{number + 1}",
                daemon=True,
            )
            for number in range(count)
        ]

    def __enter__(self):
        for process in self.processes:
            process.start()
        ready = set()
        deadline = time.monotonic() + READY_TIMEOUT
        while len(ready) < len(self.processes):
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"import workers not ready after {READY_TIMEOUT} s")
            try:
                message = self.results.get(timeout=1)
            except queue.Empty:
                continue
            if message[0] == "ready":
                ready.add(message[1])
        return self

    def __exit__(self, *_exc):
        for commands in self.commands:
            commands.put(("stop",))
        for process in self.processes:
            process.join(timeout=30)
        for process in self.processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()

    def _check_alive(self):
        for process in self.processes:
            if not process.is_alive():
                raise RuntimeError(f"{process.name} exited (code {process.exitcode})")

    def drain(self, workers, channel_id, time_limit, sampler=None):
        """Tell these workers to drain at once; (seconds until the last one finished, {worker: its report}, CPU
        seconds the whole machine was busy meanwhile, all processes but this one, which waits and samples)."""
        machine = machine_busy_seconds() - time.process_time()
        start = time.monotonic()
        for number in workers:
            self.commands[number].put(("drain", channel_id, time_limit))
        reports = {}
        deadline = start + time_limit + 60
        next_sample = start
        while len(reports) < len(workers):
            if sampler and time.monotonic() >= next_sample:
                sampler.sample()
                next_sample += SAMPLE_EVERY
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"import workers did not finish within {time_limit + 60} s")
            try:
                message = self.results.get(timeout=SAMPLE_EVERY / 2)
            except queue.Empty:
                continue
            if message[0] == "done":
                reports[message[1]] = message[2]
        busy = machine_busy_seconds() - time.process_time() - machine
        return max(report["end"] for report in reports.values()) - start, reports, busy


class LockSampler:
    """Looks at pg_stat_activity of the database (its own connection) for sessions waiting on a lock."""

    def __init__(self, registry):
        self.registry = registry
        self.cr = None
        self.samples = 0
        self.waiting_samples = 0
        self.waits = collections.Counter()

    def __enter__(self):
        self.cr = self.registry.cursor()
        return self

    def __exit__(self, *_exc):
        self.cr.close()

    def sample(self):
        self.cr.execute(
            "SELECT wait_event, regexp_replace(left(query, 60), '\\s+', ' ', 'g') FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        rows = self.cr.fetchall()
        self.cr.rollback()  # each look in a transaction of its own: the statistics snapshot is per transaction
        self.samples += 1
        if rows:
            self.waiting_samples += 1
            self.waits.update(rows)

    def summary(self):
        if not self.waiting_samples:
            return (
                f"no session waiting on a lock in {self.samples:,} looks at pg_stat_activity (every {SAMPLE_EVERY} s)"
            )
        top = "; ".join(f"{event} x{count} ({query}...)" for (event, query), count in self.waits.most_common(3))
        return (
            f"sessions waiting on a lock in {self.waiting_samples:,} of {self.samples:,} looks at pg_stat_activity"
            f" (every {SAMPLE_EVERY} s): {top}"
        )


# ---------------------------------------------------------------------------------------------------- checks


def check_drained(env, channels_refs):
    """Every order of these channels ({channel: expected references}) imported exactly once; none left to import.
    Returns (problems, number of orders checked)."""
    problems = []
    checked = 0
    for channel, refs in channels_refs.items():
        problems += _sale_order_problems(env.cr, channel, refs)
        problems += _staging_problems(env, channel, refs)
        checked += len(refs)
    left = env["oms.channel.order"].search_count([("state", "=", "new")])
    if left:
        problems.append(f"{left} staged orders still to import after the drains")
    return problems, checked


def _sale_order_problems(cr, channel, refs):
    """One confirmed sale order per expected reference of the channel."""
    problems = []
    cr.execute(
        "SELECT oms_channel_ref, count(*), min(state), max(state) FROM sale_order WHERE oms_channel_id = %s"
        " GROUP BY oms_channel_ref",
        (channel.id,),
    )
    rows = cr.fetchall()
    counts = {ref: count for ref, count, _low, _high in rows}
    if set(counts) != set(refs):
        missing = len(set(refs) - set(counts))
        extra = len(set(counts) - set(refs))
        problems.append(f"{channel.code}: {missing} orders without a sale order, {extra} unexpected sale orders")
    twice = {ref: count for ref, count in counts.items() if count != 1}
    if twice:
        sample = ", ".join(f"{ref} x{count}" for ref, count in list(twice.items())[:5])
        problems.append(f"{channel.code}: {len(twice)} orders imported more than once ({sample})")
    unconfirmed = [ref for ref, _count, low, high in rows if low != "sale" or high != "sale"]
    if unconfirmed:
        problems.append(f"{channel.code}: {len(unconfirmed)} sale orders not confirmed")
    return problems


def _staging_problems(env, channel, refs):
    """Every staging record of the channel imported, pointing to its own sale order of its reference."""
    problems = []
    env.cr.execute(
        "SELECT s.state, count(*), count(DISTINCT s.sale_order_id),"
        " count(*) FILTER (WHERE o.oms_channel_ref IS DISTINCT FROM s.external_ref)"
        " FROM oms_channel_order s LEFT JOIN sale_order o ON o.id = s.sale_order_id"
        " WHERE s.channel_id = %s GROUP BY s.state",
        (channel.id,),
    )
    states = {state: (count, distinct, mismatched) for state, count, distinct, mismatched in env.cr.fetchall()}
    imported, distinct, mismatched = states.pop("imported", (0, 0, 0))
    if imported != len(refs) or distinct != len(refs) or mismatched:
        problems.append(
            f"{channel.code}: {imported} staging records imported ({distinct} distinct sale orders,"
            f" {mismatched} pointing to another reference's order) for {len(refs)} orders"
        )
    if states:
        other = ", ".join(f"{count} {state}" for state, (count, _d, _m) in sorted(states.items()))
        sample = env["oms.channel.order"].search(
            [("channel_id", "=", channel.id), ("state", "!=", "imported")], limit=3
        )
        errors = "; ".join(f"{r.external_ref}: {r.error_message or ''}"[:200] for r in sample)
        problems.append(f"{channel.code}: staging records not imported: {other} ({errors})")
    return problems


def duplicate_customers(env, emails):
    """E-mails of new customers for which more than one customer (company-level partner) exists."""
    if not emails:
        return {}
    env.cr.execute(
        "SELECT email, count(*) FROM res_partner WHERE email IN %s AND parent_id IS NULL GROUP BY email"
        " HAVING count(*) > 1",
        (tuple(emails),),
    )
    return dict(env.cr.fetchall())
