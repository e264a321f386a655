"""Agreements and programmes with their parties and versions, and the items of their action
plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..models import OPEN_ACTION_STATUSES, ActionStatus, AgreementKind, AgreementStatus
from .common import (
    LangQuery,
    Translations,
    events_named,
    fields,
    i18n,
    partner_named,
    router,
    speak,
    translated,
)

# --- Schemas ------------------------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    partner_id: int | None
    partner: str | None
    signer_name: str
    signer_position: str

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name if obj.partner_id else None


class AgreementOut(ExampleMarkOut):
    id: int
    number: str
    kind: AgreementKind
    title: str
    signed_on: dt.date | None
    valid_from: dt.date
    valid_to: dt.date | None
    renewal_notice_days: int
    status: AgreementStatus
    themes: list[str]


class AgreementVersionOut(Schema):
    id: int
    number: int
    signed_on: dt.date | None
    summary: str
    files: list[dict[str, Any]]
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_files(obj):
        return [
            {
                "id": f.pk,
                "language": f.language,
                "original_name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in obj.files.all()
        ]

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class ActionOut(Schema):
    id: int
    agreement_id: int
    title: str
    owner: str
    due_on: dt.date | None
    status: ActionStatus
    done_on: dt.date | None
    event_ids: list[int]
    note: str
    overdue: bool

    @staticmethod
    def resolve_event_ids(obj):
        return [e.pk for e in obj.events.all()]

    @staticmethod
    def resolve_overdue(obj):
        return bool(
            obj.due_on and obj.due_on < timezone.localdate() and obj.status in OPEN_ACTION_STATUSES
        )


class AgreementDetailOut(AgreementOut):
    description: str
    parties: list[PartyOut]
    versions: list[AgreementVersionOut]
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_parties(obj):
        return list(obj.parties.all())

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class AgreementFilter(LangQuery):
    status: AgreementStatus | None = None
    partner: int | None = None
    expiring_within: int | None = Field(
        None, ge=0, description="only those whose validity ends within this many days"
    )


class PartyIn(Schema):
    partner_id: int | None = Field(None, description="none for our department")
    signer_name: str = ""
    signer_position: Translations | None = None


class AgreementIn(Schema):
    number: str = ""
    kind: AgreementKind
    title: Translations
    signed_on: dt.date | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None
    renewal_notice_days: int = Field(90, ge=0)
    status: AgreementStatus = AgreementStatus.DRAFT
    themes: list[str] = []
    description: Translations | None = None
    parties: list[PartyIn] = Field(..., min_length=1)


class AgreementVersionIn(Schema):
    signed_on: dt.date | None = None
    summary: Translations | None = None


class ActionIn(Schema):
    title: Translations
    owner: str = ""
    due_on: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    event_ids: list[int] = []
    note: str = ""


# --- Endpoints ----------------------------------------------------------------------------------


def _agreement(request, agreement_id: int):
    return selectors.agreement_get(actor=request.user, pk=agreement_id)


@router.get("/agreements", response=list[AgreementOut], summary="Agreements and programmes")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def agreement_list(request, filters: Query[AgreementFilter]):
    speak(request, filters.lang)
    return selectors.agreement_list(
        actor=request.user,
        status=filters.status or "",
        partner=partner_named(request, filters.partner),
        expiring_within=filters.expiring_within,
    )


@router.post("/agreements", response={201: AgreementDetailOut}, summary="Register an agreement")
@api_require(COOPERATION_MANAGE)
def agreement_create(request, payload: AgreementIn):
    values = fields(payload, ("title", "description"))
    values["parties"] = [
        {
            "partner": partner_named(request, party.partner_id),
            "signer_name": party.signer_name,
            **translated("signer_position", party.signer_position),
        }
        for party in payload.parties
    ]
    agreement = services.agreement_create(actor=request.user, **values)
    return Status(201, _agreement(request, agreement.pk))


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut, summary="One agreement")
@api_require(COOPERATION_VIEW)
def agreement_detail(request, agreement_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    return _agreement(request, agreement_id)


@router.post(
    "/agreements/{agreement_id}/versions",
    response={201: AgreementVersionOut},
    summary="Record an amendment as a new version",
)
@api_require(COOPERATION_MANAGE)
def agreement_version_add(request, agreement_id: int, payload: AgreementVersionIn):
    agreement = _agreement(request, agreement_id)
    version = services.agreement_version_add(
        actor=request.user, agreement=agreement, **fields(payload, ("summary",))
    )
    return Status(201, selectors.agreement_version_get(agreement=agreement, pk=version.pk))


@router.get(
    "/agreements/{agreement_id}/actions",
    response=list[ActionOut],
    summary="The action plan of an agreement",
)
@api_require(COOPERATION_VIEW)
def action_list(request, agreement_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    # agreement_get brings the plan by deadline, each item with its events.
    return list(_agreement(request, agreement_id).actions.all())


@router.post(
    "/agreements/{agreement_id}/actions",
    response={201: ActionOut},
    summary="Add an item to the action plan",
)
@api_require(COOPERATION_MANAGE)
def action_add(request, agreement_id: int, payload: ActionIn):
    values = fields(payload, ("title",))
    values["events"] = events_named(values.pop("event_ids"))
    item = services.action_item_add(
        actor=request.user, agreement=_agreement(request, agreement_id), **values
    )
    return Status(201, selectors.action_item_get(pk=item.pk))


@router.get(
    "/actions/overdue",
    response=list[ActionOut],
    summary="Items of the action plans past their deadline and not done",
)
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def actions_overdue(request, query: Query[LangQuery]):
    speak(request, query.lang)
    return selectors.action_items_overdue(on=timezone.localdate())
