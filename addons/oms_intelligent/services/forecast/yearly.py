"""Holt-Winters with a yearly season on weekly buckets, its forecasts spread over the days.

``hw_yearly``, additive Holt-Winters with a yearly season on weekly buckets (the daily history summed over 7-day
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
"""

import math
from itertools import product

import numpy as np

from .fitted import Fitted
from .result import WEEK
from .smoothing import TREND_OPTIONS, ets

YEAR_WEEKS = 52
YEARLY_MIN_DAYS = 82 * WEEK

HW_YEARLY_GRID = tuple(
    {"alpha": alpha, "beta": beta, "gamma": gamma, "phi": phi, "trend": trend}
    for alpha, gamma, (beta, phi, trend) in product(
        (0.05, 0.1, 0.2, 0.4, 0.6), (0.05, 0.1, 0.2, 0.35, 0.5), TREND_OPTIONS
    )
    if gamma <= 1 - alpha
)


def hw_yearly(histories: list[np.ndarray], holdout: int, horizon: int) -> Fitted | None:
    """Holt-Winters on weekly buckets for the histories of ``YEARLY_MIN_DAYS`` or more, grouped by their number of
    weeks; the other rows get NaN hold-out forecasts. None when no history is long enough."""
    by_weeks: dict[int, list[int]] = {}
    for row, history in enumerate(histories):
        if history.size >= YEARLY_MIN_DAYS:
            by_weeks.setdefault(history.size // WEEK, []).append(row)
    if not by_weeks:
        return None
    count = len(histories)
    fitted = Fitted(
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


def _hw_yearly_block(days: np.ndarray, holdout: int, horizon: int) -> Fitted:
    """Holt-Winters on the weekly buckets of ``days`` (S, 7 x K), from week 53 on, its forecasts spread over the
    days."""
    count, length = days.shape
    weeks = days.reshape(count, length // WEEK, WEEK).sum(axis=2)
    level, trend, season = _yearly_start(weeks[:, : weeks.shape[1] - holdout // WEEK])
    fitted = ets(
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
