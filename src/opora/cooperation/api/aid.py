"""Needs raised by partners and the aid handed over to them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..models import NeedKind, NeedStatus
from .common import (
    LangQuery,
    Translations,
    events_named,
    fields,
    i18n,
    letter_named,
    partner_named,
    router,
    speak,
    today_or,
    translated,
)

# --- Schemas ------------------------------------------------------------------------------------


class NeedOut(ExampleMarkOut):
    id: int
    partner_id: int
    partner: str
    kind: NeedKind
    title: str
    description: str
    raised_on: dt.date
    raised_at_event_id: int | None
    letter_id: int | None
    status: NeedStatus
    status_note: str
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class NeedFilter(LangQuery):
    status: NeedStatus | None = None
    partner: int | None = None
    kind: NeedKind | None = None


class NeedIn(Schema):
    partner_id: int
    kind: NeedKind
    title: Translations
    description: Translations | None = None
    raised_on: dt.date | None = None
    raised_at_event_id: int | None = None
    letter_id: int | None = None


class NeedStatusIn(Schema):
    status: NeedStatus
    note: str = ""


class AidItemOut(Schema):
    id: int
    name: str
    quantity: Decimal
    unit: str


class AidOut(ExampleMarkOut):
    id: int
    partner_id: int
    partner: str
    need_id: int | None
    handed_over_on: dt.date
    document: str
    notes: str
    items: list[AidItemOut]

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())


class AidFilter(LangQuery):
    partner: int | None = None


class AidItemIn(Schema):
    name: Translations
    quantity: Decimal = Field(..., gt=0, max_digits=12, decimal_places=3)
    unit: str = ""


class AidIn(Schema):
    partner_id: int
    need_id: int | None = None
    handed_over_on: dt.date | None = None
    document: str = ""
    notes: str = ""
    items: list[AidItemIn] = Field(..., min_length=1)


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/needs", response=list[NeedOut], summary="Needs raised by partners")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def need_list(request, filters: Query[NeedFilter]):
    speak(request, filters.lang)
    return selectors.need_list(
        status=filters.status or "",
        partner=partner_named(request, filters.partner),
        kind=filters.kind or "",
    )


@router.post("/needs", response={201: NeedOut}, summary="Record a need a partner raised")
@api_require(COOPERATION_MANAGE)
def need_raise(request, payload: NeedIn):
    values = fields(payload, ("title", "description"))
    values["partner"] = partner_named(request, values.pop("partner_id"))
    values["raised_on"] = today_or(values["raised_on"])
    event_id = values.pop("raised_at_event_id")
    values["raised_at_event"] = events_named([event_id])[0] if event_id else None
    letter_id = values.pop("letter_id")
    values["letter"] = letter_named(letter_id) if letter_id else None
    need = services.need_raise(actor=request.user, **values)
    return Status(201, selectors.need_get(pk=need.pk))


@router.post("/needs/{need_id}/status", response=NeedOut, summary="Change a need's status")
@api_require(COOPERATION_MANAGE)
def need_set_status(request, need_id: int, payload: NeedStatusIn):
    need = selectors.need_get(pk=need_id)
    services.need_status_change(
        actor=request.user, need=need, status=payload.status, note=payload.note
    )
    return selectors.need_get(pk=need_id)


@router.get("/aid", response=list[AidOut], summary="Aid handed over to partners")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def aid_list(request, filters: Query[AidFilter]):
    speak(request, filters.lang)
    return selectors.aid_list(partner=partner_named(request, filters.partner))


@router.post("/aid", response={201: AidOut}, summary="Record aid handed over")
@api_require(COOPERATION_MANAGE)
def aid_deliver(request, payload: AidIn):
    partner = partner_named(request, payload.partner_id)
    need = selectors.need_get(pk=payload.need_id) if payload.need_id else None
    delivery = services.aid_deliver(
        actor=request.user,
        partner=partner,
        need=need,
        handed_over_on=today_or(payload.handed_over_on),
        document=payload.document,
        notes=payload.notes,
        items=[
            {"quantity": item.quantity, "unit": item.unit, **translated("name", item.name)}
            for item in payload.items
        ],
    )
    return Status(201, selectors.aid_get(pk=delivery.pk))
