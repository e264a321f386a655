"""An import whose process died, or whose job was failed from outside, does not stay "running"
for ever: it is failed, restartable from its stored file, and what it left on disk is removed;
a batch uploaded and never started is discarded with its file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.jobs import job_abandon
from opora.core.models import AuditEntry, JobStatus
from opora.registry.imports import liveness, services
from opora.registry.models import ImportBatch, ImportStatus, Person

from .test_import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    media_fixture,  # noqa: F401 - fixture
    person_row,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

DATA = csv_bytes([person_row("P1"), person_row("P2", "Петров", sex="M")], PEOPLE_HEADER)


def mapped(actor) -> ImportBatch:
    batch = upload(actor, DATA)
    return services.import_set_mapping(actor=actor, batch=batch, mapping=batch.mapping)


def killed_midway(batch: ImportBatch) -> Path:
    """What SIGKILL leaves: the batch "running", no job, no lock, a staging directory."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    leftover = Path(tempfile.mkdtemp(prefix=liveness.staging_prefix(batch.pk)))
    (leftover / "staging.sqlite3").write_bytes(b"half")
    return leftover


def test_a_killed_import_is_failed_restarted_from_its_file_and_cleaned(
    admin_user, media, django_capture_on_commit_callbacks
):
    batch = mapped(admin_user)
    leftover = killed_midway(batch)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_set_mapping(actor=admin_user, batch=batch, mapping=batch.mapping)
    assert batch.status == ImportStatus.MAPPED
    assert not leftover.exists()
    entry = AuditEntry.objects.get(action="registry.import.failed")
    assert entry.object_id == str(batch.pk)
    services.import_run(actor=admin_user, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.LOADED and Person.objects.count() == 2


def test_an_import_still_running_elsewhere_is_left_alone(admin_user, media):
    batch = mapped(admin_user)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    with liveness.held(batch.pk) as mine:
        assert mine and liveness.is_alive(batch.pk)
        with pytest.raises(DomainError) as error:
            services.import_set_mapping(actor=admin_user, batch=batch, mapping=batch.mapping)
        assert error.value.status == 409
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.RUNNING
    assert not liveness.is_alive(batch.pk)
    assert not AuditEntry.objects.filter(action="registry.import.failed").exists()


def test_an_abandoned_job_fails_its_batch_which_starts_again(
    admin_user, media, django_capture_on_commit_callbacks
):
    batch = mapped(admin_user)
    with django_capture_on_commit_callbacks(execute=False):
        job = services.import_start(actor=admin_user, batch=batch)
    job_abandon(actor=admin_user, job=job, reason="the worker was killed")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    with django_capture_on_commit_callbacks(execute=False):
        again = services.import_start(actor=admin_user, batch=batch)
    assert again.pk != job.pk and again.status == JobStatus.QUEUED
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.RUNNING


def test_a_batch_never_started_is_discarded_with_its_file(
    admin_user, media, django_capture_on_commit_callbacks
):
    left = upload(admin_user, DATA)  # say its columns could not be mapped, and she left
    assert len(stored_files(media)) == 1
    ImportBatch.objects.filter(pk=left.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = upload(admin_user, DATA)  # the next upload purges it
    assert services.import_purge_unstarted(actor=SYSTEM) == 0
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert [p.name for p in stored_files(media)] == [os.path.basename(fresh.file.name)]
    assert AuditEntry.objects.filter(action="registry.import.discarded").count() == 1


def test_a_batch_can_be_discarded_by_its_importer(
    admin_user, media, django_capture_on_commit_callbacks
):
    batch = upload(admin_user, DATA)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_discard(actor=admin_user, batch=batch)
    assert not ImportBatch.objects.exists() and stored_files(media) == []
