"""The social contract's rules: the plan and its money at conclusion, an instalment payable only
after its step, monitoring, early termination with the money to recover (the assignment ends
and the recovery is on its overpayments), the outcome kept and counted; every refusal writes
nothing; another institution's worker finds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from opora.assistance import audit_actions as actions
from opora.assistance.models import (
    AssignmentStatus,
    ContractInstalment,
    ContractMilestone,
    ContractStatus,
    InstalmentStatus,
    MeasureKind,
    MonitoringVisit,
    Overpayment,
    SocialContract,
)
from opora.assistance.selectors.social_contract import (
    contract_assignments,
    contract_get,
    contract_money,
    contract_outcomes,
    contracts,
)
from opora.assistance.services.social_contract import (
    contract_complete,
    contract_conclude,
    contract_terminate,
    contract_visit,
    instalment_pay,
    milestone_done,
)
from opora.core.errors import Conflict, DomainError, NotFound
from opora.core.models import AuditEntry

from .contract_support import *  # noqa: F403 - the fixtures
from .contract_support import plan


def _nothing_written() -> None:
    assert not SocialContract.objects.exists()
    assert not ContractMilestone.objects.exists()
    assert not ContractInstalment.objects.exists()
    assert not AuditEntry.objects.filter(action=actions.CONTRACT_CONCLUDED).exists()


def _steps(contract):
    return list(contract.milestones.order_by("order"))


def _instalments(contract):
    return list(contract.instalments.order_by("pk"))


# --- Conclusion --------------------------------------------------------------------------------


def test_conclude_keeps_the_plan_in_order_and_the_money_in_instalments(contract, worker_a):
    steps = _steps(contract)
    assert [s.order for s in steps] == [1, 2, 3]
    assert [s.owner for s in steps] == ["recipient", "employment_centre", "recipient"]
    first, second, third = _instalments(contract)
    # Money tied to no step is payable at once; the rest waits for its step.
    assert first.status == InstalmentStatus.DUE and first.milestone is None
    assert second.status == InstalmentStatus.PLANNED and second.milestone == steps[0]
    assert third.milestone == steps[1]
    entry = AuditEntry.objects.get(action=actions.CONTRACT_CONCLUDED)
    assert entry.actor == worker_a and entry.object_id == str(contract.pk)
    assert entry.data["milestones"] == 3


def _refused(assignment, actor, code, **changes):
    data = {**plan(assignment.starts_on), **changes}
    with pytest.raises(DomainError) as refusal:
        contract_conclude(actor=actor, assignment=assignment, **data)
    assert refusal.value.code == code
    _nothing_written()
    return refusal.value


def test_instalments_must_add_up_to_the_contracts_sum(contract_assignment, worker_a):
    start = contract_assignment.starts_on
    lines = plan(start)["instalments"][:2]
    error = _refused(contract_assignment, worker_a, "instalments_sum", instalments=lines)
    assert "40000.00" in error.message and "60000.00" in error.message


@pytest.mark.parametrize(
    ("line", "change", "code", "field"),
    [
        (1, {"due_on": "before"}, "outside_contract", "milestones[1].due_on"),
        (2, {"due_on": "after"}, "outside_contract", "milestones[2].due_on"),
        (2, {"due_on": "early"}, "plan_out_of_order", "milestones[2].due_on"),
        (0, {"owner": "neighbour"}, "invalid_choice", "milestones[0].owner"),
        (0, {"title": "  "}, "required", "milestones[0].title"),
    ],
)
def test_a_step_out_of_the_contract_or_out_of_order_is_refused_naming_it(
    contract_assignment, worker_a, line, change, code, field
):
    start = contract_assignment.starts_on
    days = {"before": start - dt.timedelta(days=1), "after": start + dt.timedelta(days=181),
            "early": start + dt.timedelta(days=30)}  # fmt: skip
    steps = plan(start)["milestones"]
    steps[line] = {**steps[line], **{k: days.get(v, v) for k, v in change.items()}}
    error = _refused(contract_assignment, worker_a, code, milestones=steps)
    assert field in error.details


def test_an_instalment_tied_to_a_missing_step_or_of_no_money_is_refused(
    contract_assignment, worker_a
):
    lines = plan(contract_assignment.starts_on)["instalments"]
    bad_step = [*lines[:2], {**lines[2], "milestone_index": 3}]
    assert "instalments[2].milestone_index" in (
        _refused(contract_assignment, worker_a, "unknown_milestone", instalments=bad_step).details
    )
    zero = [{"amount": Decimal("0"), "milestone_index": None}, *lines]
    _refused(contract_assignment, worker_a, "amount_not_positive", instalments=zero)
    _refused(contract_assignment, worker_a, "empty_plan", milestones=[])


def test_the_contract_lies_within_the_assignment_and_not_in_the_future(
    contract_assignment, worker_a, today
):
    start = contract_assignment.starts_on
    _refused(contract_assignment, worker_a, "date_in_future",
             concluded_on=today + dt.timedelta(days=1))  # fmt: skip
    _refused(contract_assignment, worker_a, "date_too_early",
             concluded_on=start - dt.timedelta(days=1))  # fmt: skip
    _refused(contract_assignment, worker_a, "beyond_assignment",
             ends_on=contract_assignment.ends_on + dt.timedelta(days=1))  # fmt: skip
    _refused(contract_assignment, worker_a, "ends_before_start", ends_on=start)
    _refused(contract_assignment, worker_a, "invalid_choice", kind="lottery")


def test_only_an_assignment_in_force_of_a_contract_measure_takes_a_contract(
    contract_assignment, in_kind_assignment, worker_a
):
    _refused(in_kind_assignment, worker_a, "not_a_contract_measure")
    contract_assignment.status = AssignmentStatus.SUSPENDED
    contract_assignment.save()
    _refused(contract_assignment, worker_a, "assignment_not_active")


def test_one_contract_per_assignment(contract, contract_assignment, worker_a):
    with pytest.raises(Conflict) as refusal:
        contract_conclude(
            actor=worker_a, assignment=contract_assignment, **plan(contract_assignment.starts_on)
        )
    assert refusal.value.code == "contract_exists"
    assert SocialContract.objects.count() == 1


def test_another_institutions_worker_cannot_conclude_and_finds_nothing(
    contract_assignment, contract, worker_b
):
    with pytest.raises(NotFound):
        contract_conclude(
            actor=worker_b, assignment=contract_assignment, **plan(contract_assignment.starts_on)
        )
    assert not contracts(actor=worker_b).exists()
    assert not contract_assignments(actor=worker_b).exists()
    with pytest.raises(Http404):
        contract_get(actor=worker_b, pk=contract.pk)
    on = contract.concluded_on
    for step in (
        lambda: milestone_done(actor=worker_b, milestone=_steps(contract)[0], on=on),
        lambda: instalment_pay(actor=worker_b, instalment=_instalments(contract)[0], on=on),
        lambda: contract_visit(actor=worker_b, contract=contract, visited_on=on, findings="…"),
        lambda: contract_terminate(
            actor=worker_b, contract=contract, on=on, reason="…", recover=True
        ),
        lambda: contract_complete(actor=worker_b, contract=contract, outcome="employed", on=on),
    ):
        with pytest.raises(NotFound):
            step()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_assignments_a_contract_can_be_concluded_on(
    contract_assignment, in_kind_assignment, worker_a, make_assignment, institution_a, person_a
):
    assert list(contract_assignments(actor=worker_a)) == [contract_assignment]
    contract_conclude(
        actor=worker_a, assignment=contract_assignment, **plan(contract_assignment.starts_on)
    )
    assert not contract_assignments(actor=worker_a).exists()


# --- The plan carried out ----------------------------------------------------------------------


def test_an_instalment_is_paid_only_after_its_step_is_done(contract, worker_a):
    start = contract.concluded_on
    step = _steps(contract)[0]
    untied, tied, _later = _instalments(contract)
    instalment_pay(actor=worker_a, instalment=untied, on=start)
    with pytest.raises(Conflict) as refusal:
        instalment_pay(actor=worker_a, instalment=tied, on=start + dt.timedelta(days=10))
    assert refusal.value.code == "milestone_not_done"
    assert step.title in refusal.value.message
    tied.refresh_from_db()
    assert tied.status == InstalmentStatus.PLANNED and tied.paid_on is None

    done_on = start + dt.timedelta(days=12)
    milestone_done(actor=worker_a, milestone=step, on=done_on, note="Справка ЦЗН")
    tied.refresh_from_db()
    assert tied.status == InstalmentStatus.DUE
    with pytest.raises(DomainError) as early:
        instalment_pay(actor=worker_a, instalment=tied, on=done_on - dt.timedelta(days=1))
    assert early.value.code == "date_too_early"
    instalment_pay(actor=worker_a, instalment=tied, on=done_on)
    tied.refresh_from_db()
    assert (tied.status, tied.paid_on) == (InstalmentStatus.PAID, done_on)
    with pytest.raises(Conflict) as twice:
        instalment_pay(actor=worker_a, instalment=tied, on=done_on)
    assert twice.value.code == "instalment_closed"
    assert AuditEntry.objects.filter(action=actions.CONTRACT_INSTALMENT_PAID).count() == 2
    assert AuditEntry.objects.filter(action=actions.CONTRACT_MILESTONE_DONE).count() == 1


def test_a_step_is_done_once_and_not_in_the_future(contract, worker_a, today):
    step = _steps(contract)[0]
    with pytest.raises(DomainError) as future:
        milestone_done(actor=worker_a, milestone=step, on=today + dt.timedelta(days=1))
    assert future.value.code == "date_in_future"
    milestone_done(actor=worker_a, milestone=step, on=today)
    with pytest.raises(Conflict) as again:
        milestone_done(actor=worker_a, milestone=step, on=today)
    assert again.value.code == "milestone_done"


def test_a_monitoring_visit_is_kept_with_its_findings(contract, worker_a, today):
    visit = contract_visit(
        actor=worker_a,
        contract=contract,
        visited_on=today,
        findings="Ходит на курсы",
        on_track=True,
    )
    assert visit.recorded_by == worker_a
    with pytest.raises(DomainError) as empty:
        contract_visit(actor=worker_a, contract=contract, visited_on=today, findings="  ")
    assert empty.value.code == "required"
    assert MonitoringVisit.objects.count() == 1
    assert AuditEntry.objects.filter(action=actions.CONTRACT_VISITED).count() == 1


# --- Termination and outcome -------------------------------------------------------------------


def test_termination_recovers_what_was_paid_and_ends_the_assignment(contract, worker_a, today):
    start = contract.concluded_on
    untied, tied, later = _instalments(contract)
    instalment_pay(actor=worker_a, instalment=untied, on=start)
    milestone_done(actor=worker_a, milestone=_steps(contract)[0], on=start)
    instalment_pay(actor=worker_a, instalment=tied, on=start)

    contract_terminate(
        actor=worker_a, contract=contract, on=today, reason="Не явился на обучение", recover=True
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert contract.recovery_amount == Decimal("40000.00")
    assert (contract.terminated_on, contract.termination_reason) == (
        today,
        "Не явился на обучение",
    )
    later.refresh_from_db()
    assert later.status == InstalmentStatus.CANCELLED
    assignment = contract.assignment
    assignment.refresh_from_db()
    assert (assignment.status, assignment.terminated_on) == (AssignmentStatus.TERMINATED, today)
    overpayment = Overpayment.objects.get(assignment=assignment)
    assert overpayment.amount == Decimal("40000.00")
    assert (overpayment.period_from, overpayment.period_to) == (start, today)
    entry = AuditEntry.objects.get(action=actions.CONTRACT_TERMINATED)
    assert entry.data["recovery_amount"] == "40000.00"
    assert entry.reason == "Не явился на обучение"
    money = contract_money(contract_get(actor=worker_a, pk=contract.pk))
    assert (money.paid, money.cancelled, money.total) == (
        Decimal("40000.00"),
        Decimal("20000.00"),
        Decimal("60000.00"),
    )
    with pytest.raises(Conflict) as closed:
        instalment_pay(actor=worker_a, instalment=later, on=today)
    assert closed.value.code == "contract_closed"


def test_termination_without_recovery_recovers_nothing(contract, worker_a, today):
    instalment_pay(actor=worker_a, instalment=_instalments(contract)[0], on=today)
    contract_terminate(
        actor=worker_a, contract=contract, on=today, reason="Переезд в другой регион", recover=False
    )
    contract.refresh_from_db()
    assert contract.recovery_amount is None
    assert not Overpayment.objects.exists()


def test_termination_needs_a_reason_and_writes_nothing_without_one(contract, worker_a, today):
    with pytest.raises(DomainError) as refusal:
        contract_terminate(actor=worker_a, contract=contract, on=today, reason=" ", recover=True)
    assert refusal.value.code == "required"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    assert contract.assignment.status == AssignmentStatus.ACTIVE
    assert not AuditEntry.objects.filter(action=actions.CONTRACT_TERMINATED).exists()
    assert {i.status for i in _instalments(contract)} == {"due", "planned"}


def test_the_outcome_is_kept_and_counted_for_reporting(
    contract, worker_a, worker_b, analyst, today, make_assignment, institution_a, make_person
):
    contract_complete(
        actor=worker_a, contract=contract, outcome="employed", on=today, note="Принята кассиром"
    )
    contract.refresh_from_db()
    assert (contract.status, contract.outcome, contract.outcome_on) == (
        ContractStatus.COMPLETED,
        "employed",
        today,
    )
    assert contract.outcome_note == "Принята кассиром"
    # The steps never done leave their money unpaid: cancelled, not owed.
    assert {i.status for i in _instalments(contract)} == {InstalmentStatus.CANCELLED}
    assert AuditEntry.objects.filter(action=actions.CONTRACT_COMPLETED).count() == 1

    other = make_assignment(
        kind=MeasureKind.SOCIAL_CONTRACT,
        institution=institution_a,
        person=make_person(institution_a),
    )
    second = contract_conclude(
        actor=worker_a, assignment=other, **{**plan(other.starts_on), "kind": "own_business"}
    )
    contract_terminate(actor=worker_a, contract=second, on=today, reason="Отказ", recover=False)

    by_kind = {row.kind: row for row in contract_outcomes(actor=worker_a)}
    assert by_kind["job_search"].outcomes["employed"] == 1
    assert by_kind["job_search"].completed == 1
    assert by_kind["own_business"].terminated == 1
    assert by_kind["smallholding"].completed == 0
    # Analysts count the whole department; another institution counts nothing of A's.
    assert {r.kind: r.completed for r in contract_outcomes(actor=analyst)}["job_search"] == 1
    assert all(r.completed == r.terminated == 0 for r in contract_outcomes(actor=worker_b))


def test_an_unknown_outcome_is_refused_and_a_closed_contract_stays_closed(
    contract, worker_a, today
):
    with pytest.raises(DomainError) as refusal:
        contract_complete(actor=worker_a, contract=contract, outcome="rich", on=today)
    assert refusal.value.code == "invalid_choice"
    contract_complete(actor=worker_a, contract=contract, outcome="no_change", on=today)
    with pytest.raises(Conflict) as closed:
        contract_terminate(actor=worker_a, contract=contract, on=today, reason="…", recover=True)
    assert closed.value.code == "contract_closed"
