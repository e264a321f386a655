"""Every write of the institutions app: districts, institutions (details, capacity, status) and
their staff (employees, employments, training records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import (
    Conflict,
    DomainError,
    reject_unknown_fields,
    require_choice,
    validated,
)
from opora.core.permissions import has_permission

from . import audit_actions as actions
from .access import INSTITUTION_MANAGE
from .models import (
    District,
    Employee,
    Employment,
    Institution,
    InstitutionCapacity,
    InstitutionStatus,
    InstitutionStatusChange,
    Position,
    ServiceForm,
    TrainingRecord,
)

DISTRICT_FIELDS = ("code", "name", "name_en", "population")
INSTITUTION_FIELDS = (
    "code",
    "name",
    "name_en",
    "short_name",
    "kind",
    "parent",
    "district",
    "address",
    "phone",
    "email",
    "website",
    "opening_hours",
    "opened_on",
    "accessibility",
)
# What places an institution in the network: changed by administrators only, never by the
# manager of the institution.
STRUCTURAL_FIELDS = ("code", "kind", "parent")
STATUS_FIELDS = ("status", "status_since", "opened_on", "closed_on", "is_active")
# What the demo made up (``core.models.ExampleMark``): written when a record is created.
EXAMPLE_FIELDS = ("is_example", "example_note")
EMPLOYEE_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "personnel_number",
    "user",
    "phone",
    "email",
    "qualification",
)
EMPLOYMENT_FIELDS = ("position", "hired_on", "caseload_limit")
# A year of full-time work; more on one record is a typing error.
MAX_TRAINING_HOURS = 2000


# --- Shared steps -----------------------------------------------------------------------------


def _save_changes(
    *,
    actor: Actor,
    obj: models.Model,
    fields: dict[str, Any],
    audited: Iterable[str],
    action: str,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    before_save: Callable[[Any], None] | None = None,
    history_of: models.Model | None = None,
) -> dict[str, list[Any]]:
    """Set ``fields`` on ``obj`` (locked by the caller), run ``before_save`` on the result
    (checks that raise, derived fields), validate,
    save, and record what changed on the history of ``history_of`` (``obj`` itself unless
    said); a call that changes nothing records nothing."""
    audited = tuple(audited)
    before = audit.snapshot(obj, audited)
    many = {
        name: fields.pop(name) for name in list(fields) if obj._meta.get_field(name).many_to_many
    }
    for name, value in fields.items():
        setattr(obj, name, value)
    if before_save is not None:
        before_save(obj)
    validated(obj).save()
    for name, values in many.items():
        getattr(obj, name).set(values)
    return audit.record_changes(
        actor=actor,
        action=action,
        obj=history_of or obj,
        before=before,
        after=audit.snapshot(obj, audited),
        reason=reason,
        data=data,
    )


def _create(
    *,
    actor: Actor,
    obj: Any,
    audited: Iterable[str],
    action: str,
    many: Mapping[str, Iterable[Any]] | None = None,
) -> Any:
    """Validate and save a new ``obj``, set its many-to-many values, and record it with all its
    ``audited`` values as the change from nothing."""
    validated(obj).save()
    for name, values in (many or {}).items():
        getattr(obj, name).set(list(values))
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        changes=audit.diff({}, audit.snapshot(obj, audited)),
    )
    return obj


def _example_mark(is_example: bool, example_note: str) -> dict[str, Any]:
    """The two fields of ``ExampleMark``; a note says what of an example is made up, so it goes
    with the mark only."""
    note = " ".join(example_note.split())
    if note and not is_example:
        raise DomainError(
            "example_note_without_mark",
            _("Only a record marked as an example says what of it is made up."),
            details={"example_note": [_("Mark the record as an example, or leave this empty.")]},
        )
    return {"is_example": bool(is_example), "example_note": note}


def _require_code_free(model: type[models.Model], code: str, exclude_pk: Any = None) -> None:
    others = model._default_manager.filter(code=code)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise Conflict(
            "code_taken",
            _("The code %(code)s is already taken.") % {"code": code},
            details={"code": [_("Choose another code.")]},
        )


def _refuse_future(day: dt.date | None, field: str, message: str) -> None:
    if day is not None and day > timezone.localdate():
        rule = [_("Must not be in the future.")]
        raise DomainError(f"{field}_in_future", message, details={field: rule})


# --- Districts --------------------------------------------------------------------------------


@transaction.atomic
def district_create(
    *, actor: Actor, code: str, name: str, name_en: str = "", population: int | None = None
) -> District:
    _require_code_free(District, code)
    _check_population(population)
    return _create(
        actor=actor,
        obj=District(code=code, name=name, name_en=name_en, population=population),
        audited=DISTRICT_FIELDS,
        action=actions.DISTRICT_CREATED,
    )


@transaction.atomic
def district_update(
    *, actor: Actor, district: District, reason: str = "", **fields: Any
) -> District:
    reject_unknown_fields(fields, DISTRICT_FIELDS)
    district = District.objects.select_for_update().get(pk=district.pk)
    if "code" in fields:
        _require_code_free(District, fields["code"], exclude_pk=district.pk)
    if "population" in fields:
        _check_population(fields["population"])
    _save_changes(
        actor=actor,
        obj=district,
        fields=fields,
        audited=DISTRICT_FIELDS,
        action=actions.DISTRICT_UPDATED,
        reason=reason,
    )
    return district


def _check_population(population: int | None) -> None:
    if population is not None and population < 0:
        raise DomainError(
            "negative_population",
            _("A population cannot be negative."),
            details={"population": [_("Enter zero or more.")]},
        )


# --- Institutions -----------------------------------------------------------------------------


def descendant_ids(institution: Institution) -> set[int]:
    """The institutions below ``institution`` in the tree of parent bodies, level by level
    (one query per level; the network is a few levels deep)."""
    found: set[int] = set()
    frontier = {institution.pk}
    while frontier:
        children = set(
            Institution.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = children - found
        found |= children
    return found


def _check_parent(institution: Institution) -> None:
    parent_id = institution.parent_id
    if parent_id is None or institution.pk is None:
        return
    if parent_id == institution.pk or parent_id in descendant_ids(institution):
        raise DomainError(
            "parent_cycle",
            _("An institution cannot be placed under itself or under one of its own units."),
            details={"parent": [_("Choose a body above this institution.")]},
        )


def _check_dates(institution: Institution) -> None:
    opened, closed = institution.opened_on, institution.closed_on
    if opened and closed and closed < opened:
        raise DomainError(
            "closes_before_opening",
            _("An institution cannot close before it opens."),
            details={"opened_on": [_("The opening date is after the closing date.")]},
        )
    if institution.status != InstitutionStatus.PLANNED:
        _refuse_future(opened, "opened_on", _("The opening date is in the future."))


def _check_structural_change(actor: Actor, institution: Institution, fields: Mapping) -> None:
    """The code, kind and parent body are the network's structure: administrators change them,
    the manager of the institution does not (the system, with no actor, may)."""
    if has_permission(actor, INSTITUTION_MANAGE):
        return
    changed = [
        name
        for name in STRUCTURAL_FIELDS
        if name in fields
        and audit.to_jsonable(fields[name]) != audit.snapshot(institution, [name])[name]
    ]
    if changed:
        raise DomainError(
            "administrators_only",
            _("Only an administrator changes the code, kind or parent body of an institution."),
            details={name: [_("Only an administrator changes this.")] for name in changed},
            status=403,
        )


def _check_capacities(capacities: Mapping[str, int | None]) -> None:
    for form, value in capacities.items():
        if form not in ServiceForm.values:
            raise DomainError(
                "unknown_form",
                _("Unknown form of service: %(form)s.") % {"form": form},
                details={"capacities": [form]},
            )
        if value is not None and value < 0:
            raise DomainError(
                "negative_capacity",
                _("A capacity cannot be negative."),
                details={f"capacity_{form}": [_("Enter zero or more.")]},
            )


def _apply_capacities(
    actor: Actor, institution: Institution, capacities: Mapping[str, int | None]
) -> None:
    """Set the capacity per form; ``None`` removes a form the institution no longer offers.
    Each change is one audit entry naming the form."""
    existing = {c.form: c for c in InstitutionCapacity.objects.filter(institution=institution)}
    for form, value in capacities.items():
        current = existing.get(form)
        if value is None:
            if current is not None:
                current.delete()
                audit.record(
                    actor=actor,
                    action=actions.CAPACITY_REMOVED,
                    obj=institution,
                    data={"form": form},
                    changes={f"capacity_{form}": [current.capacity, None]},
                )
            continue
        if current is not None and current.capacity == value:
            continue
        InstitutionCapacity.objects.update_or_create(
            institution=institution, form=form, defaults={"capacity": value}
        )
        audit.record(
            actor=actor,
            action=actions.CAPACITY_SET,
            obj=institution,
            data={"form": form, "capacity": value},
            changes={f"capacity_{form}": [current.capacity if current else None, value]},
        )


@transaction.atomic
def institution_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    name_en: str = "",
    short_name: str = "",
    kind: Any = None,
    parent: Institution | None = None,
    district: District | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    opening_hours: str = "",
    opened_on: dt.date | None = None,
    status: str = InstitutionStatus.OPEN,
    accessibility: Iterable[Any] = (),
    capacities: Mapping[str, int | None] | None = None,
    is_example: bool = False,
    example_note: str = "",
) -> Institution:
    """Add an institution. Its first status is recorded from the opening date (today when not
    known); a new institution is planned, open or under renovation, never closed.
    ``is_example``/``example_note`` mark what the demo made up (a name, the hours)."""
    _require_code_free(Institution, code)
    if status not in InstitutionStatus.values or status == InstitutionStatus.CLOSED:
        raise DomainError(
            "invalid_status",
            _("A new institution is planned, open or under renovation."),
            details={"status": [_("Choose another status.")]},
        )
    _check_capacities(capacities or {})
    institution = Institution(
        code=code,
        name=name,
        name_en=name_en,
        short_name=short_name,
        kind=kind,
        parent=parent,
        district=district,
        address=address,
        phone=phone,
        email=email,
        website=website,
        opening_hours=opening_hours,
        opened_on=opened_on,
        status=status,
        status_since=opened_on if opened_on and status != InstitutionStatus.PLANNED else None,
        is_active=True,
        **_example_mark(is_example, example_note),
    )
    institution.status_since = institution.status_since or timezone.localdate()
    _check_dates(institution)
    _create(
        actor=actor,
        obj=institution,
        audited=INSTITUTION_FIELDS + STATUS_FIELDS + EXAMPLE_FIELDS,
        action=actions.INSTITUTION_CREATED,
        many={"accessibility": accessibility},
    )
    InstitutionStatusChange.objects.create(
        institution=institution, status=status, effective_on=institution.status_since
    )
    _apply_capacities(actor, institution, capacities or {})
    return institution


@transaction.atomic
def institution_update(
    *,
    actor: Actor,
    institution: Institution,
    reason: str = "",
    capacities: Mapping[str, int | None] | None = None,
    **fields: Any,
) -> Institution:
    """Change an institution's details; ``capacities`` maps a form of service to its capacity
    (``None`` removes the form). The status has its own service, ``institution_set_status``;
    ``is_active`` is kept as a shorthand for it: False closes the institution today, True
    reopens a closed one."""
    reject_unknown_fields(fields, (*INSTITUTION_FIELDS, "is_active"))
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    active = fields.pop("is_active", None)
    if active is not None and bool(active) != institution.is_active:
        _record_status(
            actor,
            institution,
            InstitutionStatus.OPEN if active else InstitutionStatus.CLOSED,
            None,
            reason,
        )
    _check_structural_change(actor, institution, fields)
    if "code" in fields:
        _require_code_free(Institution, fields["code"], exclude_pk=institution.pk)
    _check_capacities(capacities or {})

    def check(changed: Institution) -> None:
        _check_parent(changed)
        _check_dates(changed)

    _save_changes(
        actor=actor,
        obj=institution,
        fields=fields,
        audited=INSTITUTION_FIELDS,
        action=actions.INSTITUTION_UPDATED,
        reason=reason,
        before_save=check,
    )
    _opening_starts_the_history(institution)
    _apply_capacities(actor, institution, capacities or {})
    return institution


def _opening_starts_the_history(institution: Institution) -> None:
    """While an open institution has no status but its first, that status dates from the
    opening: an opening date entered later moves it (the first one was the day of entry)."""
    opened_on = institution.opened_on
    changes = list(institution.status_changes.all()[:2])
    if (
        opened_on is None
        or institution.status != InstitutionStatus.OPEN
        or len(changes) != 1
        or changes[0].effective_on == opened_on
    ):
        return
    InstitutionStatusChange.objects.filter(pk=changes[0].pk).update(effective_on=opened_on)
    Institution.objects.filter(pk=institution.pk).update(status_since=opened_on)
    institution.status_since = opened_on


@transaction.atomic
def institution_set_status(
    *,
    actor: Actor,
    institution: Institution,
    status: str,
    effective_on: dt.date | None = None,
    reason: str = "",
) -> InstitutionStatusChange:
    """Record a change of status from a day (today unless said), keeping the history. Closing
    sets the closing date; reopening clears it; the first opening of a planned institution
    sets its opening date. ``is_active`` follows: every status but closed."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    return _record_status(actor, institution, status, effective_on, reason)


def _record_status(
    actor: Actor,
    institution: Institution,
    status: str,
    effective_on: dt.date | None,
    reason: str,
) -> InstitutionStatusChange:
    """The change of status itself, on an institution locked by the caller."""
    effective_on = effective_on or timezone.localdate()
    require_choice(
        status,
        InstitutionStatus,
        field="status",
        code="invalid_status",
        message=_("Unknown status."),
        hint=_("Choose a status."),
    )
    if status == institution.status:
        raise Conflict(
            "status_unchanged",
            _("The institution is already %(status)s.")
            % {"status": InstitutionStatus(status).label},
            details={"status": [_("Choose another status.")]},
        )
    _refuse_future(
        effective_on, "effective_on", _("A change of status is recorded when it happens.")
    )
    if institution.status_since and effective_on < institution.status_since:
        raise DomainError(
            "status_before_current",
            _("The change cannot take effect before the current status, recorded from %(date)s.")
            % {"date": institution.status_since.strftime("%d.%m.%Y")},
            details={"effective_on": [_("Choose a later date.")]},
        )
    opened_on = institution.opened_on
    if status == InstitutionStatus.CLOSED and opened_on and effective_on < opened_on:
        raise DomainError(
            "closes_before_opening",
            _("An institution cannot close before it opens."),
            details={"effective_on": [_("Choose a date after the opening.")]},
        )
    fields: dict[str, Any] = {
        "status": status,
        "status_since": effective_on,
        "is_active": status != InstitutionStatus.CLOSED,
        "closed_on": effective_on if status == InstitutionStatus.CLOSED else None,
    }
    if status == InstitutionStatus.OPEN and (
        institution.opened_on is None or institution.status == InstitutionStatus.PLANNED
    ):
        # A planned institution's opening date was a plan; the day it opens is the fact.
        fields["opened_on"] = effective_on
    change = InstitutionStatusChange.objects.create(
        institution=institution, status=status, effective_on=effective_on, reason=reason[:300]
    )
    _save_changes(
        actor=actor,
        obj=institution,
        fields=fields,
        audited=STATUS_FIELDS,
        action=actions.STATUS_CHANGED,
        reason=reason,
        data={"status": status, "effective_on": effective_on.isoformat()},
    )
    return change


# --- Staff ------------------------------------------------------------------------------------


def _require_personnel_number_free(number: str | None, exclude_pk: Any = None) -> None:
    if not number:
        return
    others = Employee.objects.filter(personnel_number=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise Conflict(
            "personnel_number_taken",
            _("The personnel number %(number)s belongs to another employee.") % {"number": number},
            details={"personnel_number": [_("Already in use.")]},
        )


def _require_account_free(user: Any, exclude_pk: Any = None) -> None:
    if user is None:
        return
    others = Employee.objects.filter(user=user)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise Conflict(
            "account_taken",
            _("This account already belongs to another employee."),
            details={"user": [_("Choose another account.")]},
        )


def search_name(*parts: str | None) -> str:
    """What the staff search compares: lower case, ё as е, single spaces."""
    return " ".join(" ".join(p for p in parts if p).lower().replace("ё", "е").split())


def _fill_search_name(employee: Employee) -> None:
    employee.search_name = search_name(
        employee.last_name, employee.first_name, employee.patronymic, employee.personnel_number
    )


def _tidy_names(fields: dict[str, Any]) -> None:
    for name in ("last_name", "first_name", "patronymic"):
        if name in fields and fields[name] is not None:
            fields[name] = " ".join(str(fields[name]).split())
    if "personnel_number" in fields:
        fields["personnel_number"] = (fields["personnel_number"] or "").strip() or None


@transaction.atomic
def employee_create(
    *,
    actor: Actor,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    personnel_number: str | None = None,
    user: Any = None,
    phone: str = "",
    email: str = "",
    qualification: str = "",
) -> Employee:
    fields: dict[str, Any] = {
        "last_name": last_name,
        "first_name": first_name,
        "patronymic": patronymic,
        "personnel_number": personnel_number,
        "user": user,
        "phone": phone.strip(),
        "email": email.strip(),
        "qualification": qualification.strip(),
    }
    _tidy_names(fields)
    _require_personnel_number_free(fields["personnel_number"])
    _require_account_free(user)
    employee = Employee(**fields)
    _fill_search_name(employee)
    return _create(
        actor=actor, obj=employee, audited=EMPLOYEE_FIELDS, action=actions.EMPLOYEE_CREATED
    )


@transaction.atomic
def employee_update(
    *, actor: Actor, employee: Employee, reason: str = "", **fields: Any
) -> Employee:
    reject_unknown_fields(fields, EMPLOYEE_FIELDS)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _tidy_names(fields)
    if "personnel_number" in fields:
        _require_personnel_number_free(fields["personnel_number"], exclude_pk=employee.pk)
    if "user" in fields:
        _require_account_free(fields["user"], exclude_pk=employee.pk)
    _save_changes(
        actor=actor,
        obj=employee,
        fields=fields,
        audited=EMPLOYEE_FIELDS,
        action=actions.EMPLOYEE_UPDATED,
        reason=reason,
        before_save=_fill_search_name,
    )
    return employee


def _check_caseload(position: Position, caseload_limit: int | None) -> None:
    if caseload_limit is None:
        return
    if not position.has_caseload:
        raise DomainError(
            "caseload_not_applicable",
            _("Only a position serving people at home has a caseload limit."),
            details={"caseload_limit": [_("Leave empty for this position.")]},
        )
    if caseload_limit < 1:
        raise DomainError(
            "caseload_too_small",
            _("A caseload limit is at least one person."),
            details={"caseload_limit": [_("Enter one or more.")]},
        )


def _check_employment_period(employment: Employment) -> None:
    if employment.left_on and employment.left_on < employment.hired_on:
        raise DomainError(
            "leaves_before_hiring",
            _("An employee cannot leave before being hired."),
            details={"left_on": [_("The leaving date is before the hiring date.")]},
        )
    overlapping = Employment.objects.filter(
        employee_id=employment.employee_id, institution_id=employment.institution_id
    ).filter(models.Q(left_on__isnull=True) | models.Q(left_on__gte=employment.hired_on))
    if employment.left_on is not None:
        overlapping = overlapping.filter(hired_on__lte=employment.left_on)
    if employment.pk is not None:
        overlapping = overlapping.exclude(pk=employment.pk)
    if overlapping.exists():
        raise Conflict(
            "employment_overlaps",
            _("%(employee)s already works at %(institution)s during this period.")
            % {"employee": employment.employee, "institution": employment.institution},
            details={"hired_on": [_("The periods overlap.")]},
        )


def _employment_data(employment: Employment) -> dict[str, Any]:
    return {
        "institution": employment.institution.code,
        "position": employment.position.code,
        "employment_id": employment.pk,
    }


@transaction.atomic
def employment_add(
    *,
    actor: Actor,
    employee: Employee,
    institution: Institution,
    position: Position,
    hired_on: dt.date,
    caseload_limit: int | None = None,
) -> Employment:
    """Record that an employee works at an institution in a position from ``hired_on``."""
    # Read from the database: the caller's copy may predate a closing.
    if Institution.objects.filter(pk=institution.pk, status=InstitutionStatus.CLOSED).exists():
        raise DomainError(
            "institution_closed",
            _("%(institution)s is closed: nobody is hired there.") % {"institution": institution},
            details={"institution": [_("Choose an institution that is not closed.")]},
        )
    _check_caseload(position, caseload_limit)
    employment = Employment(
        employee=employee,
        institution=institution,
        position=position,
        hired_on=hired_on,
        caseload_limit=caseload_limit,
    )
    _check_employment_period(employment)
    validated(employment).save()
    audit.record(
        actor=actor,
        action=actions.EMPLOYEE_HIRED,
        obj=employee,
        data={**_employment_data(employment), "hired_on": hired_on.isoformat()},
    )
    return employment


@transaction.atomic
def employee_hire(
    *,
    actor: Actor,
    institution: Institution,
    position: Position,
    hired_on: dt.date,
    caseload_limit: int | None = None,
    **employee_fields: Any,
) -> Employee:
    """A new employee and her first employment, together or not at all."""
    employee = employee_create(actor=actor, **employee_fields)
    employment_add(
        actor=actor,
        employee=employee,
        institution=institution,
        position=position,
        hired_on=hired_on,
        caseload_limit=caseload_limit,
    )
    return employee


@transaction.atomic
def employment_update(
    *, actor: Actor, employment: Employment, reason: str = "", **fields: Any
) -> Employment:
    reject_unknown_fields(fields, EMPLOYMENT_FIELDS)
    employment = Employment.objects.select_for_update().get(pk=employment.pk)

    def check(changed: Employment) -> None:
        _check_caseload(changed.position, changed.caseload_limit)
        _check_employment_period(changed)

    _save_changes(
        actor=actor,
        obj=employment,
        fields=fields,
        audited=EMPLOYMENT_FIELDS,
        action=actions.EMPLOYMENT_UPDATED,
        reason=reason,
        data=_employment_data(employment),
        before_save=check,
        history_of=employment.employee,
    )
    return employment


@transaction.atomic
def employment_end(
    *, actor: Actor, employment: Employment, left_on: dt.date, reason: str = ""
) -> Employment:
    employment = (
        Employment.objects.select_for_update()
        .select_related("employee", "institution", "position")
        .get(pk=employment.pk)
    )
    if employment.left_on is not None:
        raise Conflict(
            "already_left",
            _("This employment already ended on %(date)s.")
            % {"date": employment.left_on.strftime("%d.%m.%Y")},
        )
    employment.left_on = left_on
    _check_employment_period(employment)
    validated(employment).save(update_fields=["left_on", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.EMPLOYEE_LEFT,
        obj=employment.employee,
        reason=reason,
        changes={"left_on": [None, left_on]},
        data={**_employment_data(employment), "left_on": left_on.isoformat()},
    )
    return employment


@transaction.atomic
def training_record(
    *,
    actor: Actor,
    employee: Employee,
    title: str,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    hours: int | None = None,
    organiser: str = "",
    certificate: str = "",
    source: str = "",
    external_ref: str = "",
    is_example: bool = False,
    example_note: str = "",
) -> TrainingRecord:
    """Record a training, seminar or exchange. ``external_ref`` lets another app (cooperation)
    find the records it attached; ``source`` says where the record came from in words;
    ``is_example``/``example_note`` mark what the demo made up (who took part, the hours)."""
    if ended_on is not None and ended_on < started_on:
        raise DomainError(
            "ends_before_start",
            _("A training cannot end before it starts."),
            details={"ended_on": [_("Must be on or after the start date.")]},
        )
    if hours is not None and not 1 <= hours <= MAX_TRAINING_HOURS:
        raise DomainError(
            "invalid_hours",
            _("The hours of a training are between 1 and %(max)s.") % {"max": MAX_TRAINING_HOURS},
            details={"hours": [_("Check the number of hours.")]},
        )
    record = validated(
        TrainingRecord(
            employee=employee,
            title=" ".join(title.split()),
            kind=kind,
            started_on=started_on,
            ended_on=ended_on,
            hours=hours,
            organiser=organiser.strip(),
            certificate=certificate.strip(),
            source=source.strip(),
            external_ref=external_ref.strip(),
            **_example_mark(is_example, example_note),
        )
    )
    record.save()
    audit.record(
        actor=actor,
        action=actions.TRAINING_RECORDED,
        obj=employee,
        data={"title": record.title, "kind": kind, "training_id": record.pk},
    )
    return record
