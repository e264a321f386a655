"""The one-person query kept between evaluations: reused for the same rules on the same day with
the same figures, and never for other rules (another version, a draft changed since it was
compiled), another day or other figures — each outcome equal to the one of a query compiled
anew (evaluating two people at once does not use the kept query)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.assistance import services
from opora.assistance.criteria import evaluate, evaluation
from opora.assistance.criteria.compiler import Compiler
from opora.assistance.models import MeasureVersion
from opora.core.actors import SYSTEM
from opora.registry import services as registry
from opora.rules import selectors as rules_selectors
from opora.rules import services as rules_services

DAY = dt.date(2026, 3, 10)
SIXTY = {"all": [{"id": "age", "clause": "age", "at_least": 60}]}
EIGHTEEN = {"all": [{"id": "age", "clause": "age", "at_least": 18}]}


@pytest.fixture(autouse=True)
def nothing_kept():
    evaluation._person_queries.clear()
    yield
    evaluation._person_queries.clear()


@pytest.fixture
def compiled_for_one(monkeypatch):
    """The compilations of the kept one-person query, counted."""
    counted: list[int] = []
    original = Compiler.compile

    def counting(self, people, **options):
        if people is not None and list(people) == [evaluation.PLACEHOLDER]:
            counted.append(1)
        return original(self, people, **options)

    monkeypatch.setattr(Compiler, "compile", counting)
    return counted


@pytest.fixture
def person(make_person, institution_a):
    def make(**fields):
        return make_person(institution_a, **fields)

    return make


def explained(version, someone, on=DAY):
    (outcome,) = evaluate(version=version, on=on, people=[someone.pk])
    return outcome


def anew(version, someone, bystander, on=DAY):
    """The outcome of ``someone`` from the query compiled for two people."""
    outcomes = evaluate(version=version, on=on, people=[someone.pk, bystander.pk])
    return next(o for o in outcomes if o.person_id == someone.pk)


def fresh(version: MeasureVersion) -> MeasureVersion:
    """The version as a new request reads it."""
    return MeasureVersion.objects.select_related("measure").get(pk=version.pk)


def test_the_query_is_compiled_once_for_the_same_rules_day_and_figures(
    make_measure, person, compiled_for_one
):
    version = make_measure(eligibility=SIXTY).versions.get()
    old = person(birth_date=dt.date(1950, 1, 1), sex="F")
    young = person(birth_date=dt.date(2000, 1, 1), sex="M")
    first, second, again = (
        explained(version, old),
        explained(fresh(version), young),
        explained(version, old),
    )
    assert compiled_for_one == [1]
    assert (first.eligible, second.eligible) == (True, False)
    assert first.amount == Decimal("1000.00") and second.amount is None
    assert again.as_json() == first.as_json() == anew(version, old, young).as_json()
    assert second.as_json() == anew(version, young, old).as_json()


def test_another_version_is_not_given_the_query_of_the_first(
    make_measure, person, compiled_for_one
):
    version = make_measure(eligibility=SIXTY).versions.get()
    later = services.version_copy(actor=SYSTEM, version=version, valid_from=dt.date(2026, 2, 1))
    later = services.version_update(actor=SYSTEM, version=later, eligibility=EIGHTEEN)
    adult, other = person(birth_date=dt.date(1985, 5, 5)), person(birth_date=dt.date(1950, 1, 1))
    assert explained(version, adult).eligible is False
    assert explained(later, adult).eligible is True
    assert compiled_for_one == [1, 1]
    assert explained(version, adult).as_json() == anew(version, adult, other).as_json()
    assert explained(later, adult).as_json() == anew(later, adult, other).as_json()


def test_a_draft_changed_since_its_query_was_compiled_gets_a_new_one(
    make_measure, person, compiled_for_one
):
    measure = make_measure(eligibility=SIXTY, publish=False)
    draft = measure.versions.get()
    adult, other = person(birth_date=dt.date(1985, 5, 5)), person(birth_date=dt.date(1950, 1, 1))
    assert explained(draft, adult).eligible is False

    services.version_update(actor=SYSTEM, version=fresh(draft), eligibility=EIGHTEEN)
    changed = explained(fresh(draft), adult)
    assert changed.eligible is True and changed.amount == Decimal("1000.00")
    assert changed.as_json() == anew(fresh(draft), adult, other).as_json()

    services.version_update(actor=SYSTEM, version=fresh(draft), amount={"fixed": "1500.00"})
    assert explained(fresh(draft), adult).amount == Decimal("1500.00")
    services.version_update(actor=SYSTEM, version=fresh(draft), amount_ceiling=Decimal("1200.00"))
    assert explained(fresh(draft), adult).amount == Decimal("1200.00")
    assert compiled_for_one == [1, 1, 1, 1]


def test_another_day_is_not_given_the_query_of_the_first(make_measure, person, compiled_for_one):
    version = make_measure(eligibility=SIXTY).versions.get()
    turning = person(birth_date=dt.date(1966, 3, 20))  # sixty ten days after DAY
    other = person(birth_date=dt.date(1950, 1, 1))
    assert explained(version, turning).eligible is False
    later = DAY + dt.timedelta(days=10)
    assert explained(version, turning, later).eligible is True
    assert compiled_for_one == [1, 1]
    assert (
        explained(version, turning, later).as_json()
        == anew(version, turning, other, later).as_json()
    )


def test_a_subsistence_minimum_recorded_since_gets_a_new_query(
    make_measure, person, compiled_for_one
):
    version = make_measure(
        eligibility=SIXTY, amount={"minimum": "pensioner", "times": "1"}
    ).versions.get()
    pensioner, other = (
        person(birth_date=dt.date(1950, 1, 1)),
        person(birth_date=dt.date(1940, 1, 1)),
    )
    before = explained(version, pensioner).amount
    rules_services.subsistence_minimum_add(
        actor=SYSTEM,
        region=rules_selectors.home_region(),
        valid_from=DAY - dt.timedelta(days=3),
        per_capita=Decimal("30000"),
        pensioner=before + Decimal("1000"),
    )
    after = explained(version, pensioner)
    assert after.amount == before + Decimal("1000")
    assert after.as_json() == anew(version, pensioner, other).as_json()
    assert compiled_for_one == [1, 1]


def test_the_household_is_each_persons_own(make_measure, person, compiled_for_one):
    """The kept query reads the household found for each person: a member of a household of two,
    then someone living alone, then the member again (one query for people in a household, one
    for people in none)."""
    rule = {"all": [{"id": "pair", "clause": "household_size", "at_least": 2}]}
    version = make_measure(eligibility=rule).versions.get()
    applicant, spouse, alone, also_alone = person(), person(sex="M"), person(), person()
    household = registry.household_create(
        actor=SYSTEM, applicant=applicant, joined_on=dt.date(2020, 1, 1)
    )
    registry.household_add_member(
        actor=SYSTEM,
        household=household,
        person=spouse,
        relation="spouse",
        joined_on=dt.date(2020, 1, 1),
    )
    first, lone, again = (
        explained(version, applicant),
        explained(version, alone),
        explained(version, applicant),
    )
    assert (first.household_id, first.eligible) == (household.pk, True)
    assert (lone.household_id, lone.eligible) == (None, False)
    assert lone.clause("pair").facts == {"members": 1}
    assert again.as_json() == first.as_json() == anew(version, applicant, alone).as_json()
    assert lone.as_json() == anew(version, alone, applicant).as_json()
    assert explained(version, spouse).as_json() == anew(version, spouse, alone).as_json()
    assert explained(version, also_alone).as_json() == anew(version, also_alone, spouse).as_json()
    assert compiled_for_one == [1, 1]
