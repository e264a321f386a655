"""The published figures under /api/v1/reports: every role reads them, analysts and
administrators record, correct and retire them. The institution and the partner a figure is
about are named by their codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, Router, Year, api_require
from opora.core.errors import DomainError

from . import selectors, services
from .access import FIGURES_MANAGE, FIGURES_VIEW
from .models import AsOfPrecision, FigureUnit, PublishedFigure, Qualifier, SourceKind

router = Router(tags=["reports"])


class SourceOut(Schema):
    kind: SourceKind
    document: str = Field(..., description="the file name or reference of the document")
    title: str
    publisher: str
    date: dt.date | None = None
    url: str
    quotation: str = Field(..., description="the sentence the figure comes from, word for word")


class FigureOut(ExampleMarkOut):
    id: int
    code: str
    name: str
    name_en: str
    qualifier: str = Field(..., description="more_than, about, almost, …; empty: given bare")
    value: Decimal
    unit: FigureUnit
    as_of: dt.date = Field(..., description="the first day of the month or year when less precise")
    as_of_end: dt.date | None = Field(None, description="the last day of a period")
    as_of_precision: AsOfPrecision
    source: SourceOut
    institution: str | None = Field(None, description="the code of the institution it is about")
    partner: str | None = Field(None, description="the code of the partner it is about")
    note: str
    retired_at: dt.datetime | None = None
    retired_reason: str

    @staticmethod
    def resolve_source(figure: PublishedFigure) -> SourceOut:
        return SourceOut(
            kind=SourceKind(figure.source_kind),
            document=figure.source_document,
            title=figure.source_title,
            publisher=figure.source_publisher,
            date=figure.source_date,
            url=figure.source_url,
            quotation=figure.quotation,
        )

    @staticmethod
    def resolve_institution(figure: PublishedFigure) -> str | None:
        return figure.institution.code if figure.institution else None

    @staticmethod
    def resolve_partner(figure: PublishedFigure) -> str | None:
        return figure.partner.code if figure.partner else None


class FigureQuery(Schema):
    source: str = Field("", description="a source's document, or its title where it has none")
    source_kind: SourceKind | None = None
    unit: FigureUnit | None = None
    year: Year | None = Field(None, description="the figures as of that year")
    q: str = Field("", description="words of the code, the quantity or the quotation")
    retired: bool = Field(False, description="retired figures too")


@router.get(
    "/figures",
    response=list[FigureOut],
    summary="Published figures, newest first",
)
@api_require(FIGURES_VIEW)
@paginate(PageNumberPagination, page_size=50)
def figure_list(request, filters: Query[FigureQuery]):
    return selectors.figure_list(
        actor=request.user,
        source=filters.source,
        source_kind=filters.source_kind.value if filters.source_kind else "",
        unit=filters.unit.value if filters.unit else "",
        year=filters.year,
        q=filters.q,
        retired=filters.retired,
    )


@router.get("/figures/{figure_id}", response=FigureOut, summary="One published figure")
@api_require(FIGURES_VIEW)
def figure_detail(request, figure_id: int):
    return selectors.figure_get(actor=request.user, pk=figure_id)


class FigureIn(Schema):
    code: str
    name: str
    name_en: str = ""
    qualifier: Qualifier | None = Field(None, description="omit when the text gives it bare")
    value: Decimal
    unit: FigureUnit
    as_of: dt.date
    as_of_end: dt.date | None = None
    as_of_precision: AsOfPrecision = AsOfPrecision.DAY
    source_kind: SourceKind
    source_title: str
    source_document: str = ""
    source_publisher: str = ""
    source_date: dt.date | None = None
    source_url: str = ""
    quotation: str = ""
    institution: str | None = Field(None, description="the code of the institution")
    partner: str | None = Field(None, description="the code of the partner")
    note: str = ""
    is_example: bool = False
    example_note: str = ""


class FigurePatch(Schema):
    code: str | None = None
    name: str | None = None
    name_en: str | None = None
    qualifier: Qualifier | None = Field(None, description="send null for none")
    value: Decimal | None = None
    unit: FigureUnit | None = None
    as_of: dt.date | None = None
    as_of_end: dt.date | None = Field(None, description="send null for a single day")
    as_of_precision: AsOfPrecision | None = None
    source_kind: SourceKind | None = None
    source_title: str | None = None
    source_document: str | None = None
    source_publisher: str | None = None
    source_date: dt.date | None = None
    source_url: str | None = None
    quotation: str | None = None
    institution: str | None = Field(None, description="a code; send null for none")
    partner: str | None = Field(None, description="a code; send null for none")
    note: str | None = None
    is_example: bool | None = None
    example_note: str | None = None
    reason: str = ""


# Fields that cannot be null once given: sending null for them is refused, not stored.
REQUIRED_FIELDS = ("code", "name", "value", "unit", "as_of", "as_of_precision", "source_kind")
TEXT_FIELDS = (
    "name_en",
    "source_title",
    "source_document",
    "source_publisher",
    "source_url",
    "quotation",
    "note",
    "example_note",
)


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the services take it: codes to objects, enums to their values, a null
    comparison or text to empty."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name == "institution":
            fields[name] = selectors.institution_by_code(value) if value else None
        elif name == "partner":
            fields[name] = selectors.partner_by_code(value) if value else None
        elif name == "qualifier":
            fields[name] = value.value if value else ""
        elif name in TEXT_FIELDS and value is None:
            fields[name] = ""
        elif name == "is_example" and value is None:
            fields[name] = False
        elif hasattr(value, "value") and not isinstance(value, Decimal):
            fields[name] = value.value
        else:
            fields[name] = value
    return fields


@router.post("/figures", response={201: FigureOut}, summary="Record a published figure")
@api_require(FIGURES_MANAGE)
def figure_create(request, payload: FigureIn):
    figure = services.figure_create(actor=request.user, **_service_fields(payload.dict()))
    return Status(201, figure)


@router.patch("/figures/{figure_id}", response=FigureOut, summary="Correct a published figure")
@api_require(FIGURES_MANAGE)
def figure_change(request, figure_id: int, payload: FigurePatch):
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    nulls = [name for name in REQUIRED_FIELDS if name in data and data[name] is None]
    if nulls:
        raise DomainError(
            "required_field",
            _("Some fields are not valid."),
            details={name: [_("This field is required.")] for name in nulls},
        )
    figure = selectors.figure_get(actor=request.user, pk=figure_id)
    figure = services.figure_update(
        actor=request.user, figure=figure, reason=reason, **_service_fields(data)
    )
    return figure


class RetireIn(Schema):
    reason: str


@router.post(
    "/figures/{figure_id}/retire",
    response=FigureOut,
    summary="Retire a published figure, saying why",
)
@api_require(FIGURES_MANAGE)
def figure_retire(request, figure_id: int, payload: RetireIn):
    figure = selectors.figure_get(actor=request.user, pk=figure_id)
    return services.figure_retire(actor=request.user, figure=figure, reason=payload.reason)
