"""Measures and their versions: numbering, rules validated on every write, a published version
never changes, two published versions of one day refused, a used version kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from opora.assistance import selectors, services
from opora.assistance.models import Evaluation, Measure, MeasureVersion, VersionStatus
from opora.core.actors import SYSTEM
from opora.core.errors import Conflict, DomainError
from opora.core.models import AuditEntry

from .conftest import APPLIED_ON, ELDERLY, FIXED, rows


def draft(measure, **fields):
    fields.setdefault("valid_from", dt.date(2026, 7, 1))
    fields.setdefault("legal_basis", "Постановление № 2-ПП")
    fields.setdefault("eligibility", ELDERLY)
    fields.setdefault("amount", FIXED)
    fields.setdefault("periodicity", "monthly")
    fields.setdefault("decision_working_days", 10)
    return services.version_draft(actor=SYSTEM, measure=measure, **fields)


def actions_of(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_measure_is_created_and_audited(assistance_reference):
    measure = services.measure_create(
        actor=SYSTEM, code="elderly", name="Выплата", kind="monthly_payment", beneficiary="person"
    )
    assert actions_of(measure) == ["assistance.measure.created"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "lottery"}, "kind"),
        ({"beneficiary": "city"}, "beneficiary"),
        ({"code": "not a slug"}, "code"),
        ({"name": " "}, "name"),
    ],
)
def test_a_bad_measure_writes_nothing(assistance_reference, fields, field):
    values = {"code": "m", "name": "Выплата", "kind": "subsidy", "beneficiary": "person", **fields}
    before = rows(Measure, AuditEntry)
    with pytest.raises(DomainError) as refused:
        services.measure_create(actor=SYSTEM, **values)
    assert field in refused.value.details
    assert rows(Measure, AuditEntry) == before


def test_only_analysts_and_administrators_manage_measures(assistance_reference, worker_a, analyst):
    with pytest.raises(DomainError) as refused:
        services.measure_create(
            actor=worker_a, code="m", name="В", kind="subsidy", beneficiary="person"
        )
    assert refused.value.status == 403
    services.measure_create(actor=analyst, code="m", name="В", kind="subsidy", beneficiary="person")


def test_the_code_of_a_measure_stays(measure):
    with pytest.raises(DomainError) as refused:
        services.measure_update(actor=SYSTEM, measure=measure, code="other")
    assert refused.value.code == "unknown_fields"
    services.measure_update(actor=SYSTEM, measure=measure, name="Новое имя")
    measure.refresh_from_db()
    assert measure.name == "Новое имя"
    assert actions_of(measure)[-1] == "assistance.measure.changed"


def test_versions_are_numbered_one_after_another(measure):
    second = draft(measure)
    third = services.version_copy(actor=SYSTEM, version=second, valid_from=dt.date(2027, 1, 1))
    assert (second.number, third.number) == (2, 3)
    assert third.status == VersionStatus.DRAFT
    assert third.eligibility == second.eligibility
    assert third.valid_from == dt.date(2027, 1, 1)


def test_clause_ids_are_given_where_missing(measure):
    version = draft(measure, eligibility={"all": [{"clause": "age", "at_least": 65}]})
    assert version.eligibility["all"][0]["id"] == "c1"


@pytest.mark.parametrize(
    "fields",
    [
        {"eligibility": {"all": [{"clause": "shoe_size", "at_least": 40}]}},
        {"eligibility": {"all": [{"clause": "category", "code": "no-such-category"}]}},
        {"amount": {"fixed": "-5.00"}},
        {"periodicity": "weekly"},
        {"decision_working_days": 0},
        {"amount_floor": Decimal("500"), "amount_ceiling": Decimal("100")},
        {"term_months": -1},
    ],
)
def test_a_bad_version_writes_nothing(measure, fields):
    before = rows(MeasureVersion, AuditEntry)
    with pytest.raises(DomainError):
        draft(measure, **fields)
    assert rows(MeasureVersion, AuditEntry) == before


def test_a_rule_on_a_fact_that_does_not_exist_names_its_place(measure):
    with pytest.raises(DomainError) as refused:
        draft(measure, eligibility={"all": [ELDERLY["all"][0], {"clause": "shoe_size"}]})
    assert refused.value.code == "invalid_rule"
    assert any(path.startswith("eligibility.all[1]") for path in refused.value.details)


def test_a_draft_changes_and_a_published_version_never_does(measure, version):
    new = draft(measure)
    services.version_update(actor=SYSTEM, version=new, legal_basis="Постановление № 3-ПП")
    new.refresh_from_db()
    assert new.legal_basis == "Постановление № 3-ПП"
    assert actions_of(new) == ["assistance.version.drafted", "assistance.version.changed"]

    before = rows(MeasureVersion, AuditEntry)
    with pytest.raises(Conflict) as refused:
        services.version_update(actor=SYSTEM, version=version, legal_basis="Другое")
    assert refused.value.code == "version_published"
    with pytest.raises(Conflict):
        services.version_discard(actor=SYSTEM, version=version)
    assert rows(MeasureVersion, AuditEntry) == before
    version.refresh_from_db()
    assert version.legal_basis == "Постановление № 1-ПП"


def test_a_draft_update_is_validated_like_a_draft(measure):
    new = draft(measure)
    with pytest.raises(DomainError) as refused:
        services.version_update(actor=SYSTEM, version=new, amount={"fixed": "-1"})
    assert refused.value.code == "invalid_rule"
    new.refresh_from_db()
    assert new.amount == FIXED or new.amount["fixed"] == "1000.00"


def test_two_published_versions_of_one_day_are_refused(measure, version):
    same_day = draft(measure, valid_from=version.valid_from)
    before = rows(MeasureVersion, AuditEntry)
    with pytest.raises(Conflict) as refused:
        services.version_publish(actor=SYSTEM, version=same_day)
    assert refused.value.code == "version_overlap"
    assert "valid_from" in refused.value.details
    assert rows(MeasureVersion, AuditEntry) == before
    same_day.refresh_from_db()
    assert same_day.status == VersionStatus.DRAFT


def test_the_database_guards_the_same_day_too(measure, version):
    """Two publications racing past the check: the constraint refuses the second."""
    same_day = draft(measure, valid_from=version.valid_from)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureVersion.objects.filter(pk=same_day.pk).update(status=VersionStatus.PUBLISHED)


def test_a_publication_racing_past_the_check_is_the_same_conflict(measure, version, monkeypatch):
    same_day = draft(measure, valid_from=version.valid_from)
    real_filter = MeasureVersion.objects.filter

    def blind(*args, **kwargs):
        if kwargs.get("status") == VersionStatus.PUBLISHED and "valid_from" in kwargs:
            return MeasureVersion.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(MeasureVersion.objects, "filter", blind)
    with pytest.raises(Conflict) as refused:
        services.version_publish(actor=SYSTEM, version=same_day)
    assert refused.value.code == "version_overlap"


def test_publishing_makes_the_version_in_force_from_its_day(measure, version):
    later = draft(measure, valid_from=dt.date(2026, 7, 1))
    assert selectors.version_in_force(measure=measure, on=dt.date(2026, 8, 1)) == version
    services.version_publish(actor=SYSTEM, version=later)
    assert selectors.version_in_force(measure=measure, on=dt.date(2026, 6, 30)) == version
    assert selectors.version_in_force(measure=measure, on=dt.date(2026, 7, 1)) == later
    assert selectors.version_in_force(measure=measure, on=dt.date(2025, 12, 31)) is None
    later.refresh_from_db()
    assert later.published_at is not None
    assert actions_of(later)[-1] == "assistance.version.published"


def test_a_draft_is_discarded_but_a_used_version_is_kept(measure, version, application, worker_a):
    new = draft(measure)
    services.version_discard(actor=SYSTEM, version=new)
    assert not MeasureVersion.objects.filter(pk=new.pk).exists()
    assert AuditEntry.objects.filter(action="assistance.version.discarded").count() == 1

    evaluated = draft(measure, valid_from=dt.date(2026, 9, 1))
    services.evaluation_store(
        actor=SYSTEM, version=evaluated, person=application.person, on=APPLIED_ON
    )
    before = rows(MeasureVersion, Evaluation, AuditEntry)
    with pytest.raises(Conflict) as refused:
        services.version_discard(actor=SYSTEM, version=evaluated)
    assert refused.value.code == "version_in_use"
    assert rows(MeasureVersion, Evaluation, AuditEntry) == before


def test_an_ended_measure_and_its_reopening_are_audited(measure):
    services.measure_end(actor=SYSTEM, measure=measure, ended_on=dt.date(2026, 6, 1))
    services.measure_end(actor=SYSTEM, measure=measure, ended_on=None)
    assert actions_of(measure).count("assistance.measure.changed") == 2


def test_a_measure_does_not_end_before_its_first_version(measure, version):
    before = rows(Measure, AuditEntry)
    with pytest.raises(DomainError) as refused:
        services.measure_end(
            actor=SYSTEM, measure=measure, ended_on=version.valid_from - dt.timedelta(days=1)
        )
    assert refused.value.code == "ended_before_first_version"
    assert "ended_on" in refused.value.details
    assert rows(Measure, AuditEntry) == before
    measure.refresh_from_db()
    assert measure.ended_on is None
    services.measure_end(actor=SYSTEM, measure=measure, ended_on=version.valid_from)
    measure.refresh_from_db()
    assert measure.ended_on == version.valid_from
