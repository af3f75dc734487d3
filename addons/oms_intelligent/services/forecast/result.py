"""What a forecast gives for one series: :class:`Forecast` (see "Interface" in the package docstring)."""

import math
from dataclasses import dataclass

import numpy as np

METHODS = ("none", "ses", "holt", "hw_weekly", "hw_yearly", "croston_sba")

WEEK = 7


@dataclass(frozen=True, eq=False)
class Forecast:
    """One series' forecast: see "Interface" in the package docstring. (``eq=False``: ``daily`` is an array, which
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
