"""Breaks: every worked shift takes each break of its shift type once, `minutes` long, starting
inside its window on the grid. The model holds this by construction: the counts of each
break's starts add up to the people working the shift (rostering.model.breaks), and each
person gets one counted start after the search. Hard; nothing to price."""

from __future__ import annotations

from rostering.model.breaks import break_counts
from rostering.model.variables import Expr, Variables

NAME = "breaks"


def add(v: Variables) -> Expr:
    break_counts(v)
    return 0
