"""Reads: scope (another institution's worker sees nothing and gets 404), the comparison of a
draft with the version in force, the review list with its reasons, the dashboard's counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from opora.assistance import selectors, services
from opora.assistance.models import Assignment
from opora.core.actors import SYSTEM
from opora.registry import services as registry_services
from opora.registry.models import CategoryKind, HouseholdMember, IncomeKind
from opora.rules import selectors as rules_selectors
from opora.rules import services as rules_services

from .conftest import APPLIED_ON, ELDERLY


def test_another_institution_sees_no_application(application, worker_a, worker_b, analyst):
    assert list(selectors.applications(actor=worker_a)) == [application]
    assert selectors.application_get(actor=worker_a, pk=application.pk) == application
    for outsider in (worker_b, analyst):
        assert not selectors.applications(actor=outsider).exists()
        with pytest.raises(Http404):
            selectors.application_get(actor=outsider, pk=application.pk)
        assert not selectors.evaluations_of(actor=outsider, application=application).exists()


def test_another_institution_sees_no_assignment(assignment, worker_a, worker_b):
    assert selectors.assignment_get(actor=worker_a, pk=assignment.pk) == assignment
    with pytest.raises(Http404):
        selectors.assignment_get(actor=worker_b, pk=assignment.pk)
    assert not selectors.assignments(actor=worker_b).exists()
    assert selectors.person_measures(actor=worker_b, person=assignment.person) == {
        "applications": [],
        "assignments": [],
    }
    assert selectors.review_list(actor=worker_b, today=APPLIED_ON) == []


def test_the_filters_of_the_applications(application, worker_a, measure):
    assert list(selectors.applications(actor=worker_a, status="submitted")) == [application]
    assert not selectors.applications(actor=worker_a, status="assigned").exists()
    assert list(selectors.applications(actor=worker_a, measure=measure)) == [application]
    assert list(selectors.applications(actor=worker_a, q=str(application.pk))) == [application]
    assert list(selectors.applications(actor=worker_a, q="Смирнова")) == [application]
    assert not selectors.applications(actor=worker_a, q="Иванов").exists()
    # Applied in March, due ten working days later: overdue by now.
    assert list(selectors.applications(actor=worker_a, overdue=True)) == [application]


def test_measures_are_seen_by_every_role(measure, worker_b, analyst):
    for actor in (worker_b, analyst, SYSTEM):
        assert list(selectors.measures(actor=actor, q=measure.name[:10])) == [measure]
        assert selectors.measure_get(actor=actor, pk=measure.pk) == measure
    assert not selectors.measures(actor=worker_b, kind="subsidy").exists()


def test_a_draft_beside_the_version_in_force(measure, version, analyst):
    draft = services.version_copy(actor=SYSTEM, version=version, valid_from=dt.date(2026, 7, 1))
    services.version_update(
        actor=SYSTEM,
        version=draft,
        term_months=6,
        amount={"fixed": "1500.00"},
    )
    comparison = selectors.version_comparison(actor=analyst, version=draft)
    assert comparison.base == version
    changed = {row.name for row in comparison.fields if row.changed}
    assert changed == {"valid_from", "term_months"}
    assert comparison.amount_changed and not comparison.eligibility_changed
    assert comparison.eligibility and comparison.base_eligibility
    assert [line.clause_id for line in comparison.eligibility if line.clause_id] == ["age60"]
    assert comparison.changed


def test_the_first_version_is_all_new(make_measure, analyst):
    measure = make_measure(publish=False)
    comparison = selectors.version_comparison(actor=analyst, version=measure.versions.get())
    assert comparison.base is None
    assert all(row.changed for row in comparison.fields)


def test_the_statistics_count_by_status_and_overdue(application, apply, make_measure, worker_a):
    other = apply(measure=make_measure())
    services.application_decide(
        actor=worker_a, application=other, outcome="assign", decided_on=APPLIED_ON
    )
    counts = selectors.statistics(actor=worker_a)
    assert counts["applications"]["submitted"] == 1
    assert counts["applications"]["assigned"] == 1
    assert counts["overdue"] == 1
    assert counts["assignments"]["active"] == 1


def test_the_statistics_of_another_institution_are_empty(application, worker_b, analyst):
    assert selectors.statistics(actor=worker_b)["applications"]["submitted"] == 0
    assert selectors.statistics(actor=analyst)["applications"]["submitted"] == 1


# --- The review list ---------------------------------------------------------------------------


def reasons(actor, today, within_days=30):
    return {
        row.assignment.pk: row.reasons
        for row in selectors.review_list(actor=actor, today=today, within_days=within_days)
    }


def test_nothing_to_review_right_after_the_decision(assignment, worker_a):
    assert reasons(worker_a, dt.date(2026, 4, 1)) == {}


def test_the_period_ends_and_the_review_is_due(assignment, worker_a):
    assert reasons(worker_a, dt.date(2026, 8, 15)) == {assignment.pk: ["review_due"]}
    assert reasons(worker_a, dt.date(2027, 2, 1)) == {assignment.pk: ["period_ends", "review_due"]}


def test_a_category_the_evaluation_read_ended(make_measure, apply, person_a, worker_a):
    pensioner = CategoryKind.objects.get(code="pensioner")
    holding = registry_services.category_assign(
        actor=SYSTEM, person=person_a, kind=pensioner, valid_from=dt.date(2015, 5, 9)
    )
    measure = make_measure(
        eligibility={
            "all": [*ELDERLY["all"], {"id": "pens", "clause": "category", "code": "pensioner"}]
        },
        review_months=None,
    )
    application = apply(measure=measure)
    services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    assignment = Assignment.objects.get(application=application)
    assert reasons(worker_a, dt.date(2026, 4, 1)) == {}
    registry_services.category_end(actor=SYSTEM, holding=holding, valid_to=dt.date(2026, 4, 10))
    assert reasons(worker_a, dt.date(2026, 4, 1)) == {assignment.pk: ["category_ended"]}


def test_a_member_left_the_household(assignment, household_a, worker_a):
    husband = HouseholdMember.objects.get(household=household_a, is_applicant=False)
    registry_services.household_member_leave(
        actor=SYSTEM, member=husband, left_on=dt.date(2026, 3, 20)
    )
    assert reasons(worker_a, dt.date(2026, 4, 1)) == {assignment.pk: ["left_household"]}


def test_an_income_recorded_after_the_evaluation(assignment, household_a, worker_a):
    husband = HouseholdMember.objects.get(household=household_a, is_applicant=False).person
    registry_services.income_record(
        actor=SYSTEM,
        person=husband,
        month=dt.date(2026, 3, 1),
        kind=IncomeKind.SALARY,
        amount=Decimal("40000"),
    )
    assert reasons(worker_a, dt.date(2026, 4, 1)) == {assignment.pk: ["income_recorded"]}
    assert selectors.review_count(actor=worker_a, today=dt.date(2026, 4, 1)) == 1


def test_an_income_of_someone_who_left_before_is_not_a_reason(
    assignment, household_a, make_person, institution_a, worker_a
):
    former = make_person(institution_a, first_name="Ольга")
    member = registry_services.household_add_member(
        actor=SYSTEM,
        household=household_a,
        person=former,
        relation="sibling",
        joined_on=dt.date(2021, 1, 1),
    )
    registry_services.household_member_leave(
        actor=SYSTEM, member=member, left_on=dt.date(2022, 1, 1)
    )
    registry_services.income_record(
        actor=SYSTEM,
        person=former,
        month=dt.date(2026, 3, 1),
        kind=IncomeKind.SALARY,
        amount=Decimal("40000"),
    )
    assert reasons(worker_a, dt.date(2026, 4, 1)) == {}


def test_the_review_list_is_one_query(assignment, worker_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        selectors.review_list(actor=worker_a, today=dt.date(2027, 2, 1))


def test_overpayments_are_scoped(assignment, worker_a, worker_b, analyst):
    overpayment = services.overpayment_record(
        actor=worker_a,
        assignment=assignment,
        period_from=dt.date(2026, 4, 1),
        period_to=dt.date(2026, 4, 30),
        amount=Decimal("1000.00"),
        reason="Доход не заявлен",
        found_on=dt.date(2026, 5, 20),
    )
    assert list(selectors.overpayments(actor=worker_a, status="open")) == [overpayment]
    assert not selectors.overpayments(actor=worker_b).exists()
    assert not selectors.overpayments(actor=analyst).exists()
    assert selectors.statistics(actor=analyst)["open_overpayments"] == 1


def test_a_published_version_is_compared_with_the_one_it_took_over_from(measure, version):
    later = services.version_copy(actor=SYSTEM, version=version, valid_from=dt.date(2026, 7, 1))
    services.version_update(actor=SYSTEM, version=later, decision_working_days=5)
    services.version_publish(actor=SYSTEM, version=later)
    comparison = selectors.version_comparison(actor=SYSTEM, version=later)
    assert comparison.base == version
    assert {row.name for row in comparison.fields if row.changed} == {
        "valid_from",
        "decision_working_days",
    }


def test_a_new_minimum_is_a_reason_for_the_rules_that_read_one(
    make_measure, apply, assignment, worker_a
):
    reading = make_measure(amount={"minimum": "pensioner", "times": "0.5"})
    application = apply(measure=reading)
    services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    reads_minimum = Assignment.objects.get(application=application)
    rules_services.subsistence_minimum_add(
        actor=SYSTEM,
        region=rules_selectors.home_region(),
        valid_from=dt.date(2026, 4, 20),
        per_capita=Decimal("27000"),
        pensioner=Decimal("20000"),
        basis="Постановление о новом прожиточном минимуме",
    )
    assert reasons(worker_a, dt.date(2026, 4, 19)) == {}
    # The fixed amount of the other assignment reads no minimum: not a reason for it.
    assert reasons(worker_a, dt.date(2026, 4, 20)) == {reads_minimum.pk: ["minimum_changed"]}


def test_a_new_version_in_force_is_a_reason(measure, assignment, worker_a):
    newer = services.version_copy(
        actor=SYSTEM, version=assignment.version, valid_from=dt.date(2026, 5, 1)
    )
    assert reasons(worker_a, dt.date(2026, 5, 2)) == {}  # a draft changes nothing
    services.version_publish(actor=SYSTEM, version=newer)
    assert reasons(worker_a, dt.date(2026, 4, 30)) == {}
    assert reasons(worker_a, dt.date(2026, 5, 2)) == {assignment.pk: ["version_changed"]}


def test_the_members_an_evaluation_counted_are_named_only_within_scope(
    make_measure, apply, household_a, worker_a, worker_b
):
    from opora.assistance.templatetags.assistance import fact_rows

    counting = make_measure(
        eligibility={"all": [{"id": "few", "clause": "household_size", "at_most": 5}]}
    )
    application = apply(measure=counting)
    evaluation = services.application_evaluate(actor=worker_a, application=application)
    members = list(HouseholdMember.objects.filter(household=household_a).select_related("person"))
    named = selectors.people_named_in(actor=worker_a, evaluation=evaluation)
    assert set(named) == {m.person_id for m in members}
    assert all(named[m.person_id].startswith(m.person.last_name) for m in members)
    outside = selectors.people_named_in(actor=worker_b, evaluation=evaluation)
    assert set(outside) == set(named)
    assert all(m.person.last_name not in text for m in members for text in outside.values())
    facts = evaluation.explanation["clauses"][0]["facts"]
    table = next(row for row in fact_rows(facts, named) if row.get("rows"))
    shown = {cells[0] for cells in table["rows"]}
    assert shown == {named[m.person_id] for m in members}


def test_a_district_the_residence_clause_read_is_shown_by_its_name(make_institution):
    from opora.assistance.templatetags.assistance import fact_rows
    from opora.institutions import services as institution_services

    institution_services.district_create(
        actor=SYSTEM, code="tverskoy-test", name="Тверской", name_en="Tverskoy"
    )
    # The name in the reader's language, whatever language an earlier test left active.
    with translation.override("ru"):
        rows = fact_rows({"district": "tverskoy-test", "registered_on": "2024-09-25"})
        assert rows[0]["value"] == "Тверской"
    with translation.override("en"):
        rows = fact_rows({"district": "tverskoy-test", "registered_on": "2024-09-25"})
        assert rows[0]["value"] == "Tverskoy"
    assert fact_rows({"district": "nowhere"})[0]["value"] == "nowhere"
