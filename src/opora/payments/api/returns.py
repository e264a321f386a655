"""The bank's return files of a payroll, and the worklist of payments returned or not sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, File, Query, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require

from .. import selectors, services
from ..access import PAYROLL_MANAGE, PAYROLL_VIEW, RETURNS_WORK
from ..models import LineStatus
from .common import found, payroll_of, router
from .payrolls import PaymentsLineOut


class PaymentsReturnFileOut(Schema):
    id: int
    payroll_id: int
    original_name: str
    size: int
    lines: int
    total: Decimal
    paid_count: int
    paid_total: Decimal
    returned_count: int
    returned_total: Decimal
    created_at: dt.datetime
    is_example: bool


class PaymentsWorklistFilter(Schema):
    status: LineStatus | None = Field(None, description="returned or withheld")
    q: str = Field("", max_length=100, description="a surname")


@router.get(
    "/payrolls/{payroll_id}/returns",
    response=list[PaymentsReturnFileOut],
    summary="The return files imported into a payroll",
)
@api_require(PAYROLL_VIEW)
@paginate(PageNumberPagination, page_size=50)
def return_file_list(request, payroll_id: int):
    return selectors.return_files(actor=request.user, payroll=payroll_of(request, payroll_id))


@router.post(
    "/payrolls/{payroll_id}/returns",
    response={201: PaymentsReturnFileOut},
    summary="Import the bank's return file (CSV, UTF-8) and reconcile the payroll with it",
)
@api_require(PAYROLL_MANAGE)
def return_file_import(request, payroll_id: int, upload: File[UploadedFile]):
    return Status(
        201,
        services.return_file_import(
            actor=request.user, payroll=payroll_of(request, payroll_id), upload=upload
        ),
    )


@router.get(
    "/returned",
    response=list[PaymentsLineOut],
    summary="Payments returned by the bank or not sent, waiting to be re-issued",
)
@api_require(RETURNS_WORK)
@paginate(PageNumberPagination, page_size=50)
def worklist(request, filters: Query[PaymentsWorklistFilter]):
    return selectors.worklist(
        actor=request.user,
        status=filters.status.value if filters.status else "",
        q=filters.q,
    )


@router.post(
    "/lines/{line_id}/reissue",
    response=PaymentsLineOut,
    summary="Re-issue a payment returned or not sent in the next payroll generated",
)
@api_require(RETURNS_WORK)
def line_reissue(request, line_id: int):
    line = found(
        lambda: selectors.worklist_line_get(actor=request.user, pk=line_id),
        _("No such payment in your scope."),
    )
    return services.line_reissue(actor=request.user, line=line)
