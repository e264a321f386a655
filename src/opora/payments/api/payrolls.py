"""Payrolls: listed with their totals, generated (in the background, as the pages do), checked,
approved, exported; their lines and payment files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import DomainError

from .. import selectors, services
from ..access import PAYROLL_APPROVE, PAYROLL_LINES_VIEW, PAYROLL_MANAGE, PAYROLL_VIEW
from ..models import LineStatus, PayoutChannel, PayrollStatus, Problem
from .common import payroll_of, router


class PaymentsCheckOut(Schema):
    code: str = Field(..., description="control_totals, held, no_details, invalid_details, "
                      "out_of_bounds, duplicate, duplicates_left")  # fmt: skip
    ok: bool
    count: int
    amount: str | None = None


class PaymentsTotalOut(Schema):
    count: int
    amount: Decimal


class PaymentsStatusTotalOut(PaymentsTotalOut):
    status: LineStatus


class PaymentsPayrollOut(Schema):
    id: int
    month: dt.date
    number: int
    status: PayrollStatus
    control_count: int
    control_total: Decimal
    checked_at: dt.datetime | None
    approved_at: dt.datetime | None
    exported_at: dt.datetime | None
    checks: list[PaymentsCheckOut]
    is_example: bool


class PaymentsPayrollDetailOut(PaymentsPayrollOut):
    totals: list[PaymentsStatusTotalOut]
    paid: PaymentsTotalOut
    returned: PaymentsTotalOut
    unmatched: PaymentsTotalOut = Field(..., description="sent, and not yet in a return file")
    gross: Decimal
    offset: Decimal


class PaymentsPayrollFilter(Schema):
    month: dt.date | None = Field(None, description="the first day of a month")
    status: PayrollStatus | None = None


class PaymentsGenerateIn(Schema):
    month: dt.date = Field(..., description="the first day of the month")


class PaymentsGenerateJobOut(Schema):
    """The background job generating and checking a month's payroll."""

    id: UUID
    kind: str
    status: str = Field(..., description="queued, running, succeeded or failed")
    month: dt.date
    status_url: str = Field(
        ...,
        description="GET it for the progress; once succeeded, its result holds the payroll's "
        "id (payroll, null when nothing was due) and the counts added and reissued",
    )

    @staticmethod
    def resolve_month(obj):
        return dt.date.fromisoformat(obj.params["month"])

    @staticmethod
    def resolve_status_url(obj):
        return reverse("api:job_detail", kwargs={"job_id": obj.pk})


class PaymentsLineOut(Schema):
    id: int
    reference: str
    payroll_id: int
    assignment_id: int
    person_id: int
    person: str
    measure_id: int
    institution_id: int
    month: dt.date
    days: int
    month_days: int
    gross: Decimal
    offset: Decimal
    net: Decimal
    overpayment_id: int | None
    status: LineStatus
    problem: str
    channel: str
    details_id: int | None
    return_reason: str
    reissue_of_id: int | None
    reissue_requested_at: dt.datetime | None

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_offset(obj):
        return obj.deduction


class PaymentsLineFilter(Schema):
    status: LineStatus | None = None
    channel: PayoutChannel | None = None
    problem: Problem | None = None
    q: str = Field("", max_length=100, description="a payment's number or a surname")


def _detail(request, payroll) -> dict[str, Any]:
    totals = selectors.payroll_totals(actor=request.user, payroll=payroll)
    return {
        **{f: getattr(payroll, f) for f in PaymentsPayrollOut.model_fields if f != "checks"},
        "checks": payroll.checks,
        "totals": totals["by_status"],
        "paid": totals["paid"],
        "returned": totals["returned"],
        "unmatched": totals["unmatched"],
        "gross": totals["gross"],
        "offset": totals["offset"],
    }


@router.get("/payrolls", response=list[PaymentsPayrollOut], summary="Payrolls, newest first")
@api_require(PAYROLL_VIEW)
@paginate(PageNumberPagination, page_size=50)
def payroll_list(request, filters: Query[PaymentsPayrollFilter]):
    return selectors.payrolls(
        actor=request.user,
        month=filters.month,
        status=filters.status.value if filters.status else "",
    )


@router.post(
    "/payrolls",
    response={202: PaymentsGenerateJobOut},
    summary="Generate and check a month's payroll in the background (a job)",
    description=(
        "Starts the job the payrolls page starts: it adds every payment due and not yet in a "
        "payroll (to the month's open payroll, or to a supplementary one once the month's is "
        "approved), then checks the payroll. Follow it at `status_url`."
    ),
    openapi_extra={
        "responses": {
            202: {"description": "The job is queued"},
            400: {
                "description": "The request cannot be read, or the month is not the first day "
                "of a month (`invalid_month`)"
            },
            409: {
                "description": "The month's payroll is being generated already "
                "(`job_already_running`, its job's id in `details.job`)"
            },
        }
    },
)
@api_require(PAYROLL_MANAGE)
def payroll_generate(request, payload: PaymentsGenerateIn):
    if payload.month.day != 1:
        message = _("A payroll is for a whole month: give its first day.")
        raise DomainError("invalid_month", message, details={"month": [message]})
    job = services.payroll_generate_start(actor=request.user, month=payload.month)
    return Status(202, job)


@router.get(
    "/payrolls/{payroll_id}",
    response=PaymentsPayrollDetailOut,
    summary="One payroll with its checks and totals (paid, returned, unmatched)",
)
@api_require(PAYROLL_VIEW)
def payroll_detail(request, payroll_id: int):
    return _detail(request, payroll_of(request, payroll_id))


@router.get(
    "/payrolls/{payroll_id}/lines",
    response=list[PaymentsLineOut],
    summary="The payments of a payroll",
)
@api_require(PAYROLL_LINES_VIEW)
@paginate(PageNumberPagination, page_size=100)
def payroll_line_list(request, payroll_id: int, filters: Query[PaymentsLineFilter]):
    return selectors.payroll_lines(
        actor=request.user,
        payroll=payroll_of(request, payroll_id),
        status=filters.status.value if filters.status else "",
        channel=filters.channel.value if filters.channel else "",
        problem=filters.problem.value if filters.problem else "",
        q=filters.q,
    )


@router.post(
    "/payrolls/{payroll_id}/check",
    response=PaymentsPayrollDetailOut,
    summary="Check the payroll: payout details, bounds, duplicates, control totals",
)
@api_require(PAYROLL_MANAGE)
def payroll_check(request, payroll_id: int):
    payroll = services.payroll_check(actor=request.user, payroll=payroll_of(request, payroll_id))
    return _detail(request, payroll)


@router.post(
    "/payrolls/{payroll_id}/approve",
    response=PaymentsPayrollDetailOut,
    summary="Approve a checked payroll (not by anyone who generated it)",
)
@api_require(PAYROLL_APPROVE)
def payroll_approve(request, payroll_id: int):
    payroll = services.payroll_approve(actor=request.user, payroll=payroll_of(request, payroll_id))
    return _detail(request, payroll)


@router.post(
    "/payrolls/{payroll_id}/export",
    response=PaymentsPayrollDetailOut,
    summary="Export an approved payroll: its payments are sent, held ones wait in the worklist",
)
@api_require(PAYROLL_MANAGE)
def payroll_export(request, payroll_id: int):
    payroll = services.payroll_export(actor=request.user, payroll=payroll_of(request, payroll_id))
    return _detail(request, payroll)


@router.get(
    "/payrolls/{payroll_id}/files/{channel}",
    response={200: None},
    summary="The payment file of a channel (CSV, UTF-8); the download is audited",
    openapi_extra={
        "responses": {
            200: {
                "description": "The payment file",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
@api_require(PAYROLL_MANAGE)
def payroll_file(request, payroll_id: int, channel: PayoutChannel):
    payroll = payroll_of(request, payroll_id)
    chunks = services.payroll_file_download(
        actor=request.user, payroll=payroll, channel=channel.value
    )
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type="text/csv; charset=utf-8"
    )
    name = services.payment_file_name(payroll, channel.value)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
