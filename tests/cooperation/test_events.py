"""Events of cooperation: their rules (dates, a link for a telebridge), partners with roles,
participants of both sides, files, forums, the calendar, translations of titles that fall back
to Russian, and exchanges of specialists entered in the staff's training records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from opora.cooperation import audit_actions as actions
from opora.cooperation import selectors, services
from opora.cooperation.models import (
    Event,
    EventFile,
    EventKind,
    EventParticipant,
    EventPartnerRole,
    Exchange,
    ForumStand,
    Side,
)
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions.models import TrainingKind, TrainingRecord

from .conftest import EXE, PNG

pytestmark = pytest.mark.django_db


def plan(**fields):
    fields.setdefault("actor", SYSTEM)
    fields.setdefault("kind", EventKind.MEETING)
    fields.setdefault("title_ru", "Встреча")
    fields.setdefault("starts_on", dt.date(2021, 9, 20))
    return services.event_create(**fields)


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


# --- Events -----------------------------------------------------------------------------------


def test_a_title_falls_back_to_russian_in_a_language_not_given(helsinki):
    event = plan(
        title_ru="Визит делегации Хельсинки",
        title_en="Visit of the Helsinki delegation",
        partners=[helsinki],
    )
    event = Event.objects.get(pk=event.pk)
    with translation.override("en"):
        assert event.title == "Visit of the Helsinki delegation"
    with translation.override("fi"):
        assert event.title == "Визит делегации Хельсинки"
    with translation.override("de"):
        assert str(event) == "Визит делегации Хельсинки"


def test_an_event_needs_its_russian_title(helsinki):
    with pytest.raises(DomainError) as refused:
        plan(title_ru="", title_en="Only in English")
    assert "title_ru" in refused.value.details
    assert not Event.objects.exists()


def test_a_plain_title_is_the_russian_one():
    event = services.event_create(
        actor=SYSTEM, kind=EventKind.MEETING, title="Телемост", starts_on=dt.date(2021, 9, 20)
    )
    assert event.title_ru == "Телемост"


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(DomainError) as refused:
        plan(starts_on=dt.date(2021, 9, 20), ends_on=dt.date(2021, 9, 19))
    assert refused.value.code == "ends_before_start"


def test_a_telebridge_needs_its_link_unless_it_has_a_place(make_partner):
    with pytest.raises(DomainError) as refused:
        plan(kind=EventKind.TELEBRIDGE, title_ru="Телемост Витебск — Смоленск")
    assert refused.value.code == "online_url_required"
    assert "online_url" in refused.value.details
    assert not Event.objects.exists()

    online = plan(kind=EventKind.TELEBRIDGE, online_url="https://meet.example.org/vitebsk")
    in_a_room = plan(kind=EventKind.VIDEO_CONFERENCE, place_ru="Витебский облисполком")
    assert online.pk and in_a_room.pk


def test_partners_take_their_roles_and_an_update_replaces_them(helsinki, berlin):
    event = plan(partners={helsinki: EventPartnerRole.HOST, berlin: EventPartnerRole.PARTICIPANT})
    roles = dict(event.event_partners.values_list("partner__code", "role"))
    assert roles == {"helsinki": "host", "berlin-senate": "participant"}

    services.event_update(
        actor=SYSTEM, event=event, partners=[(berlin, EventPartnerRole.ORGANISER)]
    )
    roles = dict(event.event_partners.values_list("partner__code", "role"))
    assert roles == {"berlin-senate": "organiser"}
    entry = AuditEntry.objects.get(action=actions.EVENT_UPDATED)
    assert "partners" in entry.changes


def test_an_update_records_what_changed_and_refuses_unknown_fields(officer):
    event = plan(actor=officer)
    services.event_update(actor=officer, event=event, title_en="Meeting", participant_count=40)
    entry = AuditEntry.objects.get(action=actions.EVENT_UPDATED)
    assert entry.changes["title_en"][1] == "Meeting"
    assert entry.changes["participant_count"] == [None, 40]
    with pytest.raises(DomainError) as refused:
        services.event_update(actor=officer, event=event, created_at=None)
    assert refused.value.code == "unknown_fields"


def test_a_social_worker_cannot_plan_or_change_an_event(make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(DomainError) as refused:
        plan(actor=worker)
    assert refused.value.status == 403
    assert not Event.objects.exists()

    event = plan()
    with pytest.raises(DomainError):
        services.event_update(actor=worker, event=event, title_ru="Другое")
    event.refresh_from_db()
    assert event.title_ru == "Встреча"
    assert not AuditEntry.objects.filter(action=actions.EVENT_UPDATED).exists()


# --- Participants -----------------------------------------------------------------------------


def test_participants_of_both_sides(helsinki, employee):
    event = plan(partners=[helsinki])
    sanna = helsinki.people.get()
    ours = services.participant_add(
        actor=SYSTEM, event=event, employee=employee, role="head_of_delegation"
    )
    theirs = services.participant_add(
        actor=SYSTEM, event=event, partner_person=sanna, role="speaker"
    )
    named = services.participant_add(
        actor=SYSTEM, event=event, name="  Переводчик   с финского ", side=Side.OURS
    )
    assert (ours.side, theirs.side, named.side) == (Side.OURS, Side.PARTNER, Side.OURS)
    assert named.name == "Переводчик с финского"
    assert EventParticipant.objects.filter(event=event).count() == 3


def test_a_person_of_a_partner_not_in_the_event_is_refused(helsinki, berlin):
    event = plan(partners=[berlin])
    with pytest.raises(DomainError) as refused:
        services.participant_add(actor=SYSTEM, event=event, partner_person=helsinki.people.get())
    assert refused.value.code == "not_a_partner_of_the_event"
    assert not EventParticipant.objects.exists()


def test_a_participant_is_named_once(employee):
    event = plan()
    with pytest.raises(DomainError) as refused:
        services.participant_add(actor=SYSTEM, event=event, employee=employee, name="Иванова")
    assert refused.value.code == "participant_unclear"
    with pytest.raises(DomainError) as refused:
        services.participant_add(actor=SYSTEM, event=event, name="Гость")
    assert refused.value.code == "side_required"
    services.participant_add(actor=SYSTEM, event=event, employee=employee)
    with pytest.raises(DomainError) as refused:
        services.participant_add(actor=SYSTEM, event=event, employee=employee)
    assert refused.value.code == "participant_already_added"


# --- Files ------------------------------------------------------------------------------------


def test_a_photo_is_stored_under_a_random_name(media):
    event = plan()
    photo = services.event_file_add(
        actor=SYSTEM,
        event=event,
        kind="photo",
        upload=SimpleUploadedFile("Делегация.png", PNG),
        title_ru="Делегация",
    )
    assert (photo.content_type, photo.size, photo.original_name) == (
        "image/png",
        len(PNG),
        "Делегация.png",
    )
    assert "Делегация" not in photo.file.name
    (path,) = stored_files(media)
    assert path.read_bytes() == PNG
    assert AuditEntry.objects.filter(action=actions.EVENT_FILE_ADDED).count() == 1


def test_a_refused_file_leaves_nothing_behind(media, make_user):
    event = plan()
    with pytest.raises(DomainError) as refused:
        services.event_file_add(
            actor=SYSTEM, event=event, kind="photo", upload=SimpleUploadedFile("x.png", EXE)
        )
    assert refused.value.code == "file_type_refused"
    with pytest.raises(DomainError) as refused:
        services.event_file_add(
            actor=make_user(Role.SOCIAL_WORKER),
            event=event,
            kind="photo",
            upload=SimpleUploadedFile("x.png", PNG),
        )
    assert refused.value.status == 403
    assert stored_files(media) == []
    assert not EventFile.objects.exists()


# --- Forum ------------------------------------------------------------------------------------


def test_a_forum_with_three_stands_sessions_and_30000_participants(make_institution):
    centre = make_institution(code="my-career", name="Центр «Моя карьера»")
    forum = plan(
        kind=EventKind.FORUM,
        title_ru="III Форум социальных инноваций регионов",
        starts_on=dt.date(2019, 6, 19),
        ends_on=dt.date(2019, 6, 21),
        place_ru="ВДНХ, павильон 75",
        participant_count=30000,
    )
    for title in ("Трудоустройство", "Московское долголетие", "Мой социальный центр"):
        services.stand_add(actor=SYSTEM, event=forum, title_ru=title, institutions=[centre])
    services.forum_session_add(
        actor=SYSTEM,
        event=forum,
        day=dt.date(2019, 6, 20),
        starts_at=dt.time(11),
        ends_at=dt.time(12, 30),
        title_ru="Круглый стол",
        participant_count=150,
    )
    assert ForumStand.objects.filter(event=forum).count() == 3
    loaded = selectors.event_get(actor=SYSTEM, pk=forum.pk)
    assert loaded.participant_count == 30000
    first_stand = loaded.stands.all()[0]
    assert first_stand.title == "Трудоустройство"
    assert list(first_stand.institutions.all()) == [centre]

    with pytest.raises(DomainError) as refused:
        services.forum_session_add(
            actor=SYSTEM, event=forum, day=dt.date(2019, 6, 22), starts_at=dt.time(10), title_ru="x"
        )
    assert refused.value.code == "day_outside_event"


def test_only_a_forum_has_stands():
    with pytest.raises(DomainError) as refused:
        services.stand_add(actor=SYSTEM, event=plan(), title_ru="Стенд")
    assert refused.value.code == "not_a_forum"
    assert not ForumStand.objects.exists()


# --- Lists and the calendar -------------------------------------------------------------------


def test_the_calendar_takes_every_event_overlapping_the_range():
    before = plan(title_ru="До", starts_on=dt.date(2021, 8, 1), ends_on=dt.date(2021, 8, 31))
    across = plan(title_ru="Через", starts_on=dt.date(2021, 8, 30), ends_on=dt.date(2021, 9, 2))
    inside = plan(title_ru="Внутри", starts_on=dt.date(2021, 9, 20))
    at_end = plan(title_ru="Конец", starts_on=dt.date(2021, 9, 30), ends_on=dt.date(2021, 10, 3))
    plan(title_ru="После", starts_on=dt.date(2021, 10, 1))

    found = list(selectors.calendar(dt.date(2021, 9, 1), dt.date(2021, 9, 30)))

    assert found == [across, inside, at_end]
    assert before not in found


def test_the_event_list_filters(helsinki, berlin):
    visit = plan(
        kind=EventKind.INCOMING_VISIT,
        title_ru="Визит",
        title_en="Helsinki visit",
        starts_on=dt.date(2019, 7, 2),
        partners=[helsinki],
        topics=["долговременный уход"],
    )
    seminar = plan(kind=EventKind.SEMINAR, starts_on=dt.date(2017, 7, 4), partners=[berlin])

    assert list(selectors.event_list(actor=SYSTEM, kind=EventKind.SEMINAR)) == [seminar]
    assert list(selectors.event_list(actor=SYSTEM, partner=helsinki)) == [visit]
    assert list(selectors.event_list(actor=SYSTEM, year=2017)) == [seminar]
    assert list(selectors.event_list(actor=SYSTEM, q="helsinki")) == [visit]
    assert list(selectors.event_list(actor=SYSTEM, q="уход")) == [visit]
    assert list(selectors.event_list(actor=SYSTEM)) == [visit, seminar]


# --- Exchanges --------------------------------------------------------------------------------


def test_an_exchange_writes_the_training_record_and_links_it_back(helsinki, employee, officer):
    exchange = services.exchange_record(
        actor=officer,
        employee=employee,
        direction="outgoing",
        partner=helsinki,
        starts_on=dt.date(2019, 7, 2),
        ends_on=dt.date(2019, 7, 3),
        place_ru="Хельсинки",
        purpose_ru="Опыт долговременного ухода",
        hours=16,
    )

    record = TrainingRecord.objects.get(employee=employee)
    assert exchange.training_record == record
    assert record.external_ref == f"cooperation.exchange:{exchange.pk}"
    assert record.source == "cooperation"
    assert record.kind == TrainingKind.EXCHANGE
    assert (record.started_on, record.ended_on, record.hours) == (
        dt.date(2019, 7, 2),
        dt.date(2019, 7, 3),
        16,
    )
    assert record.organiser == "Хельсинки"
    assert list(selectors.exchange_list(actor=SYSTEM, employee=employee)) == [exchange]
    assert AuditEntry.objects.filter(action=actions.EXCHANGE_RECORDED, actor=officer).exists()


def test_an_exchange_at_a_seminar_is_a_seminar_in_the_record(berlin, employee):
    seminar = plan(kind=EventKind.SEMINAR, title_ru="18-й социальный семинар", partners=[berlin])
    services.exchange_record(
        actor=SYSTEM,
        employee=employee,
        direction="incoming",
        partner=berlin,
        event=seminar,
        starts_on=dt.date(2017, 7, 4),
        ends_on=dt.date(2017, 7, 9),
    )
    record = TrainingRecord.objects.get(employee=employee)
    assert (record.kind, record.title) == (TrainingKind.SEMINAR, "18-й социальный семинар")


def test_a_refused_exchange_writes_neither_the_exchange_nor_the_record(
    helsinki, employee, make_user
):
    with pytest.raises(DomainError) as refused:
        services.exchange_record(
            actor=SYSTEM,
            employee=employee,
            direction="outgoing",
            partner=helsinki,
            starts_on=dt.date(2019, 7, 2),
            hours=5000,
        )
    assert refused.value.code == "invalid_hours"
    with pytest.raises(DomainError) as refused:
        services.exchange_record(
            actor=make_user(Role.SOCIAL_WORKER),
            employee=employee,
            direction="outgoing",
            partner=helsinki,
            starts_on=dt.date(2019, 7, 2),
        )
    assert refused.value.status == 403
    assert not Exchange.objects.exists()
    assert not TrainingRecord.objects.exists()
