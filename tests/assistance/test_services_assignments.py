"""Assignments after the decision: the state machine with its events, recalculation with the
version in force (a new subsistence minimum, a person no longer eligible), the end of the
periods in one statement, overpayments; and the periods an assignment gets from its term."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.assistance import services
from opora.assistance.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Overpayment,
    OverpaymentStatus,
)
from opora.assistance.services.common import add_months
from opora.core.actors import SYSTEM
from opora.core.errors import Conflict, DomainError, NotFound
from opora.core.models import AuditEntry
from opora.rules import selectors as rules
from opora.rules import services as rules_services

from .conftest import APPLIED_ON, rows

LATER = dt.date(2026, 6, 15)


def kinds(assignment) -> list[str]:
    return list(assignment.events.order_by("on", "pk").values_list("kind", flat=True))


def test_suspended_resumed_and_terminated(assignment, worker_a):
    services.assignment_suspend(
        actor=worker_a, assignment=assignment, on=dt.date(2026, 4, 1), reason="В больнице"
    )
    services.assignment_resume(
        actor=worker_a, assignment=assignment, on=dt.date(2026, 5, 1), reason="Выписана"
    )
    services.assignment_terminate(
        actor=worker_a, assignment=assignment, on=dt.date(2026, 6, 1), reason="Переехала"
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.TERMINATED
    assert assignment.terminated_on == dt.date(2026, 6, 1)
    assert assignment.termination_reason == "Переехала"
    assert kinds(assignment) == ["assigned", "suspended", "resumed", "terminated"]
    audited = AuditEntry.objects.filter(object_id=str(assignment.pk)).values_list(
        "action", flat=True
    )
    assert set(audited) >= {
        "assistance.assignment.suspended",
        "assistance.assignment.resumed",
        "assistance.assignment.terminated",
    }


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("assignment_resume", AssignmentStatus.ACTIVE),
        ("assignment_suspend", AssignmentStatus.TERMINATED),
        ("assignment_terminate", AssignmentStatus.ENDED),
    ],
)
def test_a_step_from_the_wrong_status_writes_nothing(assignment, worker_a, step, status):
    Assignment.objects.filter(pk=assignment.pk).update(status=status)
    before = rows(AssignmentEvent, AuditEntry)
    with pytest.raises(Conflict):
        getattr(services, step)(
            actor=worker_a, assignment=assignment, on=dt.date(2026, 4, 1), reason="Причина"
        )
    assert rows(AssignmentEvent, AuditEntry) == before


def test_a_step_outside_the_period_or_without_reason(assignment, worker_a):
    for on, reason in ((dt.date(2026, 2, 1), "Причина"), (dt.date(2027, 3, 1), "Причина")):
        with pytest.raises(DomainError):
            services.assignment_suspend(actor=worker_a, assignment=assignment, on=on, reason=reason)
    with pytest.raises(DomainError):
        services.assignment_suspend(
            actor=worker_a, assignment=assignment, on=dt.date(2026, 4, 1), reason=""
        )
    assert kinds(assignment) == ["assigned"]


def test_another_institution_cannot_touch_an_assignment(assignment, worker_b):
    with pytest.raises(NotFound):
        services.assignment_suspend(
            actor=worker_b, assignment=assignment, on=dt.date(2026, 4, 1), reason="Причина"
        )


@pytest.fixture
def minimum_measure(make_measure):
    return make_measure(amount={"minimum": "pensioner", "times": "0.5"})


def test_recalculated_after_a_new_subsistence_minimum(apply, minimum_measure, worker_a):
    application = apply(measure=minimum_measure)
    services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    assignment = Assignment.objects.get(application=application)
    assert assignment.amount == Decimal("9816.50")  # half the pensioners' minimum of 2026
    rules_services.subsistence_minimum_add(
        actor=SYSTEM,
        region=rules.home_region(),
        valid_from=dt.date(2026, 6, 1),
        per_capita=Decimal("27000"),
        pensioner=Decimal("20000"),
        basis="Постановление о новом прожиточном минимуме",
    )
    event = services.assignment_recalculate(
        actor=worker_a, assignment=assignment, on=LATER, reason="Новый прожиточный минимум"
    )
    assert (event.kind, event.amount_before, event.amount_after) == (
        "recalculated",
        Decimal("9816.50"),
        Decimal("10000.00"),
    )
    assert event.evaluation.on == LATER
    assignment.refresh_from_db()
    assert assignment.amount == Decimal("10000.00")
    assert AuditEntry.objects.filter(
        action="assistance.assignment.recalculated", object_id=str(assignment.pk)
    ).exists()


def test_recalculated_with_the_version_in_force_on_the_day(measure, assignment, worker_a):
    stricter = services.version_draft(
        actor=SYSTEM,
        measure=measure,
        valid_from=dt.date(2026, 6, 1),
        legal_basis="Постановление № 5-ПП",
        eligibility={"all": [{"id": "age80", "clause": "age", "at_least": 80}]},
        amount={"fixed": "1200.00"},
        periodicity="monthly",
        decision_working_days=10,
    )
    services.version_publish(actor=SYSTEM, version=stricter)
    event = services.assignment_recalculate(
        actor=worker_a, assignment=assignment, on=LATER, reason="Новая редакция"
    )
    # Born in 1950, she is not 80: the assignment ends, citing the clause not met.
    assert event.kind == "terminated"
    assert event.evaluation.version == stricter
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.TERMINATED
    assert assignment.terminated_on == LATER
    assert assignment.termination_reason
    entry = AuditEntry.objects.filter(
        action="assistance.assignment.terminated", object_id=str(assignment.pk)
    ).get()
    assert entry.data["failed_clauses"] == ["age80"]


def test_the_periods_that_ended_are_closed_at_once(assignment, worker_a, apply, make_measure):
    short = make_measure(term_months=1)
    other = apply(measure=short)
    services.application_decide(
        actor=worker_a, application=other, outcome="assign", decided_on=APPLIED_ON
    )
    ended = Assignment.objects.get(application=other)
    assert ended.ends_on == dt.date(2026, 3, 31)
    entries = AuditEntry.objects.count()
    count = services.assignments_end_expired(actor=SYSTEM, today=dt.date(2026, 4, 1))
    assert count == 1
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "assistance.assignment.ended"
    assert entry.data["assignments"] == [ended.pk]
    ended.refresh_from_db()
    assignment.refresh_from_db()
    assert ended.status == AssignmentStatus.ENDED
    assert assignment.status == AssignmentStatus.ACTIVE
    assert kinds(ended) == ["assigned", "ended"]
    assert ended.events.get(kind="ended").on == dt.date(2026, 4, 1)
    assert services.assignments_end_expired(actor=SYSTEM, today=dt.date(2026, 4, 1)) == 0


def test_an_overpayment_lies_within_the_period_and_is_settled_once(assignment, worker_a):
    found_on = dt.date(2026, 5, 20)
    for period_from, period_to, amount in (
        (dt.date(2026, 2, 1), dt.date(2026, 3, 31), Decimal("100")),  # before the start
        (dt.date(2026, 4, 1), dt.date(2027, 3, 31), Decimal("100")),  # past the end
        (dt.date(2026, 4, 30), dt.date(2026, 4, 1), Decimal("100")),  # reversed
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30), Decimal("0")),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30), Decimal("-5")),
    ):
        before = rows(Overpayment, AuditEntry)
        with pytest.raises(DomainError):
            services.overpayment_record(
                actor=worker_a,
                assignment=assignment,
                period_from=period_from,
                period_to=period_to,
                amount=amount,
                reason="Доход не заявлен",
                found_on=found_on,
            )
        assert rows(Overpayment, AuditEntry) == before
    overpayment = services.overpayment_record(
        actor=worker_a,
        assignment=assignment,
        period_from=dt.date(2026, 4, 1),
        period_to=dt.date(2026, 4, 30),
        amount=Decimal("1000.00"),
        reason="Доход не заявлен",
        found_on=found_on,
    )
    services.overpayment_settle(
        actor=worker_a, overpayment=overpayment, status=OverpaymentStatus.RECOVERED
    )
    with pytest.raises(Conflict):
        services.overpayment_settle(
            actor=worker_a, overpayment=overpayment, status=OverpaymentStatus.WRITTEN_OFF
        )
    with pytest.raises(DomainError):
        services.overpayment_settle(actor=worker_a, overpayment=overpayment, status="open")


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    term=st.integers(min_value=1, max_value=60),
)
def test_a_term_in_months_gives_periods_that_meet_end_to_end(start, term):
    """ends_on = starts_on + term − 1 day: the period is never empty, lasts about the months,
    and the next period of the same term starts the day after it ends."""
    ends_on = add_months(start, term) - dt.timedelta(days=1)
    assert ends_on >= start
    months = (ends_on.year - start.year) * 12 + ends_on.month - start.month
    assert term - 1 <= months <= term
    if start.day == 1:
        assert ends_on.month != (ends_on + dt.timedelta(days=1)).month  # the last of a month


@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    months=st.integers(min_value=0, max_value=120),
)
def test_months_are_added_by_the_calendar(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(days=1)).day == 1)


@given(
    applied_on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)),
    term=st.integers(min_value=1, max_value=36),
)
def test_a_monthly_assignment_covers_whole_months(applied_on, term):
    """From the first of the month of the application to the last day of the term's last
    month, whatever the month's length."""
    from types import SimpleNamespace

    from opora.assistance.services.applications import _period

    version = SimpleNamespace(periodicity="monthly", term_months=term, review_months=None)
    application = SimpleNamespace(applied_on=applied_on)
    starts_on, ends_on, review_on = _period(version, application, applied_on, None)
    assert starts_on == applied_on.replace(day=1)
    assert ends_on is not None and (ends_on + dt.timedelta(days=1)).day == 1
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    assert months == term
    assert review_on is None


def test_a_worker_ends_only_her_institutions_periods(assignment, worker_b, worker_a):
    assert services.assignments_end_expired(actor=worker_b, today=dt.date(2027, 6, 1)) == 0
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert services.assignments_end_expired(actor=worker_a, today=dt.date(2027, 6, 1)) == 1


def test_the_workers_chore_ends_the_periods_that_ended(assignment, monkeypatch):
    from opora.assistance import ui

    monkeypatch.setattr(ui.timezone, "localdate", lambda: assignment.ends_on + dt.timedelta(days=1))
    assert ui.end_expired_assignments() == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED
    assert ui.end_expired_assignments() == 0
