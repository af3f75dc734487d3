"""Demand forecasting on synthetic histories with known answers (plain pytest, no database)."""

import numpy as np
import pytest

from odoo.addons.oms_intelligent.services.forecast import METHODS, Forecast, forecast, forecast_many

WEEKLY_PATTERN = np.array([10.0, 12, 14, 16, 30, 40, 18])


def december_peak(days: np.ndarray) -> np.ndarray:
    """20 a day, 40 in the last 30 days of each 365-day year."""
    return np.where(days % 365 >= 335, 40.0, 20.0)


def test_flat_demand_is_forecast_at_its_level():
    rng = np.random.default_rng(1)
    result = forecast(50 + rng.normal(0, 2.5, 365), 28)

    # Noise of 5 % a day; a smoothed level is within 2 % (the mean of 365 days alone is within about 0.3 %).
    assert result.method in ("ses", "holt", "hw_weekly")
    assert result.daily == pytest.approx(np.full(28, 50.0), rel=0.02)


def test_constant_demand_is_forecast_exactly_by_the_simplest_method():
    result = forecast([7.0] * 100, 10)

    # Every candidate is exact: the simplest wins.
    assert (result.method, result.sigma, result.mase) == ("ses", 0.0, 0.0)
    assert result.daily == pytest.approx(np.full(10, 7.0), abs=1e-9)


def test_sigma_of_a_noisy_flat_series_is_the_noise_standard_deviation():
    rng = np.random.default_rng(2)
    result = forecast(40 + rng.normal(0, 5, 365), 28)

    # 365 days estimate a standard deviation within about 4 % (one standard error); 10 % allowed.
    assert result.sigma == pytest.approx(5.0, rel=0.10)


def test_a_linear_trend_is_followed():
    rng = np.random.default_rng(3)
    days = np.arange(300)
    result = forecast(10 + 0.5 * days + rng.normal(0, 2, 300), 14)

    # The demand grows by 7 a week: a flat forecast would be 1 % low on day 1 and 5 % low on day 14.
    assert result.method in ("holt", "hw_weekly")
    assert result.daily == pytest.approx(10 + 0.5 * np.arange(300, 314), rel=0.02)


def test_a_weekly_pattern_is_reproduced():
    rng = np.random.default_rng(4)
    result = forecast(np.tile(WEEKLY_PATTERN, 30) + rng.normal(0, 1.5, 210), 14)

    # 210 days are 30 whole weeks: the next days start the pattern again. Within the daily noise (1.5).
    assert result.method == "hw_weekly"
    assert result.daily == pytest.approx(np.tile(WEEKLY_PATTERN, 2), abs=1.5)
    assert result.mase < 0.5  # far better than "same as yesterday"
    assert set(result.params) == {"alpha", "beta", "gamma", "phi"}


def test_a_yearly_season_is_forecast_from_last_year():
    rng = np.random.default_rng(5)
    days = np.arange(730)
    result = forecast(december_peak(days) + rng.normal(0, 3, 730), 365)

    # The history ends on the last day of the second December peak (held out, and only last year foretold it):
    # January is back at 20, the next December at 40 again.
    assert result.method == "hw_yearly"
    assert result.history_days == 728  # 104 whole weeks, the oldest 2 days dropped
    assert result.daily[:28].mean() == pytest.approx(20, abs=2)
    assert result.daily[335:365].mean() == pytest.approx(40, abs=4)
    assert result.over(28) == pytest.approx(20 * 28, rel=0.10)


def test_intermittent_demand_gets_croston_at_the_average_rate():
    rng = np.random.default_rng(6)
    history = np.where(rng.random(365) < 0.2, rng.integers(1, 6, 365), 0).astype(float)
    result = forecast(history, 30)

    # Demand one day in five: SBA's rate is the average, give or take its (1 - alpha / 2) deflation and the weight
    # of recent demand; 15 % allowed.
    assert result.method == "croston_sba"
    assert result.daily == pytest.approx(np.full(30, history.sum() / 365), rel=0.15)
    assert set(result.params) == {"alpha"}


@pytest.mark.parametrize(
    "history",
    [[], [0.0] * 400, [3.0] * 30 + [0.0] * 400],
    ids=["empty", "all zero", "nothing sold for over a year"],
)
def test_no_demand_forecasts_nothing(history):
    result = forecast(history, 14)

    assert (result.method, result.sigma, result.mase, result.params) == ("none", 0.0, None, {})
    assert result.daily.tolist() == [0.0] * 14
    assert result.history_days == len(history)
    assert result.over(30) == 0.0


def test_negative_and_missing_quantities_count_as_no_demand():
    rng = np.random.default_rng(7)
    history = rng.poisson(4, 120).astype(float)
    spoiled = history.copy()
    spoiled[::5] = -3.0
    spoiled[1::9] = np.nan
    cleaned = np.where(np.isnan(spoiled) | (spoiled < 0), 0.0, spoiled)

    result = forecast(spoiled, 14)
    expected = forecast(cleaned, 14)

    assert (result.method, result.daily.tolist(), result.sigma) == (
        expected.method,
        expected.daily.tolist(),
        expected.sigma,
    )
    assert forecast([-1.0, -5.0], 3).method == "none"


@pytest.mark.parametrize("horizon", [1, 7, 90])
def test_forecast_covers_the_horizon_and_never_goes_negative(horizon):
    rng = np.random.default_rng(8)
    falling = np.maximum(60 - 0.5 * np.arange(100) + rng.normal(0, 1, 100), 0)

    result = forecast(falling, horizon)

    assert result.daily.shape == (horizon,)
    assert (result.daily >= 0).all()
    if horizon == 90:  # the trend reaches zero within the horizon: the forecast stays there
        assert result.daily[-1] == 0.0


@pytest.mark.parametrize("horizon", [0, -3, 2.5])
def test_a_horizon_that_is_not_a_whole_number_of_days_is_refused(horizon):
    with pytest.raises(ValueError):
        forecast([1.0, 2.0, 3.0], horizon)


def test_over_counts_fractions_of_a_day_and_extends_beyond_the_horizon_at_the_last_week_rate():
    rng = np.random.default_rng(4)
    result = forecast(np.tile(WEEKLY_PATTERN, 30) + rng.normal(0, 1, 210), 10)
    daily = result.daily

    assert result.over(0) == 0.0
    assert result.over(2.5) == pytest.approx(daily[0] + daily[1] + 0.5 * daily[2])
    assert result.over(10) == pytest.approx(daily.sum())
    # Beyond day 10, each day at the average of days 4 to 10: about a week of the pattern per 7 days.
    assert result.over(24.5) == pytest.approx(daily.sum() + 14.5 * daily[-7:].mean())
    assert result.over(24.5) == pytest.approx(WEEKLY_PATTERN.sum() / 7 * 24.5, rel=0.10)
    with pytest.raises(ValueError):
        result.over(-1)


def test_a_short_history_is_fitted_without_a_hold_out():
    flat = forecast([4.0, 5, 3, 4, 5, 4, 3, 5, 4, 4], 7)
    rising = forecast(np.arange(1, 16) * 2.0, 7)

    # Below 21 days: SES or Holt, chosen on AICc; no hold-out, so no MASE.
    assert (flat.method, flat.mase) == ("ses", None)
    assert flat.daily == pytest.approx(np.full(7, 4.1), abs=0.3)
    # 15 days rising by 2 a day: the trend pays for its parameters.
    assert (rising.method, rising.mase) == ("holt", None)
    assert rising.daily == pytest.approx(np.arange(16, 23) * 2.0, rel=0.01)


def test_the_daily_methods_read_the_last_year_only():
    rng = np.random.default_rng(9)
    # A year at 100 a day, then a year at 10: the old level is forgotten.
    result = forecast(np.concatenate([np.full(400, 100.0), 10 + rng.normal(0, 1, 365)]), 14)

    assert result.history_days == 365
    assert result.daily == pytest.approx(np.full(14, 10.0), rel=0.05)


def test_forecast_many_keeps_the_input_order_and_gives_what_forecast_gives_one_by_one():
    rng = np.random.default_rng(10)
    histories = [
        rng.poisson(5, 730).astype(float),
        [],
        np.where(rng.random(200) < 0.1, 2.0, 0.0),
        december_peak(np.arange(730)) + rng.normal(0, 3, 730),
        rng.poisson(5, 12).astype(float).tolist(),
        np.tile(WEEKLY_PATTERN, 9) + rng.normal(0, 1, 63),
        rng.poisson(5, 400).astype(float),
        [0.0] * 50,
        rng.poisson(5, 730).astype(float),
        10 + 0.5 * np.arange(30) + rng.normal(0, 1, 30),
    ]

    results = forecast_many(histories, 21)

    assert len(results) == len(histories)
    assert [result.history_days for result in results] == [365, 0, 200, 728, 12, 63, 365, 50, 365, 30]
    assert {result.method for result in results} >= {"none", "croston_sba", "hw_yearly", "hw_weekly"}
    for history, result in zip(histories, results, strict=True):
        alone = forecast(history, 21)
        assert isinstance(result, Forecast) and result.method in METHODS
        assert (result.method, result.sigma, result.mase, result.params) == (
            alone.method,
            alone.sigma,
            alone.mase,
            alone.params,
        )
        assert np.array_equal(result.daily, alone.daily)
