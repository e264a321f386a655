"""The numbered social seminar Moscow–Berlin (seed 002): the first in Berlin, held every year,
alternately in Berlin and in Moscow; the 18th in Moscow from 4 to 9 July 2017.

The seed's figures do not allow an alternation by calendar year: ten years after the first
seminar (2007) came the 18th, so some years had more than one. The rule follows the numbers of
the editions: odd editions at the first host (Berlin, the partner), even ones at the other
side (Moscow, ours). The 18th is even, hence Moscow — as the seed says. A year without a
seminar changes nothing: the next edition takes the next number and the other host."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.cooperation import selectors, services
from opora.cooperation.models import Event, EventKind, Host
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role


@pytest.fixture
def series(berlin):
    return services.series_create(
        actor=SYSTEM,
        partner=berlin,
        first_host=Host.PARTNER,
        first_held_on=dt.date(2007, 6, 1),
        name_ru="Социальный семинар Москва — Берлин",
        name_de="Sozialseminar Berlin–Moskau",
    )


def edition(series, *, starts_on, **fields):
    fields.setdefault("actor", SYSTEM)
    fields.setdefault("title_ru", f"Социальный семинар {starts_on.year} года")
    return services.event_create(
        kind=EventKind.SEMINAR, series=series, starts_on=starts_on, **fields
    )


def test_the_host_alternates_by_edition_number_from_berlin(series):
    assert services.expected_host(series, 1) == Host.PARTNER
    assert services.expected_host(series, 2) == Host.OURS
    assert services.expected_host(series, 17) == Host.PARTNER
    assert services.expected_host(series, 18) == Host.OURS  # the 18th in Moscow, 2017


def test_editions_take_the_next_number_and_the_host_by_alternation(series, berlin):
    assert services.series_next_edition(series) == (1, Host.PARTNER)
    first = edition(series, starts_on=dt.date(2007, 6, 4), city_ru="Берлин")
    second = edition(series, starts_on=dt.date(2008, 6, 2), city_ru="Москва")
    assert (first.edition, first.host) == (1, Host.PARTNER)
    assert (second.edition, second.host) == (2, Host.OURS)
    assert services.series_next_edition(series) == (3, Host.PARTNER)


def test_the_18th_seminar_in_moscow_in_2017(series, berlin):
    # The editions before it are recorded by their numbers; only the 18th has a full record.
    eighteenth = edition(
        series,
        edition=18,
        title_ru="18-й социальный семинар",
        title_de="18. Sozialseminar",
        starts_on=dt.date(2017, 7, 4),
        ends_on=dt.date(2017, 7, 9),
        city_ru="Москва",
        city_de="Moskau",
        partners=[berlin],
    )
    assert eighteenth.host == Host.OURS
    assert (eighteenth.starts_on, eighteenth.ends_on) == (dt.date(2017, 7, 4), dt.date(2017, 7, 9))
    assert services.series_next_edition(series) == (19, Host.PARTNER)


def test_a_gap_in_years_does_not_shift_the_alternation(series):
    edition(series, starts_on=dt.date(2007, 6, 4))  # 1st, Berlin
    # No seminar in 2008–2009: the 2nd in 2010 is still Moscow's.
    second = edition(series, starts_on=dt.date(2010, 6, 1))
    assert (second.edition, second.host) == (2, Host.OURS)


def test_a_host_against_the_alternation_needs_a_reason(series):
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        edition(series, starts_on=dt.date(2007, 6, 4), host=Host.OURS)
    assert refused.value.code == "host_alternation"
    assert "host_override_reason" in refused.value.details
    assert not Event.objects.exists()
    assert AuditEntry.objects.count() == entries

    moved = edition(
        series,
        starts_on=dt.date(2007, 6, 4),
        host=Host.OURS,
        host_override_reason="Берлин попросил перенести семинар",
    )
    assert moved.host == Host.OURS
    (row,) = selectors.series_editions(series)
    assert (row.edition, row.expected_host, row.differs) == (1, Host.PARTNER, True)


def test_an_edition_number_is_taken_once(series):
    edition(series, starts_on=dt.date(2017, 7, 4), edition=18)
    with pytest.raises(DomainError) as refused:
        edition(series, starts_on=dt.date(2018, 7, 4), edition=18)
    assert refused.value.code == "edition_taken"
    assert Event.objects.filter(series=series).count() == 1


def test_the_editions_list_flags_only_the_differing_host(series):
    edition(series, starts_on=dt.date(2007, 6, 4))
    edition(series, starts_on=dt.date(2008, 6, 4))
    rows = selectors.series_editions(series)
    assert [(r.edition, r.expected_host, r.differs) for r in rows] == [
        (1, Host.PARTNER, False),
        (2, Host.OURS, False),
    ]
    (listed,) = selectors.series_list()
    assert (listed.edition_count, listed.last_edition) == (2, 2)


def test_a_series_without_alternation_keeps_its_host(berlin):
    fixed = services.series_create(
        actor=SYSTEM, partner=berlin, alternates=False, first_host=Host.OURS, name_ru="Школа"
    )
    assert services.series_next_edition(fixed) == (1, Host.OURS)
    edition(fixed, starts_on=dt.date(2020, 1, 1))
    assert services.series_next_edition(fixed) == (2, Host.OURS)


def test_a_social_worker_cannot_start_a_series_nor_an_edition(series, berlin, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(DomainError) as refused:
        services.series_create(actor=worker, partner=berlin, name_ru="Другая серия")
    assert refused.value.status == 403
    with pytest.raises(DomainError):
        edition(series, actor=worker, starts_on=dt.date(2007, 6, 4))
    assert not Event.objects.exists()


def test_an_officer_starts_a_series(officer, berlin):
    services.series_create(actor=officer, partner=berlin, name_ru="Серия")
    assert AuditEntry.objects.filter(action="cooperation.series.created", actor=officer).exists()
