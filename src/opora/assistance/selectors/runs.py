"""Reads of whole-registry runs, what-ifs and the outreach worklist.

Runs and what-ifs are the department's policy work (``RUN_MANAGE``: administrators and
analysts): their results name people, so who may see names is said here once — administrators
see people by name, analysts by their registry number only. The outreach worklist is the
institutions' work (``OUTREACH_WORK``): staff see the tasks of their institutions, administrators
every task; analysts only its counts."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core.actors import Actor
from opora.core.permissions import has_permission
from opora.core.scoping import Scope
from opora.institutions.models import District, Institution
from opora.registry.models import Person

from .. import criteria
from ..access import OUTREACH_WORK, RUN_MANAGE
from ..models import (
    EligibilityRun,
    Evaluation,
    Measure,
    Outreach,
    OutreachStatus,
    RunChange,
    RunResult,
    RunStatus,
)

__all__ = [
    "CHANGE_KINDS",
    "OPEN_OUTREACH",
    "RESULT_STATES",
    "changed_clause_texts",
    "outreach_counts",
    "outreach_evaluation",
    "outreach_get",
    "outreach_list",
    "outreach_open_count",
    "people_shown",
    "run_by_district",
    "run_changes",
    "run_get",
    "run_results",
    "runs_of",
    "sees_names",
]

# A result's state as the run stores it (2 eligible, 1 unknown, 0 not), by the word a filter uses.
RESULT_STATES = {"eligible": 2, "unknown": 1, "not_eligible": 0}
# A what-if's change by the word a filter uses.
CHANGE_KINDS = ("gained", "lost", "amount")
OPEN_OUTREACH = (OutreachStatus.TO_CONTACT, OutreachStatus.CONTACTED)


def sees_names(actor: Actor) -> bool:
    """Whether the actor reads the people of runs by name (administrators) or by their registry
    number only (analysts)."""
    return Scope.of(actor).sees_everything


def people_shown(*, actor: Actor, ids: list[int]) -> dict[int, str]:
    """The people of a page of results or changes as the actor may read them: by name for an
    administrator, else as "No. 123", the registry number."""
    if not sees_names(actor):
        return {pk: _("No. %(number)s") % {"number": pk} for pk in ids}
    named = {
        pk: " ".join(part for part in (last, first, patronymic) if part)
        for pk, last, first, patronymic in Person.objects.filter(pk__in=ids).values_list(
            "pk", "last_name", "first_name", "patronymic"
        )
    }
    return {pk: named.get(pk) or _("No. %(number)s") % {"number": pk} for pk in ids}


def _named(qs: QuerySet, actor: Actor) -> QuerySet:
    """Each row with ``person_name``: the person's name for an administrator, empty for an
    analyst (who reads the registry number, ``person_id``)."""
    if not sees_names(actor):
        return qs.annotate(person_name=Value("", output_field=CharField()))
    return qs.annotate(
        person_name=Concat(
            F("person__last_name"),
            Value(" "),
            F("person__first_name"),
            Value(" "),
            F("person__patronymic"),
            output_field=CharField(),
        )
    )


# --- Runs -------------------------------------------------------------------------------------


def _runs(actor: Actor) -> QuerySet[EligibilityRun]:
    if not has_permission(actor, RUN_MANAGE):
        return EligibilityRun.objects.none()
    return EligibilityRun.objects.select_related(
        "version__measure", "baseline", "job", "started_by"
    )


def runs_of(*, actor: Actor, measure: Measure, whatif: bool | None = None) -> QuerySet:
    """The runs of a measure, newest first; ``whatif`` True or False keeps one kind."""
    qs = _runs(actor).filter(version__measure=measure)
    if whatif is not None:
        qs = qs.filter(baseline__isnull=not whatif)
    return qs.order_by("-created_at", "-pk")


def run_get(*, actor: Actor, pk: int) -> EligibilityRun:
    return get_object_or_404(_runs(actor), pk=pk)


def run_results(
    *, actor: Actor, run: EligibilityRun, state: str = "", district: int | None = None
) -> QuerySet[RunResult]:
    """A run's results, in the order of the people's registry numbers; ``state`` is one of
    ``RESULT_STATES``."""
    qs = RunResult.objects.filter(run=run) if has_permission(actor, RUN_MANAGE) else None
    if qs is None:
        return RunResult.objects.none()
    if state in RESULT_STATES:
        qs = qs.filter(state=RESULT_STATES[state])
    if district:
        qs = qs.filter(district=district)
    return _named(qs, actor).order_by("person_id")


def run_changes(
    *, actor: Actor, run: EligibilityRun, change: str = "", district: int | None = None
) -> QuerySet[RunChange]:
    """The people whose outcome or amount a what-if changes; ``change`` is ``gained``, ``lost``
    or ``amount`` (eligible under both, another amount)."""
    if not has_permission(actor, RUN_MANAGE):
        return RunChange.objects.none()
    qs = RunChange.objects.filter(run=run)
    if change == "gained":
        qs = qs.filter(state_after=2).exclude(state_before=2)
    elif change == "lost":
        qs = qs.filter(state_before=2).exclude(state_after=2)
    elif change == "amount":
        qs = qs.filter(state_before=2, state_after=2)
    if district:
        qs = qs.filter(district=district)
    return _named(qs, actor).order_by("person_id")


def run_by_district(*, actor: Actor, run: EligibilityRun) -> list[dict[str, Any]]:
    """A run's results counted by district: evaluated, eligible, unknown and the monthly cost
    in kopecks; the people of no district last."""
    if not has_permission(actor, RUN_MANAGE):
        return []
    rows = (
        RunResult.objects.filter(run=run)
        .order_by()
        .values("district")
        .annotate(
            evaluated=Count("person"),
            eligible=Count("person", filter=Q(state=2)),
            unknown=Count("person", filter=Q(state=1)),
            monthly_kopecks=Coalesce(Sum("amount_kopecks"), Value(0)),
        )
    )
    names = dict(District.objects.values_list("pk", "name"))
    found = [{**row, "district_name": names.get(row["district"], "")} for row in rows]
    return sorted(found, key=lambda row: (row["district"] is None, row["district_name"]))


def changed_clause_texts(run: EligibilityRun) -> dict[str, str]:
    """The sentence of each clause a what-if may name as the one that changed an outcome: the
    draft's clauses first, then those only the version in force has."""
    texts: dict[str, str] = {}
    for version in (run.baseline, run.version):
        if version is None:
            continue
        for line in criteria.describe(version.eligibility):
            if line.clause_id:
                texts[line.clause_id] = str(line.text)
    return texts


# --- Outreach ---------------------------------------------------------------------------------


def _outreach(actor: Actor) -> QuerySet[Outreach]:
    if not has_permission(actor, OUTREACH_WORK):
        return Outreach.objects.none()
    return Scope.of(actor).rows(Outreach.objects.all(), via="institution")


def outreach_list(
    *,
    actor: Actor,
    measure: Measure | int | None = None,
    district: District | int | None = None,
    institution: Institution | int | None = None,
    status: str = "",
    run: EligibilityRun | int | None = None,
) -> QuerySet[Outreach]:
    """The worklist: the tasks of the actor's institutions (an administrator's: all of them)."""
    qs = _outreach(actor).select_related(
        "measure", "person", "household", "district", "institution", "run", "run__version"
    )
    if measure:
        qs = qs.filter(measure=measure)
    if district:
        qs = qs.filter(district=district)
    if institution:
        qs = qs.filter(institution=institution)
    if status:
        qs = qs.filter(status=status)
    if run:
        qs = qs.filter(run=run)
    return qs.order_by("district__name", "person__last_name", "person__first_name", "pk")


def outreach_get(*, actor: Actor, pk: int) -> Outreach:
    return get_object_or_404(outreach_list(actor=actor), pk=pk)


def outreach_counts(
    *, actor: Actor, measure: Measure | int | None = None, run: EligibilityRun | int | None = None
) -> dict[str, Any]:
    """The worklist counted by district and by institution, each with its open tasks and the
    outcomes: analysts and administrators count the department, staff their institutions."""
    if not (has_permission(actor, OUTREACH_WORK) or has_permission(actor, RUN_MANAGE)):
        return {"total": {}, "by_district": [], "by_institution": []}
    qs = Scope.of(actor).aggregates(Outreach.objects.all(), via="institution")
    if measure:
        qs = qs.filter(measure=measure)
    if run:
        qs = qs.filter(run=run)
    counted = {
        "tasks": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN_OUTREACH)),
        "contacted": Count("pk", filter=Q(status=OutreachStatus.CONTACTED)),
        "applied": Count("pk", filter=Q(status=OutreachStatus.APPLIED)),
        "declined": Count("pk", filter=Q(status=OutreachStatus.DECLINED)),
    }
    total = qs.aggregate(**counted)
    by_district = list(
        qs.order_by()
        .values("district", "district__name")
        .annotate(**counted)
        .order_by("district__name")
    )
    by_institution = list(
        qs.order_by()
        .values("institution", "institution__name")
        .annotate(**counted)
        .order_by("institution__name")
    )
    return {"total": total, "by_district": by_district, "by_institution": by_institution}


def outreach_open_count(*, actor: Actor) -> int:
    """The dashboard's count: open outreach tasks in the actor's scope."""
    return _outreach(actor).filter(status__in=OPEN_OUTREACH).count()


def outreach_evaluation(*, actor: Actor, outreach: Outreach) -> Evaluation | None:
    """Why the person of a task qualifies: the run's version evaluated for her alone, as of the
    run's day, with the facts behind each clause; read now and never stored (the evaluation is
    an unsaved one, so the application's explanation fragment shows it as it shows any)."""
    outreach = outreach_get(actor=actor, pk=outreach.pk)
    run = outreach.run
    if run.status != RunStatus.DONE:
        return None
    found = criteria.evaluate(
        version=run.version, on=run.on, people=[outreach.person_id], detail=True
    )
    if not found:
        return None
    outcome = found[0]
    return Evaluation(
        version=run.version,
        person_id=outcome.person_id,
        household_id=outcome.household_id,
        on=run.on,
        eligible=outcome.eligible,
        amount=outcome.amount,
        explanation=outcome.as_json(),
        evaluated_at=timezone.now(),
    )
