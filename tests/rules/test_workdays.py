"""Working days by the production calendar: the shipped 2025 and 2026 calendars, the counting
rule (periods begin the day after), and the properties that keep add and count consistent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.core.errors import DomainError
from opora.rules import reference, selectors
from opora.rules.workdays import WorkCalendar

from .conftest import shipped_calendar

CALENDAR = shipped_calendar()
D = dt.date


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_shipped_year_has_the_published_247_working_days(year):
    days = [D(year, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    assert sum(CALENDAR.is_working_day(d) for d in days) == 247
    assert CALENDAR.working_days_between(D(year, 1, 1), D(year, 12, 31)) == 247


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 8), False),  # New Year holidays
        (D(2025, 1, 9), True),
        (D(2025, 2, 23), False),  # a holiday on a Sunday
        (D(2025, 5, 2), False),  # moved from 4 January
        (D(2025, 5, 8), False),  # moved from 23 February
        (D(2025, 6, 13), False),  # moved from 8 March
        (D(2025, 11, 1), True),  # a working Saturday
        (D(2025, 11, 3), False),  # moved from 1 November
        (D(2025, 12, 31), False),  # moved from 5 January
        (D(2026, 1, 9), False),  # moved from 3 January
        (D(2026, 1, 12), True),
        (D(2026, 2, 23), False),  # a holiday on a Monday
        (D(2026, 3, 9), False),  # 8 March is a Sunday
        (D(2026, 5, 11), False),  # 9 May is a Saturday
        (D(2026, 11, 4), False),
        (D(2026, 12, 31), False),  # moved from 4 January
        (D(2026, 7, 15), True),  # an ordinary Wednesday
        (D(2026, 7, 18), False),  # an ordinary Saturday
    ],
)
def test_holidays_moved_days_and_ordinary_days(day, working):
    assert CALENDAR.is_working_day(day) is working


def test_a_period_begins_the_day_after_and_skips_every_day_off():
    # Applied on Monday 28 April 2025: 1 May is a holiday, 2 May moved, 3–4 May a weekend.
    assert CALENDAR.add_working_days(D(2025, 4, 28), 5) == D(2025, 5, 7)
    # Across the New Year: 31 December 2025 and 1–11 January 2026 are days off.
    assert CALENDAR.add_working_days(D(2025, 12, 30), 1) == D(2026, 1, 12)
    # The working Saturday counts; the Monday after it does not.
    assert CALENDAR.add_working_days(D(2025, 10, 31), 1) == D(2025, 11, 1)
    assert CALENDAR.add_working_days(D(2025, 11, 1), 1) == D(2025, 11, 5)
    assert CALENDAR.add_working_days(D(2025, 5, 3), 0) == D(2025, 5, 3)


def test_a_year_without_a_calendar_is_refused_not_guessed():
    last = max(reference.CALENDARS)
    with pytest.raises(DomainError) as error:
        CALENDAR.add_working_days(D(last, 12, 25), 10)
    assert error.value.code == "calendar_missing"
    assert str(last + 1) in str(error.value.message)
    with pytest.raises(DomainError):
        CALENDAR.is_working_day(D(2024, 12, 31))


def test_a_negative_count_is_refused():
    with pytest.raises(DomainError) as error:
        CALENDAR.add_working_days(D(2025, 3, 3), -1)
    assert error.value.code == "negative_days"


days_2025_2026 = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))
# Starting dates from which 40 working days stay inside 2026.
starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 10, 31))


@given(start=starts, count=st.integers(min_value=1, max_value=40))
def test_adding_working_days_lands_on_a_working_day_counted_back_the_same(start, count):
    due = CALENDAR.add_working_days(start, count)
    assert due > start
    assert CALENDAR.is_working_day(due)
    assert CALENDAR.working_days_between(start, due) == count
    # It is the first such day: the day before has one working day fewer.
    assert CALENDAR.working_days_between(start, due - dt.timedelta(days=1)) == count - 1
    assert CALENDAR.add_working_days(start, count + 1) > due


@given(a=days_2025_2026, b=days_2025_2026, c=days_2025_2026)
def test_counting_between_dates_is_additive_and_antisymmetric(a, b, c):
    first, middle, last = sorted((a, b, c))
    between = CALENDAR.working_days_between
    assert between(first, last) == between(first, middle) + between(middle, last)
    assert between(a, b) == -between(b, a)
    span = (last - first).days
    assert between(first, last) == sum(
        CALENDAR.is_working_day(first + dt.timedelta(days=i)) for i in range(1, span + 1)
    )


@given(day=days_2025_2026)
def test_without_exceptions_the_calendar_is_monday_to_friday(day):
    plain = WorkCalendar(years=frozenset({2025, 2026}))
    assert plain.is_working_day(day) is (day.weekday() < 5)


def test_the_database_calendar_is_the_shipped_one(rules):
    assert selectors.work_calendar() == CALENDAR
    assert selectors.is_working_day(D(2025, 11, 1)) is True
    assert selectors.add_working_days(D(2025, 12, 30), 1) == D(2026, 1, 12)
    assert selectors.working_days_between(D(2025, 12, 30), D(2026, 1, 12)) == 1


def test_deadlines_of_442_fz_come_from_the_rules_and_the_calendar(rules):
    # 5 working days to decide on need, 10 to draw up the programme, review within 3 years.
    assert selectors.need_decision_due(D(2025, 4, 28)) == D(2025, 5, 7)
    assert selectors.programme_due(D(2025, 12, 26)) == D(2026, 1, 21)
    assert selectors.review_due(D(2025, 3, 1)) == D(2028, 3, 1)
    assert selectors.review_due(D(2024, 2, 29)) == D(2027, 2, 28)


def test_on_an_empty_database_the_calendar_gives_a_clear_error(db):
    with pytest.raises(DomainError) as error:
        selectors.is_working_day(D(2026, 3, 2))
    assert error.value.code == "calendar_missing"
