"""Published figures through the services: recorded with their audit entry, refused with a
clear DomainError naming the field and nothing written, corrected and retired with the
history saying so; dates known only to the month or year kept as its first day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core.actors import SYSTEM
from opora.core.audit import sentence
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.reports import selectors, services
from opora.reports.models import FigureUnit, PublishedFigure

from .conftest import figure_fields

pytestmark = pytest.mark.django_db

db_property = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def refused(**overrides) -> DomainError:
    before = (PublishedFigure.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        services.figure_create(actor=SYSTEM, **figure_fields(**overrides))
    assert (PublishedFigure.objects.count(), AuditEntry.objects.count()) == before
    return caught.value


def test_a_figure_is_recorded_with_its_source_and_audit_entry(admin_user, institution_a):
    figure = services.figure_create(
        actor=admin_user, **figure_fields(institution=institution_a, note="  a note  ")
    )
    figure.refresh_from_db()
    assert figure.value == Decimal(1_500_000) and figure.unit == FigureUnit.PEOPLE
    assert figure.note == "a note" and figure.institution == institution_a
    assert figure.as_of_shown == "20.09.2021"
    entry = AuditEntry.objects.get(action="reports.figure.recorded")
    assert entry.object_id == str(figure.pk) and entry.actor == admin_user
    assert entry.changes["value"] == [None, "1500000"]
    assert entry.changes["quotation"][1].startswith("По ее словам")
    with translation.override("en"):
        assert sentence(entry).startswith(f"{admin_user} recorded the published figure")


@pytest.mark.parametrize(
    ("precision", "given", "kept", "shown"),
    [
        ("year", dt.date(2020, 7, 15), dt.date(2020, 1, 1), "2020"),
        ("month", dt.date(2020, 7, 15), dt.date(2020, 7, 1), None),
        ("day", dt.date(2020, 7, 15), dt.date(2020, 7, 15), "15.07.2020"),
    ],
)
def test_a_date_is_kept_as_precisely_as_the_text_gives_it(precision, given, kept, shown):
    figure = services.figure_create(
        actor=SYSTEM, **figure_fields(as_of=given, as_of_precision=precision)
    )
    figure.refresh_from_db()
    assert figure.as_of == kept
    with translation.override("ru"):
        assert figure.as_of_shown == (shown or figure.as_of_shown)
        if precision == "month":
            assert "2020" in figure.as_of_shown and "15" not in figure.as_of_shown


def test_a_period_is_shown_from_its_first_to_its_last_day():
    figure = services.figure_create(
        actor=SYSTEM,
        **figure_fields(as_of=dt.date(2019, 6, 19), as_of_end=dt.date(2019, 6, 21)),
    )
    with translation.override("ru"):
        assert figure.as_of_shown == "19.06.2019–21.06.2019"
    error = refused(code="other", as_of=dt.date(2019, 6, 21), as_of_end=dt.date(2019, 6, 19))
    assert "as_of_end" in error.details


def test_the_same_code_as_of_the_same_date_is_refused(make_figure):
    make_figure(as_of=dt.date(2020, 3, 3), as_of_precision="year")
    error = refused(as_of=dt.date(2020, 11, 30), as_of_precision="year")
    assert error.code == "figure_exists" and error.status == 409 and "as_of" in error.details
    # As of another year, the same quantity is the next figure of its series.
    make_figure(as_of=dt.date(2021, 1, 1), as_of_precision="year")
    assert PublishedFigure.objects.filter(code="recipients").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quotation": "   "}, "quotation"),
        ({"source_document": ""}, "source_document"),
        ({"value": Decimal(-1)}, "value"),
        ({"unit": "percent", "value": Decimal("100.5")}, "value"),
        ({"unit": "furlongs"}, "unit"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"as_of_precision": "decade"}, "as_of_precision"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"code": "not a slug"}, "code"),
        ({"name": ""}, "name"),
        ({"source_title": ""}, "source_title"),
        ({"value": Decimal("NaN")}, "value"),
        ({"value": Decimal("1e20")}, "value"),
        ({"example_note": "made up"}, "example_note"),
        ({"source_url": "not an address"}, "source_url"),
    ],
)
def test_invalid_figures_are_refused_naming_the_field(overrides, field):
    error = refused(**overrides)
    assert field in error.details, error.details


def test_a_quotation_is_needed_only_for_a_source_document():
    figure = services.figure_create(
        actor=SYSTEM,
        **figure_fields(source_kind="publication", source_document="", quotation=""),
    )
    assert figure.quotation == "" and figure.source_document == ""


@db_property
@given(
    value=st.decimals(min_value=Decimal(-1000), max_value=Decimal(1000), places=3, allow_nan=False),
    unit=st.sampled_from(FigureUnit.values),
)
def test_a_value_is_accepted_exactly_when_it_is_a_possible_count_or_share(value, unit):
    with transaction.atomic():
        possible = value >= 0 and (unit != FigureUnit.PERCENT or value <= 100)
        try:
            figure = services.figure_create(actor=SYSTEM, **figure_fields(value=value, unit=unit))
        except DomainError as error:
            assert not possible, (value, unit)
            assert list(error.details) == ["value"]
            assert not PublishedFigure.objects.exists()
        else:
            assert possible, (value, unit)
            figure.refresh_from_db()
            assert figure.value == value
        transaction.set_rollback(True)


@db_property
@given(
    day=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    precision=st.sampled_from(["day", "month", "year"]),
    other=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
)
def test_two_figures_of_a_code_clash_exactly_when_their_kept_dates_are_equal(day, precision, other):
    with transaction.atomic():
        services.figure_create(actor=SYSTEM, **figure_fields(as_of=day, as_of_precision=precision))
        kept = PublishedFigure.objects.get().as_of
        second_kept = {
            "day": other,
            "month": other.replace(day=1),
            "year": other.replace(month=1, day=1),
        }[precision]
        try:
            services.figure_create(
                actor=SYSTEM, **figure_fields(as_of=other, as_of_precision=precision)
            )
        except DomainError as error:
            assert error.code == "figure_exists" and second_kept == kept
        else:
            assert second_kept != kept
        transaction.set_rollback(True)


def test_a_correction_is_audited_with_what_changed(make_figure, analyst):
    figure = make_figure()
    services.figure_update(
        actor=analyst,
        figure=figure,
        reason="misread",
        value=Decimal("1500000.000"),
        qualifier="about",
    )
    figure.refresh_from_db()
    assert figure.qualifier == "about"
    entry = AuditEntry.objects.get(action="reports.figure.changed")
    # 1500000 and 1500000.000 are one value: only the comparison changed.
    assert entry.changes == {"qualifier": ["more_than", "about"]} and entry.reason == "misread"
    services.figure_update(actor=analyst, figure=figure, qualifier="about")
    assert AuditEntry.objects.filter(action="reports.figure.changed").count() == 1


def test_a_correction_is_refused_like_a_new_figure(make_figure):
    figure = make_figure()
    make_figure(code="other")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.figure_update(actor=SYSTEM, figure=figure, unit="percent")
    assert "value" in caught.value.details
    with pytest.raises(DomainError) as caught:
        services.figure_update(actor=SYSTEM, figure=figure, code="other")
    assert caught.value.code == "figure_exists"
    with pytest.raises(DomainError) as caught:
        services.figure_update(actor=SYSTEM, figure=figure, retired_at=None)
    assert caught.value.code == "unknown_fields"
    figure.refresh_from_db()
    assert (figure.code, figure.unit) == ("recipients", "people")
    assert AuditEntry.objects.count() == before


def test_a_retired_figure_is_kept_out_of_the_lists_and_not_changed(make_figure, analyst):
    figure = make_figure()
    with pytest.raises(DomainError) as caught:
        services.figure_retire(actor=analyst, figure=figure, reason="  ")
    assert caught.value.code == "reason_required" and "reason" in caught.value.details
    services.figure_retire(actor=analyst, figure=figure, reason="The source was withdrawn.")
    figure.refresh_from_db()
    assert figure.is_retired and figure.retired_reason == "The source was withdrawn."
    entry = AuditEntry.objects.get(action="reports.figure.retired")
    assert entry.reason == "The source was withdrawn."
    assert list(selectors.figure_list(actor=analyst)) == []
    assert list(selectors.figure_list(actor=analyst, retired=True)) == [figure]
    for attempt in (
        lambda: services.figure_retire(actor=analyst, figure=figure, reason="again"),
        lambda: services.figure_update(actor=analyst, figure=figure, value=Decimal(1)),
    ):
        with pytest.raises(DomainError) as caught:
            attempt()
        assert caught.value.code == "figure_retired" and caught.value.status == 409
    assert AuditEntry.objects.filter(action__startswith="reports.figure.").count() == 2


def test_the_list_filters_by_source_unit_year_and_words(make_figure, worker_a):
    smolensk = make_figure()
    share = make_figure(
        code="share",
        name="Доля отделов",
        unit="percent",
        value=Decimal(85),
        as_of=dt.date(2019, 6, 19),
        source_document="004_3589eba934f5f979.txt",
        source_title="Форум",
        quotation="… более 85 % от всего количества.",
    )
    forum = make_figure(
        code="forum",
        unit="participants",
        value=Decimal(30_000),
        as_of=dt.date(2018, 12, 30),
        as_of_end=dt.date(2019, 1, 2),
        source_kind="publication",
        source_document="",
        source_title="Пресс-релиз",
        quotation="",
    )

    def codes(**filters):
        return [f.code for f in selectors.figure_list(actor=worker_a, **filters)]

    assert codes() == ["recipients", "share", "forum"]
    assert codes(source="004_3589eba934f5f979.txt") == ["share"]
    assert codes(source="Пресс-релиз") == ["forum"]
    assert codes(unit="percent") == ["share"]
    assert codes(year=2019) == ["share", "forum"]
    assert codes(year=2018) == ["forum"]
    assert codes(year=2021) == ["recipients"]
    assert codes(q="ДОЛЯ") == ["share"]
    assert codes(q="85 %") == ["share"]
    assert codes(source_kind="publication") == ["forum"]
    with pytest.raises(DomainError) as caught:
        codes(year=20190)
    assert "year" in caught.value.details
    sources = {s.key: s for s in selectors.figure_sources(actor=worker_a)}
    assert set(sources) == {"003_2dc4b0f59ac4381b.txt", "004_3589eba934f5f979.txt", "Пресс-релиз"}
    assert sources["Пресс-релиз"].count == 1
    assert selectors.figure_years(actor=worker_a) == [2021, 2019, 2018]
    assert selectors.figure_get(actor=worker_a, pk=share.pk) == share
    assert {smolensk, forum} <= set(selectors.figure_list(actor=worker_a))
