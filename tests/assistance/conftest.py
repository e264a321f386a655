"""Assistance fixtures, built through the services: the rules and calendars, a measure with a
published version (a monthly payment from 60, a fixed sum), a household measure, a person of
institution A in a household with incomes, and the people who act on them."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection

from opora.assistance import services
from opora.assistance.criteria.batch import batch_select
from opora.assistance.models import MeasureVersion
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.demo.steps.rules import load_rules
from opora.registry import services as registry_services
from opora.registry.models import IncomeKind
from opora.registry.reference import ensure_reference_data

_numbers = itertools.count(1)

ELDERLY = {"all": [{"id": "age60", "clause": "age", "at_least": 60}]}
FIXED = {"fixed": "1000.00"}
DOCUMENTS = ["Паспорт", "Справка о доходах"]
VALID_FROM = dt.date(2026, 1, 1)
# A weekday of the loaded calendar, well before today and after the version's first day.
APPLIED_ON = dt.date(2026, 3, 10)


@pytest.fixture
def assistance_reference(db):
    """What the migrations load, again (a transactional test starts with it flushed), and the
    rules, minimums and working-day calendars the demo holds."""
    ensure_reference_data()
    load_rules()


@pytest.fixture
def analyst_user(make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def make_measure(assistance_reference):
    """``make_measure(...)`` creates a measure with one version, published unless told not to."""

    def make(
        *,
        beneficiary: str = "person",
        kind: str = "monthly_payment",
        eligibility=None,
        amount=None,
        publish: bool = True,
        valid_from: dt.date = VALID_FROM,
        **version_fields,
    ):
        number = next(_numbers)
        measure = services.measure_create(
            actor=SYSTEM,
            code=f"measure-{number}",
            name=f"Ежемесячная выплата № {number}",
            name_en=f"Monthly payment No. {number}",
            kind=kind,
            beneficiary=beneficiary,
        )
        version_fields.setdefault("periodicity", "monthly")
        version_fields.setdefault("decision_working_days", 10)
        version_fields.setdefault("term_months", 12)
        version_fields.setdefault("review_months", 6)
        version_fields.setdefault("documents", DOCUMENTS)
        version = services.version_draft(
            actor=SYSTEM,
            measure=measure,
            valid_from=valid_from,
            legal_basis="Постановление № 1-ПП",
            eligibility=eligibility if eligibility is not None else ELDERLY,
            amount=amount if amount is not None else FIXED,
            **version_fields,
        )
        if publish:
            services.version_publish(actor=SYSTEM, version=version)
        return measure

    return make


@pytest.fixture
def measure(make_measure):
    return make_measure()


@pytest.fixture
def version(measure):
    return measure.versions.get()


@pytest.fixture
def household_measure(make_measure):
    return make_measure(beneficiary="household")


@pytest.fixture
def make_person(assistance_reference):
    def make(institution, **fields):
        number = next(_numbers)
        fields.setdefault("last_name", "Смирнова")
        fields.setdefault("first_name", f"Вера{number}")
        fields.setdefault("patronymic", "Павловна")
        fields.setdefault("sex", "F")
        fields.setdefault("birth_date", dt.date(1950, 5, 9))
        return registry_services.person_register(actor=SYSTEM, institution=institution, **fields)

    return make


def record_incomes(person, amount, months):
    for month in months:
        registry_services.income_record(
            actor=SYSTEM, person=person, month=month, kind=IncomeKind.PENSION, amount=amount
        )


def months_before(day: dt.date, count: int) -> list[dt.date]:
    first = day.replace(day=1)
    found = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        found.append(first)
    return found


@pytest.fixture
def person_a(make_person, institution_a):
    """A pensioner of institution A, the applicant of a household with her husband, with a
    pension every month of the year before the application."""
    person = make_person(institution_a)
    record_incomes(person, Decimal("15000"), months_before(APPLIED_ON, 12))
    return person


@pytest.fixture
def household_a(person_a, make_person, institution_a):
    household = registry_services.household_create(
        actor=SYSTEM, applicant=person_a, address="ул. Ленина, 1", joined_on=dt.date(2020, 1, 1)
    )
    husband = make_person(institution_a, first_name="Пётр", sex="M", birth_date=dt.date(1948, 2, 1))
    registry_services.household_add_member(
        actor=SYSTEM,
        household=household,
        person=husband,
        relation="spouse",
        joined_on=dt.date(2020, 1, 1),
    )
    record_incomes(husband, Decimal("17000"), months_before(APPLIED_ON, 12))
    return household


@pytest.fixture
def apply(measure, person_a, household_a, institution_a):
    """``apply(...)`` registers an application of ``person_a`` for ``measure`` at A."""

    def register(**fields):
        fields.setdefault("actor", SYSTEM)
        fields.setdefault("measure", measure)
        fields.setdefault("person", person_a)
        fields.setdefault("institution", institution_a)
        fields.setdefault("channel", "in_person")
        fields.setdefault("applied_on", APPLIED_ON)
        fields.setdefault("documents_received", DOCUMENTS[:1])
        return services.application_register(**fields)

    return register


@pytest.fixture
def application(apply):
    return apply()


@pytest.fixture
def assignment(application, worker_a):
    decision = services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    return decision.application.assignment


def rows(*models) -> tuple[int, ...]:
    """The number of rows of each model: a refused call leaves them all as they were."""
    return tuple(model.objects.count() for model in models)


STATE = {True: 2, None: 1, False: 0}


def batch_rows(version: MeasureVersion, day: dt.date) -> dict[int, tuple]:
    """The whole-registry query's rows: person → (household, state, kopecks, clause digits)."""
    with connection.cursor() as cursor:
        cursor.execute(batch_select(versions=[version], on=day).sql)
        return {row[0]: (row[1], row[3], row[4], row[5]) for row in cursor.fetchall()}


def batch_expected(outcomes) -> dict[int, tuple]:
    """What ``batch_rows`` must give for the people of ``outcomes`` (``evaluate``'s)."""
    return {
        o.person_id: (
            o.household_id,
            STATE[o.eligible],
            None if o.amount is None else int(o.amount * 100),
            "".join(str(STATE[clause.held]) for clause in o.clauses),
        )
        for o in outcomes
    }
