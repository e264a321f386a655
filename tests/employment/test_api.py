"""The employment API: every operation exercised by the role that may call it; another
department's seekers, employers, vacancies and referrals do not exist (404) and are never
listed; bad input is refused with its code and field and writes nothing; the published schema
lists the operations."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.api import api
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.employment import services
from opora.employment.models import (
    Employer,
    JobSeeker,
    Referral,
    SeekerStatusChange,
    ServicePoint,
    Vacancy,
)
from opora.institutions.models import InstitutionKind

from .conftest import ORGANISATION_INN, rows

API = "/api/v1/employment"
JSON = "application/json"
WRITTEN = (ServicePoint, JobSeeker, SeekerStatusChange, Employer, Vacancy, Referral)


def post(client, url, body=None):
    return client.post(url, body or {}, content_type=JSON)


def patch(client, url, body):
    return client.patch(url, body, content_type=JSON)


def refused(response, status, code, field=None):
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code, body
    if field:
        assert field in body["details"], body
    return body


@pytest.fixture
def as_a(client, specialist_a):
    client.force_login(specialist_a)
    return client


# --- Reference data ---------------------------------------------------------------------------


def test_the_classifier_is_listed_and_searched(as_a):
    body = as_a.get(f"{API}/occupations", {"q": "83"}).json()
    assert [item["code"] for item in body["items"]] == ["8322", "8332"]
    body = as_a.get(f"{API}/occupations", {"q": "ГРУЗОВ"}).json()
    assert [item["code"] for item in body["items"]] == ["8332"]
    assert as_a.get(f"{API}/occupations/5120").json() == {
        "code": "5120",
        "name": "Повара",
        "name_en": "Cooks",
    }
    refused(as_a.get(f"{API}/occupations/0000"), 404, "not_found")


def test_benefit_bounds_on_a_day(as_a):
    body = as_a.get(f"{API}/benefit-bounds", {"on": "2025-01-01"}).json()
    assert body == {"on": "2025-01-01", "minimum": "1696.00", "maximum": "14375.00"}
    refused(as_a.get(f"{API}/benefit-bounds", {"on": "2023-06-01"}), 404, "rule_not_in_force")


def test_service_points_are_opened_and_changed_by_an_administrator(
    client, admin_user, make_institution, point_a, point_b, specialist_a
):
    institution = make_institution(kind=InstitutionKind.objects.get(code="employment-department"))
    client.force_login(specialist_a)
    assert [p["institution_id"] for p in client.get(f"{API}/service-points").json()["items"]] == [
        point_a.pk
    ]
    refused(
        post(client, f"{API}/service-points", {"institution_id": institution.pk}),
        403,
        "permission_denied",
    )
    client.force_login(admin_user)
    response = post(
        client,
        f"{API}/service-points",
        {"institution_id": institution.pk, "in_my_documents": True, "services": ["job_search"]},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["in_my_documents"] is True
    assert response.json()["kind"] == "employment-department"
    listed = client.get(f"{API}/service-points", {"in_my_documents": "false"}).json()["items"]
    assert [p["institution_id"] for p in listed] == [point_b.pk]
    response = patch(
        client, f"{API}/service-points/{institution.pk}", {"services": ["training", "job_search"]}
    )
    assert response.json()["services"] == ["training", "job_search"]
    other = make_institution()
    before = rows(*WRITTEN)
    refused(
        post(client, f"{API}/service-points", {"institution_id": other.pk}),
        400,
        "not_employment_kind",
        "institution",
    )
    refused(
        post(client, f"{API}/service-points", {"institution_id": 2_000_000_000}),
        400,
        "unknown_institution",
        "institution_id",
    )
    refused(
        post(client, f"{API}/service-points", {"institution_id": institution.pk}),
        409,
        "service_point_exists",
    )
    assert rows(*WRITTEN) == before


# --- From registration to a hire -------------------------------------------------------------


def test_from_registration_to_a_hire(as_a, make_person, point_a):
    person = make_person(point_a, birth_date=dt.date(1985, 1, 20))
    response = post(
        as_a,
        f"{API}/seekers",
        {
            "person_id": person.pk,
            "service_point_id": point_a.pk,
            "registered_on": "2025-03-03",
            "education": "higher",
            "schedule": "full_time",
            "occupations": ["2411", "4110"],
            "skills": ["1С", "Excel", "excel"],
            "experience_years": 12,
            "wanted_pay": "70000.00",
            "target_groups": ["maternity_leave"],
        },
    )
    assert response.status_code == 201, response.json()
    seeker = response.json()
    assert seeker["occupations"] == ["2411", "4110"]
    assert seeker["skills"] == ["1С", "Excel"]
    assert seeker["history"] == [
        {"status": "registered", "effective_on": "2025-03-03", "reason": ""}
    ]
    url = f"{API}/seekers/{seeker['id']}"
    response = patch(as_a, url, {"travel_limit_km": 15, "wanted_pay": None})
    assert (response.json()["travel_limit_km"], response.json()["wanted_pay"]) == (15, None)
    response = post(as_a, f"{url}/status", {"status": "unemployed", "effective_on": "2025-03-05"})
    assert response.json()["status"] == "unemployed"
    assert as_a.get(f"{API}/seekers", {"status": "unemployed"}).json()["count"] == 1

    response = post(
        as_a,
        f"{API}/employers",
        {"service_point_id": point_a.pk, "name": "ООО «Учёт»", "inn": ORGANISATION_INN},
    )
    assert response.status_code == 201, response.json()
    employer = response.json()
    assert employer["kind"] == "organisation"
    assert as_a.get(f"{API}/employers/{employer['id']}").json()["inn"] == ORGANISATION_INN
    assert as_a.get(f"{API}/employers", {"inn": ORGANISATION_INN}).json()["count"] == 1
    response = post(
        as_a,
        f"{API}/vacancies",
        {
            "employer_id": employer["id"],
            "occupation": "2411",
            "title": "Бухгалтер",
            "pay_from": "60000",
            "pay_to": "80000",
            "schedule": "full_time",
            "places": 2,
            "quota_places": 1,
            "opened_on": "2025-03-01",
        },
    )
    assert response.status_code == 201, response.json()
    vacancy = response.json()
    assert (vacancy["occupation"], vacancy["status"]) == ("2411", "open")
    assert as_a.get(f"{API}/vacancies/{vacancy['id']}").json()["title"] == "Бухгалтер"
    assert as_a.get(f"{API}/vacancies", {"quota_only": "true"}).json()["count"] == 1

    response = post(
        as_a,
        f"{API}/referrals",
        {"seeker_id": seeker["id"], "vacancy_id": vacancy["id"], "referred_on": "2025-03-10"},
    )
    assert response.status_code == 201, response.json()
    referral = response.json()
    assert referral["outcome"] == "pending"
    response = post(
        as_a,
        f"{API}/referrals/{referral['id']}/outcome",
        {"outcome": "hired", "on": "2025-03-17"},
    )
    assert response.json()["outcome"] == "hired"
    assert as_a.get(f"{API}/referrals/{referral['id']}").json()["outcome_on"] == "2025-03-17"
    assert as_a.get(f"{API}/referrals", {"outcome": "hired"}).json()["count"] == 1
    assert as_a.get(url).json()["status"] == "employed"

    response = post(as_a, f"{API}/vacancies/{vacancy['id']}/status", {"status": "filled"})
    assert response.json()["status"] == "filled"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "employment.seeker.registered",
        "employment.seeker.profile_changed",
        "employment.seeker.status_changed",
        "employment.employer.added",
        "employment.vacancy.added",
        "employment.vacancy.status_changed",
        "employment.referral.made",
        "employment.referral.outcome",
    } <= actions
    assert AuditEntry.objects.filter(action="employment.referral.made").get().source == "api"


# --- Bad input: a clear error, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"inn": "7707083894"}, 400, "invalid_inn", "inn"),
        ({"inn": "12345"}, 400, "invalid_inn", "inn"),
        ({"district_id": 2_000_000_000}, 400, "unknown_district", "district_id"),
        ({"name": ""}, 422, "validation_error", None),
    ],
)
def test_bad_employers(as_a, point_a, body, status, code, field):
    before = rows(*WRITTEN)
    payload = {"service_point_id": point_a.pk, "name": "ООО «Ромашка»", "inn": ORGANISATION_INN}
    refused(post(as_a, f"{API}/employers", payload | body), status, code, field)
    assert rows(*WRITTEN) == before


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"pay_from": "90000", "pay_to": "80000"}, 400, "pay_range_reversed", "pay_from"),
        ({"places": 2, "quota_places": 3}, 400, "quota_above_places", "quota_places"),
        ({"occupation": "9999"}, 400, "unknown_occupation", "occupation"),
        ({"places": 0}, 422, "validation_error", None),
    ],
)
def test_bad_vacancies(as_a, employer_a, body, status, code, field):
    before = rows(*WRITTEN)
    payload = {"employer_id": employer_a.pk, "occupation": "5120", "title": "Повар"}
    payload |= {"schedule": "shifts", "places": 2}
    refused(post(as_a, f"{API}/vacancies", payload | body), status, code, field)
    assert rows(*WRITTEN) == before


def test_errors_speak_the_callers_language(as_a, employer_a):
    as_a.cookies["django_language"] = "en"
    body = post(
        as_a,
        f"{API}/vacancies",
        {
            "employer_id": employer_a.pk,
            "occupation": "5120",
            "title": "Cook",
            "schedule": "shifts",
            "places": 1,
            "quota_places": 2,
        },
    ).json()
    assert body["message"].startswith("The quota places must be between 0 and the number")


def test_bad_seeker_requests(as_a, seeker_a, vacancy_a, make_person, point_a):
    person = make_person(point_a)
    before = rows(*WRITTEN)
    url = f"{API}/seekers/{seeker_a.pk}"
    base = {"person_id": person.pk, "service_point_id": point_a.pk}
    base |= {"education": "higher", "schedule": "full_time"}
    refused(
        post(as_a, f"{API}/seekers", base | {"occupations": ["77"]}),
        400,
        "unknown_occupation",
        "occupations",
    )
    refused(
        post(as_a, f"{API}/seekers", base | {"person_id": 2_000_000_000}),
        400,
        "unknown_person",
        "person_id",
    )
    refused(
        post(as_a, f"{API}/seekers", base | {"person_id": seeker_a.person_id}),
        409,
        "already_registered",
    )
    refused(patch(as_a, url, {"education": None}), 400, "required_field", "education")
    refused(post(as_a, f"{url}/status", {"status": "removed"}), 400, "required", "reason")
    refused(
        post(as_a, f"{url}/status", {"status": "registered"}), 409, "invalid_transition", "status"
    )
    assert rows(*WRITTEN) == before
    post(as_a, f"{url}/status", {"status": "removed", "reason": "Не явился"})
    refused(
        post(as_a, f"{API}/referrals", {"seeker_id": seeker_a.pk, "vacancy_id": vacancy_a.pk}),
        409,
        "seeker_removed",
        "seeker_id",
    )
    assert Referral.objects.count() == 0


def test_a_refusal_needs_a_reason(as_a, seeker_a, vacancy_a):
    referral = post(
        as_a, f"{API}/referrals", {"seeker_id": seeker_a.pk, "vacancy_id": vacancy_a.pk}
    ).json()
    url = f"{API}/referrals/{referral['id']}/outcome"
    refused(post(as_a, url, {"outcome": "refused"}), 400, "required", "reason")
    response = post(as_a, url, {"outcome": "refused", "reason": "Нет опыта"})
    assert response.json()["refusal_reason"] == "Нет опыта"
    refused(post(as_a, url, {"outcome": "hired"}), 409, "invalid_transition", "outcome")


# --- Scope: another department does not exist -------------------------------------------------


def test_another_department_gets_404_and_sees_nothing(
    client, specialist_b, seeker_a, employer_a, vacancy_a, point_a
):
    referral = services.referral_make(
        actor=SYSTEM, seeker=seeker_a, vacancy=vacancy_a, referred_on=dt.date(2025, 3, 10)
    )
    client.force_login(specialist_b)
    for path in ("seekers", "employers", "vacancies", "referrals"):
        assert client.get(f"{API}/{path}").json()["count"] == 0, path
    for url in (
        f"{API}/seekers/{seeker_a.pk}",
        f"{API}/employers/{employer_a.pk}",
        f"{API}/vacancies/{vacancy_a.pk}",
        f"{API}/referrals/{referral.pk}",
    ):
        refused(client.get(url), 404, "not_found")
    before = rows(*WRITTEN)
    refused(patch(client, f"{API}/seekers/{seeker_a.pk}", {"skills": []}), 404, "not_found")
    refused(
        post(client, f"{API}/seekers/{seeker_a.pk}/status", {"status": "unemployed"}),
        404,
        "not_found",
    )
    refused(
        post(client, f"{API}/vacancies/{vacancy_a.pk}/status", {"status": "closed"}),
        404,
        "not_found",
    )
    refused(
        post(client, f"{API}/referrals/{referral.pk}/outcome", {"outcome": "hired"}),
        404,
        "not_found",
    )
    refused(
        post(
            client,
            f"{API}/employers",
            {"service_point_id": point_a.pk, "name": "X", "inn": "7830002293"},
        ),
        404,
        "not_found",
        "service_point_id",
    )
    refused(
        post(
            client,
            f"{API}/seekers",
            {
                "person_id": seeker_a.person_id,
                "service_point_id": point_a.pk,
                "education": "higher",
                "schedule": "full_time",
            },
        ),
        400,
        "unknown_person",
        "person_id",
    )
    assert rows(*WRITTEN) == before


def test_a_social_worker_and_an_analyst_are_refused_job_seekers(
    client, make_user, analyst, seeker_a
):
    client.force_login(make_user(Role.SOCIAL_WORKER))
    refused(client.get(f"{API}/seekers"), 403, "permission_denied")
    client.force_login(analyst)
    refused(client.get(f"{API}/seekers"), 403, "permission_denied")
    assert client.get(f"{API}/vacancies").status_code == 200


# --- The schema -------------------------------------------------------------------------------


def test_the_schema_lists_every_operation():
    schema = api.get_openapi_schema()
    operations = {
        (method, path.removeprefix(API))
        for path, methods in schema["paths"].items()
        if path.startswith(API)
        for method in methods
    }
    assert operations == {
        ("get", "/occupations"),
        ("get", "/occupations/{code}"),
        ("get", "/service-points"),
        ("post", "/service-points"),
        ("patch", "/service-points/{institution_id}"),
        ("get", "/benefit-bounds"),
        ("get", "/seekers"),
        ("post", "/seekers"),
        ("get", "/seekers/{seeker_id}"),
        ("patch", "/seekers/{seeker_id}"),
        ("post", "/seekers/{seeker_id}/status"),
        ("get", "/employers"),
        ("post", "/employers"),
        ("get", "/employers/{employer_id}"),
        ("get", "/vacancies"),
        ("post", "/vacancies"),
        ("get", "/vacancies/{vacancy_id}"),
        ("post", "/vacancies/{vacancy_id}/status"),
        ("get", "/referrals"),
        ("post", "/referrals"),
        ("get", "/referrals/{referral_id}"),
        ("post", "/referrals/{referral_id}/outcome"),
    }
