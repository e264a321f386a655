"""Measures and their versions: the rules as JSON and as sentences, drafts edited and compared
with the version in force, published or discarded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require
from opora.core.errors import DomainError

from .. import criteria, selectors, services
from ..access import MEASURE_MANAGE, MEASURE_VIEW
from ..models import Beneficiary, Measure, MeasureKind, MeasureVersion, Periodicity, VersionStatus
from .common import AssistanceLineOut, lines_out, measure_of, router, version_of

# --- Schemas ------------------------------------------------------------------------------------


class AssistanceMeasureOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: MeasureKind
    beneficiary: Beneficiary
    description: str
    description_en: str
    ended_on: dt.date | None


class AssistanceMeasureFilter(Schema):
    q: str = Field("", description="words of the code or the name")
    kind: MeasureKind | None = None


class AssistanceMeasureIn(Schema):
    stored_in: ClassVar[type[Measure]] = Measure

    code: str
    name: str
    name_en: str = ""
    kind: MeasureKind
    beneficiary: Beneficiary = Beneficiary.PERSON
    description: str = ""
    description_en: str = ""


class AssistanceMeasurePatch(Schema):
    """What of a measure may change: its code and who applies stay once given."""

    stored_in: ClassVar[type[Measure]] = Measure

    name: str | None = None
    name_en: str | None = None
    kind: MeasureKind | None = None
    description: str | None = None
    description_en: str | None = None


class AssistanceMeasureEndIn(Schema):
    ended_on: dt.date | None = Field(
        ...,
        description=(
            "from this day no application is accepted (assignments already made run their "
            "course); null: the measure is granted again"
        ),
    )


class AssistanceVersionOut(ExampleMarkOut):
    id: int
    measure_id: int
    number: int
    status: VersionStatus
    valid_from: dt.date
    legal_basis: str
    eligibility: dict[str, Any] = Field(..., description="the eligibility rule as JSON")
    amount: dict[str, Any] | None = Field(None, description="the amount rule as JSON")
    periodicity: Periodicity
    term_months: int | None
    review_months: int | None
    documents: list[str]
    decision_working_days: int
    amount_floor: Decimal | None
    amount_ceiling: Decimal | None
    note: str
    published_at: dt.datetime | None


class AssistanceVersionDetailOut(AssistanceVersionOut):
    eligibility_text: list[AssistanceLineOut] = Field(..., description="the rule as sentences")
    amount_text: list[AssistanceLineOut]

    @staticmethod
    def resolve_eligibility_text(obj):
        return lines_out(criteria.describe(obj.eligibility))

    @staticmethod
    def resolve_amount_text(obj):
        return lines_out(criteria.describe_amount(obj.amount)) if obj.amount else []


class AssistanceVersionIn(Schema):
    stored_in: ClassVar[type[MeasureVersion]] = MeasureVersion

    valid_from: dt.date
    legal_basis: str
    eligibility: dict[str, Any] = Field(..., description="a rule of the rule language")
    amount: dict[str, Any] | None = Field(None, description="none for help without a sum")
    periodicity: Periodicity
    decision_working_days: int = Field(..., ge=1, le=365)
    term_months: int | None = Field(None, ge=1, le=600)
    review_months: int | None = Field(None, ge=1, le=600)
    documents: list[str] = []
    amount_floor: Decimal | None = Field(None, ge=0)
    amount_ceiling: Decimal | None = Field(None, ge=0)
    note: str = ""
    is_example: bool = False
    example_note: str = ""


class AssistanceVersionPatch(Schema):
    valid_from: dt.date | None = None
    legal_basis: str | None = None
    eligibility: dict[str, Any] | None = None
    amount: dict[str, Any] | None = Field(None, description="send null for none")
    periodicity: Periodicity | None = None
    decision_working_days: int | None = Field(None, ge=1, le=365)
    term_months: int | None = Field(None, ge=1, le=600, description="send null for none")
    review_months: int | None = Field(None, ge=1, le=600, description="send null for none")
    documents: list[str] | None = None
    amount_floor: Decimal | None = Field(None, ge=0, description="send null for none")
    amount_ceiling: Decimal | None = Field(None, ge=0, description="send null for none")
    note: str | None = None


# What a patch may set to null: the rest, once given, cannot be emptied.
NULLABLE = {"amount", "term_months", "review_months", "amount_floor", "amount_ceiling"}


class AssistanceCopyIn(Schema):
    valid_from: dt.date = Field(..., description="from when the new draft would be in force")


class AssistanceRulesOut(Schema):
    eligibility: dict[str, Any]
    amount: dict[str, Any] | None
    eligibility_text: list[AssistanceLineOut]
    amount_text: list[AssistanceLineOut]


class AssistanceRulesIn(Schema):
    eligibility: dict[str, Any]
    amount: dict[str, Any] | None = None


class AssistanceComparisonRowOut(Schema):
    field: str
    label: str
    version: str = Field(..., description="the value in this version, in words")
    base: str = Field(..., description="the value in the version it would follow, in words")
    changed: bool


class AssistanceComparisonOut(Schema):
    version: AssistanceVersionOut
    base: AssistanceVersionOut | None = Field(
        None, description="the version in force it would follow; none for a first version"
    )
    changed: bool = Field(..., description="anything differs")
    fields: list[AssistanceComparisonRowOut]
    eligibility: list[AssistanceLineOut]
    base_eligibility: list[AssistanceLineOut]
    eligibility_changed: bool
    amount: list[AssistanceLineOut]
    base_amount: list[AssistanceLineOut]
    amount_changed: bool


def _rules(eligibility: dict[str, Any], amount: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "eligibility": eligibility,
        "amount": amount,
        "eligibility_text": lines_out(criteria.describe(eligibility)),
        "amount_text": lines_out(criteria.describe_amount(amount)) if amount else [],
    }


def _service_values(data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the services take it: choices as their codes."""
    return {
        key: value.value if hasattr(value, "value") and not isinstance(value, Decimal) else value
        for key, value in data.items()
    }


def _refuse_nulls(data: dict[str, Any], nullable: set[str]) -> None:
    """A patch may send null only for what can be empty; the rest, once given, stays."""
    nulls = sorted(name for name, value in data.items() if value is None and name not in nullable)
    if nulls:
        raise DomainError(
            "required_field",
            _("Some fields are not valid."),
            details={name: [_("This field is required.")] for name in nulls},
        )


# --- Measures -----------------------------------------------------------------------------------


@router.get("/measures", response=list[AssistanceMeasureOut], summary="Measures of social support")
@api_require(MEASURE_VIEW)
@paginate(PageNumberPagination, page_size=50)
def measure_list(request, filters: Query[AssistanceMeasureFilter]):
    return selectors.measures(
        actor=request.user, q=filters.q, kind=filters.kind.value if filters.kind else ""
    )


@router.post("/measures", response={201: AssistanceMeasureOut}, summary="Create a measure")
@api_require(MEASURE_MANAGE)
def measure_create(request, payload: AssistanceMeasureIn):
    measure = services.measure_create(actor=request.user, **_service_values(payload.dict()))
    return Status(201, measure)


@router.get("/measures/{measure_id}", response=AssistanceMeasureOut, summary="One measure")
@api_require(MEASURE_VIEW)
def measure_detail(request, measure_id: int):
    return measure_of(request, measure_id)


@router.patch("/measures/{measure_id}", response=AssistanceMeasureOut, summary="Change a measure")
@api_require(MEASURE_MANAGE)
def measure_update(request, measure_id: int, payload: AssistanceMeasurePatch):
    data = payload.dict(exclude_unset=True)
    _refuse_nulls(data, set())
    measure = services.measure_update(
        actor=request.user, measure=measure_of(request, measure_id), **_service_values(data)
    )
    return measure_of(request, measure.pk)


@router.post(
    "/measures/{measure_id}/end",
    response=AssistanceMeasureOut,
    summary="Say from which day a measure is no longer granted (null: granted again)",
)
@api_require(MEASURE_MANAGE)
def measure_end(request, measure_id: int, payload: AssistanceMeasureEndIn):
    measure = services.measure_end(
        actor=request.user, measure=measure_of(request, measure_id), ended_on=payload.ended_on
    )
    return measure_of(request, measure.pk)


# --- Versions -----------------------------------------------------------------------------------


@router.get(
    "/measures/{measure_id}/versions",
    response=list[AssistanceVersionOut],
    summary="The versions of a measure, newest first",
)
@api_require(MEASURE_VIEW)
def version_list(request, measure_id: int):
    return list(selectors.versions_of(actor=request.user, measure=measure_of(request, measure_id)))


@router.post(
    "/measures/{measure_id}/versions",
    response={201: AssistanceVersionDetailOut},
    summary="Draft a new version",
)
@api_require(MEASURE_MANAGE)
def version_draft(request, measure_id: int, payload: AssistanceVersionIn):
    measure = measure_of(request, measure_id)
    version = services.version_draft(
        actor=request.user, measure=measure, **_service_values(payload.dict())
    )
    return Status(201, version_of(request, version.pk))


@router.get("/versions/{version_id}", response=AssistanceVersionDetailOut, summary="One version")
@api_require(MEASURE_VIEW)
def version_detail(request, version_id: int):
    return version_of(request, version_id)


@router.post(
    "/versions/{version_id}/copy",
    response={201: AssistanceVersionDetailOut},
    summary="Draft a new version from this one",
)
@api_require(MEASURE_MANAGE)
def version_copy(request, version_id: int, payload: AssistanceCopyIn):
    version = services.version_copy(
        actor=request.user, version=version_of(request, version_id), valid_from=payload.valid_from
    )
    return Status(201, version_of(request, version.pk))


@router.patch(
    "/versions/{version_id}", response=AssistanceVersionDetailOut, summary="Change a draft"
)
@api_require(MEASURE_MANAGE)
def version_update(request, version_id: int, payload: AssistanceVersionPatch):
    data = payload.dict(exclude_unset=True)
    _refuse_nulls(data, NULLABLE)
    version = version_of(request, version_id)
    services.version_update(actor=request.user, version=version, **_service_values(data))
    return version_of(request, version_id)


@router.post(
    "/versions/{version_id}/publish",
    response=AssistanceVersionDetailOut,
    summary="Publish a draft: from its valid-from day it is the version in force",
)
@api_require(MEASURE_MANAGE)
def version_publish(request, version_id: int):
    services.version_publish(actor=request.user, version=version_of(request, version_id))
    return version_of(request, version_id)


@router.delete("/versions/{version_id}", response={204: None}, summary="Discard a draft")
@api_require(MEASURE_MANAGE)
def version_discard(request, version_id: int):
    services.version_discard(actor=request.user, version=version_of(request, version_id))
    return Status(204, None)


@router.get(
    "/versions/{version_id}/comparison",
    response=AssistanceComparisonOut,
    summary="A draft beside the version in force, field by field",
)
@api_require(MEASURE_VIEW)
def version_compare(request, version_id: int):
    comparison = selectors.version_comparison(
        actor=request.user, version=version_of(request, version_id)
    )
    return comparison_out(comparison)


def comparison_out(comparison: Any) -> dict[str, Any]:
    return {
        "version": comparison.version,
        "base": comparison.base,
        "changed": comparison.changed,
        "fields": [
            {
                "field": row.name,
                "label": str(row.label),
                "version": str(row.draft),
                "base": str(row.in_force),
                "changed": row.changed,
            }
            for row in comparison.fields
        ],
        "eligibility": lines_out(comparison.eligibility),
        "base_eligibility": lines_out(comparison.base_eligibility),
        "eligibility_changed": comparison.eligibility_changed,
        "amount": lines_out(comparison.amount),
        "base_amount": lines_out(comparison.base_amount),
        "amount_changed": comparison.amount_changed,
    }


# --- Rules --------------------------------------------------------------------------------------


@router.get(
    "/versions/{version_id}/rules",
    response=AssistanceRulesOut,
    summary="A version's rules as JSON and as sentences",
)
@api_require(MEASURE_VIEW)
def version_rules(request, version_id: int):
    version = version_of(request, version_id)
    return _rules(version.eligibility, version.amount)


@router.post(
    "/rules/check",
    response=AssistanceRulesOut,
    summary="Check rules and say them in sentences, storing nothing",
)
@api_require(MEASURE_VIEW)
def rules_check(request, payload: AssistanceRulesIn):
    eligibility = criteria.check_eligibility(payload.eligibility)
    amount = criteria.check_amount(payload.amount)
    return _rules(eligibility, amount)
