"""The cooperation pages: every page renders for a cooperation officer and, read only, for a
social worker, in Russian and English; writes work for the officer and are refused to the
social worker with nothing written; the itinerary's refusals are shown at the field; the
iCalendar feed parses; the printable programme reads in the visitors' language."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from opora.cooperation import services
from opora.cooperation.models import (
    ActionItem,
    EventKind,
    ItineraryStop,
    LetterDiscrepancy,
    Partner,
    PartnerKind,
)
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role

DAY = dt.date(2022, 11, 21)


def T(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


@pytest.fixture
def social_worker(make_user):
    return make_user(Role.SOCIAL_WORKER)


@pytest.fixture
def world(helsinki, institution_a, institution_b, media):
    """A visit with two stops, a letter with a disagreeing translation, an agreement with an
    overdue item, a need with aid handed over."""
    visit = services.event_create(
        actor=SYSTEM,
        kind=EventKind.INCOMING_VISIT,
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=1),
        partners=[helsinki],
        title_ru="Визит делегации Хельсинки",
        title_en="Visit of the Helsinki delegation",
        topics=["long-term care"],
    )
    services.itinerary_stop_add(
        actor=SYSTEM,
        event=visit,
        day=DAY,
        starts_at=T(10),
        ends_at=T(12),
        kind="institution_visit",
        institution=institution_a,
        title_ru="Знакомство с центром «Альфа»",
        title_en="Meeting the Alpha Centre",
        host_name="Иванова И. И.",
    )
    services.itinerary_stop_add(
        actor=SYSTEM,
        event=visit,
        day=DAY,
        starts_at=T(13),
        ends_at=T(14),
        kind="meal",
        title_ru="Обед в столовой центра",
    )
    letter = services.letter_register(
        actor=SYSTEM,
        direction="incoming",
        partner=helsinki,
        dated_on=dt.date(2019, 4, 10),
        number="HEL/2019/17",
        subject="Visit of the Helsinki delegation",
        language="fi",
        text="Vierailu 2.–3.7.2019",
    )
    translation = services.letter_version_add(
        actor=SYSTEM, letter=letter, language="ru", text="Визит 2–3 июня 2019 года"
    )
    original = letter.versions.get(is_original=True)
    discrepancy = services.discrepancy_flag(
        actor=SYSTEM,
        letter=letter,
        versions=[original, translation],
        description="The month differs: July in the original, June in the translation.",
    )
    agreement = services.agreement_create(
        actor=SYSTEM,
        kind="agreement",
        signed_on=dt.date(2019, 12, 20),
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2020, 12, 31),
        status="in_force",
        title_ru="Соглашение о сотрудничестве",
    )
    item = services.action_item_add(
        actor=SYSTEM,
        agreement=agreement,
        due_on=dt.date(2020, 6, 1),
        title_ru="Обмен опытом",
    )
    need = services.need_raise(
        actor=SYSTEM,
        partner=helsinki,
        kind="equipment",
        raised_on=dt.date(2022, 10, 1),
        title_ru="Функциональные кровати",
    )
    services.aid_deliver(
        actor=SYSTEM,
        partner=helsinki,
        need=need,
        handed_over_on=dt.date(2022, 12, 1),
        items=[{"name_ru": "Кровать", "quantity": 5, "unit": "шт."}],
    )
    return {
        "partner": helsinki,
        "visit": visit,
        "letter": letter,
        "discrepancy": discrepancy,
        "agreement": agreement,
        "item": item,
        "need": need,
        "stop": visit.stops.order_by("starts_at").first(),
    }


def read_urls(world) -> list[str]:
    partner, visit, letter = world["partner"], world["visit"], world["letter"]
    partner_url = reverse("cooperation:partner", args=[partner.pk])
    event_url = reverse("cooperation:event", args=[visit.pk])
    return [
        reverse("cooperation:partners"),
        partner_url,
        *[
            f"{partner_url}?tab={tab}"
            for tab in ("timeline", "agreements", "events", "letters", "needs", "history")
        ],
        reverse("cooperation:events"),
        reverse("cooperation:events") + f"?kind=incoming_visit&year=2022&partner={partner.pk}",
        reverse("cooperation:calendar") + "?year=2022&month=11",
        event_url,
        *[f"{event_url}?tab={tab}" for tab in ("itinerary", "files", "history")],
        reverse("cooperation:itinerary_print", args=[visit.pk]),
        reverse("cooperation:letters"),
        reverse("cooperation:letters") + "?unresolved=on&direction=incoming",
        reverse("cooperation:letter", args=[letter.pk]),
        reverse("cooperation:agreements"),
        reverse("cooperation:agreement", args=[world["agreement"].pk]),
        reverse("cooperation:needs"),
        reverse("core:dashboard"),
    ]


def write_urls(world) -> list[str]:
    partner, visit, letter = world["partner"], world["visit"], world["letter"]
    person = partner.people.get()
    return [
        reverse("cooperation:partner_create"),
        reverse("cooperation:partner_edit", args=[partner.pk]),
        reverse("cooperation:person_add", args=[partner.pk]),
        reverse("cooperation:position_add", args=[partner.pk, person.pk]),
        reverse("cooperation:event_create"),
        reverse("cooperation:event_edit", args=[visit.pk]),
        reverse("cooperation:visit_plan"),
        reverse("cooperation:stop_add", args=[visit.pk]),
        reverse("cooperation:stop_edit", args=[visit.pk, world["stop"].pk]),
        reverse("cooperation:letter_create"),
        reverse("cooperation:version_add", args=[letter.pk]),
        reverse("cooperation:discrepancy_flag", args=[letter.pk]),
        reverse("cooperation:discrepancy_resolve", args=[letter.pk, world["discrepancy"].pk]),
        reverse("cooperation:attachment_add", args=[letter.pk]),
        reverse("cooperation:action_status", args=[world["item"].pk]),
        reverse("cooperation:need_create"),
        reverse("cooperation:need_status", args=[world["need"].pk]),
        reverse("cooperation:aid_record"),
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_page_renders_for_the_officer(client, officer, world, language):
    client.force_login(officer)
    client.cookies["django_language"] = language
    for url in read_urls(world) + write_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()[:200], url
    itinerary = client.get(
        reverse("cooperation:event", args=[world["visit"].pk]) + "?tab=itinerary"
    )
    assert reverse("cooperation:stop_add", args=[world["visit"].pk]) in itinerary.content.decode()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_social_worker_reads_every_page_without_edit_buttons(
    client, social_worker, world, language
):
    client.force_login(social_worker)
    client.cookies["django_language"] = language
    writes = write_urls(world)
    for url in read_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert not [write for write in writes if f'href="{write}' in content], url
    for url in writes:
        assert client.get(url).status_code == 403, url


def test_the_letter_shows_its_versions_side_by_side_original_first(client, social_worker, world):
    client.force_login(social_worker)
    content = client.get(reverse("cooperation:letter", args=[world["letter"].pk])).content.decode()
    assert content.index('lang="fi"') < content.index('lang="ru"', content.index("coop-versions"))
    assert "Vierailu 2.–3.7.2019" in content
    assert "The month differs" in content


def test_the_officer_adds_a_partner(client, officer, db):
    client.force_login(officer)
    response = client.post(
        reverse("cooperation:partner_create"),
        {
            "code": "vitebsk",
            "kind": PartnerKind.REGION,
            "name_ru": "Витебский облисполком",
            "name_en": "Vitebsk Regional Executive Committee",
            "country": "by",
            "languages": "ru, be",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get(code="vitebsk")
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:partner", args=[partner.pk])
    assert partner.country == "BY"
    assert partner.languages == ["ru", "be"]
    assert partner.name_en == "Vitebsk Regional Executive Committee"


def test_a_social_worker_writes_nothing(client, social_worker, world):
    client.force_login(social_worker)
    entries = AuditEntry.objects.count()
    partner, visit = world["partner"], world["visit"]
    posts = {
        reverse("cooperation:partner_create"): {
            "code": "smolensk",
            "kind": "region",
            "name_ru": "Смоленск",
            "country": "RU",
        },
        reverse("cooperation:stop_add", args=[visit.pk]): {
            "day": DAY.isoformat(),
            "starts_at": "16:00",
            "ends_at": "17:00",
            "kind": "meeting",
            "title_ru": "Встреча",
        },
        reverse("cooperation:stop_remove", args=[visit.pk, world["stop"].pk]): {},
        reverse("cooperation:action_status", args=[world["item"].pk]): {"status": "done"},
        reverse(
            "cooperation:discrepancy_resolve", args=[world["letter"].pk, world["discrepancy"].pk]
        ): {"resolution": "July"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert not Partner.objects.filter(code="smolensk").exists()
    assert visit.stops.count() == 2
    assert ActionItem.objects.get(pk=world["item"].pk).status == "planned"
    assert LetterDiscrepancy.objects.get(pk=world["discrepancy"].pk).resolved_at is None
    assert AuditEntry.objects.count() == entries
    assert partner.people.count() == 1


def test_an_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("cooperation:partner", args=[world["partner"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_an_overlapping_stop_is_refused_at_the_field_and_nothing_is_written(client, officer, world):
    client.force_login(officer)
    visit = world["visit"]
    entries = AuditEntry.objects.count()
    response = client.post(
        reverse("cooperation:stop_add", args=[visit.pk]),
        {
            "day": DAY.isoformat(),
            "starts_at": "11:30",
            "ends_at": "12:30",
            "kind": "meeting",
            "title_ru": "Встреча с директором",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("starts_at", []))
    assert "Знакомство с центром «Альфа»" in errors
    assert 'class="field field-error' in response.content.decode()
    assert ItineraryStop.objects.filter(event=visit).count() == 2
    assert AuditEntry.objects.count() == entries


def test_the_officer_adds_changes_and_removes_a_stop(client, officer, world):
    client.force_login(officer)
    visit = world["visit"]
    response = client.post(
        reverse("cooperation:stop_add", args=[visit.pk]),
        {
            "day": (DAY + dt.timedelta(days=1)).isoformat(),
            "starts_at": "09:00",
            "ends_at": "10:00",
            "kind": "transfer",
            "title_ru": "Трансфер в аэропорт",
            "title_en": "Transfer to the airport",
        },
    )
    assert response.status_code == 302
    stop = visit.stops.get(kind="transfer")
    assert stop.title_en == "Transfer to the airport"
    response = client.post(
        reverse("cooperation:stop_edit", args=[visit.pk, stop.pk]),
        {
            "day": (DAY + dt.timedelta(days=1)).isoformat(),
            "starts_at": "09:30",
            "ends_at": "10:30",
            "kind": "transfer",
            "title_ru": "Трансфер в аэропорт",
        },
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.starts_at == T(9, 30)
    response = client.post(reverse("cooperation:stop_remove", args=[visit.pk, stop.pk]))
    assert response.status_code == 302
    assert not visit.stops.filter(pk=stop.pk).exists()


def test_the_calendar_feed_parses(client, social_worker, world):
    client.force_login(social_worker)
    response = client.get(
        reverse("cooperation:calendar_ics"), {"from": "2022-01-01", "to": "2022-12-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    feed = icalendar.Calendar.from_ical(response.content)
    events = [component for component in feed.walk("VEVENT")]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == DAY
    outside = client.get(
        reverse("cooperation:calendar_ics"), {"from": "2023-01-01", "to": "2023-12-31"}
    )
    assert icalendar.Calendar.from_ical(outside.content).walk("VEVENT") == []


def test_the_printable_programme_reads_in_the_visitors_language(client, officer, world):
    client.force_login(officer)
    url = reverse("cooperation:itinerary_print", args=[world["visit"].pk])
    english = client.get(url, {"lang": "en"}).content.decode()
    assert '<html lang="en"' in english
    assert "Visit of the Helsinki delegation" in english
    assert "Meeting the Alpha Centre" in english
    # No English title for lunch: the Russian one stands in.
    assert "Обед в столовой центра" in english
    assert "Programme of the visit" in english
    russian = client.get(url, {"lang": "ru"}).content.decode()
    assert "Знакомство с центром «Альфа»" in russian
    assert "Meeting the Alpha Centre" not in russian
    unknown = client.get(url, {"lang": "xx"})
    assert unknown.status_code == 200


def test_an_empty_month_of_the_calendar_leads_to_the_nearest_events(client, social_worker, world):
    client.force_login(social_worker)
    url = reverse("cooperation:calendar")
    held = client.get(url, {"year": DAY.year, "month": DAY.month})
    assert "Визит делегации Хельсинки" in held.content.decode()
    assert held.context.get("earlier") is None  # a month with events needs no way out
    later = client.get(url, {"year": DAY.year + 1, "month": DAY.month})
    assert later.context["earlier"] == world["visit"] and later.context["later"] is None
    assert f"?year={DAY.year}&amp;month={DAY.month}" in later.content.decode()
