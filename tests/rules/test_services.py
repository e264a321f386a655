"""Versions of rules, subsistence minimums, regions and calendar days: written through the
services, read "in force on a date", refused with a clear DomainError and nothing written."""

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
from opora.rules import reference, selectors, services
from opora.rules.catalog import (
    CHILD_GROUP_AGE,
    FEE_CAP_SHARE,
    FREE_THRESHOLD_MULTIPLIER,
    NEED_DECISION_DAYS,
    OVERPAYMENT_OFFSET_SHARE,
    PENSION_AGE_MEN,
    PENSION_AGE_WOMEN,
    PROGRAMME_REVIEW_YEARS,
)
from opora.rules.models import CalendarDay, Region, RuleVersion, SubsistenceMinimum

D = dt.date


LAW_DATE = D(2025, 1, 1)


# Rules a data migration ships in every installation that the reference also loads, for a
# database emptied since its migrations.
MIGRATED_AND_REFERENCED = {OVERPAYMENT_OFFSET_SHARE}


def _written_by_tests_codes() -> set[str]:
    return {value.code for value in reference.RULE_VALUES} - MIGRATED_AND_REFERENCED


def added_by_tests():
    """The versions of the rules these tests write (the ones the reference loads)."""
    return RuleVersion.objects.filter(code__in=_written_by_tests_codes())


def shipped_by_migrations():
    """The versions data migrations ship in every installation (example values to check)."""
    return RuleVersion.objects.exclude(code__in=_written_by_tests_codes())


def add(code=FREE_THRESHOLD_MULTIPLIER, on=LAW_DATE, value="1.5", **fields):
    return services.rule_version_add(
        actor=SYSTEM, code=code, valid_from=on, value=Decimal(value), **fields
    )


# --- Value in force ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_version_is_in_force_from_its_date_until_the_next_begins():
    add(on=D(2015, 1, 1), value="1.5")
    add(on=D(2026, 7, 1), value="2")
    value = selectors.value_in_force
    assert value(FREE_THRESHOLD_MULTIPLIER, on=D(2026, 6, 30)) == Decimal("1.5")
    assert value(FREE_THRESHOLD_MULTIPLIER, on=D(2026, 7, 1)) == Decimal(2)
    assert value(FREE_THRESHOLD_MULTIPLIER, on=D(2026, 7, 2)) == Decimal(2)
    with pytest.raises(DomainError) as error:
        value(FREE_THRESHOLD_MULTIPLIER, on=D(2014, 12, 31))
    assert error.value.code == "rule_not_in_force" and error.value.status == 404

    [line] = selectors.rule_lines(today=D(2026, 3, 1), code=FREE_THRESHOLD_MULTIPLIER)
    newest, oldest = line.rows
    assert oldest.valid_to == D(2026, 6, 30) and oldest.in_force
    assert newest.valid_to is None and newest.upcoming and not newest.in_force
    assert line.current is oldest and line.next is newest


version_dates = st.lists(
    st.dates(min_value=D(2000, 1, 2), max_value=D(2040, 12, 30)),
    min_size=1,
    max_size=6,
    unique=True,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dates=version_dates, probe=st.dates(min_value=D(1999, 1, 1), max_value=D(2041, 1, 1)))
def test_value_in_force_is_the_latest_version_begun_by_that_day(dates, probe):
    """Every boundary: the day before, the day of and the day after each valid-from date, and
    any other day, against a plain oracle."""
    savepoint = transaction.savepoint()
    try:
        for number, day in enumerate(dates, start=1):
            add(code=NEED_DECISION_DAYS, on=day, value=str(number))
        value_of = {day: Decimal(number) for number, day in enumerate(dates, start=1)}
        one = dt.timedelta(days=1)
        for on in [probe, *(d + delta for d in dates for delta in (-one, 0 * one, one))]:
            begun = [d for d in dates if d <= on]
            if begun:
                assert selectors.value_in_force(NEED_DECISION_DAYS, on=on) == value_of[max(begun)]
            else:
                with pytest.raises(DomainError):
                    selectors.value_in_force(NEED_DECISION_DAYS, on=on)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
def test_a_rule_per_form_of_service_has_one_line_per_form():
    add(code=FEE_CAP_SHARE, service_form="home", value="0.5")
    add(code=FEE_CAP_SHARE, service_form="residential", value="0.75")
    on = D(2025, 6, 1)
    assert selectors.value_in_force(FEE_CAP_SHARE, on=on, service_form="home") == Decimal("0.5")
    assert selectors.value_in_force(FEE_CAP_SHARE, on=on, service_form="residential") == Decimal(
        "0.75"
    )
    with pytest.raises(DomainError) as missing:
        selectors.value_in_force(FEE_CAP_SHARE, on=on, service_form="semi_residential")
    assert missing.value.code == "rule_not_in_force"
    with pytest.raises(DomainError) as no_form:
        selectors.value_in_force(FEE_CAP_SHARE, on=on)
    assert no_form.value.code == "service_form_required"


@pytest.mark.django_db
def test_an_empty_database_gives_a_clear_error_not_a_crash():
    for code in (FREE_THRESHOLD_MULTIPLIER, NEED_DECISION_DAYS, PROGRAMME_REVIEW_YEARS):
        with pytest.raises(DomainError) as error, translation.override("en"):
            selectors.value_in_force(code, on=D(2026, 1, 1))
        assert error.value.code == "rule_not_in_force"
        assert "an administrator adds one" in str(error.value.message)
    with pytest.raises(DomainError) as no_region:
        services.fee_calculate(income=Decimal(1000), service_form="home", on=D(2026, 1, 1))
    assert no_region.value.code == "home_region_missing"
    with pytest.raises(DomainError) as unknown:
        selectors.value_in_force("no_such_rule", on=D(2026, 1, 1))
    assert unknown.value.code == "unknown_rule" and unknown.value.status == 404


# --- Refused input, nothing written -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "form", "value", "field"),
    [
        (FREE_THRESHOLD_MULTIPLIER, "", "0", "value"),
        (FREE_THRESHOLD_MULTIPLIER, "", "-1.5", "value"),
        (FEE_CAP_SHARE, "home", "1.01", "value"),
        (FEE_CAP_SHARE, "home", "0", "value"),
        (NEED_DECISION_DAYS, "", "2.5", "value"),
        (NEED_DECISION_DAYS, "", "0", "value"),
        (PROGRAMME_REVIEW_YEARS, "", "-3", "value"),
        (FEE_CAP_SHARE, "", "0.5", "service_form"),
        (FEE_CAP_SHARE, "by_pigeon", "0.5", "service_form"),
        (NEED_DECISION_DAYS, "home", "5", "service_form"),
    ],
)
def test_invalid_values_are_refused_and_nothing_is_written(code, form, value, field):
    with pytest.raises(DomainError) as error:
        add(code=code, service_form=form, value=value)
    assert field in error.value.details
    assert not added_by_tests().exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_two_versions_from_the_same_day_are_refused():
    add(value="1.5")
    with pytest.raises(DomainError) as error:
        add(value="2")
    assert error.value.code == "version_exists" and error.value.status == 409
    assert "valid_from" in error.value.details
    assert added_by_tests().get().value == Decimal("1.5")
    assert AuditEntry.objects.count() == 1
    # Per form: the same day for another form is a different line.
    add(code=FEE_CAP_SHARE, service_form="home", value="0.5")
    add(code=FEE_CAP_SHARE, service_form="semi_residential", value="0.5")


@pytest.mark.django_db
def test_subsistence_minimums_are_in_force_per_region_and_refuse_bad_input():
    moscow = services.region_create(actor=SYSTEM, code="moscow", name="Москва", is_home=True)
    amounts = {
        "per_capita": Decimal(24801),
        "working_age": Decimal(27693),
        "pensioner": Decimal(18400),
        "child": Decimal(19786),
    }
    services.subsistence_minimum_add(
        actor=SYSTEM, region=moscow, valid_from=D(2025, 1, 1), is_example=True, **amounts
    )
    services.subsistence_minimum_add(
        actor=SYSTEM,
        region=moscow,
        valid_from=D(2026, 1, 1),
        **{k: v + 1000 for k, v in amounts.items()},
    )
    assert selectors.subsistence_minimum(moscow, on=D(2025, 12, 31)) == Decimal(24801)
    assert selectors.subsistence_minimum(moscow, on=D(2026, 1, 1)) == Decimal(25801)
    assert selectors.subsistence_minimum(moscow, on=D(2025, 6, 1), group="pensioner") == Decimal(
        18400
    )
    with pytest.raises(DomainError) as before:
        selectors.subsistence_minimum(moscow, on=D(2024, 12, 31))
    assert before.value.code == "minimum_not_in_force"
    assert [m.valid_from for m in selectors.minimums(on=D(2025, 7, 1))] == [D(2025, 1, 1)]

    with pytest.raises(DomainError) as zero:
        services.subsistence_minimum_add(
            actor=SYSTEM,
            region=moscow,
            valid_from=D(2027, 1, 1),
            **{**amounts, "child": Decimal(0)},
        )
    assert list(zero.value.details) == ["child"]
    with pytest.raises(DomainError) as twice:
        services.subsistence_minimum_add(
            actor=SYSTEM, region=moscow, valid_from=D(2026, 1, 1), **amounts
        )
    assert twice.value.code == "minimum_exists"
    assert SubsistenceMinimum.objects.count() == 2

    with pytest.raises(DomainError) as second_home:
        services.region_create(
            actor=SYSTEM, code="smolensk-oblast", name="Смоленская", is_home=True
        )
    assert second_home.value.code == "home_region_exists"
    with pytest.raises(DomainError) as same_code:
        services.region_create(actor=SYSTEM, code="moscow", name="Москва")
    assert same_code.value.code == "region_exists"
    assert Region.objects.count() == 1


@pytest.mark.django_db
def test_calendar_days_are_checked_and_a_day_is_marked_once():
    services.calendar_year_create(actor=SYSTEM, year=2026)
    services.calendar_day_add(actor=SYSTEM, date=D(2026, 1, 9), kind="day_off", name="Перенос")
    refused = [
        ({"date": D(2026, 1, 9), "kind": "holiday"}, "day_marked"),  # marked twice
        ({"date": D(2026, 1, 13), "kind": "working"}, "working_day_on_weekday"),
        ({"date": D(2026, 1, 10), "kind": "day_off"}, "day_off_on_weekend"),
        ({"date": D(2027, 1, 1), "kind": "holiday"}, "calendar_missing"),
        ({"date": D(2026, 1, 14), "kind": "feast"}, "invalid_day_kind"),
    ]
    for fields, code in refused:
        with pytest.raises(DomainError) as error:
            services.calendar_day_add(actor=SYSTEM, **fields)
        assert error.value.code == code, fields
    assert CalendarDay.objects.count() == 1
    for year, code in ((2026, "calendar_exists"), (20026, "invalid_year")):
        with pytest.raises(DomainError) as error:
            services.calendar_year_create(actor=SYSTEM, year=year)
        assert error.value.code == code


# --- Audit ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_write_is_audited_and_reads_as_a_sentence_in_the_readers_language(admin_user):
    version = services.rule_version_add(
        actor=admin_user,
        code=FEE_CAP_SHARE,
        service_form="home",
        valid_from=D(2015, 1, 1),
        value=Decimal("0.5"),
        basis="442-ФЗ, ст. 32",
    )
    region = services.region_create(
        actor=admin_user, code="moscow", name="Москва", name_en="Moscow"
    )
    services.subsistence_minimum_add(
        actor=admin_user,
        region=region,
        valid_from=D(2025, 1, 1),
        per_capita=Decimal(1),
        working_age=Decimal(1),
        pensioner=Decimal(1),
        child=Decimal(1),
    )
    calendar = services.calendar_year_create(actor=admin_user, year=2026)
    day = services.calendar_day_add(actor=admin_user, date=D(2026, 3, 9), kind="day_off")
    services.calendar_day_remove(actor=admin_user, day=day, reason="entered by mistake")

    actions = list(
        AuditEntry.objects.filter(action__startswith="rules.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "rules.version.added",
        "rules.region.created",
        "rules.minimum.added",
        "rules.calendar.year_created",
        "rules.calendar.day_added",
        "rules.calendar.day_removed",
    ]
    entry = AuditEntry.objects.get(action="rules.version.added")
    assert entry.object_id == str(version.pk) and entry.actor == admin_user
    assert entry.data["value"] == "50 %" and entry.reason == "442-ФЗ, ст. 32"
    with translation.override("en"):
        assert "Maximum monthly fee" in sentence(entry) and "(at home)" in sentence(entry)
        assert "2015" in sentence(entry)
    with translation.override("ru"):
        assert "Предельный размер ежемесячной платы" in sentence(entry)
        assert "01.01.2015" in sentence(entry)
    removed = AuditEntry.objects.get(action="rules.calendar.day_removed")
    assert removed.object_id == str(calendar.pk) and removed.reason == "entered by mistake"
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_the_shipped_rules_load_twice_without_a_change(rules):
    counts = (
        RuleVersion.objects.count(),
        SubsistenceMinimum.objects.count(),
        CalendarDay.objects.count(),
        AuditEntry.objects.count(),
    )
    from opora.demo.steps.rules import load_rules

    load_rules()
    assert counts == (
        RuleVersion.objects.count(),
        SubsistenceMinimum.objects.count(),
        CalendarDay.objects.count(),
        AuditEntry.objects.count(),
    )
    # Every shipped year: the 14 public holidays and its moved days.
    shipped_days = sum(len(reference.calendar_days(year)) for year in reference.CALENDARS)
    assert shipped_days == 3 * 14 + 6 + 4 + 3
    assert counts[:3] == (
        len(reference.RULE_VALUES) - len(MIGRATED_AND_REFERENCED) + shipped_by_migrations().count(),
        6,
        shipped_days,
    )
    assert Region.objects.get(is_home=True).code == "moscow"
    assert all(SubsistenceMinimum.objects.values_list("is_example", flat=True))
    # The figures of 442-FZ are the law; the pension ages and the children's age are not
    # retold in domain.md and are examples.
    examples = set(
        added_by_tests().filter(is_example=True).values_list("code", flat=True).distinct()
    )
    assert examples == {PENSION_AGE_MEN, PENSION_AGE_WOMEN, CHILD_GROUP_AGE}
    # What the migrations ship beside them are examples too, each with its basis.
    assert shipped_by_migrations().exists()
    assert all(version.is_example and version.basis for version in shipped_by_migrations())
