"""Working days by the production calendar (производственный календарь).

``WorkCalendar`` is pure: the loaded years and the days that differ from a Monday-to-Friday
week. The selectors build one from the database; the tests build them directly.

Counting follows the civil rule for periods (Civil Code art. 191): a period of *n* working
days after an event begins on the next day, so ``add_working_days(d, n)`` is the *n*-th working
day after ``d`` and ``working_days_between(a, b)`` counts the working days in ``(a, b]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from opora.core.errors import DomainError

ONE_DAY = dt.timedelta(days=1)


def calendar_missing(year: int) -> DomainError:
    return DomainError(
        "calendar_missing",
        _(
            "The working-day calendar for %(year)s is not loaded: an administrator adds it "
            "under Rules in force → Working-day calendar."
        )
        % {"year": year},
        details={"year": year},
    )


@dataclass(frozen=True)
class WorkCalendar:
    years: frozenset[int]
    # Holidays and weekdays made days off; a holiday on a weekend is in here too.
    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    # Saturdays and Sundays made working days.
    working_weekend_days: frozenset[dt.date] = field(default_factory=frozenset)

    def _check_year(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise calendar_missing(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        self._check_year(day)
        if day in self.working_weekend_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself when ``count`` is
        0). Refused when the count runs into a year whose calendar is not loaded."""
        if count < 0:
            raise DomainError(
                "negative_days",
                _("The number of working days cannot be negative."),
                details={"days": [_("Enter zero or more.")]},
            )
        day = start
        remaining = count
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is
        before ``start``, so that ``working_days_between(d, add_working_days(d, n)) == n``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count
