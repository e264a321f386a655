"""The writes of employment services: the rules at their boundaries, refusals that write
nothing, the status machine of a job seeker and of a referral, and the audit entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from opora.core import audit
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.employment import audit_actions as actions
from opora.employment import services
from opora.employment.models import (
    Employer,
    JobSeeker,
    Referral,
    SeekerStatus,
    SeekerStatusChange,
    ServicePoint,
    Vacancy,
)
from opora.employment.services import age_on
from opora.registry.models import PersonInstitution
from opora.rules import services as rules_services

from .conftest import ENTREPRENEUR_INN, REGISTERED_ON, rows

SEEKER_ROWS = (JobSeeker, SeekerStatusChange, PersonInstitution)
EMPLOYER_ROWS = (Employer, Vacancy)


def refused(code, call, *models):
    before = rows(*models)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.as_body()
    assert rows(*models) == before
    return caught.value


# --- Service points ---------------------------------------------------------------------------


def test_only_an_institution_of_an_employment_kind_becomes_a_service_point(make_institution):
    institution = make_institution()
    error = refused(
        "not_employment_kind",
        lambda: services.service_point_open(actor=SYSTEM, institution=institution),
        ServicePoint,
    )
    assert "institution" in error.details


def test_a_service_point_is_opened_once(point_a):
    refused(
        "service_point_exists",
        lambda: services.service_point_open(actor=SYSTEM, institution=point_a.institution),
        ServicePoint,
    )


def test_a_specialist_cannot_open_a_service_point(make_institution, specialist_a, point_a):
    refused(
        "forbidden",
        lambda: services.service_point_update(
            actor=specialist_a, point=point_a, in_my_documents=False
        ),
        ServicePoint,
    )


def test_a_service_point_refuses_an_unknown_service_and_audits_a_change(point_a):
    refused(
        "invalid_choice",
        lambda: services.service_point_update(actor=SYSTEM, point=point_a, services=["magic"]),
        ServicePoint,
    )
    services.service_point_update(
        actor=SYSTEM, point=point_a, services=["job_search", "training", "job_search"]
    )
    point_a.refresh_from_db()
    assert point_a.services == ["job_search", "training"]
    entry = AuditEntry.objects.filter(action=actions.SERVICE_POINT_CHANGED).get()
    assert entry.changes == {"services": [["job_search"], ["job_search", "training"]]}
    services.service_point_update(actor=SYSTEM, point=point_a, services=["job_search", "training"])
    assert AuditEntry.objects.filter(action=actions.SERVICE_POINT_CHANGED).count() == 1


# --- Job seekers: registration and the ages in force ------------------------------------------


@pytest.mark.parametrize(
    ("born", "day", "years"),
    [
        (dt.date(2010, 5, 10), dt.date(2024, 5, 9), 13),
        (dt.date(2010, 5, 10), dt.date(2024, 5, 10), 14),
        (dt.date(2008, 2, 29), dt.date(2022, 2, 28), 13),
        (dt.date(2008, 2, 29), dt.date(2022, 3, 1), 14),
    ],
)
def test_age_counts_full_years(born, day, years):
    assert age_on(born, day) == years


def test_a_seeker_registers_from_fourteen_on_the_birthday(make_person, make_seeker, point_a):
    person = make_person(point_a, birth_date=dt.date(2011, 3, 3))
    error = refused(
        "too_young",
        lambda: make_seeker(point_a, person=person, registered_on=dt.date(2025, 3, 2)),
        *SEEKER_ROWS,
    )
    assert "14" in error.message
    seeker = make_seeker(point_a, person=person, registered_on=dt.date(2025, 3, 3))
    assert seeker.status == SeekerStatus.REGISTERED


def test_the_age_follows_the_rule_in_force_on_the_day(make_person, make_seeker, point_a):
    rules_services.rule_version_add(
        actor=SYSTEM, code="job_seeker_min_age", valid_from=dt.date(2025, 3, 1), value=Decimal(15)
    )
    person = make_person(point_a, birth_date=dt.date(2010, 6, 1))  # 14 all spring 2025
    refused(
        "too_young",
        lambda: make_seeker(point_a, person=person, registered_on=dt.date(2025, 3, 1)),
        *SEEKER_ROWS,
    )
    assert make_seeker(point_a, person=person, registered_on=dt.date(2025, 2, 28)).pk


def test_registration_is_audited_and_links_the_person(seeker_a, point_a):
    entry = AuditEntry.objects.filter(action=actions.SEEKER_REGISTERED).get()
    assert entry.object_id == str(seeker_a.pk)
    assert entry.changes["skills"] == [None, ["Кондитерские изделия", "ХАССП"]]
    assert entry.changes["occupations"][1] == [o.pk for o in seeker_a.occupations.all()]
    assert PersonInstitution.objects.filter(
        person=seeker_a.person, institution=point_a.institution
    ).exists()
    assert [(c.status, c.effective_on) for c in seeker_a.status_changes.all()] == [
        (SeekerStatus.REGISTERED, REGISTERED_ON)
    ]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"occupations": ["5120", "0000"]}, "unknown_occupation", "occupations"),
        ({"education": "doctorate"}, "invalid_choice", "education"),
        ({"schedule": "sometimes"}, "invalid_choice", "schedule"),
        ({"target_groups": ["older", "astronauts"]}, "invalid_choice", "target_groups"),
        ({"experience_years": 81}, "invalid", "experience_years"),
        ({"wanted_pay": Decimal("-1")}, "invalid", "wanted_pay"),
        ({"skills": ["x" * 101]}, "text_too_long", "skills"),
        ({"registered_on": dt.date(2999, 1, 1)}, "date_in_future", "registered_on"),
    ],
)
def test_bad_registrations_write_nothing(make_person, make_seeker, point_a, fields, code, field):
    person = make_person(point_a)
    error = refused(code, lambda: make_seeker(point_a, person=person, **fields), *SEEKER_ROWS)
    assert field in error.details


def test_a_person_without_a_birth_date_is_refused(make_person, make_seeker, point_a):
    person = make_person(point_a, birth_date=None)
    refused("birth_date_missing", lambda: make_seeker(point_a, person=person), *SEEKER_ROWS)


def test_one_open_record_per_person_and_a_new_one_after_removal(seeker_a, make_seeker, point_b):
    refused(
        "already_registered",
        lambda: make_seeker(point_b, person=seeker_a.person),
        *SEEKER_ROWS,
    )
    services.seeker_change_status(
        actor=SYSTEM,
        seeker=seeker_a,
        status=SeekerStatus.REMOVED,
        effective_on=dt.date(2025, 4, 1),
        reason="Переезд",
    )
    again = make_seeker(point_b, person=seeker_a.person, registered_on=dt.date(2025, 5, 1))
    assert again.pk != seeker_a.pk


def test_a_specialist_registers_only_at_her_own_point(make_person, point_b, specialist_a):
    person = make_person(point_b)
    refused(
        "not_found",
        lambda: services.seeker_register(
            actor=specialist_a,
            person=person,
            service_point=point_b,
            registered_on=REGISTERED_ON,
            education="higher",
            schedule="full_time",
        ),
        *SEEKER_ROWS,
    )


# --- Job seekers: profile and status ----------------------------------------------------------


def test_a_profile_change_records_only_what_changed(seeker_a):
    services.seeker_update_profile(
        actor=SYSTEM, seeker=seeker_a, wanted_pay=Decimal("60000"), occupations=["5120", "9112"]
    )
    entry = AuditEntry.objects.filter(action=actions.SEEKER_PROFILE_CHANGED).get()
    assert set(entry.changes) == {"wanted_pay", "occupations"}
    services.seeker_update_profile(actor=SYSTEM, seeker=seeker_a, wanted_pay=Decimal("60000.00"))
    assert AuditEntry.objects.filter(action=actions.SEEKER_PROFILE_CHANGED).count() == 1


def test_a_profile_refuses_unknown_fields(seeker_a):
    refused(
        "unknown_fields",
        lambda: services.seeker_update_profile(actor=SYSTEM, seeker=seeker_a, status="employed"),
        JobSeeker,
    )


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["unemployed", "in_training", "unemployed", "employed", "removed"], True),
        (["employed", "unemployed"], False),
        (["removed", "registered"], False),
        (["registered"], False),
    ],
)
def test_status_transitions(seeker_a, path, allowed):
    day = dt.date(2025, 4, 1)
    try:
        for status in path:
            services.seeker_change_status(
                actor=SYSTEM, seeker=seeker_a, status=status, effective_on=day, reason="Основание"
            )
            day += dt.timedelta(days=1)
    except DomainError as error:
        assert not allowed
        assert error.code == "invalid_transition"
        assert error.status == 409
    else:
        assert allowed
    seeker_a.refresh_from_db()
    history = [c.status for c in seeker_a.status_changes.all()]
    assert history[0] == "registered"
    assert history[-1] == seeker_a.status


def test_removal_needs_a_reason_and_a_date_not_before_the_status(seeker_a):
    def remove(**fields):
        return lambda: services.seeker_change_status(
            actor=SYSTEM, seeker=seeker_a, status=SeekerStatus.REMOVED, **fields
        )

    refused("required", remove(effective_on=REGISTERED_ON, reason="  "), *SEEKER_ROWS)
    day_before = REGISTERED_ON - dt.timedelta(days=1)
    refused("date_too_early", remove(effective_on=day_before, reason="Переезд"), *SEEKER_ROWS)
    refused("text_too_long", remove(effective_on=REGISTERED_ON, reason="x" * 301), *SEEKER_ROWS)
    services.seeker_change_status(
        actor=SYSTEM,
        seeker=seeker_a,
        status=SeekerStatus.REMOVED,
        effective_on=REGISTERED_ON,
        reason="Переезд",
    )
    entry = AuditEntry.objects.filter(action=actions.SEEKER_STATUS_CHANGED).get()
    assert entry.reason == "Переезд"
    assert entry.data == {"status": "removed"}


def test_unemployed_from_sixteen_on_the_birthday(make_person, make_seeker, point_a):
    person = make_person(point_a, birth_date=dt.date(2009, 4, 10))
    seeker = make_seeker(point_a, person=person, registered_on=dt.date(2025, 3, 3))

    def recognise(day):
        return lambda: services.seeker_change_status(
            actor=SYSTEM, seeker=seeker, status=SeekerStatus.UNEMPLOYED, effective_on=day
        )

    refused("too_young", recognise(dt.date(2025, 4, 9)), *SEEKER_ROWS)
    recognise(dt.date(2025, 4, 10))()
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.UNEMPLOYED


# --- Employers and vacancies ------------------------------------------------------------------


@pytest.mark.parametrize("inn", ["7707083894", "77070838", "5001007322590", "abcdefghij"])
def test_an_employer_with_a_wrong_inn_is_refused(point_a, inn):
    error = refused(
        "invalid_inn",
        lambda: services.employer_add(actor=SYSTEM, service_point=point_a, name="X", inn=inn),
        *EMPLOYER_ROWS,
    )
    assert "inn" in error.details


def test_the_kind_follows_the_inn_and_an_inn_is_known_once(employer_a, employer_b, point_a):
    assert (employer_a.kind, employer_b.kind) == ("organisation", "entrepreneur")
    refused(
        "inn_taken",
        lambda: services.employer_add(
            actor=SYSTEM, service_point=point_a, name="Другой", inn=ENTREPRENEUR_INN
        ),
        *EMPLOYER_ROWS,
    )


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        (
            {"pay_from": Decimal("50001"), "pay_to": Decimal("50000")},
            "pay_range_reversed",
            "pay_from",
        ),
        ({"places": 2, "quota_places": 3}, "quota_above_places", "quota_places"),
        ({"quota_places": -1}, "quota_above_places", "quota_places"),
        ({"places": 0}, "no_places", "places"),
        ({"occupation": "0001"}, "unknown_occupation", "occupation"),
        ({"schedule": "nights"}, "invalid_choice", "schedule"),
        ({"title": "   "}, "required", "title"),
    ],
)
def test_bad_vacancies_write_nothing(make_vacancy, employer_a, fields, code, field):
    error = refused(code, lambda: make_vacancy(employer_a, **fields), *EMPLOYER_ROWS)
    assert field in error.details


def test_vacancy_boundaries_are_allowed(make_vacancy, employer_a):
    vacancy = make_vacancy(
        employer_a, pay_from=Decimal("50000"), pay_to=Decimal("50000"), places=2, quota_places=2
    )
    assert (vacancy.quota_places, vacancy.pay_from) == (2, vacancy.pay_to)
    assert AuditEntry.objects.filter(action=actions.VACANCY_ADDED, object_id=vacancy.pk).exists()


def test_a_vacancy_of_another_department_cannot_be_changed(vacancy_b, specialist_a):
    refused(
        "not_found",
        lambda: services.vacancy_set_status(actor=specialist_a, vacancy=vacancy_b, status="closed"),
        Vacancy,
    )
    vacancy_b.refresh_from_db()
    assert vacancy_b.status == "open"


# --- Referrals --------------------------------------------------------------------------------


def refer(seeker, vacancy, on=dt.date(2025, 3, 10), actor=SYSTEM):
    return services.referral_make(actor=actor, seeker=seeker, vacancy=vacancy, referred_on=on)


def test_a_removed_seeker_cannot_be_referred(seeker_a, vacancy_a):
    services.seeker_change_status(
        actor=SYSTEM, seeker=seeker_a, status="removed", effective_on=REGISTERED_ON, reason="Отказ"
    )
    error = refused("seeker_removed", lambda: refer(seeker_a, vacancy_a), Referral)
    assert error.status == 409


def test_a_referral_to_a_closed_vacancy_or_twice_is_refused(
    seeker_a, vacancy_a, make_vacancy, employer_a
):
    refer(seeker_a, vacancy_a)
    refused("already_referred", lambda: refer(seeker_a, vacancy_a), Referral)
    closed = make_vacancy(employer_a)
    services.vacancy_set_status(actor=SYSTEM, vacancy=closed, status="closed")
    refused("vacancy_not_open", lambda: refer(seeker_a, closed), Referral)
    fresh = make_vacancy(employer_a)  # the seeker registered on 3 March
    refused("date_too_early", lambda: refer(seeker_a, fresh, on=dt.date(2025, 3, 2)), Referral)


def test_a_specialist_refers_only_her_seekers_to_her_vacancies(
    seeker_a, seeker_b, vacancy_a, vacancy_b, specialist_a
):
    refused("not_found", lambda: refer(seeker_b, vacancy_a, actor=specialist_a), Referral)
    refused("not_found", lambda: refer(seeker_a, vacancy_b, actor=specialist_a), Referral)
    assert refer(seeker_a, vacancy_a, actor=specialist_a).pk


def test_a_hire_makes_the_seeker_employed(seeker_a, vacancy_a):
    referral = refer(seeker_a, vacancy_a)
    services.referral_record_outcome(
        actor=SYSTEM, referral=referral, outcome="interview", on=dt.date(2025, 3, 12)
    )
    services.referral_record_outcome(
        actor=SYSTEM, referral=referral, outcome="hired", on=dt.date(2025, 3, 20)
    )
    seeker_a.refresh_from_db()
    assert (seeker_a.status, seeker_a.status_since) == ("employed", dt.date(2025, 3, 20))
    assert AuditEntry.objects.filter(action=actions.REFERRAL_OUTCOME).count() == 2
    refused(
        "invalid_transition",
        lambda: services.referral_record_outcome(
            actor=SYSTEM, referral=referral, outcome="refused", on=dt.date(2025, 3, 21), reason="x"
        ),
        Referral,
        JobSeeker,
    )


def test_a_refusal_needs_its_reason_and_only_a_refusal_has_one(seeker_a, vacancy_a):
    referral = refer(seeker_a, vacancy_a)

    def outcome(name, reason):
        return lambda: services.referral_record_outcome(
            actor=SYSTEM, referral=referral, outcome=name, on=dt.date(2025, 3, 11), reason=reason
        )

    refused("required", outcome("refused", ""), Referral)
    refused("reason_not_expected", outcome("interview", "Почему-то"), Referral)
    refused(
        "date_too_early",
        lambda: services.referral_record_outcome(
            actor=SYSTEM, referral=referral, outcome="interview", on=dt.date(2025, 3, 9)
        ),
        Referral,
    )
    outcome("refused", "Нет медицинской книжки")()
    referral.refresh_from_db()
    assert (referral.outcome, referral.refusal_reason) == ("refused", "Нет медицинской книжки")
    seeker_a.refresh_from_db()
    assert seeker_a.status == "registered"


def test_the_audit_sentences_name_the_status_in_the_readers_language(seeker_a):
    services.seeker_change_status(
        actor=SYSTEM,
        seeker=seeker_a,
        status=SeekerStatus.IN_TRAINING,
        effective_on=REGISTERED_ON,
    )
    entry = AuditEntry.objects.filter(action=actions.SEEKER_STATUS_CHANGED).get()
    with translation.override("en"):
        assert audit.sentence(entry) == (
            f"System changed the status of the job seeker {seeker_a.person} to «in training»"
        )
