"""The social contract (178-FZ art. 8.1): concluded on an assignment of a social-contract
measure, with an adaptation plan of steps (who takes each and by when), the contract's money in
instalments tied to the steps, monitoring visits, early termination with the money to recover,
and the outcome kept for reporting.

The rule of the money: a social-contract assignment's amount is the contract's whole sum (the
law pays the contract's sum in parts against the plan), so the instalments divide it exactly —
``contract_total`` is the one place that says so. An instalment tied to a step is payable once
the step is done; one tied to no step is payable from the start. On early termination with
recovery, what is to be recovered is every instalment paid (the recipient failed the plan,
178-FZ art. 8.1 part 9); the instalments not yet paid are cancelled either way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated

from .. import audit_actions as actions
from ..models import (
    Assignment,
    AssignmentStatus,
    ContractInstalment,
    ContractKind,
    ContractMilestone,
    ContractOutcome,
    ContractStatus,
    InstalmentStatus,
    MeasureKind,
    MilestoneOwner,
    MonitoringVisit,
    SocialContract,
)
from .assignments import assignment_terminate, overpayment_record
from .common import not_before, not_future, require_in_scope, required_text

__all__ = [
    "contract_complete",
    "contract_conclude",
    "contract_terminate",
    "contract_total",
    "contract_visit",
    "instalment_pay",
    "milestone_done",
]


CENTS = Decimal("0.01")


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def contract_total(assignment: Assignment) -> Decimal:
    """The contract's whole sum, which its instalments divide exactly."""
    return assignment.amount


def _require_contract(actor: Actor, contract: SocialContract) -> SocialContract:
    """The contract, locked for this transaction (two steps on one contract never interleave),
    or a 404 when its assignment's institution is outside the actor's scope."""
    locked = (
        SocialContract.objects.select_for_update(of=("self",))
        .select_related("assignment__institution")
        .get(pk=contract.pk)
    )
    require_in_scope(actor, locked.assignment.institution, _("No such social contract."))
    return locked


def _require_active(contract: SocialContract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise Conflict(
            "contract_closed",
            _("The social contract %(contract)s is %(status)s: nothing more can be recorded.")
            % {"contract": contract, "status": ContractStatus(contract.status).label},
            details={"status": [contract.status]},
        )


def _line_error(field: str, index: int, key: str, message: Any, code: str) -> DomainError:
    """A refusal of one line of the plan names the line (``milestones[2].due_on``), so a form
    or an API client can put the message next to it."""
    return DomainError(code, message, details={f"{field}[{index}].{key}": [message]})


def _check_period(assignment: Assignment, concluded_on: dt.date, ends_on: dt.date) -> None:
    not_future(concluded_on, "concluded_on")
    not_before(
        concluded_on,
        assignment.starts_on,
        "concluded_on",
        _("The contract is concluded on or after the assignment starts (%(date)s).")
        % {"date": _date(assignment.starts_on)},
    )
    if ends_on <= concluded_on:
        message = _("The contract ends after the day it is concluded.")
        raise DomainError("ends_before_start", message, details={"ends_on": [message]})
    if assignment.ends_on is not None and ends_on > assignment.ends_on:
        message = _("The contract ends by the end of the assignment (%(date)s).") % {
            "date": _date(assignment.ends_on)
        }
        raise DomainError("beyond_assignment", message, details={"ends_on": [message]})


def _plan(
    milestones: Sequence[dict[str, Any]], concluded_on: dt.date, ends_on: dt.date
) -> list[ContractMilestone]:
    if not milestones:
        message = _("The adaptation plan needs at least one step.")
        raise DomainError("empty_plan", message, details={"milestones": [message]})
    plan = []
    previous: dt.date | None = None
    for index, line in enumerate(milestones):
        title = " ".join(str(line.get("title") or "").split())
        if not title:
            raise _line_error(
                "milestones", index, "title", _("Name the step of the plan."), "required"
            )
        owner = line.get("owner")
        if owner not in MilestoneOwner.values:
            raise _line_error(
                "milestones", index, "owner", _("Choose who takes the step."), "invalid_choice"
            )
        due_on = line.get("due_on")
        if not isinstance(due_on, dt.date) or not (concluded_on <= due_on <= ends_on):
            raise _line_error(
                "milestones",
                index,
                "due_on",
                _("A step is due within the contract, from %(start)s to %(end)s.")
                % {"start": _date(concluded_on), "end": _date(ends_on)},
                "outside_contract",
            )
        if previous is not None and due_on < previous:
            raise _line_error(
                "milestones",
                index,
                "due_on",
                _("The steps go in the order of their due days: this one is due before the last."),
                "plan_out_of_order",
            )
        previous = due_on
        plan.append(ContractMilestone(order=index + 1, title=title, owner=owner, due_on=due_on))
    return plan


def _instalments(
    instalments: Sequence[dict[str, Any]], steps: int, total: Decimal
) -> list[tuple[Decimal, int | None]]:
    if not instalments:
        message = _("The contract's money is paid in at least one instalment.")
        raise DomainError("no_instalments", message, details={"instalments": [message]})
    parts = []
    for index, line in enumerate(instalments):
        amount = line.get("amount")
        if not isinstance(amount, Decimal | int) or Decimal(amount) <= 0:
            raise _line_error(
                "instalments",
                index,
                "amount",
                _("An instalment is a sum greater than zero."),
                "amount_not_positive",
            )
        step = line.get("milestone_index")
        if step is not None and not (isinstance(step, int) and 0 <= step < steps):
            raise _line_error(
                "instalments",
                index,
                "milestone_index",
                _("Tie the instalment to a step of the plan, or to none."),
                "unknown_milestone",
            )
        parts.append((Decimal(amount), step))
    paid_in_all = sum((amount for amount, _step in parts), Decimal(0))
    if paid_in_all != total:
        message = _(
            "The instalments add up to %(sum)s; the contract's sum is %(total)s: they must be "
            "equal."
        ) % {"sum": paid_in_all, "total": total}
        raise DomainError("instalments_sum", message, details={"instalments": [message]})
    return parts


@transaction.atomic
def contract_conclude(
    *,
    actor: Actor,
    assignment: Assignment,
    kind: str,
    concluded_on: dt.date,
    ends_on: dt.date,
    milestones: Sequence[dict[str, Any]],
    instalments: Sequence[dict[str, Any]],
) -> SocialContract:
    """Conclude the contract on an assignment in force of a social-contract measure:
    ``milestones`` are ``{"title", "owner", "due_on"}`` in the order of their due days, all
    within the contract; ``instalments`` are ``{"amount", "milestone_index"}`` (the index of
    the step in ``milestones``, or None) and add up to ``contract_total``."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("measure", "institution")
        .get(pk=assignment.pk)
    )
    require_in_scope(actor, assignment.institution, _("No such assignment."))
    if assignment.measure.kind != MeasureKind.SOCIAL_CONTRACT:
        message = _("%(measure)s is not a social contract.") % {"measure": assignment.measure}
        raise DomainError("not_a_contract_measure", message, details={"assignment": [message]})
    if assignment.status != AssignmentStatus.ACTIVE:
        raise Conflict(
            "assignment_not_active",
            _("A contract is concluded on an assignment in force; this one is “%(status)s”.")
            % {"status": AssignmentStatus(assignment.status).label},
            details={"assignment": [_("The assignment is not in force.")]},
        )
    if SocialContract.objects.filter(assignment=assignment).exists():
        raise Conflict(
            "contract_exists",
            _("A social contract is already concluded on this assignment."),
            details={"assignment": [_("Already has a contract.")]},
        )
    require_choice(kind, ContractKind, field="kind")
    _check_period(assignment, concluded_on, ends_on)
    plan = _plan(milestones, concluded_on, ends_on)
    parts = _instalments(instalments, len(plan), contract_total(assignment))

    contract = validated(
        SocialContract(assignment=assignment, kind=kind, concluded_on=concluded_on, ends_on=ends_on)
    )
    contract.save()
    for step in plan:
        step.contract = contract
    ContractMilestone.objects.bulk_create(plan)
    saved_steps = list(contract.milestones.order_by("order"))
    ContractInstalment.objects.bulk_create(
        ContractInstalment(
            contract=contract,
            milestone=saved_steps[step] if step is not None else None,
            amount=amount,
            # Money tied to no step is payable at once.
            status=InstalmentStatus.PLANNED if step is not None else InstalmentStatus.DUE,
        )
        for amount, step in parts
    )
    audit.record(
        actor=actor,
        action=actions.CONTRACT_CONCLUDED,
        obj=contract,
        data={
            "assignment": assignment.pk,
            "kind": kind,
            "concluded_on": concluded_on,
            "ends_on": ends_on,
            "milestones": len(plan),
            "instalments": [str(amount) for amount, _step in parts],
        },
    )
    return contract


@transaction.atomic
def milestone_done(
    *, actor: Actor, milestone: ContractMilestone, on: dt.date, note: str = ""
) -> ContractMilestone:
    """A step of the plan done on ``on``; the instalments tied to it become due."""
    contract = _require_contract(actor, milestone.contract)
    _require_active(contract)
    milestone = ContractMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise Conflict(
            "milestone_done",
            _("The step “%(step)s” was recorded done on %(date)s.")
            % {"step": milestone.title, "date": _date(milestone.done_on)},
            details={"on": [_("Already done.")]},
        )
    not_future(on, "on")
    not_before(
        on,
        contract.concluded_on,
        "on",
        _("A step is done on or after the contract is concluded (%(date)s).")
        % {"date": _date(contract.concluded_on)},
    )
    milestone.done_on = on
    milestone.note = note.strip()
    validated(milestone, exclude=["contract"]).save(update_fields=["done_on", "note"])
    ContractInstalment.objects.filter(milestone=milestone, status=InstalmentStatus.PLANNED).update(
        status=InstalmentStatus.DUE
    )
    audit.record(
        actor=actor,
        action=actions.CONTRACT_MILESTONE_DONE,
        obj=contract,
        data={"milestone": milestone.pk, "title": milestone.title, "on": on},
    )
    return milestone


@transaction.atomic
def instalment_pay(
    *, actor: Actor, instalment: ContractInstalment, on: dt.date
) -> ContractInstalment:
    """An instalment paid on ``on``; one tied to a step only once the step is done."""
    contract = _require_contract(actor, instalment.contract)
    _require_active(contract)
    instalment = (
        ContractInstalment.objects.select_for_update(of=("self",))
        .select_related("milestone")
        .get(pk=instalment.pk)
    )
    if instalment.status in (InstalmentStatus.PAID, InstalmentStatus.CANCELLED):
        raise Conflict(
            "instalment_closed",
            _("The instalment of %(amount)s is %(status)s.")
            % {"amount": instalment.amount, "status": InstalmentStatus(instalment.status).label},
            details={"status": [instalment.status]},
        )
    step = instalment.milestone
    if step is not None and step.done_on is None:
        message = _(
            "The instalment of %(amount)s is paid when the step “%(step)s” is done; it is not "
            "done yet (due %(date)s)."
        ) % {"amount": instalment.amount, "step": step.title, "date": _date(step.due_on)}
        raise Conflict("milestone_not_done", message, details={"on": [message]})
    not_future(on, "on")
    earliest = step.done_on if step is not None and step.done_on else contract.concluded_on
    not_before(
        on,
        earliest,
        "on",
        _("The instalment is paid on or after %(date)s.") % {"date": _date(earliest)},
    )
    instalment.status = InstalmentStatus.PAID
    instalment.paid_on = on
    instalment.save(update_fields=["status", "paid_on"])
    audit.record(
        actor=actor,
        action=actions.CONTRACT_INSTALMENT_PAID,
        obj=contract,
        data={"instalment": instalment.pk, "amount": instalment.amount, "on": on},
    )
    return instalment


@transaction.atomic
def contract_visit(
    *,
    actor: Actor,
    contract: SocialContract,
    visited_on: dt.date,
    findings: str,
    on_track: bool = True,
) -> MonitoringVisit:
    """A monitoring visit: what the specialist found and whether the plan is on track."""
    contract = _require_contract(actor, contract)
    _require_active(contract)
    findings = required_text(findings, "findings", _("Say what the visit found."))
    not_future(visited_on, "visited_on")
    not_before(
        visited_on,
        contract.concluded_on,
        "visited_on",
        _("A visit is on or after the contract is concluded (%(date)s).")
        % {"date": _date(contract.concluded_on)},
    )
    visit = validated(
        MonitoringVisit(
            contract=contract,
            visited_on=visited_on,
            findings=findings,
            on_track=on_track,
            recorded_by=audit.acting_user(actor),
        ),
        exclude=["recorded_by"],  # the system records with no user
    )
    visit.save()
    audit.record(
        actor=actor,
        action=actions.CONTRACT_VISITED,
        obj=contract,
        data={"visit": visit.pk, "visited_on": visited_on, "on_track": on_track},
    )
    return visit


def _cancel_unpaid(contract: SocialContract) -> int:
    return contract.instalments.filter(
        status__in=(InstalmentStatus.PLANNED, InstalmentStatus.DUE)
    ).update(status=InstalmentStatus.CANCELLED)


def _close_check(contract: SocialContract, on: dt.date) -> None:
    _require_active(contract)
    not_future(on, "on")
    not_before(
        on,
        contract.concluded_on,
        "on",
        _("On or after the contract is concluded (%(date)s).")
        % {"date": _date(contract.concluded_on)},
    )


@transaction.atomic
def contract_terminate(
    *, actor: Actor, contract: SocialContract, on: dt.date, reason: str, recover: bool
) -> SocialContract:
    """End the contract early, for ``reason``; its assignment is terminated on the same day.
    With ``recover`` (the recipient failed the plan) every instalment paid is to be recovered;
    the instalments not yet paid are cancelled either way."""
    contract = _require_contract(actor, contract)
    reason = required_text(reason, "reason", _("Say why the contract ends early."))
    _close_check(contract, on)
    if on > contract.ends_on:
        message = _("The contract ran until %(date)s.") % {"date": _date(contract.ends_on)}
        raise DomainError("after_contract", message, details={"on": [message]})
    paid_rows = contract.instalments.filter(status=InstalmentStatus.PAID)
    # SQLite's SUM drops the kopecks' places.
    paid = (paid_rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)).quantize(CENTS)
    cancelled = _cancel_unpaid(contract)
    contract.status = ContractStatus.TERMINATED
    contract.terminated_on = on
    contract.termination_reason = reason
    contract.recovery_amount = paid if recover else None
    validated(contract, exclude=["assignment"]).save(
        update_fields=["status", "terminated_on", "termination_reason", "recovery_amount"]
    )
    # The assignment ends with its contract, through its own service (history, audit entry);
    # the money to recover goes on its overpayments, where it is followed until settled.
    assignment_terminate(actor=actor, assignment=contract.assignment, on=on, reason=reason)
    if contract.recovery_amount:
        overpayment_record(
            actor=actor,
            assignment=contract.assignment,
            period_from=contract.concluded_on,
            period_to=on,
            amount=contract.recovery_amount,
            reason=reason,
            found_on=on,
        )
    audit.record(
        actor=actor,
        action=actions.CONTRACT_TERMINATED,
        obj=contract,
        data={
            "on": on,
            "recover": recover,
            "recovery_amount": contract.recovery_amount,
            "cancelled_instalments": cancelled,
        },
        reason=reason,
    )
    return contract


@transaction.atomic
def contract_complete(
    *, actor: Actor, contract: SocialContract, outcome: str, on: dt.date, note: str = ""
) -> SocialContract:
    """The contract has run its course; its outcome (a job found, a business registered, an
    income above the subsistence minimum, or no lasting change) is kept for reporting. The
    instalments of steps never done are cancelled."""
    contract = _require_contract(actor, contract)
    require_choice(outcome, ContractOutcome, field="outcome")
    _close_check(contract, on)
    _cancel_unpaid(contract)
    contract.status = ContractStatus.COMPLETED
    contract.outcome = outcome
    contract.outcome_on = on
    contract.outcome_note = note.strip()
    validated(contract, exclude=["assignment"]).save(
        update_fields=["status", "outcome", "outcome_on", "outcome_note"]
    )
    audit.record(
        actor=actor,
        action=actions.CONTRACT_COMPLETED,
        obj=contract,
        data={"outcome": outcome, "on": on},
    )
    return contract
