"""Croston with the Syntetos-Boylan approximation (``croston_sba``), for intermittent demand.

The non-zero demand sizes z and the intervals p between demand days are smoothed separately with the same alpha, at
demand days only: z <- z + alpha (y_t - z), p <- p + alpha (q - p) with q the days since the previous demand (not for
the window's first demand, whose interval is unknown). Forecast rate per day: f = (1 - alpha / 2) z / p, the factor
removing Croston's upward bias. Initial z and p: the mean demand size and the ADI of the training part.
"""

import numpy as np

from .fitted import Fitted, warm_up_days

CROSTON_GRID = tuple({"alpha": alpha} for alpha in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3))


def croston(series: np.ndarray, holdout: int, horizon: int) -> Fitted:
    """Croston-SBA grid search on intermittent series (S, T): see the module docstring."""
    count, steps = series.shape
    training = steps - holdout
    warm_up = warm_up_days(training)
    alpha = np.array([[point["alpha"] for point in CROSTON_GRID]])
    demand_days = np.count_nonzero(series[:, :training], axis=1)
    sizes = np.where(demand_days > 0, series[:, :training].sum(axis=1) / np.maximum(demand_days, 1), 0.0)
    intervals = np.where(demand_days > 0, training / np.maximum(demand_days, 1), float(training))
    grid_size = alpha.shape[1]
    state = [
        np.repeat(sizes[:, None], grid_size, axis=1),
        np.repeat(intervals[:, None], grid_size, axis=1),
        np.zeros((count, 1)),
        np.zeros((count, 1)),
    ]
    sse = np.zeros((count, grid_size))
    _croston_recurse(series, 0, training, warm_up, alpha, state, sse)

    best = np.argmin(sse, axis=1)
    rows = np.arange(count)
    chosen = alpha[0, best, None]
    state = [state[0][rows, best, None], state[1][rows, best, None], state[2], state[3]]
    holdout_forecast = np.repeat(_croston_rate(state, chosen), holdout, axis=1) if holdout else None
    sse_holdout = np.zeros((count, 1))
    _croston_recurse(series, training, steps, warm_up, chosen, state, sse_holdout)
    return Fitted(
        method="croston_sba",
        holdout=holdout_forecast,
        daily=np.repeat(_croston_rate(state, chosen), horizon, axis=1),
        sigma=np.sqrt((sse[rows, best] + sse_holdout[:, 0]) / max(1, steps - warm_up)),
        sse=sse[rows, best],
        errors=training - warm_up,
        best=best,
        grid=CROSTON_GRID,
        history_days=np.full(count, steps),
    )


def _croston_rate(state: list, alpha: np.ndarray) -> np.ndarray:
    return np.maximum((1 - alpha / 2) * state[0] / state[1], 0.0)


def _croston_recurse(
    series: np.ndarray, start: int, stop: int, warm_up: int, alpha: np.ndarray, state: list, sse: np.ndarray
) -> None:
    """Croston's recursion over times start..stop-1. ``state``: sizes and intervals (S, G), days since the last
    demand and whether a demand was seen in the window (S, 1), updated in place."""
    size, interval, since, seen = state
    factor = 1 - alpha / 2
    rate = np.empty_like(size)
    work = np.empty_like(size)
    for time in range(start, stop):
        actual = series[:, time, None]
        np.divide(size, interval, out=rate)
        np.multiply(factor, rate, out=rate)
        if time >= warm_up:
            np.subtract(actual, rate, out=work)
            np.multiply(work, work, out=work)
            np.add(sse, work, out=sse)
        since += 1.0
        demand = (actual > 0).astype(float)
        # Sizes and intervals move at demand days only; an interval needs a previous demand in the window.
        np.subtract(actual, size, out=work)
        np.multiply(work, alpha * demand, out=work)
        np.add(size, work, out=size)
        np.subtract(since, interval, out=work)
        np.multiply(work, alpha * (demand * seen), out=work)
        np.add(interval, work, out=interval)
        since *= 1.0 - demand
        np.maximum(seen, demand, out=seen)
