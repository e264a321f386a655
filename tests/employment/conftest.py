"""Two employment departments (A and B), each with its specialist, a seeker, an employer and a
vacancy, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.employment import services
from opora.employment.models import Schedule
from opora.institutions.models import InstitutionKind
from opora.registry import services as registry_services

_numbers = itertools.count(1)
REGISTERED_ON = dt.date(2025, 3, 3)
# A valid INN of an organisation and of an individual entrepreneur (check digits hold).
ORGANISATION_INN = "7707083893"
ENTREPRENEUR_INN = "500100732259"


def rows(*models) -> dict[str, int]:
    """How many rows each model and the audit log hold: a refused write changes none."""
    counts = {model.__name__: model.objects.count() for model in models}
    counts["AuditEntry"] = AuditEntry.objects.count()
    return counts


@pytest.fixture
def make_point(make_institution):
    def make(kind: str = "employment-department", **fields):
        number = next(_numbers)
        institution = make_institution(
            code=f"employment-{number}",
            name=f"Отдел трудоустройства № {number}",
            kind=InstitutionKind.objects.get(code=kind),
        )
        return services.service_point_open(
            actor=SYSTEM,
            institution=institution,
            in_my_documents=fields.pop("in_my_documents", kind == "employment-department"),
            services=fields.pop("services", ["job_search"]),
        )

    return make


@pytest.fixture
def point_a(make_point):
    return make_point()


@pytest.fixture
def point_b(make_point):
    return make_point(kind="flagship-employment-centre", in_my_documents=False)


@pytest.fixture
def specialist_a(make_user, point_a):
    return make_user(Role.EMPLOYMENT_SPECIALIST, institutions=[point_a.institution])


@pytest.fixture
def specialist_b(make_user, point_b):
    return make_user(Role.EMPLOYMENT_SPECIALIST, institutions=[point_b.institution])


@pytest.fixture
def make_person(db):
    def make(point, **fields):
        number = next(_numbers)
        fields.setdefault("last_name", "Кузнецова")
        fields.setdefault("first_name", f"Анна{number}")
        fields.setdefault("sex", "F")
        fields.setdefault("birth_date", dt.date(1990, 6, 15))
        return registry_services.person_register(
            actor=SYSTEM, institution=point.institution, **fields
        )

    return make


@pytest.fixture
def make_seeker(make_person):
    def make(point, person=None, **fields):
        fields.setdefault("registered_on", REGISTERED_ON)
        fields.setdefault("education", "vocational")
        fields.setdefault("schedule", Schedule.FULL_TIME)
        fields.setdefault("occupations", ["5120"])
        return services.seeker_register(
            actor=SYSTEM,
            person=person or make_person(point),
            service_point=point,
            **fields,
        )

    return make


@pytest.fixture
def seeker_a(make_seeker, point_a):
    return make_seeker(point_a, skills=["Кондитерские изделия", "ХАССП"])


@pytest.fixture
def seeker_b(make_seeker, point_b):
    return make_seeker(point_b)


@pytest.fixture
def employer_a(point_a):
    return services.employer_add(
        actor=SYSTEM, service_point=point_a, name="ООО «Столовая № 1»", inn=ORGANISATION_INN
    )


@pytest.fixture
def employer_b(point_b):
    return services.employer_add(
        actor=SYSTEM, service_point=point_b, name="ИП Петров", inn=ENTREPRENEUR_INN
    )


@pytest.fixture
def make_vacancy():
    def make(employer, **fields):
        fields.setdefault("occupation", "5120")
        fields.setdefault("title", "Повар")
        fields.setdefault("schedule", Schedule.SHIFTS)
        fields.setdefault("places", 3)
        fields.setdefault("opened_on", dt.date(2025, 2, 1))
        return services.vacancy_add(actor=SYSTEM, employer=employer, **fields)

    return make


@pytest.fixture
def vacancy_a(make_vacancy, employer_a):
    return make_vacancy(employer_a, quota_places=1)


@pytest.fixture
def vacancy_b(make_vacancy, employer_b):
    return make_vacancy(employer_b, occupation="8322", title="Водитель")
