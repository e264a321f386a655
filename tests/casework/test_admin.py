"""Administrators keep the reference data of casework in the admin site, audited; a scale's
answers must be readable by the assessment form."""

from __future__ import annotations

import json

import pytest

from opora.casework.models import AssessmentScale, ScaleItem
from opora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["applicationground", "assessmentscale", "scaleitem", "carelevel"]
)
def test_the_admin_lists_the_reference_data(login, admin_user, casework_reference, model):
    client = login(admin_user)
    assert client.get(f"/admin/casework/{model}/").status_code == 200
    assert client.get(f"/admin/casework/{model}/add/").status_code == 200


def item_form(scale, options):
    return {
        "scale": scale.pk,
        "code": "stairs-2",
        "name": "Подъём по лестнице (региональная шкала)",
        "name_en": "Stairs (regional scale)",
        "order": "11",
        "options": json.dumps(options, ensure_ascii=False),
    }


def test_an_item_added_in_the_admin_is_audited(login, admin_user, barthel):
    options = [{"points": 0, "label": "Не может"}, {"points": 5, "label": "Может"}]
    response = login(admin_user).post("/admin/casework/scaleitem/add/", item_form(barthel, options))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = ScaleItem.objects.get(scale=barthel, code="stairs-2")
    assert item.points() == [0, 5]
    assert AuditEntry.objects.filter(action="core.admin.added", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    "options",
    [
        [],
        [{"points": "five", "label": "Может"}],
        [{"points": 5, "label": " "}],
        [{"points": 5, "label": "Может"}, {"points": 5, "label": "Тоже может"}],
        {"points": 5, "label": "Может"},
    ],
)
def test_answers_the_form_cannot_read_are_refused(login, admin_user, barthel, options):
    before = ScaleItem.objects.count()
    response = login(admin_user).post("/admin/casework/scaleitem/add/", item_form(barthel, options))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["options"]
    assert ScaleItem.objects.count() == before
    assert AssessmentScale.objects.get(pk=barthel.pk).items.filter(code="stairs-2").count() == 0


def test_other_roles_do_not_reach_it(login, worker_a):
    assert login(worker_a).get("/admin/casework/scaleitem/").status_code == 302
