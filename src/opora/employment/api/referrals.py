"""Referrals of job seekers to vacancies and their outcome. A seeker removed from the
register cannot be referred (409 ``seeker_removed``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require

from .. import selectors, services
from ..access import SEEKER_MANAGE, SEEKER_VIEW
from ..models import ReferralOutcome
from .common import referral_of, router, seeker_of, today_or, vacancy_of


class EmploymentReferralOut(Schema):
    id: int
    seeker_id: int
    person: str
    vacancy_id: int
    vacancy: str
    employer: str
    referred_on: dt.date
    outcome: ReferralOutcome
    outcome_on: dt.date | None
    refusal_reason: str

    @staticmethod
    def resolve_person(obj):
        return obj.seeker.person.full_name

    @staticmethod
    def resolve_vacancy(obj):
        return obj.vacancy.title

    @staticmethod
    def resolve_employer(obj):
        return obj.vacancy.employer.name


class EmploymentReferralFilter(Schema):
    seeker: int | None = None
    vacancy: int | None = None
    outcome: ReferralOutcome | None = None


class EmploymentReferralIn(Schema):
    seeker_id: int
    vacancy_id: int
    referred_on: dt.date | None = Field(None, description="today when absent")


class EmploymentOutcomeIn(Schema):
    outcome: ReferralOutcome
    on: dt.date | None = Field(None, description="today when absent")
    reason: str = Field("", max_length=300, description="required for a refusal, else empty")


@router.get("/referrals", response=list[EmploymentReferralOut], summary="Referrals in your scope")
@api_require(SEEKER_VIEW)
@paginate(PageNumberPagination, page_size=50)
def referral_list(request, filters: Query[EmploymentReferralFilter]):
    return selectors.referrals(
        actor=request.user,
        seeker=filters.seeker,
        vacancy=filters.vacancy,
        outcome=filters.outcome or "",
    )


@router.post(
    "/referrals", response={201: EmploymentReferralOut}, summary="Refer a job seeker to a vacancy"
)
@api_require(SEEKER_MANAGE)
def referral_create(request, payload: EmploymentReferralIn):
    referral = services.referral_make(
        actor=request.user,
        seeker=seeker_of(request, payload.seeker_id),
        vacancy=vacancy_of(request, payload.vacancy_id),
        referred_on=today_or(payload.referred_on),
    )
    return Status(201, referral_of(request, referral.pk))


@router.get("/referrals/{referral_id}", response=EmploymentReferralOut, summary="A referral")
@api_require(SEEKER_VIEW)
def referral_detail(request, referral_id: int):
    return referral_of(request, referral_id)


@router.post(
    "/referrals/{referral_id}/outcome",
    response=EmploymentReferralOut,
    summary="Record the outcome of a referral (a hire makes the seeker employed)",
)
@api_require(SEEKER_MANAGE)
def referral_outcome(request, referral_id: int, payload: EmploymentOutcomeIn):
    services.referral_record_outcome(
        actor=request.user,
        referral=referral_of(request, referral_id),
        outcome=str(payload.outcome),
        on=today_or(payload.on),
        reason=payload.reason,
    )
    return referral_of(request, referral_id)
