"""The data of the network in the admin site: administrators maintain kinds, accessibility
features and positions, and every change is audited."""

from __future__ import annotations

import pytest

from opora.core.models import AuditEntry
from opora.institutions.models import InstitutionKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    ["institution", "institutionkind", "accessibilityfeature", "position", "district"],
)
def test_the_admin_lists_the_data_of_the_network(login, admin_user, reference, model):
    client = login(admin_user)
    assert client.get(f"/admin/institutions/{model}/").status_code == 200
    assert client.get(f"/admin/institutions/{model}/add/").status_code == 200


def test_a_kind_added_in_the_admin_is_audited(login, admin_user, reference):
    response = login(admin_user).post(
        "/admin/institutions/institutionkind/add/",
        {
            "code": "hospice",
            "name": "Хоспис",
            "name_en": "Hospice",
            "position": "55",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kind = InstitutionKind.objects.get(code="hospice")
    assert AuditEntry.objects.filter(action="core.admin.added", object_id=str(kind.pk)).exists()


def test_other_roles_do_not_reach_the_admin(login, manager_a):
    response = login(manager_a).get("/admin/institutions/position/")
    assert response.status_code == 302
