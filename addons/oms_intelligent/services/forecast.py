"""Demand forecasting for reorder points: daily demand histories in, a daily forecast with its error out.

Interface
---------
``forecast_many(histories, horizon) -> list[Forecast]`` and ``forecast(history, horizon) -> Forecast`` (one series).
``histories`` holds one daily demand history per product x warehouse, oldest first, the last element being
yesterday; lengths may differ (0 to a few years). Negative or non-finite quantities count as 0. The caller should
start a history when the product became available: leading zeros count as days without demand. ``horizon`` (>= 1)
is the number of days to forecast (a ValueError otherwise). The result is in the input's order; each
:class:`Forecast` (a frozen dataclass, compared by identity since ``daily`` is an array) gives:

- ``method``: one of :data:`METHODS`, the method chosen for this series (below);
- ``daily``: the forecast demand of each of the ``horizon`` days after the last history day, >= 0 (read-only);
- ``sigma``: the standard deviation of the chosen method's one-step daily forecast errors, in sample, over the
  window it was fitted on (warm-up excepted, hold-out included): sqrt(mean(e_t^2)), errors about zero, so that a
  bias counts as uncertainty too. It is the sigma of a safety stock such as z x sigma x sqrt(lead time days);
- ``mase``: the chosen method's hold-out MASE (below), None when the history is too short for a hold-out or there
  is nothing to forecast;
- ``params``: the fitted smoothing parameters (``alpha``, ``beta``, ``gamma``, ``phi`` as they apply);
- ``history_days``: the days of history the chosen method was fitted on: the daily window (the last 365 days at
  most) for the daily methods, the whole weeks for ``hw_yearly``, the whole history for ``none``;
- ``over(days)``: the total forecast demand over the first ``days`` days (fractional days count pro rata; days
  beyond the horizon at the average rate of the last 7 forecast days).

Nothing here touches the database: the Odoo model gathers the histories from stock moves, calls
:func:`forecast_many` and stores the results.

Classification
--------------
Daily methods read the last ``DAILY_WINDOW`` = 365 days at most, so that their cost does not grow with the
history; the window is one year, enough for the weekly season and to smooth over, and recent enough.

- ``none``: the history is empty, or the window holds no demand at all (a product that sold nothing in a year has a
  zero forecast, whatever it sold before). Zeros, sigma 0, mase None.
- ``croston_sba``: intermittent demand, average inter-demand interval ADI = window days / days with demand >= 1.32
  (Syntetos & Boylan's cut-off between smooth and intermittent demand).
- otherwise the candidates below, each fitted by grid search (the grid point with the least in-sample squared
  one-step error), compete on a hold-out, the lowest MASE winning (equal MASE: the simpler, in the order ses, holt,
  hw_weekly, hw_yearly): ``ses`` and ``holt`` always, ``hw_weekly`` from 35 training days (49 days of history),
  ``hw_yearly`` from 574 days of history.

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
- ``hw_yearly``, additive Holt-Winters with a yearly season on weekly buckets (the daily history summed over 7-day
  buckets aligned to its end, the oldest n mod 7 days dropped; m = 52, all weeks used): the same recursion, weeks
  for days, and the same trend options as hw_weekly. The recursion runs from week 53 (k = 52), from the
  least-squares fit over the training weeks of w_k = b k + d_(k mod 52), a line plus one index per week of the year:
  level mean(d) + 51 b, trend b, seasonal indices d - mean(d). Initialising from the first year alone (its mean as
  level, each week minus it as index) would bake that year's growth into the indices, a rising year looking like a
  season peaking in December: on 2,000 synthetic Poisson series of 730 days (yearly season up to +-50 %, weekly up
  to +-30 %, trends of standard deviation 15 % a year) the least squares halved hw_yearly's error over the next 60
  days (mean absolute error 19 % of the mean demand -> 10 %). The second year is then read both by the initial fit
  and by the grid search, as with ETS software that optimises its initial states. It needs ``YEARLY_MIN_DAYS`` = 574
  days, 82 weeks: a year plus half a year of training weeks (the half year for the fit to tell the trend from the
  season, and for the grid search to fit gamma on: a seasonal index is updated once a year, so with less it would be
  fitted on almost nothing) and the 4-week hold-out. Two full years (730 days) would be the textbook minimum for a
  seasonal start, but would leave out a product sold for 20 to 24 months. A week's forecast is spread over its days
  by the day-of-week profile: each weekday's share of the demand of the last 52 weeks (the weekly buckets are
  aligned to the end, so a bucket position is a weekday). A flat profile would lose a weekly pattern that hw_weekly
  keeps, and then hw_yearly could not win on a series having both; with no weekday pattern the shares are 1/7 give
  or take the noise of 52 weeks, so the profile costs little. Its ``sigma`` is the weekly one-step error divided by
  sqrt(7) (days taken as independent within a week).
- ``croston_sba``, Croston with the Syntetos-Boylan approximation: the non-zero demand sizes z and the intervals p
  between demand days are smoothed separately with the same alpha, at demand days only: z <- z + alpha (y_t - z),
  p <- p + alpha (q - p) with q the days since the previous demand (not for the window's first demand, whose
  interval is unknown). Forecast rate per day: f = (1 - alpha / 2) z / p, the factor removing Croston's upward
  bias. Initial z and p: the mean demand size and the ADI of the training part.

Grid search
-----------
Each method's parameters are fitted by trying every point of a fixed grid (``SES_GRID`` 15 points, ``HOLT_GRID``
84, ``HW_WEEKLY_GRID`` 125, ``HW_YEARLY_GRID`` 120, ``CROSTON_GRID`` 6) and keeping the one with the least sum of
squared one-step errors over the training part, a warm-up excepted: the first 7 days of the window (a third of the
training part when it is shorter than 21 days), which the initial values are drawn from; none for hw_yearly, whose
recursion starts after the first year. A grid is coarse but robust (no local minimum, no failed convergence) and,
above all, vectorisable: every recursion runs once over time on arrays of shape (series, grid points), for all the
series with the same daily window at once (``forecast_many`` groups them by window length, every history of 365
days or more sharing one, and hw_yearly by number of weeks; chunks of ``CHUNK`` series keep the arrays in the
processor's cache). After the training part only the chosen point goes on, through the hold-out. Each series'
result does not depend on the others in its batch: ``forecast_many`` gives exactly what ``forecast`` gives one by
one. On a 2-CPU machine 10,000 series of 730 days take about 3 s (0.3 ms each; 0.5 ms for lengths spread over 0 to
800 days, in more and smaller groups): ``bench/forecast_engine.py``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

METHODS = ("none", "ses", "holt", "hw_weekly", "hw_yearly", "croston_sba")

DAILY_WINDOW = 365
HOLDOUT_FROM_DAYS = 21
LONG_HOLDOUT_FROM_DAYS = 70
SHORT_HOLDOUT_DAYS = 14
LONG_HOLDOUT_DAYS = 28
WARM_UP_DAYS = 7
WEEK = 7
WEEKLY_SEASON_MIN_TRAINING_DAYS = 5 * WEEK
YEAR_WEEKS = 52
YEARLY_MIN_DAYS = 82 * WEEK
INTERMITTENT_ADI = 1.32
INITIAL_TREND_DAYS = 28
INITIAL_SEASON_WEEKS = 4
CHUNK = 256
AICC_HOLT_PARAMETERS = 5
AICC_SES_PARAMETERS = 2

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
HW_YEARLY_GRID = tuple(
    {"alpha": alpha, "beta": beta, "gamma": gamma, "phi": phi, "trend": trend}
    for alpha, gamma, (beta, phi, trend) in product(
        (0.05, 0.1, 0.2, 0.4, 0.6), (0.05, 0.1, 0.2, 0.35, 0.5), TREND_OPTIONS
    )
    if gamma <= 1 - alpha
)
CROSTON_GRID = tuple({"alpha": alpha} for alpha in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3))


@dataclass(frozen=True, eq=False)
class Forecast:
    """One series' forecast: see "Interface" in the module docstring. (``eq=False``: ``daily`` is an array, which
    the generated ``__eq__`` could not compare.)"""

    method: str
    daily: np.ndarray
    sigma: float
    mase: float | None
    params: dict
    history_days: int

    def over(self, days: float) -> float:
        """Total forecast demand over the first ``days`` days after the history: a fraction of a day counts pro
        rata; days beyond the horizon at the average rate of the last 7 forecast days."""
        if days < 0 or not math.isfinite(days):
            raise ValueError(f"days must be finite and not negative, not {days}")
        whole = int(days)
        horizon = self.daily.size
        if whole < horizon:
            return float(self.daily[:whole].sum() + (days - whole) * self.daily[whole])
        return float(self.daily.sum() + (days - horizon) * self.daily[-WEEK:].mean())


def forecast(history: Sequence[float], horizon: int) -> Forecast:
    """One series: see :func:`forecast_many`."""
    return forecast_many([history], horizon)[0]


def forecast_many(histories: Sequence[Sequence[float]], horizon: int) -> list[Forecast]:
    """The forecast of each daily demand history, in the given order: see the module docstring."""
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


# One block: series with the same daily window --------------------------------------------------------------------


@dataclass
class _Fitted:
    """One method fitted on a block of S series: the hold-out forecasts (S, H) (None without a hold-out), the
    forecasts (S, horizon), sigma (S,), the training SSE and its number of errors (for AICc), the grid point of each
    series and the days of history read (S,)."""

    method: str
    holdout: np.ndarray | None
    daily: np.ndarray
    sigma: np.ndarray
    sse: np.ndarray
    errors: int
    best: np.ndarray
    grid: tuple
    history_days: np.ndarray


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
        fitted = _croston(window[intermittent], holdout, horizon)
        mases = [_mase(fitted.holdout, window[intermittent], holdout) if holdout else None]
        _collect(results, intermittent, [fitted], np.zeros(intermittent.size, dtype=int), mases)
    if smooth.size:
        series = window[smooth]
        candidates = [_ses(series, holdout, horizon), _holt(series, holdout, horizon)]
        if days - holdout >= WEEKLY_SEASON_MIN_TRAINING_DAYS:
            candidates.append(_hw_weekly(series, holdout, horizon))
        yearly = _hw_yearly([histories[row] for row in smooth], holdout, horizon)
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


def _collect(results: list, indexes: np.ndarray, candidates: list[_Fitted], chosen: np.ndarray, mases: list) -> None:
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


def _aicc(fitted: _Fitted) -> np.ndarray:
    k = AICC_HOLT_PARAMETERS if fitted.method == "holt" else AICC_SES_PARAMETERS
    errors = fitted.errors
    if errors - k - 1 <= 0:
        return np.full(fitted.sse.shape, np.inf)
    mse = np.maximum(fitted.sse / errors, 1e-12)
    return errors * np.log(mse) + 2 * k + 2 * k * (k + 1) / (errors - k - 1)


def _warm_up(training_days: int) -> int:
    return min(WARM_UP_DAYS, training_days // 3)


# Exponential smoothing ------------------------------------------------------------------------------------------


def _ses(series: np.ndarray, holdout: int, horizon: int) -> _Fitted:
    training = series.shape[1] - holdout
    level = series[:, : min(WARM_UP_DAYS, training)].mean(axis=1)
    return _ets("ses", series, holdout, horizon, SES_GRID, level, None, None, _warm_up(training))


def _holt(series: np.ndarray, holdout: int, horizon: int) -> _Fitted:
    training = series.shape[1] - holdout
    level, trend = _line(series[:, : min(INITIAL_TREND_DAYS, training)])
    return _ets("holt", series, holdout, horizon, HOLT_GRID, level, trend, None, _warm_up(training))


def _hw_weekly(series: np.ndarray, holdout: int, horizon: int) -> _Fitted:
    training = series.shape[1] - holdout
    weeks = min(INITIAL_SEASON_WEEKS, training // WEEK)
    start = series[:, : weeks * WEEK]
    level, trend = _line(start)
    steps = np.arange(start.shape[1])
    residuals = start - (level[:, None] + trend[:, None] * (steps + 1))
    season = residuals.reshape(len(series), weeks, WEEK).mean(axis=1)
    season -= season.mean(axis=1, keepdims=True)
    return _ets("hw_weekly", series, holdout, horizon, HW_WEEKLY_GRID, level, trend, season.T, WARM_UP_DAYS)


def _hw_yearly(histories: list[np.ndarray], holdout: int, horizon: int) -> _Fitted | None:
    """Holt-Winters on weekly buckets for the histories of ``YEARLY_MIN_DAYS`` or more, grouped by their number of
    weeks; the other rows get NaN hold-out forecasts. None when no history is long enough."""
    by_weeks: dict[int, list[int]] = {}
    for row, history in enumerate(histories):
        if history.size >= YEARLY_MIN_DAYS:
            by_weeks.setdefault(history.size // WEEK, []).append(row)
    if not by_weeks:
        return None
    count = len(histories)
    fitted = _Fitted(
        method="hw_yearly",
        holdout=np.full((count, holdout), np.nan),
        daily=np.zeros((count, horizon)),
        sigma=np.zeros(count),
        sse=np.zeros(count),
        errors=0,
        best=np.zeros(count, dtype=int),
        grid=HW_YEARLY_GRID,
        history_days=np.zeros(count, dtype=int),
    )
    for weeks, rows in by_weeks.items():
        days = np.array([histories[row][histories[row].size - weeks * WEEK :] for row in rows])
        part = _hw_yearly_block(days, holdout, horizon)
        for name in ("holdout", "daily", "sigma", "sse", "best", "history_days"):
            getattr(fitted, name)[rows] = getattr(part, name)
    return fitted


def _hw_yearly_block(days: np.ndarray, holdout: int, horizon: int) -> _Fitted:
    """Holt-Winters on the weekly buckets of ``days`` (S, 7 x K), from week 53 on, its forecasts spread over the
    days."""
    count, length = days.shape
    weeks = days.reshape(count, length // WEEK, WEEK).sum(axis=2)
    level, trend, season = _yearly_start(weeks[:, : weeks.shape[1] - holdout // WEEK])
    fitted = _ets(
        "hw_yearly",
        weeks[:, YEAR_WEEKS:],
        holdout // WEEK,
        -(-horizon // WEEK),
        HW_YEARLY_GRID,
        level,
        trend,
        season,
        0,
    )
    fitted.holdout = _spread(fitted.holdout, _weekday_shares(days[:, : length - holdout]), holdout)
    fitted.daily = _spread(fitted.daily, _weekday_shares(days), horizon)
    fitted.sigma = fitted.sigma / math.sqrt(WEEK)
    fitted.history_days = np.full(count, length)
    return fitted


def _yearly_start(weeks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The yearly recursion's state before week 53 from the training weeks (S, K): least-squares fit of
    w_k = b k + d_(k mod 52); level d_mean + 51 b, trend b, seasonal indices d - d_mean (52, S)."""
    steps = np.arange(weeks.shape[1])
    design = np.zeros((steps.size, 1 + YEAR_WEEKS))
    design[:, 0] = steps
    design[steps, 1 + steps % YEAR_WEEKS] = 1.0
    # Multiply and sum rather than a matrix product: each series' result then does not depend on the batch.
    coefficients = (weeks[:, None, :] * np.linalg.pinv(design)[None, :, :]).sum(axis=2)
    trend, indices = coefficients[:, 0], coefficients[:, 1:]
    mean = indices.mean(axis=1)
    return mean + trend * (YEAR_WEEKS - 1), trend, (indices - mean[:, None]).T


def _weekday_shares(days: np.ndarray) -> np.ndarray:
    """Each bucket position's share of the demand of the last 52 weeks of ``days`` (S, 7 x weeks), (S, 7)."""
    last_year = days[:, -YEAR_WEEKS * WEEK :]
    totals = last_year.reshape(len(days), -1, WEEK).sum(axis=1)
    grand = totals.sum(axis=1, keepdims=True)
    return np.where(grand > 0, totals / np.where(grand > 0, grand, 1.0), 1.0 / WEEK)


def _spread(weekly: np.ndarray, shares: np.ndarray, days: int) -> np.ndarray:
    """Weekly forecasts (S, W) spread over days (S, days) by the weekday shares."""
    return (weekly[:, :, None] * shares[:, None, :]).reshape(len(weekly), -1)[:, :days]


def _line(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares line through each row of ``values`` (S, n) at t = 0..n-1: its value at t = -1 (the level before
    the first day) and its slope. The slope is 0 for a single day."""
    steps = np.arange(values.shape[1], dtype=float)
    centred = steps - steps.mean()
    spread = (centred**2).sum()
    slope = (values * centred).sum(axis=1) / spread if spread > 0 else np.zeros(len(values))
    level = values.mean(axis=1) - slope * (steps.mean() + 1)
    return level, slope


def _ets(
    method: str,
    series: np.ndarray,
    holdout: int,
    horizon: int,
    grid: tuple,
    level: np.ndarray,
    trend: np.ndarray | None,
    season: np.ndarray | None,
    warm_up: int,
) -> _Fitted:
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
    return _Fitted(
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


# Croston ---------------------------------------------------------------------------------------------------------


def _croston(series: np.ndarray, holdout: int, horizon: int) -> _Fitted:
    """Croston-SBA grid search on intermittent series (S, T): see "Methods" in the module docstring."""
    count, steps = series.shape
    training = steps - holdout
    warm_up = _warm_up(training)
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
    return _Fitted(
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
