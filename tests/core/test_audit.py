import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from opora.core import audit, services
from opora.core.actors import SYSTEM
from opora.core.audit_actions import USER_UPDATED
from opora.core.models import AuditEntry, User
from opora.core.roles import Role
from opora.institutions import services as institution_services
from opora.institutions.models import Institution


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def test_a_service_writes_its_entry_with_before_and_after(admin_user, institution_a):
    institution_services.institution_update(
        actor=admin_user, institution=institution_a, name="Центр «Альфа-2»", reason="renamed"
    )
    entry = entries_for(institution_a).get(action="institutions.institution.updated")
    assert entry.actor == admin_user
    assert entry.changes == {"name": ["Центр «Альфа»", "Центр «Альфа-2»"]}
    assert entry.reason == "renamed"


def test_an_update_that_changes_nothing_writes_no_entry(admin_user, institution_a):
    before = entries_for(institution_a).count()
    institution_services.institution_update(
        actor=admin_user, institution=institution_a, name=institution_a.name
    )
    assert entries_for(institution_a).count() == before


def test_bad_input_writes_neither_the_change_nor_an_entry(admin_user, institution_a):
    from opora.core.errors import DomainError

    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        institution_services.institution_update(
            actor=admin_user, institution=institution_a, name="", code="not a slug!"
        )
    assert set(error.value.details) == {"name", "code"}
    institution_a.refresh_from_db()
    assert institution_a.code == "alpha"
    assert AuditEntry.objects.count() == before


def test_an_entry_outside_a_transaction_is_refused(transactional_db, institution_a):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        audit.record(actor=SYSTEM, action=USER_UPDATED, obj=institution_a)


def test_an_undeclared_action_is_refused(db, institution_a):
    with transaction.atomic(), pytest.raises(KeyError):
        audit.record(actor=SYSTEM, action="nobody.declared.this", obj=institution_a)


def test_bulk_changes_write_one_entry_per_object(admin_user, make_institution):
    institutions = [make_institution() for _ in range(5)]
    with transaction.atomic():
        written = audit.record_many(
            actor=admin_user,
            action="institutions.institution.updated",
            objects=institutions,
            changes_by_pk={institutions[0].pk: {"is_active": [True, False]}},
            reason="bulk close",
        )
    assert written == 5
    bulk = AuditEntry.objects.filter(reason="bulk close")
    assert bulk.count() == 5
    assert bulk.get(object_id=str(institutions[0].pk)).changes == {"is_active": [True, False]}


def test_sentences_are_translated(admin_user, institution_a):
    institution_services.institution_update(
        actor=admin_user, institution=institution_a, short_name="Альфа"
    )
    entry = entries_for(institution_a).get(action="institutions.institution.updated")
    with translation.override("en"):
        english = audit.sentence(entry)
    with translation.override("ru"):
        russian = audit.sentence(entry)
    assert english.startswith(admin_user.display_name)
    assert "changed the institution" in english
    assert russian != english and admin_user.display_name in russian


@given(
    before=st.dictionaries(st.sampled_from("abcde"), st.integers(0, 3) | st.text(max_size=3)),
    after=st.dictionaries(st.sampled_from("abcde"), st.integers(0, 3) | st.text(max_size=3)),
)
def test_diff_lists_exactly_the_changed_keys(before, after):
    changes = audit.diff(before, after)
    for key in set(before) | set(after):
        if before.get(key) != after.get(key):
            assert changes[key] == [before.get(key), after.get(key)]
        else:
            assert key not in changes


def test_history_tab_renders_the_entries_as_sentences(login, admin_user, institution_a):
    institution_services.institution_update(
        actor=admin_user, institution=institution_a, address="ул. Тверская, 1"
    )
    client = login(admin_user)
    response = client.get(
        reverse("institutions:detail", args=[institution_a.pk]) + "?tab=history",
        headers={"HX-Request": "true", "HX-Target": "tab-body"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # only the tab's fragment
    assert "ул. Тверская, 1" in body
    assert admin_user.display_name in body


def test_audit_search_filters_by_actor_action_and_text(login, admin_user, make_user, institution_a):
    other = make_user(Role.ADMINISTRATOR)
    institution_services.institution_update(
        actor=admin_user, institution=institution_a, short_name="A1"
    )
    institution_services.institution_update(actor=other, institution=institution_a, short_name="A2")
    client = login(admin_user)
    response = client.get(
        reverse("core:audit"), {"actor": other.pk, "action": "institutions.institution"}
    )
    entries = [row["entry"] for row in response.context["rows"]]
    assert [(e.actor, e.changes) for e in entries] == [(other, {"short_name": ["A1", "A2"]})]
    assert "<del>A1</del> → <ins>A2</ins>" in response.content.decode()
    empty = client.get(reverse("core:audit"), {"text": "no-such-object-anywhere"})
    assert empty.context["table"].page.paginator.count == 0


def test_audit_search_is_for_administrators_only(login, worker_a):
    assert login(worker_a).get(reverse("core:audit")).status_code == 403


def test_user_services_audit_role_changes_and_deactivation(admin_user, worker_a, institution_a):
    services.user_update(actor=admin_user, user=worker_a, role=Role.INSTITUTION_MANAGER)
    services.user_update(actor=admin_user, user=worker_a, is_active=False, reason="left")
    actions = list(entries_for(worker_a).order_by("at", "id").values_list("action", flat=True))
    assert actions[-2:] == ["core.user.updated", "core.user.deactivated"]
    assert User.objects.get(pk=worker_a.pk).is_active is False


def test_staff_roles_need_an_institution(db):
    from opora.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.user_create(
            actor=SYSTEM,
            username="lonely",
            role=Role.SOCIAL_WORKER,
            password="a-long-enough-pass-42",
        )
    assert error.value.code == "institution_required"
    assert not User.objects.filter(username="lonely").exists()
    assert Institution.objects.count() == 0


def test_record_changes_writes_only_what_changed_and_nothing_for_no_change(
    admin_user, institution_a
):
    before = audit.snapshot(institution_a, ["name", "short_name"])
    after = {**before, "name": "Новое имя"}
    with transaction.atomic():
        same = audit.record_changes(
            actor=admin_user, action=USER_UPDATED, obj=institution_a, before=before, after=before
        )
        changed = audit.record_changes(
            actor=admin_user, action=USER_UPDATED, obj=institution_a, before=before, after=after
        )
    assert same == {}
    assert changed == {"name": [before["name"], "Новое имя"]}
    entries = AuditEntry.objects.filter(action=USER_UPDATED, object_id=str(institution_a.pk))
    assert [e.changes for e in entries] == [changed]
