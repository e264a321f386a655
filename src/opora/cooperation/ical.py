"""The events of cooperation as an iCalendar feed (RFC 5545), for the calendars of the staff
and of partners.

Events are kept as whole days, so each is an all-day VEVENT whose DTEND is the day after the
last day (iCalendar's end is exclusive). The UID is made of the primary key only, so a calendar
that subscribes to the feed updates an event in place when it changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event, EventStatus

PRODUCT_ID = "-//Opora//Cooperation events//EN"
STATUSES: dict[str, str] = {
    EventStatus.PLANNED: "TENTATIVE",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event: Event) -> str:
    return f"cooperation-event-{event.pk}@opora"


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _component(event: Event) -> CalendarEvent:
    """One event in the active language; a field not translated reads in Russian."""
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    component.add("summary", event.title)
    component.add("dtstart", event.starts_on)
    component.add("dtend", event.ends_on + dt.timedelta(days=1))
    modified = _as_utc(event.updated_at)
    # The time the event last changed, not the time of the request: the feed of unchanged
    # events stays byte for byte the same.
    component.add("dtstamp", modified)
    component.add("last-modified", modified)
    location = ", ".join(part for part in (event.place, event.city) if part)
    if location:
        component.add("location", location)
    if event.online_url:
        component.add("url", event.online_url)
    if event.description:
        component.add("description", event.description)
    component.add("categories", [str(event.get_kind_display())])
    component.add("status", STATUSES.get(event.status, "TENTATIVE"))
    return component


def calendar_feed(events: Iterable[Event], *, language: str | None = None) -> bytes:
    """The events as one iCalendar document, in ``language`` (the active one by default)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        feed = Calendar()
        feed.add("prodid", PRODUCT_ID)
        feed.add("version", "2.0")
        feed.add("calscale", "GREGORIAN")
        feed.add("method", "PUBLISH")
        feed.add("x-wr-calname", _("Cooperation events"))
        for event in events:
            feed.add_component(_component(event))
        return feed.to_ical()
