"""Which method forecasts each series: its classification, the candidates' competition on a hold-out, and the
Forecast of the chosen one.

Classification
--------------
Daily methods read the last ``DAILY_WINDOW`` = 365 days at most, so that their cost does not grow with the
history; the window is one year, enough for the weekly season and to smooth over, and recent enough.

- ``none``: the history is empty, or the window holds no demand at all (a product that sold nothing in a year has a
  zero forecast, whatever it sold before). Zeros, sigma 0, mase None.
- ``croston_sba``: intermittent demand, average inter-demand interval ADI = window days / days with demand >= 1.32
  (Syntetos & Boylan's cut-off between smooth and intermittent demand).
- otherwise the candidates (modules ``smoothing`` and ``yearly``), each fitted by grid search (the grid point with
  the least in-sample squared one-step error), compete on a hold-out, the lowest MASE winning (equal MASE: the
  simpler, in the order ses, holt, hw_weekly, hw_yearly): ``ses`` and ``holt`` always, ``hw_weekly`` from 35
  training days (49 days of history), ``hw_yearly`` from 574 days of history.

Hold-out and MASE
-----------------
The hold-out is the last 28 days of the window (14 days below 70 days of history, where 28 would leave too little
to fit the weekly season on; none below 21 days, where a week or two of hold-out would be mostly noise). Each
candidate is fitted on the training part (the window without the hold-out) and forecasts the hold-out from the end
of it, h = 1..H steps ahead like the real forecast, clipped at 0 like it:

    MASE = mean(|y_t - f_t| over the hold-out) / mean(|y_t - y_{t-1}| over the training part of the window)

The denominator, the in-sample error of the naive "same as yesterday" forecast, is common to all candidates; when
it is 0 (constant training part) the mean demand of the training part replaces it, and 1 when that is 0 too.
``croston_sba``, which does not compete, gets its hold-out MASE the same way.
Below 21 days there is no hold-out: only SES and Holt compete, on AICc = N ln(SSE / N) + 2k + 2k(k + 1) / (N - k -
1) over the N in-sample errors, with k = 2 for SES (alpha, initial level) and 5 for Holt (alpha, beta, phi, initial
level and trend), so that a trend must pay for itself on a few days of data; Holt needs N > 6.

Once chosen, the method's recursion goes on through the hold-out with the same parameters (no second fit), and the
forecast starts from its state at the end of the full history. Forecasts are clipped at 0.
"""

from collections.abc import Sequence

import numpy as np

from .croston import croston
from .fitted import Fitted
from .result import Forecast
from .smoothing import WEEKLY_SEASON_MIN_TRAINING_DAYS, holt, hw_weekly, ses
from .yearly import hw_yearly

DAILY_WINDOW = 365
HOLDOUT_FROM_DAYS = 21
LONG_HOLDOUT_FROM_DAYS = 70
SHORT_HOLDOUT_DAYS = 14
LONG_HOLDOUT_DAYS = 28
INTERMITTENT_ADI = 1.32
CHUNK = 256
AICC_HOLT_PARAMETERS = 5
AICC_SES_PARAMETERS = 2


def forecast(history: Sequence[float], horizon: int) -> Forecast:
    """One series: see :func:`forecast_many`."""
    return forecast_many([history], horizon)[0]


def forecast_many(histories: Sequence[Sequence[float]], horizon: int) -> list[Forecast]:
    """The forecast of each daily demand history, in the given order: see the package and module docstrings."""
    if isinstance(horizon, bool) or int(horizon) != horizon or horizon < 1:
        raise ValueError(f"horizon must be a whole number of days >= 1, not {horizon!r}")
    horizon = int(horizon)
    cleaned = [_cleaned(history) for history in histories]
    # The daily methods read the same window, and hold out the same days, of every history of 365 days or more.
    by_window: dict[int, list[int]] = {}
    for index, history in enumerate(cleaned):
        by_window.setdefault(min(history.size, DAILY_WINDOW), []).append(index)
    results: list[Forecast | None] = [None] * len(cleaned)
    for days, indexes in by_window.items():
        for start in range(0, len(indexes), CHUNK):
            chunk = indexes[start : start + CHUNK]
            block = _forecast_block([cleaned[index] for index in chunk], days, horizon)
            for index, result in zip(chunk, block, strict=True):
                results[index] = result
    return results


def _cleaned(history: Sequence[float]) -> np.ndarray:
    values = np.asarray(history, dtype=float).ravel()
    return np.where(np.isfinite(values) & (values > 0), values, 0.0)


def _holdout_days(days: int) -> int:
    if days >= LONG_HOLDOUT_FROM_DAYS:
        return LONG_HOLDOUT_DAYS
    return SHORT_HOLDOUT_DAYS if days >= HOLDOUT_FROM_DAYS else 0


def _forecast_block(histories: list[np.ndarray], days: int, horizon: int) -> list[Forecast]:
    """Forecasts of S histories whose daily window has the same length ``days`` (the last 365 days, or all)."""
    count = len(histories)
    window = np.array([history[history.size - days :] for history in histories]).reshape(count, days)
    holdout = _holdout_days(days)
    demand_days = np.count_nonzero(window, axis=1)
    results: list[Forecast | None] = [None] * count
    nothing = np.flatnonzero(demand_days == 0)
    intermittent = np.flatnonzero((demand_days > 0) & (days >= INTERMITTENT_ADI * demand_days))
    smooth = np.flatnonzero((demand_days > 0) & (days < INTERMITTENT_ADI * demand_days))
    for row in nothing:
        results[row] = Forecast("none", _read_only(np.zeros(horizon)), 0.0, None, {}, histories[row].size)
    if intermittent.size:
        fitted = croston(window[intermittent], holdout, horizon)
        mases = [_mase(fitted.holdout, window[intermittent], holdout) if holdout else None]
        _collect(results, intermittent, [fitted], np.zeros(intermittent.size, dtype=int), mases)
    if smooth.size:
        series = window[smooth]
        candidates = [ses(series, holdout, horizon), holt(series, holdout, horizon)]
        if days - holdout >= WEEKLY_SEASON_MIN_TRAINING_DAYS:
            candidates.append(hw_weekly(series, holdout, horizon))
        yearly = hw_yearly([histories[row] for row in smooth], holdout, horizon)
        if yearly is not None:
            candidates.append(yearly)
        if holdout:
            # A series too short for hw_yearly has NaN hold-out forecasts there: it cannot win.
            mases = [np.nan_to_num(_mase(fitted.holdout, series, holdout), nan=np.inf) for fitted in candidates]
            chosen = np.argmin(np.stack(mases), axis=0)
        else:
            mases = [None] * len(candidates)
            chosen = np.argmin(np.stack([_aicc(fitted) for fitted in candidates]), axis=0)
        _collect(results, smooth, candidates, chosen, mases)
    return results


def _collect(results: list, indexes: np.ndarray, candidates: list[Fitted], chosen: np.ndarray, mases: list) -> None:
    """Store in ``results[indexes[i]]`` the Forecast of candidate ``chosen[i]`` for series i (``mases``: each
    candidate's hold-out MASE (S,), or None)."""
    for row, (index, which) in enumerate(zip(indexes, chosen, strict=True)):
        fitted = candidates[which]
        point = fitted.grid[fitted.best[row]]
        results[index] = Forecast(
            method=fitted.method,
            daily=_read_only(fitted.daily[row]),
            sigma=float(fitted.sigma[row]),
            mase=None if mases[which] is None else float(mases[which][row]),
            params={name: float(value) for name, value in point.items() if name != "trend"},
            history_days=int(fitted.history_days[row]),
        )


def _read_only(values: np.ndarray) -> np.ndarray:
    values = np.array(values, dtype=float)
    values.flags.writeable = False
    return values


def _mase(holdout_forecast: np.ndarray, series: np.ndarray, holdout: int) -> np.ndarray:
    """Hold-out MASE of each series (see "Hold-out and MASE" in the module docstring)."""
    training = series[:, : series.shape[1] - holdout]
    scale = np.abs(np.diff(training, axis=1)).mean(axis=1) if training.shape[1] > 1 else np.zeros(len(series))
    scale = np.where(scale > 0, scale, training.mean(axis=1))
    scale = np.where(scale > 0, scale, 1.0)
    return np.abs(series[:, -holdout:] - holdout_forecast).mean(axis=1) / scale


def _aicc(fitted: Fitted) -> np.ndarray:
    k = AICC_HOLT_PARAMETERS if fitted.method == "holt" else AICC_SES_PARAMETERS
    errors = fitted.errors
    if errors - k - 1 <= 0:
        return np.full(fitted.sse.shape, np.inf)
    mse = np.maximum(fitted.sse / errors, 1e-12)
    return errors * np.log(mse) + 2 * k + 2 * k * (k + 1) / (errors - k - 1)
