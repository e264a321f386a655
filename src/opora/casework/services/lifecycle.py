"""The life of a case as a state machine: the steps a case may take (``TRANSITIONS``), the
deadline each status waits for, and ``_move``, through which every step goes: it checks the
step, records it on the case's timeline and writes its audit entry in the same transaction.
Suspending, resuming and closing are asked for directly; the other steps are the work of the
services of their area."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError

from .. import audit_actions as actions
from ..models import Case, CaseStatus, CaseTransition, ProgrammeStatus
from ..selectors import programme_in_force
from .common import _locked, _not_before, _not_future, _refuse_closed, _require_case

__all__ = [
    "SERVING",
    "TRANSITIONS",
    "WITH_PROGRAMME",
    "S",
    "case_close",
    "case_resume",
    "case_suspend",
    "illegal_step",
    "next_due_of",
]

S = CaseStatus
# The steps a case may take. Reaching "assessed", "recognised", "refused", "programme drafted",
# "agreed" and "in service" is the work of their own services; suspending, resuming and closing
# are asked for directly.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.ASSESSED, S.REFUSED, S.CLOSED}),
    S.ASSESSED: frozenset({S.RECOGNISED, S.REFUSED, S.CLOSED}),
    S.RECOGNISED: frozenset({S.PROGRAMME_DRAFTED, S.CLOSED}),
    S.REFUSED: frozenset({S.CLOSED}),
    S.PROGRAMME_DRAFTED: frozenset({S.AGREED, S.CLOSED}),
    S.AGREED: frozenset({S.IN_SERVICE, S.SUSPENDED, S.CLOSED}),
    S.IN_SERVICE: frozenset({S.SUSPENDED, S.CLOSED}),
    S.SUSPENDED: frozenset({S.IN_SERVICE, S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Statuses in which a programme is in force and services are delivered against it.
SERVING = (S.AGREED, S.IN_SERVICE)
WITH_PROGRAMME = (S.AGREED, S.IN_SERVICE, S.SUSPENDED)


def illegal_step(case: Case, to_status: str) -> Conflict:
    return Conflict(
        "illegal_transition",
        _("A case that is “%(current)s” cannot become “%(target)s”.")
        % {"current": S(case.status).label, "target": S(to_status).label},
        details={"status": [case.status, to_status]},
    )


def next_due_of(case: Case, status: str) -> dt.date | None:
    """The deadline of the step a case in ``status`` waits for."""
    if status in (S.APPLIED, S.ASSESSED):
        return case.decision_due
    if status in (S.RECOGNISED, S.PROGRAMME_DRAFTED):
        return case.programme_due
    if status in WITH_PROGRAMME:
        programme = programme_in_force(case)
        return programme.review_due if programme else None
    return None


def _move(
    *, actor: Actor, case: Case, to_status: str, on: dt.date, note: str = ""
) -> CaseTransition:
    if to_status not in TRANSITIONS[case.status]:
        raise illegal_step(case, to_status)
    from_status = case.status
    case.status = to_status
    case.status_since = on
    case.next_due = next_due_of(case, to_status)
    case.save(update_fields=["status", "status_since", "next_due", "updated_at"])
    step = CaseTransition.objects.create(
        case=case,
        from_status=from_status,
        to_status=to_status,
        on=on,
        actor=audit.acting_user(actor),
        note=note,
    )
    audit.record(
        actor=actor,
        action=actions.CASE_MOVED,
        obj=case,
        changes={"status": [from_status, to_status]},
        data={"from_status": from_status, "to_status": to_status},
        reason=note,
    )
    return step


# --- Suspending, resuming, closing -----------------------------------------------------------


def _simple_step(actor: Actor, case: Case, to_status: str, on: dt.date, note: str) -> Case:
    _require_case(actor, case)
    case = _locked(case)
    _not_future(on, "on")
    _not_before(on, case.status_since, "on", _("A step cannot be earlier than the one before."))
    _move(actor=actor, case=case, to_status=to_status, on=on, note=note.strip())
    return case


def _reason_given(note: str) -> None:
    if not note.strip():
        raise DomainError(
            "reason_missing", _("State the reason."), details={"note": [_("Enter the reason.")]}
        )


@transaction.atomic
def case_suspend(*, actor: Actor, case: Case, on: dt.date, note: str) -> Case:
    """Services stop for a while (a stay in hospital, a trip)."""
    _require_case(actor, case)
    _reason_given(note)
    return _simple_step(actor, case, S.SUSPENDED, on, note)


@transaction.atomic
def case_resume(*, actor: Actor, case: Case, on: dt.date, note: str = "") -> Case:
    return _simple_step(actor, case, S.IN_SERVICE, on, note)


@transaction.atomic
def case_close(*, actor: Actor, case: Case, on: dt.date, note: str) -> Case:
    """Close a case: withdrawn, services ended, the recipient moved away or died."""
    # Out of scope first: another institution's case is not found, closed or not.
    _require_case(actor, case)
    _reason_given(note)
    _refuse_closed(_locked(case))
    case = _simple_step(actor, case, S.CLOSED, on, note)
    case.programmes.filter(status=ProgrammeStatus.AGREED).update(
        status=ProgrammeStatus.ENDED, ended_on=on
    )
    case.programmes.filter(status=ProgrammeStatus.DRAFT).delete()
    return case
