"""The state machine of a case: every step through its service, legal steps as ``TRANSITIONS``
says, each with its place on the timeline and its audit entry; every other step refused with
nothing written."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.casework import audit_actions as actions
from opora.casework import services
from opora.casework.models import Case, CaseStatus, CaseTransition, NeedDecision, ProgrammeStatus
from opora.casework.services import TRANSITIONS
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry

from .conftest import barthel_answers, footprint

S = CaseStatus
db_property = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The status each step's service leads to.
TARGETS = {
    "assess": S.ASSESSED,
    "recognise": S.RECOGNISED,
    "refuse": S.REFUSED,
    "draft": S.PROGRAMME_DRAFTED,
    "agree": S.AGREED,
    "deliver": S.IN_SERVICE,
    "suspend": S.SUSPENDED,
    "resume": S.IN_SERVICE,
    "close": S.CLOSED,
}
# Steps that, in a later status, do their work without moving the case: a reassessment, a
# review version of the programme and its agreement, one more delivery.
STAYS = {
    "assess": {S.ASSESSED, S.RECOGNISED, S.PROGRAMME_DRAFTED, S.AGREED, S.IN_SERVICE, S.SUSPENDED},
    "draft": {S.AGREED, S.IN_SERVICE, S.SUSPENDED},
    "agree": {S.AGREED, S.IN_SERVICE, S.SUSPENDED},
    "deliver": {S.IN_SERVICE},
}
REFUSALS = {
    "illegal_transition",
    "case_closed",
    "assessment_missing",
    "draft_exists",
    "programme_not_draft",
    "programme_empty",
    "not_in_service",
}


def latest_programme(case):
    return case.programmes.order_by("-version").first()


def has_draft(case) -> bool:
    return case.programmes.filter(status=ProgrammeStatus.DRAFT).exists()


def expected_status(case: Case, action: str) -> str | None:
    """Where ``action`` takes ``case``; None when it must be refused."""
    status = case.status
    target = TARGETS[action]
    if action == "deliver" and status != S.AGREED:
        return status if status in STAYS["deliver"] else None
    if action == "draft" and has_draft(case):
        return None
    if action == "agree" and not (has_draft(case) and latest_programme(case).items.exists()):
        return None  # nothing to agree to: no draft, or a draft without a service
    if target in TRANSITIONS[status]:
        return target
    if status in STAYS.get(action, ()):
        return status
    return None


def step(action: str, case: Case, *, barthel, today):
    """Call the service of ``action``; None when the case has nothing to call it on."""
    if action == "assess":
        return services.assessment_record(
            actor=SYSTEM,
            case=case,
            scale=barthel,
            answers=barthel_answers(barthel, "min"),
            assessed_on=today,
        )
    if action in ("recognise", "refuse"):
        return services.need_decide(
            actor=SYSTEM,
            case=case,
            outcome="recognised" if action == "recognise" else "refused",
            decided_on=today,
            reasons="Доход выше порога" if action == "refuse" else "",
        )
    if action == "draft":
        return services.programme_draft(
            actor=SYSTEM, case=case, form="home", drawn_up_on=today, income=Decimal("30000")
        )
    if action == "agree":
        programme = latest_programme(case)
        if programme is None:
            return None
        return services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=today)
    if action == "deliver":
        programme = case.programmes.filter(
            status=ProgrammeStatus.AGREED
        ).first() or latest_programme(case)
        item = programme.items.first() if programme else None
        if item is None:
            return None
        return services.deliveries_record(
            actor=SYSTEM, case=case, entries=[services.DeliveryEntry(item=item, delivered_on=today)]
        )
    if action == "suspend":
        return services.case_suspend(actor=SYSTEM, case=case, on=today, note="В больнице")
    if action == "resume":
        return services.case_resume(actor=SYSTEM, case=case, on=today)
    return services.case_close(actor=SYSTEM, case=case, on=today, note="Отказ от услуг")


def check_step(action: str, case: Case, *, barthel, today) -> None:
    """One step, checked against the model of the workflow above."""
    case = Case.objects.get(pk=case.pk)
    expected = expected_status(case, action)
    before = footprint()
    steps_before = CaseTransition.objects.filter(case=case).count()
    moves_before = AuditEntry.objects.filter(action=actions.CASE_MOVED).count()
    try:
        result = step(action, case, barthel=barthel, today=today)
    except DomainError as error:
        assert expected is None, f"{action} from {case.status} refused: {error.as_body()}"
        assert error.code in REFUSALS, error.as_body()
        assert footprint() == before, f"{action} from {case.status} wrote something"
        return
    if result is None:  # nothing to call the step on
        return
    assert expected is not None, f"{action} from {case.status} was not refused"
    after = Case.objects.get(pk=case.pk)
    assert after.status == expected, action
    steps = CaseTransition.objects.filter(case=case).order_by("id")
    moves = AuditEntry.objects.filter(action=actions.CASE_MOVED)
    if expected == case.status:
        assert steps.count() == steps_before
        assert moves.count() == moves_before
    else:
        assert steps.count() == steps_before + 1
        last = steps.last()
        assert (last.from_status, last.to_status, last.on) == (case.status, expected, today)
        assert moves.count() == moves_before + 1
        entry = moves.first()
        assert entry.object_id == str(case.pk)
        assert entry.changes == {"status": [case.status, expected]}
        assert after.status_since == today


def test_every_step_from_every_status_follows_the_transitions(case_at, barthel, today):
    seen = set()
    for status in S:
        with transaction.atomic():
            case = case_at(status)
            assert case.status == status
            for action in TARGETS:
                with transaction.atomic():
                    check_step(action, case, barthel=barthel, today=today)
                    seen.add((status, action))
                    transaction.set_rollback(True)
            transaction.set_rollback(True)
    assert len(seen) == len(S) * len(TARGETS)


@db_property
@given(actions_taken=st.lists(st.sampled_from(sorted(TARGETS)), min_size=1, max_size=8))
def test_any_sequence_of_steps_keeps_the_case_on_its_rails(case_at, barthel, today, actions_taken):
    with transaction.atomic():
        case = case_at(S.APPLIED)
        for action in actions_taken:
            check_step(action, case, barthel=barthel, today=today)
        # The timeline is a chain: each step starts where the one before ended.
        steps = list(CaseTransition.objects.filter(case=case).order_by("id"))
        assert steps[0].from_status == ""
        for before, after in itertools.pairwise(steps):
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[before.to_status]
        assert steps[-1].to_status == Case.objects.get(pk=case.pk).status
        transaction.set_rollback(True)


def test_registration_starts_the_timeline_with_its_audit_entry(case_at):
    case = case_at(S.APPLIED)
    step_ = case.transitions.get()
    assert (step_.from_status, step_.to_status, step_.on) == ("", S.APPLIED, case.applied_on)
    entry = AuditEntry.objects.get(action=actions.CASE_REGISTERED)
    assert entry.object_id == str(case.pk)
    assert case.number == f"{case.applied_on.year}-{case.pk:07d}"


def test_a_decision_after_the_case_was_closed_is_refused_clearly(case_at, refuses, today):
    case = case_at(S.CLOSED)
    with translation.override("en"):
        error = refuses(
            "case_closed",
            services.need_decide,
            actor=SYSTEM,
            case=case,
            outcome="recognised",
            decided_on=today,
        )
    assert error.status == 409
    assert case.number in str(error.message)
    assert "closed" in str(error.message)
    assert not NeedDecision.objects.filter(case=case).exists()


def test_recognising_without_an_assessment_asks_for_one(case_at, refuses, today):
    case = case_at(S.APPLIED)
    refuses(
        "assessment_missing",
        services.need_decide,
        actor=SYSTEM,
        case=case,
        outcome="recognised",
        decided_on=today,
    )


def test_a_second_decision_is_refused(case_at, refuses, today):
    case = case_at(S.RECOGNISED)
    refuses(
        "illegal_transition",
        services.need_decide,
        actor=SYSTEM,
        case=case,
        outcome="refused",
        decided_on=today,
        reasons="Передумали",
    )


def test_a_refusal_states_its_reasons(case_at, refuses, today):
    case = case_at(S.ASSESSED)
    refuses(
        "refusal_without_reasons",
        services.need_decide,
        actor=SYSTEM,
        case=case,
        outcome="refused",
        decided_on=today,
        reasons="  ",
    )


def test_a_step_cannot_be_dated_before_the_one_before(case_at, refuses, today):
    case = case_at(S.SUSPENDED)  # suspended today
    refuses(
        "date_too_early",
        services.case_resume,
        actor=SYSTEM,
        case=case,
        on=case.status_since - dt.timedelta(days=1),
    )


def test_suspending_and_closing_state_a_reason(case_at, refuses, today):
    case = case_at(S.IN_SERVICE)
    refuses("reason_missing", services.case_suspend, actor=SYSTEM, case=case, on=today, note=" ")
    refuses("reason_missing", services.case_close, actor=SYSTEM, case=case, on=today, note="")


def test_closing_ends_the_programme_in_force_and_drops_a_draft(case_at, today):
    case = case_at(S.IN_SERVICE)
    services.programme_draft(
        actor=SYSTEM, case=case, form="home", drawn_up_on=today, income=Decimal("30000")
    )
    services.case_close(actor=SYSTEM, case=case, on=today, note="Переезд")
    statuses = list(case.programmes.values_list("status", "ended_on"))
    assert statuses == [(ProgrammeStatus.ENDED, today)]
    case.refresh_from_db()
    assert (case.status, case.next_due) == (S.CLOSED, None)


# --- Scope: another institution's case does not exist for a worker -----------------------------


@pytest.fixture
def case_of_a(case_at, today):
    """A case of institution A in service, with a review version being drawn up."""
    case = case_at(S.IN_SERVICE)
    services.programme_draft(
        actor=SYSTEM, case=case, form="home", drawn_up_on=today, income=Decimal("30000")
    )
    return case


def calls_on(case, *, today, barthel, urgent_service, home_worker_a):
    """Every service that works on an existing case, with arguments it would accept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    in_force = case.programmes.get(status=ProgrammeStatus.AGREED)
    draft = case.programmes.get(status=ProgrammeStatus.DRAFT)
    item = in_force.items.get()
    delivery = [services.DeliveryEntry(item=item, delivered_on=today)]
    return {
        "urgent_service_deliver": lambda actor: services.urgent_service_deliver(
            actor=actor,
            case=case,
            entry=services.UrgentEntry(service=urgent_service),
            delivered_on=today,
        ),
        "document_attach": lambda actor: services.document_attach(
            actor=actor,
            case=case,
            kind="identity",
            upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan"),
        ),
        "assessment_record": lambda actor: services.assessment_record(
            actor=actor,
            case=case,
            scale=barthel,
            answers=barthel_answers(barthel),
            assessed_on=today,
        ),
        "need_decide": lambda actor: services.need_decide(
            actor=actor, case=case, outcome="refused", decided_on=today, reasons="Нет"
        ),
        "programme_draft": lambda actor: services.programme_draft(
            actor=actor, case=case, form="home", drawn_up_on=today, income=Decimal("1")
        ),
        "programme_item_add": lambda actor: services.programme_item_add(
            actor=actor, programme=draft, service=item.service, provider=item.provider, volume=1
        ),
        "programme_item_remove": lambda actor: services.programme_item_remove(
            actor=actor, item=draft.items.get()
        ),
        "programme_agree": lambda actor: services.programme_agree(
            actor=actor, programme=draft, agreed_on=today
        ),
        "programme_service_refuse": lambda actor: services.programme_service_refuse(
            actor=actor, item=item, refused_on=today, refusal="Не нужно"
        ),
        "deliveries_record": lambda actor: services.deliveries_record(
            actor=actor, case=case, entries=delivery
        ),
        "visit_miss": lambda actor: services.visit_miss(
            actor=actor, case=case, planned_on=today, reason="not_at_home"
        ),
        "day_record": lambda actor: services.day_record(
            actor=actor,
            worker=home_worker_a,
            day=today,
            lines=[services.DayLine(case=case, delivered=[(item, 1, None)])],
        ),
        "case_suspend": lambda actor: services.case_suspend(
            actor=actor, case=case, on=today, note=""
        ),
        "case_resume": lambda actor: services.case_resume(actor=actor, case=case, on=today),
        "case_close": lambda actor: services.case_close(
            actor=actor, case=case, on=today, note="Чужое дело"
        ),
        "case_assign_worker": lambda actor: services.case_assign_worker(
            actor=actor, case=case, employee=home_worker_a
        ),
        "act_issue": lambda actor: services.act_issue(actor=actor, case=case, month=today),
    }


def test_no_service_touches_a_case_of_another_institution(
    case_of_a, worker_b, analyst, today, barthel, urgent_service, home_worker_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    calls = calls_on(
        case_of_a,
        today=today,
        barthel=barthel,
        urgent_service=urgent_service,
        home_worker_a=home_worker_a,
    )
    for name, call in calls.items():
        for actor in (worker_b, analyst):
            before = footprint()
            with pytest.raises(DomainError) as caught:
                call(actor)
            assert (caught.value.code, caught.value.status) == ("not_found", 404), name
            assert footprint() == before, name
    assert not any(tmp_path.rglob("*.pdf"))


def test_a_closed_case_of_another_institution_is_not_found_either(case_at, worker_b, today):
    case = case_at(S.CLOSED)
    for call in (
        lambda: services.case_close(actor=worker_b, case=case, on=today, note="Снова"),
        lambda: services.need_decide(
            actor=worker_b, case=case, outcome="recognised", decided_on=today
        ),
    ):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == "not_found"


def test_the_worker_of_the_institution_may_do_the_same(case_of_a, worker_a, today):
    services.case_suspend(actor=worker_a, case=case_of_a, on=today, note="В санатории")
    entry = AuditEntry.objects.filter(action=actions.CASE_MOVED).first()
    assert entry.actor == worker_a
    assert CaseTransition.objects.filter(case=case_of_a).last().actor == worker_a


def test_selectors_show_nothing_of_a_to_b(case_at, worker_a, worker_b, home_worker_a, today):
    from django.http import Http404

    from opora.casework import selectors

    case = case_at(S.IN_SERVICE)
    services.case_assign_worker(actor=SYSTEM, case=case, employee=home_worker_a)
    overdue = case_at(S.APPLIED, applied_on=dt.date(2026, 1, 12))
    far = today + dt.timedelta(days=365 * 4)
    programme = case.programmes.get()
    seen_by_a = {c.pk for c in selectors.case_list(actor=worker_a)}
    assert seen_by_a == {case.pk, overdue.pk}
    assert {c.pk for c in selectors.due_cases(actor=worker_a, on=far)} == seen_by_a
    assert list(selectors.overdue_cases(actor=worker_a, on=today)) == [overdue]

    assert not selectors.cases(actor=worker_b).exists()
    assert not selectors.case_list(actor=worker_b, q=case.number).exists()
    assert not selectors.due_cases(actor=worker_b, on=far).exists()
    assert not selectors.overdue_cases(actor=worker_b, on=far).exists()
    assert selectors.overdue_by_institution(actor=worker_b, on=far) == []
    assert not selectors.reviews_due(actor=worker_b, on=far).exists()
    assert selectors.statistics(actor=worker_b, on=far)["open"] == 0
    assert selectors.caseload(actor=worker_b, employee=home_worker_a).cases == []
    assert not any(
        selectors.visit_plan(actor=worker_b, employee=home_worker_a, start=today).values()
    )
    assert not selectors.home_care_workers(actor=worker_b).filter(pk=home_worker_a.pk).exists()
    for lookup in (
        lambda: selectors.case_get(actor=worker_b, pk=case.pk),
        lambda: selectors.programme_get(actor=worker_b, pk=programme.pk),
        lambda: selectors.item_get(actor=worker_b, pk=programme.items.get().pk),
        lambda: selectors.worker_get(actor=worker_b, pk=home_worker_a.pk),
    ):
        with pytest.raises(Http404):
            lookup()


def test_an_analyst_counts_and_lists_overdue_cases_without_reading_them(case_at, analyst, today):
    from django.http import Http404

    from opora.casework import selectors

    overdue = case_at(S.APPLIED, applied_on=dt.date(2026, 1, 12))
    assert not selectors.cases(actor=analyst).exists()
    assert not selectors.case_list(actor=analyst).exists()
    assert not selectors.due_cases(actor=analyst, on=today).exists()
    with pytest.raises(Http404):
        selectors.case_get(actor=analyst, pk=overdue.pk)
    assert list(selectors.overdue_cases(actor=analyst, on=today)) == [overdue]
    (row,) = selectors.overdue_by_institution(actor=analyst, on=today)
    assert (row["institution"], row["count"]) == (overdue.institution_id, 1)
    assert selectors.statistics(actor=analyst, on=today)["overdue"] == 1
