"""Reads of applications, evaluations, assignments and overpayments, scoped to the actor's
institutions (analysts: aggregates only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core.actors import Actor
from opora.core.scoping import Scope
from opora.registry.models import Household, Person
from opora.registry.names import search_key
from opora.registry.selectors import people

from ..models import (
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Evaluation,
    Measure,
    Overpayment,
    OverpaymentStatus,
)

__all__ = [
    "application_get",
    "applications",
    "assignment_get",
    "assignments",
    "evaluations_of",
    "household_measures",
    "overpayments",
    "people_named_in",
    "person_measures",
    "statistics",
]


def _applications(actor: Actor) -> QuerySet[Application]:
    return Scope.of(actor).rows(Application.objects.all(), via="institution")


def applications(
    *,
    actor: Actor,
    status: str = "",
    measure: Measure | int | None = None,
    institution: Any = None,
    overdue: bool = False,
    q: str = "",
) -> QuerySet[Application]:
    qs = _applications(actor).select_related(
        "measure", "version", "person", "household", "institution", "decision"
    )
    if status:
        qs = qs.filter(status=status)
    if measure:
        qs = qs.filter(measure=measure)
    if institution:
        qs = qs.filter(institution=institution)
    if overdue:
        qs = qs.filter(status=ApplicationStatus.SUBMITTED, due_on__lt=timezone.localdate())
    text = q.strip()
    if text.lstrip("№ ").isdigit():
        qs = qs.filter(pk=int(text.lstrip("№ ")))
    elif text:
        key = search_key(text)
        qs = qs.filter(person__search_key__contains=key) if key else qs
    return qs.order_by("-applied_on", "-pk")


def application_get(*, actor: Actor, pk: int) -> Application:
    qs = (
        applications(actor=actor)
        .select_related("decision__decided_by", "decision__evaluation", "assignment")
        .prefetch_related("files")
    )
    return get_object_or_404(qs, pk=pk)


def evaluations_of(*, actor: Actor, application: Application) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.filter(application=application).select_related(
        "version", "evaluated_by"
    )
    return Scope.of(actor).rows(qs, via="application__institution").order_by("-evaluated_at", "-pk")


def assignments(
    *,
    actor: Actor,
    status: str = "",
    measure: Measure | int | None = None,
    person: Person | int | None = None,
) -> QuerySet[Assignment]:
    qs = (
        Scope.of(actor)
        .rows(Assignment.objects.all(), via="institution")
        .select_related("measure", "version", "person", "household", "institution", "application")
    )
    if status:
        qs = qs.filter(status=status)
    if measure:
        qs = qs.filter(measure=measure)
    if person:
        qs = qs.filter(person=person)
    return qs.order_by("-starts_on", "-pk")


def assignment_get(*, actor: Actor, pk: int) -> Assignment:
    qs = assignments(actor=actor).prefetch_related(
        Prefetch(
            "events",
            AssignmentEvent.objects.select_related("recorded_by", "evaluation").order_by(
                "on", "recorded_at", "pk"
            ),
        ),
        "overpayments",
    )
    return get_object_or_404(qs, pk=pk)


def overpayments(*, actor: Actor, status: str = "") -> QuerySet[Overpayment]:
    qs = Scope.of(actor).rows(
        Overpayment.objects.select_related("assignment__measure", "assignment__person"),
        via="assignment__institution",
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-found_on", "-pk")


def person_measures(*, actor: Actor, person: Person) -> dict[str, Any]:
    """What the person's page shows: her applications and assignments the actor may see."""
    return {
        "applications": list(applications(actor=actor).filter(person=person)),
        "assignments": list(assignments(actor=actor, person=person)),
    }


def household_measures(*, actor: Actor, household: Household) -> dict[str, Any]:
    """The household's applications and assignments (of household measures) the actor may see."""
    return {
        "applications": list(applications(actor=actor).filter(household=household)),
        "assignments": list(assignments(actor=actor).filter(household=household)),
    }


def statistics(*, actor: Actor) -> dict[str, Any]:
    """Counts for the dashboard: applications and assignments by status, and the applications
    whose decision is overdue (analysts and administrators count the whole department)."""
    scope = Scope.of(actor)
    today = timezone.localdate()
    by_status = dict(
        scope.aggregates(Application.objects.all(), via="institution")
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    overdue = (
        scope.aggregates(Application.objects.all(), via="institution")
        .filter(status=ApplicationStatus.SUBMITTED, due_on__lt=today)
        .count()
    )
    assigned = dict(
        scope.aggregates(Assignment.objects.all(), via="institution")
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "applications": {s: by_status.get(s, 0) for s in ApplicationStatus.values},
        "overdue": overdue,
        "assignments": {s: assigned.get(s, 0) for s in AssignmentStatus.values},
        "open_overpayments": scope.aggregates(
            Overpayment.objects.filter(status=OverpaymentStatus.OPEN), via="assignment__institution"
        ).count(),
    }


def _person_ids(node: Any) -> set[int]:
    if isinstance(node, dict):
        found = {node["person_id"]} if isinstance(node.get("person_id"), int) else set()
        for value in node.values():
            found |= _person_ids(value)
        return found
    if isinstance(node, list):
        return set().union(*(_person_ids(value) for value in node)) if node else set()
    return set()


def people_named_in(*, actor: Actor, evaluation: Evaluation | None) -> dict[int, str]:
    """The people an evaluation's facts refer to by number (the members it counted), named for
    the reader: by name when she may see them, else as a member outside her scope."""
    if evaluation is None:
        return {}
    ids = _person_ids(evaluation.explanation)
    if not ids:
        return {}
    visible = {
        pk: f"{last} {first} {patronymic}".strip()
        for pk, last, first, patronymic in people(actor=actor)
        .filter(pk__in=ids)
        .values_list("pk", "last_name", "first_name", "patronymic")
    }
    outside = _("a member outside your scope")
    return {pk: visible.get(pk, outside) for pk in ids}
