"""Contact-volume forecasts from history (`rostering forecast`, `rostering forecast backtest`).

history.py reads and checks the history onto a grid; pattern.py learns the opening hours
and fills gaps; baselines.py and mstl.py are the methods, methods.py their common face;
make.py assembles a forecast (queues, holidays, AHT) and writes forecast.csv; backtest.py
scores methods over rolling origins.
"""

from rostering.forecast.backtest import Backtest, run_backtest
from rostering.forecast.history import History, read_history
from rostering.forecast.make import Forecast, make_forecast, write_forecast
from rostering.forecast.methods import METHODS

__all__ = [
    "METHODS",
    "Backtest",
    "Forecast",
    "History",
    "make_forecast",
    "read_history",
    "run_backtest",
    "write_forecast",
]
