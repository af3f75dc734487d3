"""Additive exponential smoothing on daily series: ``ses``, ``holt`` and ``hw_weekly``, and the recursion they share
with ``hw_yearly`` (module ``yearly``).

Methods
-------
In error-correction form, with e_t = y_t - f_t the one-step error of the forecast f_t made the day before
(equivalent to the textbook component form, e.g. Hyndman & Athanasopoulos, Forecasting: Principles and Practice):

- ``ses``, simple exponential smoothing: f_t = l_{t-1}; l_t = l_{t-1} + alpha e_t. Forecast l_T for every day.
  Initial level: the mean of the first 7 days of the window.
- ``holt``, Holt's damped trend: f_t = l_{t-1} + phi b_{t-1}; l_t = l_{t-1} + phi b_{t-1} + alpha e_t;
  b_t = phi b_{t-1} + alpha beta e_t (beta is the component form's trend smoothing, b_t = beta (l_t - l_{t-1}) +
  (1 - beta) phi b_{t-1}). Forecast h days ahead: l_T + (phi + phi^2 + ... + phi^h) b_T; with phi < 1 the trend
  fades out (to at most b_T phi / (1 - phi) in total), with phi = 1 it is linear. Initial level and trend: the
  least-squares line through the first 28 days of the window.
- ``hw_weekly``, additive Holt-Winters with a weekly season (m = 7) on the daily data: f_t = l_{t-1} + phi b_{t-1} +
  s_{t-m}; level and trend as Holt's, s_t = s_{t-m} + gamma e_t (0 <= gamma <= 1 - alpha). Forecast: l_T + (phi +
  ... + phi^h) b_T + s_{T+h-m} (the last seasonal index of that weekday). Initial values from the first 4 weeks
  (fewer if the training part is shorter): the least-squares line gives level and trend, the mean residual of each
  weekday the seasonal indices (centred). One grid option is "no trend" (beta = 0, phi = 1, initial trend 0).
  Needs 35 days (5 weeks: one to initialise, four to fit) of training part.
"""

from dataclasses import dataclass
from itertools import product

import numpy as np

from .fitted import WARM_UP_DAYS, Fitted, warm_up_days
from .result import WEEK

INITIAL_TREND_DAYS = 28
INITIAL_SEASON_WEEKS = 4
WEEKLY_SEASON_MIN_TRAINING_DAYS = 5 * WEEK

SES_GRID = tuple(
    {"alpha": alpha} for alpha in (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.17, 0.22, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0)
)
HOLT_GRID = tuple(
    {"alpha": alpha, "beta": beta, "phi": phi}
    for alpha, beta, phi in product((0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8), (0.01, 0.05, 0.15, 0.4), (0.9, 0.98, 1.0))
)
# (beta, phi, with a trend): "no trend" keeps the trend at 0.
TREND_OPTIONS = ((0.0, 1.0, False), (0.01, 0.9, True), (0.01, 0.98, True), (0.1, 0.98, True), (0.01, 1.0, True))
HW_WEEKLY_GRID = tuple(
    {"alpha": alpha, "beta": beta, "gamma": gamma, "phi": phi, "trend": trend}
    for alpha, gamma, (beta, phi, trend) in product(
        (0.02, 0.05, 0.1, 0.2, 0.4), (0.02, 0.05, 0.1, 0.2, 0.4), TREND_OPTIONS
    )
    if gamma <= 1 - alpha
)


def ses(series: np.ndarray, holdout: int, horizon: int) -> Fitted:
    training = series.shape[1] - holdout
    level = series[:, : min(WARM_UP_DAYS, training)].mean(axis=1)
    return ets("ses", series, holdout, horizon, SES_GRID, level, None, None, warm_up_days(training))


def holt(series: np.ndarray, holdout: int, horizon: int) -> Fitted:
    training = series.shape[1] - holdout
    level, trend = _line(series[:, : min(INITIAL_TREND_DAYS, training)])
    return ets("holt", series, holdout, horizon, HOLT_GRID, level, trend, None, warm_up_days(training))


def hw_weekly(series: np.ndarray, holdout: int, horizon: int) -> Fitted:
    training = series.shape[1] - holdout
    weeks = min(INITIAL_SEASON_WEEKS, training // WEEK)
    start = series[:, : weeks * WEEK]
    level, trend = _line(start)
    steps = np.arange(start.shape[1])
    residuals = start - (level[:, None] + trend[:, None] * (steps + 1))
    season = residuals.reshape(len(series), weeks, WEEK).mean(axis=1)
    season -= season.mean(axis=1, keepdims=True)
    return ets("hw_weekly", series, holdout, horizon, HW_WEEKLY_GRID, level, trend, season.T, WARM_UP_DAYS)


def _line(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares line through each row of ``values`` (S, n) at t = 0..n-1: its value at t = -1 (the level before
    the first day) and its slope. The slope is 0 for a single day."""
    steps = np.arange(values.shape[1], dtype=float)
    centred = steps - steps.mean()
    spread = (centred**2).sum()
    slope = (values * centred).sum(axis=1) / spread if spread > 0 else np.zeros(len(values))
    level = values.mean(axis=1) - slope * (steps.mean() + 1)
    return level, slope


def ets(
    method: str,
    series: np.ndarray,
    holdout: int,
    horizon: int,
    grid: tuple,
    level: np.ndarray,
    trend: np.ndarray | None,
    season: np.ndarray | None,
    warm_up: int,
) -> Fitted:
    """Grid search of an additive exponential smoothing method on ``series`` (S, T): trend None for no trend
    component, season None or the initial seasonal indices (m, S), index j for the times t = j mod m. The training
    part fits the grid, the chosen point goes on through the hold-out, and forecasts ``horizon`` steps."""
    count, steps = series.shape
    training = steps - holdout
    alpha = np.array([[point["alpha"] for point in grid]])
    beta = np.array([[point["alpha"] * point.get("beta", 0.0) for point in grid]])
    gamma = np.array([[point.get("gamma", 0.0) for point in grid]])
    phi = np.array([[point.get("phi", 1.0) for point in grid]])
    with_trend = np.array([[point.get("trend", True) for point in grid]], dtype=float)
    size = alpha.shape[1]
    state = _State(
        level=np.repeat(level[:, None], size, axis=1),
        trend=None if trend is None else trend[:, None] * with_trend,
        season=None if season is None else np.repeat(season[:, :, None], size, axis=2),
    )
    sse = np.zeros((count, size))
    _recurse(series, 0, training, warm_up, (alpha, beta, gamma, phi), state, sse)

    best = np.argmin(sse, axis=1)
    rows = np.arange(count)
    state = state.at(rows, best)
    coefficients = (alpha[0, best, None], beta[0, best, None], gamma[0, best, None], phi[0, best, None])
    holdout_forecast = _ets_forecast(state, coefficients[3], training, holdout) if holdout else None
    sse_holdout = np.zeros((count, 1))
    _recurse(series, training, steps, warm_up, coefficients, state, sse_holdout)
    return Fitted(
        method=method,
        holdout=holdout_forecast,
        daily=_ets_forecast(state, coefficients[3], steps, horizon),
        sigma=np.sqrt((sse[rows, best] + sse_holdout[:, 0]) / max(1, steps - warm_up)),
        sse=sse[rows, best],
        errors=training - warm_up,
        best=best,
        grid=grid,
        history_days=np.full(count, steps),
    )


@dataclass
class _State:
    """Exponential smoothing state, every array (S, G) (season (m, S, G)), updated in place."""

    level: np.ndarray
    trend: np.ndarray | None
    season: np.ndarray | None

    def at(self, rows: np.ndarray, columns: np.ndarray) -> "_State":
        """The state of grid point columns[i] for each series i, as (S, 1) (season (m, S, 1))."""
        return _State(
            level=self.level[rows, columns, None],
            trend=None if self.trend is None else self.trend[rows, columns, None],
            season=None if self.season is None else self.season[:, rows, columns, None],
        )


def _recurse(
    series: np.ndarray, start: int, stop: int, warm_up: int, coefficients: tuple, state: _State, sse: np.ndarray
) -> None:
    """Run the error-correction recursion over times start..stop-1, adding squared errors from ``warm_up`` on to
    ``sse``. ``coefficients``: alpha, alpha x beta, gamma, phi, broadcastable to the state's (S, G)."""
    alpha, beta, gamma, phi = coefficients
    level, trend, season = state.level, state.trend, state.season
    base = np.empty_like(level) if trend is not None else level
    error = np.empty_like(level)
    work = np.empty_like(level)
    period = 0 if season is None else season.shape[0]
    for time in range(start, stop):
        actual = series[:, time, None]
        if trend is not None:
            np.multiply(phi, trend, out=trend)
            np.add(level, trend, out=base)
        if season is not None:
            seasonal = season[time % period]
            np.add(base, seasonal, out=error)
            np.subtract(actual, error, out=error)
        else:
            np.subtract(actual, base, out=error)
        if time >= warm_up:
            np.multiply(error, error, out=work)
            np.add(sse, work, out=sse)
        np.multiply(alpha, error, out=work)
        np.add(base, work, out=level)
        if trend is not None:
            np.multiply(beta, error, out=work)
            np.add(trend, work, out=trend)
        if season is not None:
            np.multiply(gamma, error, out=work)
            np.add(seasonal, work, out=seasonal)


def _ets_forecast(state: _State, phi: np.ndarray, time: int, steps: int) -> np.ndarray:
    """Forecasts (S, steps) of times time..time+steps-1 from the (S, 1) state after time - 1, clipped at 0."""
    ahead = np.arange(1, steps + 1)
    result = np.repeat(state.level, steps, axis=1)
    if state.trend is not None:
        result += state.trend * np.cumsum(phi ** ahead[None, :], axis=1)
    if state.season is not None:
        period = state.season.shape[0]
        result += state.season[(time + ahead - 1) % period, :, 0].T
    return np.maximum(result, 0.0)
