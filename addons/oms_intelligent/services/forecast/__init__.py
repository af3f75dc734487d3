"""Demand forecasting for reorder points: daily demand histories in, a daily forecast with its error out.

Interface
---------
``forecast_many(histories, horizon) -> list[Forecast]`` and ``forecast(history, horizon) -> Forecast`` (one series).
``histories`` holds one daily demand history per product x warehouse, oldest first, the last element being
yesterday; lengths may differ (0 to a few years). Negative or non-finite quantities count as 0. The caller should
start a history when the product became available: leading zeros count as days without demand. ``horizon`` (>= 1)
is the number of days to forecast (a ValueError otherwise). The result is in the input's order; each
:class:`Forecast` (a frozen dataclass, compared by identity since ``daily`` is an array) gives:

- ``method``: one of :data:`METHODS`, the method chosen for this series (module ``selection``);
- ``daily``: the forecast demand of each of the ``horizon`` days after the last history day, >= 0 (read-only);
- ``sigma``: the standard deviation of the chosen method's one-step daily forecast errors, in sample, over the
  window it was fitted on (warm-up excepted, hold-out included): sqrt(mean(e_t^2)), errors about zero, so that a
  bias counts as uncertainty too. It is the sigma of a safety stock such as z x sigma x sqrt(lead time days);
- ``mase``: the chosen method's hold-out MASE (module ``selection``), None when the history is too short for a
  hold-out or there is nothing to forecast;
- ``params``: the fitted smoothing parameters (``alpha``, ``beta``, ``gamma``, ``phi`` as they apply);
- ``history_days``: the days of history the chosen method was fitted on: the daily window (the last 365 days at
  most) for the daily methods, the whole weeks for ``hw_yearly``, the whole history for ``none``;
- ``over(days)``: the total forecast demand over the first ``days`` days (fractional days count pro rata; days
  beyond the horizon at the average rate of the last 7 forecast days).

Nothing here touches the database: the Odoo model gathers the histories from stock moves, calls
:func:`forecast_many` and stores the results.

Modules
-------
- ``selection``: :func:`forecast_many`; which method each series gets (classification, hold-out, MASE, AICc);
- ``smoothing``: simple exponential smoothing, Holt's damped trend and Holt-Winters with a weekly season;
- ``yearly``: Holt-Winters with a yearly season on weekly buckets;
- ``croston``: Croston (SBA) for intermittent demand;
- ``fitted``: a method fitted by grid search on a block of series; ``result``: :class:`Forecast`.
"""

from .result import METHODS, Forecast
from .selection import forecast, forecast_many

__all__ = ["METHODS", "Forecast", "forecast", "forecast_many"]
