"""Assignments with their history (suspended, resumed, terminated, recalculated), the
overpayments found on them, and the list of assignments due for review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import DayCount, PageNumberPagination, api_require
from opora.core.errors import NotFound

from .. import selectors, services
from ..access import APPLICATION_VIEW, ASSIGNMENT_MANAGE
from ..models import AssignmentEventKind, AssignmentStatus, OverpaymentStatus
from .common import assignment_of, measure_of, router, today_or

# --- Schemas ------------------------------------------------------------------------------------


class AssistanceAssignmentOut(Schema):
    id: int
    application_id: int
    measure_id: int
    measure: str
    version_id: int
    person_id: int
    person: str
    household_id: int | None
    institution_id: int
    amount: Decimal
    starts_on: dt.date
    ends_on: dt.date | None
    review_on: dt.date | None
    status: AssignmentStatus
    terminated_on: dt.date | None
    termination_reason: str

    @staticmethod
    def resolve_measure(obj):
        return obj.measure.display_name

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name


class AssistanceEventOut(Schema):
    kind: AssignmentEventKind
    on: dt.date
    reason: str
    amount_before: Decimal | None
    amount_after: Decimal | None
    evaluation_id: int | None


class AssistanceOverpaymentOut(Schema):
    id: int
    assignment_id: int
    period_from: dt.date
    period_to: dt.date
    amount: Decimal
    reason: str
    found_on: dt.date
    status: OverpaymentStatus


class AssistanceAssignmentDetailOut(AssistanceAssignmentOut):
    events: list[AssistanceEventOut]
    overpayments: list[AssistanceOverpaymentOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_overpayments(obj):
        return list(obj.overpayments.all())


class AssistanceAssignmentFilter(Schema):
    status: AssignmentStatus | None = None
    measure: int | None = Field(None, description="the id of a measure")


class AssistanceStepIn(Schema):
    on: dt.date | None = Field(None, description="today when absent")
    reason: str


class AssistanceOverpaymentIn(Schema):
    period_from: dt.date
    period_to: dt.date
    amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    reason: str = Field(..., max_length=300)
    found_on: dt.date | None = Field(None, description="today when absent")


class AssistanceOverpaymentFilter(Schema):
    status: OverpaymentStatus | None = None


class AssistanceSettleIn(Schema):
    status: OverpaymentStatus = Field(..., description="recovered or written_off")


class AssistanceReviewFilter(Schema):
    within_days: DayCount = Field(30, description="periods ending or reviews due this soon")


class AssistanceReviewOut(Schema):
    assignment: AssistanceAssignmentOut
    reasons: list[str] = Field(
        ...,
        description="why it is on the list: period_ends, review_due, category_ended, "
        "left_household, income_recorded",
    )
    reasons_text: list[str] = Field(..., description="the same in words")


# --- Assignments --------------------------------------------------------------------------------


@router.get(
    "/assignments",
    response=list[AssistanceAssignmentOut],
    summary="Assignments of the caller's institutions",
)
@api_require(APPLICATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def assignment_list(request, filters: Query[AssistanceAssignmentFilter]):
    return selectors.assignments(
        actor=request.user,
        status=filters.status.value if filters.status else "",
        measure=measure_of(request, filters.measure) if filters.measure else None,
    )


@router.get(
    "/assignments/{assignment_id}",
    response=AssistanceAssignmentDetailOut,
    summary="One assignment with its history and overpayments",
)
@api_require(APPLICATION_VIEW)
def assignment_detail(request, assignment_id: int):
    return assignment_of(request, assignment_id)


def _step(request, assignment_id: int, payload: AssistanceStepIn, step: Any):
    step(
        actor=request.user,
        assignment=assignment_of(request, assignment_id),
        on=today_or(payload.on),
        reason=payload.reason,
    )
    return assignment_of(request, assignment_id)


@router.post(
    "/assignments/{assignment_id}/suspend",
    response=AssistanceAssignmentDetailOut,
    summary="Suspend the payments",
)
@api_require(ASSIGNMENT_MANAGE)
def assignment_suspend(request, assignment_id: int, payload: AssistanceStepIn):
    return _step(request, assignment_id, payload, services.assignment_suspend)


@router.post(
    "/assignments/{assignment_id}/resume",
    response=AssistanceAssignmentDetailOut,
    summary="Resume suspended payments",
)
@api_require(ASSIGNMENT_MANAGE)
def assignment_resume(request, assignment_id: int, payload: AssistanceStepIn):
    return _step(request, assignment_id, payload, services.assignment_resume)


@router.post(
    "/assignments/{assignment_id}/terminate",
    response=AssistanceAssignmentDetailOut,
    summary="Terminate the assignment",
)
@api_require(ASSIGNMENT_MANAGE)
def assignment_terminate(request, assignment_id: int, payload: AssistanceStepIn):
    return _step(request, assignment_id, payload, services.assignment_terminate)


@router.post(
    "/assignments/{assignment_id}/recalculate",
    response=AssistanceAssignmentDetailOut,
    summary="Evaluate again with the version in force on the day: a new amount, or terminated",
)
@api_require(ASSIGNMENT_MANAGE)
def assignment_recalculate(request, assignment_id: int, payload: AssistanceStepIn):
    return _step(request, assignment_id, payload, services.assignment_recalculate)


# --- Overpayments -------------------------------------------------------------------------------


@router.get(
    "/overpayments",
    response=list[AssistanceOverpaymentOut],
    summary="Overpayments on the assignments of the caller's institutions",
)
@api_require(APPLICATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def overpayment_list(request, filters: Query[AssistanceOverpaymentFilter]):
    return selectors.overpayments(
        actor=request.user, status=filters.status.value if filters.status else ""
    )


@router.post(
    "/assignments/{assignment_id}/overpayments",
    response={201: AssistanceOverpaymentOut},
    summary="Record an overpayment found on an assignment",
)
@api_require(ASSIGNMENT_MANAGE)
def overpayment_record(request, assignment_id: int, payload: AssistanceOverpaymentIn):
    overpayment = services.overpayment_record(
        actor=request.user,
        assignment=assignment_of(request, assignment_id),
        period_from=payload.period_from,
        period_to=payload.period_to,
        amount=payload.amount,
        reason=payload.reason,
        found_on=today_or(payload.found_on),
    )
    return Status(201, overpayment)


@router.post(
    "/overpayments/{overpayment_id}/settle",
    response=AssistanceOverpaymentOut,
    summary="Record an overpayment as recovered or written off",
)
@api_require(ASSIGNMENT_MANAGE)
def overpayment_settle(request, overpayment_id: int, payload: AssistanceSettleIn):
    overpayment = selectors.overpayments(actor=request.user).filter(pk=overpayment_id).first()
    if overpayment is None:
        raise NotFound("not_found", _("No such overpayment in your scope."))
    return services.overpayment_settle(
        actor=request.user, overpayment=overpayment, status=payload.status.value
    )


# --- Review -------------------------------------------------------------------------------------


@router.get(
    "/reviews",
    response=list[AssistanceReviewOut],
    summary="Assignments to review: a period ending, a review due, or facts changed",
)
@api_require(APPLICATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def review_list(request, filters: Query[AssistanceReviewFilter]):
    rows = selectors.review_list(
        actor=request.user, today=timezone.localdate(), within_days=filters.within_days
    )
    return [
        {"assignment": row.assignment, "reasons": row.reasons, "reasons_text": row.reason_labels}
        for row in rows
    ]
