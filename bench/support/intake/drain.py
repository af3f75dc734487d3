"""The intake benchmark's drain part: staged orders imported by one import worker process, then by two at once
(``_import_pending()``, claiming batches with SKIP LOCKED), in rounds taken in turns."""

import os
import random
import time

from . import drain_workers
from .data import SEED, channel_payload, external_ref, generate
from .report import report_cpu, report_drain, report_duplicates
from .world import bench_channel

DRAIN_WARMUP = 10  # untimed orders each drain worker imports first


class Rounds:
    """What the rounds of each path (1 worker, 2 workers) measured, and the problems met."""

    def __init__(self):
        self.seconds = {1: [], 2: []}
        self.reports = {1: [], 2: []}
        self.machine = {1: 0.0, 2: 0.0}  # CPU seconds the whole machine was busy during each path's drains
        self.problems = []
        self.sampler = None

    def worker_errors(self, outcome, label=""):
        for worker, report in outcome.items():
            if report["error"]:
                self.problems.append(f"drain: worker {worker + 1}{label}: {report['error']}")


def run_drain(args, env, registry, world, run):
    """The drain part: staged orders imported by one worker process and by two at once, in rounds taken in turns;
    prints its lines, returns problems."""
    rng = random.Random(SEED)
    _products, _customers, orders = generate(rng, args.drain_orders, args.lines)
    # Each path its own channel and run number (its own references and new customers), on the same orders.
    numbers = {"warmup": run + 1, 1: run + 2, 2: run + 3}
    channels = {
        key: bench_channel(env, world, number, "warm-up" if key == "warmup" else f"{key} worker(s)")
        for key, number in numbers.items()
    }
    env.cr.execute("SELECT count(*) FROM oms_channel_order WHERE state = 'new'")
    leftover = env.cr.fetchone()[0]
    load_before = os.getloadavg()[0]
    round_size = min(args.drain_round, args.drain_orders)
    rounds = Rounds()
    started = time.perf_counter()
    with drain_workers.DrainWorkers(args.config, args.database, 2) as workers:
        print(f"intake drain: 2 import worker processes ready in {time.perf_counter() - started:.1f} s (untimed)")
        _warm_up(args, env, workers, (channels["warmup"], numbers["warmup"]), rounds)
        with drain_workers.LockSampler(registry) as rounds.sampler:
            _take_turns(args, env, workers, (channels, numbers), orders, rounds)
    env.cr.rollback()  # a new snapshot: what the workers committed
    env.invalidate_all()
    refs = {channels[count]: {external_ref(order, numbers[count]) for order in orders} for count in (1, 2)}
    check_problems, checked = drain_workers.check_drained(env, refs)
    problems = rounds.problems + [f"drain: {problem}" for problem in check_problems]
    report_drain(args, rounds.seconds, rounds.reports, round_size, rounds.sampler, leftover)
    report_cpu(args, rounds.seconds, rounds.reports, rounds.machine, (load_before, os.getloadavg()[0]))
    report_duplicates(env, orders, numbers)
    if not problems:
        print(
            f"intake drain: checked: {checked:,} orders imported exactly once (one confirmed sale order per"
            " reference), every staging record imported, none left to import"
        )
    ratio = args.drain_orders / sum(rounds.seconds[2]) / (args.drain_orders / sum(rounds.seconds[1]))
    if ratio < args.min_drain_ratio:
        problems.append(f"drain: ratio {ratio:.2f} below --min-drain-ratio {args.min_drain_ratio}")
    return problems


def _warm_up(args, env, workers, channel_number, rounds):
    """Untimed: each worker imports a few orders first (the first also what earlier runs left staged)."""
    channel, number = channel_number
    warmup = generate(random.Random(SEED + 1), 2 * DRAIN_WARMUP, args.lines)[2]
    for worker in (0, 1):
        part = warmup[worker * DRAIN_WARMUP : (worker + 1) * DRAIN_WARMUP]
        rounds.problems += stage(env, channel, part, number)
        outcome = workers.drain([worker], None, args.drain_time_limit)[1]
        rounds.worker_errors({worker: outcome[worker]}, " (warm-up)")


def _take_turns(args, env, workers, channels_numbers, orders, rounds):
    """Rounds of --drain-round orders, one worker and two taking turns, the first alternating (1, 2, 2, 1...)."""
    channels, numbers = channels_numbers
    round_size = min(args.drain_round, args.drain_orders)
    for number, start in enumerate(range(0, len(orders), round_size)):
        chunk = orders[start : start + round_size]
        for count in (1, 2) if number % 2 == 0 else (2, 1):
            rounds.problems += stage(env, channels[count], chunk, numbers[count])
            elapsed, outcome, busy = workers.drain(list(range(count)), None, args.drain_time_limit, rounds.sampler)
            rounds.seconds[count].append(elapsed)
            rounds.reports[count].append(outcome)
            rounds.machine[count] += busy
            rounds.worker_errors(outcome)


def stage(env, channel, orders, number):
    """Stage the orders in the channel as webhooks would (``_receive``), committed; untimed. Returns problems."""
    staging = env["oms.channel.order"]
    payloads = [channel_payload(order, number) for order in orders]
    records = staging.browse()
    for start in range(0, len(payloads), 500):
        records |= staging._receive(channel, payloads[start : start + 500], source="webhook")
        env.cr.commit()
    if len(records) != len(orders) or set(records.mapped("state")) != {"new"}:
        return [f"drain: {len(records)} staged of {len(orders)} orders, states {sorted(set(records.mapped('state')))}"]
    return []
