"""Every write of registry imports: upload, mapping, start, run; and the audit of exports.

``SYSTEM`` is the actor of management commands: every institution, every permission.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import SYSTEM, Actor
from opora.core.errors import DomainError, require_choice
from opora.core.jobs import Progress, job_start, no_progress
from opora.core.models import Job, JobStatus
from opora.core.permissions import has_permission
from opora.institutions.models import Institution

from ..access import IMPORT
from ..models import ImportBatch, ImportEntity, ImportMode, ImportStatus
from . import liveness, loader
from . import validation as v
from .audit_actions import (
    EXPORTED,
    IMPORT_DISCARDED,
    IMPORT_FAILED,
    IMPORT_STARTED,
    IMPORT_UPLOADED,
)
from .conf import limit
from .plan import GENERATED_KEY_FIELD, actor_scope, generates_keys
from .reading import EXTENSIONS, FileRejected, check_size, inspect_file
from .selectors import batches

JOB_KIND = "registry.import"  # declared with its task in tasks.py; job_start finds it by name
RESTARTABLE = (
    ImportStatus.UPLOADED,
    ImportStatus.MAPPED,
    ImportStatus.REJECTED,
    ImportStatus.FAILED,
)


def require_import(actor: Actor) -> None:
    if not has_permission(actor, IMPORT):
        raise DomainError("permission_denied", _("You may not import registry files."), status=403)


def check_batch_access(actor: Actor, batch: ImportBatch) -> None:
    """The batch is the actor's own, or of one of her institutions (selectors.batches)."""
    require_import(actor)
    if not batches(actor=actor).filter(pk=batch.pk).exists():
        raise DomainError("not_found", _("No such import."), status=404)


def _check_institution(actor: Actor, institution: Institution | None) -> None:
    scope = actor_scope(actor)
    if scope is None:
        return
    if institution is None:
        raise DomainError(
            "institution_required",
            _("Choose the institution that serves these people."),
            details={"institution": [_("This field is required.")]},
        )
    if institution.pk not in scope:
        raise DomainError(
            "institution_out_of_scope",
            _("You can import only for your own institutions."),
            details={"institution": [_("Choose one of your institutions.")]},
            status=403,
        )


def import_upload(
    *,
    actor: Actor,
    file: IO[bytes],
    original_name: str,
    entity: str,
    mode: str = ImportMode.ALL_OR_NOTHING,
    institution: Institution | None = None,
    size: int | None = None,
) -> ImportBatch:
    """Store an uploaded file under MEDIA_ROOT/imports/ with a generated name, check it
    (size, kind, encoding, header, at least one row) and create its batch with a mapping
    guessed from the header. A refused file is deleted and nothing is recorded."""
    require_import(actor)
    require_choice(
        entity,
        ImportEntity,
        field="entity",
        code="invalid_entity",
        message=_("Choose what the file holds."),
        hint=_("Choose one of the list."),
    )
    require_choice(
        mode,
        ImportMode,
        field="mode",
        code="invalid_mode",
        message=_("Choose what happens to rows with problems."),
        hint=_("Choose one of the list."),
    )
    _check_institution(actor, institution)
    import_purge_unstarted(actor=SYSTEM)
    original_name = Path(original_name or "").name[:255]
    extension = Path(original_name).suffix.lower()
    if extension not in EXTENSIONS:
        inspect_file_name_only(original_name)
    if size is not None:
        check_size(size, limit("MAX_FILE_BYTES"))
    batch = ImportBatch(
        created_by=audit.acting_user(actor),
        institution=institution,
        entity=entity,
        mode=mode,
        original_name=original_name,
        file_format=EXTENSIONS[extension],
    )
    batch.file.save(f"{uuid.uuid4().hex}{extension}", File(file), save=False)
    path = Path(batch.file.path)
    try:
        info = inspect_file(path, original_name)
        batch.size = path.stat().st_size
        batch.sha256 = _sha256(path)
        batch.encoding = info.encoding
        batch.header = info.header
        batch.mapping = v.default_mapping(entity, info.header)
        with transaction.atomic():
            batch.save()
            audit.record(
                actor=actor,
                action=IMPORT_UPLOADED,
                obj=batch,
                data={"entity": entity, "size": batch.size, "sha256": batch.sha256},
            )
    except BaseException:
        batch.file.delete(save=False)
        raise
    return batch


def inspect_file_name_only(original_name: str) -> None:
    if Path(original_name).suffix.lower() == ".xls":
        raise FileRejected(
            "old_excel",
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV and upload it again."),
        )
    raise FileRejected("unsupported_file", _("Only CSV and XLSX files can be imported."))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def mapping_problems(entity: str, header: list[str], mapping: dict[str, str]) -> dict:
    problems: dict[str, list[str]] = {}
    known = {f.name for f in v.fields_of(entity)}
    used: dict[str, str] = {}
    for name, column in mapping.items():
        if name not in known:
            problems[name] = [_("Not a field of this kind of file.")]
        elif column not in header:
            problems[name] = [_("The file has no such column.")]
        elif column in used:
            problems[name] = [
                _("The column “%(column)s” is already chosen for another field.")
                % {"column": column}
            ]
        else:
            used[column] = name
    for spec in v.fields_of(entity):
        if spec.required and spec.name not in mapping and not generates_keys_for(entity, spec):
            why = v.REQUIRED_BECAUSE.get(spec.name)
            problems.setdefault(spec.name, []).append(
                " ".join([_("Choose the column that holds it."), *([str(why)] if why else [])])
            )
    return problems


def generates_keys_for(entity: str, spec: v.Field) -> bool:
    return spec.name == GENERATED_KEY_FIELD and generates_keys(entity, {})


def _job_active(batch: ImportBatch) -> bool:
    return bool(
        batch.job_id
        and Job.objects.filter(
            pk=batch.job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        ).exists()
    )


def _fail_if_stale(batch: ImportBatch) -> ImportBatch:
    """A batch "running" with no job to run it and no process holding its lock (its process
    was killed) is marked failed, so that it can be started again. ``batch`` is locked."""
    if (
        batch.status == ImportStatus.RUNNING
        and not _job_active(batch)
        and not liveness.is_alive(batch.pk)
    ):
        return import_mark_failed(actor=SYSTEM, batch=batch)
    return batch


@transaction.atomic
def import_mark_failed(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """The running batch stopped unfinished (its job failed from outside, or its process
    died): failed, restartable from its stored file, with what its staging left removed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.RUNNING:
        return batch
    batch.status = ImportStatus.FAILED
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    audit.record(
        actor=actor,
        action=IMPORT_FAILED,
        obj=batch,
        changes={"status": [ImportStatus.RUNNING, ImportStatus.FAILED]},
        data={"job": str(batch.job_id or "")},
    )
    batch_id = batch.pk
    transaction.on_commit(lambda: liveness.remove_leftovers(batch_id))
    return batch


def import_fail_job(job: Job) -> None:
    """The job kind's ``on_failure``: its batch, if still running, is failed and restartable
    (called inside the transaction that fails the job)."""
    for batch in ImportBatch.objects.filter(job=job, status=ImportStatus.RUNNING):
        import_mark_failed(actor=SYSTEM, batch=batch)


@transaction.atomic
def import_discard(*, actor: Actor, batch: ImportBatch) -> None:
    """Give up an import that is not running: its stored file is deleted with its batch (the
    audit entry keeps the file's name and checksum)."""
    check_batch_access(actor, batch)
    batch = _fail_if_stale(ImportBatch.objects.select_for_update().get(pk=batch.pk))
    if batch.status == ImportStatus.RUNNING:
        raise DomainError(
            "import_running", _("This import is running; wait for it to end."), status=409
        )
    _discard(actor, [batch])


def _discard(actor: Actor, found: list[ImportBatch]) -> None:
    audit.record_many(
        actor=actor,
        action=IMPORT_DISCARDED,
        objects=found,
        data={},
    )
    files = [batch.file for batch in found if batch.file]
    ImportBatch.objects.filter(pk__in=[b.pk for b in found]).delete()

    def delete_files() -> None:
        for stored in files:
            stored.delete(save=False)

    transaction.on_commit(delete_files)


@transaction.atomic
def import_purge_unstarted(*, actor: Actor, older_than: dt.timedelta | None = None) -> int:
    """Batches uploaded (or mapped) and never started for a day, such as a file whose columns
    could not be mapped and was left there, are discarded with their stored files."""
    age = older_than or dt.timedelta(hours=limit("UNSTARTED_HOURS"))
    found = list(
        ImportBatch.objects.select_for_update(skip_locked=True).filter(
            status__in=(ImportStatus.UPLOADED, ImportStatus.MAPPED),
            created_at__lt=timezone.now() - age,
        )
    )
    if found:
        _discard(actor, found)
    return len(found)


@transaction.atomic
def import_set_mapping(
    *, actor: Actor, batch: ImportBatch, mapping: dict[str, str], mode: str | None = None
) -> ImportBatch:
    """Which column holds which field (empty: not imported), and optionally the mode."""
    check_batch_access(actor, batch)
    batch = _fail_if_stale(ImportBatch.objects.select_for_update().get(pk=batch.pk))
    if batch.status not in RESTARTABLE:
        raise DomainError(
            "import_not_editable",
            _("This import is running or done; upload the file again."),
            status=409,
        )
    mapping = {k: val for k, val in mapping.items() if val}
    problems = mapping_problems(batch.entity, batch.header, mapping)
    if problems:
        raise DomainError(
            "invalid_mapping", _("Some fields are not mapped correctly."), details=problems
        )
    if mode is not None:
        require_choice(
            mode,
            ImportMode,
            field="mode",
            code="invalid_mode",
            message=_("Choose what happens to rows with problems."),
            hint=_("Choose one of the list."),
        )
        batch.mode = mode
    batch.mapping = mapping
    batch.keys_generated = generates_keys(batch.entity, mapping)
    batch.status = ImportStatus.MAPPED
    batch.save(update_fields=["mapping", "mode", "status", "keys_generated"])
    return batch


@transaction.atomic
def import_start(*, actor: Actor, batch: ImportBatch) -> Job:
    """Queue the load as a background job (one at a time per batch)."""
    check_batch_access(actor, batch)
    batch = _fail_if_stale(ImportBatch.objects.select_for_update().get(pk=batch.pk))
    if batch.status not in RESTARTABLE or _job_active(batch):
        raise DomainError(
            "import_not_startable",
            _("This import is running or done; upload the file again."),
            details={"job": [str(batch.job_id)] if batch.job_id else []},
            status=409,
        )
    problems = mapping_problems(batch.entity, batch.header, batch.mapping)
    if problems:
        raise DomainError(
            "invalid_mapping", _("Some fields are not mapped correctly."), details=problems
        )
    job = job_start(
        actor=actor,
        kind=JOB_KIND,
        params={"batch": batch.pk},
        exclusive_key=f"{JOB_KIND}:{batch.pk}",
    )
    batch.job = job
    batch.status = ImportStatus.RUNNING
    batch.save(update_fields=["job", "status"])
    audit.record(actor=actor, action=IMPORT_STARTED, obj=batch, data={"job": str(job.pk)})
    return job


def import_run(
    *,
    actor: Actor,
    batch: ImportBatch,
    progress: Progress = no_progress,
    strategy: str | None = None,
) -> dict[str, Any]:
    """Load the batch now (the task and the command call this). Not one transaction: the
    problems found are committed as they are found; the load itself is one transaction
    (loader.py)."""
    require_import(actor)
    with transaction.atomic():
        batch = _fail_if_stale(ImportBatch.objects.select_for_update().get(pk=batch.pk))
    if batch.status not in (*RESTARTABLE, ImportStatus.RUNNING):
        raise DomainError(
            "import_done", _("This import is done; upload the file again."), status=409
        )
    problems = mapping_problems(batch.entity, batch.header, batch.mapping)
    if problems:
        raise DomainError(
            "invalid_mapping", _("Some fields are not mapped correctly."), details=problems
        )
    return loader.execute(batch=batch, actor=actor, progress=progress, strategy=strategy)


@transaction.atomic
def export_record(*, actor: Actor, entity: str, file_format: str) -> None:
    """An export of personal data is audited (who took which data, and when)."""
    require_import(actor)
    audit.record(
        actor=actor,
        action=EXPORTED,
        obj=None,
        data={"entity": entity, "format": file_format.upper()},
    )
