"""The import as a background job: its progress, and a failure that leaves nothing behind."""

from __future__ import annotations

import pytest

from opora.core.models import JobStatus
from opora.registry.imports import portable, postgres, services, tasks
from opora.registry.models import (
    Address,
    ImportStatus,
    Person,
    PersonInstitution,
)

from .conftest import valid_snils
from .test_import_helpers import ON_POSTGRES, PEOPLE_HEADER, csv_bytes, person_row, upload

pytestmark = pytest.mark.django_db


def started(actor, data, capture):
    batch = upload(actor, data)
    batch = services.import_set_mapping(actor=actor, batch=batch, mapping=batch.mapping)
    with capture(execute=False):
        job = services.import_start(actor=actor, batch=batch)
    return batch, job


def test_the_job_loads_and_reports_progress(admin_user, django_capture_on_commit_callbacks):
    rows = [person_row(f"J{i}", snils=valid_snils(9_500_000 + i)) for i in range(20)]
    batch, job = started(
        admin_user, csv_bytes(rows, PEOPLE_HEADER), django_capture_on_commit_callbacks
    )
    result = tasks.import_file.call(job_id=str(job.pk))
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and result["inserted"] == 20
    assert (job.done, job.total, job.message) == (1000, 1000, "Loaded")
    assert batch.status == ImportStatus.LOADED and batch.job_id == job.pk
    # A redelivered task does not run the import twice.
    assert tasks.import_file.call(job_id=str(job.pk))["inserted"] == 20
    assert Person.objects.count() == 20


def test_a_failure_while_loading_leaves_nothing_written(
    admin_user, district, monkeypatch, django_capture_on_commit_callbacks
):
    rows = [person_row(f"J{i}", district="arbat", address="адрес") for i in range(10)]
    batch, job = started(
        admin_user, csv_bytes(rows, PEOPLE_HEADER), django_capture_on_commit_callbacks
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    if ON_POSTGRES:
        monkeypatch.setattr(postgres.PostgresLoader, "_addresses", broken)
    else:
        monkeypatch.setattr(portable.PortableLoader, "_links_and_addresses", broken)
    with pytest.raises(RuntimeError):
        tasks.import_file.call(job_id=str(job.pk))
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == JobStatus.FAILED and "disk is full" in job.message
    assert batch.status == ImportStatus.FAILED
    # The people were written before the failure, in the same transaction: none is left.
    assert not Person.objects.exists() and not PersonInstitution.objects.exists()
    assert not Address.objects.exists()


def test_progress_inside_the_transaction_is_kept_until_it_ends():
    """Where no second connection can write (SQLite), the last value inside the load waits for
    the transaction's end; outside it, values pass straight through."""
    calls = []
    sink = tasks.ImportJobProgress("job", lambda *a: calls.append(a))
    sink(10, 1000, "Reading")
    sink.inside = True  # as transaction_started does, without its second connection
    sink(700, 1000, "Writing")
    sink(800, 1000, "Linking")
    assert calls == [(10, 1000, "Reading")]
    sink.transaction_ended()
    assert calls[-1] == (800, 1000, "Linking")


from .test_import_helpers import district_fixture  # noqa: E402,F401 - fixture
