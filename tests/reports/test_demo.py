"""The demo's published figures: the eight figures of the seeds' seven sentences are loaded once
through the services, with the partner or institution each is about; every quotation and title
is found word for word in the seed file it names; what a seed does not say is an example."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.demo.data.figures import SEED_FIGURES
from opora.demo.loading import DemoContext, steps
from opora.demo.steps.cooperation import load_cooperation
from opora.demo.steps.institutions import load_institutions
from opora.demo.steps.reports import load_demo_figures
from opora.reports.models import PublishedFigure

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]

# The brief's seven figures; the sentence of the employment departments gives two.
EXPECTED = {
    "smolensk-social-service-recipients": ("1500000", "people", "more_than", "day"),
    "smolensk-social-protection-staff": ("5500", "staff", "almost", "day"),
    "smolensk-social-service-institutions": ("57", "institutions", "", "day"),
    "vitebsk-disabled-people-employed": ("14", "people", "", "year"),
    "home-help-recipients": ("15000", "people", "", "day"),
    "moscow-employment-departments-in-my-documents": ("46", "departments", "", "day"),
    "moscow-employment-departments-in-my-documents-share": ("85", "percent", "more_than", "day"),
    "forum-of-social-innovations-participants": ("30000", "participants", "more_than", "day"),
}


def seed_text(name: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"The seed documents are not here: {SEEDS} does not exist.")
    return (SEEDS / name).read_text(encoding="utf-8")


def test_the_data_holds_every_expected_figure_once():
    assert sorted(fact.code for fact in SEED_FIGURES) == sorted(EXPECTED)
    for fact in SEED_FIGURES:
        value, unit, qualifier, precision = EXPECTED[fact.code]
        assert (fact.value, fact.unit, fact.qualifier, fact.precision) == (
            Decimal(value),
            unit,
            qualifier,
            precision,
        ), fact.code
    # Seven sentences: the employment departments' one gives the count and the share.
    assert len({fact.quotation for fact in SEED_FIGURES}) == 7


@pytest.mark.parametrize("fact", SEED_FIGURES, ids=lambda fact: fact.code)
def test_every_quotation_is_found_verbatim_in_the_seed_it_names(fact):
    text = seed_text(fact.source.file)
    assert fact.quotation in text, fact.code
    assert fact.source.title in text, fact.code
    if fact.source.date is not None:
        # The document's own date, as it prints it ("20 сентября 2021").
        day = fact.source.date
        assert f"{day.day} {MONTHS[day.month - 1]} {day.year}" in text, fact.code


@pytest.mark.parametrize("fact", SEED_FIGURES, ids=lambda fact: fact.code)
def test_what_a_seed_does_not_say_is_an_example(fact):
    text = seed_text(fact.source.file)
    year_given = str(fact.as_of.year) in text or (
        # "в прошлом году" in a text of 2021
        "в прошлом году" in fact.quotation and fact.source.date is not None
    )
    assert fact.is_example == (not year_given), fact.code
    if fact.is_example:
        assert fact.example_note


@pytest.mark.django_db
def test_the_demo_loads_the_figures_once():
    context = DemoContext(actor=SYSTEM)
    load_institutions(context)
    load_cooperation(context)
    load_demo_figures(context)
    assert PublishedFigure.objects.count() == len(EXPECTED)
    before = (PublishedFigure.objects.count(), AuditEntry.objects.count())
    load_demo_figures(DemoContext(actor=SYSTEM))
    assert (PublishedFigure.objects.count(), AuditEntry.objects.count()) == before
    assert AuditEntry.objects.filter(action="reports.figure.recorded").count() == len(EXPECTED)

    figures = {f.code: f for f in PublishedFigure.objects.select_related("partner", "institution")}
    smolensk = figures["smolensk-social-service-recipients"]
    assert smolensk.partner.code == "smolensk-social-development"
    assert smolensk.as_of == dt.date(2021, 9, 20) and not smolensk.is_example
    assert smolensk.source_document == "003_2dc4b0f59ac4381b.txt"
    vitebsk = figures["vitebsk-disabled-people-employed"]
    assert vitebsk.partner.code == "vitebsk-labour-committee"
    assert (vitebsk.as_of, vitebsk.as_of_precision) == (dt.date(2020, 1, 1), "year")
    share = figures["moscow-employment-departments-in-my-documents-share"]
    assert share.institution.code == "dtszn-moscow" and share.is_example and share.example_note
    forum = figures["forum-of-social-innovations-participants"]
    assert (forum.as_of, forum.as_of_end) == (dt.date(2019, 6, 19), dt.date(2019, 6, 21))
    for fact in SEED_FIGURES:
        assert figures[fact.code].quotation == fact.quotation


def test_the_step_runs_after_the_partners_and_institutions():
    order = {step.name: step.order for step in steps()}
    assert order["reports"] > order["cooperation"] > order["institutions"]
