"""The demo against its five source documents: every fact the demo presents is the seeds' own,
and every value it made up carries its example mark in the data (``core.models.ExampleMark``),
shown as a badge on the object's page and in its API body.

The steps the facts need (institutions, accounts, staff, cooperation) are loaded once for the
module, inside a transaction rolled back at the end."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

from opora.cooperation.models import (
    Agreement,
    AidDelivery,
    Event,
    Exchange,
    ItineraryStop,
    Letter,
    LetterDiscrepancy,
    PartnerNeed,
    PersonPosition,
    SeminarSeries,
)
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.demo.data import facts
from opora.demo.steps.accounts import load_accounts, load_synthetic_staff
from opora.demo.steps.cooperation import load_cooperation
from opora.demo.steps.institutions import load_institutions, load_staff
from opora.institutions.models import Institution, TrainingRecord
from tests.demo_support import demo_loaded

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
EVENTS = {fact["key"]: fact for fact in facts.COOPERATION_EVENTS}
# The events whose days the seeds do not give (only a month, a year, or nothing): the demo's
# days stand for them and the events are marked.
EVENTS_WITH_MADE_UP_DAYS = {
    "lugansk-visit-2022-10",
    "moscow-experts-lugansk-2022",
    "lugansk-visit-2022-11",
    "berlin-seminar-1",
    "smolensk-theatre-festival",
    "forum-social-innovations-3",
}


demo = demo_loaded(
    load_institutions, load_accounts, load_synthetic_staff, load_staff, load_cooperation
)


@pytest.fixture
def loaded(demo, db):
    return None


def _event(key: str) -> Event:
    return Event.objects.get(title_ru=EVENTS[key]["title"]["ru"])


# --- The seeds' words ---------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(text.split()).lower()


def _words(text: str) -> list[str]:
    """The words of a name worth comparing: letters or digits, leaving out the short joining
    words (и, при, в) the seed's phrase may word differently."""
    return [w for w in re.findall(r"[\w]+", text.lower()) if w.isdigit() or len(w) > 3]


def _same_word(word: str, other: str) -> bool:
    """The same word in another grammatical case: Russian changes the ending only
    (Кризисный / Кризисного, больница / больнице)."""
    if word.isdigit() or other.isdigit():
        return word == other
    stem = word[: max(3, len(word) - 3)]
    return other.startswith(stem)


@pytest.fixture(scope="module")
def seeds_text() -> str:
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"the source documents are not at {SEEDS}")
    return _normalised(
        "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    )


def test_every_institution_named_as_a_fact_is_named_in_the_seeds(seeds_text):
    for fact in facts.INSTITUTIONS:
        phrases = fact.get("seed_words")
        # A name is the seeds' or an example, never neither and never both.
        assert bool(phrases) != bool(fact.get("example")), fact["code"]
        if not phrases:
            continue
        phrases = (phrases,) if isinstance(phrases, str) else phrases
        for phrase in phrases:
            assert _normalised(phrase) in seeds_text, (fact["code"], phrase)
        seed_words = [w for phrase in phrases for w in _words(phrase)]
        for word in _words(fact["name"]):
            assert any(_same_word(word, other) for other in seed_words), (fact["code"], word)


def test_the_letter_is_kept_word_for_word(seeds_text):
    assert _normalised(facts.HELSINKI_LETTER_RU) in seeds_text
    assert _normalised(facts.HELSINKI_LETTER_FI) in seeds_text


# --- Institutions ----------------------------------------------------------------------------


def test_every_institution_with_a_made_up_name_or_detail_is_marked(loaded):
    by_code = {fact["code"]: fact for fact in facts.INSTITUTIONS}
    institutions = Institution.objects.prefetch_related("accessibility", "capacities")
    assert institutions.count() == len(by_code)
    for institution in institutions:
        fact = by_code[institution.code]
        if fact.get("example"):
            # A name (or district) the seeds do not give.
            assert institution.is_example, institution.code
            assert institution.example_note.startswith(fact["example"]), institution.code
        # No seed gives opening hours, capacity or accessibility: whoever has them is marked.
        made_up = {
            "часы работы": bool(institution.opening_hours),
            "вместимость": institution.capacities.exists(),
            "доступная среда": institution.accessibility.exists(),
        }
        for words, present in made_up.items():
            if present:
                assert institution.is_example, institution.code
                assert words in institution.example_note.lower(), (institution.code, words)
        if not fact.get("example") and not any(made_up.values()):
            assert not institution.is_example and not institution.example_note, institution.code
    for code in ("family-upbringing-centre-1", "family-upbringing-centre-2"):
        institution = Institution.objects.get(code=code)
        assert institution.is_example and "Название" in institution.example_note


def test_the_silver_university_partner_is_the_moscow_state_pedagogical_university(loaded):
    mpgu = Institution.objects.get(code="mpgu")
    assert mpgu.name == "Московский государственный педагогический университет"
    assert mpgu.name_en == "Moscow State Pedagogical University" and not mpgu.is_example
    assert not Institution.objects.filter(name__icontains="городской педагогический").exists()
    assert not Institution.objects.filter(code="mgpu").exists()
    stand = Event.objects.get(kind="forum").stands.get(title_ru="«Московское долголетие»")
    assert set(stand.institutions.values_list("code", flat=True)) >= {"mpgu", "mguu"}


# --- Events, itineraries, exchanges and training ----------------------------------------------


def test_events_with_made_up_days_are_marked_and_the_others_are_not(loaded):
    assert {key for key, fact in EVENTS.items() if fact.get("example")} == (
        EVENTS_WITH_MADE_UP_DAYS
    )
    for key, fact in EVENTS.items():
        event = _event(key)
        assert event.is_example == (key in EVENTS_WITH_MADE_UP_DAYS), key
        assert event.example_note == fact.get("example", ""), key


def test_every_stop_with_hours_is_marked(loaded):
    # No seed gives the hours of a visit: every stop (a stop always has hours) is marked.
    stops = ItineraryStop.objects.select_related("institution", "event")
    assert stops.count() == sum(len(fact["stops"]) for fact in facts.COOPERATION_EVENTS) == 9
    for stop in stops:
        assert stop.is_example and "часы" in stop.example_note, stop.title
        if stop.institution is not None and stop.institution.code.startswith("family-upbringing"):
            assert "Название" in stop.example_note
    assert {stop.event.title_ru for stop in stops} == {
        EVENTS["helsinki-visit-2019"]["title"]["ru"],
        EVENTS["lugansk-visit-2022-11"]["title"]["ru"],
    }


def test_the_helsinki_visit_is_in_july_2019_everywhere(loaded):
    visit = _event("helsinki-visit-2019")
    july = (dt.date(2019, 7, 2), dt.date(2019, 7, 3))
    assert (visit.starts_on, visit.ends_on) == july and not visit.is_example
    assert {stop.day for stop in visit.stops.all()} <= set(july)
    # The description states facts, not a verdict on the translation.
    for text in (visit.description_ru, visit.description_en):
        assert not re.search(r"ошибоч|ошибк|in error|mistake|wrong", text, re.IGNORECASE), text
    records = TrainingRecord.objects.filter(title=visit.title_ru)
    assert records.exists()
    assert set(records.values_list("started_on", "ended_on").distinct()) == {july}
    assert not records.filter(is_example=False).exists()
    assert not TrainingRecord.objects.filter(
        title__icontains="Хельсинки", started_on__month=6
    ).exists()
    # The visit's participant from Helsinki held her post on those days.
    [position] = PersonPosition.objects.filter(person__full_name="Sanna Vesikansa")
    assert position.valid_from <= july[0]


def test_the_lugansk_exchange_and_its_training_carry_the_visits_dates(loaded):
    visit = _event("lugansk-visit-2022-11")
    days = (dt.date(2022, 11, 21), dt.date(2022, 11, 23))
    assert (visit.starts_on, visit.ends_on) == days and visit.is_example
    exchanges = Exchange.objects.filter(event=visit).select_related("training_record")
    assert exchanges.count() >= 6
    for exchange in exchanges:
        assert (exchange.starts_on, exchange.ends_on) == days
        assert exchange.direction == "incoming" and exchange.is_example
        record = exchange.training_record
        assert (record.started_on, record.ended_on) == days
        assert record.title == visit.title_ru and record.hours
        assert record.is_example and record.example_note == exchange.example_note
    # Every training record of the Lugansk visit is one of those exchanges'.
    lugansk = TrainingRecord.objects.filter(title__icontains="Луганск")
    assert lugansk.count() == exchanges.count()
    assert set(lugansk.values_list("started_on", "ended_on").distinct()) == {days}
    # The director of «Nezabudka» is in the post as of the news, not of a made-up day.
    [position] = PersonPosition.objects.filter(person__full_name="Александр Шабанов")
    assert position.valid_from == dt.date(2022, 11, 28)


def test_the_18th_seminar_record_carries_the_seminars_title_and_its_made_up_hours_are_marked(
    loaded,
):
    seminar = Event.objects.get(series__isnull=False, edition=18)
    records = TrainingRecord.objects.filter(kind="seminar", started_on__year=2017)
    assert records.exists()
    assert set(records.values_list("title", flat=True)) == {seminar.title_ru}
    assert set(records.values_list("started_on", "ended_on").distinct()) == {
        (seminar.starts_on, seminar.ends_on)
    }
    assert "инвалидност" not in seminar.title_ru  # the 1st seminar's topic, not the 18th's
    assert not records.filter(is_example=False).exists()
    assert all("часы" in note for note in records.values_list("example_note", flat=True))


def test_every_training_record_with_hours_is_marked(loaded):
    assert TrainingRecord.objects.filter(hours__isnull=False).exists()
    unmarked = TrainingRecord.objects.filter(hours__isnull=False).exclude(is_example=True)
    assert not unmarked.exists(), list(unmarked.values_list("title", flat=True)[:5])
    assert not TrainingRecord.objects.filter(is_example=True, example_note="").exists()


# --- Agreements, letters, needs and aid -------------------------------------------------------


def test_made_up_agreements_letters_needs_and_aid_are_marked(loaded):
    for fact in facts.COOPERATION_AGREEMENTS:
        agreement = Agreement.objects.get(title_ru=fact["title"]["ru"])
        assert agreement.is_example and agreement.example_note == fact["example"]
    for fact in facts.COOPERATION_LETTERS:
        letter = Letter.objects.get(subject=fact["subject"])
        assert letter.is_example == bool(fact.get("example")), fact["key"]
    assert Letter.objects.get(direction="outgoing").is_example
    assert not Letter.objects.get(direction="incoming").is_example
    for fact in facts.COOPERATION_NEEDS:
        need = PartnerNeed.objects.get(partner__code=fact["partner"], title_ru=fact["title"]["ru"])
        assert need.is_example and need.example_note == fact["example"], fact["key"]
    assert not AidDelivery.objects.filter(is_example=False).exists()
    # A year only: the series gives no day for its first seminar.
    assert SeminarSeries.objects.get().first_held_on is None


def test_the_aid_goes_to_both_the_lnr_and_the_dnr(loaded):
    deliveries = AidDelivery.objects.select_related("partner", "need")
    assert sorted(d.partner.code for d in deliveries) == ["dnr", "lnr"]
    names = {d.partner.name_ru for d in deliveries}
    assert names == {"Луганская Народная Республика", "Донецкая Народная Республика"}
    for delivery in deliveries:
        assert delivery.need.partner_id == delivery.partner_id and delivery.need.status == "met"
        assert delivery.is_example and delivery.example_note


def test_the_letters_discrepancy_is_resolved_by_the_named_cooperation_officer(loaded):
    letter = Letter.objects.get(direction="incoming", dated_on=dt.date(2019, 7, 12))
    [discrepancy] = LetterDiscrepancy.objects.filter(letter=letter).select_related(
        "resolved_by", "correct_version"
    )
    officer = discrepancy.resolved_by
    assert officer is not None and officer.username == "cooperation"
    assert officer.role == Role.COOPERATION_OFFICER
    last, first, patronymic = facts.DEMO_ACCOUNT_NAMES["cooperation"]
    assert (officer.last_name, officer.first_name, officer.patronymic) == (last, first, patronymic)
    assert discrepancy.correct_version.language == "fi" and discrepancy.resolved_at
    assert "Основания:" in discrepancy.resolution and "2–3 июля 2019" in discrepancy.resolution
    # Both texts are kept as they came, the translation with its June.
    texts = {v.language: v.text for v in letter.versions.all()}
    assert "2.-3.7.2019" in texts["fi"] and "2-3 июня 2019" in texts["ru"]
    resolved = AuditEntry.objects.get(action="cooperation.letter.discrepancy_resolved")
    assert resolved.actor_id == officer.pk


# --- Pages and API ----------------------------------------------------------------------------


def test_a_marked_institution_shows_its_badge_and_a_seed_one_does_not(loaded, login, make_user):
    client = login(make_user(Role.ADMINISTRATOR))
    marked = Institution.objects.get(code="family-upbringing-centre-1")
    page = client.get(reverse("institutions:detail", args=[marked.pk])).content.decode()
    assert 'data-testid="example-badge"' in page
    assert "Название «Берег» — пример" in page
    plain = Institution.objects.get(code="lugansk-nezabudka")
    page = client.get(reverse("institutions:detail", args=[plain.pk])).content.decode()
    assert 'data-testid="example-badge"' not in page
    # The mark written with the record is on its history too, and the list shows the badge.
    history = client.get(reverse("institutions:detail", args=[marked.pk]), {"tab": "history"})
    assert history.status_code == 200
    listing = client.get(reverse("institutions:list"), {"q": "Берег"}).content.decode()
    assert 'data-testid="example-badge"' in listing


def test_a_marked_event_and_its_stops_show_their_badges(loaded, login, make_user):
    client = login(make_user(Role.COOPERATION_OFFICER))
    visit = _event("lugansk-visit-2022-11")
    page = client.get(reverse("cooperation:event", args=[visit.pk])).content.decode()
    assert 'data-testid="example-badge"' in page and visit.example_note in page
    page = client.get(
        reverse("cooperation:event", args=[visit.pk]), {"tab": "itinerary"}
    ).content.decode()
    assert page.count('data-testid="example-badge"') >= visit.stops.count()
    history = client.get(reverse("cooperation:event", args=[visit.pk]), {"tab": "history"})
    assert history.status_code == 200
    letters = client.get(reverse("cooperation:letters")).content.decode()
    assert letters.count('data-testid="example-badge"') == 1  # the reply no seed has


def test_the_api_says_what_is_an_example(loaded, login, make_user):
    client = login(make_user(Role.ADMINISTRATOR))
    marked = Institution.objects.get(code="family-upbringing-centre-2")
    body = client.get(f"/api/v1/institutions/{marked.pk}").json()
    assert body["is_example"] is True and body["example_note"] == marked.example_note
    plain = Institution.objects.get(code="lugansk-nezabudka")
    body = client.get(f"/api/v1/institutions/{plain.pk}").json()
    assert body["is_example"] is False and body["example_note"] == ""
    visit = _event("lugansk-visit-2022-11")
    body = client.get(f"/api/v1/cooperation/events/{visit.pk}").json()
    assert body["is_example"] is True and body["example_note"] == visit.example_note
    days = client.get(f"/api/v1/cooperation/events/{visit.pk}/itinerary").json()
    assert all(stop["is_example"] for day in days for stop in day["stops"])
