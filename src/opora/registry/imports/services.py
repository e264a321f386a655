"""Every write of registry imports: upload, mapping, start, run; and the audit of exports.

``SYSTEM`` is the actor of management commands: every institution, every permission.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, require_choice
from opora.core.jobs import Progress, job_start, no_progress
from opora.core.models import Job, JobStatus
from opora.core.permissions import has_permission
from opora.institutions.models import Institution

from ..access import IMPORT
from ..models import ImportBatch, ImportEntity, ImportMode, ImportStatus
from . import loader
from . import validation as v
from .audit_actions import EXPORTED, IMPORT_STARTED, IMPORT_UPLOADED
from .conf import limit
from .plan import actor_scope
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
        if spec.required and spec.name not in mapping:
            problems.setdefault(spec.name, []).append(_("Choose the column that holds it."))
    return problems


@transaction.atomic
def import_set_mapping(
    *, actor: Actor, batch: ImportBatch, mapping: dict[str, str], mode: str | None = None
) -> ImportBatch:
    """Which column holds which field (empty: not imported), and optionally the mode."""
    check_batch_access(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
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
    batch.status = ImportStatus.MAPPED
    batch.save(update_fields=["mapping", "mode", "status"])
    return batch


@transaction.atomic
def import_start(*, actor: Actor, batch: ImportBatch) -> Job:
    """Queue the load as a background job (one at a time per batch)."""
    check_batch_access(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    running = (
        batch.job_id
        and Job.objects.filter(
            pk=batch.job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        ).exists()
    )
    if batch.status not in RESTARTABLE or running:
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
