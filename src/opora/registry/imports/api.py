"""Registry imports in the API: their status and counts, their problems (paginated), and
starting one that is uploaded and mapped.

Uploading and mapping stay in the pages and the command for now: every operation of the API
must answer 200 or 404 when called without a body (tests/core/test_declared_permissions.py),
which an upload cannot.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, Router, api_require

from ..access import IMPORT
from . import selectors, services

router = Router(tags=["registry import"])


class JobProgressOut(Schema):
    id: UUID
    status: str
    done: int
    total: int
    percent: int
    message: str


class BatchOut(Schema):
    id: int
    original_name: str
    entity: str
    mode: str
    status: str
    file_format: str
    encoding: str
    size: int
    sha256: str
    header: list[str]
    mapping: dict[str, str]
    institution_id: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    total_rows: int
    error_rows: int
    inserted: int
    updated: int
    unchanged: int
    job: JobProgressOut | None = None

    @staticmethod
    def resolve_unchanged(obj) -> int:
        if obj.status != "loaded":
            return 0
        return max(0, obj.total_rows - obj.error_rows - obj.inserted - obj.updated)


class IssueOut(Schema):
    row: int
    column: str
    value: str
    message: str
    warning: bool  # the row was loaded all the same (a warning, not a refusal)


@router.get("/", response=list[BatchOut], summary="Imports the caller may follow")
@api_require(IMPORT)
@paginate(PageNumberPagination, page_size=25)
def batch_list(request, status: str | None = None, entity: str | None = None):
    qs = selectors.batches(actor=request.user)
    if status:
        qs = qs.filter(status=status)
    if entity:
        qs = qs.filter(entity=entity)
    return qs


@router.get("/{batch_id}", response=BatchOut, summary="One import: status, counts, progress")
@api_require(IMPORT)
def batch_detail(request, batch_id: int):
    return selectors.batch_get(actor=request.user, pk=batch_id)


@router.get("/{batch_id}/issues", response=list[IssueOut], summary="The problems found, row by row")
@api_require(IMPORT)
@paginate(PageNumberPagination, page_size=100)
def batch_issues(request, batch_id: int):
    batch = selectors.batch_get(actor=request.user, pk=batch_id)
    return selectors.batch_issues(batch=batch).order_by("row", "id")


@router.post(
    "/{batch_id}/start", response={202: JobProgressOut}, summary="Start loading a mapped import"
)
@api_require(IMPORT)
def batch_start(request, batch_id: int):
    batch = selectors.batch_get(actor=request.user, pk=batch_id)
    job = services.import_start(actor=request.user, batch=batch)
    return Status(202, job)
