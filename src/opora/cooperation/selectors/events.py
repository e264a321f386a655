"""Every read of the events of cooperation: the list and one event, the calendar, a visit's
itinerary by day, seminar series with their editions, and exchanges of specialists.

Cooperation data is not personal data of residents: everyone with the view permission reads
all of it, so these selectors take no scope."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.institutions.models import Institution

from ..models import (
    CalendarFeedToken,
    Event,
    EventParticipant,
    EventPartner,
    EventStatus,
    Exchange,
    ForumStand,
    Host,
    ItineraryStop,
    PartnerPerson,
    SeminarSeries,
)
from .pages import visitable_institutions

__all__ = [
    "EditionRow",
    "ItineraryDay",
    "calendar",
    "event_get",
    "event_list",
    "event_partner_person",
    "events_around",
    "events_by_pk",
    "events_upcoming",
    "exchange_list",
    "expected_host",
    "feed_owner",
    "feed_token_of",
    "itinerary",
    "series_editions",
    "series_get",
    "series_list",
    "series_next_edition",
    "visitable_institution",
]


def visitable_institution(pk: int) -> Institution | None:
    """The institution of this id if a stop of an itinerary may visit it, else None."""
    return visitable_institutions().filter(pk=pk).first()


# --- Events -----------------------------------------------------------------------------------


def _translated_columns(base: str) -> list[str]:
    return [f"{base}_{code.replace('-', '_')}" for code, _name in settings.LANGUAGES]


def event_list(
    *,
    actor: Actor,
    kind: str = "",
    partner: Any = None,
    year: int | None = None,
    series: Any = None,
    q: str = "",
) -> QuerySet:
    """Events, the latest first. ``year`` takes the events held at least partly in it;
    ``q`` looks in the title in every language, the place, the city and the topics."""
    qs = Event.objects.select_related("series", "agreement").prefetch_related(
        Prefetch("event_partners", EventPartner.objects.select_related("partner"))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if partner:
        qs = qs.filter(event_partners__partner=partner)
    if year:
        qs = qs.filter(starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1))
    if series:
        qs = qs.filter(series=series)
    q = " ".join(q.split())
    if q:
        # SQLite keeps JSON with non-ASCII letters escaped (\u0443…), PostgreSQL as they are.
        match = Q(topics__icontains=q) | Q(topics__icontains=json.dumps(q)[1:-1])
        for base in ("title", "place", "city"):
            for column in _translated_columns(base):
                match |= Q(**{f"{column}__icontains": q})
        qs = qs.filter(match)
    return qs.distinct().order_by("-starts_on", "-pk")


def event_get(*, pk: int, actor: Actor) -> Event:
    """One event with what its page shows: partners and their roles, participants, files,
    stops, stands and sessions."""
    qs = Event.objects.select_related("series", "series__partner", "agreement").prefetch_related(
        Prefetch("event_partners", EventPartner.objects.select_related("partner")),
        Prefetch(
            "participants",
            EventParticipant.objects.select_related(
                "employee", "partner_person", "partner_person__partner"
            ).order_by("side", "pk"),
        ),
        "files",
        Prefetch("stops", ItineraryStop.objects.select_related("institution")),
        Prefetch("stands", ForumStand.objects.prefetch_related("institutions")),
        "sessions",
    )
    return get_object_or_404(qs, pk=pk)


def events_by_pk(pks: Iterable[int]) -> dict[int, Event]:
    """The events of these ids that exist, by id (a missing id is absent)."""
    return {event.pk: event for event in Event.objects.filter(pk__in=list(pks))}


def events_upcoming(*, on: dt.date) -> QuerySet:
    """Events not cancelled that have not ended by ``on``, the soonest first."""
    return (
        Event.objects.filter(ends_on__gte=on)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_on", "ends_on", "pk")
    )


def feed_owner(secret_hash: str) -> Any:
    """The active account whose feed address has this secret, if it is not revoked."""
    token = (
        CalendarFeedToken.objects.filter(
            key_hash=secret_hash, revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return token.user if token is not None else None


def feed_token_of(user: Any) -> CalendarFeedToken | None:
    """The person's feed address in use (its secret is not kept, only when it was made)."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def event_partner_person(*, event: Event, pk: int) -> PartnerPerson | None:
    """The person of this id if one of the event's partners has it, else None."""
    return PartnerPerson.objects.filter(pk=pk, partner__event_roles__event=event).first()


def calendar(start: dt.date, end: dt.date | None = None) -> QuerySet:
    """Every event that overlaps the days from ``start`` to ``end`` (both included; no end:
    every one to come), in the order they begin."""
    events = Event.objects.filter(ends_on__gte=start)
    if end is not None:
        events = events.filter(starts_on__lte=end)
    return events.prefetch_related(
        Prefetch("event_partners", EventPartner.objects.select_related("partner"))
    ).order_by("starts_on", "ends_on", "pk")


def events_around(start: dt.date, end: dt.date) -> tuple[Event | None, Event | None]:
    """The last event that ended before ``start`` and the first that begins after ``end``:
    where a calendar with nothing in its range sends the reader."""
    before = Event.objects.filter(ends_on__lt=start).order_by("-ends_on", "-pk").first()
    after = Event.objects.filter(starts_on__gt=end).order_by("starts_on", "pk").first()
    return before, after


@dataclass
class ItineraryDay:
    day: dt.date
    stops: list[ItineraryStop] = field(default_factory=list)


def itinerary(event: Event, *, every_day: bool = False) -> list[ItineraryDay]:
    """The day-by-day programme of a visit: its days in order, each with its stops by time.
    Days without a stop are left out unless ``every_day``."""
    stops = ItineraryStop.objects.filter(event=event).select_related("institution")
    by_day: dict[dt.date, ItineraryDay] = {}
    if every_day:
        day = event.starts_on
        while day <= event.ends_on:
            by_day[day] = ItineraryDay(day)
            day += dt.timedelta(days=1)
    for stop in stops.order_by("day", "starts_at", "pk"):
        by_day.setdefault(stop.day, ItineraryDay(stop.day)).stops.append(stop)
    return [by_day[day] for day in sorted(by_day)]


# --- Seminar series ---------------------------------------------------------------------------


def expected_host(series: SeminarSeries, edition: int) -> str:
    """Who hosts an edition by the rule of the series.

    The alternation follows the numbers of the editions, not calendar years: the first edition
    is held by ``first_host``, the second by the other side, and so on. A year without a
    seminar (or a year with two) therefore does not shift the rule: the next edition is simply
    the next number, hosted by the side that did not host the one before. The Moscow–Berlin
    series shows why: the 1st seminar was held in Berlin (2007) and the 18th in Moscow (2017);
    counting years would have put 2017, an even number of years later, in Berlin again."""
    if not series.alternates or series.first_host == Host.JOINT:
        return series.first_host
    if edition % 2 == 1:
        return series.first_host
    return Host.PARTNER if series.first_host == Host.OURS else Host.OURS


def series_next_edition(series: SeminarSeries) -> tuple[int, str]:
    """The number of the next edition (one past the highest recorded) and its host by the
    alternation."""
    highest = Event.objects.filter(series=series).aggregate(n=Max("edition"))["n"] or 0
    number = highest + 1
    return number, expected_host(series, number)


def series_list() -> QuerySet:
    """The series with their number of editions and the dates of the first and last."""
    return (
        SeminarSeries.objects.select_related("partner")
        .annotate(
            edition_count=Count("editions"),
            last_edition=Max("editions__edition"),
            first_edition_on=Min("editions__starts_on"),
            last_edition_on=Max("editions__starts_on"),
        )
        .order_by("name", "pk")
    )


def series_get(*, pk: int) -> SeminarSeries:
    return get_object_or_404(series_list(), pk=pk)


@dataclass(frozen=True)
class EditionRow:
    edition: int
    event: Event
    expected_host: str
    # The host differs from the alternation (and the event says why in host_override_reason).
    differs: bool


def series_editions(series: SeminarSeries) -> list[EditionRow]:
    """The editions of a series by number, each with the host the alternation expects."""
    rows = []
    for event in Event.objects.filter(series=series).order_by("edition", "pk"):
        assert event.edition is not None
        expected = expected_host(series, event.edition)
        rows.append(EditionRow(event.edition, event, expected, event.host != expected))
    return rows


# --- Exchanges --------------------------------------------------------------------------------


def exchange_list(
    *,
    actor: Actor,
    partner: Any = None,
    employee: Any = None,
    direction: str = "",
    year: int | None = None,
) -> QuerySet:
    """Exchanges of specialists, the latest first; ``year`` takes those held at least partly
    in it."""
    qs = Exchange.objects.select_related("employee", "partner", "event", "training_record")
    if partner:
        qs = qs.filter(partner=partner)
    if employee:
        qs = qs.filter(employee=employee)
    if direction:
        qs = qs.filter(direction=direction)
    if year:
        qs = qs.filter(starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1))
    return qs.order_by("-starts_on", "-pk")
