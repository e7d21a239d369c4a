"""The forecasting methods behind one face: training matrix in, point forecast and
prediction interval out.

A method sees `train` ([days, intervals], NaN where there is no data: closed, a gap or a
holiday), the weekday of its first day, the opening pattern ([7, intervals]), the horizon
(`days` days starting `offset` days after the last training day) and the interval level.
It returns [days, intervals] arrays, NaN where the operation is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rostering.forecast import baselines
from rostering.forecast import mstl as mstl_model

PointMethod = Callable[[np.ndarray, int, np.ndarray, int, int], np.ndarray]
CALIBRATION_WEEKS = 8  # a baseline's interval: its own errors over the last 8 weeks


@dataclass(frozen=True)
class Prediction:
    """Point forecast and prediction interval, each [days, intervals]; `method` is the one
    used (mstl falls back to mean_4_weeks when the history is too short for it)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    method: str


Method = Callable[[np.ndarray, int, np.ndarray, int, int, float], Prediction]


def baseline(name: str, point: PointMethod) -> Method:
    """A seasonal-naive method whose interval comes from its own past errors."""

    def run(
        train: np.ndarray, first_weekday: int, pattern: np.ndarray, offset: int, days: int,
        level: float,
    ) -> Prediction:  # fmt: skip
        mean = point(train, first_weekday, pattern, offset, days)
        low_ratio, high_ratio = error_band(point, train, first_weekday, pattern, level)
        return Prediction(mean, mean * low_ratio, mean * high_ratio, name)

    return run


def mstl(
    train: np.ndarray, first_weekday: int, pattern: np.ndarray, offset: int, days: int,
    level: float,
) -> Prediction:  # fmt: skip
    """MSTL's point forecast; its interval is the 4-week mean's error band (below), which
    is wider than MSTL's own errors: statsforecast's conformal interval around the adjusted
    series was too narrow on contact history (see docs/BENCHMARKS.md)."""
    mean = mstl_model.mstl(train, first_weekday, pattern, offset, days)
    if mean is None:
        return REGISTRY["mean_4_weeks"](train, first_weekday, pattern, offset, days, level)
    low, high = error_band(baselines.mean_4_weeks, train, first_weekday, pattern, level)
    return Prediction(mean, mean * low, mean * high, method="mstl")


REGISTRY: dict[str, Method] = {
    "mstl": mstl,
    "last_week": baseline("last_week", baselines.last_week),
    "mean_4_weeks": baseline("mean_4_weeks", baselines.mean_4_weeks),
}
METHODS = tuple(REGISTRY)  # the methods the CLI offers; benchmarks may register variants


def predict(
    method: str,
    train: np.ndarray,
    first_weekday: int,
    pattern: np.ndarray,
    offset: int,
    days: int,
    level: float,
) -> Prediction:
    return REGISTRY[method](train, first_weekday, pattern, offset, days, level)


def error_band(
    point: PointMethod, train: np.ndarray, first_weekday: int, pattern: np.ndarray, level: float
) -> tuple[float, float]:
    """The central `level` range of actual / forecast over the method's own one-week-ahead
    forecasts from the last CALIBRATION_WEEKS weekly origins in the training data."""
    n = train.shape[0]
    ratios = []
    for k in range(1, CALIBRATION_WEEKS + 1):
        origin = n - 7 * k
        if origin < 7:
            break
        forecast = point(train[:origin], first_weekday, pattern, 0, 7)
        actual = train[origin : origin + 7]
        ok = ~np.isnan(forecast) & ~np.isnan(actual) & (forecast > 0)
        ratios.append(actual[ok] / forecast[ok])
    values = np.concatenate(ratios) if ratios else np.array([])
    if values.size == 0:
        return 1.0, 1.0
    tail = (1.0 - level) / 2
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)
