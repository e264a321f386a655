"""The rules of the institutions services: what they write, what they refuse, and that a
refused call writes nothing at all (neither the change nor an audit entry)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions import services
from opora.institutions.models import (
    District,
    Employee,
    Employment,
    Institution,
    InstitutionCapacity,
    InstitutionStatus,
    InstitutionStatusChange,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
db_property = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The services read today's date; the tests fix it so dates around it mean the same."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def entries(obj, action: str = "") -> list[AuditEntry]:
    qs = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
    return list(qs.filter(action__startswith=action) if action else qs)


def refused(code: str, call) -> DomainError:
    """Run ``call`` and return the DomainError it raised with ``code``; the test's own
    savepoint is rolled back, as the request's would be."""
    with pytest.raises(DomainError) as caught, transaction.atomic():
        call()
    assert caught.value.code == code, caught.value.as_body()
    return caught.value


# --- Institutions -----------------------------------------------------------------------------


def test_creating_an_institution_records_its_kind_place_capacity_and_first_status(
    admin_user, reference
):
    district = services.district_create(
        actor=admin_user, code="tverskoy", name="Тверской", population=76_000
    )
    department = services.institution_create(actor=admin_user, code="dept", name="Департамент")
    centre = services.institution_create(
        actor=admin_user,
        code="tcso-1",
        name="ТЦСО № 1",
        kind=reference.kind("tcso"),
        parent=department,
        district=district,
        opened_on=dt.date(2015, 9, 1),
        accessibility=[reference.feature("ramp"), reference.feature("lift")],
        capacities={"home": 1200, "semi_residential": 60},
    )
    centre.refresh_from_db()
    assert centre.kind.code == "tcso" and centre.parent == department
    assert centre.district == district and centre.is_active
    assert {f.code for f in centre.accessibility.all()} == {"ramp", "lift"}
    assert dict(centre.capacities.values_list("form", "capacity")) == {
        "home": 1200,
        "semi_residential": 60,
    }
    assert [(c.status, c.effective_on) for c in centre.status_changes.all()] == [
        ("open", dt.date(2015, 9, 1))
    ]
    assert centre.status_since == dt.date(2015, 9, 1)
    actions = [e.action for e in entries(centre)]
    assert actions.count("institutions.institution.created") == 1
    assert actions.count("institutions.institution.capacity_set") == 2


def test_a_duplicate_code_is_refused_and_nothing_is_written(admin_user, institution_a):
    before = (Institution.objects.count(), AuditEntry.objects.count())
    error = refused(
        "code_taken",
        lambda: services.institution_create(
            actor=admin_user, code=institution_a.code, name="Ещё один центр"
        ),
    )
    assert error.status == 409 and "code" in error.details
    assert (Institution.objects.count(), AuditEntry.objects.count()) == before


def test_a_negative_capacity_writes_no_half_of_the_institution(admin_user):
    before = (Institution.objects.count(), AuditEntry.objects.count())
    error = refused(
        "negative_capacity",
        lambda: services.institution_create(
            actor=admin_user,
            code="new-centre",
            name="Новый центр",
            capacities={"residential": 40, "home": -5},
        ),
    )
    assert "capacity_home" in error.details
    assert (Institution.objects.count(), AuditEntry.objects.count()) == before
    assert not InstitutionCapacity.objects.exists()


def test_an_institution_cannot_be_placed_under_itself_or_its_own_unit(admin_user, make_institution):
    top = make_institution()
    middle = make_institution(parent=top)
    bottom = make_institution(parent=middle)
    for parent in (top, middle, bottom):
        error = refused(
            "parent_cycle",
            lambda parent=parent: services.institution_update(
                actor=admin_user, institution=top, parent=parent
            ),
        )
        assert "parent" in error.details
    top.refresh_from_db()
    assert top.parent is None
    # Moving a unit up the tree is fine.
    services.institution_update(actor=admin_user, institution=bottom, parent=top)
    assert Institution.objects.get(pk=bottom.pk).parent == top


def test_an_update_records_only_what_changed(admin_user, institution_a, reference):
    services.institution_update(
        actor=admin_user,
        institution=institution_a,
        phone="+7 495 123-45-67",
        accessibility=[reference.feature("ramp")],
        reason="Новый телефон",
    )
    [entry] = entries(institution_a, "institutions.institution.updated")
    assert set(entry.changes) == {"phone", "accessibility"}
    assert entry.reason == "Новый телефон"
    # The same values again change nothing and write nothing.
    services.institution_update(
        actor=admin_user,
        institution=institution_a,
        phone="+7 495 123-45-67",
        accessibility=[reference.feature("ramp")],
        capacities={},
    )
    assert len(entries(institution_a, "institutions.institution.updated")) == 1


def test_capacities_are_set_changed_and_removed_per_form(admin_user, institution_a):
    services.institution_update(
        actor=admin_user, institution=institution_a, capacities={"residential": 50}
    )
    services.institution_update(
        actor=admin_user,
        institution=institution_a,
        capacities={"residential": 45, "semi_residential": 20, "home": None},
    )
    services.institution_update(
        actor=admin_user, institution=institution_a, capacities={"semi_residential": None}
    )
    assert dict(institution_a.capacities.values_list("form", "capacity")) == {"residential": 45}
    recorded = [(e.action.rsplit(".", 1)[1], e.data.get("form")) for e in entries(institution_a)]
    assert recorded.count(("capacity_set", "residential")) == 2
    assert ("capacity_removed", "semi_residential") in recorded
    assert ("capacity_removed", "home") not in recorded  # there was none to remove


def test_a_manager_changes_the_details_but_not_the_structure(manager_a, institution_a, reference):
    services.institution_update(
        actor=manager_a, institution=institution_a, opening_hours="пн–пт 9:00–18:00"
    )
    error = refused(
        "administrators_only",
        lambda: services.institution_update(
            actor=manager_a, institution=institution_a, kind=reference.kind("tcso")
        ),
    )
    assert error.status == 403 and "kind" in error.details
    refused(
        "administrators_only",
        lambda: services.institution_update(actor=manager_a, institution=institution_a, code="x"),
    )
    # Sending the structure unchanged (a whole form) is not a change.
    services.institution_update(
        actor=manager_a, institution=institution_a, code=institution_a.code, phone="112"
    )
    institution_a.refresh_from_db()
    assert institution_a.kind is None and institution_a.code == "alpha"


def test_the_opening_date_cannot_follow_the_closing(admin_user, institution_a):
    services.institution_update(
        actor=admin_user, institution=institution_a, opened_on=dt.date(2010, 1, 1)
    )
    services.institution_set_status(
        actor=admin_user,
        institution=institution_a,
        status=InstitutionStatus.CLOSED,
        effective_on=dt.date(2026, 1, 31),
    )
    refused(
        "closes_before_opening",
        lambda: services.institution_update(
            actor=admin_user, institution=institution_a, opened_on=dt.date(2026, 2, 1)
        ),
    )
    assert Institution.objects.get(pk=institution_a.pk).opened_on == dt.date(2010, 1, 1)


# --- Status -----------------------------------------------------------------------------------


def test_status_changes_keep_a_history_and_is_active_follows(admin_user, make_institution):
    institution = make_institution(opened_on=dt.date(2012, 5, 1))
    for status, day in (
        (InstitutionStatus.RENOVATION, dt.date(2025, 6, 1)),
        (InstitutionStatus.OPEN, dt.date(2025, 12, 1)),
        (InstitutionStatus.CLOSED, dt.date(2026, 2, 28)),
    ):
        services.institution_set_status(
            actor=admin_user, institution=institution, status=status, effective_on=day
        )
        institution.refresh_from_db()
        assert institution.status == status and institution.status_since == day
        assert institution.is_active is (status != InstitutionStatus.CLOSED)
    assert institution.closed_on == dt.date(2026, 2, 28)
    history = list(institution.status_changes.values_list("status", "effective_on"))
    assert [s for s, _ in history] == ["closed", "open", "renovation", "open"]
    # Reopening clears the closing date.
    services.institution_set_status(actor=admin_user, institution=institution, status="open")
    institution.refresh_from_db()
    assert institution.closed_on is None and institution.is_active
    assert institution.status_since == TODAY
    assert len(entries(institution, "institutions.institution.status_changed")) == 4


def test_a_planned_institution_opens_on_the_day_it_opens(admin_user):
    point = services.institution_create(
        actor=admin_user,
        code="issuing-point",
        name="Пункт выдачи",
        status=InstitutionStatus.PLANNED,
        opened_on=dt.date(2027, 1, 1),  # a plan may lie ahead
    )
    assert point.is_active and point.status_since == TODAY
    services.institution_set_status(actor=admin_user, institution=point, status="open")
    point.refresh_from_db()
    assert point.opened_on == TODAY


@pytest.mark.parametrize(
    ("status", "day", "code"),
    [
        ("open", None, "status_unchanged"),
        ("closed", dt.date(2026, 3, 3), "effective_on_in_future"),
        ("renovation", dt.date(2020, 12, 31), "status_before_current"),
        ("closed", dt.date(2021, 1, 1), "status_before_current"),
        ("shut", None, "invalid_status"),
    ],
)
def test_status_changes_that_cannot_be_are_refused(admin_user, make_institution, status, day, code):
    institution = make_institution(opened_on=dt.date(2021, 1, 10))
    before = (InstitutionStatusChange.objects.count(), AuditEntry.objects.count())
    refused(
        code,
        lambda: services.institution_set_status(
            actor=admin_user, institution=institution, status=status, effective_on=day
        ),
    )
    assert (InstitutionStatusChange.objects.count(), AuditEntry.objects.count()) == before
    institution.refresh_from_db()
    assert institution.status == "open" and institution.is_active


def test_a_new_institution_is_never_closed(admin_user):
    refused(
        "invalid_status",
        lambda: services.institution_create(
            actor=admin_user, code="gone", name="Закрытое", status=InstitutionStatus.CLOSED
        ),
    )


@db_property
@given(
    opened=st.dates(dt.date(2000, 1, 1), TODAY),
    closed=st.dates(dt.date(1999, 1, 1), TODAY),
)
def test_closing_succeeds_exactly_when_it_is_not_before_the_opening(
    admin_user, make_institution, opened, closed
):
    with transaction.atomic():
        institution = make_institution(opened_on=opened)
        try:
            services.institution_set_status(
                actor=admin_user, institution=institution, status="closed", effective_on=closed
            )
        except DomainError as error:
            assert closed < opened
            assert error.code in {"closes_before_opening", "status_before_current"}
            institution.refresh_from_db()
            assert institution.is_active and institution.closed_on is None
        else:
            assert closed >= opened
            institution.refresh_from_db()
            assert not institution.is_active and institution.closed_on == closed
        transaction.set_rollback(True)


# --- Districts --------------------------------------------------------------------------------


def test_districts_are_audited_and_their_codes_unique(admin_user):
    district = services.district_create(actor=admin_user, code="maryino", name="Марьино")
    services.district_update(actor=admin_user, district=district, population=250_000)
    assert District.objects.get(pk=district.pk).population == 250_000
    assert [e.action for e in entries(district)] == [
        "institutions.district.updated",
        "institutions.district.created",
    ]
    refused(
        "code_taken",
        lambda: services.district_create(actor=admin_user, code="maryino", name="Дубль"),
    )
    refused(
        "negative_population",
        lambda: services.district_update(actor=admin_user, district=district, population=-1),
    )


# --- Staff ------------------------------------------------------------------------------------


def test_hiring_writes_the_employee_her_employment_and_two_entries(
    admin_user, institution_a, reference
):
    employee = services.employee_hire(
        actor=admin_user,
        institution=institution_a,
        position=reference.position("social-worker"),
        hired_on=dt.date(2024, 9, 2),
        caseload_limit=12,
        last_name="  Петрова ",
        first_name="Ольга",
        patronymic="Ивановна",
        personnel_number=" 00042 ",
    )
    assert employee.full_name == "Петрова Ольга Ивановна"
    assert employee.personnel_number == "00042"
    [employment] = employee.employments.all()
    assert (employment.institution, employment.caseload_limit) == (institution_a, 12)
    assert employment.in_force
    assert [e.action for e in entries(employee)] == [
        "institutions.employee.hired",
        "institutions.employee.created",
    ]
    hired = entries(employee, "institutions.employee.hired")[0]
    assert hired.data["institution"] == "alpha" and hired.data["position"] == "social-worker"


@pytest.mark.parametrize(
    ("position", "caseload", "code"),
    [
        ("psychologist", 10, "caseload_not_applicable"),
        ("social-worker", 0, "caseload_too_small"),
    ],
)
def test_a_bad_employment_leaves_no_employee_behind(
    admin_user, institution_a, reference, position, caseload, code
):
    before = (Employee.objects.count(), AuditEntry.objects.count())
    error = refused(
        code,
        lambda: services.employee_hire(
            actor=admin_user,
            institution=institution_a,
            position=reference.position(position),
            hired_on=dt.date(2024, 1, 9),
            caseload_limit=caseload,
            last_name="Орлова",
            first_name="Мария",
        ),
    )
    assert "caseload_limit" in error.details
    assert (Employee.objects.count(), AuditEntry.objects.count()) == before


def test_nobody_is_hired_into_a_closed_institution(admin_user, institution_a, make_employee):
    services.institution_set_status(actor=admin_user, institution=institution_a, status="closed")
    refused("institution_closed", lambda: make_employee(institution=institution_a))


def test_leaving_before_hiring_is_refused_and_changes_nothing(admin_user, make_employee):
    employee = make_employee(hired_on=dt.date(2021, 4, 1))
    employment = employee.employments.get()
    before = AuditEntry.objects.count()
    error = refused(
        "leaves_before_hiring",
        lambda: services.employment_end(
            actor=admin_user, employment=employment, left_on=dt.date(2021, 3, 31)
        ),
    )
    assert "left_on" in error.details
    employment.refresh_from_db()
    assert employment.left_on is None and AuditEntry.objects.count() == before


def test_leaving_is_recorded_once(admin_user, make_employee):
    employment = make_employee(hired_on=dt.date(2021, 4, 1)).employments.get()
    services.employment_end(
        actor=admin_user, employment=employment, left_on=dt.date(2025, 12, 31), reason="переезд"
    )
    employment.refresh_from_db()
    assert employment.left_on == dt.date(2025, 12, 31) and not employment.in_force
    refused(
        "already_left",
        lambda: services.employment_end(actor=admin_user, employment=employment, left_on=TODAY),
    )
    [entry] = entries(employment.employee, "institutions.employee.left")
    assert entry.reason == "переезд" and entry.data["left_on"] == "2025-12-31"


def test_two_employments_at_one_institution_must_not_overlap(
    admin_user, institution_a, institution_b, make_employee, reference
):
    employee = make_employee(hired_on=dt.date(2019, 2, 1))
    psychologist = reference.position("psychologist")

    def hire(institution, day):
        return services.employment_add(
            actor=admin_user,
            employee=employee,
            institution=institution,
            position=psychologist,
            hired_on=day,
        )

    refused("employment_overlaps", lambda: hire(institution_a, dt.date(2024, 1, 1)))
    hire(institution_b, dt.date(2024, 1, 1))  # another institution: a second job
    first = employee.employments.get(institution=institution_a)
    services.employment_end(actor=admin_user, employment=first, left_on=dt.date(2024, 6, 30))
    refused("employment_overlaps", lambda: hire(institution_a, dt.date(2024, 6, 30)))
    hire(institution_a, dt.date(2024, 7, 1))  # hired again the next day
    assert employee.employments.filter(institution=institution_a).count() == 2


def test_an_employment_change_keeps_the_rules(admin_user, make_employee, reference):
    employment = make_employee(position="social-worker", caseload_limit=10).employments.get()
    services.employment_update(actor=admin_user, employment=employment, caseload_limit=14)
    refused(
        "caseload_not_applicable",
        lambda: services.employment_update(
            actor=admin_user, employment=employment, position=reference.position("nurse")
        ),
    )
    employment.refresh_from_db()
    assert (employment.position.code, employment.caseload_limit) == ("social-worker", 14)
    [entry] = entries(employment.employee, "institutions.employee.employment_changed")
    assert entry.changes == {"caseload_limit": [10, 14]}


def test_personnel_numbers_and_accounts_belong_to_one_employee(
    admin_user, make_employee, make_user, institution_a
):
    account = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    first = make_employee(personnel_number="P-1", user=account)
    second = make_employee(personnel_number="P-2")
    refused("personnel_number_taken", lambda: make_employee(personnel_number="P-1"))
    refused(
        "account_taken",
        lambda: services.employee_update(actor=admin_user, employee=second, user=account),
    )
    services.employee_update(actor=admin_user, employee=first, personnel_number="P-1")  # itself
    assert Employee.objects.filter(personnel_number__startswith="P-").count() == 2


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"ended_on": dt.date(2025, 3, 31)}, "ends_before_start"),
        ({"hours": 0}, "invalid_hours"),
        ({"hours": 5000}, "invalid_hours"),
        ({"kind": "holiday"}, "invalid"),
        ({"title": "   "}, "invalid"),
    ],
)
def test_bad_training_records_are_refused(admin_user, make_employee, fields, code):
    employee = make_employee()
    data = {"title": "Семинар", "kind": "seminar", "started_on": dt.date(2025, 4, 1), **fields}
    refused(code, lambda: services.training_record(actor=admin_user, employee=employee, **data))
    assert not TrainingRecord.objects.exists()


def test_a_training_record_is_audited_on_the_employee(admin_user, make_employee):
    employee = make_employee()
    record = services.training_record(
        actor=admin_user,
        employee=employee,
        title="18-й социальный семинар Москва — Берлин",
        kind="seminar",
        started_on=dt.date(2017, 7, 4),
        ended_on=dt.date(2017, 7, 9),
        hours=36,
        organiser="ДТСЗН и LAGeSo",
        external_ref="cooperation.event:18",
    )
    assert record.external_ref == "cooperation.event:18"
    [entry] = entries(employee, "institutions.training.recorded")
    assert entry.data["training_id"] == record.pk and entry.data["kind"] == "seminar"


@db_property
@given(
    hired=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    left=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
)
def test_leaving_succeeds_exactly_when_it_is_not_before_hiring(
    admin_user, make_employee, hired, left
):
    with transaction.atomic():
        employment = make_employee(hired_on=hired).employments.get()
        entries_before = AuditEntry.objects.count()
        try:
            services.employment_end(actor=admin_user, employment=employment, left_on=left)
        except DomainError as error:
            assert left < hired and error.code == "leaves_before_hiring"
            assert AuditEntry.objects.count() == entries_before
            assert Employment.objects.get(pk=employment.pk).left_on is None
        else:
            assert left >= hired
            assert Employment.objects.get(pk=employment.pk).left_on == left
        transaction.set_rollback(True)


def test_is_active_is_a_shorthand_for_closing_and_reopening(admin_user, institution_a):
    services.institution_update(actor=admin_user, institution=institution_a, is_active=False)
    institution_a.refresh_from_db()
    assert (institution_a.status, institution_a.closed_on) == ("closed", TODAY)
    services.institution_update(actor=admin_user, institution=institution_a, is_active=False)
    services.institution_update(actor=admin_user, institution=institution_a, is_active=True)
    institution_a.refresh_from_db()
    assert institution_a.status == "open" and institution_a.is_active
    assert [c.status for c in institution_a.status_changes.all()] == ["open", "closed", "open"]
