"""Home care: a social worker's caseload within her limit, her visits planned from her
recipients' home programmes on working days, the day sheet, and missed visits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.casework import audit_actions as actions
from opora.casework import selectors, services
from opora.casework.models import CaseStatus
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.institutions import services as institution_services
from opora.institutions.models import Position

S = CaseStatus
SPRING = dt.date(2026, 3, 2)
# 2 to 8 November 2026: Wednesday the 4th is Unity Day.
UNITY_WEEK = dt.date(2026, 11, 2)


@pytest.fixture
def serve(case_at, provider_a):
    """A case of a recipient agreed on ``SPRING`` with one service ``times`` a ``per``."""

    def do(*, person=None, provider=provider_a, times=5, per="week", form="home", worker=None):
        case = case_at(S.RECOGNISED, person=person, applied_on=SPRING)
        programme = services.programme_draft(
            actor=SYSTEM, case=case, form=form, drawn_up_on=SPRING, income=Decimal("30000")
        )
        services.programme_item_add(
            actor=SYSTEM,
            programme=programme,
            service=provider.service,
            provider=provider,
            volume=1000,
            times=times,
            per=per,
        )
        services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=SPRING)
        if worker is not None:
            services.case_assign_worker(actor=SYSTEM, case=case, employee=worker)
        case.refresh_from_db()
        return case

    return do


@pytest.fixture
def day_centre(make_home_service, provide, institution_a):
    service = make_home_service(forms=["home", "semi_residential"])
    return provide(institution_a, service, form="semi_residential")


# --- The caseload ------------------------------------------------------------------------------


def test_a_full_worker_is_given_no_case_even_one_that_does_not_count_yet(
    case_at, make_person, make_home_worker, institution_a, refuses
):
    worker = make_home_worker(institution_a, caseload_limit=1)
    services.case_assign_worker(actor=SYSTEM, case=case_at(S.AGREED), employee=worker)
    just_applied = case_at(S.APPLIED, person=make_person(institution_a))
    refuses(
        "caseload_full",
        services.case_assign_worker,
        actor=SYSTEM,
        case=just_applied,
        employee=worker,
    )


def test_a_worker_is_given_cases_up_to_her_caseload_limit(
    case_at, make_person, make_home_worker, institution_a, refuses, worker_a
):
    worker = make_home_worker(institution_a, caseload_limit=1)
    first = case_at(S.AGREED)
    second = case_at(S.AGREED, person=make_person(institution_a))
    services.case_assign_worker(actor=SYSTEM, case=first, employee=worker)
    error = refuses(
        "caseload_full", services.case_assign_worker, actor=SYSTEM, case=second, employee=worker
    )
    assert error.status == 409
    # Giving her the case she has already is no change.
    services.case_assign_worker(actor=SYSTEM, case=first, employee=worker)
    assert AuditEntry.objects.filter(action=actions.CASE_WORKER_SET).count() == 1
    load = selectors.caseload(actor=worker_a, employee=worker)
    assert (load.count, load.limit, load.full) == (1, 1, True)


def test_a_closed_case_frees_a_place(case_at, make_person, make_home_worker, institution_a, today):
    worker = make_home_worker(institution_a, caseload_limit=1)
    first = case_at(S.IN_SERVICE)
    services.case_assign_worker(actor=SYSTEM, case=first, employee=worker)
    services.case_close(actor=SYSTEM, case=first, on=today, note="Переезд")
    second = case_at(S.AGREED, person=make_person(institution_a))
    assert services.case_assign_worker(actor=SYSTEM, case=second, employee=worker).worker == worker


def test_only_a_home_care_worker_of_the_institution_is_given_a_case(
    case_at, make_home_worker, institution_a, institution_b, refuses
):
    case = case_at(S.AGREED)
    psychologist = institution_services.employee_hire(
        actor=SYSTEM,
        institution=institution_a,
        position=Position.objects.get(code="psychologist"),
        hired_on=dt.date(2020, 1, 1),
        last_name="Волкова",
        first_name="Ольга",
    )
    elsewhere = make_home_worker(institution_b)
    for employee in (psychologist, elsewhere):
        refuses(
            "not_a_home_care_worker",
            services.case_assign_worker,
            actor=SYSTEM,
            case=case,
            employee=employee,
        )


def test_home_care_workers_are_those_with_a_caseload(
    make_home_worker, institution_a, institution_b, worker_a, home_worker_a
):
    make_home_worker(institution_b)
    assert list(selectors.home_care_workers(actor=worker_a)) == [home_worker_a]


# --- The visit plan and the day sheet ----------------------------------------------------------


def test_visits_are_planned_on_working_days_only(serve, home_worker_a, worker_a):
    case = serve(worker=home_worker_a)
    plan = selectors.visit_plan(actor=worker_a, employee=home_worker_a, start=UNITY_WEEK)
    days_with_visits = sorted(day for day, visits in plan.items() if visits)
    assert days_with_visits == [
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 3),
        dt.date(2026, 11, 5),
        dt.date(2026, 11, 6),
    ]
    visit = plan[dt.date(2026, 11, 5)][0]
    assert visit.case == case
    assert [line.item.service for line in visit.items] == [
        case.programmes.get().items.get().service
    ]


def test_only_home_programmes_make_visits(
    serve, day_centre, home_worker_a, worker_a, make_person, institution_a
):
    serve(
        provider=day_centre,
        form="semi_residential",
        worker=home_worker_a,
        person=make_person(institution_a),
    )
    plan = selectors.visit_plan(actor=worker_a, employee=home_worker_a, start=UNITY_WEEK)
    assert not any(plan.values())


def test_two_visits_a_week_fall_on_two_working_days(serve, home_worker_a, worker_a):
    serve(worker=home_worker_a, times=2)
    week = dt.date(2026, 11, 9)
    plan = selectors.visit_plan(actor=worker_a, employee=home_worker_a, start=week)
    days = [day for day, visits in plan.items() if visits]
    assert len(days) == 2
    assert all(day.weekday() < 5 for day in days)


def test_the_day_sheet_shows_the_day_and_what_was_recorded(serve, home_worker_a, worker_a):
    case = serve(worker=home_worker_a)
    assert (
        selectors.day_sheet(actor=worker_a, employee=home_worker_a, day=dt.date(2026, 11, 4)) == []
    )
    services.visit_miss(
        actor=worker_a, case=case, planned_on=dt.date(2026, 11, 5), reason="not_at_home"
    )
    (visit,) = selectors.day_sheet(actor=worker_a, employee=home_worker_a, day=dt.date(2026, 11, 5))
    assert visit.recorded and visit.missed.reason == "not_at_home"
    (fresh,) = selectors.day_sheet(actor=worker_a, employee=home_worker_a, day=dt.date(2026, 11, 6))
    assert not fresh.recorded


def test_a_case_of_another_worker_is_not_in_her_plan(
    serve, home_worker_a, make_home_worker, institution_a, worker_a
):
    serve(worker=make_home_worker(institution_a))
    plan = selectors.visit_plan(actor=worker_a, employee=home_worker_a, start=UNITY_WEEK)
    assert not any(plan.values())


# --- Missed visits ----------------------------------------------------------------------------


def test_a_missed_visit_is_recorded_once_a_day(case_at, home_worker_a, refuses, today):
    case = case_at(S.IN_SERVICE)
    services.case_assign_worker(actor=SYSTEM, case=case, employee=home_worker_a)
    missed = services.visit_miss(actor=SYSTEM, case=case, planned_on=today, reason="in_hospital")
    assert missed.worker == home_worker_a
    assert AuditEntry.objects.filter(action=actions.VISIT_MISSED).count() == 1
    refuses(
        "missed_visit_recorded",
        services.visit_miss,
        actor=SYSTEM,
        case=case,
        planned_on=today,
        reason="not_at_home",
    )


@pytest.mark.parametrize(
    "reason, note, code",
    [("other", " ", "reason_unexplained"), ("bored", "", "unknown_reason")],
)
def test_a_missed_visit_says_why(case_at, refuses, today, reason, note, code):
    case = case_at(S.IN_SERVICE)
    refuses(
        code,
        services.visit_miss,
        actor=SYSTEM,
        case=case,
        planned_on=today,
        reason=reason,
        note=note,
    )


def test_visits_are_missed_only_in_service(case_at, refuses, today):
    refuses(
        "not_in_service",
        services.visit_miss,
        actor=SYSTEM,
        case=case_at(S.RECOGNISED),
        planned_on=today,
        reason="not_at_home",
    )


def test_no_visit_is_missed_before_the_programme_was_agreed(case_at, refuses):
    case = case_at(S.IN_SERVICE)
    agreed_on = selectors.programme_in_force(case).agreed_on
    refuses(
        "date_too_early",
        services.visit_miss,
        actor=SYSTEM,
        case=case,
        planned_on=agreed_on - dt.timedelta(days=1),
        reason="not_at_home",
    )


def test_only_the_institutions_staff_deliver_or_miss_its_visits(
    case_at, make_home_worker, institution_b, refuses, today
):
    case = case_at(S.IN_SERVICE)
    stranger = make_home_worker(institution_b)
    item = selectors.programme_in_force(case).items.get()
    error = refuses(
        "not_staff_of_institution",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[services.DeliveryEntry(item=item, delivered_on=today, worker=stranger)],
    )
    assert error.details["line"] == 0
    refuses(
        "not_staff_of_institution",
        services.visit_miss,
        actor=SYSTEM,
        case=case,
        planned_on=today,
        reason="not_at_home",
        worker=stranger,
    )
