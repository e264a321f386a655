"""The details of a what-if: its breakdown by category counts each person once per category
she holds on the day, however many periods of it cover the day; its exports carry their
header in the reader's language, and the workbook's sheet is named for what it holds."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from opora.assistance import services
from opora.registry.models import CategoryKind, PersonCategory

from .runs_support import *  # noqa: F403 - the fixtures
from .runs_support import ON, done, draft_of


@pytest.fixture
def whatif(analyst_user, whatif_measure, crafted):
    """The crafted what-if, with the categories its people hold arranged before it runs."""

    def run_it():
        draft_of(whatif_measure)
        return done(services.whatif_start(actor=analyst_user, measure=whatif_measure, on=ON))

    return run_it


def test_two_overlapping_periods_of_a_category_count_the_person_once(whatif, crafted):
    pensioner = CategoryKind.objects.get(code="pensioner")
    # Written past the service, as an import or an old record may leave them: "gains" holds
    # the category twice on the day, "amount" held it only before the day.
    PersonCategory.objects.create(
        person=crafted["gains"], kind=pensioner, valid_from=dt.date(2020, 1, 1)
    )
    PersonCategory.objects.create(
        person=crafted["amount"],
        kind=pensioner,
        valid_from=dt.date(2001, 1, 1),
        valid_to=ON - dt.timedelta(days=1),
    )
    run = whatif()
    by_category = {row["code"]: row for row in run.summary["by_category"]}
    assert set(by_category) == {"pensioner"}
    row = by_category["pensioner"]
    # "gains" (+1200) and "loses" (−1000); "amount" holds no category on the day.
    assert (row["changed"], row["gained"], row["lost"], row["amount_changed"]) == (2, 1, 1, 0)
    assert row["change_kopecks"] == 20000
    assert row["yearly_change_kopecks"] == 240000
    # The total is the registry's, whatever the categories.
    assert run.summary["total"]["change_kopecks"] == 40000


def test_people_holding_two_categories_count_in_each(whatif, crafted):
    disabled = CategoryKind.objects.exclude(code="pensioner").order_by("code").first()
    assert disabled is not None
    PersonCategory.objects.create(
        person=crafted["gains"], kind=disabled, valid_from=dt.date(2020, 1, 1)
    )
    PersonCategory.objects.create(
        person=crafted["gains"], kind=disabled, valid_from=dt.date(2021, 1, 1)
    )
    run = whatif()
    by_category = {row["code"]: row for row in run.summary["by_category"]}
    assert set(by_category) == {"pensioner", disabled.code}
    assert by_category["pensioner"]["change_kopecks"] == 20000
    assert (by_category[disabled.code]["changed"], by_category[disabled.code]["gained"]) == (1, 1)
    assert by_category[disabled.code]["change_kopecks"] == 120000


def _csv_header(client, run) -> list[str]:
    exported = client.get(reverse("assistance:run_export_csv", args=[run.pk]))
    assert exported.status_code == 200
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text), delimiter=";"))


def _sheet(client, run):
    exported = client.get(reverse("assistance:run_export_xlsx", args=[run.pk]))
    assert exported.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    assert len(workbook.sheetnames) == 1
    return workbook.active


@pytest.mark.parametrize(
    ("language", "first", "last"),
    [
        ("en", "Registry number", "The condition that changed it"),
        ("ru", "Номер в реестре", "Условие, из-за которого он изменился"),
    ],
)
def test_the_exports_speak_the_readers_language(login, analyst_user, whatif, language, first, last):
    run = whatif()
    client = login(analyst_user)
    client.cookies["django_language"] = language
    header = _csv_header(client, run)
    assert (header[0], header[-1]) == (first, last)
    sheet = _sheet(client, run)
    row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
    assert list(row) == header
    words = {cell for line in sheet.iter_rows(min_row=2, values_only=True) for cell in line}
    assert ("yes" in words) is (language == "en")
    assert ("да" in words) is (language == "ru")


def test_the_sheet_is_named_for_the_changes_not_for_the_registrys_people(
    login, analyst_user, whatif
):
    run = whatif()
    client = login(analyst_user)
    client.cookies["django_language"] = "en"
    sheet = _sheet(client, run)
    assert sheet.title == "Changes under the draft"
    assert sheet.max_row == 4  # the header and the three people who change
    client.cookies["django_language"] = "ru"
    assert _sheet(client, run).title not in ("People", "Жители")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_breakdowns_name_categories_and_districts_in_the_readers_language(
    login, analyst_user, whatif, crafted, language
):
    pensioner = CategoryKind.objects.get(code="pensioner")
    PersonCategory.objects.create(
        person=crafted["gains"], kind=pensioner, valid_from=dt.date(2020, 1, 1)
    )
    run = whatif()
    district = run.summary["by_district"][0]
    client = login(analyst_user)
    client.cookies["django_language"] = language
    page = client.get(reverse("assistance:run", args=[run.pk])).content.decode()
    category_shown = pensioner.name_en if language == "en" else pensioner.name
    category_hidden = pensioner.name if language == "en" else pensioner.name_en
    assert category_shown in page
    assert category_hidden not in page
    district_shown = district["district_name_en"] if language == "en" else district["district_name"]
    assert district_shown in page
