"""Applications: registered against the version in force, refused with nothing written for
every bad input, documents attached, eligibility checked, decided (late decisions kept and
marked), a household change during the application evaluated again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from opora.assistance import services
from opora.assistance.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    Assignment,
    AssignmentEvent,
    Decision,
    Evaluation,
)
from opora.core.actors import SYSTEM
from opora.core.errors import Conflict, DomainError, NotFound
from opora.core.models import AuditEntry
from opora.registry import services as registry_services
from opora.registry.models import HouseholdMember
from opora.rules import selectors as rules

from .conftest import APPLIED_ON, DOCUMENTS, rows

WRITES = (Application, Evaluation, Decision, Assignment, AssignmentEvent, AuditEntry)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def actions_of(application) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(application),
            object_id=str(application.pk),
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_an_application_takes_the_version_in_force_and_its_deadline(application, version):
    assert application.version == version
    assert application.due_on == rules.add_working_days(APPLIED_ON, 10)
    assert application.household_id is None  # a measure for a person
    assert application.documents_received == DOCUMENTS[:1]
    assert actions_of(application) == ["assistance.application.registered"]


def test_a_household_measure_is_applied_for_by_the_household(apply, household_measure, household_a):
    application = apply(measure=household_measure)
    assert application.household == household_a


def refused(apply, **fields) -> DomainError:
    before = rows(*WRITES)
    with pytest.raises(DomainError) as caught:
        apply(**fields)
    assert rows(*WRITES) == before
    return caught.value


def test_no_version_in_force_on_the_day(apply):
    assert refused(apply, applied_on=dt.date(2025, 12, 30)).code == "no_version_in_force"


def test_a_measure_no_longer_granted(apply, measure):
    services.measure_end(actor=SYSTEM, measure=measure, ended_on=APPLIED_ON)
    assert refused(apply).code == "measure_ended"


def test_a_date_in_the_future(apply):
    future = dt.date.today() + dt.timedelta(days=3)
    assert refused(apply, applied_on=future).code == "date_in_future"


def test_a_document_the_measure_does_not_need(apply):
    error = refused(apply, documents_received=["Справка из бассейна"])
    assert error.code == "unknown_document"
    assert "documents_received" in error.details


def test_an_unknown_channel(apply):
    assert refused(apply, channel="pigeon").code == "unknown_channel"


def test_a_second_open_application(apply, application):
    error = refused(apply)
    assert isinstance(error, Conflict)
    assert error.code == "application_open"


def test_a_household_with_an_open_application(apply, household_measure, household_a):
    apply(measure=household_measure)
    husband = household_a.members.exclude(is_applicant=True).get().person
    assert refused(apply, measure=household_measure, person=husband).code == "application_open"


def test_a_household_measure_without_a_household(
    apply, household_measure, make_person, institution_a
):
    alone = make_person(institution_a)
    error = refused(apply, measure=household_measure, person=alone)
    assert error.code == "no_household"
    assert "person" in error.details


def test_a_household_measure_after_leaving_the_household(
    apply, household_measure, household_a, person_a
):
    membership = HouseholdMember.objects.get(household=household_a, person=person_a)
    registry_services.household_member_leave(
        actor=SYSTEM, member=membership, left_on=dt.date(2026, 2, 1)
    )
    assert refused(apply, measure=household_measure).code == "no_household"


def test_a_person_out_of_scope_is_not_found_and_not_named(apply, worker_b, institution_b, person_a):
    error = refused(apply, actor=worker_b, institution=institution_b)
    assert isinstance(error, NotFound)
    assert person_a.last_name not in str(error.message)


def test_another_institution_is_refused(apply, worker_a, institution_b):
    assert isinstance(refused(apply, actor=worker_a, institution=institution_b), NotFound)


def test_a_scan_is_attached(application, worker_a):
    upload = SimpleUploadedFile("passport.png", PNG, content_type="image/png")
    attached = services.application_attach_file(
        actor=worker_a, application=application, title="Паспорт", upload=upload
    )
    assert attached.content_type == "image/png"
    assert attached.original_name == "passport.png"
    assert "assistance.application.file_attached" in actions_of(application)


def test_a_file_that_is_not_a_scan_writes_nothing(application, worker_a):
    upload = SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image", content_type="image/png")
    before = rows(ApplicationFile, AuditEntry)
    with pytest.raises(DomainError) as caught:
        services.application_attach_file(
            actor=worker_a, application=application, title="Паспорт", upload=upload
        )
    assert caught.value.code == "file_type_refused"
    assert rows(ApplicationFile, AuditEntry) == before


def test_another_institution_cannot_attach(application, worker_b):
    upload = SimpleUploadedFile("passport.png", PNG, content_type="image/png")
    with pytest.raises(NotFound):
        services.application_attach_file(
            actor=worker_b, application=application, title="Паспорт", upload=upload
        )


def test_an_evaluation_is_kept_with_its_explanation(application, worker_a):
    evaluation = services.application_evaluate(actor=worker_a, application=application)
    assert evaluation.on == APPLIED_ON
    assert evaluation.eligible is True
    assert evaluation.amount == Decimal("1000.00")
    assert evaluation.evaluated_by == worker_a
    assert [c["id"] for c in evaluation.explanation["clauses"]] == ["age60"]
    assert "assistance.application.evaluated" in actions_of(application)


def test_an_assignment_from_the_first_of_the_month(application, worker_a):
    decision = services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    assert decision.is_late is False
    assignment = Assignment.objects.get(application=application)
    assert assignment.amount == Decimal("1000.00")
    assert assignment.starts_on == dt.date(2026, 3, 1)
    assert assignment.ends_on == dt.date(2027, 2, 28)
    assert assignment.review_on == dt.date(2026, 9, 1)
    assert [e.kind for e in assignment.events.all()] == ["assigned"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ASSIGNED
    # The decision took an evaluation since none existed.
    assert actions_of(application)[-2:] == [
        "assistance.application.evaluated",
        "assistance.application.decided",
    ]


def test_a_one_time_payment_starts_on_the_day_of_the_decision(apply, make_measure, worker_a):
    one_time = make_measure(kind="one_time_payment", periodicity="one_time", term_months=None)
    application = apply(measure=one_time)
    day = APPLIED_ON + dt.timedelta(days=2)
    services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=day
    )
    assignment = Assignment.objects.get(application=application)
    assert (assignment.starts_on, assignment.ends_on) == (day, day)


def test_a_late_decision_is_kept_and_marked(application, worker_a):
    late = application.due_on + dt.timedelta(days=1)
    decision = services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=late
    )
    assert decision.is_late is True
    assert Assignment.objects.filter(application=application).exists()


def test_assigning_to_someone_not_eligible_writes_nothing(
    apply, make_person, institution_a, worker_a
):
    young = make_person(institution_a, birth_date=dt.date(1990, 1, 1))
    application = apply(person=young)
    before = rows(*WRITES)
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
        )
    assert caught.value.code == "not_eligible"
    assert caught.value.details["failed_clauses"] == ["age60"]
    assert rows(*WRITES) == before


def test_a_refusal_cites_the_failed_clauses(apply, make_person, institution_a, worker_a):
    young = make_person(institution_a, birth_date=dt.date(1990, 1, 1))
    application = apply(person=young)
    decision = services.application_decide(
        actor=worker_a, application=application, outcome="refuse", decided_on=APPLIED_ON
    )
    assert decision.failed_clauses == ["age60"]
    assert not Assignment.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


def test_refusing_an_eligible_applicant_needs_a_reason(application, worker_a):
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=worker_a, application=application, outcome="refuse", decided_on=APPLIED_ON
        )
    assert caught.value.code == "reason_required"
    assert not Decision.objects.exists()
    decision = services.application_decide(
        actor=worker_a,
        application=application,
        outcome="refuse",
        decided_on=APPLIED_ON,
        reason="Сведения о доходах недостоверны",
    )
    assert decision.failed_clauses == []


def test_a_decided_application_is_decided_once(application, worker_a):
    services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    with pytest.raises(Conflict):
        services.application_decide(
            actor=worker_a, application=application, outcome="refuse", decided_on=APPLIED_ON
        )


def test_a_decision_is_signed_by_a_person(application):
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=SYSTEM, application=application, outcome="assign", decided_on=APPLIED_ON
        )
    assert caught.value.code == "decider_required"


def test_another_institution_cannot_decide(application, worker_b):
    with pytest.raises(NotFound):
        services.application_decide(
            actor=worker_b, application=application, outcome="assign", decided_on=APPLIED_ON
        )


def test_the_amount_is_held_within_the_bounds(apply, make_measure, worker_a):
    bounded = make_measure(amount_floor=Decimal("1500.00"), amount_ceiling=Decimal("3000.00"))
    application = apply(measure=bounded)
    services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
    )
    assert Assignment.objects.get(application=application).amount == Decimal("1500.00")


def test_an_amount_outside_the_bounds_names_them(apply, make_measure, worker_a):
    """The rule language holds the amount within the bounds; an evaluation that is not (kept
    from before the bounds, or tampered with) is refused, not assigned."""
    bounded = make_measure(amount_floor=Decimal("1500.00"), amount_ceiling=Decimal("3000.00"))
    application = apply(measure=bounded)
    evaluation = services.application_evaluate(actor=worker_a, application=application)
    Evaluation.objects.filter(pk=evaluation.pk).update(amount=Decimal("5000.00"))
    before = rows(*WRITES)
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
        )
    assert caught.value.code == "amount_out_of_bounds"
    assert "1500.00" in str(caught.value.message)
    assert "3000.00" in str(caught.value.message)
    assert rows(*WRITES) == before


def test_a_household_change_during_the_application_is_evaluated_again(
    apply, household_measure, household_a, make_person, institution_a, worker_a
):
    application = apply(measure=household_measure)
    first = services.application_evaluate(actor=worker_a, application=application)
    assert first.explanation["household_fingerprint"]["household"] == household_a.pk
    counted = first.explanation["household_fingerprint"]["members"]
    son = make_person(institution_a, first_name="Иван", sex="M", birth_date=dt.date(2000, 1, 1))
    joined = APPLIED_ON + dt.timedelta(days=3)
    registry_services.household_add_member(
        actor=SYSTEM, household=household_a, person=son, relation="child", joined_on=joined
    )
    decided_on = APPLIED_ON + dt.timedelta(days=7)
    decision = services.application_decide(
        actor=worker_a, application=application, outcome="assign", decided_on=decided_on
    )
    assert decision.evaluation != first
    assert decision.evaluation.on == decided_on
    assert decision.evaluation.explanation["household_fingerprint"]["members"] == sorted(
        [*counted, son.pk]
    )
    entry = (
        AuditEntry.objects.filter(
            action="assistance.application.evaluated", object_id=str(application.pk)
        )
        .order_by("pk")
        .last()
    )
    assert entry.data["why"] == "household_changed"


def test_an_unchanged_household_keeps_the_evaluation(
    apply, household_measure, household_a, worker_a
):
    application = apply(measure=household_measure)
    first = services.application_evaluate(actor=worker_a, application=application)
    decision = services.application_decide(
        actor=worker_a,
        application=application,
        outcome="assign",
        decided_on=APPLIED_ON + dt.timedelta(days=7),
    )
    assert decision.evaluation == first


def test_a_withdrawal_needs_a_reason_and_closes_the_application(application, worker_a):
    with pytest.raises(DomainError):
        services.application_withdraw(actor=worker_a, application=application, reason=" ")
    services.application_withdraw(actor=worker_a, application=application, reason="Передумала")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.withdrawn_reason == "Передумала"
    with pytest.raises(Conflict):
        services.application_withdraw(actor=worker_a, application=application, reason="Ещё раз")


def test_any_member_may_apply_for_the_household(apply, household_measure, household_a, worker_a):
    husband = household_a.members.exclude(is_applicant=True).get().person
    application = apply(measure=household_measure, person=husband)
    evaluation = services.application_evaluate(actor=worker_a, application=application)
    assert evaluation.household == household_a
    assert evaluation.eligible is True


MEANS_TEST = {
    "all": [
        {
            "id": "poor",
            "clause": "income",
            "months": 3,
            "below": {"minimum": "members", "times": "1.5"},
            "missing_months": "unknown",
        }
    ]
}


def test_missing_income_months_leave_the_means_test_unknown(
    apply, make_measure, make_person, institution_a, worker_a
):
    """The rule says missing months make the clause unknown: the person is not found
    eligible, an assignment is refused and a refusal cites the clause."""
    means_tested = make_measure(eligibility=MEANS_TEST)
    without_incomes = make_person(institution_a)
    application = apply(measure=means_tested, person=without_incomes)
    evaluation = services.application_evaluate(actor=worker_a, application=application)
    assert evaluation.eligible is None
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=worker_a, application=application, outcome="assign", decided_on=APPLIED_ON
        )
    assert caught.value.code == "not_eligible"
    decision = services.application_decide(
        actor=worker_a, application=application, outcome="refuse", decided_on=APPLIED_ON
    )
    assert decision.failed_clauses == ["poor"]
    assert decision.evaluation == evaluation


def test_an_assignment_does_not_start_before_the_month_of_the_application(application, worker_a):
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=worker_a,
            application=application,
            outcome="assign",
            decided_on=APPLIED_ON,
            starts_on=dt.date(2026, 2, 1),
        )
    assert "starts_on" in caught.value.details
    decision = services.application_decide(
        actor=worker_a,
        application=application,
        outcome="assign",
        decided_on=APPLIED_ON,
        starts_on=dt.date(2026, 4, 1),
    )
    assignment = decision.application.assignment
    assert (assignment.starts_on, assignment.ends_on) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_an_applicant_who_left_the_household_is_not_granted_its_measure(
    apply, household_measure, household_a, person_a, worker_a
):
    application = apply(measure=household_measure)
    services.application_evaluate(actor=worker_a, application=application)
    membership = HouseholdMember.objects.get(household=household_a, person=person_a)
    registry_services.household_member_leave(
        actor=SYSTEM, member=membership, left_on=APPLIED_ON + dt.timedelta(days=2)
    )
    decided_on = APPLIED_ON + dt.timedelta(days=5)
    before = rows(*WRITES)
    with pytest.raises(DomainError) as caught:
        services.application_decide(
            actor=worker_a, application=application, outcome="assign", decided_on=decided_on
        )
    assert caught.value.code == "household_left"
    assert rows(*WRITES) == before
    decision = services.application_decide(
        actor=worker_a,
        application=application,
        outcome="refuse",
        decided_on=decided_on,
        reason="Заявительница выбыла из семьи",
    )
    assert decision.evaluation.on == decided_on
    assert decision.evaluation.household is None
