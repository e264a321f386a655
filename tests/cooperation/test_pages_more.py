"""The cooperation pages that add to an event, write agreements, partnerships, seminar series
and exchanges: each renders for a cooperation officer and is refused to a social worker with
nothing written; its main POST works; a bad input is shown at its field with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.cooperation import services
from opora.cooperation.models import (
    ActionItem,
    Agreement,
    AgreementFile,
    AgreementVersion,
    EventFile,
    EventKind,
    EventParticipant,
    Exchange,
    ForumSession,
    ForumStand,
    Partnership,
    SeminarSeries,
)
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions.models import TrainingRecord

from .conftest import EXE, PDF, PNG

DAY = dt.date(2022, 11, 21)


@pytest.fixture
def social_worker(make_user):
    return make_user(Role.SOCIAL_WORKER)


@pytest.fixture
def world(helsinki, berlin, institution_a, employee, media):
    visit = services.event_create(
        actor=SYSTEM,
        kind=EventKind.INCOMING_VISIT,
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=1),
        partners=[helsinki],
        title_ru="Визит делегации Хельсинки",
    )
    forum = services.event_create(
        actor=SYSTEM,
        kind=EventKind.FORUM,
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=2),
        host="ours",
        place_ru="ВДНХ",
        title_ru="Форум «Социальная Москва»",
    )
    agreement = services.agreement_create(
        actor=SYSTEM,
        kind="agreement",
        signed_on=dt.date(2019, 12, 20),
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2022, 12, 31),
        status="in_force",
        title_ru="Соглашение о сотрудничестве",
        parties=[
            {"partner": None, "signer_name": "Петросян В. А."},
            {"partner": helsinki, "signer_name": "Sanna Vesikansa"},
        ],
    )
    series = services.series_create(
        actor=SYSTEM,
        partner=berlin,
        first_host="partner",
        first_held_on=dt.date(2007, 6, 1),
        name_ru="Социальный семинар Москва — Берлин",
        name_en="Social seminar Moscow–Berlin",
    )
    return {
        "partner": helsinki,
        "berlin": berlin,
        "visit": visit,
        "forum": forum,
        "agreement": agreement,
        "series": series,
        "institution": institution_a,
        "employee": employee,
    }


def page_urls(world) -> list[str]:
    visit, forum, agreement = world["visit"], world["forum"], world["agreement"]
    return [
        reverse("cooperation:participant_add", args=[visit.pk]),
        reverse("cooperation:event_file_add", args=[visit.pk]),
        reverse("cooperation:stand_add", args=[forum.pk]),
        reverse("cooperation:session_add", args=[forum.pk]),
        reverse("cooperation:agreement_create"),
        reverse("cooperation:agreement_edit", args=[agreement.pk]),
        reverse("cooperation:amendment_add", args=[agreement.pk]),
        reverse("cooperation:agreement_text_add", args=[agreement.pk]),
        reverse("cooperation:action_add", args=[agreement.pk]),
        reverse("cooperation:partnership_add", args=[world["partner"].pk]),
        reverse("cooperation:series_create"),
        reverse("cooperation:edition_plan", args=[world["series"].pk]),
        reverse("cooperation:exchange_record"),
    ]


def read_urls(world) -> list[str]:
    return [
        reverse("cooperation:series_list"),
        reverse("cooperation:series", args=[world["series"].pk]),
        reverse("cooperation:exchanges"),
        reverse("cooperation:exchanges") + f"?partner={world['partner'].pk}&direction=outgoing",
    ]


def valid_posts(world) -> dict[str, dict]:
    visit, forum, agreement = world["visit"], world["forum"], world["agreement"]
    helsinki = world["partner"]
    return {
        reverse("cooperation:participant_add", args=[visit.pk]): {
            "employee": world["employee"].pk,
            "role": "host",
        },
        reverse("cooperation:stand_add", args=[forum.pk]): {
            "title_ru": "Центр «Альфа»",
            "institutions": [world["institution"].pk],
        },
        reverse("cooperation:session_add", args=[forum.pk]): {
            "title_ru": "Пленарное заседание",
            "day": DAY.isoformat(),
            "starts_at": "10:00",
            "ends_at": "12:00",
            "participant_count": "300",
        },
        reverse("cooperation:agreement_create"): {
            "kind": "memorandum",
            "title_ru": "Меморандум о взаимопонимании",
            "title_en": "Memorandum of understanding",
            "valid_from": "2023-01-01",
            "renewal_notice_days": "90",
            "status": "draft",
            "themes": "long-term care, employment",
            "our_signer_name": "Петросян В. А.",
            "our_signer_position_ru": "министр",
            "partner_0": helsinki.pk,
            "signer_name_0": "Sanna Vesikansa",
            "signer_position_en_0": "Deputy Mayor",
        },
        reverse("cooperation:amendment_add", args=[agreement.pk]): {
            "signed_on": "2021-03-01",
            "summary_ru": "Продление до 2025 года",
        },
        reverse("cooperation:action_add", args=[agreement.pk]): {
            "title_ru": "Обмен делегациями",
            "owner": "Отдел международного сотрудничества",
            "due_on": "2022-12-01",
            "status": "planned",
            "events": [visit.pk],
        },
        reverse("cooperation:partnership_add", args=[helsinki.pk]): {
            "kind": "cooperation",
            "since": "2015-05-17",
            "since_precision": "month",
            "description_ru": "Сотрудничество в социальной сфере",
        },
        reverse("cooperation:series_create"): {
            "name_ru": "Телемост Витебск — Смоленск",
            "partner": helsinki.pk,
            "alternates": "on",
            "first_host": "ours",
        },
        reverse("cooperation:exchange_record"): {
            "employee": world["employee"].pk,
            "direction": "outgoing",
            "partner": helsinki.pk,
            "starts_on": "2022-09-12",
            "ends_on": "2022-09-16",
            "place_ru": "Хельсинки",
            "purpose_ru": "Изучение опыта долговременного ухода",
            "hours": "36",
        },
    }


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            EventParticipant,
            EventFile,
            ForumStand,
            ForumSession,
            Agreement,
            AgreementVersion,
            AgreementFile,
            ActionItem,
            Partnership,
            SeminarSeries,
            Exchange,
            TrainingRecord,
            AuditEntry,
        )
    }


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_new_page_renders_for_the_officer(client, officer, world, language):
    client.force_login(officer)
    client.cookies["django_language"] = language
    for url in page_urls(world) + read_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()[:200], url


def test_the_pages_link_to_the_new_forms_for_the_officer_only(
    client, officer, social_worker, world
):
    visit, forum, agreement = world["visit"], world["forum"], world["agreement"]
    pages = {
        reverse("cooperation:event", args=[visit.pk]): "participant_add",
        reverse("cooperation:event", args=[visit.pk]) + "?tab=files": "event_file_add",
        reverse("cooperation:event", args=[forum.pk]) + "?tab=forum": "stand_add",
        reverse("cooperation:agreement", args=[agreement.pk]): "action_add",
        reverse("cooperation:partner", args=[world["partner"].pk]): "partnership_add",
        reverse("cooperation:series", args=[world["series"].pk]): "edition_plan",
    }
    for user, shown in ((officer, True), (social_worker, False)):
        client.force_login(user)
        for url, name in pages.items():
            target = url.split("?")[0] if name != "partnership_add" else url
            pk = int(target.rstrip("/").split("/")[-1])
            link = reverse(f"cooperation:{name}", args=[pk])
            content = client.get(url).content.decode()
            assert (f'href="{link}"' in content) is shown, (url, name)


def test_a_social_worker_reads_the_lists_but_is_refused_every_form(client, social_worker, world):
    client.force_login(social_worker)
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url
    for url in page_urls(world):
        assert client.get(url).status_code == 403, url
    before = counts()
    for url, data in valid_posts(world).items():
        assert client.post(url, data).status_code == 403, url
    file_url = reverse("cooperation:event_file_add", args=[world["visit"].pk])
    upload = SimpleUploadedFile("photo.png", PNG)
    assert client.post(file_url, {"kind": "photo", "file": upload}).status_code == 403
    assert counts() == before


def test_the_officer_adds_participants_of_both_sides(client, officer, world):
    client.force_login(officer)
    visit = world["visit"]
    url = reverse("cooperation:participant_add", args=[visit.pk])
    person = world["partner"].people.get()
    response = client.post(url, {"employee": world["employee"].pk, "role": "host"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:event", args=[visit.pk])
    response = client.post(url, {"partner_person": person.pk, "role": "head_of_delegation"})
    assert response.status_code == 302
    response = client.post(url, {"name": "Переводчик Ольга", "side": "ours", "role": "interpreter"})
    assert response.status_code == 302
    sides = {(p.side, p.role) for p in visit.participants.all()}
    assert sides == {("ours", "host"), ("partner", "head_of_delegation"), ("ours", "interpreter")}
    page = client.get(reverse("cooperation:event", args=[visit.pk])).content.decode()
    assert "Sanna Vesikansa" in page
    assert "Иванова Мария Петровна" in page


def test_a_representative_of_another_partner_is_not_offered(client, officer, world):
    client.force_login(officer)
    services.person_add(actor=SYSTEM, partner=world["berlin"], full_name="Elke Breitenbach")
    content = client.get(
        reverse("cooperation:participant_add", args=[world["visit"].pk])
    ).content.decode()
    assert "Sanna Vesikansa" in content
    assert "Elke Breitenbach" not in content


def test_a_participant_named_twice_is_refused_at_the_field(client, officer, world):
    client.force_login(officer)
    before = counts()
    response = client.post(
        reverse("cooperation:participant_add", args=[world["visit"].pk]),
        {"employee": world["employee"].pk, "name": "Иванова", "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["employee"]
    assert 'class="field field-error' in response.content.decode()
    assert counts() == before


def test_the_officer_uploads_a_photo_and_anyone_downloads_it(client, officer, social_worker, world):
    client.force_login(officer)
    visit = world["visit"]
    response = client.post(
        reverse("cooperation:event_file_add", args=[visit.pk]),
        {
            "kind": "photo",
            "title_ru": "Делегация у центра",
            "file": SimpleUploadedFile("Делегация.png", PNG),
        },
    )
    assert response.status_code == 302
    found = visit.files.get()
    assert found.title_ru == "Делегация у центра"
    client.force_login(social_worker)
    download = client.get(reverse("cooperation:event_file", args=[visit.pk, found.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG
    # The file belongs to its event: through another event's address it is not found.
    other = reverse("cooperation:event_file", args=[world["forum"].pk, found.pk])
    assert client.get(other).status_code == 404


def test_the_forms_that_take_files_send_them_and_the_others_do_not(client, officer, world):
    client.force_login(officer)
    multipart = 'enctype="multipart/form-data"'
    for name, pk in (
        ("event_file_add", world["visit"].pk),
        ("agreement_text_add", world["agreement"].pk),
    ):
        page = client.get(reverse(f"cooperation:{name}", args=[pk])).content.decode()
        assert multipart in page, name
    assert multipart not in client.get(reverse("cooperation:partner_create")).content.decode()
    # A form page that shows more than the form: the programme so far above a new stop.
    stop = client.get(reverse("cooperation:stop_add", args=[world["visit"].pk]))
    assert stop.templates[0].name == "cooperation/events/stop_form.html"
    assert "core/form_page.html" in [t.name for t in stop.templates]
    assert "coop-programme-so-far" in stop.content.decode()


def test_a_program_passed_off_as_a_photo_is_refused_at_the_field(client, officer, world, media):
    client.force_login(officer)
    before = counts()
    response = client.post(
        reverse("cooperation:event_file_add", args=[world["visit"].pk]),
        {"kind": "photo", "file": SimpleUploadedFile("photo.png", EXE)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert counts() == before
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_the_officer_adds_a_stand_and_a_session_to_a_forum(client, officer, world):
    client.force_login(officer)
    forum = world["forum"]
    posts = valid_posts(world)
    for name in ("stand_add", "session_add"):
        url = reverse(f"cooperation:{name}", args=[forum.pk])
        response = client.post(url, posts[url])
        assert response.status_code == 302, name
        assert response["Location"].endswith("?tab=forum")
    stand = forum.stands.get()
    assert list(stand.institutions.all()) == [world["institution"]]
    assert forum.sessions.get().participant_count == 300
    # Stands belong to forums only: a visit has no such page.
    visit = world["visit"]
    assert client.get(reverse("cooperation:stand_add", args=[visit.pk])).status_code == 404


def test_a_session_ending_before_it_starts_is_refused_at_the_field(client, officer, world):
    client.force_login(officer)
    before = counts()
    response = client.post(
        reverse("cooperation:session_add", args=[world["forum"].pk]),
        {"title_ru": "Секция", "day": DAY.isoformat(), "starts_at": "12:00", "ends_at": "11:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    assert counts() == before


def test_a_stand_without_its_russian_title_is_refused_at_the_field(client, officer, world):
    client.force_login(officer)
    before = counts()
    response = client.post(
        reverse("cooperation:stand_add", args=[world["forum"].pk]), {"title_en": "Alpha"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title_ru"]
    assert counts() == before


def test_the_officer_creates_and_changes_an_agreement_with_its_parties(client, officer, world):
    client.force_login(officer)
    url = reverse("cooperation:agreement_create")
    response = client.post(url, valid_posts(world)[url])
    agreement = Agreement.objects.get(title_ru="Меморандум о взаимопонимании")
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:agreement", args=[agreement.pk])
    assert agreement.themes == ["long-term care", "employment"]
    parties = {
        (party.partner_id, party.signer_name, party.signer_position_ru, party.signer_position_en)
        for party in agreement.parties.all()
    }
    assert parties == {
        (None, "Петросян В. А.", "министр", ""),
        (world["partner"].pk, "Sanna Vesikansa", "", "Deputy Mayor"),
    }
    edit = reverse("cooperation:agreement_edit", args=[agreement.pk])
    form = client.get(edit).context["form"]
    assert form.initial["partner_0"] == world["partner"].pk
    assert form.initial["our_signer_name"] == "Петросян В. А."
    data = {
        **valid_posts(world)[url],
        "signed_on": "2023-01-10",
        "status": "in_force",
        "partner_1": world["berlin"].pk,
    }
    assert client.post(edit, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "in_force"
    assert agreement.parties.count() == 3


def test_an_agreement_ending_before_it_starts_is_refused_at_the_field(client, officer, world):
    client.force_login(officer)
    before = counts()
    url = reverse("cooperation:agreement_create")
    response = client.post(url, {**valid_posts(world)[url], "valid_to": "2022-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["valid_to"]
    assert 'class="field field-error' in response.content.decode()
    assert counts() == before


def test_the_officer_adds_an_amendment_and_uploads_its_text(client, officer, world):
    client.force_login(officer)
    agreement = world["agreement"]
    url = reverse("cooperation:amendment_add", args=[agreement.pk])
    assert client.post(url, valid_posts(world)[url]).status_code == 302
    amendment = agreement.versions.get(number=2)
    assert amendment.summary_ru == "Продление до 2025 года"
    response = client.post(
        reverse("cooperation:agreement_text_add", args=[agreement.pk]),
        {
            "version": amendment.pk,
            "language": "fi",
            "file": SimpleUploadedFile("Sopimus.pdf", PDF),
        },
    )
    assert response.status_code == 302
    text = amendment.files.get()
    assert (text.language, text.original_name) == ("fi", "Sopimus.pdf")
    page = client.get(reverse("cooperation:agreement", args=[agreement.pk])).content.decode()
    assert reverse("cooperation:agreement_file", args=[agreement.pk, text.pk]) in page


def test_an_amendment_signed_before_the_agreement_is_refused_at_the_field(client, officer, world):
    client.force_login(officer)
    before = counts()
    response = client.post(
        reverse("cooperation:amendment_add", args=[world["agreement"].pk]),
        {"signed_on": "2019-01-01", "summary_ru": "Поправка"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["signed_on"]
    assert counts() == before


def test_a_version_of_another_agreement_is_not_accepted(client, officer, world):
    client.force_login(officer)
    other = services.agreement_create(
        actor=SYSTEM, kind="protocol", valid_from=dt.date(2021, 1, 1), title_ru="Протокол"
    )
    before = counts()
    response = client.post(
        reverse("cooperation:agreement_text_add", args=[world["agreement"].pk]),
        {
            "version": other.versions.get().pk,
            "language": "ru",
            "file": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    assert counts() == before


def test_the_officer_adds_an_action_item_linked_to_an_event(client, officer, world):
    client.force_login(officer)
    agreement = world["agreement"]
    url = reverse("cooperation:action_add", args=[agreement.pk])
    assert client.post(url, valid_posts(world)[url]).status_code == 302
    item = agreement.actions.get()
    assert item.title_ru == "Обмен делегациями"
    assert list(item.events.all()) == [world["visit"]]
    before = counts()
    response = client.post(url, {"status": "planned", "title_en": "Exchange"})
    assert response.status_code == 200
    assert response.context["form"].errors["title_ru"]
    assert counts() == before


def test_the_officer_adds_a_partnership(client, officer, world):
    client.force_login(officer)
    partner = world["partner"]
    url = reverse("cooperation:partnership_add", args=[partner.pk])
    assert client.post(url, valid_posts(world)[url]).status_code == 302
    partnership = partner.partnerships.get()
    # Known to the month: kept as the first day of it.
    assert partnership.since == dt.date(2015, 5, 1)
    before = counts()
    response = client.post(
        url,
        {
            "kind": "twinning",
            "since": "2015-05-17",
            "since_precision": "day",
            "ended_on": "2014-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"]
    assert counts() == before


def test_the_series_shows_its_editions_and_plans_the_next(client, officer, world):
    client.force_login(officer)
    series = world["series"]
    for edition, host, reason in ((1, "partner", ""), (2, "partner", "Renovation in Moscow")):
        services.event_create(
            actor=SYSTEM,
            kind=EventKind.SEMINAR,
            starts_on=dt.date(2006 + edition, 6, 1),
            host=host,
            partners=[world["berlin"]],
            series=series,
            edition=edition,
            host_override_reason=reason,
            title_ru=f"{edition}-й социальный семинар",
        )
    page = client.get(reverse("cooperation:series", args=[series.pk]))
    content = page.content.decode()
    assert [row.edition for row in page.context["editions"]] == [1, 2]
    assert content.count('data-testid="host-differs"') == 1
    assert "Renovation in Moscow" in content
    plan = reverse("cooperation:edition_plan", args=[series.pk])
    form = client.get(plan).context["form"]
    # Edition 3 goes back to the first host.
    assert form.initial["edition"] == 3
    assert form.initial["host"] == "partner"
    data = {
        "kind": "seminar",
        "title_ru": "3-й социальный семинар",
        "starts_on": "2009-06-01",
        "ends_on": "2009-06-05",
        "host": "partner",
        "partners": [world["berlin"].pk],
        "series": series.pk,
        "edition": "3",
        "status": "planned",
    }
    response = client.post(plan, data)
    assert response.status_code == 302
    assert series.editions.get(edition=3).host == "partner"


def test_an_edition_against_the_alternation_needs_its_reason(client, officer, world):
    client.force_login(officer)
    series = world["series"]
    before = counts()
    response = client.post(
        reverse("cooperation:edition_plan", args=[series.pk]),
        {
            "kind": "seminar",
            "title_ru": "1-й социальный семинар",
            "starts_on": "2007-06-01",
            "ends_on": "2007-06-05",
            "host": "ours",
            "series": series.pk,
            "edition": "1",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["host_override_reason"]
    assert counts() == before


def test_the_officer_creates_a_series(client, officer, world):
    client.force_login(officer)
    url = reverse("cooperation:series_create")
    response = client.post(url, valid_posts(world)[url])
    series = SeminarSeries.objects.get(name_ru="Телемост Витебск — Смоленск")
    assert response["Location"] == reverse("cooperation:series", args=[series.pk])
    before = counts()
    response = client.post(
        url, {**valid_posts(world)[url], "name_ru": "Другая", "first_host": "joint"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["first_host"]
    assert counts() == before


def test_the_officer_records_an_exchange_entered_in_the_training_records(
    client, officer, social_worker, world
):
    client.force_login(officer)
    url = reverse("cooperation:exchange_record")
    assert client.get(url, {"partner": world["partner"].pk}).context["form"].initial == {
        "partner": world["partner"].pk
    }
    response = client.post(url, valid_posts(world)[url])
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.training_record.employee == world["employee"]
    assert exchange.training_record.hours == 36
    client.force_login(social_worker)
    listing = client.get(reverse("cooperation:exchanges"), {"partner": world["partner"].pk})
    assert "Изучение опыта долговременного ухода" in listing.content.decode()
    other = client.get(reverse("cooperation:exchanges"), {"partner": world["berlin"].pk})
    assert "Изучение опыта долговременного ухода" not in other.content.decode()


def test_an_exchange_ending_before_it_starts_is_refused_at_the_field(client, officer, world):
    client.force_login(officer)
    url = reverse("cooperation:exchange_record")
    before = counts()
    response = client.post(url, {**valid_posts(world)[url], "ends_on": "2022-09-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert counts() == before
