"""Partners, their people and positions, partnerships: the rules, the audit entries, the
per-language names with their fallback to Russian, who may change them, and the reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import translation

from opora.cooperation import audit_actions as actions
from opora.cooperation import selectors, services
from opora.cooperation.models import (
    AidDelivery,
    EventPartner,
    Letter,
    Partner,
    PartnerKind,
    PartnerNeed,
    PersonPosition,
)
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role


def test_an_officer_adds_a_partner_and_the_audit_log_says_so(officer):
    partner = services.partner_create(
        actor=officer,
        code="vitebsk",
        kind=PartnerKind.REGION,
        country="by",
        name_ru="Витебский облисполком",
        languages=["ru", "be", "ru"],
    )
    assert (partner.country, partner.languages) == ("BY", ["ru", "be"])
    entry = AuditEntry.objects.get(action=actions.PARTNER_CREATED)
    assert (entry.actor, entry.object_id) == (officer, str(partner.pk))


def test_an_empty_translation_falls_back_to_russian(make_partner):
    partner = make_partner(name_ru="Хельсинки")
    partner.refresh_from_db()
    with translation.override("en"):
        assert partner.name == "Хельсинки"
    services.partner_update(actor=SYSTEM, partner=partner, name_en="Helsinki")
    partner.refresh_from_db()
    with translation.override("en"):
        assert partner.name == "Helsinki"
    with translation.override("fi"):
        assert partner.name == "Хельсинки"
    with translation.override("ru"):
        assert partner.name == "Хельсинки"


def test_a_plain_name_is_the_russian_one_whatever_language_is_active(make_partner):
    with translation.override("en"):
        partner = make_partner(name="Смоленск")
    partner.refresh_from_db()
    assert (partner.name_ru, partner.name_en) == ("Смоленск", None)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"country": "Finland"}, "invalid_country"),
        ({"kind": "planet"}, "invalid_choice"),
        ({"name_ru": ""}, "invalid"),
        ({"languages": ["Finnish"]}, "invalid_language"),
        ({"colour": "blue"}, "unknown_fields"),
    ],
)
def test_bad_partner_input_is_refused_and_nothing_is_written(make_partner, fields, code):
    with pytest.raises(DomainError) as refused:
        make_partner(**fields)
    assert refused.value.code == code
    assert not Partner.objects.exists()
    assert not AuditEntry.objects.exists()


def test_codes_are_unique(make_partner):
    make_partner(code="helsinki")
    with pytest.raises(DomainError) as refused:
        make_partner(code="helsinki")
    assert "code" in refused.value.details


def test_a_partner_cannot_be_part_of_its_own_part(berlin):
    lageso = Partner.objects.get(code="lageso")
    with pytest.raises(DomainError) as refused:
        services.partner_update(actor=SYSTEM, partner=berlin, parent=lageso)
    assert refused.value.code == "parent_cycle"


def test_the_update_records_what_changed(officer, helsinki):
    services.partner_update(actor=officer, partner=helsinki, name_de="Helsinki", is_active=False)
    entry = AuditEntry.objects.get(action=actions.PARTNER_UPDATED)
    assert entry.changes == {"is_active": [True, False], "name_de": [None, "Helsinki"]}


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST, Role.INSTITUTION_MANAGER])
def test_other_roles_change_nothing(make_user, helsinki, role):
    reader = make_user(role)
    person = helsinki.people.get()
    before = AuditEntry.objects.count()
    attempts = [
        lambda: services.partner_create(
            actor=reader, code="x", kind="city", country="FI", name_ru="Икс"
        ),
        lambda: services.partner_update(actor=reader, partner=helsinki, name_en="Hacked"),
        lambda: services.person_add(actor=reader, partner=helsinki, full_name="Someone"),
        lambda: services.position_add(
            actor=reader, person=person, valid_from=dt.date(2024, 1, 1), title_ru="мэр"
        ),
        lambda: services.partnership_add(
            actor=reader, partner=helsinki, kind="cooperation", since=dt.date(2020, 1, 1)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.status == 403
    helsinki.refresh_from_db()
    assert helsinki.name_en == "Helsinki"
    assert Partner.objects.count() == 1
    assert person.positions.count() == 1
    assert AuditEntry.objects.count() == before
    # Reading is theirs all the same.
    assert list(selectors.partner_list(actor=reader)) == [helsinki]


def test_a_new_position_closes_the_one_held_before(helsinki):
    person = helsinki.people.get()
    services.position_add(
        actor=SYSTEM, person=person, valid_from=dt.date(2021, 8, 2), title_ru="председатель"
    )
    first, second = person.positions.order_by("valid_from")
    assert (first.valid_to, second.valid_to) == (dt.date(2021, 8, 1), None)
    person = helsinki.people.prefetch_related("positions").get()
    assert str(person.position_on(dt.date(2019, 6, 3)).title_en) == "Deputy Mayor"
    assert person.position_on(dt.date(2022, 1, 1)) == second
    assert person.position_on(dt.date(2010, 1, 1)) is None


def test_positions_never_overlap(helsinki):
    person = helsinki.people.get()
    with pytest.raises(DomainError) as refused:
        services.position_add(
            actor=SYSTEM,
            person=person,
            valid_from=dt.date(2016, 1, 1),
            valid_to=dt.date(2018, 1, 1),
            title_ru="советник",
        )
    assert refused.value.code == "positions_overlap"
    # An earlier position that ends before the current one began is history, and fits.
    services.position_add(
        actor=SYSTEM,
        person=person,
        valid_from=dt.date(2012, 1, 1),
        valid_to=dt.date(2017, 5, 31),
        title_ru="депутат городского совета",
    )
    assert PersonPosition.objects.filter(person=person, valid_to__isnull=True).count() == 1
    with pytest.raises(DomainError) as starts_same_day:
        services.position_add(
            actor=SYSTEM, person=person, valid_from=dt.date(2017, 6, 1), title_ru="мэр"
        )
    assert starts_same_day.value.code == "positions_overlap"


def test_a_partnership_known_to_the_year_starts_on_its_first_day(berlin):
    (partnership,) = berlin.partnerships.all()
    assert (partnership.since, partnership.since_precision) == (dt.date(1990, 1, 1), "year")
    later = services.partnership_add(
        actor=SYSTEM,
        partner=berlin,
        kind="cooperation",
        since=dt.date(2005, 6, 17),
        since_precision="month",
    )
    assert later.since == dt.date(2005, 6, 1)
    with pytest.raises(DomainError):
        services.partnership_add(
            actor=SYSTEM,
            partner=berlin,
            kind="cooperation",
            since=dt.date(2005, 6, 17),
            ended_on=dt.date(2004, 1, 1),
        )


def test_the_list_finds_a_partner_by_a_name_in_any_language(helsinki, berlin, analyst):
    with translation.override("ru"):
        assert list(selectors.partner_list(actor=analyst, q="lageso")) == [
            Partner.objects.get(code="lageso")
        ]
        assert list(selectors.partner_list(actor=analyst, q="Senatsverwaltung")) == [berlin]
    with translation.override("en"):
        assert list(selectors.partner_list(actor=analyst, q="Сенат")) == [berlin]
    assert set(selectors.partner_list(actor=analyst, country="de")) == {
        berlin,
        Partner.objects.get(code="lageso"),
    }
    assert list(selectors.partner_list(actor=analyst, kind="city")) == [helsinki]


def test_partner_get_is_404_for_an_unknown_partner(helsinki, analyst):
    assert selectors.partner_get(actor=analyst, pk=helsinki.pk) == helsinki
    with pytest.raises(Http404):
        selectors.partner_get(actor=analyst, pk=helsinki.pk + 1000)


def _event(partner, starts_on):
    from opora.cooperation.models import Event

    event = Event.objects.create(
        kind="seminar", title_ru="Семинар", starts_on=starts_on, ends_on=starts_on
    )
    EventPartner.objects.create(event=event, partner=partner)
    return event


def test_the_timeline_and_the_activity_gather_every_kind(helsinki, berlin):
    today = dt.date(2019, 9, 1)
    old_event = _event(helsinki, dt.date(2017, 3, 1))
    event = _event(helsinki, dt.date(2019, 6, 3))
    letter = Letter.objects.create(
        direction="incoming",
        dated_on=dt.date(2019, 5, 20),
        partner=helsinki,
        subject="Визит делегации",
    )
    need = PartnerNeed.objects.create(
        partner=helsinki, kind="training", title_ru="Обучение", raised_on=dt.date(2015, 1, 1)
    )
    AidDelivery.objects.create(partner=berlin, handed_over_on=dt.date(2019, 8, 1))
    agreement = services.agreement_create(
        actor=SYSTEM,
        kind="programme",
        valid_from=dt.date(2018, 1, 1),
        signed_on=dt.date(2017, 12, 1),
        status="in_force",
        title_ru="Программа сотрудничества",
        parties=[{"partner": helsinki}, {"partner": None}],
    )
    timeline = selectors.partner_timeline(helsinki)
    assert [(e.date, e.kind, e.object) for e in timeline] == [
        (dt.date(2015, 1, 1), "need", need),
        (dt.date(2017, 3, 1), "event", old_event),
        (dt.date(2017, 12, 1), "agreement", agreement),
        (dt.date(2019, 5, 20), "letter", letter),
        (dt.date(2019, 6, 3), "event", event),
    ]
    berlin_kinds = [entry.kind for entry in selectors.partner_timeline(berlin)]
    assert berlin_kinds == ["partnership", "aid"]

    activity = selectors.partner_activity(since=today - dt.timedelta(days=365))
    assert activity[helsinki.pk] == selectors.Activity(events=1, letters=1, aid=0, open_needs=1)
    assert activity[berlin.pk].aid == 1
    assert Partner.objects.get(code="lageso").pk not in activity


def test_the_activity_is_counted_in_one_query_per_kind(helsinki, berlin, django_assert_num_queries):
    for day in range(1, 6):
        _event(helsinki, dt.date(2019, 6, day))
        _event(berlin, dt.date(2019, 6, day))
    with django_assert_num_queries(4):
        activity = selectors.partner_activity(since=dt.date(2019, 1, 1))
    assert (activity[helsinki.pk].events, activity[berlin.pk].events) == (5, 5)
