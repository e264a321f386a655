"""Every write of the events of cooperation: events and their partners, participants and files,
visit itineraries, numbered seminar series, forums (stands and sessions), and exchanges of
specialists, which also enter the employee's training records.

Content that partners read is given per language as keyword fields (``title_ru=…``,
``title_en=…``), the names modeltranslation gives the columns; Russian is the one a required
field needs, the others fall back to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from opora.core import audit, uploads
from opora.core.actors import Actor
from opora.core.errors import (
    Conflict,
    DomainError,
    reject_unknown_fields,
    require_choice,
    validated,
)
from opora.institutions import services as institution_services
from opora.institutions.models import Employee, Institution, InstitutionStatus, TrainingKind
from opora.institutions.selectors import institution_status_on

from .. import audit_actions as actions
from ..models import (
    ONLINE_EVENT_KINDS,
    Direction,
    Event,
    EventFile,
    EventFileKind,
    EventKind,
    EventParticipant,
    EventPartner,
    EventPartnerRole,
    EventStatus,
    Exchange,
    ForumSession,
    ForumStand,
    Host,
    ItineraryStop,
    ParticipantRole,
    Partner,
    PartnerPerson,
    SeminarSeries,
    Side,
    StopKind,
)
from ..selectors.events import expected_host, series_next_edition
from .common import (
    LANGUAGE_CODES,
    apply_translations,
    example_mark,
    require_manage,
    require_russian,
    save_with_upload,
    split_translations,
    translated_field_names,
)

__all__ = [
    "EVENT_FIELDS",
    "STOP_FIELDS",
    "event_create",
    "event_file_add",
    "event_update",
    "exchange_record",
    "expected_host",
    "forum_session_add",
    "itinerary_stop_add",
    "itinerary_stop_change",
    "itinerary_stop_remove",
    "participant_add",
    "series_create",
    "series_next_edition",
    "stand_add",
]

EVENT_FIELDS = (
    "kind",
    "starts_on",
    "ends_on",
    "online_url",
    "host",
    "agreement",
    "series",
    "edition",
    "host_override_reason",
    "topics",
    "participant_count",
    "status",
)
STOP_FIELDS = ("day", "starts_at", "ends_at", "kind", "institution", "host_name")
# What the demo made up (``core.models.ExampleMark``): written when a record is created.
EXAMPLE_FIELDS = ("is_example", "example_note")
# Photos are images; documents are texts or their scans.
PHOTO_TYPES = uploads.IMAGES
DOCUMENT_TYPES = frozenset({"pdf", "docx"}) | uploads.SCANS
# A closed institution receives no visitors; neither does one not yet open.
NOT_VISITABLE = (InstitutionStatus.CLOSED, InstitutionStatus.PLANNED)


# --- Shared steps -----------------------------------------------------------------------------


def _translated_names(model: type[Model]) -> tuple[str, ...]:
    """``title_ru``, ``title_en``… for each translated field of the model."""
    return tuple(
        f"{base}_{code}" for base in translated_field_names(model) for code in LANGUAGE_CODES
    )


def _translations(model: type[Model], values: Mapping[str, Any]) -> dict[str, str]:
    """The per-language values given (a plain ``title`` is the Russian one), each tidied; any
    other name is refused."""
    plain, languages = split_translations(model, values)
    reject_unknown_fields(plain, ())
    return languages


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def _time(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _require_within(event: Event, day: dt.date, field: str = "day") -> None:
    if not event.starts_on <= day <= event.ends_on:
        raise DomainError(
            "day_outside_event",
            _("The day %(day)s is not within the event, held from %(start)s to %(end)s.")
            % {"day": _day(day), "start": _day(event.starts_on), "end": _day(event.ends_on)},
            details={field: [_("Choose a day of the event.")]},
        )


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


# --- Seminar series ---------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    actor: Actor,
    partner: Partner,
    alternates: bool = True,
    first_host: str = Host.OURS,
    first_held_on: dt.date | None = None,
    notes: str = "",
    **names: Any,
) -> SeminarSeries:
    """Start a numbered series of seminars with a partner; ``name_ru=…`` (and the other
    languages) name it."""
    require_manage(actor)
    if alternates and first_host == Host.JOINT:
        raise DomainError(
            "host_alternation",
            _("A series that alternates its host starts at one of the two sides."),
            details={"first_host": [_("Choose our department or the partner.")]},
        )
    series = SeminarSeries(
        partner=partner,
        alternates=alternates,
        first_host=first_host,
        first_held_on=first_held_on,
        notes=notes.strip(),
        **_translations(SeminarSeries, names),
    )
    require_russian(series, "name")
    validated(series).save()
    audit.record(
        actor=actor,
        action=actions.SERIES_CREATED,
        obj=series,
        changes=audit.diff(
            {}, audit.snapshot(series, ("partner", "alternates", "first_host", "first_held_on"))
        ),
    )
    return series


def _check_edition(event: Event) -> None:
    if event.series_id is None:
        return
    series = event.series
    assert series is not None
    edition = event.edition
    assert edition is not None
    taken = Event.objects.filter(series=series, edition=edition).exclude(pk=event.pk).first()
    if taken is not None:
        raise Conflict(
            "edition_taken",
            _("The series already has edition %(number)s: %(title)s.")
            % {"number": edition, "title": taken.title},
            details={"edition": [_("Choose another number.")]},
        )
    expected = expected_host(series, edition)
    if event.host != expected and not event.host_override_reason.strip():
        raise DomainError(
            "host_alternation",
            _(
                "Edition %(number)s of the series is hosted by %(expected)s by the alternation; "
                "say why it is hosted by %(host)s instead."
            )
            % {
                "number": edition,
                "expected": Host(expected).label,
                "host": Host(event.host).label,
            },
            details={"host_override_reason": [_("Give the reason, or choose the other host.")]},
        )


# --- Events -----------------------------------------------------------------------------------


def _partner_roles(partners: Any) -> list[tuple[Partner, str]]:
    """Partners given as a list (each a participant), as ``(partner, role)`` pairs, or as a
    mapping of partner to role."""
    pairs: Iterable[Any] = partners.items() if isinstance(partners, Mapping) else partners
    result: list[tuple[Partner, str]] = []
    for item in pairs:
        partner, role = item if isinstance(item, tuple) else (item, EventPartnerRole.PARTICIPANT)
        require_choice(
            role,
            EventPartnerRole,
            field="partners",
            code="invalid_role",
            message=_("Unknown role of a partner in an event."),
            hint=_("Choose organiser, participant or host."),
        )
        result.append((partner, role))
    return result


def _set_partners(event: Event, partners: Any) -> None:
    pairs = _partner_roles(partners)
    EventPartner.objects.filter(event=event).exclude(
        partner__in=[partner for partner, _role in pairs]
    ).delete()
    for partner, role in pairs:
        EventPartner.objects.update_or_create(event=event, partner=partner, defaults={"role": role})


def _has_place(event: Event) -> bool:
    return any(
        (getattr(event, f"place_{code.replace('-', '_')}", "") or "").strip()
        for code, _name in settings.LANGUAGES
    )


def _check_event(event: Event) -> None:
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        raise DomainError(
            "ends_before_start",
            _("An event cannot end before it starts."),
            details={"ends_on": [_("Must be on or after the start date.")]},
        )
    if event.kind in ONLINE_EVENT_KINDS and not event.online_url and not _has_place(event):
        raise DomainError(
            "online_url_required",
            _("A telebridge or a video conference needs its link when it has no place."),
            details={"online_url": [_("Give the link, or the place where it is held.")]},
        )
    if event.series_id is not None and event.kind != EventKind.SEMINAR:
        raise DomainError(
            "not_a_seminar",
            _("Only a seminar is an edition of a seminar series."),
            details={"kind": [_("Choose the kind “seminar”, or leave the series empty.")]},
        )
    _check_edition(event)


def _event_data(event: Event) -> dict[str, Any]:
    return {"kind": event.kind, "starts_on": event.starts_on.isoformat()}


def _audited_event_fields() -> tuple[str, ...]:
    return (*EVENT_FIELDS, *_translated_names(Event))


@transaction.atomic
def event_create(
    *,
    actor: Actor,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    host: str | None = None,
    partners: Any = (),
    agreement: Any = None,
    series: SeminarSeries | None = None,
    edition: int | None = None,
    host_override_reason: str = "",
    online_url: str = "",
    topics: Iterable[str] = (),
    participant_count: int | None = None,
    status: str = EventStatus.PLANNED,
    is_example: bool = False,
    example_note: str = "",
    **translated: Any,
) -> Event:
    """Plan (or record) an event. ``partners`` are partners (each a participant), pairs of a
    partner and its role, or a mapping of them. An edition of a series takes the next number
    and the host by the alternation unless they are given; a host against the alternation
    needs ``host_override_reason``. ``is_example``/``example_note`` mark what the demo made up
    (a day the sources give only to the month)."""
    require_manage(actor)
    if series is not None:
        series = SeminarSeries.objects.select_for_update().get(pk=series.pk)
        edition = edition or series_next_edition(series)[0]
        if host is None:
            host = expected_host(series, edition)
    event = Event(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        host=host or Host.OURS,
        agreement=agreement,
        series=series,
        edition=edition if series is not None else None,
        host_override_reason=host_override_reason.strip(),
        online_url=online_url.strip(),
        topics=[" ".join(t.split()) for t in topics if t and t.strip()],
        participant_count=participant_count,
        status=status,
        **example_mark(is_example, example_note),
        **_translations(Event, translated),
    )
    require_russian(event, "title")
    _check_event(event)
    validated(event).save()
    _set_partners(event, partners)
    audit.record(
        actor=actor,
        action=actions.EVENT_CREATED,
        obj=event,
        changes=audit.diff({}, audit.snapshot(event, (*_audited_event_fields(), *EXAMPLE_FIELDS))),
        data={**_event_data(event), "partners": [p.pk for p, _r in _partner_roles(partners)]},
    )
    return event


@transaction.atomic
def event_update(
    *, actor: Actor, event: Event, reason: str = "", partners: Any = None, **fields: Any
) -> Event:
    """Change an event; ``partners`` (when given) replaces its partners and their roles. The
    dates cannot leave a stop of the itinerary or a session of a forum outside the event."""
    require_manage(actor)
    fields, languages = split_translations(Event, fields)
    reject_unknown_fields(fields, EVENT_FIELDS)
    event = _locked_event(event)
    audited = _audited_event_fields()
    before = audit.snapshot(event, audited)
    partners_before = sorted(event.event_partners.values_list("partner_id", "role"))
    apply_translations(event, languages)
    require_russian(event, "title")
    for name, value in fields.items():
        if name in ("online_url", "host_override_reason"):
            value = (value or "").strip()
        elif name == "topics":
            value = [" ".join(t.split()) for t in value or () if t and t.strip()]
        setattr(event, name, value)
    if event.series_id is None:
        event.edition = None
    elif event.edition is None:
        assert event.series is not None
        event.edition = series_next_edition(event.series)[0]
    _check_event(event)
    outside: list[tuple[str, dt.date]] = [
        *event.stops.exclude(day__range=(event.starts_on, event.ends_on))
        .order_by("day")
        .values_list("title", "day")[:1],
        *event.sessions.exclude(day__range=(event.starts_on, event.ends_on))
        .order_by("day")
        .values_list("title", "day")[:1],
    ]
    if outside:
        title, day = outside[0]
        rule = [_("Must include every day of the event's programme.")]
        raise DomainError(
            "programme_outside_dates",
            _("“%(title)s” on %(day)s would fall outside the event; move or remove it first.")
            % {"title": title, "day": _day(day)},
            details={"starts_on": rule, "ends_on": rule},
        )
    validated(event).save()
    if partners is not None:
        _set_partners(event, partners)
    changes = audit.diff(before, audit.snapshot(event, audited))
    partners_after = sorted(event.event_partners.values_list("partner_id", "role"))
    if partners_after != partners_before:
        changes["partners"] = [partners_before, partners_after]
    if changes:
        audit.record(
            actor=actor,
            action=actions.EVENT_UPDATED,
            obj=event,
            changes=changes,
            reason=reason,
            data=_event_data(event),
        )
    return event


# --- Participants and files -------------------------------------------------------------------


@transaction.atomic
def participant_add(
    *,
    actor: Actor,
    event: Event,
    employee: Employee | None = None,
    partner_person: PartnerPerson | None = None,
    name: str = "",
    side: str | None = None,
    role: str = ParticipantRole.MEMBER,
) -> EventParticipant:
    """Add a participant: one of ours (an employee), one of a partner of the event (a partner's
    representative), or a person named in words, whose ``side`` must then be said."""
    require_manage(actor)
    name = " ".join(name.split())
    given = [x for x in (employee, partner_person, name or None) if x is not None]
    if len(given) != 1:
        raise DomainError(
            "participant_unclear",
            _("Name the participant once: an employee, a partner's representative or a name."),
            details={"employee": [_("Choose one.")]},
        )
    event = _locked_event(event)
    if employee is not None:
        side = Side.OURS
        taken = event.participants.filter(employee=employee)
    elif partner_person is not None:
        if not event.event_partners.filter(partner_id=partner_person.partner_id).exists():
            raise DomainError(
                "not_a_partner_of_the_event",
                _("%(person)s represents %(partner)s, which is not a partner of this event.")
                % {"person": partner_person, "partner": partner_person.partner},
                details={"partner_person": [_("Add the partner to the event first.")]},
            )
        side = Side.PARTNER
        taken = event.participants.filter(partner_person=partner_person)
    else:
        side = require_choice(
            side,
            Side,
            field="side",
            code="side_required",
            message=_("Say on whose side a participant named in words is."),
            hint=_("Choose a side."),
        )
        taken = event.participants.filter(name=name, side=side)
    if taken.exists():
        raise Conflict(
            "participant_already_added",
            _("%(name)s already takes part in this event.") % {"name": given[0]},
            details={"employee": [_("Already a participant.")]},
        )
    participant = EventParticipant(
        event=event,
        side=side,
        employee=employee,
        partner_person=partner_person,
        name=name,
        role=role,
    )
    validated(participant).save()
    audit.record(
        actor=actor,
        action=actions.EVENT_PARTICIPANT_ADDED,
        obj=event,
        data={"name": str(participant), "role": role, "side": side, "participant": participant.pk},
    )
    return participant


@transaction.atomic
def event_file_add(
    *, actor: Actor, event: Event, kind: str, upload: Any, **titles: Any
) -> EventFile:
    """Attach a photo (JPEG, PNG, WebP) or a document (PDF, DOCX or a scan) to an event. The
    type is read from the content, the size limited and the stored name random; everything is
    checked before the file is written, and a file whose row is refused is removed again."""
    require_manage(actor)
    require_choice(
        kind,
        EventFileKind,
        field="kind",
        code="unknown_file_kind",
        message=_("Unknown kind of file."),
        hint=_("Choose photo or document."),
    )
    attached = EventFile(event=event, kind=kind, **_translations(EventFile, titles))
    save_with_upload(
        attached,
        upload,
        allowed=PHOTO_TYPES if kind == EventFileKind.PHOTO else DOCUMENT_TYPES,
        after_save=lambda: audit.record(
            actor=actor,
            action=actions.EVENT_FILE_ADDED,
            obj=event,
            data={"name": attached.original_name, "kind": kind, "file": attached.pk},
        ),
    )
    return attached


# --- Itinerary --------------------------------------------------------------------------------


def _check_stop(stop: ItineraryStop) -> None:
    """The rules of one stop against its event and the other stops of its day."""
    event = stop.event
    _require_within(event, stop.day)
    if stop.ends_at <= stop.starts_at:
        raise DomainError(
            "stop_ends_before_start",
            _("A stop ends after it starts."),
            details={"ends_at": [_("Check the times.")]},
        )
    if stop.kind == StopKind.INSTITUTION_VISIT and stop.institution_id is None:
        raise DomainError(
            "institution_required",
            _("A visit to an institution names the institution."),
            details={"institution": [_("Choose the institution.")]},
        )
    if stop.institution_id is not None:
        institution = stop.institution
        assert isinstance(institution, Institution)
        status = institution_status_on(institution, stop.day)
        if status in NOT_VISITABLE:
            raise DomainError(
                "institution_closed",
                _("%(institution)s is %(status)s on %(day)s and cannot be visited.")
                % {
                    "institution": institution.display_name,
                    "status": InstitutionStatus(status).label,
                    "day": _day(stop.day),
                },
                details={"institution": [_("Choose an institution open on that day.")]},
            )
    other = (
        ItineraryStop.objects.filter(
            event=event, day=stop.day, starts_at__lt=stop.ends_at, ends_at__gt=stop.starts_at
        )
        .exclude(pk=stop.pk)
        .order_by("starts_at", "pk")
        .first()
    )
    if other is not None:
        raise Conflict(
            "stops_overlap",
            _("On %(day)s this stop overlaps “%(other)s”, from %(start)s to %(end)s.")
            % {
                "day": _day(stop.day),
                "other": other.title,
                "start": _time(other.starts_at),
                "end": _time(other.ends_at),
            },
            details={
                "starts_at": [_("Choose a time when no other stop is planned.")],
                "other_stop": other.pk,
            },
        )


def _stop_data(stop: ItineraryStop) -> dict[str, Any]:
    return {
        "title": stop.title,
        "day": _day(stop.day),
        "starts_at": _time(stop.starts_at),
        "ends_at": _time(stop.ends_at),
        "stop": stop.pk,
    }


def _audited_stop_fields() -> tuple[str, ...]:
    return (*STOP_FIELDS, *_translated_names(ItineraryStop))


@transaction.atomic
def itinerary_stop_add(
    *,
    actor: Actor,
    event: Event,
    day: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    kind: str,
    institution: Institution | None = None,
    host_name: str = "",
    is_example: bool = False,
    example_note: str = "",
    **translated: Any,
) -> ItineraryStop:
    """Add a stop to the day-by-day programme of a visit. The day is within the event, the
    stop overlaps no other stop of that day, and an institution visited is open on that day.
    ``is_example``/``example_note`` mark what the demo made up (the hours)."""
    require_manage(actor)
    # Locking the event makes two stops added at once see each other.
    event = _locked_event(event)
    stop = ItineraryStop(
        event=event,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        institution=institution,
        host_name=" ".join(host_name.split()),
        **example_mark(is_example, example_note),
        **_translations(ItineraryStop, translated),
    )
    require_russian(stop, "title")
    _check_stop(stop)
    validated(stop).save()
    audit.record(
        actor=actor,
        action=actions.EVENT_STOP_ADDED,
        obj=event,
        changes=audit.diff({}, audit.snapshot(stop, (*_audited_stop_fields(), *EXAMPLE_FIELDS))),
        data=_stop_data(stop),
    )
    return stop


@transaction.atomic
def itinerary_stop_change(
    *, actor: Actor, stop: ItineraryStop, reason: str = "", **fields: Any
) -> ItineraryStop:
    """Change a stop, checked by the same rules as a new one."""
    require_manage(actor)
    fields, languages = split_translations(ItineraryStop, fields)
    reject_unknown_fields(fields, STOP_FIELDS)
    event = _locked_event(stop.event)
    stop = ItineraryStop.objects.select_related("institution").get(pk=stop.pk, event=event)
    stop.event = event
    audited = _audited_stop_fields()
    before = audit.snapshot(stop, audited)
    apply_translations(stop, languages)
    require_russian(stop, "title")
    for name, value in fields.items():
        if name == "host_name":
            value = " ".join((value or "").split())
        setattr(stop, name, value)
    _check_stop(stop)
    validated(stop).save()
    audit.record_changes(
        actor=actor,
        action=actions.EVENT_STOP_CHANGED,
        obj=event,
        before=before,
        after=audit.snapshot(stop, audited),
        reason=reason,
        data=_stop_data(stop),
    )
    return stop


@transaction.atomic
def itinerary_stop_remove(*, actor: Actor, stop: ItineraryStop, reason: str = "") -> None:
    require_manage(actor)
    event = _locked_event(stop.event)
    stop = ItineraryStop.objects.get(pk=stop.pk, event=event)
    data = _stop_data(stop)
    before = audit.snapshot(stop, _audited_stop_fields())
    stop.delete()
    audit.record(
        actor=actor,
        action=actions.EVENT_STOP_REMOVED,
        obj=event,
        changes=audit.diff(before, {}),
        reason=reason,
        data=data,
    )


# --- Forums -----------------------------------------------------------------------------------


def _require_forum(event: Event) -> None:
    if event.kind != EventKind.FORUM:
        raise DomainError(
            "not_a_forum",
            _("Stands and sessions belong to a forum; %(title)s is not one.")
            % {"title": event.title},
            details={"event": [_("Choose a forum.")]},
        )


@transaction.atomic
def stand_add(
    *, actor: Actor, event: Event, institutions: Iterable[Institution] = (), **translated: Any
) -> ForumStand:
    """A stand of the department at a forum: its title, project and the institutions behind
    it."""
    require_manage(actor)
    event = _locked_event(event)
    _require_forum(event)
    stand = ForumStand(event=event, **_translations(ForumStand, translated))
    require_russian(stand, "title")
    validated(stand).save()
    stand.institutions.set(list(institutions))
    audit.record(
        actor=actor,
        action=actions.STAND_ADDED,
        obj=event,
        data={
            "title": stand.title,
            "stand": stand.pk,
            "institutions": sorted(stand.institutions.values_list("pk", flat=True)),
        },
    )
    return stand


@transaction.atomic
def forum_session_add(
    *,
    actor: Actor,
    event: Event,
    day: dt.date,
    starts_at: dt.time,
    ends_at: dt.time | None = None,
    participant_count: int | None = None,
    **translated: Any,
) -> ForumSession:
    require_manage(actor)
    event = _locked_event(event)
    _require_forum(event)
    _require_within(event, day)
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(
            "session_ends_before_start",
            _("A session ends after it starts."),
            details={"ends_at": [_("Check the times.")]},
        )
    session = ForumSession(
        event=event,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        participant_count=participant_count,
        **_translations(ForumSession, translated),
    )
    require_russian(session, "title")
    validated(session).save()
    audit.record(
        actor=actor,
        action=actions.SESSION_ADDED,
        obj=event,
        data={"title": session.title, "day": _day(day), "session": session.pk},
    )
    return session


# --- Exchanges of specialists -----------------------------------------------------------------


def _training_title(exchange: Exchange) -> str:
    """The title of the training record, in the department's own language: staff records are
    kept in Russian whatever language the officer works in."""
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        if exchange.event_id is not None:
            assert exchange.event is not None
            return exchange.event.title
        if exchange.direction == Direction.OUTGOING:
            return _("Exchange of specialists: a visit to %(partner)s") % {
                "partner": exchange.partner.name
            }
        return _("Exchange of specialists: receiving colleagues from %(partner)s") % {
            "partner": exchange.partner.name
        }


@transaction.atomic
def exchange_record(
    *,
    actor: Actor,
    employee: Employee,
    direction: str,
    partner: Partner,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    event: Event | None = None,
    hours: int | None = None,
    is_example: bool = False,
    example_note: str = "",
    **translated: Any,
) -> Exchange:
    """Record that an employee went to a partner (or received its specialists) and enter it in
    the employee's training records, linked both ways: the exchange keeps its record, the
    record keeps ``cooperation.exchange:<pk>``. ``is_example``/``example_note`` mark what the
    demo made up (who took part, the hours); the training record carries the same mark."""
    require_manage(actor)
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise DomainError(
            "ends_before_start",
            _("An exchange cannot end before it starts."),
            details={"ends_on": [_("Must be on or after the start date.")]},
        )
    require_choice(
        direction,
        Direction,
        field="direction",
        code="invalid_direction",
        message=_("Unknown direction of an exchange."),
        hint=_("Choose outgoing or incoming."),
    )
    exchange = Exchange(
        employee=employee,
        direction=direction,
        partner=partner,
        event=event,
        starts_on=starts_on,
        ends_on=ends_on,
        **example_mark(is_example, example_note),
        **_translations(Exchange, translated),
    )
    validated(exchange).save()
    is_seminar = event is not None and event.kind == EventKind.SEMINAR
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        organiser = partner.name
    record = institution_services.training_record(
        actor=actor,
        employee=employee,
        title=_training_title(exchange)[:300],
        kind=TrainingKind.SEMINAR if is_seminar else TrainingKind.EXCHANGE,
        started_on=starts_on,
        ended_on=ends_on,
        hours=hours,
        organiser=organiser[:300],
        source="cooperation",
        external_ref=f"cooperation.exchange:{exchange.pk}",
        is_example=exchange.is_example,
        example_note=exchange.example_note,
    )
    exchange.training_record = record
    exchange.save(update_fields=["training_record", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.EXCHANGE_RECORDED,
        obj=partner,
        data={
            "employee": employee.full_name,
            "direction": direction,
            "exchange": exchange.pk,
            "training": record.pk,
        },
    )
    return exchange
