"""Kinds of document and of category are data: administrators keep them in the admin site."""

from django.urls import reverse

from opora.core.models import AuditEntry
from opora.registry.models import CategoryKind, DocumentKind


def test_an_administrator_adds_a_category_kind_and_it_is_audited(login, admin_user):
    client = login(admin_user)
    response = client.post(
        reverse("admin:registry_categorykind_add"),
        {
            "code": "chernobyl",
            "name": "Пострадавший от аварии на ЧАЭС",
            "name_en": "Chernobyl victim",
            "description": "",
            "review_days": 60,
        },
    )
    assert response.status_code == 302
    kind = CategoryKind.objects.get(code="chernobyl")
    assert AuditEntry.objects.filter(object_id=str(kind.pk), action="core.admin.added").exists()


def test_a_pattern_that_is_not_a_regular_expression_is_refused(login, admin_user):
    client = login(admin_user)
    response = client.post(
        reverse("admin:registry_documentkind_add"),
        {"code": "seaman-id", "name": "Удостоверение моряка", "number_pattern": "[0-9"},
    )
    assert response.status_code == 200
    assert "number_pattern" in response.context["adminform"].form.errors
    assert not DocumentKind.objects.filter(code="seaman-id").exists()


def test_staff_cannot_open_the_kinds(login, worker_a):
    client = login(worker_a)
    response = client.get(reverse("admin:registry_categorykind_changelist"))
    assert response.status_code == 302
    assert not CategoryKind.objects.filter(code="chernobyl").exists()
