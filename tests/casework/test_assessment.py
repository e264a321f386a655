"""The assessment by a scale, the decision on recognition, and the deadlines of both steps: from
the rules in force and the working-day calendar (weekends, holidays, moved days)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.casework import services
from opora.casework.models import CaseStatus
from opora.core.actors import SYSTEM
from opora.rules import services as rules_services
from opora.rules.catalog import NEED_DECISION_DAYS, PROGRAMME_DAYS
from opora.rules.models import CalendarDay, DayKind

from .conftest import barthel_answers

S = CaseStatus
db_property = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The last day an application may be dated in these tests so that its deadlines stay within
# the calendars the rules ship (2025 and 2026).
LAST_SHIPPED_APPLICATION = dt.date(2026, 12, 15)


@pytest.fixture
def register(grounds, person_a, institution_a):
    def do(applied_on: dt.date):
        return services.case_register(
            actor=SYSTEM,
            person=person_a,
            institution=institution_a,
            channel="in_person",
            applied_on=applied_on,
            grounds=[grounds["self-care-loss"]],
        )

    return do


@pytest.fixture
def recognise(barthel):
    def do(case, on: dt.date):
        services.assessment_record(
            actor=SYSTEM, case=case, scale=barthel, answers=barthel_answers(barthel), assessed_on=on
        )
        decision = services.need_decide(
            actor=SYSTEM, case=case, outcome="recognised", decided_on=on
        )
        case.refresh_from_db()
        return decision

    return do


def working_day_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day``, counted here from the calendar's rows."""
    marks = dict(CalendarDay.objects.values_list("date", "kind"))
    while count:
        day += dt.timedelta(days=1)
        kind = marks.get(day)
        if kind == DayKind.WORKING or (kind is None and day.weekday() < 5):
            count -= 1
    return day


# --- The assessment -----------------------------------------------------------------------------


@db_property
@given(data=st.data())
def test_the_score_is_the_sum_of_the_answers_and_proposes_its_care_level(case_at, barthel, data):
    answers = {
        item.code: data.draw(st.sampled_from(item.points()), label=item.code)
        for item in barthel.items.all()
    }
    with transaction.atomic():
        case = case_at(S.APPLIED)
        assessment = services.assessment_record(
            actor=SYSTEM, case=case, scale=barthel, answers=answers, assessed_on=case.applied_on
        )
        assert assessment.score == sum(answers.values())
        level = assessment.care_level
        assert level.min_score <= assessment.score <= level.max_score
        case.refresh_from_db()
        assert case.status == S.ASSESSED
        transaction.set_rollback(True)


def test_the_lowest_and_highest_scores_propose_the_ends_of_the_scale(case_at, barthel):
    case = case_at(S.APPLIED)
    lowest = services.assessment_record(
        actor=SYSTEM,
        case=case,
        scale=barthel,
        answers=barthel_answers(barthel, "min"),
        assessed_on=case.applied_on,
    )
    highest = services.assessment_record(
        actor=SYSTEM,
        case=case,
        scale=barthel,
        answers=barthel_answers(barthel),
        assessed_on=case.applied_on,
    )
    assert (lowest.score, lowest.care_level.code) == (0, "total")
    assert (highest.score, highest.care_level.code) == (100, "independent")


def test_every_item_is_answered_with_one_of_its_options(case_at, barthel, refuses):
    case = case_at(S.APPLIED)
    answers = barthel_answers(barthel)
    missing = dict(answers)
    missing.pop("feeding")
    error = refuses(
        "assessment_incomplete",
        services.assessment_record,
        actor=SYSTEM,
        case=case,
        scale=barthel,
        answers=missing,
        assessed_on=case.applied_on,
    )
    assert list(error.details) == ["feeding"]
    refuses(
        "assessment_incomplete",
        services.assessment_record,
        actor=SYSTEM,
        case=case,
        scale=barthel,
        answers={**answers, "feeding": 7},
        assessed_on=case.applied_on,
    )
    refuses(
        "unknown_items",
        services.assessment_record,
        actor=SYSTEM,
        case=case,
        scale=barthel,
        answers={**answers, "juggling": 5},
        assessed_on=case.applied_on,
    )


def test_an_assessment_is_not_earlier_than_the_application(case_at, barthel, refuses):
    case = case_at(S.APPLIED)
    refuses(
        "date_too_early",
        services.assessment_record,
        actor=SYSTEM,
        case=case,
        scale=barthel,
        answers=barthel_answers(barthel),
        assessed_on=case.applied_on - dt.timedelta(days=1),
    )


def test_the_decision_takes_the_care_level_of_the_last_assessment(case_at, barthel, today):
    case = case_at(S.ASSESSED)  # assessed with the lowest answers: total dependency
    decision = services.need_decide(actor=SYSTEM, case=case, outcome="recognised", decided_on=today)
    assert decision.care_level.code == "total"
    assert decision.assessment == case.assessments.get()


# --- The deadlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "applied_on, decision_due",
    [
        # A Friday before a Monday holiday (23 February).
        (dt.date(2026, 2, 20), dt.date(2026, 3, 2)),
        # A working Saturday (1 November 2025), then a moved day off and a holiday.
        (dt.date(2025, 10, 29), dt.date(2025, 11, 6)),
        # 9 May 2026 is a Saturday: the day off moves to Monday the 11th.
        (dt.date(2026, 5, 5), dt.date(2026, 5, 13)),
        # An ordinary week with its weekend.
        (dt.date(2026, 9, 16), dt.date(2026, 9, 23)),
    ],
)
def test_the_decision_is_due_five_working_days_after_the_application(
    register, applied_on, decision_due
):
    case = register(applied_on)
    assert case.decision_due == decision_due
    assert case.next_due == decision_due


@pytest.mark.parametrize(
    "applied_on, recognised_on, programme_due",
    [
        # 11 May (moved) and 12 June (Russia Day) are days off.
        (dt.date(2026, 5, 6), dt.date(2026, 5, 6), dt.date(2026, 5, 21)),
        (dt.date(2026, 5, 6), dt.date(2026, 5, 13), dt.date(2026, 5, 21)),
        (dt.date(2026, 6, 2), dt.date(2026, 6, 9), dt.date(2026, 6, 17)),
        # The working Saturday of 1 November 2025 counts; 3 and 4 November do not.
        (dt.date(2025, 10, 27), dt.date(2025, 10, 31), dt.date(2025, 11, 11)),
    ],
)
def test_the_programme_is_due_ten_working_days_after_the_application(
    register, recognise, applied_on, recognised_on, programme_due
):
    """442-FZ art. 16 part 4: the programme is handed over within ten working days of the
    application, not of the decision on recognition."""
    case = register(applied_on)
    recognise(case, recognised_on)
    assert case.programme_due == programme_due
    assert case.next_due == programme_due


# A Friday before a Monday holiday (23 February 2026); 9 March is the day off moved from Sunday
# 8 March. The tenth working day after the application is Tuesday 10 March.
FRIDAY_BEFORE_HOLIDAY = dt.date(2026, 2, 20)
TEN_WORKING_DAYS_LATER = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    "decided_on",
    [
        FRIDAY_BEFORE_HOLIDAY,  # the day of the application
        dt.date(2026, 2, 24),  # the first working day after it
        dt.date(2026, 3, 2),  # the last day to decide (five working days)
        dt.date(2026, 3, 6),  # a late decision
        TEN_WORKING_DAYS_LATER,  # on the programme's own deadline
        dt.date(2026, 3, 20),  # after it: the programme is overdue at once
    ],
)
def test_the_programme_deadline_does_not_move_with_the_decision(register, recognise, decided_on):
    case = register(FRIDAY_BEFORE_HOLIDAY)
    assert case.decision_due == dt.date(2026, 3, 2)
    recognise(case, decided_on)
    assert case.programme_due == TEN_WORKING_DAYS_LATER
    assert case.next_due == TEN_WORKING_DAYS_LATER
    assert case.overdue_on(decided_on) == (decided_on > TEN_WORKING_DAYS_LATER)


@db_property
@given(
    applied_on=st.dates(dt.date(2025, 1, 1), LAST_SHIPPED_APPLICATION),
    days_to_decide=st.integers(0, 20),
)
def test_deadlines_count_the_working_days_of_the_calendar(
    register, recognise, today, applied_on, days_to_decide
):
    applied_on = min(applied_on, today)
    decided_on = min(working_day_after(applied_on, days_to_decide), today)
    with transaction.atomic():
        case = register(applied_on)
        assert case.decision_due == working_day_after(applied_on, 5)
        decision = recognise(case, decided_on)
        assert case.programme_due == working_day_after(applied_on, 10)
        assert decision.due_on == case.decision_due
        assert decision.late == (decided_on > case.decision_due)
        transaction.set_rollback(True)


def test_a_day_off_added_to_the_calendar_moves_the_deadline(register):
    monday = dt.date(2026, 10, 12)
    assert register(monday).decision_due == dt.date(2026, 10, 19)
    rules_services.calendar_day_add(
        actor=SYSTEM, date=dt.date(2026, 10, 14), kind=DayKind.DAY_OFF, name="Региональный"
    )
    assert register(monday).decision_due == dt.date(2026, 10, 20)


def test_a_working_saturday_added_to_the_calendar_counts(register):
    monday = dt.date(2026, 10, 12)
    rules_services.calendar_day_add(actor=SYSTEM, date=dt.date(2026, 10, 17), kind=DayKind.WORKING)
    assert register(monday).decision_due == dt.date(2026, 10, 17)


def test_deadlines_follow_the_rule_version_in_force_on_the_day(register, recognise):
    changed = dt.date(2026, 6, 1)
    rules_services.rule_version_add(
        actor=SYSTEM, code=NEED_DECISION_DAYS, valid_from=changed, value=Decimal(3)
    )
    rules_services.rule_version_add(
        actor=SYSTEM, code=PROGRAMME_DAYS, valid_from=changed, value=Decimal(7)
    )
    before = register(dt.date(2026, 5, 27))  # Wednesday, under the old rule
    after = register(dt.date(2026, 6, 2))  # Tuesday, under the new one
    assert before.decision_due == dt.date(2026, 6, 3)
    assert after.decision_due == dt.date(2026, 6, 5)
    # The programme's period runs from the application: the rule is the one in force on the
    # day of the application, whenever the decision is taken.
    recognise(before, dt.date(2026, 6, 2))
    assert before.programme_due == dt.date(2026, 6, 10)  # ten days from 27 May
    recognise(after, dt.date(2026, 6, 3))
    assert after.programme_due == dt.date(2026, 6, 11)  # seven days from 2 June


def test_the_next_deadline_follows_the_status(case_at):
    expected = {
        S.APPLIED: "decision_due",
        S.ASSESSED: "decision_due",
        S.RECOGNISED: "programme_due",
        S.PROGRAMME_DRAFTED: "programme_due",
        S.AGREED: "review",
        S.IN_SERVICE: "review",
        S.SUSPENDED: "review",
        S.REFUSED: None,
        S.CLOSED: None,
    }
    for status, source in expected.items():
        with transaction.atomic():
            case = case_at(status)
            if source is None:
                wanted = None
            elif source == "review":
                wanted = case.programmes.get(status="agreed").review_due
            else:
                wanted = getattr(case, source)
            assert wanted is not None or source is None, status
            assert case.next_due == wanted, status
            transaction.set_rollback(True)
