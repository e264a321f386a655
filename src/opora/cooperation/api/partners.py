"""Partners with their people and positions over time, their partnerships, the timeline of a
partner and the activity of all of them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..models import DatePrecision, PartnerKind, PartnershipKind
from ..selectors import pages as reads
from .common import LangQuery, Translations, fields, i18n, partner_named, router, speak

# --- Schemas ------------------------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    code: str
    kind: PartnerKind
    name: str
    short_name: str
    country: str
    city: str
    parent_id: int | None
    languages: list[str]
    website: str
    email: str
    is_active: bool


class PartnerDetailOut(PartnerOut):
    notes: str
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class PartnerFilter(LangQuery):
    q: str = ""
    kind: PartnerKind | None = None
    country: str = ""
    active: bool | None = None


class PartnerIn(Schema):
    code: str = Field(..., min_length=1, max_length=64)
    kind: PartnerKind
    name: Translations
    short_name: Translations | None = None
    country: str = Field(..., min_length=2, max_length=2)
    city: Translations | None = None
    parent_id: int | None = None
    languages: list[str] = []
    website: str = ""
    email: str = ""
    notes: str = ""


class PartnerPatch(Schema):
    code: str | None = None
    kind: PartnerKind | None = None
    name: Translations | None = None
    short_name: Translations | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    city: Translations | None = None
    parent_id: int | None = None
    languages: list[str] | None = None
    website: str | None = None
    email: str | None = None
    notes: str | None = None
    is_active: bool | None = None


PARTNER_TRANSLATED = ("name", "short_name", "city")


class PartnerPositionOut(Schema):
    id: int
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class PartnerPersonOut(Schema):
    id: int
    partner_id: int
    full_name: str
    full_name_ru: str
    email: str
    phone: str
    notes: str
    position_now: str | None
    positions: list[PartnerPositionOut]

    @staticmethod
    def resolve_position_now(obj):
        position = obj.position_on(timezone.localdate())
        return position.title if position else None

    @staticmethod
    def resolve_positions(obj):
        return list(obj.positions.all())


class PartnerPersonIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=200)
    full_name_ru: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


class PositionIn(Schema):
    title: Translations
    valid_from: dt.date
    valid_to: dt.date | None = None


class PartnershipOut(Schema):
    id: int
    partner_id: int
    kind: PartnershipKind
    since: dt.date
    since_precision: DatePrecision
    ended_on: dt.date | None
    description: str
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class PartnershipIn(Schema):
    kind: PartnershipKind
    since: dt.date
    since_precision: DatePrecision = DatePrecision.DAY
    ended_on: dt.date | None = None
    description: Translations | None = None


class PartnerTimelineOut(Schema):
    on: dt.date
    kind: str
    object_id: int | None
    title: str


class ActivityOut(Schema):
    partner_id: int
    partner: str
    events: int
    letters: int
    aid_deliveries: int
    open_needs: int


class ActivityFilter(LangQuery):
    since: dt.date | None = Field(None, description="a year ago when absent")


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/partners", response=list[PartnerOut], summary="Partners: cities, regions, agencies")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def partner_list(request, filters: Query[PartnerFilter]):
    speak(request, filters.lang)
    return selectors.partner_list(
        actor=request.user,
        q=filters.q,
        kind=filters.kind or "",
        country=filters.country,
        active=filters.active,
    )


@router.post("/partners", response={201: PartnerDetailOut}, summary="Add a partner")
@api_require(COOPERATION_MANAGE)
def partner_create(request, payload: PartnerIn):
    values = fields(payload, PARTNER_TRANSLATED)
    values["parent"] = partner_named(request, values.pop("parent_id"))
    partner = services.partner_create(actor=request.user, **values)
    return Status(201, selectors.partner_get(actor=request.user, pk=partner.pk))


@router.get("/partners/{partner_id}", response=PartnerDetailOut, summary="One partner")
@api_require(COOPERATION_VIEW)
def partner_detail(request, partner_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    return selectors.partner_get(actor=request.user, pk=partner_id)


@router.patch("/partners/{partner_id}", response=PartnerDetailOut, summary="Change a partner")
@api_require(COOPERATION_MANAGE)
def partner_update(request, partner_id: int, payload: PartnerPatch):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    values = fields(payload, PARTNER_TRANSLATED, exclude_unset=True)
    if "parent_id" in values:
        values["parent"] = partner_named(request, values.pop("parent_id"))
    services.partner_update(actor=request.user, partner=partner, **values)
    return selectors.partner_get(actor=request.user, pk=partner_id)


@router.get(
    "/partners/{partner_id}/people",
    response=list[PartnerPersonOut],
    summary="The partner's people with their positions over time",
)
@api_require(COOPERATION_VIEW)
def person_list(request, partner_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    return list(selectors.partner_people(partner))


@router.post(
    "/partners/{partner_id}/people",
    response={201: PartnerPersonOut},
    summary="Add a partner's person",
)
@api_require(COOPERATION_MANAGE)
def person_add(request, partner_id: int, payload: PartnerPersonIn):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    person = services.person_add(actor=request.user, partner=partner, **payload.dict())
    return Status(201, selectors.partner_person_get(partner=partner, pk=person.pk))


@router.post(
    "/partners/{partner_id}/people/{person_id}/positions",
    response={201: PartnerPersonOut},
    summary="A position the person holds from a date (the one held until then ends)",
)
@api_require(COOPERATION_MANAGE)
def position_add(request, partner_id: int, person_id: int, payload: PositionIn):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    person = selectors.partner_person_get(partner=partner, pk=person_id)
    services.position_add(actor=request.user, person=person, **fields(payload, ("title",)))
    return Status(201, selectors.partner_person_get(partner=partner, pk=person_id))


@router.get(
    "/partners/{partner_id}/partnerships",
    response=list[PartnershipOut],
    summary="The partner's relations with the department since their dates",
)
@api_require(COOPERATION_VIEW)
def partnership_list(request, partner_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    return list(reads.partnerships_of(partner))


@router.post(
    "/partners/{partner_id}/partnerships",
    response={201: PartnershipOut},
    summary="Record a partnership",
)
@api_require(COOPERATION_MANAGE)
def partnership_add(request, partner_id: int, payload: PartnershipIn):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    partnership = services.partnership_add(
        actor=request.user, partner=partner, **fields(payload, ("description",))
    )
    return Status(201, partnership)


@router.get(
    "/partners/{partner_id}/timeline",
    response=list[PartnerTimelineOut],
    summary="Everything with the partner in time order",
)
@api_require(COOPERATION_VIEW)
def partner_timeline(request, partner_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    return [
        {
            "on": on,
            "kind": kind,
            "object_id": getattr(obj, "pk", None),
            "title": str(obj),
        }
        for on, kind, obj in selectors.partner_timeline(partner)
    ]


@router.get(
    "/activity",
    response=list[ActivityOut],
    summary="Per partner: events, letters, aid deliveries and open needs since a date",
)
@api_require(COOPERATION_VIEW)
def partner_activity(request, filters: Query[ActivityFilter]):
    speak(request, filters.lang)
    since = filters.since or timezone.localdate() - dt.timedelta(days=365)
    return [
        {
            "partner_id": partner.pk,
            "partner": partner.name,
            "events": activity.events,
            "letters": activity.letters,
            "aid_deliveries": activity.aid,
            "open_needs": activity.open_needs,
        }
        for partner, activity in selectors.partner_activity_list(actor=request.user, since=since)
    ]
