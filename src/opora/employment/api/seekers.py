"""Job seekers: registration, the profile, the status and its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import DomainError
from opora.registry import selectors as registry

from .. import selectors, services
from ..access import SEEKER_MANAGE, SEEKER_VIEW
from ..models import Education, Schedule, SeekerStatus, TargetGroup
from .common import district_of, point_of, refuse_nulls, router, seeker_of, today_or

OccupationCodes = list[str]


class EmploymentStatusChangeOut(Schema):
    status: SeekerStatus
    effective_on: dt.date
    reason: str


class EmploymentSeekerOut(Schema):
    id: int
    person_id: int
    person: str
    service_point_id: int
    registered_on: dt.date
    status: SeekerStatus
    status_since: dt.date
    occupations: list[str] = Field(..., description="codes of the classifier of occupations")
    education: Education
    qualifications: str
    skills: list[str]
    experience_years: int
    wanted_pay: Decimal | None
    schedule: Schedule
    district_id: int | None
    travel_limit_km: int | None
    restrictions: str
    target_groups: list[TargetGroup]

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_occupations(obj):
        return [o.code for o in obj.occupations.all()]


class EmploymentSeekerDetailOut(EmploymentSeekerOut):
    history: list[EmploymentStatusChangeOut]

    @staticmethod
    def resolve_history(obj):
        return list(obj.status_changes.all())


class EmploymentSeekerFilter(Schema):
    status: SeekerStatus | None = None
    service_point: int | None = None
    occupation: str = Field("", max_length=4)
    person: int | None = None


class EmploymentProfileIn(Schema):
    education: Education
    schedule: Schedule
    occupations: OccupationCodes = Field(default_factory=list, max_length=20)
    qualifications: str = Field("", max_length=2000)
    skills: list[str] = Field(default_factory=list, max_length=50)
    experience_years: int = Field(0, ge=0, le=80)
    wanted_pay: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    district_id: int | None = None
    travel_limit_km: int | None = Field(None, ge=0, le=500)
    restrictions: str = Field("", max_length=2000)
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=10)


class EmploymentSeekerIn(EmploymentProfileIn):
    person_id: int
    service_point_id: int
    registered_on: dt.date | None = Field(None, description="today when absent")


class EmploymentProfilePatch(Schema):
    education: Education | None = None
    schedule: Schedule | None = None
    occupations: OccupationCodes | None = Field(None, max_length=20)
    qualifications: str | None = Field(None, max_length=2000)
    skills: list[str] | None = Field(None, max_length=50)
    experience_years: int | None = Field(None, ge=0, le=80)
    wanted_pay: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="send null for none"
    )
    district_id: int | None = Field(None, description="send null for none")
    travel_limit_km: int | None = Field(None, ge=0, le=500, description="send null for none")
    restrictions: str | None = Field(None, max_length=2000)
    target_groups: list[TargetGroup] | None = Field(None, max_length=10)


class EmploymentStatusIn(Schema):
    status: SeekerStatus
    effective_on: dt.date | None = Field(None, description="today when absent")
    reason: str = Field("", max_length=300, description="required to remove from the register")


def _profile(data: dict[str, Any]) -> dict[str, Any]:
    if "district_id" in data:
        data["district"] = district_of(data.pop("district_id"))
    for name in ("education", "schedule"):
        if name in data:
            data[name] = str(data[name])
    if "target_groups" in data:
        data["target_groups"] = [str(group) for group in data["target_groups"]]
    return data


def _person(request, person_id: int):
    try:
        return registry.person_get(actor=request.user, pk=person_id)
    except Http404:
        message = _("No such person in your scope.")
        raise DomainError("unknown_person", message, details={"person_id": [message]}) from None


@router.get("/seekers", response=list[EmploymentSeekerOut], summary="Job seekers in your scope")
@api_require(SEEKER_VIEW)
@paginate(PageNumberPagination, page_size=50)
def seeker_list(request, filters: Query[EmploymentSeekerFilter]):
    return selectors.seekers(
        actor=request.user,
        status=filters.status or "",
        service_point=filters.service_point,
        occupation=filters.occupation,
        person=filters.person,
    )


@router.post("/seekers", response={201: EmploymentSeekerDetailOut}, summary="Register a job seeker")
@api_require(SEEKER_MANAGE)
def seeker_create(request, payload: EmploymentSeekerIn):
    data = _profile(payload.dict())
    person = _person(request, data.pop("person_id"))
    point = point_of(request, data.pop("service_point_id"))
    seeker = services.seeker_register(
        actor=request.user,
        person=person,
        service_point=point,
        registered_on=today_or(data.pop("registered_on")),
        **data,
    )
    return Status(201, seeker_of(request, seeker.pk))


@router.get(
    "/seekers/{seeker_id}",
    response=EmploymentSeekerDetailOut,
    summary="A job seeker with the status history",
)
@api_require(SEEKER_VIEW)
def seeker_detail(request, seeker_id: int):
    return seeker_of(request, seeker_id)


@router.patch(
    "/seekers/{seeker_id}", response=EmploymentSeekerDetailOut, summary="Change the profile"
)
@api_require(SEEKER_MANAGE)
def seeker_update(request, seeker_id: int, payload: EmploymentProfilePatch):
    data = payload.dict(exclude_unset=True)
    refuse_nulls(data, {"wanted_pay", "district_id", "travel_limit_km"})
    seeker = seeker_of(request, seeker_id)
    services.seeker_update_profile(actor=request.user, seeker=seeker, **_profile(data))
    return seeker_of(request, seeker_id)


@router.post(
    "/seekers/{seeker_id}/status",
    response=EmploymentSeekerDetailOut,
    summary="Change the status of a job seeker (removal needs a reason)",
)
@api_require(SEEKER_MANAGE)
def seeker_status(request, seeker_id: int, payload: EmploymentStatusIn):
    services.seeker_change_status(
        actor=request.user,
        seeker=seeker_of(request, seeker_id),
        status=str(payload.status),
        effective_on=today_or(payload.effective_on),
        reason=payload.reason,
    )
    return seeker_of(request, seeker_id)
