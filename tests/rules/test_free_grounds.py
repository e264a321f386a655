"""The free-of-charge grounds of 442-FZ art. 31 part 1 as dated data: loaded by the data
migration in every installation, extended and ended by administrators through the services
(audited), refused when a criterion is missing or doubled or a period of a code overlaps; and
the legal citations of every shipped rule as domain.md §2 retells the law."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from opora.core.actors import SYSTEM
from opora.core.audit import sentence
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.rules import reference, selectors, services
from opora.rules.catalog import (
    FEE_CAP_SHARE,
    NEED_DECISION_DAYS,
    PROGRAMME_DAYS,
    PROGRAMME_REVIEW_YEARS,
    rule_spec,
)
from opora.rules.models import FreeGround, RuleVersion

D = dt.date


def ground(**fields):
    values = {
        "code": "test-ground",
        "name": "Тестовое основание",
        "citation": "Закон (пример)",
        "valid_from": D(2027, 1, 1),
        "category_code": "test-category",
    }
    return services.free_ground_add(actor=SYSTEM, **{**values, **fields})


@pytest.mark.django_db
def test_the_law_s_grounds_are_in_force_since_442_fz(rules):
    in_force = selectors.free_grounds(on=D(2015, 1, 1))
    assert {(g.code, g.age_under, g.category_code) for g in in_force} == {
        ("minor", 18, ""),
        ("emergency-victim", None, "emergency-victim"),
        ("armed-conflict-victim", None, "armed-conflict-victim"),
    }
    assert not selectors.free_grounds(on=D(2014, 12, 31)).exists()
    for item in in_force:
        assert item.citation == "442-ФЗ, ст. 31 ч. 1"
        assert item.citation_en == "442-FZ art. 31 part 1"
        with translation.override("en"):
            assert item.shown_citation == "442-FZ art. 31 part 1" and item.name_en
        with translation.override("ru"):
            assert item.shown_citation == "442-ФЗ, ст. 31 ч. 1"
    assert [g.code for g in selectors.free_grounds(test="age_under")] == ["minor"]
    assert selectors.free_grounds(q="конфликт").get().code == "armed-conflict-victim"
    # Loading again adds nothing.
    reference.ensure_free_grounds()
    assert FreeGround.objects.count() == 3


@pytest.mark.django_db
def test_a_ground_has_exactly_one_criterion_and_no_overlapping_period(rules):
    refused = [
        ({"category_code": ""}, "age_under"),  # neither an age nor a category
        ({"age_under": 18}, "category_code"),  # both
        ({"valid_to": D(2026, 12, 31)}, "valid_to"),  # ends before it begins
        ({"age_under": 0, "category_code": ""}, "age_under"),
    ]
    for fields, field in refused:
        with pytest.raises(DomainError) as error:
            ground(**fields)
        assert field in error.value.details, fields
    with pytest.raises(DomainError) as overlapping:
        ground(code="minor", valid_from=D(2020, 1, 1), category_code="", age_under=16)
    assert overlapping.value.code == "ground_overlaps" and overlapping.value.status == 409
    assert FreeGround.objects.count() == 3

    first = ground(valid_to=D(2027, 12, 31))
    # The same code again from the next day: a new period, e.g. with a new criterion.
    second = ground(valid_from=D(2028, 1, 1), category_code="", age_under=21)
    assert first.code == second.code
    with pytest.raises(DomainError) as same_day:
        ground(valid_from=D(2028, 1, 1))
    assert same_day.value.code == "ground_overlaps"
    # Reopening the first period would overlap the second.
    with pytest.raises(DomainError) as reopened:
        services.free_ground_update(actor=SYSTEM, ground=first, valid_to=None)
    assert reopened.value.code == "ground_overlaps"
    assert selectors.free_grounds(on=D(2028, 6, 1), q="test-ground").get() == second


@pytest.mark.django_db
def test_only_the_words_and_the_end_of_a_ground_change_and_every_change_is_audited(
    rules, admin_user
):
    added = ground(name_en="A test ground")
    minor = FreeGround.objects.get(code="minor")
    with pytest.raises(DomainError) as fixed:
        services.free_ground_update(actor=admin_user, ground=minor, age_under=16)
    assert fixed.value.code == "unknown_fields"
    services.free_ground_update(
        actor=admin_user,
        ground=minor,
        valid_to=D(2030, 12, 31),
        reason="пример: изменение закона",
    )
    services.free_ground_update(actor=admin_user, ground=minor, valid_to=D(2030, 12, 31))
    entries = AuditEntry.objects.filter(action__startswith="rules.ground.").order_by("id")
    assert [e.action for e in entries] == ["rules.ground.added", "rules.ground.changed"]
    changed = entries.last()
    assert changed.object_id == str(minor.pk) and changed.actor == admin_user
    assert changed.changes == {"valid_to": [None, "2030-12-31"]}
    assert changed.reason == "пример: изменение закона"
    assert entries.first().object_id == str(added.pk)
    with translation.override("en"):
        assert "changed the free-of-charge ground" in sentence(changed)


def test_every_shipped_rule_cites_the_article_domain_md_names():
    """domain.md §2: the decision on need, art. 15; the programme within 10 working days of the
    application, art. 16 part 4; its review at least every 3 years, art. 16 part 2; the
    50 % cap, art. 32 part 4."""
    assert "ст. 16 ч. 4" in rule_spec(PROGRAMME_DAYS).basis
    assert "art. 16 part 4" in rule_spec(PROGRAMME_DAYS).basis
    assert "ст. 16 ч. 2" in rule_spec(PROGRAMME_REVIEW_YEARS).basis
    assert "art. 16 part 2" in rule_spec(PROGRAMME_REVIEW_YEARS).basis
    assert "ст. 15" in rule_spec(NEED_DECISION_DAYS).basis
    assert "ч. 3" not in rule_spec(NEED_DECISION_DAYS).basis
    assert "art. 32 part 4" in rule_spec(FEE_CAP_SHARE).basis
    shipped = {(r.code, r.service_form): r.basis for r in reference.RULE_VALUES}
    assert shipped[(PROGRAMME_DAYS, "")].endswith("ст. 16 ч. 4")
    assert shipped[(PROGRAMME_REVIEW_YEARS, "")].endswith("ст. 16 ч. 2")
    assert shipped[(NEED_DECISION_DAYS, "")].endswith("ст. 15")
    assert shipped[(FEE_CAP_SHARE, "home")].endswith("ст. 32 ч. 4")


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_loads_the_grounds_and_corrects_the_shipped_citations():
    law = "Федеральный закон от 28.12.2013 № 442-ФЗ"
    _migrate([("rules", "0002_free_grounds_and_optional_group_minimums")])
    try:
        assert not FreeGround.objects.exists()
        for code, basis in (
            (PROGRAMME_DAYS, f"{law}, ст. 16 ч. 3"),
            (PROGRAMME_REVIEW_YEARS, f"{law}, ст. 16 ч. 5"),
            (NEED_DECISION_DAYS, f"{law}, ст. 15 ч. 3"),
        ):
            RuleVersion.objects.create(code=code, valid_from=D(2015, 1, 1), value=1, basis=basis)
        RuleVersion.objects.create(
            code=PROGRAMME_DAYS, valid_from=D(2030, 1, 1), value=1, basis="своё основание"
        )
    finally:
        _migrate([("rules", "0003_free_grounds")])
    assert set(FreeGround.objects.values_list("code", flat=True)) == {
        "minor",
        "emergency-victim",
        "armed-conflict-victim",
    }
    bases = dict(RuleVersion.objects.filter(valid_from=D(2015, 1, 1)).values_list("code", "basis"))
    assert bases == {
        PROGRAMME_DAYS: f"{law}, ст. 16 ч. 4",
        PROGRAMME_REVIEW_YEARS: f"{law}, ст. 16 ч. 2",
        NEED_DECISION_DAYS: f"{law}, ст. 15",
    }
    # An administrator's own text is left alone.
    assert RuleVersion.objects.get(valid_from=D(2030, 1, 1)).basis == "своё основание"
