"""Evaluating rules over the registry, on the boundaries the oracle test rarely hits by chance:
income exactly at the threshold, a birthday on the day, a category ending the day before,
months of income missing under both policies, residence counted from its day; the explanation
names exactly the failed clauses; every subject in one query whatever their number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from opora.assistance.criteria import (
    Outcome,
    check_amount,
    check_eligibility,
    evaluate,
    evaluation_queryset,
)
from opora.assistance.models import (
    Application,
    Assignment,
    Beneficiary,
    Measure,
    MeasureVersion,
)
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError, NotFound
from opora.core.models import AuditEntry
from opora.institutions import services as institution_services
from opora.registry import services as registry
from opora.registry.models import CategoryKind
from opora.rules import services as rules_services
from opora.rules.catalog import CITY_PENSIONER_STANDARD

from .conftest import batch_expected, batch_rows, months_before, record_incomes

DAY = dt.date(2026, 3, 10)
# The demo's example minimum of the home region in force on DAY, by group.
PENSIONER_MINIMUM = Decimal("19633")
PER_CAPITA_MINIMUM = Decimal("26463")
CHILD_MINIMUM = Decimal("21112")


def rule_version(eligibility, amount=None, *, beneficiary=Beneficiary.PERSON, **fields):
    """A version as the services would store it (normalised), not saved: evaluation reads only
    its rules, bounds and the measure's beneficiary."""
    return MeasureVersion(
        measure=Measure(code="under-test", beneficiary=beneficiary),
        eligibility=check_eligibility(eligibility),
        amount=check_amount(amount),
        **fields,
    )


def outcome_of(version, person, on=DAY, **options) -> Outcome:
    """The person's outcome, checked against the whole-registry query's row for her."""
    (outcome,) = evaluate(version=version, on=on, people=[person.pk], **options)
    rows = batch_rows(version, on)
    if person.pk in rows or version.measure.beneficiary == Beneficiary.PERSON:
        assert rows[person.pk] == batch_expected([outcome])[person.pk]
    return outcome


@pytest.fixture
def person(make_person, institution_a):
    def make(**fields):
        return make_person(institution_a, **fields)

    return make


def kind(code: str) -> CategoryKind:
    return CategoryKind.objects.get(code=code)


# --- boundaries -------------------------------------------------------------------------------


def income_rule(missing="unknown", group="members", months=3):
    return {
        "all": [
            {
                "id": "poor",
                "clause": "income",
                "months": months,
                "below": {"minimum": group, "times": "1.0"},
                "missing_months": missing,
            }
        ]
    }


@pytest.mark.parametrize(
    ("monthly", "held"),
    [(PENSIONER_MINIMUM, False), (PENSIONER_MINIMUM - Decimal("0.01"), True)],
)
def test_income_exactly_at_the_minimum_is_not_below_it(person, monthly, held):
    pensioner = person(birth_date=dt.date(1950, 1, 1), sex="F")
    record_incomes(pensioner, monthly, months_before(DAY, 3))
    outcome = outcome_of(rule_version(income_rule()), pensioner)
    assert outcome.eligible is held
    facts = outcome.clause("poor").facts
    assert facts["per_capita_income"] == str(monthly.quantize(Decimal("0.01")))
    assert facts["threshold"] == "19633.00"
    assert facts["months"] == ["2025-12-01", "2026-01-01", "2026-02-01"]


def test_the_members_threshold_averages_each_members_group(person):
    """A pensioner and a child: the threshold is the average of their groups' minimums, and the
    income is per member on the day (one who left the day before is not counted)."""
    grandmother = person(birth_date=dt.date(1950, 1, 1), sex="F")
    grandson = person(birth_date=dt.date(2015, 6, 1), sex="M")
    uncle = person(birth_date=dt.date(1980, 6, 1), sex="M")
    household = registry.household_create(
        actor=SYSTEM, applicant=grandmother, joined_on=dt.date(2020, 1, 1)
    )
    registry.household_add_member(
        actor=SYSTEM,
        household=household,
        person=grandson,
        relation="grandchild",
        joined_on=dt.date(2020, 1, 1),
    )
    uncle_member = registry.household_add_member(
        actor=SYSTEM,
        household=household,
        person=uncle,
        relation="child",
        joined_on=dt.date(2020, 1, 1),
    )
    registry.household_member_leave(actor=SYSTEM, member=uncle_member, left_on=DAY)
    months = months_before(DAY, 3)
    record_incomes(grandmother, Decimal("20000"), months)
    record_incomes(grandson, Decimal("0"), months)
    record_incomes(uncle, Decimal("90000"), months)
    outcome = outcome_of(rule_version(income_rule()), grandmother, detail=True)
    facts = outcome.clause("poor").facts
    assert facts["members"] == 2
    assert facts["per_capita_income"] == "10000.00"
    assert facts["threshold"] == str(
        ((PENSIONER_MINIMUM + CHILD_MINIMUM) / 2).quantize(Decimal("0.01"))
    )
    assert outcome.eligible is True
    assert outcome.household_id == household.pk
    assert {m["person_id"] for m in facts["members_counted"]} == {grandmother.pk, grandson.pk}


@pytest.mark.parametrize(("missing", "held"), [("unknown", None), ("zero", True)])
def test_missing_income_months_follow_the_rules_policy(person, missing, held):
    applicant = person(birth_date=dt.date(1950, 1, 1), sex="F")
    december, january, february = sorted(months_before(DAY, 3))
    record_incomes(applicant, Decimal("15000"), [december, february])
    outcome = outcome_of(rule_version(income_rule(missing)), applicant, detail=True)
    clause = outcome.clause("poor")
    assert clause.held is held
    assert outcome.eligible is held
    assert clause.facts["members_missing_months"] == 1
    assert clause.facts["missing"] == [{"person_id": applicant.pk, "month": january.isoformat()}]
    if held is None:
        assert outcome.unknown == [clause]
        assert outcome.failed == []
        assert outcome.amount is None


@pytest.mark.parametrize(
    ("birth_date", "held"),
    [(dt.date(1966, 3, 10), True), (dt.date(1966, 3, 11), False), (dt.date(1966, 3, 9), True)],
)
def test_a_birthday_on_the_day_counts(person, birth_date, held):
    version = rule_version({"all": [{"clause": "age", "at_least": 60}]})
    assert outcome_of(version, person(birth_date=birth_date)).eligible is held


@pytest.mark.parametrize(
    ("on", "held"), [(dt.date(2021, 2, 28), True), (dt.date(2021, 2, 27), False)]
)
def test_the_29th_of_february_has_its_birthday_on_the_28th_in_a_common_year(person, on, held):
    version = rule_version({"all": [{"clause": "age", "at_least": 61}]})
    assert outcome_of(version, person(birth_date=dt.date(1960, 2, 29)), on=on).eligible is held


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "held"),
    [
        (dt.date(2020, 1, 1), DAY - dt.timedelta(days=1), False),
        (dt.date(2020, 1, 1), DAY, True),
        (DAY, None, True),
        (DAY + dt.timedelta(days=1), None, False),
    ],
)
def test_a_category_counts_only_on_the_days_it_is_held(person, valid_from, valid_to, held):
    holder = person()
    registry.category_assign(
        actor=SYSTEM,
        person=holder,
        kind=kind("disability-1"),
        valid_from=valid_from,
        valid_to=valid_to,
        basis_document="Справка МСЭ № 7",
    )
    version = rule_version({"all": [{"id": "dis", "clause": "category", "code": "disability-1"}]})
    outcome = outcome_of(version, holder, detail=True)
    assert outcome.eligible is held
    (row,) = outcome.clause("dis").facts["rows"]
    assert row["basis_document"] == "Справка МСЭ № 7"
    assert row["held_on_day"] is held


@pytest.mark.parametrize(
    ("registered_on", "district", "held"),
    [
        (dt.date(2016, 3, 10), True, True),
        (dt.date(2016, 3, 11), True, False),
        (None, True, None),
        (dt.date(2000, 1, 1), False, False),
    ],
)
def test_residence_counts_its_years_from_the_registration(person, registered_on, district, held):
    resident = person()
    area = institution_services.district_create(actor=SYSTEM, code="crit-area", name="Район")
    registry.address_set(
        actor=SYSTEM,
        person=resident,
        kind="registration",
        text="ул. Мира, 1",
        district=area if district else None,
        registered_on=registered_on,
    )
    version = rule_version({"all": [{"clause": "residence", "years": 10}]})
    assert outcome_of(version, resident).eligible is held


def test_a_measure_held_from_the_day_counts(person, make_measure, institution_a):
    holder = person()
    other = make_measure()
    application = Application.objects.create(
        measure=other,
        version=other.versions.get(),
        person=holder,
        institution=institution_a,
        channel="in_person",
        applied_on=DAY,
        due_on=DAY,
    )
    Assignment.objects.create(
        application=application,
        version=other.versions.get(),
        measure=other,
        person=holder,
        institution=institution_a,
        amount=Decimal("100"),
        starts_on=DAY,
    )
    holds = rule_version({"all": [{"clause": "measure", "code": other.code}]})
    lacks = rule_version({"all": [{"clause": "measure", "code": other.code, "held": False}]})
    assert outcome_of(holds, holder).eligible is True
    assert outcome_of(holds, holder, on=DAY - dt.timedelta(days=1)).eligible is False
    assert outcome_of(lacks, holder).eligible is False


# --- explanation ------------------------------------------------------------------------------


def test_the_explanation_names_exactly_the_failed_clauses(person):
    woman = person(birth_date=dt.date(1950, 1, 1), sex="F")
    version = rule_version(
        {
            "all": [
                {"clause": "age", "at_least": 60},
                {"clause": "category", "code": "disability-1"},
                {
                    "any": [
                        {"clause": "sex", "is": "M"},
                        {"clause": "household_size", "at_least": 3},
                    ]
                },
            ]
        }
    )
    with translation.override("en"):
        outcome = outcome_of(version, woman)
    assert outcome.eligible is False
    assert [c.id for c in outcome.failed] == ["c2", "c3", "c4"]
    assert outcome.clause("c1").held is True
    assert outcome.failed[0].text == "Holds the category «Disability group I» on the day"
    assert outcome.clause("c1").facts == {"birth_date": "1950-01-01", "age": 76}
    assert Outcome.from_json(outcome.as_json()) == outcome


def test_an_unknown_fact_makes_the_clause_unknown_and_any_can_still_hold(person):
    nameless = person(birth_date=None)
    version = rule_version(
        {"any": [{"clause": "age", "at_least": 60}, {"clause": "sex", "is": "F"}]}
    )
    outcome = outcome_of(version, nameless)
    assert outcome.eligible is True
    assert [c.id for c in outcome.unknown] == ["c1"]
    alone = rule_version({"all": [{"clause": "age", "at_least": 60}]})
    assert outcome_of(alone, nameless).eligible is None
    negated = rule_version({"not": {"clause": "age", "at_least": 60}})
    assert outcome_of(negated, nameless).eligible is None


# --- amounts ----------------------------------------------------------------------------------


def test_a_top_up_to_the_city_standard_with_a_per_child_part_and_bounds(person):
    rules_services.rule_version_add(
        actor=SYSTEM,
        code=CITY_PENSIONER_STANDARD,
        valid_from=dt.date(2026, 1, 1),
        value=Decimal("25022"),
    )
    mother = person(birth_date=dt.date(1990, 1, 1), sex="F")
    child = person(birth_date=dt.date(2020, 1, 1), sex="M")
    household = registry.household_create(
        actor=SYSTEM, applicant=mother, joined_on=dt.date(2020, 1, 1)
    )
    registry.household_add_member(
        actor=SYSTEM,
        household=household,
        person=child,
        relation="child",
        joined_on=dt.date(2020, 1, 1),
    )
    record_incomes(mother, Decimal("20000.01"), months_before(DAY, 3))
    amount = {
        "sum": [
            {"top_up": {"to": {"rule": CITY_PENSIONER_STANDARD}, "income": "own", "months": 3}},
            {"per_child": {"minimum": "child", "times": "0.5"}, "under_age": 18},
        ]
    }
    version = rule_version({"all": [{"clause": "age", "at_least": 18}]}, amount)
    outcome = outcome_of(version, mother)
    # 25 022.00 − 20 000.01 (the average, to the kopeck) + 0.5 × 21 112 for one child.
    assert outcome.amount == Decimal("5021.99") + Decimal("10556.00")
    assert [(p["depth"], p["value"]) for p in outcome.amount_parts] == [
        (0, "15577.99"),
        (1, "5021.99"),
        (2, "25022.00"),
        (1, "10556.00"),
        (2, "10556.00"),
    ]
    capped = rule_version(
        {"all": [{"clause": "age", "at_least": 18}]}, amount, amount_ceiling=Decimal("12000")
    )
    assert outcome_of(capped, mother).amount == Decimal("12000.00")
    floored = rule_version(
        {"all": [{"clause": "age", "at_least": 18}]}, {"fixed": "0"}, amount_floor=Decimal("500")
    )
    assert outcome_of(floored, mother).amount == Decimal("500.00")
    refused = rule_version({"all": [{"clause": "age", "at_least": 90}]}, amount)
    assert outcome_of(refused, mother).amount is None


def test_a_money_rule_not_in_force_is_a_clear_error(person):
    version = rule_version(
        {"all": [{"clause": "age", "at_least": 18}]}, {"rule": CITY_PENSIONER_STANDARD}
    )
    with pytest.raises(NotFound) as error:
        evaluate(version=version, on=DAY, people=[person().pk])
    assert error.value.code == "rule_not_in_force"


# --- one query --------------------------------------------------------------------------------


def test_everyone_is_evaluated_in_one_query_whatever_their_number(person):
    version = rule_version(
        {
            "all": [
                {"clause": "age", "at_least": 60},
                {"clause": "category", "code": "pensioner", "who": "any_member"},
                income_rule("zero")["all"][0],
                {"clause": "children", "under_age": 18},
                {"clause": "residence", "years": 1},
            ]
        },
        {
            "top_up": {
                "to": {"minimum": "applicant", "times": "1"},
                "income": "household_per_capita",
            }
        },
    )

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            outcomes = evaluate(version=version, on=DAY)
        on_people = [q for q in captured.captured_queries if "registry_person" in q["sql"]]
        return len(captured.captured_queries), len(on_people), len(outcomes)

    first = person()
    record_incomes(first, Decimal("100"), months_before(DAY, 3))
    few, few_on_people, counted = queries()
    assert counted == 1
    for _ in range(6):
        record_incomes(person(), Decimal("100"), months_before(DAY, 3))
    many, many_on_people, counted = queries()
    assert counted == 7
    assert (many, many_on_people) == (few, few_on_people)
    assert many_on_people == 1


def test_the_queryset_filters_in_the_database(person):
    old, young = person(birth_date=dt.date(1950, 1, 1)), person(birth_date=dt.date(2000, 1, 1))
    version = rule_version({"all": [{"clause": "age", "at_least": 60}]}, {"fixed": "1500"})
    eligible = evaluation_queryset(version=version, on=DAY).filter(eligible=True)
    assert list(eligible.values_list("pk", "amount_kopecks")) == [(old.pk, 150000)]
    assert young.pk not in eligible.values_list("pk", flat=True)


def test_a_household_measure_evaluates_the_current_applicants(person):
    applicant, spouse = person(), person(sex="M")
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
    person()  # alone: no household, not a subject of a household measure
    version = rule_version(
        {"all": [{"clause": "relation", "in": ["applicant"]}]}, beneficiary=Beneficiary.HOUSEHOLD
    )
    outcomes = evaluate(version=version, on=DAY)
    assert [(o.person_id, o.household_id, o.eligible) for o in outcomes] == [
        (applicant.pk, household.pk, True)
    ]
    (spouse_outcome,) = evaluate(version=version, on=DAY, people=[spouse.pk])
    assert spouse_outcome.eligible is False
    assert spouse_outcome.clauses[0].facts == {"relation": "spouse"}


# --- the registration day in the registry -----------------------------------------------------


def test_the_registration_day_is_kept_unless_given_and_audited(person):
    resident = person()
    address = registry.address_set(
        actor=SYSTEM,
        person=resident,
        kind="registration",
        text="ул. Мира, 1",
        registered_on=dt.date(2010, 5, 1),
    )
    registry.address_set(actor=SYSTEM, person=resident, kind="registration", text="ул. Мира, 2")
    address.refresh_from_db()
    assert (address.text, address.registered_on) == ("ул. Мира, 2", dt.date(2010, 5, 1))
    entry = AuditEntry.objects.filter(object_id=str(resident.pk), action="registry.address.set")
    first = entry.order_by("pk").first()
    assert first is not None
    assert first.changes["registration.registered_on"] == [None, "2010-05-01"]


def test_a_registration_day_in_the_future_is_refused_and_nothing_written(person):
    resident = person()
    with pytest.raises(DomainError) as error:
        registry.address_set(
            actor=SYSTEM,
            person=resident,
            kind="registration",
            text="ул. Мира, 1",
            registered_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "registered_on" in error.value.details
    assert not resident.addresses.exists()


def test_the_address_form_takes_the_registration_day(person, worker_a, client):
    resident = person()
    client.force_login(worker_a)
    response = client.post(
        reverse("registry:address_set", args=[resident.pk]),
        {"kind": "registration", "text": "ул. Мира, 1", "registered_on": "2015-04-01"},
    )
    assert response.status_code in (200, 302)
    assert resident.addresses.get().registered_on == dt.date(2015, 4, 1)
    page = client.get(reverse("registry:person", args=[resident.pk]))
    assert "01.04.2015" in page.content.decode()
