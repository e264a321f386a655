"""Employers and vacancies. An INN with a wrong check digit, pay "from" above "to", quota
places above the places, an occupation code not in the classifier: 400 with the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require

from .. import selectors, services
from ..access import EMPLOYER_MANAGE, EMPLOYER_VIEW
from ..models import EmployerKind, Schedule, VacancyStatus
from .common import district_of, employer_of, point_of, router, today_or, vacancy_of


class EmploymentEmployerOut(ExampleMarkOut):
    id: int
    service_point_id: int
    name: str
    inn: str
    kind: EmployerKind
    district_id: int | None
    address: str
    contact_name: str
    phone: str
    email: str


class EmploymentEmployerFilter(Schema):
    q: str = Field("", max_length=100)
    inn: str = Field("", max_length=12)


class EmploymentEmployerIn(Schema):
    service_point_id: int
    name: str = Field(..., min_length=1, max_length=300)
    inn: str = Field(..., max_length=20, description="10 digits, or 12 for an entrepreneur")
    district_id: int | None = None
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class EmploymentVacancyOut(ExampleMarkOut):
    id: int
    employer_id: int
    employer: str
    occupation: str = Field(..., description="the code of the classifier of occupations")
    title: str
    requirements: str
    pay_from: Decimal | None
    pay_to: Decimal | None
    schedule: Schedule
    district_id: int | None
    address: str
    places: int
    quota_places: int
    status: VacancyStatus
    opened_on: dt.date

    @staticmethod
    def resolve_employer(obj):
        return obj.employer.name

    @staticmethod
    def resolve_occupation(obj):
        return obj.occupation.code


class EmploymentVacancyFilter(Schema):
    status: VacancyStatus | None = None
    occupation: str = Field("", max_length=4)
    employer: int | None = None
    district: int | None = None
    quota_only: bool = Field(False, description="only vacancies with quota places")


class EmploymentVacancyIn(Schema):
    employer_id: int
    occupation: str = Field(..., max_length=4, description="a code of the classifier")
    title: str = Field(..., min_length=1, max_length=300)
    requirements: str = Field("", max_length=4000)
    pay_from: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    pay_to: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    schedule: Schedule
    district_id: int | None = None
    address: str = Field("", max_length=300)
    places: int = Field(..., ge=1, le=100_000)
    quota_places: int = Field(0, ge=0, le=100_000)
    opened_on: dt.date | None = Field(None, description="today when absent")


class EmploymentVacancyStatusIn(Schema):
    status: VacancyStatus


@router.get("/employers", response=list[EmploymentEmployerOut], summary="Employers in your scope")
@api_require(EMPLOYER_VIEW)
@paginate(PageNumberPagination, page_size=50)
def employer_list(request, filters: Query[EmploymentEmployerFilter]):
    return selectors.employers(actor=request.user, query=filters.q, inn=filters.inn)


@router.post("/employers", response={201: EmploymentEmployerOut}, summary="Add an employer")
@api_require(EMPLOYER_MANAGE)
def employer_create(request, payload: EmploymentEmployerIn):
    data = payload.dict()
    employer = services.employer_add(
        actor=request.user,
        service_point=point_of(request, data.pop("service_point_id")),
        district=district_of(data.pop("district_id")),
        **data,
    )
    return Status(201, employer_of(request, employer.pk))


@router.get("/employers/{employer_id}", response=EmploymentEmployerOut, summary="An employer")
@api_require(EMPLOYER_VIEW)
def employer_detail(request, employer_id: int):
    return employer_of(request, employer_id)


@router.get("/vacancies", response=list[EmploymentVacancyOut], summary="Vacancies in your scope")
@api_require(EMPLOYER_VIEW)
@paginate(PageNumberPagination, page_size=50)
def vacancy_list(request, filters: Query[EmploymentVacancyFilter]):
    return selectors.vacancies(
        actor=request.user,
        status=filters.status or "",
        occupation=filters.occupation,
        employer=filters.employer,
        district=filters.district,
        quota_only=filters.quota_only,
    )


@router.post("/vacancies", response={201: EmploymentVacancyOut}, summary="Add a vacancy")
@api_require(EMPLOYER_MANAGE)
def vacancy_create(request, payload: EmploymentVacancyIn):
    data = payload.dict()
    vacancy = services.vacancy_add(
        actor=request.user,
        employer=employer_of(request, data.pop("employer_id")),
        district=district_of(data.pop("district_id")),
        opened_on=today_or(data.pop("opened_on")),
        schedule=str(data.pop("schedule")),
        **data,
    )
    return Status(201, vacancy_of(request, vacancy.pk))


@router.get("/vacancies/{vacancy_id}", response=EmploymentVacancyOut, summary="A vacancy")
@api_require(EMPLOYER_VIEW)
def vacancy_detail(request, vacancy_id: int):
    return vacancy_of(request, vacancy_id)


@router.post(
    "/vacancies/{vacancy_id}/status",
    response=EmploymentVacancyOut,
    summary="Open, suspend, fill or close a vacancy",
)
@api_require(EMPLOYER_MANAGE)
def vacancy_status(request, vacancy_id: int, payload: EmploymentVacancyStatusIn):
    services.vacancy_set_status(
        actor=request.user, vacancy=vacancy_of(request, vacancy_id), status=str(payload.status)
    )
    return vacancy_of(request, vacancy_id)
