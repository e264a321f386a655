"""Delivery: the services delivered against the programme in force and within its volume,
missed visits, a social worker's whole day at once, and the home-care social worker of a case
within her caseload limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.institutions.models import Employee, Employment

from .. import audit_actions as actions
from ..models import (
    CASELOAD_STATUSES,
    Case,
    Delivery,
    MissedReason,
    MissedVisit,
    Programme,
    ProgrammeItem,
    ProgrammeStatus,
)
from ..selectors import delivered_volume, programme_in_force
from .common import (
    _locked,
    _not_before,
    _not_future,
    _refuse_closed,
    _require_case,
    _today,
)
from .lifecycle import SERVING, S, _move, illegal_step

__all__ = [
    "DayLine",
    "DeliveryEntry",
    "case_assign_worker",
    "caseload_of",
    "day_record",
    "deliveries_record",
    "visit_miss",
]


@contextmanager
def _refusal_names(key: str, value: Any) -> Iterator[None]:
    """A refusal of one line of a batch says which line it was (``details[key]``), so that a
    form or an API client can put the message next to it."""
    try:
        yield
    except DomainError as error:
        error.details = {**error.details, key: value}
        raise


@dataclass(frozen=True)
class DeliveryEntry:
    item: ProgrammeItem
    delivered_on: dt.date
    quantity: int = 1
    minutes: int | None = None
    started_at: dt.time | None = None
    worker: Employee | None = None
    note: str = ""


def _check_entry(case: Case, programme: Programme, entry: DeliveryEntry, left: int) -> None:
    item = entry.item
    service = item.service
    if item.programme_id != programme.pk:
        raise DomainError(
            "item_not_in_force",
            _("%(service)s is not in the programme in force of the case %(number)s.")
            % {"service": service, "number": case.number},
            details={"item": [_("Choose a service of the programme in force.")]},
        )
    if item.refused_on is not None and entry.delivered_on >= item.refused_on:
        raise Conflict(
            "service_refused",
            _("The recipient refused %(service)s in writing on %(date)s.")
            % {"service": service, "date": item.refused_on.strftime("%d.%m.%Y")},
            details={"item": [_("Refused by the recipient.")]},
        )
    if not (item.starts_on <= entry.delivered_on <= item.ends_on):
        raise DomainError(
            "outside_term",
            _("%(service)s is given from %(start)s to %(end)s by the programme.")
            % {
                "service": service,
                "start": item.starts_on.strftime("%d.%m.%Y"),
                "end": item.ends_on.strftime("%d.%m.%Y"),
            },
            details={"delivered_on": [_("Choose a day within the term.")]},
        )
    _not_future(entry.delivered_on, "delivered_on")
    if entry.quantity < 1:
        raise DomainError(
            "quantity_not_positive",
            _("Enter at least one unit."),
            details={"quantity": [_("Enter at least one unit.")]},
        )
    if entry.quantity > left:
        raise Conflict(
            "beyond_volume",
            _(
                "The programme provides %(volume)s units of %(service)s; %(left)s are left, "
                "%(asked)s were entered."
            )
            % {"volume": item.volume, "service": service, "left": left, "asked": entry.quantity},
            details={"quantity": [_("Enter at most %(left)s.") % {"left": left}]},
        )


def _record_deliveries(
    *, actor: Actor, case: Case, entries: Sequence[DeliveryEntry]
) -> list[Delivery]:
    if case.status not in SERVING:
        if case.status == S.CLOSED:
            _refuse_closed(case)
        raise Conflict(
            "not_in_service",
            _(
                "Services are recorded against an agreed programme; the case %(number)s is "
                "“%(status)s”."
            )
            % {"number": case.number, "status": S(case.status).label},
            details={"status": [case.status]},
        )
    programme = programme_in_force(case)
    if programme is None:  # pragma: no cover - agreed and in service always have one
        raise illegal_step(case, S.IN_SERVICE)
    # Locked, so two entries of the same day cannot both take the last units.
    items = {
        item.pk: item
        for item in ProgrammeItem.objects.select_for_update()
        .select_related("service")
        .filter(programme=programme)
    }
    left = {pk: item.volume - delivered_volume([item]).get(pk, 0) for pk, item in items.items()}
    deliveries = []
    for line, entry in enumerate(entries):
        item = items.get(entry.item.pk, entry.item)
        checked = DeliveryEntry(**{**entry.__dict__, "item": item})
        with _refusal_names("line", line):
            _check_entry(case, programme, checked, left.get(item.pk, 0))
            if checked.worker is not None:
                _require_staff_of(checked.worker, case)
        left[item.pk] -= checked.quantity
        delivery = Delivery(
            case=case,
            item=item,
            service=item.service,
            delivered_on=checked.delivered_on,
            started_at=checked.started_at,
            minutes=checked.minutes,
            quantity=checked.quantity,
            unit_price=item.unit_price,
            worker=checked.worker or case.worker,
            note=checked.note.strip(),
            recorded_by=audit.acting_user(actor),
        )
        deliveries.append(validated(delivery, exclude=["case", "item", "service"]))
    if not deliveries:
        raise DomainError(
            "nothing_delivered",
            _("Enter at least one delivered service."),
            details={"item": [_("Choose a service.")]},
        )
    Delivery.objects.bulk_create(deliveries)
    audit.record(
        actor=actor,
        action=actions.DELIVERIES_RECORDED,
        obj=case,
        data={
            "count": len(deliveries),
            "services": sorted({d.service.code for d in deliveries}),
            "days": sorted({d.delivered_on for d in deliveries}),
        },
    )
    if case.status == S.AGREED:
        # A late entry may be dated before the agreement; the timeline never goes back.
        first_day = max(min(d.delivered_on for d in deliveries), case.status_since)
        _move(actor=actor, case=case, to_status=S.IN_SERVICE, on=first_day)
    return deliveries


@transaction.atomic
def deliveries_record(
    *, actor: Actor, case: Case, entries: Sequence[DeliveryEntry]
) -> list[Delivery]:
    """Services delivered against the programme in force, within its volume. The first moves
    an agreed case into service."""
    _require_case(actor, case)
    case = _locked(case)
    return _record_deliveries(actor=actor, case=case, entries=entries)


@transaction.atomic
def visit_miss(
    *,
    actor: Actor,
    case: Case,
    planned_on: dt.date,
    reason: str,
    note: str = "",
    worker: Employee | None = None,
) -> MissedVisit:
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    require_choice(
        reason,
        MissedReason,
        field="reason",
        code="unknown_reason",
        message=_("Choose why the visit did not happen."),
        hint=_("Choose a reason."),
    )
    if reason == MissedReason.OTHER and not note.strip():
        raise DomainError(
            "reason_unexplained",
            _("Say what the other reason was."),
            details={"note": [_("Describe the reason.")]},
        )
    if case.status not in (*SERVING, S.SUSPENDED):
        raise Conflict(
            "not_in_service",
            _("Visits are planned for recipients in service."),
            details={"status": [case.status]},
        )
    _not_future(planned_on, "planned_on")
    first_agreed = case.programmes.exclude(status=ProgrammeStatus.DRAFT).aggregate(
        first=Min("agreed_on")
    )["first"]
    _not_before(
        planned_on,
        first_agreed or case.applied_on,
        "planned_on",
        _("No visit was planned before the programme was agreed."),
    )
    if worker is not None:
        _require_staff_of(worker, case)
    if MissedVisit.objects.filter(case=case, planned_on=planned_on).exists():
        raise Conflict(
            "missed_visit_recorded",
            _("A missed visit on %(date)s is already recorded.")
            % {"date": planned_on.strftime("%d.%m.%Y")},
            details={"planned_on": [_("Already recorded.")]},
        )
    missed = MissedVisit(
        case=case,
        planned_on=planned_on,
        reason=reason,
        note=note.strip(),
        worker=worker or case.worker,
        recorded_by=audit.acting_user(actor),
    )
    validated(missed).save()
    audit.record(
        actor=actor,
        action=actions.VISIT_MISSED,
        obj=case,
        data={"reason": reason, "planned_on": planned_on},
        reason=note.strip(),
    )
    return missed


@dataclass(frozen=True)
class DayLine:
    """One recipient's line of a day's quick entry: the services delivered, or why not."""

    case: Case
    delivered: Sequence[tuple[ProgrammeItem, int, int | None]] = ()  # (item, units, minutes)
    missed_reason: str = ""
    note: str = ""


@transaction.atomic
def day_record(
    *, actor: Actor, worker: Employee, day: dt.date, lines: Sequence[DayLine]
) -> dict[str, int]:
    """A social worker's whole day at once: every line or none. Returns the counts written."""
    delivered = missed = 0
    for line in lines:
        with _refusal_names("case", line.case.pk):
            if line.missed_reason:
                visit_miss(
                    actor=actor,
                    case=line.case,
                    planned_on=day,
                    reason=line.missed_reason,
                    note=line.note,
                    worker=worker,
                )
                missed += 1
            elif line.delivered:
                entries = [
                    DeliveryEntry(
                        item=item,
                        delivered_on=day,
                        quantity=units,
                        minutes=minutes,
                        worker=worker,
                        note=line.note,
                    )
                    for item, units, minutes in line.delivered
                ]
                delivered += len(deliveries_record(actor=actor, case=line.case, entries=entries))
    if not (delivered or missed):
        raise DomainError(
            "nothing_entered",
            _("Tick a delivered service or choose why a visit did not happen."),
        )
    return {"delivered": delivered, "missed": missed}


def _require_staff_of(employee: Employee, case: Case) -> None:
    """Whoever delivers or misses a visit is on the staff of the case's institution."""
    if not Employment.objects.filter(employee=employee, institution=case.institution_id).exists():
        raise DomainError(
            "not_staff_of_institution",
            _("%(employee)s does not work at %(institution)s.")
            % {"employee": employee, "institution": case.institution},
            details={"worker": [_("Choose a member of the institution's staff.")]},
        )


# --- Home care: the social worker of a case ---------------------------------------------------


def caseload_of(employee: Employee, *, excluding: Case | None = None) -> int:
    cases = Case.objects.filter(worker=employee, status__in=CASELOAD_STATUSES)
    if excluding is not None:
        cases = cases.exclude(pk=excluding.pk)
    return cases.count()


@transaction.atomic
def case_assign_worker(*, actor: Actor, case: Case, employee: Employee) -> Case:
    """Give the case to a home-care social worker of its institution, within her caseload
    limit. Her employment row is locked so two assignments cannot both take the last place."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case, "employee")
    today = _today()
    employment = (
        Employment.objects.select_for_update()
        .select_related("position")
        .filter(employee=employee, institution=case.institution, hired_on__lte=today)
        .exclude(left_on__lt=today)
        .first()
    )
    if employment is None or not employment.position.has_caseload:
        raise DomainError(
            "not_a_home_care_worker",
            _("%(employee)s is not a home-care social worker of %(institution)s.")
            % {"employee": employee, "institution": case.institution},
            details={"employee": [_("Choose a social worker of the institution.")]},
        )
    if case.worker_id == employee.pk:
        return case
    limit = employment.caseload_limit
    current = caseload_of(employee, excluding=case)
    # Checked whatever the case's status: a case given to her at the application counts as
    # soon as its programme is drawn up, and nothing asks again then.
    if limit is not None and current >= limit:
        raise Conflict(
            "caseload_full",
            ngettext(
                "%(employee)s already serves %(count)s recipient, her limit.",
                "%(employee)s already serves %(count)s recipients, her limit.",
                current,
            )
            % {"employee": employee, "count": current},
            details={"employee": [_("Choose another social worker.")]},
        )
    before = case.worker_id
    case.worker = employee
    case.save(update_fields=["worker", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.CASE_WORKER_SET,
        obj=case,
        changes={"worker": [before, employee.pk]},
        data={"worker": employee.full_name},
    )
    return case
