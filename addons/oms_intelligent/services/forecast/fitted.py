"""One method fitted on a block of series by grid search, and the warm-up its errors are counted after.

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

from dataclasses import dataclass

import numpy as np

WARM_UP_DAYS = 7


@dataclass
class Fitted:
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


def warm_up_days(training_days: int) -> int:
    return min(WARM_UP_DAYS, training_days // 3)
