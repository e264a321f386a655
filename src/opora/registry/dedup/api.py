"""The deduplication API at /api/v1/registry/duplicates: searches, the review queue, merges."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, TypeVar

from django.http import Http404
from ninja import Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticError

from opora.core.actors import Actor
from opora.core.api_support import PageNumberPagination, Router, api_require

from ..access import DEDUP_REVIEW, DEDUP_RUN, MERGE
from ..models import Person
from ..selectors import people
from . import selectors, services

router = Router(tags=["registry duplicates"])
S = TypeVar("S", bound=Schema)


class RunOut(Schema):
    id: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    threshold: float
    people: int
    candidates: int
    clusters: int
    seconds: float | None
    job_id: uuid.UUID | None
    created_by_id: int | None


class RunIn(Schema):
    threshold: float = services.DEFAULT_THRESHOLD


class PersonBrief(Schema):
    id: int
    full_name: str
    birth_date: dt.date | None
    merged_into_id: int | None


class CandidateOut(Schema):
    id: int
    run_id: int
    person_a: PersonBrief
    person_b: PersonBrief
    probability: float
    cluster: int
    status: str
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    rejection_reason: str


class CandidateFilter(Schema):
    status: str = ""
    min_probability: float | None = None
    run: int | None = None


class ReasonIn(Schema):
    reason: str = ""


class MergeIn(Schema):
    survivor_id: int = 0
    merged_id: int = 0
    candidate_id: int | None = None
    reason: str = ""


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    candidate_id: int | None
    merged_by_id: int | None
    merged_at: dt.datetime
    moved: list[dict[str, Any]]
    filled: dict[str, Any]
    reason: str
    undone_at: dt.datetime | None
    undone_by_id: int | None


def _payload(request, schema: type[S]) -> S:
    """The body (JSON, or a form), read after the permission check (ninja would validate it
    before), so a call without the permission gets 403 whatever it sends; no body means the
    defaults."""
    if request.content_type != "application/json":
        data: Any = request.POST.dict()  # a form, or nothing
    else:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise HttpError(400, "Cannot parse request body") from exc
    try:
        return schema.model_validate(data)
    except PydanticError as exc:
        raise ValidationError([dict(e) for e in exc.errors(include_url=False)]) from exc


def _body(schema: type[Schema]) -> dict[str, Any]:
    """The request body in the OpenAPI schema (read by ``_payload``)."""
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


@router.get("/runs", response=list[RunOut], summary="Searches for duplicates")
@api_require(DEDUP_REVIEW)
@paginate(PageNumberPagination, page_size=50)
def run_list(request):
    return selectors.runs(actor=request.user).order_by("-created_at", "-pk")


@router.post(
    "/runs",
    response=RunOut,
    summary="Start a search of the whole registry",
    openapi_extra=_body(RunIn),
)
@api_require(DEDUP_RUN)
def run_start(request):
    payload = _payload(request, RunIn)
    return services.dedup_start(actor=request.user, threshold=payload.threshold)


@router.get("/runs/{run_id}", response=RunOut, summary="One search")
@api_require(DEDUP_REVIEW)
def run_detail(request, run_id: int):
    return selectors.run_get(actor=request.user, pk=run_id)


@router.get("/candidates", response=list[CandidateOut], summary="Pairs to review")
@api_require(DEDUP_REVIEW)
@paginate(PageNumberPagination, page_size=50)
def candidate_list(request, filters: Query[CandidateFilter]):
    return selectors.candidates(actor=request.user, **filters.dict()).order_by("-probability", "pk")


@router.get("/candidates/{candidate_id}", response=CandidateOut, summary="One pair")
@api_require(DEDUP_REVIEW)
def candidate_detail(request, candidate_id: int):
    return selectors.candidate_get(actor=request.user, pk=candidate_id)


@router.post(
    "/candidates/{candidate_id}/confirm",
    response=CandidateOut,
    summary="Record that the pair is the same person",
)
@api_require(DEDUP_REVIEW)
def candidate_confirm(request, candidate_id: int):
    candidate = selectors.candidate_get(actor=request.user, pk=candidate_id)
    return services.candidate_confirm(actor=request.user, candidate=candidate)


@router.post(
    "/candidates/{candidate_id}/reject",
    response=CandidateOut,
    summary="Record that the pair is two people",
    openapi_extra=_body(ReasonIn),
)
@api_require(DEDUP_REVIEW)
def candidate_reject(request, candidate_id: int):
    candidate = selectors.candidate_get(actor=request.user, pk=candidate_id)
    payload = _payload(request, ReasonIn)
    return services.candidate_reject(actor=request.user, candidate=candidate, reason=payload.reason)


@router.get("/merges", response=list[MergeOut], summary="Merges of records")
@api_require(DEDUP_REVIEW)
@paginate(PageNumberPagination, page_size=50)
def merge_list(request):
    return selectors.merges(actor=request.user).order_by("-merged_at", "-pk")


def _person(actor: Actor, pk: int) -> Person:
    # Merged records too: merging one again is refused by the service with its reason (409).
    person = people(actor=actor, include_merged=True).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@router.post(
    "/merges",
    response={201: MergeOut},
    summary="Merge one record into another",
    openapi_extra=_body(MergeIn),
)
@api_require(MERGE)
def merge_create(request):
    payload = _payload(request, MergeIn)
    survivor = _person(request.user, payload.survivor_id)
    merged = _person(request.user, payload.merged_id)
    candidate = (
        selectors.candidate_get(actor=request.user, pk=payload.candidate_id)
        if payload.candidate_id
        else None
    )
    merge = services.person_merge(
        actor=request.user,
        survivor=survivor,
        merged=merged,
        candidate=candidate,
        reason=payload.reason,
    )
    return Status(201, merge)


@router.post(
    "/merges/{merge_id}/unmerge",
    response=MergeOut,
    summary="Undo a merge",
    openapi_extra=_body(ReasonIn),
)
@api_require(MERGE)
def merge_undo(request, merge_id: int):
    merge = selectors.merge_get(actor=request.user, pk=merge_id)
    payload = _payload(request, ReasonIn)
    return services.person_unmerge(actor=request.user, merge=merge, reason=payload.reason)
