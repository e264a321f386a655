"""A home-care worker's day in one action: every planned visit not yet recorded is recorded as
delivered as planned, except the visits the worker marks otherwise (not delivered and why,
partly delivered, an extra service of the programme)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, NotFound
from opora.institutions.models import Employee

from .. import audit_actions as actions
from ..models import Delivery, MissedVisit, ProgrammeItem
from ..selectors import Visit, day_sheet, home_care_workers
from .common import _locked, _not_future
from .delivery import DeliveryEntry, _record_deliveries, _refusal_names, visit_miss

__all__ = ["DayConfirmed", "VisitException", "day_confirm"]


@dataclass(frozen=True)
class VisitException:
    """A visit that did not go as planned. ``units`` maps a planned service (its programme
    item's id) to the units delivered, 0 for a service not delivered; a planned service not
    named is delivered as planned. ``extra`` are services of the programme delivered besides."""

    case_pk: int
    missed_reason: str = ""
    note: str = ""
    units: Mapping[int, int] = field(default_factory=dict)
    extra: Sequence[tuple[ProgrammeItem, int]] = ()


@dataclass(frozen=True)
class DayConfirmed:
    delivered: int = 0
    missed: int = 0
    already_recorded: int = 0

    @property
    def written(self) -> bool:
        return bool(self.delivered or self.missed)


def _entries(
    visit: Visit, exception: VisitException | None, day: dt.date, worker: Employee
) -> list[DeliveryEntry]:
    """What the visit delivered: every planned service once, unless the exception says
    otherwise, and the extra services."""
    units = exception.units if exception else {}
    planned = {line.item.pk: line.item for line in visit.items}
    unknown = set(units) - set(planned)
    if unknown:
        raise DomainError(
            "service_not_planned",
            _("Only the services planned for this visit can be changed."),
            details={"units": [_("Choose a service of the visit.")]},
        )
    note = exception.note if exception else ""
    entries: list[tuple[ProgrammeItem, int]] = []
    for pk, item in planned.items():
        quantity = units.get(pk, 1)
        if quantity < 0:
            raise DomainError(
                "quantity_negative",
                _("Enter 0 for a service not delivered, or the units delivered."),
                details={"units": [_("Enter 0 or more.")]},
            )
        if quantity:
            entries.append((item, quantity))
    entries.extend(exception.extra if exception else ())
    return [
        DeliveryEntry(
            item=item,
            delivered_on=day,
            quantity=quantity,
            minutes=_minutes(item, quantity),
            worker=worker,
            note=note,
        )
        for item, quantity in entries
    ]


def _minutes(item: ProgrammeItem, quantity: int) -> int | None:
    standard = item.service.standard_duration_minutes
    return standard * quantity if standard else None


def _recorded_meanwhile(case_pk: int, day: dt.date) -> bool:
    """Read under the case's lock: a second press, or another page, recorded the visit after
    the day sheet was read."""
    return (
        Delivery.objects.filter(case=case_pk, delivered_on=day).exists()
        or MissedVisit.objects.filter(case=case_pk, planned_on=day).exists()
    )


@transaction.atomic
def day_confirm(
    *,
    actor: Actor,
    worker: Employee,
    day: dt.date,
    exceptions: Sequence[VisitException] = (),
) -> DayConfirmed:
    """Record the day's visits of ``worker`` not yet recorded: as planned, or as an exception
    says. Every visit or none; a visit already recorded is left alone, so confirming twice
    records nothing twice. A worker outside the actor's institutions does not exist for her."""
    if not home_care_workers(actor=actor).filter(pk=worker.pk).exists():
        raise NotFound("not_found", _("No such social worker."))
    _not_future(day, "day")
    visits = day_sheet(actor=actor, employee=worker, day=day)
    by_case = {visit.case.pk: visit for visit in visits}
    marked = {exception.case_pk: exception for exception in exceptions}
    stray = set(marked) - set(by_case)
    if stray:
        raise NotFound(
            "visit_not_planned",
            _("No visit of this day is planned for that recipient."),
            details={"case": sorted(stray)},
        )
    delivered = missed = already = 0
    for visit in visits:
        case = _locked(visit.case)
        exception = marked.get(case.pk)
        if visit.recorded or _recorded_meanwhile(case.pk, day):
            already += 1
            if exception is not None:
                raise DomainError(
                    "visit_recorded",
                    _("The visit to %(person)s is already recorded.")
                    % {"person": visit.case.person.full_name},
                    details={"case": case.pk},
                )
            continue
        with _refusal_names("case", case.pk):
            if exception is not None and exception.missed_reason:
                if exception.extra or any(exception.units.values()):
                    raise DomainError(
                        "missed_and_delivered",
                        _("A visit that did not happen delivered nothing."),
                        details={"missed_reason": [_("Choose a reason or the services.")]},
                    )
                visit_miss(
                    actor=actor,
                    case=case,
                    planned_on=day,
                    reason=exception.missed_reason,
                    note=exception.note,
                    worker=worker,
                )
                missed += 1
                continue
            entries = _entries(visit, exception, day, worker)
            if not entries:
                raise DomainError(
                    "reason_missing",
                    _("Nothing was delivered to %(person)s: choose why the visit did not happen.")
                    % {"person": visit.case.person.full_name},
                    details={"missed_reason": [_("Choose a reason.")]},
                )
            delivered += len(_record_deliveries(actor=actor, case=case, entries=entries))
    result = DayConfirmed(delivered=delivered, missed=missed, already_recorded=already)
    if result.written:
        audit.record(
            actor=actor,
            action=actions.DAY_CONFIRMED,
            obj=worker,
            data={"day": day, "delivered": delivered, "missed": missed},
        )
    return result
