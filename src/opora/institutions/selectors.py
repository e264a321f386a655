"""Every read of the institutions app a page or endpoint needs, scoped to the actor.

Institutions and districts are not personal data: analysts see them all, staff see their own
institutions. Employees are: staff see the colleagues of their own institutions, analysts
only the counts (``staff_counts``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from opora.core.actors import Actor
from opora.core.models import User
from opora.core.permissions import has_permission
from opora.core.scoping import Reach, Scope

from .access import STAFF_PERSONAL_DATA_VIEW
from .models import (
    AccessibilityFeature,
    District,
    Employee,
    Employment,
    Institution,
    InstitutionCapacity,
    InstitutionKind,
    InstitutionStatus,
    InstitutionStatusChange,
    Position,
    ServiceForm,
    TrainingRecord,
    capacity_unit,
)
from .services import search_name

# --- Institutions -----------------------------------------------------------------------------


def current_on(day: dt.date | None = None, prefix: str = "") -> Q:
    """Employments in force on ``day`` (today by default): hired by then and not yet left
    (``left_on`` is the last working day)."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}hired_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day})
    )


def _count(queryset: QuerySet, group: str, counted: str = "pk") -> Coalesce:
    """A correlated COUNT of ``queryset`` rows whose ``group`` is the outer row, distinct."""
    counted_rows = (
        queryset.filter(**{group: OuterRef("pk")})
        .order_by()
        .values(group)
        .annotate(n=Count(counted, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted_rows, output_field=IntegerField()), 0)


def _visible_institutions(actor: Actor) -> QuerySet:
    return Scope.of(actor).rows(Institution.objects.all(), via="pk", personal=False)


def institution_list(
    *,
    actor: Actor,
    q: str = "",
    active: bool | None = None,
    district: int | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet:
    """The institutions the actor may see, with their number of accounts and of staff today;
    ``kind`` is a kind's code, ``district`` a district's id."""
    qs = _visible_institutions(actor).select_related("kind", "district")
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(short_name__icontains=q)
            | Q(code__icontains=q)
        )
    if active is not None:
        qs = qs.filter(is_active=active)
    if district:
        qs = qs.filter(district_id=district)
    if kind:
        qs = qs.filter(kind__code=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        member_count=Count("members", distinct=True),
        staff_count=_count(Employment.objects.filter(current_on()), "institution", "employee"),
    )


def institution_get(*, actor: Actor, pk: int) -> Institution:
    qs = (
        institution_list(actor=actor)
        .select_related("parent")
        .prefetch_related(
            "accessibility",
            Prefetch("capacities", InstitutionCapacity.objects.order_by("form")),
        )
    )
    return get_object_or_404(qs, pk=pk)


def institution_by_id(pk: int) -> Institution:
    """Any institution by its id, or 404: what another institution's record may point to (a
    parent body, a provider entry) whoever the actor is; whether she may act on it is the
    service's to say (403), not hidden as if it did not exist."""
    return get_object_or_404(Institution, pk=pk)


def district_by_id(pk: int) -> District:
    return get_object_or_404(District, pk=pk)


def editable_institutions(*, actor: Actor) -> QuerySet:
    """The institutions the actor may change: all for administrators, her own for a manager.
    Row by row (``personal=True``), so an analyst's reach over all institutions does not count."""
    return Scope.of(actor).rows(Institution.objects.all(), via="pk", personal=True)


def institution_get_editable(*, actor: Actor, pk: int) -> Institution:
    return get_object_or_404(editable_institutions(actor=actor).select_related("kind"), pk=pk)


def institution_is_editable(*, actor: Actor, institution_id: int) -> bool:
    return editable_institutions(actor=actor).filter(pk=institution_id).exists()


def institution_choices(*, actor: Actor) -> QuerySet:
    return _visible_institutions(actor).filter(is_active=True).order_by("name")


def children_of(*, actor: Actor, institution: Institution) -> QuerySet:
    return _visible_institutions(actor).filter(parent=institution).order_by("name")


def status_history(institution: Institution) -> QuerySet:
    return InstitutionStatusChange.objects.filter(institution=institution)


# --- Status on a date -------------------------------------------------------------------------
# The status an institution had on a day is read from its history of status changes: the last
# change that took effect by then. An institution without any recorded change (rows written
# before the history was kept) has its current status from ``status_since`` (or always, when
# that is not known). Before its recorded history begins nothing is known: not closed.


def institution_status_on(institution: Institution, on: dt.date | None = None) -> str | None:
    """The status of ``institution`` on ``on`` (today by default): planned before the day it
    opened, or None when nothing is recorded for that day (before its history begins)."""
    day = on or timezone.localdate()
    changes = InstitutionStatusChange.objects.filter(institution=institution)
    change = changes.filter(effective_on__lte=day).order_by("-effective_on", "-pk").first()
    if change is not None:
        return change.status
    if institution.opened_on is not None and day < institution.opened_on:
        return InstitutionStatus.PLANNED
    if changes.exists():
        return None
    since = institution.status_since
    return institution.status if since is None or since <= day else None


def institution_is_closed_on(institution: Institution, on: dt.date | None = None) -> bool:
    """Whether the institution was (is) closed on ``on`` (today by default)."""
    return institution_status_on(institution, on) == InstitutionStatus.CLOSED


def institution_is_open_on(institution: Institution, on: dt.date | None = None) -> bool:
    """Whether the institution was (is) open on ``on``: neither planned, under renovation nor
    closed."""
    return institution_status_on(institution, on) == InstitutionStatus.OPEN


def institutions_closed_on(on: dt.date | None = None, prefix: str = "") -> Q:
    """A filter keeping rows whose institution (reached through ``prefix``, e.g.
    ``"institution__"``) was closed on ``on`` (today by default), read as
    ``institution_status_on`` reads it, in the database."""
    day = on or timezone.localdate()
    outer = OuterRef(f"{prefix}pk")
    latest = (
        InstitutionStatusChange.objects.filter(institution=outer, effective_on__lte=day)
        .order_by("-effective_on", "-pk")
        .values("status")[:1]
    )
    # Coalesced, so a day before the history begins compares as "not closed", never as NULL
    # (which the negation below would drop instead of keeping).
    status_then = Coalesce(Subquery(latest, output_field=CharField()), Value(""))
    without_history = ~Exists(InstitutionStatusChange.objects.filter(institution=outer))
    current_since = Q(**{f"{prefix}status_since__isnull": True}) | Q(
        **{f"{prefix}status_since__lte": day}
    )
    return Q(Exact(status_then, InstitutionStatus.CLOSED)) | (
        Q(without_history) & Q(**{f"{prefix}status": InstitutionStatus.CLOSED}) & current_since
    )


def institutions_not_closed_on(on: dt.date | None = None, prefix: str = "") -> Q:
    """A filter keeping rows whose institution (through ``prefix``) was not closed on ``on``
    (today by default): open, under renovation, planned, or before its history begins."""
    return ~institutions_closed_on(on, prefix)


def capacity_rows(institution: Institution) -> list[dict[str, Any]]:
    """The capacity per form of service the institution offers, in the order of the forms."""
    by_form = {c.form: c.capacity for c in institution.capacities.all()}
    return [
        {"form": form, "label": label, "capacity": by_form[form], "unit": capacity_unit(form)}
        for form, label in ServiceForm.choices
        if form in by_form
    ]


def kinds() -> QuerySet:
    return InstitutionKind.objects.all()


def accessibility_features() -> QuerySet:
    return AccessibilityFeature.objects.all()


def positions() -> QuerySet:
    return Position.objects.all()


def reference_by_code(model: type[Model], code: str) -> Any:
    """A row of reference data (a kind, a feature, a position) by its code, or None."""
    return model._default_manager.filter(code=code).first()


def district_by_code(code: str) -> District | None:
    return District.objects.filter(code=code).first()


def linkable_accounts(*, actor: Actor) -> QuerySet:
    """The accounts an employee record may be linked to: those of the actor's institutions."""
    return Scope.of(actor).rows(User.objects.all(), via="institutions", many=True)


# --- Districts --------------------------------------------------------------------------------


def district_list(*, actor: Actor, q: str = "") -> QuerySet:
    """Districts are reference data every member of staff may read; each carries the number of
    institutions in it that the actor sees."""
    if Scope.of(actor).reach is Reach.NOTHING:
        return District.objects.none()
    qs = District.objects.all()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q) | Q(code__icontains=q))
    return qs.annotate(institution_count=_count(_visible_institutions(actor), "district"))


def district_get(*, actor: Actor, pk: int) -> District:
    return get_object_or_404(district_list(actor=actor), pk=pk)


# --- Staff ------------------------------------------------------------------------------------


def employees(*, actor: Actor) -> QuerySet:
    """The employees the actor may see: those who work or worked at her institutions."""
    return Scope.of(actor).rows(Employee.objects.all(), via="employments__institution", many=True)


def _employments_prefetch() -> Prefetch:
    """An employee's employments, those still open first, then the latest."""
    return Prefetch(
        "employments",
        Employment.objects.select_related("institution", "position").order_by(
            F("left_on").desc(nulls_first=True), "-hired_on", "pk"
        ),
    )


def employee_list(
    *,
    actor: Actor,
    q: str = "",
    institution: int | None = None,
    position: str = "",
    active: bool | None = None,
    on: dt.date | None = None,
) -> QuerySet:
    """Employees in scope. ``institution`` (an id) and ``position`` (a code) choose those with
    such an employment; ``active`` those whose employment is (or is not) in force ``on`` the
    day, at that institution when one is given."""
    qs = employees(actor=actor)
    for word in search_name(q).split():
        qs = qs.filter(search_name__contains=word)
    matching = Employment.objects.filter(employee=OuterRef("pk"))
    if institution:
        matching = matching.filter(institution_id=institution)
    if position:
        matching = matching.filter(position__code=position)
    if institution or position:
        qs = qs.filter(Exists(matching))
    if active is not None:
        in_force = Exists(matching.filter(current_on(on)))
        qs = qs.filter(in_force if active else ~in_force)
    return qs.select_related("user").prefetch_related(_employments_prefetch())


def employee_get(*, actor: Actor, pk: int) -> Employee:
    return get_object_or_404(employee_list(actor=actor), pk=pk)


def employee_is_editable(*, actor: Actor, employee: Employee) -> bool:
    """A manager changes the records of the people who work at her institutions now (or are
    about to); former staff stay readable but are no longer hers to change."""
    scope = Scope.of(actor)
    if scope.sees_everything:
        return True
    return Employment.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=timezone.localdate()),
        employee=employee,
        institution__in=editable_institutions(actor=actor),
    ).exists()


def employee_get_editable(*, actor: Actor, pk: int) -> Employee:
    """An employee the actor changes: not found outside her scope, refused (403) when she sees
    the employee but may not change the record (former staff)."""
    employee = employee_get(actor=actor, pk=pk)
    if not employee_is_editable(actor=actor, employee=employee):
        raise PermissionDenied
    return employee


def employment_get_editable(*, actor: Actor, employee_pk: int, pk: int) -> Employment:
    """An employment the actor changes: of an employee in her scope (else 404), at one of the
    institutions she may change (else 403: she sees it but it is another's to change)."""
    employee = employee_get(actor=actor, pk=employee_pk)
    employment = get_object_or_404(
        Employment.objects.select_related("employee", "institution", "position"),
        pk=pk,
        employee=employee,
    )
    if not institution_is_editable(actor=actor, institution_id=employment.institution_id):
        raise PermissionDenied
    return employment


def institution_ids(*, actor: Actor, among: set[int], editable: bool = False) -> set[int]:
    """Which of the institutions ``among`` the actor sees (or, with ``editable``, may change):
    the others are named on a page but not linked or offered for change."""
    allowed = editable_institutions(actor=actor) if editable else _visible_institutions(actor)
    return set(allowed.filter(pk__in=among).values_list("pk", flat=True))


def staff_of(*, actor: Actor, institution: Institution, on: dt.date | None = None) -> QuerySet:
    """The employments in force at one institution (the staff tab), for those who see staff."""
    return (
        Employment.objects.filter(current_on(on), institution=institution)
        .filter(employee__in=employees(actor=actor).values("pk"))
        .select_related("employee", "position")
    )


def phone_for(actor: Actor, employee: Employee) -> str:
    """An employee's phone as the actor may see it: whole for roles that need it, else only its
    last two digits."""
    if not employee.phone:
        return ""
    if has_permission(actor, STAFF_PERSONAL_DATA_VIEW):
        return employee.phone
    return f"•••• ••{employee.phone[-2:]}"


def trainings_of(employee: Employee) -> QuerySet:
    return TrainingRecord.objects.filter(employee=employee)


def training_list(
    *,
    actor: Actor,
    institution: int | None = None,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    external_ref: str = "",
) -> QuerySet:
    """Training records of the employees in scope; ``institution`` chooses the records of the
    people who work or worked there."""
    qs = TrainingRecord.objects.filter(employee__in=employees(actor=actor).values("pk"))
    if institution:
        qs = qs.filter(employee__employments__institution_id=institution).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(
            Q(ended_on__gte=date_from) | Q(ended_on__isnull=True, started_on__gte=date_from)
        )
    if date_to:
        qs = qs.filter(started_on__lte=date_to)
    if external_ref:
        qs = qs.filter(external_ref=external_ref)
    return qs.select_related("employee")


# --- Staff counts -----------------------------------------------------------------------------


def _display(row: dict[str, Any], prefix: str) -> str:
    """The bilingual name of a ``values()`` row, as ``BilingualName.display_name`` reads it."""
    english = row.get(f"{prefix}name_en")
    return english if get_language() != "ru" and english else row[f"{prefix}name"]


def staff_counts(
    *, actor: Actor, on: dt.date | None = None, institution: int | None = None
) -> dict[str, Any]:
    """How many people work on ``on`` (today), in total and per institution and position.
    Counts are not personal: analysts count the whole department, staff their institutions.
    A person working at two institutions counts once in the total and once in each."""
    employments = Scope.of(actor).aggregates(
        Employment.objects.filter(current_on(on)), via="institution"
    )
    if institution:
        employments = employments.filter(institution_id=institution)
    # The names are functionally dependent on the ids: grouping by them changes no count.
    by_institution = (
        employments.values(
            "institution_id", "institution__code", "institution__name", "institution__name_en"
        )
        .annotate(staff=Count("employee", distinct=True))
        .order_by("-staff", "institution__name")
    )
    by_position = (
        employments.values("position__code", "position__name", "position__name_en")
        .annotate(staff=Count("employee", distinct=True))
        .order_by("-staff", "position__name")
    )
    return {
        "on": on or timezone.localdate(),
        "total": employments.values("employee").distinct().count(),
        "by_institution": [
            {
                "institution_id": row["institution_id"],
                "code": row["institution__code"],
                "name": _display(row, "institution__"),
                "staff": row["staff"],
            }
            for row in by_institution
        ],
        "by_position": [
            {
                "code": row["position__code"],
                "name": _display(row, "position__"),
                "staff": row["staff"],
            }
            for row in by_position
        ],
    }


def access_outliving_employment(employee: Employee) -> list[Institution]:
    """The institutions the employee's account still opens though she no longer works there:
    leaving is recorded here, the account is changed by an administrator."""
    user = employee.user
    if user is None:
        return []
    working = {e.institution_id for e in employee.current_employments}
    return [i for i in user.institutions.all() if i.pk not in working]
