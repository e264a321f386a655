import datetime as dt
from typing import Any
from uuid import UUID

from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, Router

from . import access, selectors
from .api_support import api_require
from .audit import sentence
from .jobs import kind_label
from .permissions import PUBLIC, registered

router = Router(tags=["core"])


class HealthOut(Schema):
    status: str
    database: str
    migrations: str
    worker: str
    worker_last_seen: str | None = None
    pending_migrations: list[str] = []
    stuck_jobs: list[str] = []
    error: str | None = None


@router.get(
    "/health",
    auth=None,
    response={200: HealthOut, 503: HealthOut},
    summary="Database, migrations and worker heartbeat",
)
@api_require(PUBLIC)
def health(request):
    report = selectors.health()
    return Status(503 if report["status"] == "error" else 200, report)


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    institution_ids: list[int]
    permissions: list[str]


@router.get("/me", response=MeOut, summary="The signed-in account and what it may do")
@api_require(access.DASHBOARD_VIEW)
def me(request):
    from .permissions import has_permission

    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "institution_ids": sorted(user.institutions.values_list("pk", flat=True)),
        "permissions": sorted(c for c in registered() if has_permission(user, c)),
    }


class JobOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    result: dict[str, Any]

    @staticmethod
    def resolve_label(obj):
        return kind_label(obj.kind)


@router.get("/jobs", response=list[JobOut], summary="Background jobs")
@api_require(access.OWN_JOBS_VIEW)
@paginate(PageNumberPagination, page_size=25)
def job_list(request, status: str | None = None):
    qs = selectors.job_list(actor=request.user)
    return qs.filter(status=status) if status else qs


@router.get("/jobs/{job_id}", response=JobOut, summary="One background job and its progress")
@api_require(access.OWN_JOBS_VIEW)
def job_detail(request, job_id: UUID):
    return selectors.job_get(actor=request.user, pk=job_id)


class AuditFilter(Schema):
    text: str = ""
    actor_id: int | None = None
    action: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str | None = Field(None, alias="content_type.model")
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    reason: str
    source: str
    sentence: str

    @staticmethod
    def resolve_sentence(obj):
        return sentence(obj)


@router.get("/audit", response=list[AuditEntryOut], summary="Search the audit log")
@api_require(access.AUDIT_SEARCH)
@paginate(PageNumberPagination, page_size=50)
def audit_search(request, filters: Query[AuditFilter]):
    return selectors.audit_search(actor=request.user, **filters.dict())
