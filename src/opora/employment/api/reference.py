"""The classifier of occupations, the service points and the benefit's bounds in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import DomainError
from opora.institutions import selectors as institutions

from .. import selectors, services
from ..access import REFERENCE_VIEW, SERVICE_POINT_MANAGE
from ..models import ServiceKind
from .common import found, point_of, router, today_or


class EmploymentOccupationOut(Schema):
    code: str
    name: str
    name_en: str


class EmploymentOccupationFilter(Schema):
    q: str = Field("", max_length=100, description="the start of a code or part of a name")


class EmploymentPointOut(Schema):
    institution_id: int
    name: str
    kind: str
    district_id: int | None
    in_my_documents: bool
    services: list[ServiceKind]

    @staticmethod
    def resolve_name(obj):
        return obj.institution.display_name

    @staticmethod
    def resolve_kind(obj):
        return obj.institution.kind.code if obj.institution.kind_id else ""

    @staticmethod
    def resolve_district_id(obj):
        return obj.institution.district_id


class EmploymentPointFilter(Schema):
    in_my_documents: bool | None = None


class EmploymentPointIn(Schema):
    institution_id: int
    in_my_documents: bool = False
    services: list[ServiceKind] = Field(default_factory=list, max_length=20)


class EmploymentPointPatch(Schema):
    in_my_documents: bool | None = None
    services: list[ServiceKind] | None = Field(None, max_length=20)


class EmploymentBenefitBoundsOut(Schema):
    on: dt.date
    minimum: Decimal
    maximum: Decimal


class EmploymentBenefitBoundsFilter(Schema):
    on: dt.date | None = Field(None, description="today when absent")


@router.get(
    "/occupations",
    response=list[EmploymentOccupationOut],
    summary="The classifier of occupations (ОКЗ)",
)
@api_require(REFERENCE_VIEW)
@paginate(PageNumberPagination, page_size=100)
def occupation_list(request, filters: Query[EmploymentOccupationFilter]):
    return selectors.occupations(query=filters.q)


@router.get(
    "/occupations/{code}", response=EmploymentOccupationOut, summary="One group of the classifier"
)
@api_require(REFERENCE_VIEW)
def occupation_detail(request, code: str):
    return found(lambda: selectors.occupation_get(code=code), _("No such occupation code."))


@router.get(
    "/service-points", response=list[EmploymentPointOut], summary="The employment service points"
)
@api_require(REFERENCE_VIEW)
@paginate(PageNumberPagination, page_size=100)
def service_point_list(request, filters: Query[EmploymentPointFilter]):
    return selectors.service_points(actor=request.user, in_my_documents=filters.in_my_documents)


@router.post(
    "/service-points",
    response={201: EmploymentPointOut},
    summary="Open an institution of an employment kind as a service point",
)
@api_require(SERVICE_POINT_MANAGE)
def service_point_create(request, payload: EmploymentPointIn):
    try:
        institution = institutions.institution_by_id(payload.institution_id)
    except Http404:
        message = _("No such institution.")
        raise DomainError(
            "unknown_institution", message, details={"institution_id": [message]}
        ) from None
    point = services.service_point_open(
        actor=request.user,
        institution=institution,
        in_my_documents=payload.in_my_documents,
        services=payload.services,
    )
    return Status(201, point_of(request, point.pk))


@router.patch(
    "/service-points/{institution_id}",
    response=EmploymentPointOut,
    summary="Change what a service point offers",
)
@api_require(SERVICE_POINT_MANAGE)
def service_point_update(request, institution_id: int, payload: EmploymentPointPatch):
    point = point_of(request, institution_id, "institution_id")
    data = payload.dict(exclude_unset=True)
    services.service_point_update(
        actor=request.user,
        point=point,
        in_my_documents=data.get("in_my_documents"),
        services=data.get("services"),
    )
    return point_of(request, point.pk)


@router.get(
    "/benefit-bounds",
    response=EmploymentBenefitBoundsOut,
    summary="The minimum and maximum unemployment benefit in force on a day",
)
@api_require(REFERENCE_VIEW)
def benefit_bounds(request, filters: Query[EmploymentBenefitBoundsFilter]):
    return selectors.benefit_bounds(on=today_or(filters.on))
