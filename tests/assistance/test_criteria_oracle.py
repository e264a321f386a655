"""The compiled query against the Python oracle: random households (members with birth dates
around the day's cut-offs, sex, categories over periods, incomes by month with gaps, a
registration with a date, assignments of another measure) and random rules (trees of clauses,
amount trees) must come out the same on every clause, on eligibility, on the amount and its
parts, and on the facts each clause read — for every subject, on SQLite and PostgreSQL.
The whole-registry query (``criteria.batch``) must give the same states and amounts too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.assistance.criteria import check_amount, check_eligibility, evaluate
from opora.assistance.criteria.facts import load_world
from opora.assistance.criteria.figures import Figures, income_months, roubles
from opora.assistance.criteria.oracle import Oracle
from opora.assistance.models import (
    Application,
    Assignment,
    AssignmentStatus,
    Beneficiary,
    Measure,
    MeasureVersion,
)
from opora.core.actors import SYSTEM
from opora.institutions import services as institution_services
from opora.registry.models import (
    Address,
    AddressKind,
    CategoryKind,
    Household,
    HouseholdMember,
    Income,
    IncomeKind,
    Person,
    PersonCategory,
    Relation,
)
from opora.rules import services as rules_services
from opora.rules.catalog import CITY_PENSIONER_STANDARD
from opora.rules.selectors import home_region

from .conftest import batch_expected, batch_rows

# Two days: one where the home region's minimum sets every group, one where a later act left
# the pensioners' figure out (the per-capita one stands in); 28 February of a common year puts
# 29 February birthdays on the cut-off.
DAYS = [dt.date(2026, 3, 10), dt.date(2027, 2, 28)]
CATEGORIES = ["pensioner", "disability-1", "veteran"]
DISTRICTS = ["crit-north", "crit-south"]
OTHER_MEASURE = "crit-other"


class Rollback(Exception):
    """Raised to undo one example's rows."""


@pytest.fixture
def criteria_world(assistance_reference):
    for code in DISTRICTS:
        institution_services.district_create(actor=SYSTEM, code=code, name=code)
    region = home_region()
    rules_services.subsistence_minimum_add(
        actor=SYSTEM,
        region=region,
        valid_from=dt.date(2027, 1, 1),
        per_capita=Decimal("27000.00"),
        working_age=Decimal("30000.50"),
        pensioner=None,
        child=Decimal("21500.00"),
    )
    rules_services.rule_version_add(
        actor=SYSTEM,
        code=CITY_PENSIONER_STANDARD,
        valid_from=dt.date(2025, 1, 1),
        value=Decimal("25022.00"),
    )
    institution = institution_services.institution_create(
        actor=SYSTEM, code="crit-inst", name="Учреждение"
    )
    other = Measure.objects.create(
        code=OTHER_MEASURE, name="Другая мера", kind="monthly_payment", beneficiary="person"
    )
    other_version = MeasureVersion.objects.create(
        measure=other,
        number=1,
        status="published",
        valid_from=dt.date(2020, 1, 1),
        legal_basis="-",
        eligibility={"all": [{"id": "c1", "clause": "age", "at_least": 0}]},
        periodicity="monthly",
        decision_working_days=10,
    )
    return {"institution": institution, "other": other, "other_version": other_version}


# --- random registries ------------------------------------------------------------------------


def around(day: dt.date, years: int) -> st.SearchStrategy[dt.date]:
    """Dates on and next to the day ``years`` back, where the cut-offs lie, and anything else."""
    base = day.replace(year=day.year - years, day=min(day.day, 28))
    near = st.sampled_from([base + dt.timedelta(days=d) for d in (-2, -1, 0, 1, 2)])
    return st.one_of(near, st.dates(dt.date(1935, 1, 1), day))


def birth_dates(day: dt.date) -> st.SearchStrategy[dt.date | None]:
    return st.one_of(
        st.none(),
        st.sampled_from([dt.date(2008, 2, 29), dt.date(1960, 2, 29), dt.date(1964, 2, 29)]),
        st.integers(0, 80).flatmap(lambda years: around(day, years)),
    )


def period(day: dt.date) -> st.SearchStrategy[tuple[dt.date | None, dt.date | None]]:
    edges = [
        None,
        day - dt.timedelta(days=400),
        day - dt.timedelta(days=1),
        day,
        day + dt.timedelta(days=1),
    ]
    return st.tuples(st.sampled_from(edges), st.sampled_from(edges)).filter(
        lambda p: p[0] is None or p[1] is None or p[0] <= p[1]
    )


@st.composite
def person_spec(draw, day: dt.date) -> dict:
    months = income_months(day, 6)
    return {
        "birth_date": draw(birth_dates(day)),
        "sex": draw(st.sampled_from(["M", "F", "F", "M", ""])),
        "dead": draw(st.sampled_from([False, False, False, True])),
        "categories": draw(
            st.lists(
                st.tuples(st.sampled_from(CATEGORIES), period(day)),
                max_size=2,
                unique_by=lambda c: c[0],
            )
        ),
        "incomes": draw(
            st.dictionaries(
                st.sampled_from(months),
                st.lists(
                    st.decimals(min_value=0, max_value=60000, places=2, allow_nan=False),
                    min_size=1,
                    max_size=2,
                ),
                max_size=6,
            )
        ),
        "registration": draw(
            st.one_of(
                st.none(),
                st.tuples(
                    st.sampled_from([None, *DISTRICTS]),
                    st.one_of(st.none(), st.integers(0, 12).flatmap(lambda y: around(day, y))),
                ),
            )
        ),
        "assignment": draw(
            st.one_of(
                st.none(),
                st.tuples(
                    st.sampled_from([AssignmentStatus.ACTIVE, AssignmentStatus.SUSPENDED]),
                    period(day),
                ),
            )
        ),
    }


@st.composite
def registry(draw, day: dt.date) -> dict:
    households = draw(
        st.lists(
            st.lists(
                st.tuples(
                    person_spec(day),
                    st.sampled_from([Relation.SPOUSE, Relation.CHILD, Relation.PARENT]),
                    period(day),
                ),
                min_size=1,
                max_size=4,
            ),
            min_size=1,
            max_size=3,
        )
    )
    alone = draw(st.lists(person_spec(day), min_size=1, max_size=2))
    return {"households": households, "alone": alone}


def build(spec: dict, day: dt.date, world: dict) -> None:
    """The registry of ``spec``, written in bulk inside the example's transaction."""
    kinds = {k.code: k for k in CategoryKind.objects.filter(code__in=CATEGORIES)}
    counter = iter(range(1, 1000))

    def person(p: dict) -> Person:
        number = next(counter)
        made = Person.objects.create(
            last_name=f"Тестова{number}",
            first_name="Анна",
            birth_date=p["birth_date"],
            sex=p["sex"],
            death_date=day - dt.timedelta(days=3) if p["dead"] else None,
        )
        for code, (start, end) in p["categories"]:
            PersonCategory.objects.create(
                person=made,
                kind=kinds[code],
                valid_from=start or dt.date(2000, 1, 1),
                valid_to=end,
                basis_document=f"Справка № {number}",
            )
        Income.objects.bulk_create(
            Income(person=made, month=month, kind=IncomeKind.OTHER, source=str(i), amount=amount)
            for month, amounts in p["incomes"].items()
            for i, amount in enumerate(amounts)
        )
        if p["registration"] is not None:
            district_code, since = p["registration"]
            Address.objects.create(
                person=made,
                kind=AddressKind.REGISTRATION,
                text="ул. Тестовая, 1",
                district=None if district_code is None else district_code_of(district_code),
                registered_on=since,
            )
        if p["assignment"] is not None:
            status, (start, end) = p["assignment"]
            application = Application.objects.create(
                measure=world["other"],
                version=world["other_version"],
                person=made,
                institution=world["institution"],
                channel="in_person",
                applied_on=dt.date(2020, 1, 1),
                due_on=dt.date(2020, 1, 20),
            )
            Assignment.objects.create(
                application=application,
                version=world["other_version"],
                measure=world["other"],
                person=made,
                institution=world["institution"],
                amount=Decimal("100.00"),
                starts_on=start or dt.date(2020, 1, 1),
                ends_on=end,
                status=status,
            )
        return made

    for members in spec["households"]:
        household = Household.objects.create(address="ул. Тестовая, 1")
        for index, (p, relation, (joined, left)) in enumerate(members):
            HouseholdMember.objects.create(
                household=household,
                person=person(p),
                relation=Relation.APPLICANT if index == 0 else relation,
                is_applicant=index == 0,
                joined_on=joined,
                left_on=left,
            )
    for p in spec["alone"]:
        person(p)


def district_code_of(code: str):
    from opora.institutions.models import District

    return District.objects.get(code=code)


# --- random rules -----------------------------------------------------------------------------

clauses = st.one_of(
    st.builds(lambda n: {"clause": "age", "at_least": n}, st.sampled_from([0, 1, 17, 18, 60, 65])),
    st.builds(lambda n: {"clause": "age", "under": n}, st.sampled_from([1, 18, 60, 63])),
    st.builds(lambda s: {"clause": "sex", "is": s}, st.sampled_from(["M", "F"])),
    st.builds(
        lambda code, who: {"clause": "category", "code": code, "who": who},
        st.sampled_from(CATEGORIES),
        st.sampled_from(["applicant", "any_member"]),
    ),
    st.builds(
        lambda age, count: {"clause": "children", "under_age": age, "at_least": count},
        st.sampled_from([3, 18, 23]),
        st.integers(1, 2),
    ),
    st.builds(
        lambda rel: {"clause": "relation", "in": rel},
        st.lists(st.sampled_from(["applicant", "spouse", "child"]), min_size=1, max_size=2),
    ),
    st.builds(lambda n: {"clause": "household_size", "at_least": n}, st.integers(1, 3)),
    st.builds(lambda n: {"clause": "household_size", "at_most": n}, st.integers(1, 3)),
    st.builds(
        lambda months, group, times, missing: {
            "clause": "income",
            "months": months,
            "below": {"minimum": group, "times": times},
            "missing_months": missing,
        },
        st.integers(1, 6),
        st.sampled_from(["members", "per_capita", "pensioner", "working_age", "child"]),
        st.sampled_from(["1.0", "1.5", "0.75", "2"]),
        st.sampled_from(["zero", "unknown"]),
    ),
    st.builds(
        lambda years, districts: (
            {"clause": "residence", "years": years}
            | ({"districts": districts} if districts else {})
        ),
        st.sampled_from([0, 1, 5, 10]),
        st.one_of(st.none(), st.lists(st.sampled_from(DISTRICTS), min_size=1, max_size=1)),
    ),
    st.builds(
        lambda held: {"clause": "measure", "code": OTHER_MEASURE, "held": held}, st.booleans()
    ),
)
rules = st.recursive(
    clauses,
    lambda inner: st.one_of(
        st.builds(lambda items: {"all": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda items: {"any": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda item: {"not": item}, inner),
    ),
    max_leaves=6,
)
money = st.sampled_from(["0.00", "1500.00", "333.33", "10000.50"])
amounts = st.recursive(
    st.one_of(
        st.builds(lambda m: {"fixed": m}, money),
        st.builds(
            lambda group, times: {"minimum": group, "times": times},
            st.sampled_from(["per_capita", "pensioner", "child", "applicant"]),
            st.sampled_from(["0.5", "1", "0.33"]),
        ),
        st.just({"rule": CITY_PENSIONER_STANDARD}),
    ),
    lambda inner: st.one_of(
        st.builds(
            lambda to, income, months: {"top_up": {"to": to, "income": income, "months": months}},
            inner,
            st.sampled_from(["own", "household_per_capita"]),
            st.integers(1, 6),
        ),
        st.builds(
            lambda each, age: {"per_child": each, "under_age": age}, inner, st.sampled_from([3, 18])
        ),
        st.builds(lambda items: {"at_most": items}, st.lists(inner, min_size=2, max_size=3)),
        st.builds(lambda items: {"sum": items}, st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=5,
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    day_index=st.integers(0, len(DAYS) - 1),
    data=st.data(),
    rule=rules,
    amount=st.one_of(st.none(), amounts),
    beneficiary=st.sampled_from([Beneficiary.PERSON, Beneficiary.HOUSEHOLD]),
    bounds=st.sampled_from([(None, None), (Decimal("500.00"), None), (None, Decimal("20000.00"))]),
)
def test_the_query_agrees_with_the_oracle(
    criteria_world, day_index, data, rule, amount, beneficiary, bounds
):
    day = DAYS[day_index]
    spec = data.draw(registry(day))
    try:
        with transaction.atomic():
            build(spec, day, criteria_world)
            version = MeasureVersion(
                measure=Measure(code="under-test", beneficiary=beneficiary),
                eligibility=check_eligibility(rule),
                amount=check_amount(amount),
                amount_floor=bounds[0],
                amount_ceiling=bounds[1],
            )
            outcomes = evaluate(version=version, on=day)
            oracle = Oracle(world=load_world(None), figures=Figures(day), on=day)
            expected_subjects = expected_people(oracle, day, beneficiary)
            assert sorted(o.person_id for o in outcomes) == expected_subjects
            for outcome in outcomes:
                expected = oracle.evaluate(
                    outcome.person_id, version.eligibility, version.amount, version
                )
                assert outcome.household_id == oracle.household_of(outcome.person_id)
                assert {c.id: c.held for c in outcome.clauses} == expected.clauses
                assert {c.id: c.facts for c in outcome.clauses} == expected.facts
                assert outcome.eligible == expected.eligible
                assert outcome.amount == (
                    None if expected.amount_kopecks is None else roubles(expected.amount_kopecks)
                )
                assert [Decimal(p["value"]) for p in outcome.amount_parts] == [
                    roubles(k) for k in expected.parts
                ]
            assert batch_rows(version, day) == batch_expected(outcomes)
            raise Rollback
    except Rollback:
        pass


def expected_people(oracle: Oracle, day: dt.date, beneficiary: str) -> list[int]:
    people = oracle.world.people.values()
    if beneficiary == Beneficiary.HOUSEHOLD:
        return sorted(
            p.pk
            for p in people
            if any(
                m.person_id == p.pk and m.is_applicant and m.on(day)
                for m in oracle.world.memberships
            )
        )
    return sorted(p.pk for p in people if p.death_date is None or p.death_date > day)
