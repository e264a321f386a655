"""Help in kind: the kinds of goods, the stock of the institutions in your scope, its
movements, and goods received, handed out under an in-kind assignment and written off. A
hand-out of more than is left is refused (409 ``not_enough_stock``, with ``details.left``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import DomainError
from opora.institutions.models import Institution

from ..access import APPLICATION_VIEW, STOCK_MANAGE
from ..models import GoodsKind, GoodsUnit, MovementKind
from ..selectors.goods import (
    goods_kind_get,
    goods_kinds,
    stock_balances,
    stock_institutions,
    stock_movements,
)
from ..services.goods import goods_kind_create, stock_issue, stock_receive, stock_write_off
from .common import assignment_of, found, router, today_or

# --- Schemas ------------------------------------------------------------------------------------


class AssistanceGoodsOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    unit: GoodsUnit


class AssistanceGoodsIn(Schema):
    code: str = Field(..., max_length=64, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    unit: GoodsUnit


class AssistanceBalanceOut(Schema):
    institution_id: int
    institution: str
    goods_id: int
    goods: str
    unit: GoodsUnit
    quantity: int

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.display_name

    @staticmethod
    def resolve_goods(obj):
        return obj.goods.display_name

    @staticmethod
    def resolve_unit(obj):
        return obj.goods.unit


class AssistanceMovementOut(Schema):
    id: int
    institution_id: int
    goods_id: int
    goods: str
    kind: MovementKind
    quantity: int
    on: dt.date
    assignment_id: int | None
    person_id: int | None
    person: str | None
    note: str

    @staticmethod
    def resolve_goods(obj):
        return obj.goods.display_name

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name if obj.person_id else None


class AssistanceStockFilter(Schema):
    institution: int | None = None


class AssistanceMovementFilter(Schema):
    institution: int | None = None
    goods: int | None = None
    kind: MovementKind | None = None


class AssistanceReceiptIn(Schema):
    institution_id: int
    goods_id: int
    quantity: int = Field(..., ge=1, le=1_000_000)
    on: dt.date | None = Field(None, description="today when absent")
    note: str = Field("", max_length=300)


class AssistanceWriteOffIn(AssistanceReceiptIn):
    note: str = Field(..., max_length=300, description="why the goods are written off")


class AssistanceIssueIn(Schema):
    assignment_id: int
    goods_id: int
    quantity: int = Field(..., ge=1, le=1_000_000)
    on: dt.date | None = Field(None, description="today when absent")
    note: str = Field("", max_length=300)


# --- Lookups ------------------------------------------------------------------------------------


def _institution(request, institution_id: int, field: str) -> Institution:
    institution = stock_institutions(actor=request.user).filter(pk=institution_id).first()
    if institution is None:
        message = _("You do not keep the stock of this institution.")
        raise DomainError("unknown_institution", message, details={field: [message]})
    return institution


def _filter_institution(request, institution_id: int | None) -> Institution | None:
    return _institution(request, institution_id, "institution") if institution_id else None


def _goods(goods_id: int) -> GoodsKind:
    return found(lambda: goods_kind_get(pk=goods_id), _("No such kind of goods."))


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/goods", response=list[AssistanceGoodsOut], summary="The kinds of goods")
@api_require(APPLICATION_VIEW)
def goods_list(request):
    return list(goods_kinds())


@router.post("/goods", response={201: AssistanceGoodsOut}, summary="Add a kind of goods")
@api_require(STOCK_MANAGE)
def goods_create(request, payload: AssistanceGoodsIn):
    return Status(201, goods_kind_create(actor=request.user, **payload.dict()))


@router.get(
    "/stock", response=list[AssistanceBalanceOut], summary="What the institutions hold in stock"
)
@api_require(STOCK_MANAGE)
@paginate(PageNumberPagination, page_size=100)
def stock_list(request, filters: Query[AssistanceStockFilter]):
    institution = _filter_institution(request, filters.institution)
    return stock_balances(actor=request.user, institution=institution)


@router.get(
    "/stock/movements",
    response=list[AssistanceMovementOut],
    summary="Goods received, handed out and written off",
)
@api_require(STOCK_MANAGE)
@paginate(PageNumberPagination, page_size=50)
def stock_movement_list(request, filters: Query[AssistanceMovementFilter]):
    return stock_movements(
        actor=request.user,
        institution=_filter_institution(request, filters.institution),
        goods=_goods(filters.goods) if filters.goods else None,
        kind=filters.kind or "",
    )


@router.post(
    "/stock/receipts", response={201: AssistanceMovementOut}, summary="Record goods received"
)
@api_require(STOCK_MANAGE)
def stock_receipt(request, payload: AssistanceReceiptIn):
    return Status(
        201,
        stock_receive(
            actor=request.user,
            institution=_institution(request, payload.institution_id, "institution_id"),
            goods=_goods(payload.goods_id),
            quantity=payload.quantity,
            on=today_or(payload.on),
            note=payload.note,
        ),
    )


@router.post(
    "/stock/issues",
    response={201: AssistanceMovementOut},
    summary="Record goods handed out under an in-kind assignment",
)
@api_require(STOCK_MANAGE)
def stock_handout(request, payload: AssistanceIssueIn):
    return Status(
        201,
        stock_issue(
            actor=request.user,
            assignment=assignment_of(request, payload.assignment_id),
            goods=_goods(payload.goods_id),
            quantity=payload.quantity,
            on=today_or(payload.on),
            note=payload.note,
        ),
    )


@router.post(
    "/stock/write-offs", response={201: AssistanceMovementOut}, summary="Record goods written off"
)
@api_require(STOCK_MANAGE)
def stock_write_off_record(request, payload: AssistanceWriteOffIn):
    return Status(
        201,
        stock_write_off(
            actor=request.user,
            institution=_institution(request, payload.institution_id, "institution_id"),
            goods=_goods(payload.goods_id),
            quantity=payload.quantity,
            on=today_or(payload.on),
            note=payload.note,
        ),
    )
