"""Forecast engine benchmark: ``forecast_many`` alone on 10,000 synthetic daily histories of 730 days (goal: 20 s or
less, i.e. 2 ms per series, so that the scheduled job recomputing every reorder point with its database work stays
within 60 s), then on 10,000 histories of random lengths 0 to 800 days (many groups of different lengths).

    .venv/bin/python bench/forecast_engine.py [--series 10000] [--days 730]

The engine is plain Python + NumPy: the module is loaded from its file, no Odoo and no database are needed
(``--config`` and ``--database``, passed by ``scripts/bench.sh``, are accepted and ignored). Data are generated with a
fixed seed: Poisson demand whose mean has a log-normal level, a yearly and a weekly season of random strength and
phase; one series in five is intermittent (demand on 5 to 50 % of the days).
"""

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

SEED = 42
SERVICE = Path(__file__).resolve().parent.parent / "addons" / "oms_intelligent" / "services" / "forecast"
HORIZON = 60


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--config", help="ignored (no database needed)")
    parser.add_argument("--database", help="ignored (no database needed)")
    return parser.parse_args(argv)


def load_engine():
    # The engine is a package: loaded from its folder, without importing the addon (and Odoo) around it.
    spec = importlib.util.spec_from_file_location(
        "forecast_engine_under_test", SERVICE / "__init__.py", submodule_search_locations=[str(SERVICE)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def history(rng, days):
    time_ = np.arange(days)
    level = rng.lognormal(1.0, 1.0)
    yearly = 1 + rng.uniform(0, 0.5) * np.sin(2 * np.pi * (time_ / 365.25 + rng.random()))
    weekly = 1 + rng.uniform(0, 0.3) * np.sin(2 * np.pi * (time_ / 7 + rng.random()))
    demand = rng.poisson(level * yearly * weekly).astype(float)
    if rng.random() < 0.2:
        demand *= rng.random(days) < rng.uniform(0.05, 0.5)
    return demand.tolist()


def figure(engine, histories, label):
    started = time.perf_counter()
    results = engine.forecast_many(histories, HORIZON)
    elapsed = time.perf_counter() - started
    methods = ", ".join(f"{method} {count}" for method, count in sorted(Counter(r.method for r in results).items()))
    print(
        f"forecast engine: {elapsed / len(histories) * 1000:.2f} ms per series, {elapsed:.1f} s for "
        f"{len(histories):,} series of {label} (goal <= 20 s for 10,000 x 730 days), horizon {HORIZON} days; {methods}"
    )
    return results


def main(argv):
    args = parse_args(argv)
    engine = load_engine()
    rng = np.random.default_rng(SEED)
    figure(engine, [history(rng, args.days) for _ in range(args.series)], f"{args.days} days")
    mixed = [history(rng, int(rng.integers(0, 801))) for _ in range(args.series)]
    figure(engine, mixed, "0 to 800 days")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
