"""Assignments after the decision: suspended and resumed, terminated, recalculated with the
version in force on a day, closed when their period ended; overpayments found later."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.core.scoping import Scope

from .. import audit_actions as actions
from .. import criteria
from ..models import (
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    AssignmentStatus,
    Overpayment,
    OverpaymentStatus,
)
from ..selectors.measures import version_in_force
from .applications import check_amount_bounds, evaluation_store
from .common import ONE_DAY, not_before, not_future, require_in_scope, required_text

__all__ = [
    "assignment_recalculate",
    "assignment_resume",
    "assignment_suspend",
    "assignment_terminate",
    "assignments_end_expired",
    "overpayment_record",
    "overpayment_settle",
]

A = AssignmentStatus

# What each step may start from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    AssignmentEventKind.SUSPENDED: (frozenset({A.ACTIVE}), A.SUSPENDED),
    AssignmentEventKind.RESUMED: (frozenset({A.SUSPENDED}), A.ACTIVE),
    AssignmentEventKind.TERMINATED: (frozenset({A.ACTIVE, A.SUSPENDED}), A.TERMINATED),
    AssignmentEventKind.RECALCULATED: (frozenset({A.ACTIVE, A.SUSPENDED}), ""),
}
_ACTIONS: dict[str, str] = {
    AssignmentEventKind.SUSPENDED: actions.ASSIGNMENT_SUSPENDED,
    AssignmentEventKind.RESUMED: actions.ASSIGNMENT_RESUMED,
    AssignmentEventKind.TERMINATED: actions.ASSIGNMENT_TERMINATED,
}
_STATE = ("status", "terminated_on", "termination_reason", "amount", "version")


def _locked(actor: Actor, assignment: Assignment) -> Assignment:
    require_in_scope(actor, assignment.institution, _("No such assignment."))
    return (
        Assignment.objects.select_for_update()
        .select_related("measure", "version", "person", "application", "institution")
        .get(pk=assignment.pk)
    )


def _check_step(assignment: Assignment, kind: str, on: dt.date) -> None:
    allowed, _to = TRANSITIONS[kind]
    if assignment.status not in allowed:
        raise Conflict(
            "assignment_status",
            _("The assignment is %(status)s: it cannot be %(step)s.")
            % {
                "status": assignment.get_status_display(),
                "step": AssignmentEventKind(kind).label,
            },
        )
    not_before(on, assignment.starts_on, "on", _("The day is before the assignment starts."))
    if assignment.ends_on is not None and on > assignment.ends_on:
        raise DomainError(
            "after_period",
            _("The day is after the assignment's period ends."),
            details={"on": [_("The day is after the assignment's period ends.")]},
        )


def _event(
    actor: Actor, assignment: Assignment, kind: str, on: dt.date, reason: str, **fields: Any
) -> AssignmentEvent:
    return AssignmentEvent.objects.create(
        assignment=assignment,
        kind=kind,
        on=on,
        reason=reason[:300],
        recorded_by=audit.acting_user(actor),
        **fields,
    )


def _terminate(
    actor: Actor, assignment: Assignment, on: dt.date, reason: str, **event: Any
) -> AssignmentEvent:
    assignment.status = A.TERMINATED
    assignment.terminated_on = on
    assignment.termination_reason = reason[:300]
    assignment.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
    return _event(actor, assignment, AssignmentEventKind.TERMINATED, on, reason, **event)


def _step(
    *, actor: Actor, assignment: Assignment, kind: str, on: dt.date, reason: str
) -> Assignment:
    assignment = _locked(actor, assignment)
    _check_step(assignment, kind, on)
    reason = required_text(reason, "reason", _("Give the reason."))
    before = audit.snapshot(assignment, _STATE)
    if kind == AssignmentEventKind.TERMINATED:
        _terminate(actor, assignment, on, reason)
    else:
        assignment.status = TRANSITIONS[kind][1]
        assignment.save(update_fields=["status", "updated_at"])
        _event(actor, assignment, kind, on, reason)
    audit.record_changes(
        actor=actor,
        action=_ACTIONS[kind],
        obj=assignment,
        before=before,
        after=audit.snapshot(assignment, _STATE),
        data={"on": on},
        reason=reason,
    )
    return assignment


@transaction.atomic
def assignment_suspend(
    *, actor: Actor, assignment: Assignment, on: dt.date, reason: str
) -> Assignment:
    return _step(
        actor=actor, assignment=assignment, kind=AssignmentEventKind.SUSPENDED, on=on, reason=reason
    )


@transaction.atomic
def assignment_resume(
    *, actor: Actor, assignment: Assignment, on: dt.date, reason: str
) -> Assignment:
    return _step(
        actor=actor, assignment=assignment, kind=AssignmentEventKind.RESUMED, on=on, reason=reason
    )


@transaction.atomic
def assignment_terminate(
    *, actor: Actor, assignment: Assignment, on: dt.date, reason: str
) -> Assignment:
    return _step(
        actor=actor,
        assignment=assignment,
        kind=AssignmentEventKind.TERMINATED,
        on=on,
        reason=reason,
    )


@transaction.atomic
def assignment_recalculate(
    *, actor: Actor, assignment: Assignment, on: dt.date, reason: str
) -> AssignmentEvent:
    """Evaluate again with the version in force on ``on``: a new amount from that day, or,
    when the person is no longer found eligible, the assignment terminated citing the clauses
    not met."""
    assignment = _locked(actor, assignment)
    _check_step(assignment, AssignmentEventKind.RECALCULATED, on)
    reason = required_text(reason, "reason", _("Give the reason."))
    version = version_in_force(measure=assignment.measure, on=on)
    if version is None:
        raise DomainError(
            "no_version_in_force",
            _("No version of %(measure)s is in force on %(date)s.")
            % {"measure": assignment.measure, "date": on.strftime("%d.%m.%Y")},
            details={"on": [_("No version of the measure is in force on this day.")]},
        )
    before = audit.snapshot(assignment, _STATE)
    evaluation = evaluation_store(
        actor=actor,
        version=version,
        person=assignment.person,
        on=on,
        application=assignment.application,
        institution=assignment.institution,
    )
    if evaluation.eligible is not True:
        outcome = criteria.Outcome.from_json(evaluation.explanation)
        not_met = [*outcome.failed, *outcome.unknown]
        why = "; ".join(c.text for c in not_met) or reason
        event = _terminate(
            actor, assignment, on, why, evaluation=evaluation, amount_before=assignment.amount
        )
        audit.record_changes(
            actor=actor,
            action=actions.ASSIGNMENT_TERMINATED,
            obj=assignment,
            before=before,
            after=audit.snapshot(assignment, _STATE),
            data={"on": on, "evaluation": evaluation.pk, "failed_clauses": [c.id for c in not_met]},
            reason=reason,
        )
        return event
    amount = evaluation.amount if evaluation.amount is not None else Decimal("0")
    check_amount_bounds(version, amount)
    amount_before = assignment.amount
    assignment.amount = amount
    assignment.version = version
    assignment.save(update_fields=["amount", "version", "updated_at"])
    event = _event(
        actor,
        assignment,
        AssignmentEventKind.RECALCULATED,
        on,
        reason,
        amount_before=amount_before,
        amount_after=amount,
        evaluation=evaluation,
    )
    # Audited even when the amount stays: the check itself is what the history must show.
    audit.record(
        actor=actor,
        action=actions.ASSIGNMENT_RECALCULATED,
        obj=assignment,
        changes=audit.diff(before, audit.snapshot(assignment, _STATE)),
        data={"on": on, "evaluation": evaluation.pk, "version": version.number},
        reason=reason,
    )
    return event


@transaction.atomic
def assignments_end_expired(*, actor: Actor, today: dt.date) -> int:
    """Close every assignment in force whose period ended before ``today``: one UPDATE, the
    events in one bulk INSERT and one audit entry for the lot."""
    expired = Scope.of(actor).rows(
        Assignment.objects.filter(status=A.ACTIVE, ends_on__lt=today), via="institution"
    )
    ended = list(expired.select_for_update().values_list("pk", "ends_on"))
    if not ended:
        return 0
    count = expired.update(status=A.ENDED, updated_at=timezone.now())
    recorded_by = audit.acting_user(actor)
    AssignmentEvent.objects.bulk_create(
        AssignmentEvent(
            assignment_id=pk,
            kind=AssignmentEventKind.ENDED,
            on=ends_on + ONE_DAY,
            recorded_by=recorded_by,
        )
        for pk, ends_on in ended
    )
    audit.record(
        actor=actor,
        action=actions.ASSIGNMENTS_ENDED,
        data={"today": today, "count": count, "assignments": sorted(pk for pk, _e in ended)},
    )
    return count


# --- Overpayments ------------------------------------------------------------------------------


def _positive_money(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0:
        raise DomainError(
            "invalid_amount",
            _("An overpayment is more than zero roubles."),
            details={"amount": [_("Enter an amount greater than zero.")]},
        )
    return amount


@transaction.atomic
def overpayment_record(
    *,
    actor: Actor,
    assignment: Assignment,
    period_from: dt.date,
    period_to: dt.date,
    amount: Decimal,
    reason: str,
    found_on: dt.date,
) -> Overpayment:
    """Money paid for a period of the assignment that was not due."""
    assignment = _locked(actor, assignment)
    amount = _positive_money(amount)
    reason = required_text(reason, "reason", _("Say why the money was not due."))
    not_future(found_on, "found_on")
    if period_to < period_from:
        raise DomainError(
            "period_reversed",
            _("The period ends before it starts."),
            details={"period_to": [_("Must be on or after the start of the period.")]},
        )
    last = assignment.terminated_on or assignment.ends_on
    if period_from < assignment.starts_on or (last is not None and period_to > last):
        raise DomainError(
            "outside_assignment",
            _("The period of an overpayment lies within the assignment's period."),
            details={"period_from": [_("Choose days within the assignment's period.")]},
        )
    overpayment = validated(
        Overpayment(
            assignment=assignment,
            period_from=period_from,
            period_to=period_to,
            amount=amount,
            reason=reason[:300],
            found_on=found_on,
            recorded_by=audit.acting_user(actor),
        )
    )
    overpayment.save()
    audit.record(
        actor=actor,
        action=actions.OVERPAYMENT_RECORDED,
        obj=assignment,
        data={
            "overpayment": overpayment.pk,
            "amount": amount,
            "period_from": period_from,
            "period_to": period_to,
        },
        reason=reason,
    )
    return overpayment


@transaction.atomic
def overpayment_settle(*, actor: Actor, overpayment: Overpayment, status: str) -> Overpayment:
    """Recovered or written off: an open overpayment is settled once."""
    require_in_scope(actor, overpayment.assignment.institution, _("No such overpayment."))
    require_choice(
        status,
        [OverpaymentStatus.RECOVERED, OverpaymentStatus.WRITTEN_OFF],
        field="status",
        hint=_("Recovered or written off."),
    )
    overpayment = Overpayment.objects.select_for_update().get(pk=overpayment.pk)
    if overpayment.status != OverpaymentStatus.OPEN:
        raise Conflict(
            "overpayment_settled",
            _("The overpayment is already %(status)s.")
            % {"status": overpayment.get_status_display()},
        )
    before = audit.snapshot(overpayment, ["status"])
    overpayment.status = status
    overpayment.save(update_fields=["status", "updated_at"])
    audit.record_changes(
        actor=actor,
        action=actions.OVERPAYMENT_SETTLED,
        obj=overpayment,
        before=before,
        after=audit.snapshot(overpayment, ["status"]),
    )
    return overpayment
