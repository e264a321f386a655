"""The iCalendar feed of the events, read back with the icalendar library: every event once, as
whole days with an exclusive end, a stable UID, and the title in the asked language with the
Russian one where no translation is given."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from opora.cooperation import selectors, services
from opora.cooperation.ical import calendar_feed
from opora.cooperation.models import EventKind, EventStatus
from opora.core.actors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(berlin):
    seminar = services.event_create(
        actor=SYSTEM,
        kind=EventKind.SEMINAR,
        title_ru="18-й социальный семинар",
        title_de="18. Sozialseminar",
        starts_on=dt.date(2017, 7, 4),
        ends_on=dt.date(2017, 7, 9),
        place_ru="Департамент труда и социальной защиты населения",
        city_ru="Москва",
        description_ru="Инклюзия и занятость",
        partners=[berlin],
        status=EventStatus.HELD,
    )
    telebridge = services.event_create(
        actor=SYSTEM,
        kind=EventKind.TELEBRIDGE,
        title_ru="Телемост «Социальная защита — единство, поддержка и помощь»",
        starts_on=dt.date(2021, 9, 20),
        online_url="https://meet.example.org/vitebsk-smolensk",
    )
    return seminar, telebridge


def parsed(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(c.get("uid")): c for c in calendar.walk("VEVENT")}


def test_the_feed_parses_and_carries_every_event_with_its_days(events):
    seminar, telebridge = events
    data = calendar_feed(selectors.calendar(dt.date(2017, 1, 1), dt.date(2021, 12, 31)))

    found = parsed(data)

    assert set(found) == {
        f"cooperation-event-{seminar.pk}@opora",
        f"cooperation-event-{telebridge.pk}@opora",
    }
    six_days = found[f"cooperation-event-{seminar.pk}@opora"]
    assert six_days.decoded("dtstart") == dt.date(2017, 7, 4)
    # DTEND is exclusive: the day after the last day of the seminar.
    assert six_days.decoded("dtend") == dt.date(2017, 7, 10)
    assert not isinstance(six_days.decoded("dtstart"), dt.datetime)
    assert str(six_days.get("location")) == (
        "Департамент труда и социальной защиты населения, Москва"
    )
    assert str(six_days.get("description")) == "Инклюзия и занятость"
    assert str(six_days.get("status")) == "CONFIRMED"
    assert six_days.decoded("last-modified").tzinfo is not None

    one_day = found[f"cooperation-event-{telebridge.pk}@opora"]
    assert one_day.decoded("dtstart") == dt.date(2021, 9, 20)
    assert one_day.decoded("dtend") == dt.date(2021, 9, 21)
    assert str(one_day.get("url")) == "https://meet.example.org/vitebsk-smolensk"


def test_titles_come_in_the_asked_language_with_the_russian_fallback(events):
    seminar, telebridge = events

    german = parsed(calendar_feed([seminar, telebridge], language="de"))
    english = parsed(calendar_feed([seminar, telebridge], language="en"))

    assert str(german[f"cooperation-event-{seminar.pk}@opora"]["summary"]) == "18. Sozialseminar"
    assert str(english[f"cooperation-event-{seminar.pk}@opora"]["summary"]) == (
        "18-й социальный семинар"
    )
    assert str(german[f"cooperation-event-{telebridge.pk}@opora"]["summary"]).startswith("Телемост")


def test_the_uid_stays_when_the_event_changes(events):
    seminar, _telebridge = events
    before = parsed(calendar_feed([seminar]))
    services.event_update(actor=SYSTEM, event=seminar, title_ru="XVIII социальный семинар")
    seminar.refresh_from_db()
    after = parsed(calendar_feed([seminar]))
    assert set(before) == set(after)
    (event,) = after.values()
    assert str(event["summary"]) == "XVIII социальный семинар"


def test_an_empty_calendar_is_still_a_calendar():
    calendar = Calendar.from_ical(calendar_feed([]))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"
