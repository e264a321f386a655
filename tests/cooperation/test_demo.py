"""The cooperation demo: every seed's partner, event and letter with its dates, the seminar
series numbered by the alternation, the Helsinki letter keeping both months, and nothing added
by a second load. The steps are loaded once for the module, in a transaction rolled back at the
end (tests/demo/test_facts.py holds the facts and the example marks to the seeds)."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.cooperation import selectors
from opora.cooperation.models import (
    AidDelivery,
    Event,
    Exchange,
    ItineraryStop,
    Letter,
    Partner,
    PartnerNeed,
    PartnerPerson,
)
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.demo.data.facts import COOPERATION_EVENTS, COOPERATION_LETTERS, COOPERATION_PARTNERS
from opora.demo.loading import DemoContext
from opora.demo.steps.accounts import load_accounts, load_synthetic_staff
from opora.demo.steps.cooperation import load_cooperation
from opora.demo.steps.institutions import load_institutions, load_staff
from tests.demo_support import demo_loaded

MODELS = (
    Partner,
    PartnerPerson,
    Event,
    ItineraryStop,
    Exchange,
    Letter,
    PartnerNeed,
    AidDelivery,
    AuditEntry,
)


demo = demo_loaded(
    load_institutions, load_accounts, load_synthetic_staff, load_staff, load_cooperation
)


@pytest.fixture
def loaded(demo, db):
    return None


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_seeds_are_loaded_once_with_their_dates(loaded):
    before = counts()
    load_cooperation(DemoContext(actor=SYSTEM))
    assert counts() == before

    assert set(Partner.objects.values_list("code", flat=True)) == {
        p["code"] for p in COOPERATION_PARTNERS
    }
    assert Partner.objects.get(code="berlin-lageso").parent.code == "berlin-senate-social"
    by_title = {e.title_ru: e for e in Event.objects.all()}
    for fact in COOPERATION_EVENTS:
        event = by_title[fact["title"]["ru"]]
        assert (event.starts_on.isoformat(), event.ends_on.isoformat()) == (
            fact["starts_on"],
            fact["ends_on"],
        )
    helsinki = by_title["Визит делегации города Хельсинки"]
    assert (helsinki.starts_on, helsinki.ends_on) == (dt.date(2019, 7, 2), dt.date(2019, 7, 3))
    assert set(helsinki.stops.values_list("institution__code", flat=True)) >= {
        "crisis-centre-women-children",
        "family-childhood-resource-centre",
    }
    forum = Event.objects.get(kind="forum")
    assert forum.participant_count == 30000 and forum.stands.count() == 3
    assert Event.objects.get(kind="telebridge").starts_on == dt.date(2021, 9, 20)
    for fact in COOPERATION_LETTERS:
        assert Letter.objects.filter(dated_on=fact["dated_on"], subject=fact["subject"]).exists()


def test_the_series_numbering_holds_and_the_letter_keeps_both_months(loaded):
    seminar = Event.objects.get(series__isnull=False, edition=18)
    assert (seminar.starts_on, seminar.ends_on) == (dt.date(2017, 7, 4), dt.date(2017, 7, 9))
    assert seminar.host == "ours"
    rows = selectors.series_editions(seminar.series)
    assert [row.edition for row in rows] == [1, 18]
    assert not any(row.differs for row in rows)
    assert selectors.series_next_edition(seminar.series) == (19, "partner")

    letter = Letter.objects.get(direction="incoming", dated_on=dt.date(2019, 7, 12))
    texts = {v.language: v for v in letter.versions.all()}
    assert texts["fi"].is_original and "2.-3.7.2019" in texts["fi"].text
    assert "2-3 июня 2019" in texts["ru"].text
    [discrepancy] = letter.discrepancies.all()
    assert discrepancy.correct_version == texts["fi"]
    assert Letter.objects.filter(in_reply_to=letter, direction="outgoing").exists()
    for aid in AidDelivery.objects.all():
        assert [item.quantity for item in aid.items.all()] == [1]
