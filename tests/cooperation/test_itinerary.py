"""A visit's day-by-day programme (seed 001: the Lugansk delegation in Moscow, November 2022):
stops of one day never overlap, the day is within the visit, an institution closed on the day is
not visited, and a refused stop writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.cooperation import audit_actions as actions
from opora.cooperation import selectors, services
from opora.cooperation.models import (
    EventKind,
    EventPartnerRole,
    ItineraryStop,
    PartnerKind,
    StopKind,
)
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions import services as institution_services

T = dt.time


@pytest.fixture
def lugansk(make_partner):
    return make_partner(
        code="lugansk",
        kind=PartnerKind.CITY,
        country="RU",
        name_ru="Администрация города Луганска",
        name_en="Lugansk city administration",
    )


@pytest.fixture
def visit(lugansk):
    return services.event_create(
        actor=SYSTEM,
        kind=EventKind.INCOMING_VISIT,
        title_ru="Визит делегации социальной сферы Луганска",
        title_en="Visit of a social-sector delegation from Lugansk",
        starts_on=dt.date(2022, 11, 21),
        ends_on=dt.date(2022, 11, 23),
        city_ru="Москва",
        partners=[(lugansk, EventPartnerRole.PARTICIPANT)],
    )


@pytest.fixture
def school(make_institution):
    return make_institution(
        code="blind-school-1",
        name="Школа-интернат № 1 для обучения и реабилитации слепых",
        opened_on=dt.date(2000, 9, 1),
    )


@pytest.fixture
def centre(make_institution):
    return make_institution(
        code="rehab-centre",
        name="Московский городской центр реабилитации",
        opened_on=dt.date(2005, 1, 1),
    )


def add(visit, **fields):
    fields.setdefault("actor", SYSTEM)
    fields.setdefault("day", dt.date(2022, 11, 21))
    fields.setdefault("kind", StopKind.MEETING)
    fields.setdefault("title_ru", "Встреча")
    return services.itinerary_stop_add(event=visit, **fields)


def test_the_programme_reads_by_day_and_time(visit, school, centre):
    add(
        visit,
        day=dt.date(2022, 11, 22),
        starts_at=T(10),
        ends_at=T(12),
        kind=StopKind.INSTITUTION_VISIT,
        institution=centre,
        title_ru="Центр реабилитации",
    )
    add(visit, starts_at=T(14), ends_at=T(16), title_ru="Встреча в Департаменте")
    add(
        visit,
        starts_at=T(10),
        ends_at=T(12, 30),
        kind=StopKind.INSTITUTION_VISIT,
        institution=school,
        title_ru="Школа-интернат № 1",
        host_name="директор школы",
    )
    add(visit, starts_at=T(12, 30), ends_at=T(13, 30), kind=StopKind.MEAL, title_ru="Обед")

    days = selectors.itinerary(visit)

    assert [d.day for d in days] == [dt.date(2022, 11, 21), dt.date(2022, 11, 22)]
    assert [s.title for s in days[0].stops] == [
        "Школа-интернат № 1",
        "Обед",  # starts when the school visit ends: touching is not overlapping
        "Встреча в Департаменте",
    ]
    every_day = selectors.itinerary(visit, every_day=True)
    assert [d.day.day for d in every_day] == [21, 22, 23]
    assert every_day[2].stops == []


def test_overlapping_stops_are_refused_naming_the_other_and_nothing_is_written(visit, school):
    add(visit, starts_at=T(10), ends_at=T(12), title_ru="Школа-интернат № 1")
    entries = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        add(visit, starts_at=T(11, 30), ends_at=T(13), title_ru="Обед")

    assert refused.value.code == "stops_overlap"
    assert "Школа-интернат № 1" in str(refused.value.message)
    assert "10:00" in str(refused.value.message)
    assert "12:00" in str(refused.value.message)
    assert ItineraryStop.objects.filter(event=visit).count() == 1
    assert AuditEntry.objects.count() == entries


def test_a_stop_on_another_day_at_the_same_time_is_no_overlap(visit):
    add(visit, starts_at=T(10), ends_at=T(12))
    add(visit, day=dt.date(2022, 11, 22), starts_at=T(10), ends_at=T(12))
    assert ItineraryStop.objects.filter(event=visit).count() == 2


def test_moving_a_stop_onto_another_is_refused_and_the_stop_stays(visit):
    first = add(visit, starts_at=T(10), ends_at=T(12), title_ru="Первая")
    second = add(visit, starts_at=T(13), ends_at=T(14), title_ru="Вторая")

    with pytest.raises(DomainError) as refused:
        services.itinerary_stop_change(actor=SYSTEM, stop=second, starts_at=T(11))

    assert refused.value.code == "stops_overlap"
    assert "Первая" in str(refused.value.message)
    second.refresh_from_db()
    assert second.starts_at == T(13)
    # A stop does not overlap itself when it changes.
    services.itinerary_stop_change(actor=SYSTEM, stop=first, ends_at=T(12, 30))
    first.refresh_from_db()
    assert first.ends_at == T(12, 30)
    assert AuditEntry.objects.filter(action=actions.EVENT_STOP_CHANGED).count() == 1


def test_a_visit_to_an_institution_closed_on_that_day_is_refused(visit, make_institution):
    closed = make_institution(
        code="closed-centre", name="Закрытый центр", opened_on=dt.date(2001, 1, 1)
    )
    institution_services.institution_set_status(
        actor=SYSTEM, institution=closed, status="closed", effective_on=dt.date(2020, 6, 30)
    )
    entries = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        add(
            visit,
            starts_at=T(10),
            ends_at=T(11),
            kind=StopKind.INSTITUTION_VISIT,
            institution=closed,
            title_ru="Закрытый центр",
        )

    assert refused.value.code == "institution_closed"
    assert "21.11.2022" in str(refused.value.message)
    assert not ItineraryStop.objects.filter(event=visit).exists()
    assert AuditEntry.objects.count() == entries


def test_the_status_on_the_day_counts_not_the_status_today(lugansk, make_institution):
    """A visit of 2019 to an institution that closed in 2020 was a visit to an open one."""
    later_closed = make_institution(code="later", name="Центр", opened_on=dt.date(2001, 1, 1))
    institution_services.institution_set_status(
        actor=SYSTEM, institution=later_closed, status="closed", effective_on=dt.date(2020, 6, 30)
    )
    earlier = services.event_create(
        actor=SYSTEM,
        kind=EventKind.INCOMING_VISIT,
        title_ru="Визит 2019 года",
        starts_on=dt.date(2019, 5, 14),
        partners=[lugansk],
    )
    stop = add(
        earlier,
        day=dt.date(2019, 5, 14),
        starts_at=T(10),
        ends_at=T(11),
        kind=StopKind.INSTITUTION_VISIT,
        institution=later_closed,
    )
    assert stop.pk is not None


def test_a_visit_needs_its_institution_and_its_day_within_the_event(visit, school):
    with pytest.raises(DomainError) as refused:
        add(visit, starts_at=T(10), ends_at=T(11), kind=StopKind.INSTITUTION_VISIT)
    assert refused.value.code == "institution_required"

    with pytest.raises(DomainError) as refused:
        add(visit, day=dt.date(2022, 11, 24), starts_at=T(10), ends_at=T(11))
    assert refused.value.code == "day_outside_event"

    with pytest.raises(DomainError) as refused:
        add(visit, starts_at=T(11), ends_at=T(10))
    assert refused.value.code == "stop_ends_before_start"
    assert not ItineraryStop.objects.exists()


def test_removing_a_stop_frees_its_time(visit):
    stop = add(visit, starts_at=T(10), ends_at=T(12))
    services.itinerary_stop_remove(actor=SYSTEM, stop=stop, reason="перенесено")
    add(visit, starts_at=T(11), ends_at=T(13))
    assert AuditEntry.objects.filter(action=actions.EVENT_STOP_REMOVED).count() == 1


def test_the_dates_of_a_visit_cannot_leave_a_stop_outside(visit):
    add(visit, day=dt.date(2022, 11, 23), starts_at=T(10), ends_at=T(12), title_ru="Отъезд")
    with pytest.raises(DomainError) as refused:
        services.event_update(actor=SYSTEM, event=visit, ends_on=dt.date(2022, 11, 22))
    assert refused.value.code == "programme_outside_dates"
    visit.refresh_from_db()
    assert visit.ends_on == dt.date(2022, 11, 23)


def test_a_social_worker_cannot_plan_the_programme(visit, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(DomainError) as refused:
        add(visit, actor=worker, starts_at=T(10), ends_at=T(11))
    assert refused.value.status == 403
    assert not ItineraryStop.objects.exists()


def test_an_officer_plans_the_programme(visit, officer):
    stop = add(visit, actor=officer, starts_at=T(10), ends_at=T(11), title_en="Meeting")
    entry = AuditEntry.objects.get(action=actions.EVENT_STOP_ADDED)
    assert entry.actor == officer
    assert entry.object_id == str(visit.pk)
    assert stop.title_en == "Meeting"
