"""Events (visits, seminars, telebridges, forums) with their partners and participants, the
day-by-day itinerary of a visit, and the calendar."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require
from opora.core.errors import DomainError
from opora.institutions import selectors as institutions

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..models import (
    EventKind,
    EventPartnerRole,
    EventStatus,
    Host,
    ParticipantRole,
    Side,
    StopKind,
)
from ..selectors import pages as reads
from .common import (
    LangQuery,
    Translations,
    agreements_named,
    fields,
    i18n,
    institution_named,
    partner_named,
    router,
    series_named,
    speak,
)

# --- Schemas ------------------------------------------------------------------------------------


class EventOut(ExampleMarkOut):
    id: int
    kind: EventKind
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    city: str
    online_url: str
    host: Host
    status: EventStatus
    series_id: int | None
    edition: int | None
    agreement_id: int | None
    participant_count: int | None
    topics: list[str]


class EventPartnerOut(Schema):
    partner_id: int
    partner: str
    role: EventPartnerRole

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name


class ParticipantOut(Schema):
    id: int
    side: Side
    partner_person_id: int | None
    employee_id: int | None
    name: str
    role: ParticipantRole
    display_name: str

    @staticmethod
    def resolve_display_name(obj):
        if obj.partner_person_id:
            return obj.partner_person.full_name
        if obj.employee_id:
            return str(obj.employee)
        return obj.name


class EventDetailOut(EventOut):
    description: str
    outcome: str
    host_override_reason: str
    partners: list[EventPartnerOut]
    participants: list[ParticipantOut]
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_partners(obj):
        return list(obj.event_partners.all())

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class EventFilter(LangQuery):
    kind: EventKind | None = None
    partner: int | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    series: int | None = None
    q: str = ""


class EventPartnerIn(Schema):
    partner_id: int
    role: EventPartnerRole = EventPartnerRole.PARTICIPANT


class EventIn(Schema):
    kind: EventKind
    title: Translations
    description: Translations | None = None
    starts_on: dt.date
    ends_on: dt.date
    place: Translations | None = None
    city: Translations | None = None
    online_url: str = ""
    host: Host = Host.OURS
    partners: list[EventPartnerIn] = []
    agreement_id: int | None = None
    series_id: int | None = None
    edition: int | None = Field(None, ge=1)
    host_override_reason: str = ""
    topics: list[str] = []
    outcome: Translations | None = None
    participant_count: int | None = Field(None, ge=0)
    status: EventStatus = EventStatus.PLANNED


class EventPatch(Schema):
    title: Translations | None = None
    description: Translations | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    place: Translations | None = None
    city: Translations | None = None
    online_url: str | None = None
    host: Host | None = None
    topics: list[str] | None = None
    outcome: Translations | None = None
    participant_count: int | None = Field(None, ge=0)
    status: EventStatus | None = None
    host_override_reason: str | None = None


EVENT_TRANSLATED = ("title", "description", "place", "city", "outcome")


class ParticipantIn(Schema):
    side: Side
    partner_person_id: int | None = None
    employee_id: int | None = None
    name: str = ""
    role: ParticipantRole = ParticipantRole.MEMBER


class StopOut(ExampleMarkOut):
    id: int
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    kind: StopKind
    institution_id: int | None
    institution: str | None
    title: str
    host_name: str
    address: str
    notes: str
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.display_name if obj.institution_id else None

    @staticmethod
    def resolve_i18n(obj):
        return i18n(obj)


class StopIn(Schema):
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    kind: StopKind
    institution_id: int | None = None
    title: Translations
    host_name: str = ""
    address: Translations | None = None
    notes: Translations | None = None


class StopPatch(Schema):
    day: dt.date | None = None
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    kind: StopKind | None = None
    institution_id: int | None = None
    title: Translations | None = None
    host_name: str | None = None
    address: Translations | None = None
    notes: Translations | None = None


STOP_TRANSLATED = ("title", "address", "notes")


class ItineraryDayOut(Schema):
    day: dt.date
    stops: list[StopOut]


class CalendarFilter(LangQuery):
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")


# --- Endpoints ----------------------------------------------------------------------------------


def _event(request, event_id: int):
    return selectors.event_get(actor=request.user, pk=event_id)


def _stop(event, stop_id: int):
    return reads.stop_get(event=event, pk=stop_id)


def _event_partners(request, partners: list[EventPartnerIn]):
    return [(partner_named(request, p.partner_id), p.role) for p in partners]


@router.get("/events", response=list[EventOut], summary="Visits, seminars, telebridges, forums")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def event_list(request, filters: Query[EventFilter]):
    speak(request, filters.lang)
    return selectors.event_list(
        actor=request.user,
        kind=filters.kind or "",
        partner=partner_named(request, filters.partner),
        year=filters.year,
        series=series_named(filters.series) if filters.series else None,
        q=filters.q,
    )


@router.post("/events", response={201: EventDetailOut}, summary="Plan or record an event")
@api_require(COOPERATION_MANAGE)
def event_create(request, payload: EventIn):
    values = fields(payload, EVENT_TRANSLATED)
    values["partners"] = _event_partners(request, payload.partners)
    agreement_id = values.pop("agreement_id")
    values["agreement"] = agreements_named([agreement_id])[0] if agreement_id else None
    series_id = values.pop("series_id")
    values["series"] = series_named(series_id) if series_id else None
    event = services.event_create(actor=request.user, **values)
    return Status(201, _event(request, event.pk))


@router.get("/events/{event_id}", response=EventDetailOut, summary="One event")
@api_require(COOPERATION_VIEW)
def event_detail(request, event_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    return _event(request, event_id)


@router.patch("/events/{event_id}", response=EventDetailOut, summary="Change an event")
@api_require(COOPERATION_MANAGE)
def event_update(request, event_id: int, payload: EventPatch):
    event = _event(request, event_id)
    services.event_update(
        actor=request.user, event=event, **fields(payload, EVENT_TRANSLATED, exclude_unset=True)
    )
    return _event(request, event_id)


@router.get(
    "/events/{event_id}/participants",
    response=list[ParticipantOut],
    summary="Who took part, on both sides, with their roles",
)
@api_require(COOPERATION_VIEW)
def participant_list(request, event_id: int):
    # event_get brings the participants by side, with their people and employees.
    return list(_event(request, event_id).participants.all())


@router.post(
    "/events/{event_id}/participants",
    response={201: ParticipantOut},
    summary="Add a participant",
)
@api_require(COOPERATION_MANAGE)
def participant_add(request, event_id: int, payload: ParticipantIn):
    event = _event(request, event_id)
    person = None
    if payload.partner_person_id is not None:
        person = selectors.event_partner_person(event=event, pk=payload.partner_person_id)
        if person is None:
            raise DomainError(
                "unknown_person",
                _("There is no such person among the event's partners."),
                details={"partner_person_id": [_("Choose a person of a partner of the event.")]},
            )
    employee = None
    if payload.employee_id is not None:
        employee = institutions.employee_get(actor=request.user, pk=payload.employee_id)
    participant = services.participant_add(
        actor=request.user,
        event=event,
        partner_person=person,
        employee=employee,
        name=payload.name,
        side=payload.side,
        role=payload.role,
    )
    return Status(201, participant)


@router.get(
    "/events/{event_id}/itinerary",
    response=list[ItineraryDayOut],
    summary="The visit's programme day by day",
)
@api_require(COOPERATION_VIEW)
def itinerary(request, event_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    return [
        {"day": day.day, "stops": day.stops}
        for day in selectors.itinerary(_event(request, event_id))
    ]


@router.post(
    "/events/{event_id}/itinerary",
    response={201: StopOut},
    summary="Add a stop to the programme (no overlap in a day, no closed institution)",
)
@api_require(COOPERATION_MANAGE)
def stop_add(request, event_id: int, payload: StopIn):
    values = fields(payload, STOP_TRANSLATED)
    values["institution"] = institution_named(values.pop("institution_id"))
    stop = services.itinerary_stop_add(
        actor=request.user, event=_event(request, event_id), **values
    )
    return Status(201, stop)


@router.patch("/events/{event_id}/itinerary/{stop_id}", response=StopOut, summary="Change a stop")
@api_require(COOPERATION_MANAGE)
def stop_change(request, event_id: int, stop_id: int, payload: StopPatch):
    stop = _stop(_event(request, event_id), stop_id)
    values = fields(payload, STOP_TRANSLATED, exclude_unset=True)
    if "institution_id" in values:
        values["institution"] = institution_named(values.pop("institution_id"))
    return services.itinerary_stop_change(actor=request.user, stop=stop, **values)


@router.delete(
    "/events/{event_id}/itinerary/{stop_id}", response={204: None}, summary="Remove a stop"
)
@api_require(COOPERATION_MANAGE)
def stop_remove(request, event_id: int, stop_id: int):
    services.itinerary_stop_remove(
        actor=request.user, stop=_stop(_event(request, event_id), stop_id)
    )
    return Status(204, None)


@router.get(
    "/calendar",
    response=list[EventOut],
    summary="Every event overlapping a period (?from=&to=)",
)
@api_require(COOPERATION_VIEW)
def calendar(request, filters: Query[CalendarFilter]):
    speak(request, filters.lang)
    if filters.end < filters.start:
        raise DomainError(
            "period_reversed",
            _("The end of the period is before its start."),
            details={"to": [_("Enter a date on or after the start.")]},
        )
    return list(selectors.calendar(filters.start, filters.end))
