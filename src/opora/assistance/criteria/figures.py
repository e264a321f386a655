"""What a rule reads besides the registry, fixed once per evaluation: the day's cut-off dates and
month windows, and the figures of the rules app in force on the day (the home region's
subsistence minimum by group, the ages that choose a person's group, the money rules).

The compiled query and the Python oracle read the same ``Figures``, so they can differ only in
how they apply them to the registry's facts — which is what the oracle test proves they do not.
Money is handled in whole kopecks (integers) on both sides: sums and comparisons are then
exact on SQLite, whose decimals are floating point, as on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from opora.rules import selectors as rules
from opora.rules.catalog import CHILD_GROUP_AGE, PENSION_AGE_MEN, PENSION_AGE_WOMEN
from opora.rules.models import RuleVersion, SubsistenceMinimum
from opora.rules.recipients import age_on

ONE_DAY = dt.timedelta(days=1)
HUNDRED = Decimal(100)


def latest_birth_date(day: dt.date, years: int) -> dt.date:
    """The latest birth date of someone at least ``years`` old on ``day`` (as ``age_on``
    counts: 29 February has its birthday on 28 February in a common year), so "at least N
    years old" is ``birth_date <= latest_birth_date(day, N)`` in SQL."""
    year = day.year - years
    try:
        candidate = day.replace(year=year)
    except ValueError:  # the day is 29 February and that year is common
        candidate = day.replace(year=year, day=28)
    # At most two days later still qualify (29 February born on a 28 February day).
    while age_on(candidate + ONE_DAY, day) >= years:
        candidate += ONE_DAY
    while age_on(candidate, day) < years:
        candidate -= ONE_DAY
    return candidate


def shift_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def income_months(day: dt.date, months: int) -> list[dt.date]:
    """The ``months`` whole months before the month of ``day``, as their first days, oldest
    first."""
    first_of_day = day.replace(day=1)
    return [shift_months(first_of_day, -back) for back in range(months, 0, -1)]


def kopecks(amount: Decimal) -> int:
    return int((amount * HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def roubles(kopeck_count: int | Decimal) -> Decimal:
    return (Decimal(int(kopeck_count)) / HUNDRED).quantize(Decimal("0.01"))


def times_hundred(times: str) -> int:
    """A multiplier of at most two decimals as a whole number of hundredths."""
    return int(Decimal(times) * HUNDRED)


def share_kopecks(figure_kopecks: int, times: str) -> int:
    """``times`` × a figure, rounded half up to the kopeck."""
    return kopecks(Decimal(figure_kopecks) * Decimal(times) / HUNDRED)


class Figures:
    """The rules app's figures in force on ``on``, read on first use (a rule that needs none of
    them reads none)."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self._versions: dict[str, RuleVersion] = {}

    def rule(self, code: str) -> RuleVersion:
        if code not in self._versions:
            self._versions[code] = rules.version_in_force(code, on=self.on)
        return self._versions[code]

    def money(self, code: str) -> int:
        return kopecks(self.rule(code).value)

    @cached_property
    def minimum(self) -> SubsistenceMinimum:
        return rules.minimum_in_force(rules.home_region(), on=self.on)

    def group_kopecks(self, group: str) -> int:
        """The figure of ``group`` in the home region's minimum, or the per-capita one where
        the region set none for it (the rules app's fallback)."""
        return kopecks(rules.group_minimum(self.minimum, group)[0])

    @cached_property
    def child_cut(self) -> dt.date:
        """Born after this day: younger than the children's age."""
        return latest_birth_date(self.on, int(self.rule(CHILD_GROUP_AGE).value))

    def pension_cut(self, sex: str) -> dt.date:
        """Born on or before this day: at or above the pension age of ``sex``."""
        code = PENSION_AGE_MEN if sex == "M" else PENSION_AGE_WOMEN
        return latest_birth_date(self.on, int(self.rule(code).value))
