"""Tariffs: the rules of their periods, and which one is in force on a day."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.catalogue import selectors, services
from opora.catalogue.models import Tariff
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry

DAY = dt.timedelta(days=1)
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def add(service, price, valid_from, valid_to=None, form=""):
    return services.tariff_add(
        actor=SYSTEM,
        service=service,
        price=Decimal(price),
        valid_from=valid_from,
        valid_to=valid_to,
        form=form,
    )


def price_on(service, day, form=""):
    tariff = selectors.tariff_in_force(service=service, form=form, on=day)
    return tariff.price if tariff else None


def refused(code, call, *args, **kwargs):
    """Call, expect the DomainError ``code``, and return it."""
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.code == code, error.value.as_body()
    return error.value


def test_a_negative_tariff_is_refused_and_nothing_is_written(service, day):
    entries = AuditEntry.objects.count()
    error = refused("negative_tariff", add, service, "-0.01", day)
    assert "price" in error.details
    assert not Tariff.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_free_service_has_a_tariff_of_zero(service, day):
    assert add(service, "0.00", day).price == Decimal("0.00")


@pytest.mark.parametrize("price", ["abc", "NaN", "Infinity"])
def test_a_price_that_is_not_a_number_is_refused(service, day, price):
    refused(
        "invalid_price",
        services.tariff_add,
        actor=SYSTEM,
        service=service,
        price=price,
        valid_from=day,
    )


def test_kopecks_beyond_two_places_are_refused(service, day):
    error = refused("invalid", add, service, "100.005", day)
    assert "price" in error.details


def test_an_unknown_form_is_refused(service, day):
    error = refused("unknown_form", add, service, "100", day, form="boarding")
    assert "form" in error.details


def test_a_form_the_service_is_not_given_in_is_refused(service, day):
    refused("form_not_offered", add, service, "100", day, form="residential")
    assert not Tariff.objects.exists()


def test_a_second_tariff_from_the_same_day_is_refused(service, day):
    add(service, "100", day)
    error = refused("tariff_duplicate", add, service, "120", day)
    assert error.status == 409
    assert Tariff.objects.get().price == Decimal("100")


def test_a_period_that_ends_before_it_starts_is_refused(service, day):
    refused("period_reversed", add, service, "100", day, day - DAY)


def test_an_open_tariff_replaces_the_open_one_before_it(service, day):
    old = add(service, "100", dt.date(2025, 1, 1))
    new = add(service, "110", dt.date(2026, 1, 1))
    old.refresh_from_db()
    assert old.valid_to == dt.date(2025, 12, 31)
    assert new.valid_to is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(service.pk), action__startswith="catalogue.tariff")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["catalogue.tariff.added", "catalogue.tariff.ended", "catalogue.tariff.added"]


def test_a_tariff_with_an_end_does_not_cut_the_open_one(service):
    add(service, "100", dt.date(2025, 1, 1))
    error = refused(
        "tariff_overlaps", add, service, "90", dt.date(2025, 6, 1), dt.date(2025, 6, 30)
    )
    assert error.status == 409
    assert Tariff.objects.get().valid_to is None


def test_an_open_tariff_before_a_later_one_is_refused(service):
    add(service, "110", dt.date(2026, 1, 1))
    refused("tariff_overlaps", add, service, "100", dt.date(2025, 1, 1))
    # Stated with its end, it fits.
    add(service, "100", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert price_on(service, dt.date(2025, 12, 31)) == Decimal("100")
    assert price_on(service, dt.date(2026, 1, 1)) == Decimal("110")


def test_a_forms_own_tariff_comes_before_the_tariff_for_all_forms(service, day):
    add(service, "100", day)
    add(service, "80", day + DAY, form="semi_residential")
    assert price_on(service, day, "semi_residential") == Decimal("100")
    assert price_on(service, day + DAY, "semi_residential") == Decimal("80")
    assert price_on(service, day + DAY, "home") == Decimal("100")
    # Each form has its own line of tariffs: no overlap between a form and all forms.
    assert price_on(service, day + DAY) == Decimal("100")


def test_no_tariff_before_the_first_one(service, day):
    add(service, "100", day)
    assert price_on(service, day - DAY) is None


@HYPOTHESIS
@given(
    gaps=st.lists(st.integers(1, 400), min_size=1, max_size=5),
    prices=st.lists(st.integers(0, 5000), min_size=5, max_size=5),
    offset=st.sampled_from([-1, 0, 1]),
    which=st.integers(0, 4),
)
def test_the_tariff_in_force_is_the_last_one_started_at_every_boundary(
    make_service, gaps, prices, offset, which
):
    service = make_service()
    starts = []
    day = dt.date(2024, 1, 1)
    for gap in gaps:
        day += dt.timedelta(days=gap)
        starts.append(day)
    for start, price in zip(starts, prices, strict=False):
        add(service, price, start)
    probe = starts[which % len(starts)] + dt.timedelta(days=offset)
    started = [p for s, p in zip(starts, prices, strict=False) if s <= probe]
    expected = Decimal(started[-1]) if started else None
    assert price_on(service, probe) == expected
    # The pure function the pages use on prefetched tariffs gives the same answer.
    found = selectors.tariff_on(list(service.tariffs.all()), "home", probe)
    assert (found.price if found else None) == expected
    # The periods tile: each ends the day before the next starts, the last stays open.
    periods = list(Tariff.objects.filter(service=service).order_by("valid_from"))
    for earlier, later in itertools.pairwise(periods):
        assert earlier.valid_to == later.valid_from - DAY
    assert periods[-1].valid_to is None


@HYPOTHESIS
@given(
    first=st.tuples(st.integers(0, 60), st.integers(0, 30) | st.none()),
    second=st.tuples(st.integers(0, 60), st.integers(0, 30) | st.none()),
)
def test_a_second_period_is_refused_exactly_when_it_overlaps(make_service, first, second):
    service = make_service()
    base = dt.date(2026, 1, 1)

    def period(start, length):
        begin = base + dt.timedelta(days=start)
        return begin, (begin + dt.timedelta(days=length) if length is not None else None)

    (a_from, a_to), (b_from, b_to) = period(*first), period(*second)
    add(service, "100", a_from, a_to)
    meets = (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)
    replaces = b_to is None and a_to is None and a_from < b_from
    if meets and not replaces:
        with pytest.raises(DomainError) as error:
            add(service, "200", b_from, b_to)
        assert error.value.code in {"tariff_overlaps", "tariff_duplicate"}
        assert Tariff.objects.filter(service=service).count() == 1
    else:
        add(service, "200", b_from, b_to)
        rows = list(Tariff.objects.filter(service=service).order_by("valid_from"))
        for earlier, later in itertools.pairwise(rows):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from


def test_tariffs_by_form_names_every_form_of_the_service(service, day):
    add(service, "100", day, form="home")
    rows = {row.form: row.price for row in selectors.tariffs_by_form(service, day)}
    assert rows == {"home": Decimal("100"), "semi_residential": None}
