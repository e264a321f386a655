"""Fixtures of the run, what-if and outreach tests: a small registry in two districts crafted so
that a draft makes someone gain, someone lose and someone's amount change, and helpers that run
a run's work here and now (the task backend of the tests queues the job; the work is the same
function the task calls).

The measure in force: women of 60 or more, 1000 roubles a month. The draft: anyone of 65 or
more, 1200 roubles. So, on ``ON``:

- ``amount``: a woman of 70 in the north — eligible under both, 1000 → 1200;
- ``loses``: a woman of 62 in the north, a pensioner — eligible, then not (age 65);
- ``gains``: a man of 70 in the south, a pensioner — not eligible (woman), then eligible;
- ``young``: a woman of 40 in the south — eligible under neither.
"""

from __future__ import annotations

import datetime as dt

import pytest

from opora.assistance import services
from opora.assistance.models import EligibilityRun
from opora.assistance.tasks import evaluate_registry
from opora.core.actors import SYSTEM
from opora.institutions import services as institution_services
from opora.registry import services as registry_services
from opora.registry.models import AddressKind, CategoryKind

__all__ = [
    "BASELINE",
    "DRAFT",
    "ON",
    "crafted",
    "done",
    "draft_of",
    "whatif_measure",
]

ON = dt.date(2026, 3, 10)
BASELINE = {
    "all": [
        {"id": "age60", "clause": "age", "at_least": 60},
        {"id": "woman", "clause": "sex", "is": "F"},
    ]
}
DRAFT = {"all": [{"id": "age65", "clause": "age", "at_least": 65}]}


def born(age: int) -> dt.date:
    return dt.date(ON.year - age, 1, 15)


@pytest.fixture
def whatif_measure(make_measure):
    return make_measure(eligibility=BASELINE, amount={"fixed": "1000.00"})


def draft_of(measure, **fields):
    fields.setdefault("eligibility", DRAFT)
    fields.setdefault("amount", {"fixed": "1200.00"})
    return services.version_draft(
        actor=SYSTEM,
        measure=measure,
        valid_from=dt.date(2027, 1, 1),
        legal_basis="Проект",
        periodicity="monthly",
        decision_working_days=10,
        **fields,
    )


@pytest.fixture
def crafted(make_person, institution_a, institution_b):
    """The four people, in the districts north (institution A) and south (institution B)."""
    north = institution_services.district_create(actor=SYSTEM, code="north", name="Северный")
    south = institution_services.district_create(actor=SYSTEM, code="south", name="Южный")
    pensioner = CategoryKind.objects.get(code="pensioner")

    def person(institution, district, age, sex, *, is_pensioner=False):
        found = make_person(institution, sex=sex, birth_date=born(age))
        registry_services.address_set(
            actor=SYSTEM,
            person=found,
            kind=AddressKind.REGISTRATION,
            text="ул. Ленина, 1",
            district=district,
            registered_on=dt.date(2000, 1, 1),
        )
        if is_pensioner:
            registry_services.category_assign(
                actor=SYSTEM, person=found, kind=pensioner, valid_from=dt.date(2010, 1, 1)
            )
        return found

    return {
        "north": north,
        "south": south,
        "amount": person(institution_a, north, 70, "F"),
        "loses": person(institution_a, north, 62, "F", is_pensioner=True),
        "gains": person(institution_b, south, 70, "M", is_pensioner=True),
        "young": person(institution_b, south, 40, "F"),
    }


def done(run: EligibilityRun) -> EligibilityRun:
    """The run's work done here and now by its task (the job it queued)."""
    evaluate_registry.call(job_id=str(run.job_id))
    run.refresh_from_db()
    return run
