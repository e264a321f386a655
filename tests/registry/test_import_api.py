"""The import endpoints: status and counts, problems paginated, starting a mapped import."""

from __future__ import annotations

import pytest

from opora.core.models import Job

from .conftest import valid_snils
from .test_import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    manager_a_fixture,  # noqa: F401 - fixture
    manager_b_fixture,  # noqa: F401 - fixture
    person_row,
    run,
    upload,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registry/imports"


def bad_file(rows: int, bad: int) -> bytes:
    data = [person_row(f"P{i}", snils=valid_snils(8_000_000 + i)) for i in range(rows)]
    for i in range(bad):
        data[i][4] = "?"
    return csv_bytes(data, PEOPLE_HEADER)


def test_status_counts_and_problems_paginated(login, manager_a, institution_a):
    batch = run(manager_a, bad_file(160, 150), institution=institution_a, mode="valid_only")
    client = login(manager_a)
    listing = client.get(f"{BASE}/").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == batch.pk
    detail = client.get(f"{BASE}/{batch.pk}").json()
    assert (
        detail["status"],
        detail["total_rows"],
        detail["error_rows"],
        detail["inserted"],
        detail["unchanged"],
    ) == ("loaded", 160, 150, 10, 0)
    assert detail["mapping"]["last_name"] == "last_name" and detail["institution_id"]
    first = client.get(f"{BASE}/{batch.pk}/issues").json()
    assert first["count"] == 150 and len(first["items"]) == 100
    assert first["items"][0] == {
        "row": 2,
        "column": "sex",
        "value": "?",
        "message": "Write the sex as M or F.",
        "warning": False,
    }
    second = client.get(f"{BASE}/{batch.pk}/issues", {"page": 2}).json()
    assert len(second["items"]) == 50 and second["items"][-1]["row"] == 151


def test_starting_a_mapped_import(login, admin_user, django_capture_on_commit_callbacks):
    from opora.registry.imports import services

    batch = upload(admin_user, bad_file(3, 0))
    services.import_set_mapping(actor=admin_user, batch=batch, mapping=batch.mapping)
    client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"{BASE}/{batch.pk}/start")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "registry.import" and job.params == {"batch": batch.pk}
    status = client.get(f"{BASE}/{batch.pk}").json()
    assert status["status"] == "running" and status["job"]["status"] == "queued"
    again = client.post(f"{BASE}/{batch.pk}/start")
    assert again.status_code == 409 and again.json()["code"] == "import_not_startable"


def test_other_institutions_imports_are_not_found(
    login, manager_a, manager_b, institution_a, worker_a
):
    batch = run(manager_a, bad_file(3, 1), institution=institution_a)
    other = login(manager_b)
    assert other.get(f"{BASE}/{batch.pk}").status_code == 404
    assert other.get(f"{BASE}/{batch.pk}/issues").status_code == 404
    assert other.post(f"{BASE}/{batch.pk}/start").status_code == 404
    assert other.get(f"{BASE}/").json()["count"] == 0
    worker = login(worker_a)
    assert worker.get(f"{BASE}/").status_code == 403
    assert worker.get(f"{BASE}/{batch.pk}").json()["code"] == "permission_denied"
