"""Fixtures of the social-contract and in-kind tests: a person of institution A, assignments of
a social-contract and of an in-kind measure, a contract concluded on one, goods in stock.

The assignments are made through the services, from a published version to a worker's
decision (``make_assignment``)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from opora.assistance import services
from opora.assistance.models import MeasureKind, Periodicity
from opora.assistance.services.goods import goods_kind_create, stock_receive
from opora.assistance.services.social_contract import contract_conclude
from opora.casework.models import Channel
from opora.core.actors import SYSTEM
from opora.registry import services as registry_services

__all__ = [
    "contract",
    "contract_assignment",
    "food_set",
    "in_kind_assignment",
    "make_assignment",
    "make_person",
    "person_a",
    "stocked",
    "today",
]

_numbers = itertools.count(1)

TOTAL = Decimal("60000.00")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_person(db):
    def make(institution, **fields):
        number = next(_numbers)
        fields.setdefault("last_name", "Смирнова")
        fields.setdefault("first_name", f"Ольга{number}")
        fields.setdefault("sex", "F")
        fields.setdefault("birth_date", dt.date(1985, 3, 1))
        return registry_services.person_register(actor=SYSTEM, institution=institution, **fields)

    return make


@pytest.fixture
def person_a(make_person, institution_a):
    return make_person(institution_a)


@pytest.fixture
def make_assignment(assistance_reference, today, make_user):
    """An assignment in force, made as a department makes one: a measure with a published
    version, an application 100 days ago, its evaluation and a worker's decision."""

    def make(*, kind, institution, person, amount=TOTAL):
        number = next(_numbers)
        measure = services.measure_create(
            actor=SYSTEM,
            code=f"sc-measure-{number}",
            name=f"Мера {number}",
            kind=kind,
            beneficiary="person",
        )
        version = services.version_draft(
            actor=SYSTEM,
            measure=measure,
            valid_from=dt.date(2024, 1, 1),
            legal_basis="178-ФЗ, ст. 8.1",
            eligibility={"all": [{"clause": "age", "at_least": 18}]},
            amount={"fixed": str(amount)},
            periodicity=Periodicity.MONTHLY,
            term_months=12,
            decision_working_days=10,
        )
        services.version_publish(actor=SYSTEM, version=version)
        applied_on = today - dt.timedelta(days=100)
        application = services.application_register(
            actor=SYSTEM,
            measure=measure,
            person=person,
            institution=institution,
            channel=Channel.IN_PERSON,
            applied_on=applied_on,
        )
        decider = make_user(institutions=[institution])
        decision = services.application_decide(
            actor=decider, application=application, outcome="assign", decided_on=applied_on
        )
        return decision.application.assignment

    return make


@pytest.fixture
def contract_assignment(make_assignment, institution_a, person_a):
    return make_assignment(
        kind=MeasureKind.SOCIAL_CONTRACT, institution=institution_a, person=person_a
    )


@pytest.fixture
def in_kind_assignment(make_assignment, institution_a, person_a):
    return make_assignment(kind=MeasureKind.IN_KIND, institution=institution_a, person=person_a)


def plan(start: dt.date) -> dict:
    """A job-search plan: register at the employment centre, training, a job; three
    instalments, the first paid at once, the others on the first two steps."""
    return {
        "kind": "job_search",
        "concluded_on": start,
        "ends_on": start + dt.timedelta(days=180),
        "milestones": [
            {"title": "Встать на учёт в центре занятости", "owner": "recipient",
             "due_on": start + dt.timedelta(days=14)},
            {"title": "Пройти обучение", "owner": "employment_centre",
             "due_on": start + dt.timedelta(days=60)},
            {"title": "Трудоустроиться", "owner": "recipient",
             "due_on": start + dt.timedelta(days=150)},
        ],
        "instalments": [
            {"amount": Decimal("20000.00"), "milestone_index": None},
            {"amount": Decimal("20000.00"), "milestone_index": 0},
            {"amount": Decimal("20000.00"), "milestone_index": 1},
        ],
    }  # fmt: skip


@pytest.fixture
def contract(contract_assignment, worker_a):
    return contract_conclude(
        actor=worker_a, assignment=contract_assignment, **plan(contract_assignment.starts_on)
    )


@pytest.fixture
def food_set(db):
    return goods_kind_create(
        actor=SYSTEM, code=f"food-set-{next(_numbers)}", name="Продуктовый набор", unit="set"
    )


@pytest.fixture
def stocked(food_set, institution_a, today):
    """Institution A holds 5 food sets."""
    stock_receive(
        actor=SYSTEM, institution=institution_a, goods=food_set, quantity=5, on=today, note=""
    )
    return food_set
