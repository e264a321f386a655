"""Reads of the institutions app: staff counts, the staff filters, scope and masking."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.institutions import selectors, services
from opora.institutions.models import Institution, InstitutionStatusChange

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR_AGO = TODAY - dt.timedelta(days=365)


@pytest.fixture
def staffed(admin_user, institution_a, institution_b, make_employee, reference):
    """Institution A: two psychologists (one also at B), a social worker who left, and one
    hired next month. Institution B: a nurse and the shared psychologist."""
    shared = make_employee(last_name="Общая", hired_on=YEAR_AGO)
    services.employment_add(
        actor=SYSTEM,
        employee=shared,
        institution=institution_b,
        position=reference.position("psychologist"),
        hired_on=YEAR_AGO,
    )
    make_employee(last_name="Вторая", hired_on=YEAR_AGO)
    gone = make_employee(last_name="Ушедшая", position="social-worker", hired_on=YEAR_AGO)
    services.employment_end(
        actor=SYSTEM, employment=gone.employments.get(), left_on=TODAY - dt.timedelta(days=1)
    )
    make_employee(last_name="Будущая", hired_on=TODAY + dt.timedelta(days=30))
    make_employee(last_name="Сестра", institution=institution_b, position="nurse")
    return {"shared": shared, "gone": gone}


def by_code(rows, key="code"):
    return {row[key]: row["staff"] for row in rows}


def test_staff_counts_count_each_person_once_in_the_total(admin_user, staffed):
    counts = selectors.staff_counts(actor=admin_user)
    assert counts["total"] == 3  # the shared psychologist once, neither the gone nor the future
    assert by_code(counts["by_institution"]) == {"alpha": 2, "beta": 2}
    assert by_code(counts["by_position"]) == {"psychologist": 2, "nurse": 1}


def test_staff_counts_on_a_past_day(admin_user, staffed):
    counts = selectors.staff_counts(actor=admin_user, on=TODAY - dt.timedelta(days=1))
    assert by_code(counts["by_position"]) == {"psychologist": 2, "nurse": 1, "social-worker": 1}


def test_staff_counts_follow_scope(worker_a, analyst, staffed):
    assert selectors.staff_counts(actor=worker_a)["total"] == 2
    assert by_code(selectors.staff_counts(actor=worker_a)["by_institution"]) == {"alpha": 2}
    assert selectors.staff_counts(actor=analyst)["total"] == 3  # counts are not personal


def test_the_staff_filters(admin_user, institution_a, institution_b, staffed):
    def names(**filters):
        qs = selectors.employee_list(actor=admin_user, **filters)
        return sorted(e.last_name for e in qs)

    assert names() == ["Будущая", "Вторая", "Общая", "Сестра", "Ушедшая"]
    assert names(institution=institution_b.pk) == ["Общая", "Сестра"]
    assert names(position="social-worker") == ["Ушедшая"]
    assert names(active=True) == ["Вторая", "Общая", "Сестра"]
    assert names(active=False) == ["Будущая", "Ушедшая"]
    assert names(institution=institution_a.pk, active=True) == ["Вторая", "Общая"]
    assert names(q="общ") == ["Общая"]
    assert names(q=staffed["gone"].personnel_number) == ["Ушедшая"]


def test_staff_see_the_colleagues_of_their_institutions_and_analysts_nobody(
    worker_b, analyst, staffed
):
    assert sorted(e.last_name for e in selectors.employee_list(actor=worker_b)) == [
        "Общая",
        "Сестра",
    ]
    assert not selectors.employee_list(actor=analyst).exists()


def test_phones_are_whole_only_for_roles_that_need_them(
    admin_user, manager_a, worker_a, make_employee
):
    employee = make_employee(phone="+7 916 123-45-67")
    assert selectors.phone_for(admin_user, employee) == "+7 916 123-45-67"
    assert selectors.phone_for(manager_a, employee) == "+7 916 123-45-67"
    assert selectors.phone_for(worker_a, employee) == "•••• ••67"
    assert selectors.phone_for(worker_a, make_employee(phone="")) == ""


def test_former_staff_are_seen_but_not_changed_by_the_manager(manager_a, staffed):
    gone = staffed["gone"]
    assert selectors.employee_get(actor=manager_a, pk=gone.pk) == gone
    assert not selectors.employee_is_editable(actor=manager_a, employee=gone)
    assert selectors.employee_is_editable(actor=manager_a, employee=staffed["shared"])


def test_an_account_that_outlives_the_employment_is_pointed_out(
    make_user, institution_a, institution_b, make_employee
):
    account = make_user(Role.SOCIAL_WORKER, institutions=[institution_a, institution_b])
    employee = make_employee(user=account, hired_on=YEAR_AGO)
    assert selectors.access_outliving_employment(employee) == [institution_b]
    core_services.user_update(actor=SYSTEM, user=account, institutions=[institution_a])
    assert selectors.access_outliving_employment(employee) == []


def test_districts_count_the_institutions_the_actor_sees(
    admin_user, worker_a, institution_a, institution_b
):
    district = services.district_create(actor=admin_user, code="arbat", name="Арбат")
    for institution in (institution_a, institution_b):
        services.institution_update(actor=admin_user, institution=institution, district=district)
    assert selectors.district_get(actor=admin_user, pk=district.pk).institution_count == 2
    assert selectors.district_get(actor=worker_a, pk=district.pk).institution_count == 1


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=st.lists(
        st.tuples(
            st.integers(0, 4),  # which person
            st.sampled_from(["alpha", "beta"]),
            st.integers(-400, 30),  # hired, days from today
            st.one_of(st.none(), st.integers(0, 400)),  # stays so many days
        ),
        max_size=12,
    )
)
def test_the_set_based_counts_match_a_count_by_hand(
    admin_user, institution_a, institution_b, reference, plan
):
    institutions = {"alpha": institution_a, "beta": institution_b}
    with transaction.atomic():
        people = [
            services.employee_create(actor=SYSTEM, last_name=f"Сотрудник {n}", first_name="Тест")
            for n in range(5)
        ]
        working: Counter = Counter()
        everyone: set[int] = set()
        taken: set[tuple[int, str]] = set()
        for person, code, hired, stays in plan:
            if (person, code) in taken:
                continue  # one employment per person and institution keeps the plan simple
            taken.add((person, code))
            hired_on = TODAY + dt.timedelta(days=hired)
            employment = services.employment_add(
                actor=SYSTEM,
                employee=people[person],
                institution=institutions[code],
                position=reference.position("psychologist"),
                hired_on=hired_on,
            )
            left_on = None if stays is None else hired_on + dt.timedelta(days=stays)
            if left_on is not None:
                services.employment_end(actor=SYSTEM, employment=employment, left_on=left_on)
            if hired_on <= TODAY and (left_on is None or left_on >= TODAY):
                working[code] += 1
                everyone.add(person)
        counts = selectors.staff_counts(actor=admin_user)
        assert counts["total"] == len(everyone)
        assert by_code(counts["by_institution"]) == {k: v for k, v in working.items() if v}
        transaction.set_rollback(True)


# --- Status on a date -------------------------------------------------------------------------


def test_the_status_on_a_date_is_read_from_the_history(make_institution):
    opened = TODAY - dt.timedelta(days=300)
    renovated = TODAY - dt.timedelta(days=200)
    closed = TODAY - dt.timedelta(days=100)
    institution = make_institution(opened_on=opened)
    services.institution_set_status(
        actor=SYSTEM, institution=institution, status="renovation", effective_on=renovated
    )
    services.institution_set_status(
        actor=SYSTEM, institution=institution, status="closed", effective_on=closed
    )
    other = make_institution(opened_on=opened)  # open all along
    expected = {
        opened - dt.timedelta(days=1): "planned",  # before it opened: planned, not closed
        opened: "open",
        renovated - dt.timedelta(days=1): "open",
        renovated: "renovation",
        closed - dt.timedelta(days=1): "renovation",
        closed: "closed",
        TODAY: "closed",
    }
    for day, status in expected.items():
        assert selectors.institution_status_on(institution, day) == status, day
        assert selectors.institution_is_closed_on(institution, day) == (status == "closed")
        assert selectors.institution_is_open_on(institution, day) == (status == "open")
        # The filter the lists use agrees with the object's own reading, in the database.
        kept = set(
            Institution.objects.filter(pk__in=[institution.pk, other.pk])
            .filter(selectors.institutions_not_closed_on(day))
            .values_list("pk", flat=True)
        )
        assert kept == ({other.pk} if status == "closed" else {institution.pk, other.pk}), day
        closed_rows = Institution.objects.filter(selectors.institutions_closed_on(day))
        assert set(closed_rows.values_list("pk", flat=True)) == (
            {institution.pk} if status == "closed" else set()
        )
    assert selectors.institution_is_closed_on(institution)  # today by default


def test_an_institution_without_history_is_read_by_its_current_status(make_institution):
    institution = make_institution()
    InstitutionStatusChange.objects.filter(institution=institution).delete()
    since = TODAY - dt.timedelta(days=10)
    Institution.objects.filter(pk=institution.pk).update(status="closed", status_since=since)
    institution.refresh_from_db()
    assert selectors.institution_is_closed_on(institution, TODAY)
    assert selectors.institution_status_on(institution, since - dt.timedelta(days=1)) is None
    assert not selectors.institution_is_closed_on(institution, since - dt.timedelta(days=1))
    for day, closed in ((TODAY, True), (since - dt.timedelta(days=1), False)):
        rows = Institution.objects.filter(pk=institution.pk)
        assert rows.filter(selectors.institutions_closed_on(day)).exists() == closed
        assert rows.filter(selectors.institutions_not_closed_on(day)).exists() != closed
