"""Applications for measures: registered, documents attached, the eligibility checked with its
explanation in words, decided (assigned or refused with reasons) or withdrawn."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from opora.casework.models import Channel
from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import NotFound

from .. import selectors, services
from ..access import APPLICATION_DECIDE, APPLICATION_REGISTER, APPLICATION_VIEW
from ..models import ApplicationStatus, DecisionOutcome
from ..presenting import cited_clauses, is_overdue
from .common import (
    AssistanceEvaluationOut,
    application_of,
    institution_of,
    measure_of,
    person_of,
    router,
    today_or,
)

# --- Schemas ------------------------------------------------------------------------------------


class AssistanceApplicationOut(Schema):
    id: int
    measure_id: int
    measure: str
    version_id: int
    person_id: int
    person: str
    household_id: int | None
    institution_id: int
    institution: str
    channel: Channel
    applied_on: dt.date
    due_on: dt.date = Field(..., description="the decision is due by this day")
    status: ApplicationStatus
    overdue: bool = Field(..., description="undecided after its due day")

    @staticmethod
    def resolve_measure(obj):
        return obj.measure.display_name

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.display_name

    @staticmethod
    def resolve_overdue(obj):
        return is_overdue(obj, timezone.localdate())


class AssistanceFileOut(Schema):
    id: int
    title: str
    original_name: str
    content_type: str
    size: int
    created_at: dt.datetime


class AssistanceDecisionOut(Schema):
    id: int
    outcome: DecisionOutcome
    decided_on: dt.date
    is_late: bool = Field(..., description="decided after the due day (kept, only marked)")
    reason: str
    failed_clauses: list[str] = Field(..., description="the ids of the clauses a refusal cites")
    cited: list[str] = Field(..., description="the clauses a refusal cites, as sentences")
    evaluation_id: int

    @staticmethod
    def resolve_cited(obj):
        return [clause.text for clause in cited_clauses(obj)]


class AssistanceApplicationDetailOut(AssistanceApplicationOut):
    documents_received: list[str]
    note: str
    withdrawn_reason: str
    files: list[AssistanceFileOut]
    evaluation: AssistanceEvaluationOut | None = Field(None, description="the latest one")
    decision: AssistanceDecisionOut | None
    assignment_id: int | None

    @staticmethod
    def resolve_files(obj):
        return list(obj.files.all())

    @staticmethod
    def resolve_evaluation(obj):
        return obj.evaluations.order_by("-evaluated_at", "-pk").first()

    @staticmethod
    def resolve_decision(obj):
        return getattr(obj, "decision", None)

    @staticmethod
    def resolve_assignment_id(obj):
        assignment = getattr(obj, "assignment", None)
        return assignment.pk if assignment else None


class AssistanceApplicationFilter(Schema):
    status: ApplicationStatus | None = None
    measure: int | None = Field(None, description="the id of a measure")
    overdue: bool = Field(False, description="only those undecided after their due day")
    q: str = Field("", description="part of the applicant's surname or the number")


class AssistanceApplicationIn(Schema):
    measure_id: int
    person_id: int
    institution_id: int
    channel: Channel
    applied_on: dt.date | None = Field(None, description="today when absent")
    documents_received: list[str] = Field([], description="names from the version's list")
    note: str = ""


class AssistanceEvaluateIn(Schema):
    on: dt.date | None = Field(None, description="the day of the application when absent")


class AssistanceDecideIn(Schema):
    outcome: DecisionOutcome
    decided_on: dt.date | None = Field(None, description="today when absent")
    reason: str = Field("", description="required to refuse an eligible applicant")
    starts_on: dt.date | None = Field(None, description="for an assignment: from when")


class AssistanceWithdrawIn(Schema):
    reason: str


# --- Endpoints ----------------------------------------------------------------------------------


@router.get(
    "/applications",
    response=list[AssistanceApplicationOut],
    summary="Applications of the caller's institutions",
)
@api_require(APPLICATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def application_list(request, filters: Query[AssistanceApplicationFilter]):
    measure = measure_of(request, filters.measure) if filters.measure else None
    return selectors.applications(
        actor=request.user,
        status=filters.status.value if filters.status else "",
        measure=measure,
        overdue=filters.overdue,
        q=filters.q,
    )


@router.post(
    "/applications",
    response={201: AssistanceApplicationDetailOut},
    summary="Register an application",
)
@api_require(APPLICATION_REGISTER)
def application_register(request, payload: AssistanceApplicationIn):
    application = services.application_register(
        actor=request.user,
        measure=measure_of(request, payload.measure_id),
        person=person_of(request, payload.person_id),
        institution=institution_of(request, payload.institution_id),
        channel=payload.channel.value,
        applied_on=today_or(payload.applied_on),
        documents_received=payload.documents_received,
        note=payload.note,
    )
    return Status(201, application_of(request, application.pk))


@router.get(
    "/applications/{application_id}",
    response=AssistanceApplicationDetailOut,
    summary="One application",
)
@api_require(APPLICATION_VIEW)
def application_detail(request, application_id: int):
    return application_of(request, application_id)


@router.post(
    "/applications/{application_id}/files",
    response={201: AssistanceFileOut},
    summary="Attach a document (PDF, JPEG or PNG) to an application",
)
@api_require(APPLICATION_REGISTER)
def application_attach(request, application_id: int, title: Form[str], upload: File[UploadedFile]):
    return Status(
        201,
        services.application_attach_file(
            actor=request.user,
            application=application_of(request, application_id),
            title=title,
            upload=upload,
        ),
    )


@router.post(
    "/applications/{application_id}/evaluate",
    response={201: AssistanceEvaluationOut},
    summary="Check the eligibility: the outcome with each clause in words",
)
@api_require(APPLICATION_REGISTER)
def application_evaluate(request, application_id: int, payload: AssistanceEvaluateIn):
    evaluation = services.application_evaluate(
        actor=request.user, application=application_of(request, application_id), on=payload.on
    )
    return Status(201, evaluation)


@router.get(
    "/applications/{application_id}/evaluations",
    response=list[AssistanceEvaluationOut],
    summary="The evaluations of an application, newest first",
)
@api_require(APPLICATION_VIEW)
def application_evaluations(request, application_id: int):
    application = application_of(request, application_id)
    return list(selectors.evaluations_of(actor=request.user, application=application))


@router.get(
    "/applications/{application_id}/evaluations/{evaluation_id}",
    response=AssistanceEvaluationOut,
    summary="One evaluation with its explanation in words",
)
@api_require(APPLICATION_VIEW)
def evaluation_detail(request, application_id: int, evaluation_id: int):
    application = application_of(request, application_id)
    evaluations = selectors.evaluations_of(actor=request.user, application=application)
    evaluation = next((e for e in evaluations if e.pk == evaluation_id), None)
    if evaluation is None:
        raise NotFound("not_found", _("No such evaluation of this application."))
    return evaluation


@router.post(
    "/applications/{application_id}/decision",
    response={201: AssistanceApplicationDetailOut},
    summary="Decide: assign the measure or refuse it with reasons",
)
@api_require(APPLICATION_DECIDE)
def application_decide(request, application_id: int, payload: AssistanceDecideIn):
    application = application_of(request, application_id)
    services.application_decide(
        actor=request.user,
        application=application,
        outcome=payload.outcome.value,
        decided_on=today_or(payload.decided_on),
        reason=payload.reason,
        starts_on=payload.starts_on,
    )
    return Status(201, application_of(request, application_id))


@router.post(
    "/applications/{application_id}/withdraw",
    response=AssistanceApplicationDetailOut,
    summary="Record that the applicant withdrew the application",
)
@api_require(APPLICATION_REGISTER)
def application_withdraw(request, application_id: int, payload: AssistanceWithdrawIn):
    services.application_withdraw(
        actor=request.user,
        application=application_of(request, application_id),
        reason=payload.reason,
    )
    return application_of(request, application_id)
