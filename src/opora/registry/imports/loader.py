"""Running an import: the phases every database shares, driving the loader for the database.

Phases (the progress bar's share of each in brackets):

1. **Read and stage** (0–50 %). The file is streamed row by row; each row's mapped cells go
   to a staging structure: on PostgreSQL a TEMP table filled by COPY (postgres.py), elsewhere
   a private SQLite file on disk (portable.py), so memory stays bounded whatever the size.
   Problems found while reading (a formula, a row of the wrong width) are recorded.
2. **Check** (50–65 %). Every rule of validation.py runs over the staged rows: cell rules,
   rules across rows (a key given twice), and rules against the registry (a SNILS already
   taken, a person who does not exist). Each problem becomes an ImportIssue, committed at
   once: the report survives whatever happens next.
3. **Decide** (``Plan.rejects``). With problems, "the whole file or nothing" stops here: the
   batch is rejected and nothing was written. "The valid rows" goes on without the rows that
   have problems.
4. **Load** (65–100 %), in **one transaction**: the upsert of every valid row by its stable key
   (importing the same file again updates, never duplicates), the batch's counts and its audit
   entry. If anything fails, nothing of the file is in the registry.

Progress is written to the Job row by the task's sink (tasks.py), which knows when the load
transaction is open (``Reporter.transaction``) and writes through its own connection then, so
the bar moves while the transaction is still uncommitted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.jobs import Progress, no_progress

from ..models import ImportBatch, ImportIssue, ImportStatus
from . import liveness
from . import validation as v
from .audit_actions import IMPORT_LOADED, IMPORT_REJECTED
from .base import CHECK_SHARE, READ_SHARE, Counts, Issues, Loader, Reporter, count_text
from .plan import GENERATED, Plan, make_plan
from .portable import PortableLoader
from .postgres import PostgresLoader
from .reading import FileRejected, Position, Row, read_rows

logger = logging.getLogger(__name__)


# --- The rows of the file, in the plan's order --------------------------------------------------


class MappedRows:
    """Each row's cells in the order of ``plan.fields`` (None: not mapped), without the
    whitespace around them (str.strip(), once, for both paths). Rows with a reading problem in
    a mapped column (or in the row as a whole) are reported and left out (``skipped``)."""

    def __init__(self, plan: Plan, rows: Iterable[Row], issues: Issues) -> None:
        self.plan = plan
        self.rows = rows
        self.issues = issues
        self.skipped = 0
        # Names are loaded as they are, with a warning where a word mixes alphabets.
        self.name_columns = [
            (f.name, position)
            for position, f in enumerate(plan.fields)
            if f.kind == "name" and plan.indexes[position] is not None
        ]

    def __iter__(self) -> Iterator[tuple[int, list]]:
        indexes = self.plan.indexes
        used = {i for i in indexes if i is not None}
        header = self.plan.info.header
        for row in self.rows:
            if row.problems:
                relevant = [p for p in row.problems if p[0] is None or p[0] in used]
                if relevant:
                    for index, value, message in relevant:
                        column = header[index] if index is not None else ""
                        self.issues.add(row.number, column, value, message)
                    self.skipped += 1
                    continue
            values = row.values
            mapped = [
                (self.plan.generated_key(row.number) if i == GENERATED else values[i].strip())
                if i is not None
                else None
                for i in indexes
            ]
            for name, position in self.name_columns:
                text = mapped[position]
                if text and v.mixes_scripts(text):
                    column = self.plan.column(name)
                    self.issues.add(row.number, column, text, v.m_mixed_scripts(), warning=True)
            yield row.number, mapped


# --- The driver -------------------------------------------------------------------------------


def strategy_for(name: str | None = None) -> type[Loader]:
    """The loader for this database: COPY and set-based SQL on PostgreSQL, else portable."""
    name = name or getattr(settings, "IMPORT_STRATEGY", "")
    if not name:
        name = "postgres" if connection.vendor == "postgresql" else "portable"
    if name == "postgres":
        return PostgresLoader
    return PortableLoader


def execute(
    *,
    batch: ImportBatch,
    actor: Actor,
    progress: Progress = no_progress,
    strategy: str | None = None,
) -> dict[str, Any]:
    """Run one import to its end: loaded, rejected (problems found) or failed (an error),
    holding the batch's lock meanwhile (liveness.py: a batch running without it is stale)."""
    with liveness.held(batch.pk) as mine:
        if not mine:
            raise DomainError(
                "import_running",
                _("This import is running in another process; follow its progress instead."),
                status=409,
            )
        return _execute(batch=batch, actor=actor, progress=progress, strategy=strategy)


def _execute(
    *, batch: ImportBatch, actor: Actor, progress: Progress, strategy: str | None
) -> dict[str, Any]:
    reporter = Reporter(progress)
    ImportIssue.objects.filter(batch=batch).delete()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING,
        total_rows=0,
        error_rows=0,
        inserted=0,
        updated=0,
        finished_at=None,
    )
    batch.refresh_from_db()
    issues = Issues(batch)
    loader: Loader | None = None
    try:
        reporter(0, _("Reading the file"))
        plan = make_plan(batch, actor)
        loader = strategy_for(strategy)(plan, issues, reporter)
        position = Position()
        rows = MappedRows(plan, read_rows(Path(batch.file.path), plan.info, position), issues)
        total = loader.stage(rows, position) + rows.skipped
        issues.flush()
        reporter(READ_SHARE, _("Checking %(rows)s rows") % {"rows": count_text(total)})
        loader.validate()
        issues.flush()
        errors = loader.error_rows()
        batch.total_rows, batch.error_rows = total, errors
        if plan.rejects(total=total, errors=errors):
            return _reject(batch, actor, reporter, issues)
        reporter(CHECK_SHARE, _("Loading %(rows)s rows") % {"rows": count_text(total - errors)})
        with reporter.transaction():
            counts = loader.load()
            _finish(batch, actor, counts, loader.name)
        reporter(1000, _("Loaded"))
        return result_of(batch, counts)
    except FileRejected as exc:
        # The file as a whole is refused: that one problem is the report.
        issues.buffer.clear()
        ImportIssue.objects.filter(batch=batch).delete()
        issues.add(exc.row, "", "", str(exc.message))
        issues.flush()
        batch.error_rows = max(batch.error_rows, 1)
        return _reject(batch, actor, reporter, issues)
    except Exception:
        logger.exception("Import %s failed", batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    finally:
        if loader is not None:
            loader.close()


@transaction.atomic
def _reject(batch: ImportBatch, actor: Actor, reporter: Reporter, issues: Issues) -> dict:
    batch.status = ImportStatus.REJECTED
    batch.inserted = batch.updated = 0
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=["status", "total_rows", "error_rows", "inserted", "updated", "finished_at"]
    )
    audit.record(
        actor=actor,
        action=IMPORT_REJECTED,
        obj=batch,
        data={
            "entity": batch.entity,
            "mode": batch.mode,
            "rows": batch.total_rows,
            "error_rows": batch.error_rows,
            "problems": issues.count,
        },
    )
    reporter(
        1000, _("Rejected: %(rows)s rows have problems") % {"rows": count_text(batch.error_rows)}
    )
    return result_of(batch, Counts())


def _finish(batch: ImportBatch, actor: Actor, counts: Counts, path: str) -> None:
    batch.status = ImportStatus.LOADED
    batch.inserted, batch.updated = counts.inserted, counts.updated
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=["status", "total_rows", "error_rows", "inserted", "updated", "finished_at"]
    )
    # One entry for the whole batch; the file, its checksum and the batch's problems say row
    # by row what it held. Renamed people also get their own entry (services.py's rule).
    audit.record(
        actor=actor,
        action=IMPORT_LOADED,
        obj=batch,
        data={
            "entity": batch.entity,
            "mode": batch.mode,
            "file": batch.original_name,
            "sha256": batch.sha256,
            "rows": batch.total_rows,
            "error_rows": batch.error_rows,
            "inserted": counts.inserted,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "path": path,
            **counts.extra,
            "institution": batch.institution.code if batch.institution else "",
        },
    )


def result_of(batch: ImportBatch, counts: Counts) -> dict[str, Any]:
    return {
        "batch": batch.pk,
        "status": batch.status,
        "rows": batch.total_rows,
        "error_rows": batch.error_rows,
        "inserted": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        **counts.extra,
    }
