"""Merging duplicate records: every reference moves (whatever app it belongs to), the merged
record stays as a redirect, and an unmerge puts back exactly what was there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.registry import selectors as registry_selectors
from opora.registry import services as registry_services
from opora.registry.dedup import services
from opora.registry.models import (
    CandidateStatus,
    CategoryKind,
    DedupRun,
    DocumentKind,
    DuplicateCandidate,
    Person,
    PersonMerge,
)

from .conftest import valid_snils

pytestmark = pytest.mark.django_db


# --- Models of "another app" pointing at Person, made for these tests -------------------------


def _create_tables(*models_: type[models.Model]) -> None:
    """CREATE TABLE inside the test's transaction (rolled back with it): the SQL a schema
    editor would run, collected rather than run through it (SQLite's editor refuses to work
    inside a transaction)."""
    editor = connection.schema_editor(collect_sql=True)
    editor.deferred_sql = []
    for model in models_:
        editor.create_model(model)
    with connection.cursor() as cursor:
        for statement in [*editor.collected_sql, *map(str, editor.deferred_sql)]:
            cursor.execute(statement.rstrip().rstrip(";"))


@pytest.fixture
def other_app_models(db):
    """Four models an app written later might add: a plain foreign key with a uniqueness that
    includes the person, a hidden one (``related_name="+"``), a one-to-one, and a
    many-to-many (its table is auto-created)."""

    class DedupTestNote(models.Model):  # noqa: DJ008
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dedup_notes")
        topic = models.CharField(max_length=20)

        class Meta:
            app_label = "institutions"
            constraints = [
                models.UniqueConstraint(fields=["person", "topic"], name="dedup_test_note_once")
            ]

    class DedupTestVisit(models.Model):  # noqa: DJ008
        visitor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        day = models.DateField()

        class Meta:
            app_label = "institutions"

    class DedupTestProfile(models.Model):  # noqa: DJ008
        person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
        note = models.CharField(max_length=20)

        class Meta:
            app_label = "institutions"

    class DedupTestGroup(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=20)
        members = models.ManyToManyField(Person, related_name="+")

        class Meta:
            app_label = "institutions"

    made = [DedupTestNote, DedupTestVisit, DedupTestProfile, DedupTestGroup]
    through = DedupTestGroup.members.through
    _create_tables(*made)
    yield {
        "note": DedupTestNote,
        "visit": DedupTestVisit,
        "profile": DedupTestProfile,
        "group": DedupTestGroup,
        "through": through,
    }
    registered = apps.all_models["institutions"]
    for model in [*made, through]:
        registered.pop(model._meta.model_name, None)
    apps.clear_cache()


# --- Helpers ----------------------------------------------------------------------------------


def _rows(model: type[models.Model], **filters) -> list[dict]:
    return sorted(model._base_manager.filter(**filters).values(), key=lambda r: str(r["id"]))


def snapshot(*people: Person) -> dict:
    """Everything about the people: their rows, and every row of every model that refers to
    them (found through the model meta, as the merge finds them), and their pairs."""
    pks = [p.pk for p in people]
    state: dict = {"people": _rows(Person, pk__in=pks)}
    for row in state["people"]:
        row.pop("updated_at")
    for reference in services.person_references(include_not_moved=True):
        if reference.model in (Person, PersonMerge):  # the record of the merge itself stays
            continue
        key = f"{reference.model_label}.{reference.field.name}"
        state[key] = _rows(reference.model, **{f"{reference.field.attname}__in": pks})
    return state


@pytest.fixture
def kinds(db):
    return {
        "pensioner": CategoryKind.objects.get(code="pensioner"),
        "passport": DocumentKind.objects.get(code="passport-rf"),
    }


@pytest.fixture
def twins(make_person, make_institution, institution_a, kinds):
    """A record and its duplicate, each with a household, categories, incomes, documents,
    addresses, service links, former names; some of them clash (same institution, same
    month's income, same kind of address)."""
    institution_c = make_institution(code="gamma", name="Центр «Гамма»")
    survivor = make_person(
        last_name="Смирнова",
        first_name="Ольга",
        patronymic="",
        snils=valid_snils(),
        phone="",
        birth_date=dt.date(1950, 4, 3),
    )
    merged = make_person(
        last_name="Смирнова",
        first_name="Ольга",
        patronymic="Ивановна",
        snils=None,
        phone="+7 916 123-45-67",
        email="olga@example.org",
        birth_date=dt.date(1950, 4, 3),
    )
    registry_services.person_serve(actor=SYSTEM, person=merged, institution=institution_c)
    for person, address in ((survivor, "ул. Ленина, 1"), (merged, "ул. Мира, 2")):
        registry_services.address_set(
            actor=SYSTEM, person=person, kind="registration", text=address
        )
    registry_services.address_set(actor=SYSTEM, person=merged, kind="actual", text="ул. Мира, 3")
    registry_services.document_add(
        actor=SYSTEM, person=merged, kind=kinds["passport"], series="4510", number="123456"
    )
    household = registry_services.household_create(
        actor=SYSTEM, applicant=merged, address="ул. Мира, 2"
    )
    shared = registry_services.household_create(actor=SYSTEM, applicant=survivor)
    registry_services.household_add_member(
        actor=SYSTEM, household=shared, person=merged, relation="sibling"
    )
    registry_services.category_assign(
        actor=SYSTEM, person=merged, kind=kinds["pensioner"], valid_from=dt.date(2015, 4, 3)
    )
    month = dt.date(2026, 1, 1)
    for person, amount in ((survivor, "21000.00"), (merged, "21500.00")):
        registry_services.income_record(
            actor=SYSTEM, person=person, month=month, kind="pension", amount=Decimal(amount)
        )
    registry_services.income_record(
        actor=SYSTEM,
        person=merged,
        month=dt.date(2026, 2, 1),
        kind="pension",
        amount=Decimal("21500.00"),
    )
    registry_services.person_update(
        actor=SYSTEM, person=merged, last_name="Смирнова-Петрова", reason="marriage"
    )
    merged.refresh_from_db()
    return {
        "survivor": survivor,
        "merged": merged,
        "household": household,
        "shared": shared,
        "institution_c": institution_c,
    }


def _candidate(a: Person, b: Person, status=CandidateStatus.PENDING) -> DuplicateCandidate:
    run = DedupRun.objects.create(threshold=0.9)
    low, high = sorted((a.pk, b.pk))
    return DuplicateCandidate.objects.create(
        run=run, person_a_id=low, person_b_id=high, probability=0.97, status=status
    )


# --- What a merge moves -----------------------------------------------------------------------


def test_every_reference_to_a_person_is_found_through_the_model_meta(other_app_models):
    found = {r.key for r in services.person_references(include_not_moved=True)}
    # Every reverse relation Django knows of (the visible ones, and many-to-many tables)...
    for relation in Person._meta.related_objects:
        if relation.many_to_many:
            through = relation.through._meta
            assert any(key[0] == through.label_lower for key in found), relation
        else:
            assert (relation.related_model._meta.label_lower, relation.field.name) in found
    # ...and the hidden ones (related_name="+") it leaves out of related_objects.
    assert ("institutions.deduptestvisit", "visitor") in found
    assert ("registry.duplicatecandidate", "person_a") in found
    assert ("registry.intakeoverride", "matched") in found
    moved = {r.key for r in services.person_references()}
    assert set(services.NOT_MOVED).isdisjoint(moved)


def test_merge_moves_every_reference_of_every_app(twins, other_app_models, admin_user):
    survivor, merged = twins["survivor"], twins["merged"]
    note, visit = other_app_models["note"], other_app_models["visit"]
    note.objects.create(person=survivor, topic="diet")
    note.objects.create(person=merged, topic="diet")  # clashes: the survivor keeps its own
    note.objects.create(person=merged, topic="mobility")
    visit.objects.create(visitor=merged, day=dt.date(2026, 3, 1))
    other_app_models["profile"].objects.create(person=merged, note="hearing aid")
    group = other_app_models["group"].objects.create(name="choir")
    group.members.add(merged)
    references = services.person_references()
    before = {
        r.key: set(
            r.model._base_manager.filter(**{r.field.attname: merged.pk}).values_list(
                "pk", flat=True
            )
        )
        for r in references
    }

    merge = services.person_merge(
        actor=admin_user, survivor=survivor, merged=merged, reason="the same pensioner"
    )

    moved = {(e["model"], e["field"]): e for e in merge.moved}
    for reference in references:
        rows = before[reference.key]
        entry = moved.get(reference.key, {"pks": [], "kept": []})
        assert set(entry["pks"]) | set(entry["kept"]) == rows, reference.key
        left = set(
            reference.model._base_manager.filter(
                **{reference.field.attname: merged.pk}
            ).values_list("pk", flat=True)
        )
        assert left == set(entry["kept"]), reference.key
        on_survivor = set(
            reference.model._base_manager.filter(
                **{reference.field.attname: survivor.pk}
            ).values_list("pk", flat=True)
        )
        assert set(entry["pks"]) <= on_survivor, reference.key
    # Each kind of thing the fixture attached to the merged record moved (or, clashing, stayed).
    for key in [
        ("registry.personinstitution", "person"),
        ("registry.householdmember", "person"),
        ("registry.personcategory", "person"),
        ("registry.income", "person"),
        ("registry.identitydocument", "person"),
        ("registry.address", "person"),
        ("registry.formername", "person"),
        ("institutions.deduptestnote", "person"),
        ("institutions.deduptestvisit", "visitor"),
        ("institutions.deduptestprofile", "person"),
        (other_app_models["through"]._meta.label_lower, "person"),
    ]:
        assert moved[key]["pks"], key
    # Clashes: the same institution, the same month's income, the same kind of address, the
    # same note topic, a second membership of the same household: the survivor's stay.
    assert len(moved[("registry.personinstitution", "person")]["kept"]) == 1
    assert len(moved[("registry.income", "person")]["kept"]) == 1
    assert len(moved[("registry.address", "person")]["kept"]) == 1
    assert len(moved[("institutions.deduptestnote", "person")]["kept"]) == 1
    assert len(moved[("registry.householdmember", "person")]["kept"]) == 1
    assert survivor.incomes.count() == 2 and survivor.addresses.count() == 2
    assert survivor.memberships.filter(household=twins["household"], is_applicant=True).exists()
    assert group.members.filter(pk=survivor.pk).exists()
    assert twins["institution_c"].person_links.filter(person=survivor).exists()


def test_merge_fills_the_survivors_empty_fields_and_leaves_a_redirect(twins, admin_user):
    survivor, merged = twins["survivor"], twins["merged"]
    merge = services.person_merge(actor=admin_user, survivor=survivor, merged=merged)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert merge.filled == {
        "patronymic": "Ивановна",
        "patronymic_latin": "Ivanovna",
        "phone": "+79161234567",
        "email": "olga@example.org",
    }
    assert survivor.patronymic == "Ивановна" and survivor.search_key == "smirnova olga ivanovna"
    assert merged.merged_into == survivor and merged.is_merged
    assert registry_selectors.resolve_redirect(merged) == survivor
    assert registry_selectors.resolve_redirect(survivor) == survivor


def test_the_snils_moves_to_the_survivor_and_back(make_person, admin_user):
    snils = valid_snils()
    survivor = make_person(snils=None)
    merged = make_person(snils=snils, patronymic="")
    merge = services.person_merge(actor=admin_user, survivor=survivor, merged=merged)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert survivor.snils == snils and merged.snils is None
    services.person_unmerge(actor=admin_user, merge=merge, reason="two sisters")
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert survivor.snils is None and merged.snils == snils


def test_a_chain_of_merges_redirects_to_the_last_survivor(make_person, admin_user):
    a, b, c = make_person(), make_person(), make_person()
    services.person_merge(actor=admin_user, survivor=b, merged=a)
    services.person_merge(actor=admin_user, survivor=c, merged=b)
    a.refresh_from_db()
    assert registry_selectors.resolve_redirect(a) == c


def test_merge_marks_the_pair_and_unmerge_restores_its_decision(make_person, admin_user):
    a, b = make_person(), make_person()
    candidate = _candidate(a, b, status=CandidateStatus.CONFIRMED)
    services.person_merge(actor=admin_user, survivor=b, merged=a, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED and candidate.reviewed_by == admin_user
    merge = PersonMerge.objects.get()
    assert merge.candidate == candidate
    services.person_unmerge(actor=admin_user, merge=merge, reason="not the same")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONFIRMED and candidate.reviewed_by is None


# --- Unmerge ----------------------------------------------------------------------------------


def test_unmerge_restores_exactly_what_was_there(twins, other_app_models, admin_user):
    survivor, merged = twins["survivor"], twins["merged"]
    other_app_models["note"].objects.create(person=survivor, topic="diet")
    other_app_models["note"].objects.create(person=merged, topic="diet")
    other_app_models["note"].objects.create(person=merged, topic="mobility")
    other_app_models["visit"].objects.create(visitor=merged, day=dt.date(2026, 3, 1))
    group = other_app_models["group"].objects.create(name="choir")
    group.members.add(merged)
    candidate = _candidate(survivor, merged)
    before = snapshot(survivor, merged)

    merge = services.person_merge(
        actor=admin_user, survivor=survivor, merged=merged, candidate=candidate
    )
    assert snapshot(survivor, merged) != before
    services.person_unmerge(actor=admin_user, merge=merge, reason="different people")

    assert snapshot(survivor, merged) == before
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == admin_user


def test_unmerge_twice_is_refused(make_person, admin_user):
    merge = services.person_merge(actor=admin_user, survivor=make_person(), merged=make_person())
    services.person_unmerge(actor=admin_user, merge=merge, reason="mistake")
    with pytest.raises(DomainError) as error:
        services.person_unmerge(actor=admin_user, merge=merge, reason="again")
    assert error.value.code == "merge_undone" and error.value.status == 409


def test_unmerge_needs_a_reason(make_person, admin_user):
    merge = services.person_merge(actor=admin_user, survivor=make_person(), merged=make_person())
    with pytest.raises(DomainError) as error:
        services.person_unmerge(actor=admin_user, merge=merge, reason="  ")
    assert error.value.code == "reason_required"


def test_a_merge_is_undone_in_the_reverse_order(make_person, admin_user):
    a, b, c = make_person(), make_person(), make_person()
    first = services.person_merge(actor=admin_user, survivor=b, merged=a)
    services.person_merge(actor=admin_user, survivor=c, merged=b)
    with pytest.raises(DomainError) as error:
        services.person_unmerge(actor=admin_user, merge=first, reason="wrong order")
    assert error.value.code == "survivor_merged"


# --- Refusals ---------------------------------------------------------------------------------


def test_merging_an_already_merged_record_is_refused(make_person, admin_user):
    a, b, c = make_person(), make_person(), make_person()
    services.person_merge(actor=admin_user, survivor=b, merged=a)
    a.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.person_merge(actor=admin_user, survivor=c, merged=a)
    assert error.value.code == "already_merged" and error.value.status == 409
    with pytest.raises(DomainError) as error:
        services.person_merge(actor=admin_user, survivor=a, merged=c)
    assert error.value.code == "survivor_merged"
    with pytest.raises(DomainError) as error:
        services.person_merge(actor=admin_user, survivor=c, merged=c)
    assert error.value.code == "merge_same"
    assert PersonMerge.objects.count() == 1


def test_a_candidate_of_other_records_is_refused(make_person, admin_user):
    a, b, c = make_person(), make_person(), make_person()
    candidate = _candidate(a, c)
    with pytest.raises(DomainError) as error:
        services.person_merge(actor=admin_user, survivor=a, merged=b, candidate=candidate)
    assert error.value.code == "candidate_mismatch"
    b.refresh_from_db()
    assert b.merged_into is None


# --- Audit ------------------------------------------------------------------------------------


def test_merge_and_unmerge_are_on_both_records_histories(make_person, admin_user):
    survivor, merged = make_person(patronymic=""), make_person()
    merge = services.person_merge(
        actor=admin_user, survivor=survivor, merged=merged, reason="one woman"
    )
    services.person_unmerge(actor=admin_user, merge=merge, reason="two women")
    for person in (survivor, merged):
        actions = list(
            AuditEntry.objects.filter(
                object_id=str(person.pk), action__startswith="registry.person."
            )
            .filter(action__in=["registry.person.merged", "registry.person.unmerged"])
            .order_by("at", "id")
            .values_list("action", "reason", "actor")
        )
        assert actions == [
            ("registry.person.merged", "one woman", admin_user.pk),
            ("registry.person.unmerged", "two women", admin_user.pk),
        ]
    entry = AuditEntry.objects.get(object_id=str(survivor.pk), action="registry.person.merged")
    assert entry.changes["patronymic"] == ["", "Петровна"]
    from opora.core.audit import sentence

    assert str(merged.pk) in sentence(entry) and "Иванова" in sentence(entry)


def test_only_administrators_hold_the_merge_permission(make_user):
    from opora.core.permissions import has_permission
    from opora.registry.access import DEDUP_REVIEW, DEDUP_RUN, MERGE

    assert has_permission(make_user(Role.ADMINISTRATOR), MERGE)
    for role in (Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER, Role.ANALYST):
        user = make_user(role)
        assert not has_permission(user, MERGE) and not has_permission(user, DEDUP_RUN)
    assert has_permission(make_user(Role.INSTITUTION_MANAGER), DEDUP_REVIEW)
    assert not has_permission(make_user(Role.SOCIAL_WORKER), DEDUP_REVIEW)
