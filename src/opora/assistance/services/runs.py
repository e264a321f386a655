# ruff: noqa: S608 - statements are built from model identifiers, quoted, and literals written by
# criteria.batch.literal (whole numbers, dates, validated codes).
"""Whole-registry eligibility runs and what-if simulations.

A run evaluates a published version for every subject of its measure on a day, in one
``INSERT … SELECT`` of the whole-registry query (``criteria.batch``) into ``RunResult``; a
what-if evaluates a draft and the version in force on the same day in the same pass and keeps
only the people whose outcome or amount differ (``RunChange``), with the clause that changed
it, then sums the changes by district and by category. Neither touches an application or an
assignment.

The work is one transaction: a run killed half-way (its worker gone, the database restarted)
keeps nothing, is marked failed when its job is reclaimed, and can be started again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import SYSTEM, Actor
from opora.core.errors import Conflict, DomainError
from opora.core.jobs import Progress, job_start, no_progress
from opora.core.permissions import has_permission
from opora.institutions.models import District
from opora.registry.models import PersonCategory

from .. import audit_actions as actions
from ..access import RUN_MANAGE
from ..criteria.batch import Selected, batch_select, column, literal, table
from ..models import (
    EligibilityRun,
    Measure,
    MeasureVersion,
    Periodicity,
    RunChange,
    RunResult,
    RunStatus,
    VersionStatus,
)
from ..selectors.measures import version_in_force

__all__ = [
    "RUN_JOB_KIND",
    "run_execute",
    "run_export_record",
    "run_mark_failed",
    "run_restart",
    "run_start",
    "whatif_start",
]

RUN_JOB_KIND = "assistance.run"
MONTHS_IN_YEAR = 12


def _require_run_manage(actor: Actor) -> None:
    if not has_permission(actor, RUN_MANAGE):
        raise DomainError(
            "forbidden",
            _("Only analysts and administrators run measures over the whole registry."),
            status=403,
        )


def _queued(*, actor: Actor, run: EligibilityRun) -> EligibilityRun:
    job = job_start(
        actor=actor, kind=RUN_JOB_KIND, params={"run": run.pk}, exclusive_key=f"run:{run.pk}"
    )
    run.job = job
    run.status = RunStatus.QUEUED
    run.error = ""
    run.save(update_fields=["job", "status", "error", "updated_at"])
    return run


@transaction.atomic
def run_start(*, actor: Actor, version: MeasureVersion, on: dt.date) -> EligibilityRun:
    """Queue a run of a published ``version`` over the whole registry as of ``on``."""
    _require_run_manage(actor)
    if version.status != VersionStatus.PUBLISHED:
        raise DomainError(
            "version_not_published",
            _("Only a published version is run over the registry; simulate a draft instead."),
            details={"version": [_("Choose a published version.")]},
        )
    if on < version.valid_from:
        raise DomainError(
            "version_not_in_force",
            _("The version is in force from %(day)s; choose that day or a later one.")
            % {"day": version.valid_from.strftime("%d.%m.%Y")},
            details={"on": [_("The version is not in force on this day.")]},
        )
    run = EligibilityRun.objects.create(version=version, on=on, started_by=audit.acting_user(actor))
    audit.record(actor=actor, action=actions.RUN_STARTED, obj=run)
    return _queued(actor=actor, run=run)


@transaction.atomic
def whatif_start(
    *, actor: Actor, measure: Measure, on: dt.date, draft: MeasureVersion | None = None
) -> EligibilityRun:
    """Queue a what-if: the measure's draft (the latest, unless one is named) against the
    version in force on ``on``."""
    _require_run_manage(actor)
    drafts = MeasureVersion.objects.filter(measure=measure, status=VersionStatus.DRAFT)
    if draft is None:
        draft = drafts.order_by("-number").first()
    elif draft.measure_id != measure.pk or draft.status != VersionStatus.DRAFT:
        draft = None
    if draft is None:
        raise DomainError(
            "no_draft",
            _("The measure has no draft version to simulate: draft one first."),
            details={"draft": [_("Draft a version of this measure.")]},
        )
    baseline = version_in_force(measure=measure, on=on)
    if baseline is None:
        raise DomainError(
            "no_version_in_force",
            _("No version of the measure is in force on %(day)s to compare the draft with.")
            % {"day": on.strftime("%d.%m.%Y")},
            details={"on": [_("Choose a day a published version is in force.")]},
        )
    run = EligibilityRun.objects.create(
        version=draft, baseline=baseline, on=on, started_by=audit.acting_user(actor)
    )
    audit.record(actor=actor, action=actions.WHATIF_STARTED, obj=run)
    return _queued(actor=actor, run=run)


@transaction.atomic
def run_restart(*, actor: Actor, run: EligibilityRun) -> EligibilityRun:
    """Start a failed run again (nothing of the failed attempt was kept)."""
    _require_run_manage(actor)
    run = EligibilityRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.FAILED:
        raise Conflict(
            "run_not_failed",
            _("Only a failed run is started again; this one is %(status)s.")
            % {"status": run.get_status_display()},
        )
    if run.is_whatif and run.version.status != VersionStatus.DRAFT:
        raise Conflict(
            "draft_gone", _("The draft of this what-if was published or discarded meanwhile.")
        )
    audit.record(actor=actor, action=actions.RUN_STARTED, obj=run, data={"restart": True})
    return _queued(actor=actor, run=run)


@transaction.atomic
def run_export_record(*, actor: Actor, run: EligibilityRun, file_format: str) -> None:
    """A download of a run's people (a what-if's changes) is audited: who took it, and when."""
    _require_run_manage(actor)
    audit.record(
        actor=actor, action=actions.RUN_EXPORTED, obj=run, data={"format": file_format.upper()}
    )


@transaction.atomic
def run_mark_failed(run_id: int, error: str) -> None:
    """A run whose work failed or whose job was abandoned: failed, restartable."""
    updated = EligibilityRun.objects.filter(
        pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).update(status=RunStatus.FAILED, error=error[:2000], finished_at=timezone.now())
    if updated:
        run = EligibilityRun.objects.get(pk=run_id)
        audit.record(actor=SYSTEM, action=actions.RUN_FAILED, obj=run, data={"error": error[:300]})


# --- The work -------------------------------------------------------------------------------


RESULT_COLUMNS = ("run", "person", "household", "district", "state", "amount_kopecks", "clauses")
CHANGE_COLUMNS = (
    "run",
    "person",
    "household",
    "district",
    "state_before",
    "state_after",
    "amount_before",
    "amount_after",
    "clauses_before",
    "clauses_after",
    "changed_clause",
)


def _columns(model: Any, names: tuple[str, ...]) -> str:
    return ", ".join(column(model, name) for name in names)


def _insert_results(run: EligibilityRun, selected: Selected) -> None:
    sql = (
        f"INSERT INTO {table(RunResult)} ({_columns(RunResult, RESULT_COLUMNS)}) "
        f"SELECT {literal(run.pk)}, person_id, household_id, district_id, state_0, amount_0, "
        f"clauses_0 FROM ({selected.sql}) q"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _changed_clause(before: list[str], after: list[str]) -> str:
    """The first clause whose state differs between the versions (by id, in the draft's
    order), or a clause only one version has that is not held: what changed the outcome."""
    whens = []
    for j, clause_id in enumerate(after):
        digit_after = f"SUBSTR(clauses_1, {j + 1}, 1)"
        if clause_id in before:
            digit_before = f"SUBSTR(clauses_0, {before.index(clause_id) + 1}, 1)"
            whens.append(f"WHEN {digit_before} <> {digit_after} THEN {literal(clause_id)}")
        else:
            whens.append(f"WHEN {digit_after} <> '2' THEN {literal(clause_id)}")
    for i, clause_id in enumerate(before):
        if clause_id not in after:
            whens.append(f"WHEN SUBSTR(clauses_0, {i + 1}, 1) <> '2' THEN {literal(clause_id)}")
    return f"CASE {' '.join(whens)} ELSE '' END" if whens else "''"


def _insert_changes(run: EligibilityRun, selected: Selected) -> None:
    before, after = selected.clause_ids
    changed = "state_0 <> state_1 OR COALESCE(amount_0, -1) <> COALESCE(amount_1, -1)"
    sql = (
        f"INSERT INTO {table(RunChange)} ({_columns(RunChange, CHANGE_COLUMNS)}) "
        f"SELECT {literal(run.pk)}, person_id, household_id, district_id, state_0, state_1, "
        f"amount_0, amount_1, clauses_0, clauses_1, {_changed_clause(before, after)} "
        f"FROM ({selected.sql}) q WHERE {changed}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


EMPTY_CHECKSUM = hashlib.md5(b"", usedforsecurity=False).hexdigest()


def _postgresql_totals(run: EligibilityRun) -> dict[str, Any]:
    """The counts, the monthly sum and the checksum in one pass over the results."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 2), COUNT(*) FILTER (WHERE state ="
            f" 1), COALESCE(SUM(amount_kopecks), 0), md5(string_agg(person_id || ':' || state ||"
            f" ':' || COALESCE(amount_kopecks::text, '') || ':' || clauses, E'\\n' ORDER BY "
            f"person_id)) FROM {table(RunResult)} WHERE run_id = %s",
            [run.pk],
        )
        evaluated, eligible, unknown, monthly, checksum = cursor.fetchone()
    return {
        "evaluated": int(evaluated),
        "eligible": int(eligible),
        "unknown": int(unknown),
        "monthly": int(monthly),
        "checksum": checksum or EMPTY_CHECKSUM,
    }


def results_checksum(run: EligibilityRun) -> str:
    """MD5 over the results in person order, one ``person:state:amount:clauses`` line each,
    joined by newlines: the same on both databases (PostgreSQL computes it in place)."""
    if connection.vendor == "postgresql":
        return _postgresql_totals(run)["checksum"]
    digest = hashlib.md5(usedforsecurity=False)
    rows = (
        RunResult.objects.filter(run=run)
        .order_by("person_id")
        .values_list("person_id", "state", "amount_kopecks", "clauses")
    )
    for index, (person, state, amount, clauses) in enumerate(rows.iterator(chunk_size=5000)):
        amount_text = "" if amount is None else str(amount)
        line = f"{person}:{state}:{amount_text}:{clauses}"
        digest.update((line if index == 0 else "\n" + line).encode())
    return digest.hexdigest()


def _run_totals(run: EligibilityRun) -> dict[str, Any]:
    """The counts and the monthly sum of a run's results, with their checksum."""
    if connection.vendor == "postgresql":
        return _postgresql_totals(run)
    totals = RunResult.objects.filter(run=run).aggregate(
        evaluated=Count("person"),
        eligible=Count("person", filter=Q(state=2)),
        unknown=Count("person", filter=Q(state=1)),
        monthly=Coalesce(Sum("amount_kopecks"), Value(0)),
    )
    return {
        **{key: int(value or 0) for key, value in totals.items()},
        "checksum": results_checksum(run),
    }


def _change_counts() -> dict[str, Any]:
    gained = Q(state_after=2) & ~Q(state_before=2)
    lost = Q(state_before=2) & ~Q(state_after=2)
    amount = Q(state_before=2, state_after=2) & ~Q(amount_before=F("amount_after"))
    return {
        "changed": Count("person", distinct=True),
        "gained": Count("person", filter=gained, distinct=True),
        "lost": Count("person", filter=lost, distinct=True),
        "amount_changed": Count("person", filter=amount, distinct=True),
        "change_kopecks": Coalesce(
            Sum(Coalesce("amount_after", Value(0)) - Coalesce("amount_before", Value(0))),
            Value(0),
        ),
    }


def _whatif_summary(run: EligibilityRun) -> dict[str, Any]:
    """Gains, losses and the cost change in total, by district and by category held on the
    day; the yearly change counts a monthly payment twelve times."""
    changes = RunChange.objects.filter(run=run)
    per_year = MONTHS_IN_YEAR if run.version.periodicity == Periodicity.MONTHLY else 1

    def shaped(row: dict[str, Any]) -> dict[str, Any]:
        change = int(row.pop("change_kopecks") or 0)
        return {**row, "change_kopecks": change, "yearly_change_kopecks": change * per_year}

    total = shaped(changes.aggregate(**_change_counts()))
    names = {
        pk: (name, name_en)
        for pk, name, name_en in District.objects.values_list("pk", "name", "name_en")
    }
    by_district = [
        shaped(
            {
                **row,
                "district_name": names.get(row["district"], ("", ""))[0],
                "district_name_en": names.get(row["district"], ("", ""))[1],
            }
        )
        for row in changes.values("district").annotate(**_change_counts()).order_by("district")
    ]
    # A person may hold one category in two periods that both cover the day (records written
    # past the service's overlap check): the join keeps one of her rows per category, the
    # first of those held on the day, so her change is summed once in each category.
    held = PersonCategory.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=run.on),
        valid_from__lte=run.on,
        person__in=changes.values("person"),
    )
    first_held = held.order_by().values("person", "kind").annotate(first=Min("pk"))
    by_category = [
        shaped(dict(row))
        for row in changes.filter(person__categories__in=first_held.values("first"))
        .values(
            code=F("person__categories__kind__code"),
            name=F("person__categories__kind__name"),
            name_en=F("person__categories__kind__name_en"),
        )
        .annotate(**_change_counts())
        .order_by("code")
    ]
    return {
        "total": total,
        "by_district": by_district,
        "by_category": by_category,
        "periodicity": run.version.periodicity,
    }


def run_execute(
    *, run: EligibilityRun, actor: Actor = SYSTEM, progress: Progress = no_progress
) -> dict[str, Any]:
    """Do the work of a queued run here and now (from its task, or from the command line)."""
    EligibilityRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), error=""
    )
    started = time.monotonic()
    steps = 2
    try:
        with transaction.atomic():
            run = (
                EligibilityRun.objects.select_for_update(of=("self",))
                .select_related("version__measure", "baseline")
                .get(pk=run.pk)
            )
            RunResult.objects.filter(run=run).delete()
            RunChange.objects.filter(run=run).delete()
            progress(0, steps, _("Evaluating the registry"))
            if run.baseline is not None:  # a what-if
                selected = batch_select(versions=[run.baseline, run.version], on=run.on)
                _insert_changes(run, selected)
                progress(1, steps, _("Summing the changes"))
                run.summary = _whatif_summary(run)
                run.evaluated = run.summary["total"]["changed"]
            else:
                _insert_results(run, batch_select(versions=[run.version], on=run.on))
                progress(1, steps, _("Counting the results"))
                totals = _run_totals(run)
                run.evaluated, run.eligible = totals["evaluated"], totals["eligible"]
                run.unknown, run.monthly_kopecks = totals["unknown"], totals["monthly"]
                run.checksum = totals["checksum"]
            run.status = RunStatus.DONE
            run.finished_at = timezone.now()
            run.seconds = round(time.monotonic() - started, 3)
            run.save()
            audit.record(
                actor=actor,
                action=actions.RUN_FINISHED,
                obj=run,
                data={"evaluated": run.evaluated, "eligible": run.eligible},
            )
    except Exception as exc:
        run_mark_failed(run.pk, str(exc))
        raise
    progress(steps, steps, _("Done"))
    return {"run": run.pk, "evaluated": run.evaluated, "eligible": run.eligible}
