"""Fixtures of the rules tests: the rules the demo ships, loaded through the services, and the
same production calendars as a pure ``WorkCalendar`` for the property tests."""

from __future__ import annotations

import pytest

from opora.demo.steps.rules import load_rules
from opora.rules import reference
from opora.rules.models import DayKind
from opora.rules.workdays import WorkCalendar


@pytest.fixture
def rules(db):
    """The 442-FZ figures, the regions of the seeds with example minimums, and the calendars of
    2025 and 2026, as the demo loads them; and the free-of-charge grounds the data migration
    loads (again, for a database a transactional test emptied)."""
    reference.ensure_free_grounds()
    load_rules()


def shipped_calendar() -> WorkCalendar:
    days = [day for year in reference.CALENDARS for day in reference.calendar_days(year)]
    return WorkCalendar(
        years=frozenset(reference.CALENDARS),
        days_off=frozenset(d for d, kind, *_ in days if kind != DayKind.WORKING),
        working_weekend_days=frozenset(d for d, kind, *_ in days if kind == DayKind.WORKING),
    )
