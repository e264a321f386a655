"""The background task of an import, and a progress sink that stays visible while the load
transaction is open.

Why a sink of its own: core's JobProgress writes the Job row through the default connection.
Inside the load transaction such a write would stay invisible (and hold the row locked) until
the commit, so the bar would stand still for the longest phase. While the loader says its
transaction is open (``transaction_started`` … ``transaction_ended``), this sink writes:

- on PostgreSQL, through a **second connection** in autocommit (with a short lock timeout, so
  that it can never wait on the load; the load never touches the Job row);
- on SQLite, which has one writer at a time, nowhere: the latest value is kept and written
  when the transaction ends. The phases before the load (reading and checking, most of the
  time on SQLite) still report as they go.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from opora.core.actors import SYSTEM
from opora.core.jobs import Progress, declare_job_kind, run_job
from opora.core.models import Job

from ..models import ImportBatch
from . import services

logger = logging.getLogger(__name__)


class ImportJobProgress:
    def __init__(self, job_id: Any, outside: Progress, min_interval: float = 0.5) -> None:
        self.job_id = job_id
        self.outside = outside
        self.min_interval = min_interval
        self.inside = False
        self.side: Any = None
        self.pending: tuple[int, int, str] | None = None
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.inside:
            self.outside(done, total, message)
            return
        self.pending = (done, total, message)
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        if self.side is not None:
            self._write_side(done, total, message)

    def transaction_started(self) -> None:
        self.inside = True
        if connection.vendor == "postgresql":
            try:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
            except Exception:
                logger.warning("No second connection for import progress", exc_info=True)
                self.side = None

    def _write_side(self, done: int, total: int, message: str) -> None:
        try:
            with self.side.cursor() as cursor:
                # The table's own name; the values are parameters.
                sql = f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s "  # noqa: S608
                cursor.execute(sql + "WHERE id = %s", [done, total, message[:300], self.job_id])
        except Exception:
            logger.warning("Import progress not written", exc_info=True)
            self._close_side()

    def _close_side(self) -> None:
        if self.side is not None:
            try:
                self.side.close()
            except Exception:  # pragma: no cover - closing a broken connection
                logger.debug("Closing the progress connection failed", exc_info=True)
            self.side = None

    def transaction_ended(self) -> None:
        self.inside = False
        self._close_side()
        if self.pending is not None:
            self.outside(*self.pending)
            self.pending = None


@task()
def import_file(job_id: str) -> dict:
    def work(job: Job, progress: Progress) -> dict:
        batch = ImportBatch.objects.get(pk=job.params["batch"])
        actor = job.created_by or SYSTEM
        language = getattr(actor, "preferred_language", "") or None
        with translation.override(language) if language else contextlib.nullcontext():
            return services.import_run(
                actor=actor, batch=batch, progress=ImportJobProgress(job.pk, progress)
            )

    return run_job(job_id, work)


IMPORT_JOB = declare_job_kind(
    services.JOB_KIND,
    _("Importing a registry file"),
    import_file,
    on_failure=services.import_fail_job,
)
