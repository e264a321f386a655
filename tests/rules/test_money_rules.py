"""Rules in roubles (the city's standards that measures top up to): zero or more, to the
kopeck, read in force by date like any other rule, and added on the rules pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.rules import services
from opora.rules.catalog import CITY_PENSIONER_STANDARD, RuleKind, rule_spec
from opora.rules.models import RuleVersion
from opora.rules.selectors import value_in_force


def test_the_city_standard_is_a_rule_in_roubles():
    spec = rule_spec(CITY_PENSIONER_STANDARD)
    assert spec.kind is RuleKind.ROUBLES
    assert spec.check(Decimal("0")) == 0
    assert spec.check(Decimal("25022.50")) == Decimal("25022.50")
    with translation.override("ru"):
        assert spec.shown(Decimal("25022.5")) == "25022,50"
    with translation.override("en"):
        assert spec.shown(Decimal("25022")) == "25022.00"


@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.001")])
def test_a_negative_or_sub_kopeck_amount_is_refused_and_nothing_written(db, value):
    with pytest.raises(DomainError) as error:
        services.rule_version_add(
            actor=SYSTEM, code=CITY_PENSIONER_STANDARD, valid_from=dt.date(2026, 1, 1), value=value
        )
    assert error.value.code == "invalid_rule_value"
    assert not RuleVersion.objects.filter(code=CITY_PENSIONER_STANDARD).exists()


def test_the_amount_in_force_is_read_by_date(db):
    for valid_from, value in ((dt.date(2025, 1, 1), "24000"), (dt.date(2026, 1, 1), "25022")):
        services.rule_version_add(
            actor=SYSTEM,
            code=CITY_PENSIONER_STANDARD,
            valid_from=valid_from,
            value=Decimal(value),
        )
    assert value_in_force(CITY_PENSIONER_STANDARD, on=dt.date(2025, 12, 31)) == 24000
    assert value_in_force(CITY_PENSIONER_STANDARD, on=dt.date(2026, 1, 1)) == 25022


def test_an_administrator_adds_it_on_the_rules_pages(rules, login, admin_user):
    client = login(admin_user)
    url = reverse("rules:version_add", kwargs={"code": CITY_PENSIONER_STANDARD})
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"valid_from": "2026-01-01", "value": "25022.00", "basis": "ПП"})
    assert response.status_code == 302
    assert value_in_force(CITY_PENSIONER_STANDARD, on=dt.date(2026, 6, 1)) == Decimal("25022")
    listed = client.get(reverse("rules:list")).content.decode()
    assert "25022" in listed.replace("\u00a0", "").replace(" ", "")
