"""Whole-registry runs, what-if simulations and the outreach worklist; and one person's
explanation for the version in force on a day.

Runs and what-ifs are for analysts and administrators: an analyst reads the people of a run by
their registry number (``person_name`` is empty), an administrator by name. The worklist is the
institutions': a task of another institution is a 404 and never listed. The exports of a what-if
(CSV, XLSX) are pages only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import DomainError
from opora.registry import selectors as registry

from .. import criteria, selectors, services
from ..access import OUTREACH_WORK, RUN_MANAGE
from ..models import OutreachStatus, Periodicity, RunStatus, VersionStatus
from ..presenting import mark
from .common import found, measure_of, person_of, router, today_or, version_of

# --- Schemas ------------------------------------------------------------------------------------


class AssistanceRunOut(Schema):
    id: int
    measure_id: int
    version_id: int
    version_number: int
    baseline_id: int | None = Field(
        ..., description="a what-if: the version in force it is compared with"
    )
    is_whatif: bool
    on: dt.date = Field(..., description="the day the registry is read as of")
    status: RunStatus
    job_id: str | None
    progress: int = Field(..., description="percent done, from the run's job")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    seconds: float | None
    evaluated: int = Field(..., description="a run: subjects evaluated; a what-if: changed")
    eligible: int
    unknown: int
    monthly_kopecks: int = Field(..., description="a run: the monthly cost of the eligible")
    checksum: str = Field(..., description="MD5 of the results in person order (a run)")
    summary: dict[str, Any] = Field(
        ..., description="a what-if: total, by_district and by_category counts and cost changes"
    )
    error: str

    @staticmethod
    def resolve_measure_id(obj):
        return obj.version.measure_id

    @staticmethod
    def resolve_version_number(obj):
        return obj.version.number

    @staticmethod
    def resolve_job_id(obj):
        return str(obj.job_id) if obj.job_id else None

    @staticmethod
    def resolve_progress(obj):
        if obj.status == RunStatus.DONE:
            return 100
        return obj.job.percent if obj.job else 0


class AssistanceRunIn(Schema):
    on: dt.date | None = Field(None, description="today when absent")
    version_id: int | None = Field(
        None, description="a published version; the version in force on the day when absent"
    )


class AssistanceWhatIfIn(Schema):
    on: dt.date | None = Field(None, description="today when absent")
    draft_id: int | None = Field(None, description="the measure's latest draft when absent")


class AssistanceRunResultOut(Schema):
    person_id: int = Field(..., description="the registry number")
    person_name: str = Field(..., description="empty unless the caller may see names")
    household_id: int | None
    district_id: int | None
    state: int = Field(..., description="2 eligible, 1 unknown, 0 not eligible")
    amount_kopecks: int | None
    clauses: str = Field(..., description="one digit per clause in writing order (2, 1, 0)")


class AssistanceResultFilter(Schema):
    state: str = Field("", description="eligible, unknown or not_eligible")
    district: int | None = Field(None, description="the id of a district")


class AssistanceRunChangeOut(Schema):
    person_id: int = Field(..., description="the registry number")
    person_name: str = Field(..., description="empty unless the caller may see names")
    household_id: int | None
    district_id: int | None
    state_before: int
    state_after: int
    amount_before: int | None = Field(..., description="kopecks under the version in force")
    amount_after: int | None = Field(..., description="kopecks under the draft")
    changed_clause: str = Field(..., description="the id of the clause that changed the outcome")
    changed_clause_text: str = Field(..., description="that clause as a sentence")


class AssistanceChangeFilter(Schema):
    change: str = Field("", description="gained, lost or amount")
    district: int | None = Field(None, description="the id of a district")


class AssistanceOutreachOut(Schema):
    id: int
    measure_id: int
    run_id: int
    person_id: int
    person: str
    household_id: int | None
    district_id: int | None
    institution_id: int | None
    amount_kopecks: int | None = Field(..., description="a month, as the run found it")
    status: OutreachStatus
    outcome_on: dt.date | None
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name


class AssistanceOutreachFilter(Schema):
    measure: int | None = Field(None, description="the id of a measure")
    district: int | None = Field(None, description="the id of a district")
    institution: int | None = Field(None, description="the id of an institution")
    status: OutreachStatus | None = None
    run: int | None = Field(None, description="the id of the run that listed them")


class AssistanceOutreachMadeOut(Schema):
    added: int = Field(..., description="tasks added by this call (0 when all were listed)")


class AssistanceOutcomeIn(Schema):
    status: OutreachStatus = Field(..., description="contacted, applied or declined")
    on: dt.date | None = Field(None, description="today when absent")
    note: str = ""


class AssistanceExplainClauseOut(Schema):
    id: str
    held: bool | None = Field(..., description="true: met; false: not met; null: unknown")
    mark: str = Field(..., description="✓, ✗ or ?")
    text: str = Field(..., description="the clause as a sentence")
    facts: dict[str, Any] = Field(..., description="the facts the clause read")


class AssistanceExplainOut(Schema):
    measure_id: int
    version_id: int
    version_number: int
    person_id: int
    household_id: int | None
    on: dt.date
    eligible: bool | None
    amount: Decimal | None = Field(..., description="roubles, when eligible")
    periodicity: Periodicity
    clauses: list[AssistanceExplainClauseOut]


# --- Lookups -------------------------------------------------------------------------------------


def run_of(request, run_id: int):
    return found(
        lambda: selectors.run_get(actor=request.user, pk=run_id), _("No such eligibility run.")
    )


def outreach_of(request, outreach_id: int):
    return found(
        lambda: selectors.outreach_get(actor=request.user, pk=outreach_id),
        _("No such outreach task."),
    )


def _version_to_run(request, measure, payload: AssistanceRunIn, on: dt.date):
    if payload.version_id is None:
        version = selectors.version_in_force(measure=measure, on=on)
        if version is None:
            raise DomainError(
                "no_version_in_force",
                _("No version of the measure is in force on %(day)s.")
                % {"day": on.strftime("%d.%m.%Y")},
                details={"on": [_("Choose a day a published version is in force.")]},
            )
        return version
    version = version_of(request, payload.version_id)
    if version.measure_id != measure.pk:
        raise DomainError(
            "unknown_version",
            _("The version is not one of this measure's."),
            details={"version_id": [_("Choose a version of this measure.")]},
        )
    return version


def _draft_to_simulate(request, measure, draft_id: int | None):
    if draft_id is None:
        return None
    draft = version_of(request, draft_id)
    if draft.measure_id != measure.pk or draft.status != VersionStatus.DRAFT:
        raise DomainError(
            "no_draft",
            _("The version is not a draft of this measure."),
            details={"draft_id": [_("Choose a draft of this measure.")]},
        )
    return draft


# --- Runs ---------------------------------------------------------------------------------------


@router.get(
    "/measures/{measure_id}/runs",
    response=list[AssistanceRunOut],
    summary="The runs and what-ifs of a measure, newest first",
)
@api_require(RUN_MANAGE)
@paginate(PageNumberPagination, page_size=50)
def run_list(request, measure_id: int):
    return selectors.runs_of(actor=request.user, measure=measure_of(request, measure_id))


@router.post(
    "/measures/{measure_id}/runs",
    response={202: AssistanceRunOut},
    summary="Run a published version over the whole registry (a background job)",
)
@api_require(RUN_MANAGE)
def run_create(request, measure_id: int, payload: AssistanceRunIn):
    measure = measure_of(request, measure_id)
    on = today_or(payload.on)
    version = _version_to_run(request, measure, payload, on)
    run = services.run_start(actor=request.user, version=version, on=on)
    return Status(202, run_of(request, run.pk))


@router.post(
    "/measures/{measure_id}/whatifs",
    response={202: AssistanceRunOut},
    summary="Simulate a draft against the version in force on a day (a background job)",
)
@api_require(RUN_MANAGE)
def whatif_create(request, measure_id: int, payload: AssistanceWhatIfIn):
    measure = measure_of(request, measure_id)
    run = services.whatif_start(
        actor=request.user,
        measure=measure,
        on=today_or(payload.on),
        draft=_draft_to_simulate(request, measure, payload.draft_id),
    )
    return Status(202, run_of(request, run.pk))


@router.get("/runs/{run_id}", response=AssistanceRunOut, summary="One run or what-if")
@api_require(RUN_MANAGE)
def run_detail(request, run_id: int):
    return run_of(request, run_id)


@router.post(
    "/runs/{run_id}/restart",
    response={202: AssistanceRunOut},
    summary="Start a failed run again (nothing of the failed attempt was kept)",
)
@api_require(RUN_MANAGE)
def run_restart(request, run_id: int):
    run = services.run_restart(actor=request.user, run=run_of(request, run_id))
    return Status(202, run_of(request, run.pk))


def _filter_word(value: str, allowed: Any, field: str) -> str:
    if value and value not in allowed:
        raise DomainError(
            "validation_error",
            _("Some fields are not valid."),
            details={field: [_("Choose one of: %(values)s.") % {"values": ", ".join(allowed)}]},
        )
    return value


@router.get(
    "/runs/{run_id}/results",
    response=list[AssistanceRunResultOut],
    summary="A run's results, in the order of the registry numbers",
)
@api_require(RUN_MANAGE)
@paginate(PageNumberPagination, page_size=100)
def run_results(request, run_id: int, filters: Query[AssistanceResultFilter]):
    return selectors.run_results(
        actor=request.user,
        run=run_of(request, run_id),
        state=_filter_word(filters.state, tuple(selectors.RESULT_STATES), "state"),
        district=filters.district,
    )


@router.get(
    "/runs/{run_id}/changes",
    response=list[AssistanceRunChangeOut],
    summary="The people whose outcome or amount a what-if changes, with the clause that did",
)
@api_require(RUN_MANAGE)
@paginate(PageNumberPagination, page_size=100)
def run_changes(request, run_id: int, filters: Query[AssistanceChangeFilter]):
    run = run_of(request, run_id)
    texts = selectors.changed_clause_texts(run)
    changes = selectors.run_changes(
        actor=request.user,
        run=run,
        change=_filter_word(filters.change, selectors.CHANGE_KINDS, "change"),
        district=filters.district,
    )
    # The sentence of the changed clause, from the few clauses of the two versions.
    sentence = Case(
        *(When(changed_clause=clause, then=Value(text)) for clause, text in texts.items()),
        default=Value(""),
        output_field=CharField(),
    )
    return changes.annotate(changed_clause_text=sentence)


# --- Outreach -----------------------------------------------------------------------------------


@router.get(
    "/outreach",
    response=list[AssistanceOutreachOut],
    summary="The outreach worklist of the caller's institutions",
)
@api_require(OUTREACH_WORK)
@paginate(PageNumberPagination, page_size=50)
def outreach_list(request, filters: Query[AssistanceOutreachFilter]):
    return selectors.outreach_list(
        actor=request.user,
        measure=filters.measure,
        district=filters.district,
        institution=filters.institution,
        status=filters.status.value if filters.status else "",
        run=filters.run,
    )


@router.post(
    "/runs/{run_id}/outreach",
    response={201: AssistanceOutreachMadeOut},
    summary="Make the outreach worklist from a finished run: the eligible not claiming",
)
@api_require(RUN_MANAGE)
def outreach_create(request, run_id: int):
    added = services.outreach_from_run(actor=request.user, run=run_of(request, run_id))
    return Status(201, {"added": added})


@router.post(
    "/outreach/{outreach_id}/outcome",
    response=AssistanceOutreachOut,
    summary="Record how the outreach went: contacted, applied or declined",
)
@api_require(OUTREACH_WORK)
def outreach_outcome(request, outreach_id: int, payload: AssistanceOutcomeIn):
    outreach = services.outreach_record(
        actor=request.user,
        outreach=outreach_of(request, outreach_id),
        status=payload.status.value,
        note=payload.note,
        on=payload.on,
    )
    return outreach_of(request, outreach.pk)


# --- One person's explanation -------------------------------------------------------------------


class AssistanceExplainQuery(Schema):
    person: int = Field(..., description="the registry number of the person (the applicant)")
    on: dt.date | None = Field(None, description="today when absent")


@router.get(
    "/measures/{measure_id}/explain",
    response=AssistanceExplainOut,
    summary="Whether one person is eligible on a day, clause by clause (the version in force)",
)
@api_require(OUTREACH_WORK)
def measure_explain(request, measure_id: int, query: Query[AssistanceExplainQuery]):
    measure = measure_of(request, measure_id)
    # Only the person's number is needed: the scope is checked without loading what a person's
    # page shows (documents, addresses, former names, categories); a merged record and a person
    # out of scope go the way person_of takes them.
    if registry.people(actor=request.user, include_merged=True).filter(pk=query.person).exists():
        person_id = query.person
    else:
        person_id = person_of(request, query.person).pk
    on = today_or(query.on)
    version = selectors.version_in_force(measure=measure, on=on)
    if version is None:
        raise DomainError(
            "no_version_in_force",
            _("No version of the measure is in force on %(day)s.")
            % {"day": on.strftime("%d.%m.%Y")},
            details={"on": [_("Choose a day a published version is in force.")]},
        )
    # The per-person query alone: no facts loaded beside it (that is the page's detail).
    outcomes = criteria.evaluate(version=version, on=on, people=[person_id])
    if not outcomes:
        raise DomainError(
            "not_a_subject",
            _(
                "The person is not a subject of this measure on that day (not alive, or not "
                "the applicant of her household for a household's measure)."
            ),
            details={"person": [_("Choose the applicant of the household.")]},
        )
    outcome = outcomes[0]
    return {
        "measure_id": measure.pk,
        "version_id": version.pk,
        "version_number": version.number,
        "person_id": outcome.person_id,
        "household_id": outcome.household_id,
        "on": on,
        "eligible": outcome.eligible,
        "amount": outcome.amount,
        "periodicity": version.periodicity,
        "clauses": [
            {
                "id": clause.id,
                "held": clause.held,
                "mark": mark(clause.held),
                "text": str(clause.text),
                "facts": clause.facts,
            }
            for clause in outcome.clauses
        ],
    }
