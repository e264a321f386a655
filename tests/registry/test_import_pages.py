"""The pages: upload → columns with a preview → start → progress → result with its problems →
the problems as CSV; who may use them; and the export with masking."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry, JobStatus
from opora.registry.imports import tasks
from opora.registry.models import ImportBatch, ImportStatus, Person

from .conftest import valid_snils
from .test_import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    manager_a_fixture,  # noqa: F401 - fixture
    manager_b_fixture,  # noqa: F401 - fixture
    media_fixture,  # noqa: F401 - fixture
    person_row,
    run,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"registry:registry_import:{name}", args=args)


def people_file(count: int = 12, bad: int = 1) -> bytes:
    rows = [person_row(f"P{i}", snils=valid_snils(5_000_000 + i)) for i in range(count)]
    for i in range(bad):
        rows[i][5] = "31.02.2020"
    return csv_bytes(rows, PEOPLE_HEADER)


def test_upload_columns_start_and_result(
    login, manager_a, institution_a, media, django_capture_on_commit_callbacks
):
    client = login(manager_a)
    page = client.get(url("upload"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["institution"].queryset) == [institution_a]

    response = client.post(
        url("upload"),
        {
            "file": SimpleUploadedFile("people.csv", people_file()),
            "entity": "people",
            "mode": "valid_only",
            "institution": institution_a.pk,
        },
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == url("mapping", batch.pk)
    assert batch.file.name.startswith("imports/") and batch.file.name.endswith(".csv")
    assert "people" not in batch.file.name  # a generated name, never the uploaded one

    columns = client.get(url("mapping", batch.pk))
    assert columns.status_code == 200
    assert len(columns.context["rows"]) == 10  # the preview: the first ten rows
    body = columns.content.decode()
    assert 'data-testid="preview"' in body and "P9" in body and "P10" not in body
    assert '<option value="last_name" selected>' in body

    mapping = {f"map_{name}": name for name in PEOPLE_HEADER}
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(url("mapping", batch.pk), {**mapping, "mode": "valid_only"})
    assert started.status_code == 302 and started["Location"] == url("detail", batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING and batch.job.status == JobStatus.QUEUED

    waiting = client.get(url("detail", batch.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and 'id="job-progress"' in waiting

    tasks.import_file.call(job_id=str(batch.job_id))
    batch.refresh_from_db()
    assert (batch.status, batch.total_rows, batch.error_rows, batch.inserted) == (
        ImportStatus.LOADED,
        12,
        1,
        11,
    )
    assert batch.job.status == JobStatus.SUCCEEDED

    result = client.get(url("detail", batch.pk))
    body = result.content.decode()
    assert "every 2s" not in body
    assert result.context["table"].page.paginator.count == 1
    assert "There is no such date." in body and url("errors_csv", batch.pk) in body
    fragment = client.get(
        url("detail", batch.pk), headers={"HX-Request": "true", "HX-Target": "import-state"}
    )
    assert "<html" not in fragment.content.decode()

    download = client.get(url("errors_csv", batch.pk))
    assert download["Content-Type"].startswith("text/csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines == [
        ["row", "column", "value", "problem"],
        ["2", "birth_date", "31.02.2020", "There is no such date."],
    ]
    assert set(Person.objects.get(external_key="P5").served_by.all()) == {institution_a}


def test_the_problems_table_is_paginated(login, admin_user):
    batch = run(admin_user, people_file(count=70, bad=60))
    client = login(admin_user)
    first = client.get(url("detail", batch.pk))
    assert first.context["table"].page.paginator.count == 60
    assert len(first.context["table"].rows) == 50
    second = client.get(
        url("detail", batch.pk), {"page": 2}, headers={"HX-Request": "true", "HX-Target": "issues"}
    )
    assert len(second.context["table"].rows) == 10
    assert "<html" not in second.content.decode()


def test_a_file_refused_at_upload_is_explained_next_to_the_field(login, admin_user, media):
    response = login(admin_user).post(
        url("upload"),
        {
            "file": SimpleUploadedFile("people.csv", csv_bytes([], PEOPLE_HEADER)),
            "entity": "people",
            "mode": "all_or_nothing",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file has a header but no rows."]
    assert not ImportBatch.objects.exists()


def test_a_mapping_without_a_required_field_is_refused(login, admin_user):
    from .test_import_helpers import upload

    batch = upload(admin_user, people_file())
    mapping = {f"map_{name}": name for name in PEOPLE_HEADER}
    mapping["map_last_name"] = ""
    mapping["map_first_name"] = "external_key"
    response = login(admin_user).post(url("mapping", batch.pk), {**mapping, "mode": "valid_only"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "map_last_name" in errors and "map_first_name" in errors
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED and batch.job is None


def test_a_social_worker_cannot_import_or_export(login, worker_a):
    client = login(worker_a)
    for name in ("list", "upload", "export"):
        assert client.get(url(name)).status_code == 403
    assert client.post(url("upload"), {}).status_code == 403


def test_a_manager_imports_for_her_own_institution_only(login, manager_a, institution_b, media):
    response = login(manager_a).post(
        url("upload"),
        {
            "file": SimpleUploadedFile("people.csv", people_file()),
            "entity": "people",
            "mode": "valid_only",
            "institution": institution_b.pk,
        },
    )
    assert response.status_code == 400
    assert "institution" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_imports_of_other_institutions_are_not_found(
    login, manager_a, manager_b, institution_a, admin_user
):
    batch = run(manager_a, people_file(), institution=institution_a)
    other = login(manager_b)
    for name in ("detail", "mapping", "errors_csv"):
        assert other.get(url(name, batch.pk)).status_code == 404, name
    assert other.get(url("list")).context["table"].page.paginator.count == 0
    admin = login(admin_user)
    assert admin.get(url("detail", batch.pk)).status_code == 200


# --- Export -----------------------------------------------------------------------------------


@pytest.fixture
def exported_world(make_person, institution_a, institution_b):
    from opora.registry import services

    mine = make_person(external_key="A1", snils=valid_snils(6_000_001), phone="+79160000001")
    make_person(
        institution=institution_b,
        external_key="B1",
        last_name="Чужая",
        snils=valid_snils(6_000_002),
    )
    odd = make_person(
        external_key="A2", last_name="=HYPERLINK(1)", first_name="-2+3", patronymic=""
    )
    services.household_create(actor=SYSTEM, applicant=mine, external_key="H1")
    return mine, odd


def export_csv(client, entity: str) -> list[list[str]]:
    response = client.get(url("export"), {"entity": entity, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{entity}-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_export_csv_holds_the_managers_people_with_snils(login, manager_a, exported_world):
    client = login(manager_a)
    lines = export_csv(client, "people")
    assert lines[0] == PEOPLE_HEADER
    by_key = {line[0]: line for line in lines[1:]}
    assert set(by_key) == {"A1", "A2"}  # not the other institution's person
    snils = valid_snils(6_000_001)
    assert by_key["A1"][6] == f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
    assert by_key["A1"][11] == "alpha"
    # Text a spreadsheet would run as a formula stays text.
    assert by_key["A2"][1] == "'=HYPERLINK(1)" and by_key["A2"][2] == "'-2+3"
    assert export_csv(client, "households")[1] == [
        "H1",
        "A1",
        "applicant",
        "1",
        exported_world[0].memberships.get().joined_on.strftime("%d.%m.%Y"),
    ]
    entry = AuditEntry.objects.filter(action="registry.export.downloaded").first()
    assert entry.data == {"entity": "households", "format": "CSV"}


def test_export_masks_snils_without_the_personal_data_permission(
    login, manager_a, exported_world, monkeypatch
):
    from opora.registry.access import PERSONAL_DATA_VIEW
    from opora.registry.imports import export

    real = export.has_permission
    monkeypatch.setattr(
        export,
        "has_permission",
        lambda user, code: False if code == PERSONAL_DATA_VIEW else real(user, code),
    )
    lines = export_csv(login(manager_a), "people")
    snils = valid_snils(6_000_001)
    shown = {line[0]: line[6] for line in lines[1:]}
    assert shown["A1"] == f"•••-•••-{snils[6:9]} {snils[9:]}"


def test_export_xlsx(login, manager_a, exported_world):
    response = login(manager_a).get(url("export"), {"entity": "people", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content)), read_only=True
    )
    rows = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows()]
    assert rows[0] == PEOPLE_HEADER
    by_key = {row[0]: row for row in rows[1:]}
    assert set(by_key) == {"A1", "A2"}
    formula_like = [
        c for row in workbook.worksheets[0].iter_rows() for c in row if c.value == "=HYPERLINK(1)"
    ]
    assert formula_like and formula_like[0].data_type == "s"


def test_exported_people_import_again_unchanged(login, admin_user, exported_world):
    from .test_import_helpers import run as run_import

    lines = export_csv(login(admin_user), "people")
    data = csv_bytes(lines[1:], lines[0], delimiter=";")  # the guarded formulas included
    batch = run_import(admin_user, data)
    assert batch.status == ImportStatus.LOADED, batch.issues.values_list("message", flat=True)
    assert (batch.inserted, batch.updated, batch.total_rows) == (0, 0, 3)
