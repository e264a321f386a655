"""The cooperation API: partners and their people, agreements and action plans, events with
their itineraries and seminar series, the calendar, letters with their versions and
discrepancies, partners' needs and the aid handed over.

Content partners read is kept per language: every read answers in the language of ``?lang=``
(the caller's own language when absent), falling back to Russian where a translation is empty;
a detail body also carries ``i18n``, the raw value of each translated field per language, which
is what a client edits and sends back. Translated fields are written as ``{"ru": …, "en": …}``.
Reads go through the selectors, writes through the services, whose DomainError becomes the one
4xx error body."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from ninja import Field, Query, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from opora.core.api_support import Router, api_require
from opora.core.errors import DomainError
from opora.institutions.models import Institution

from . import selectors, services
from .access import COOPERATION_MANAGE, COOPERATION_VIEW
from .models import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    DatePrecision,
    Direction,
    EventKind,
    EventPartnerRole,
    EventStatus,
    Host,
    LetterStatus,
    NeedKind,
    NeedStatus,
    ParticipantRole,
    PartnerKind,
    PartnershipKind,
    Side,
    StopKind,
)
from .selectors import pages as reads

router = Router(tags=["cooperation"])

LANGUAGES = [code for code, _name in settings.LANGUAGES]
Translations = dict[str, str]  # {"ru": "…", "en": "…"}


# --- Language ----------------------------------------------------------------------------------


class LangQuery(Schema):
    lang: str | None = Field(
        None, description="ru, en, fi or de; the caller's language when absent"
    )


def _speak(request, lang: str | None) -> None:
    """Answer in ``lang``: the translated fields read the active language (modeltranslation),
    falling back to Russian. An unknown code is refused rather than silently ignored."""
    if lang is None:
        return
    if lang not in LANGUAGES:
        raise DomainError(
            "unknown_language",
            _("There is no language with the code %(code)s.") % {"code": lang},
            details={"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}]},
        )
    # For the rest of this request only: the locale middleware activates each request's own.
    translation.activate(lang)


def _i18n(obj: Any) -> dict[str, Translations]:
    """Each translated field of ``obj`` with its raw value per language (no fallback)."""
    try:
        fields = translator.get_options_for_model(type(obj)).get_field_names()
    except NotRegistered:
        return {}
    return {
        name: {code: getattr(obj, f"{name}_{code}", "") or "" for code in LANGUAGES}
        for name in fields
    }


def _translated(name: str, values: Translations | None) -> dict[str, Any]:
    """A translated field as the services take it: ``name_<lang>`` keyword values."""
    if values is None:
        return {}
    unknown = sorted(set(values) - set(LANGUAGES))
    if unknown:
        raise DomainError(
            "unknown_language",
            _("There is no language with the code %(code)s.") % {"code": unknown[0]},
            details={name: [_("Give the text per language: ru, en, fi, de.")]},
        )
    return {f"{name}_{code}": text for code, text in values.items()}


def _fields(payload: Schema, translated: tuple[str, ...], *, exclude_unset: bool = False):
    """The payload as service keywords, translated fields spread per language."""
    data = payload.dict(exclude_unset=exclude_unset)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in translated:
            out.update(_translated(key, value))
        else:
            out[key] = value
    return out


def _today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


# --- Schemas: partners --------------------------------------------------------------------------


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
        return _i18n(obj)


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


class PositionOut(Schema):
    id: int
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_i18n(obj):
        return _i18n(obj)


class PersonOut(Schema):
    id: int
    partner_id: int
    full_name: str
    full_name_ru: str
    email: str
    phone: str
    notes: str
    position_now: str | None
    positions: list[PositionOut]

    @staticmethod
    def resolve_position_now(obj):
        position = obj.position_on(timezone.localdate())
        return position.title if position else None

    @staticmethod
    def resolve_positions(obj):
        return list(obj.positions.all())


class PersonIn(Schema):
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
        return _i18n(obj)


class PartnershipIn(Schema):
    kind: PartnershipKind
    since: dt.date
    since_precision: DatePrecision = DatePrecision.DAY
    ended_on: dt.date | None = None
    description: Translations | None = None


class TimelineOut(Schema):
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


# --- Schemas: agreements ------------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    partner_id: int | None
    partner: str | None
    signer_name: str
    signer_position: str

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name if obj.partner_id else None


class AgreementOut(Schema):
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


class VersionOut(Schema):
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
        return _i18n(obj)


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
            obj.due_on
            and obj.due_on < timezone.localdate()
            and obj.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
        )


class AgreementDetailOut(AgreementOut):
    description: str
    parties: list[PartyOut]
    versions: list[VersionOut]
    i18n: dict[str, Translations]

    @staticmethod
    def resolve_parties(obj):
        return list(obj.parties.all())

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())

    @staticmethod
    def resolve_i18n(obj):
        return _i18n(obj)


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


class VersionIn(Schema):
    signed_on: dt.date | None = None
    summary: Translations | None = None


class ActionIn(Schema):
    title: Translations
    owner: str = ""
    due_on: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    event_ids: list[int] = []
    note: str = ""


# --- Schemas: events ----------------------------------------------------------------------------


class EventOut(Schema):
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
        return list(obj.event_partners.select_related("partner"))

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.select_related("partner_person", "employee"))

    @staticmethod
    def resolve_i18n(obj):
        return _i18n(obj)


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


class StopOut(Schema):
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
        return _i18n(obj)


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


class SeriesOut(Schema):
    id: int
    name: str
    partner_id: int
    alternates: bool
    first_host: Host
    first_held_on: dt.date | None
    notes: str


class SeriesDetailOut(SeriesOut):
    editions: list[EventOut]

    @staticmethod
    def resolve_editions(obj):
        return [row.event for row in selectors.series_editions(obj)]


class NextEditionOut(Schema):
    edition: int
    host: Host


class CalendarFilter(LangQuery):
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")


# --- Schemas: letters ---------------------------------------------------------------------------


class LetterOut(Schema):
    id: int
    direction: Direction
    number: str
    dated_on: dt.date
    received_on: dt.date | None
    partner_id: int
    partner: str
    signatory_id: int | None
    signatory_name: str
    our_person: str
    subject: str
    in_reply_to_id: int | None
    status: LetterStatus

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name


class LetterVersionOut(Schema):
    id: int
    language: str
    is_original: bool
    text: str
    translator: str
    has_file: bool

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.file)


class DiscrepancyOut(Schema):
    id: int
    description: str
    version_ids: list[int]
    flagged_at: dt.datetime
    resolution: str
    correct_version_id: int | None
    resolved_at: dt.datetime | None

    @staticmethod
    def resolve_version_ids(obj):
        return [v.pk for v in obj.versions.all()]


class LetterDetailOut(LetterOut):
    event_ids: list[int]
    agreement_ids: list[int]
    versions: list[LetterVersionOut]
    discrepancies: list[DiscrepancyOut]

    @staticmethod
    def resolve_event_ids(obj):
        return [e.pk for e in obj.events.all()]

    @staticmethod
    def resolve_agreement_ids(obj):
        return [a.pk for a in obj.agreements.all()]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())

    @staticmethod
    def resolve_discrepancies(obj):
        return list(obj.discrepancies.prefetch_related("versions"))


class LetterFilter(LangQuery):
    direction: Direction | None = None
    partner: int | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    q: str = ""
    unresolved: bool = False


class LetterVersionIn(Schema):
    language: str = Field(..., min_length=2, max_length=8)
    is_original: bool = False
    text: str
    translator: str = ""


class LetterIn(Schema):
    direction: Direction
    number: str = ""
    dated_on: dt.date
    received_on: dt.date | None = None
    partner_id: int
    signatory_id: int | None = None
    signatory_name: str = ""
    our_person: str = ""
    subject: str = Field(..., min_length=1, max_length=500)
    in_reply_to_id: int | None = None
    event_ids: list[int] = []
    agreement_ids: list[int] = []
    versions: list[LetterVersionIn] = []


class DiscrepancyIn(Schema):
    description: str = Field(..., min_length=1)
    version_ids: list[int] = Field(..., min_length=2)


class ResolveIn(Schema):
    resolution: str = Field(..., min_length=1)
    correct_version_id: int | None = None


# --- Schemas: needs and aid ---------------------------------------------------------------------


class NeedOut(Schema):
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
        return _i18n(obj)


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


class AidOut(Schema):
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


# --- Lookups of what a body names by id ---------------------------------------------------------


def _partner(request, pk: int | None):
    return None if pk is None else selectors.partner_get(actor=request.user, pk=pk)


def _institution(pk: int | None) -> Institution | None:
    if pk is None:
        return None
    institution = reads.visitable_institutions().filter(pk=pk).first()
    if institution is None:
        raise DomainError(
            "unknown_institution",
            _("There is no institution with this id."),
            details={"institution_id": [_("Choose an institution of the department.")]},
        )
    return institution


def _events(pks: list[int]):
    found = {e.pk: e for e in reads.event_choices().filter(pk__in=pks)}
    if len(found) != len(set(pks)):
        raise DomainError(
            "unknown_event",
            _("One of the events does not exist."),
            details={"event_ids": [_("Choose events from the calendar.")]},
        )
    return [found[pk] for pk in dict.fromkeys(pks)]


def _agreements(pks: list[int]):
    found = {a.pk: a for a in reads.agreement_choices().filter(pk__in=pks)}
    if len(found) != len(set(pks)):
        raise DomainError(
            "unknown_agreement",
            _("One of the agreements does not exist."),
            details={"agreement_ids": [_("Choose agreements from the register.")]},
        )
    return [found[pk] for pk in dict.fromkeys(pks)]


def _stop(event, stop_id: int):
    return reads.stop_get(event=event, pk=stop_id)


# --- Partners -----------------------------------------------------------------------------------


@router.get("/partners", response=list[PartnerOut], summary="Partners: cities, regions, agencies")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def partner_list(request, filters: Query[PartnerFilter]):
    _speak(request, filters.lang)
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
    fields = _fields(payload, PARTNER_TRANSLATED)
    fields["parent"] = _partner(request, fields.pop("parent_id"))
    partner = services.partner_create(actor=request.user, **fields)
    return Status(201, selectors.partner_get(actor=request.user, pk=partner.pk))


@router.get("/partners/{partner_id}", response=PartnerDetailOut, summary="One partner")
@api_require(COOPERATION_VIEW)
def partner_detail(request, partner_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    return selectors.partner_get(actor=request.user, pk=partner_id)


@router.patch("/partners/{partner_id}", response=PartnerDetailOut, summary="Change a partner")
@api_require(COOPERATION_MANAGE)
def partner_update(request, partner_id: int, payload: PartnerPatch):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    fields = _fields(payload, PARTNER_TRANSLATED, exclude_unset=True)
    if "parent_id" in fields:
        fields["parent"] = _partner(request, fields.pop("parent_id"))
    services.partner_update(actor=request.user, partner=partner, **fields)
    return selectors.partner_get(actor=request.user, pk=partner_id)


@router.get(
    "/partners/{partner_id}/people",
    response=list[PersonOut],
    summary="The partner's people with their positions over time",
)
@api_require(COOPERATION_VIEW)
def person_list(request, partner_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    return list(partner.people.prefetch_related("positions").order_by("full_name", "pk"))


@router.post(
    "/partners/{partner_id}/people", response={201: PersonOut}, summary="Add a partner's person"
)
@api_require(COOPERATION_MANAGE)
def person_add(request, partner_id: int, payload: PersonIn):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    person = services.person_add(actor=request.user, partner=partner, **payload.dict())
    return Status(201, reads.person_get(partner=partner, pk=person.pk))


@router.post(
    "/partners/{partner_id}/people/{person_id}/positions",
    response={201: PersonOut},
    summary="A position the person holds from a date (the one held until then ends)",
)
@api_require(COOPERATION_MANAGE)
def position_add(request, partner_id: int, person_id: int, payload: PositionIn):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    person = reads.person_get(partner=partner, pk=person_id)
    services.position_add(actor=request.user, person=person, **_fields(payload, ("title",)))
    return Status(201, reads.person_get(partner=partner, pk=person_id))


@router.get(
    "/partners/{partner_id}/partnerships",
    response=list[PartnershipOut],
    summary="The partner's relations with the department since their dates",
)
@api_require(COOPERATION_VIEW)
def partnership_list(request, partner_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    return list(reads.partnerships_of(selectors.partner_get(actor=request.user, pk=partner_id)))


@router.post(
    "/partners/{partner_id}/partnerships",
    response={201: PartnershipOut},
    summary="Record a partnership",
)
@api_require(COOPERATION_MANAGE)
def partnership_add(request, partner_id: int, payload: PartnershipIn):
    partner = selectors.partner_get(actor=request.user, pk=partner_id)
    partnership = services.partnership_add(
        actor=request.user, partner=partner, **_fields(payload, ("description",))
    )
    return Status(201, partnership)


@router.get(
    "/partners/{partner_id}/timeline",
    response=list[TimelineOut],
    summary="Everything with the partner in time order",
)
@api_require(COOPERATION_VIEW)
def partner_timeline(request, partner_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
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
    _speak(request, filters.lang)
    since = filters.since or timezone.localdate() - dt.timedelta(days=365)
    activity = selectors.partner_activity(since=since)
    return [
        {
            "partner_id": partner.pk,
            "partner": partner.name,
            "events": activity[partner.pk].events,
            "letters": activity[partner.pk].letters,
            "aid_deliveries": activity[partner.pk].aid,
            "open_needs": activity[partner.pk].open_needs,
        }
        for partner in selectors.partner_list(actor=request.user).filter(pk__in=list(activity))
    ]


# --- Agreements ---------------------------------------------------------------------------------


def _agreement(request, agreement_id: int):
    return selectors.agreement_get(actor=request.user, pk=agreement_id)


@router.get("/agreements", response=list[AgreementOut], summary="Agreements and programmes")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def agreement_list(request, filters: Query[AgreementFilter]):
    _speak(request, filters.lang)
    return selectors.agreement_list(
        actor=request.user,
        status=filters.status or "",
        partner=_partner(request, filters.partner),
        expiring_within=filters.expiring_within,
    )


@router.post("/agreements", response={201: AgreementDetailOut}, summary="Register an agreement")
@api_require(COOPERATION_MANAGE)
def agreement_create(request, payload: AgreementIn):
    fields = _fields(payload, ("title", "description"))
    fields["parties"] = [
        {
            "partner": _partner(request, party.partner_id),
            "signer_name": party.signer_name,
            **_translated("signer_position", party.signer_position),
        }
        for party in payload.parties
    ]
    agreement = services.agreement_create(actor=request.user, **fields)
    return Status(201, _agreement(request, agreement.pk))


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut, summary="One agreement")
@api_require(COOPERATION_VIEW)
def agreement_detail(request, agreement_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    return _agreement(request, agreement_id)


@router.post(
    "/agreements/{agreement_id}/versions",
    response={201: VersionOut},
    summary="Record an amendment as a new version",
)
@api_require(COOPERATION_MANAGE)
def agreement_version_add(request, agreement_id: int, payload: VersionIn):
    version = services.agreement_version_add(
        actor=request.user,
        agreement=_agreement(request, agreement_id),
        **_fields(payload, ("summary",)),
    )
    return Status(201, version)


@router.get(
    "/agreements/{agreement_id}/actions",
    response=list[ActionOut],
    summary="The action plan of an agreement",
)
@api_require(COOPERATION_VIEW)
def action_list(request, agreement_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    agreement = _agreement(request, agreement_id)
    return list(agreement.action_items.prefetch_related("events").order_by("due_on", "pk"))


@router.post(
    "/agreements/{agreement_id}/actions",
    response={201: ActionOut},
    summary="Add an item to the action plan",
)
@api_require(COOPERATION_MANAGE)
def action_add(request, agreement_id: int, payload: ActionIn):
    fields = _fields(payload, ("title",))
    fields["events"] = _events(fields.pop("event_ids"))
    item = services.action_item_add(
        actor=request.user, agreement=_agreement(request, agreement_id), **fields
    )
    return Status(201, reads.action_get(item.pk))


@router.get(
    "/actions/overdue",
    response=list[ActionOut],
    summary="Items of the action plans past their deadline and not done",
)
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def actions_overdue(request, query: Query[LangQuery]):
    _speak(request, query.lang)
    return selectors.action_items_overdue(on=timezone.localdate())


# --- Events -------------------------------------------------------------------------------------


def _event(request, event_id: int):
    return selectors.event_get(actor=request.user, pk=event_id)


def _event_partners(request, partners: list[EventPartnerIn]):
    return [(_partner(request, p.partner_id), p.role) for p in partners]


@router.get("/events", response=list[EventOut], summary="Visits, seminars, telebridges, forums")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def event_list(request, filters: Query[EventFilter]):
    _speak(request, filters.lang)
    return selectors.event_list(
        actor=request.user,
        kind=filters.kind or "",
        partner=_partner(request, filters.partner),
        year=filters.year,
        series=_series(filters.series) if filters.series else None,
        q=filters.q,
    )


@router.post("/events", response={201: EventDetailOut}, summary="Plan or record an event")
@api_require(COOPERATION_MANAGE)
def event_create(request, payload: EventIn):
    fields = _fields(payload, EVENT_TRANSLATED)
    fields["partners"] = _event_partners(request, payload.partners)
    agreement_id = fields.pop("agreement_id")
    fields["agreement"] = _agreements([agreement_id])[0] if agreement_id else None
    series_id = fields.pop("series_id")
    fields["series"] = _series(series_id) if series_id else None
    event = services.event_create(actor=request.user, **fields)
    return Status(201, _event(request, event.pk))


@router.get("/events/{event_id}", response=EventDetailOut, summary="One event")
@api_require(COOPERATION_VIEW)
def event_detail(request, event_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    return _event(request, event_id)


@router.patch("/events/{event_id}", response=EventDetailOut, summary="Change an event")
@api_require(COOPERATION_MANAGE)
def event_update(request, event_id: int, payload: EventPatch):
    event = _event(request, event_id)
    services.event_update(
        actor=request.user, event=event, **_fields(payload, EVENT_TRANSLATED, exclude_unset=True)
    )
    return _event(request, event_id)


@router.get(
    "/events/{event_id}/participants",
    response=list[ParticipantOut],
    summary="Who took part, on both sides, with their roles",
)
@api_require(COOPERATION_VIEW)
def participant_list(request, event_id: int):
    return list(_event(request, event_id).participants.select_related("partner_person", "employee"))


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
        person = next(
            (
                candidate
                for partner in event.partners.all()
                for candidate in partner.people.filter(pk=payload.partner_person_id)
            ),
            None,
        )
        if person is None:
            raise DomainError(
                "unknown_person",
                _("There is no such person among the event's partners."),
                details={"partner_person_id": [_("Choose a person of a partner of the event.")]},
            )
    employee = None
    if payload.employee_id is not None:
        from opora.institutions import selectors as institutions

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
    _speak(request, query.lang)
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
    fields = _fields(payload, STOP_TRANSLATED)
    fields["institution"] = _institution(fields.pop("institution_id"))
    stop = services.itinerary_stop_add(
        actor=request.user, event=_event(request, event_id), **fields
    )
    return Status(201, stop)


@router.patch("/events/{event_id}/itinerary/{stop_id}", response=StopOut, summary="Change a stop")
@api_require(COOPERATION_MANAGE)
def stop_change(request, event_id: int, stop_id: int, payload: StopPatch):
    stop = _stop(_event(request, event_id), stop_id)
    fields = _fields(payload, STOP_TRANSLATED, exclude_unset=True)
    if "institution_id" in fields:
        fields["institution"] = _institution(fields.pop("institution_id"))
    return services.itinerary_stop_change(actor=request.user, stop=stop, **fields)


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
    _speak(request, filters.lang)
    if filters.end < filters.start:
        raise DomainError(
            "period_reversed",
            _("The end of the period is before its start."),
            details={"to": [_("Enter a date on or after the start.")]},
        )
    return list(selectors.calendar(filters.start, filters.end))


# --- Seminar series -----------------------------------------------------------------------------


def _series(series_id: int):
    series = selectors.series_list().filter(pk=series_id).first()
    if series is None:
        raise DomainError(
            "unknown_series",
            _("There is no such seminar series."),
            details={"series_id": [_("Choose a series.")]},
            status=404,
        )
    return series


@router.get("/series", response=list[SeriesOut], summary="Numbered seminar series")
@api_require(COOPERATION_VIEW)
def series_list(request, query: Query[LangQuery]):
    _speak(request, query.lang)
    return list(selectors.series_list())


@router.get("/series/{series_id}", response=SeriesDetailOut, summary="A series with its editions")
@api_require(COOPERATION_VIEW)
def series_detail(request, series_id: int, query: Query[LangQuery]):
    _speak(request, query.lang)
    return _series(series_id)


@router.get(
    "/series/{series_id}/next",
    response=NextEditionOut,
    summary="The number of the next edition and who should host it",
)
@api_require(COOPERATION_VIEW)
def series_next(request, series_id: int):
    edition, host = selectors.series_next_edition(_series(series_id))
    return {"edition": edition, "host": host}


# --- Letters ------------------------------------------------------------------------------------


def _letter(request, letter_id: int):
    return selectors.letter_get(pk=letter_id)


@router.get("/letters", response=list[LetterOut], summary="Incoming and outgoing letters")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def letter_list(request, filters: Query[LetterFilter]):
    _speak(request, filters.lang)
    return selectors.letter_list(
        direction=filters.direction or "",
        partner=_partner(request, filters.partner),
        year=filters.year,
        q=filters.q,
        unresolved=filters.unresolved,
    )


@router.post(
    "/letters",
    response={201: LetterDetailOut},
    summary="Register a letter with its original text and any translations",
)
@api_require(COOPERATION_MANAGE)
def letter_register(request, payload: LetterIn):
    partner = _partner(request, payload.partner_id)
    originals = [v for v in payload.versions if v.is_original]
    if len(originals) != 1:
        raise DomainError(
            "one_original",
            _("A letter has exactly one original version."),
            details={"versions": [_("Mark one version as the original.")]},
        )
    signatory = None
    if payload.signatory_id is not None:
        signatory = reads.person_get(partner=partner, pk=payload.signatory_id)
    in_reply_to = _letter(request, payload.in_reply_to_id) if payload.in_reply_to_id else None
    original = originals[0]
    letter = services.letter_register(
        actor=request.user,
        direction=payload.direction,
        partner=partner,
        dated_on=payload.dated_on,
        received_on=payload.received_on,
        number=payload.number,
        subject=payload.subject,
        language=original.language,
        text=original.text,
        signatory=signatory,
        signatory_name=payload.signatory_name,
        our_person=payload.our_person,
        in_reply_to=in_reply_to,
        events=_events(payload.event_ids),
        agreements=_agreements(payload.agreement_ids),
    )
    for version in payload.versions:
        if not version.is_original:
            services.letter_version_add(
                actor=request.user,
                letter=letter,
                language=version.language,
                text=version.text,
                translator=version.translator,
            )
    return Status(201, _letter(request, letter.pk))


@router.get("/letters/{letter_id}", response=LetterDetailOut, summary="One letter")
@api_require(COOPERATION_VIEW)
def letter_detail(request, letter_id: int):
    return _letter(request, letter_id)


@router.post(
    "/letters/{letter_id}/versions",
    response={201: LetterVersionOut},
    summary="Add a translation (kept as it is, never changed)",
)
@api_require(COOPERATION_MANAGE)
def letter_version_add(request, letter_id: int, payload: LetterVersionIn):
    version = services.letter_version_add(
        actor=request.user, letter=_letter(request, letter_id), **payload.dict()
    )
    return Status(201, version)


@router.post(
    "/letters/{letter_id}/discrepancies",
    response={201: DiscrepancyOut},
    summary="Flag that versions of the letter disagree",
)
@api_require(COOPERATION_MANAGE)
def discrepancy_flag(request, letter_id: int, payload: DiscrepancyIn):
    letter = _letter(request, letter_id)
    versions = {v.pk: v for v in reads.versions_of(letter)}
    unknown = [pk for pk in payload.version_ids if pk not in versions]
    if unknown:
        raise DomainError(
            "version_not_in_letter",
            _("One of the versions named is not a version of this letter."),
            details={"version_ids": [_("Choose versions of this letter.")]},
        )
    discrepancy = services.discrepancy_flag(
        actor=request.user,
        letter=letter,
        versions=[versions[pk] for pk in dict.fromkeys(payload.version_ids)],
        description=payload.description,
    )
    return Status(201, discrepancy)


@router.post(
    "/letters/{letter_id}/discrepancies/{discrepancy_id}/resolve",
    response=DiscrepancyOut,
    summary="Record which version is right (the texts stay as they are)",
)
@api_require(COOPERATION_MANAGE)
def discrepancy_resolve(request, letter_id: int, discrepancy_id: int, payload: ResolveIn):
    letter = _letter(request, letter_id)
    discrepancy = reads.discrepancy_get(letter=letter, pk=discrepancy_id)
    correct = None
    if payload.correct_version_id is not None:
        correct = reads.versions_of(letter).filter(pk=payload.correct_version_id).first()
        if correct is None:
            raise DomainError(
                "version_not_in_letter",
                _("The version named is not a version of this letter."),
                details={"correct_version_id": [_("Choose a version of this letter.")]},
            )
    return services.discrepancy_resolve(
        actor=request.user,
        discrepancy=discrepancy,
        correct_version=correct,
        resolution=payload.resolution,
    )


# --- Needs and aid ------------------------------------------------------------------------------


@router.get("/needs", response=list[NeedOut], summary="Needs raised by partners")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def need_list(request, filters: Query[NeedFilter]):
    _speak(request, filters.lang)
    return selectors.need_list(
        status=filters.status or "",
        partner=_partner(request, filters.partner),
        kind=filters.kind or "",
    )


@router.post("/needs", response={201: NeedOut}, summary="Record a need a partner raised")
@api_require(COOPERATION_MANAGE)
def need_raise(request, payload: NeedIn):
    fields = _fields(payload, ("title", "description"))
    fields["partner"] = _partner(request, fields.pop("partner_id"))
    fields["raised_on"] = _today_or(fields["raised_on"])
    event_id = fields.pop("raised_at_event_id")
    fields["raised_at_event"] = _events([event_id])[0] if event_id else None
    letter_id = fields.pop("letter_id")
    fields["letter"] = _letter(request, letter_id) if letter_id else None
    need = services.need_raise(actor=request.user, **fields)
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
    _speak(request, filters.lang)
    return selectors.aid_list(partner=_partner(request, filters.partner))


@router.post("/aid", response={201: AidOut}, summary="Record aid handed over")
@api_require(COOPERATION_MANAGE)
def aid_deliver(request, payload: AidIn):
    partner = _partner(request, payload.partner_id)
    need = selectors.need_get(pk=payload.need_id) if payload.need_id else None
    delivery = services.aid_deliver(
        actor=request.user,
        partner=partner,
        need=need,
        handed_over_on=_today_or(payload.handed_over_on),
        document=payload.document,
        notes=payload.notes,
        items=[
            {"quantity": item.quantity, "unit": item.unit, **_translated("name", item.name)}
            for item in payload.items
        ],
    )
    return Status(201, selectors.aid_list().get(pk=delivery.pk))
