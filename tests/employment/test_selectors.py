"""The reads: each department sees its own job seekers, employers, vacancies and referrals;
analysts see no job seeker but the employers and vacancies; the benefit's bounds change on the
day a new version of the rule begins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from opora.core.actors import SYSTEM
from opora.core.errors import NotFound
from opora.core.models import AuditEntry
from opora.employment import selectors, services
from opora.rules import services as rules_services


@pytest.fixture
def world(seeker_a, seeker_b, vacancy_a, vacancy_b):
    on = dt.date(2025, 3, 10)
    return {
        "a": services.referral_make(
            actor=SYSTEM, seeker=seeker_a, vacancy=vacancy_a, referred_on=on
        ),
        "b": services.referral_make(
            actor=SYSTEM, seeker=seeker_b, vacancy=vacancy_b, referred_on=on
        ),
    }


def test_a_specialist_sees_only_her_department(
    world, specialist_a, seeker_a, seeker_b, vacancy_a, vacancy_b, point_a
):
    assert list(selectors.seekers(actor=specialist_a)) == [seeker_a]
    assert list(selectors.vacancies(actor=specialist_a)) == [vacancy_a]
    assert list(selectors.employers(actor=specialist_a)) == [vacancy_a.employer]
    assert list(selectors.referrals(actor=specialist_a)) == [world["a"]]
    assert list(selectors.service_points(actor=specialist_a)) == [point_a]
    for lookup, pk in [
        (selectors.seeker_get, seeker_b.pk),
        (selectors.vacancy_get, vacancy_b.pk),
        (selectors.employer_get, vacancy_b.employer_id),
        (selectors.referral_get, world["b"].pk),
    ]:
        with pytest.raises(Http404):
            lookup(actor=specialist_a, pk=pk)


def test_an_analyst_sees_no_seeker_but_every_vacancy(world, analyst, vacancy_a, vacancy_b):
    assert not selectors.seekers(actor=analyst).exists()
    assert not selectors.referrals(actor=analyst).exists()
    assert set(selectors.vacancies(actor=analyst)) == {vacancy_a, vacancy_b}
    assert selectors.service_points(actor=analyst).count() == 2


def test_an_administrator_sees_every_department(world, admin_user):
    assert selectors.seekers(actor=admin_user).count() == 2
    assert selectors.referrals(actor=admin_user).count() == 2


def test_filters(world, seeker_a, vacancy_a, vacancy_b, point_a):
    assert list(selectors.seekers(actor=SYSTEM, occupation="5120", service_point=point_a.pk)) == [
        seeker_a
    ]
    assert not selectors.seekers(actor=SYSTEM, status="employed").exists()
    assert list(selectors.vacancies(actor=SYSTEM, quota_only=True)) == [vacancy_a]
    assert list(selectors.vacancies(actor=SYSTEM, occupation="8322")) == [vacancy_b]
    assert [o.code for o in selectors.occupations(query="512")] == ["5120"]
    assert [o.code for o in selectors.occupations(query="повар")] == ["5120"]
    assert [o.code for o in selectors.occupations(query="Cooks")] == ["5120"]


@pytest.mark.django_db
def test_the_benefit_bounds_follow_the_versions_in_force():
    before = selectors.benefit_bounds(on=dt.date(2024, 12, 31))
    after = selectors.benefit_bounds(on=dt.date(2025, 1, 1))
    assert (before.minimum, before.maximum) == (Decimal("1500"), Decimal("12792"))
    assert (after.minimum, after.maximum) == (Decimal("1696"), Decimal("14375"))
    with pytest.raises(NotFound) as caught:
        selectors.benefit_bounds(on=dt.date(2023, 12, 31))
    assert caught.value.code == "rule_not_in_force"
    rules_services.rule_version_add(
        actor=SYSTEM,
        code="unemployment_benefit_maximum",
        valid_from=dt.date(2026, 1, 1),
        value=Decimal("15000"),
    )
    assert selectors.benefit_bounds(on=dt.date(2025, 12, 31)).maximum == Decimal("14375")
    assert selectors.benefit_bounds(on=dt.date(2026, 1, 1)).maximum == Decimal("15000")


@pytest.mark.django_db
def test_the_classifier_is_loaded_with_both_languages():
    cooks = selectors.occupation_get(code="5120")
    assert (cooks.name, cooks.name_en) == ("Повара", "Cooks")
    assert selectors.occupations().filter(code__regex=r"^[1-9]$").count() == 9


@pytest.mark.django_db
def test_an_administrator_adds_a_group_to_the_classifier_in_the_admin_site(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/employment/occupation/add/",
        {"code": "2342", "name": "Воспитатели", "name_en": "Early childhood educators"},
    )
    assert response.status_code == 302
    added = selectors.occupation_get(code="2342")
    assert added.name_en == "Early childhood educators"
    assert AuditEntry.objects.filter(action="core.admin.added", object_id=added.pk).exists()
    response = client.post(
        f"/admin/employment/occupation/{added.pk}/change/",
        {"code": "9999", "name": "Воспитатели", "name_en": "Early childhood educators"},
    )
    assert response.status_code == 302
    assert selectors.occupation_get(code="2342").pk == added.pk
