"""Background jobs: a Job row per long piece of work, run by a task that takes its primary key.

The same work function runs from the CLI (with a terminal progress bar) and from a task (with
a progress bar in the UI that polls the Job row).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .actors import Actor
from .audit_actions import JOB_ABANDONED, JOB_RECLAIMED, JOB_STARTED
from .errors import DomainError
from .job_kinds import JobKind, declare_job_kind, job_kind, kind_label
from .models import Job, JobStatus

# The kinds live in their own module (the audit sentences name them); the apps declare theirs
# through this one, with the jobs.
__all__ = [
    "ACTIVE",
    "JobKind",
    "JobProgress",
    "Progress",
    "declare_job_kind",
    "job_abandon",
    "job_kind",
    "job_start",
    "jobs_reclaim",
    "kind_label",
    "no_progress",
    "run_job",
]

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress sink for work run where nobody watches."""


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


@transaction.atomic
def job_start(
    *, actor: Actor, kind: str, params: dict | None = None, exclusive_key: str = ""
) -> Job:
    """Create the job and enqueue its task once the transaction commits.

    Jobs with the same ``exclusive_key`` (the kind itself for exclusive kinds) never run at
    once; the database enforces it, so two simultaneous starts cannot both succeed.
    """
    declared = job_kind(kind)
    if declared is None:
        raise DomainError("unknown_job", _("Unknown kind of job."))
    key = exclusive_key or (kind if declared.exclusive else "")
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                params=params or {},
                exclusive_key=key,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        running = Job.objects.filter(exclusive_key=key, status__in=ACTIVE).first()
        raise DomainError(
            "job_already_running",
            _("This job is already running; follow its progress instead."),
            details={"job": [str(running.pk)] if running else []},
            status=409,
        ) from None
    audit.record(actor=actor, action=JOB_STARTED, obj=job, data={"label": kind})
    task = declared.task

    def enqueue() -> None:
        result = task.enqueue(job_id=str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def worker_name() -> str:
    """This process, as a job's ``worker`` names it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:255]


def _process_alive(worker: str) -> bool | None:
    """Whether the process a job's ``worker`` names still runs: None when it runs on another
    host (only its heartbeat can tell)."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


class JobProgress:
    """The progress sink of a running job, and its heartbeat.

    The work only hands its progress over; a companion thread writes it to the Job row (at
    most every ``min_interval``) and touches ``heartbeat_at`` every JOB_HEARTBEAT_SECONDS, on
    the thread's **own database connection** (Django's connections are per thread). So:

    - on PostgreSQL, a COPY or a long transaction of the work never blocks the progress nor is
      broken by it, and the page sees each value as it is written (autocommit);
    - on SQLite, which has one writer at a time, a write of the thread waits while the work
      holds the write lock, but it waits in the thread, never in the work, and only briefly
      (``_SQLITE_BUSY_MS``): a beat skipped is retried, and the value still pending is written
      when the work's transaction ends. The reclaim does not fail a job whose worker process is
      seen alive on the same host, so a long SQLite transaction does not cost the job.

    Run inside an outer transaction (a test, a service calling ``run_job``) the job's row is
    not committed, so another connection could not see it: the sink then writes inline, on the
    work's connection, as it always did.
    """

    _SQLITE_BUSY_MS = 200

    def __init__(
        self, job_id: Any, min_interval: float = 0.5, *, heartbeat: float | None = None
    ) -> None:
        self.job_id = job_id
        self.min_interval = min_interval
        self.heartbeat = heartbeat or settings.JOB_HEARTBEAT_SECONDS
        self._lock = threading.Lock()
        self._pending: tuple[int, int, str] | None = None
        self._last = 0.0
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        if not transaction.get_connection().in_atomic_block:
            self._thread = threading.Thread(
                target=self._run, name=f"opora-job-{job_id}", daemon=True
            )
            self._thread.start()

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if self._thread is None:
            now = time.monotonic()
            if now - self._last < self.min_interval and done < total:
                return
            self._last = now
            self._write((done, total, message))
            return
        with self._lock:
            self._pending = (done, total, message[:300])

    def stop(self) -> None:
        """End the heartbeat once the work has returned, and write the last progress."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
        # What the thread could not write (the database was locked at its last turn) is
        # written here, on the caller's connection: the work is over, nothing holds it.
        pending = self._take()
        if pending is not None:
            self._write(pending)

    def _take(self) -> tuple[int, int, str] | None:
        with self._lock:
            pending, self._pending = self._pending, None
        return pending

    def _write(self, progress: tuple[int, int, str] | None) -> None:
        now = timezone.now()
        fields: dict[str, Any] = {"heartbeat_at": now}
        if progress is not None:
            done, total, message = progress
            fields.update(done=done, total=total, message=message[:300], progress_at=now)
        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(**fields)

    def _run(self) -> None:
        last_beat = time.monotonic()
        written: tuple[int, int, str] | None = None
        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {self._SQLITE_BUSY_MS}")
            while True:
                stopping = self._stopped.wait(self.min_interval)
                pending = self._take()
                if pending == written:  # the same again is no progress, only a beat
                    pending = None
                due = time.monotonic() - last_beat >= self.heartbeat
                if pending is not None or due:
                    try:
                        self._write(pending)
                        last_beat = time.monotonic()
                        written = pending or written
                    except DatabaseError:
                        # Locked (SQLite) or a passing connection failure: keep the value for
                        # the next turn, or for ``stop`` after the last one.
                        logger.debug("Job %s progress not written yet", self.job_id, exc_info=True)
                        with self._lock:
                            if self._pending is None:
                                self._pending = pending
                if stopping:
                    return
        finally:
            connection.close()


def run_job(job_id: Any, work: Callable[[Job, Progress], dict]) -> dict:
    """Run ``work`` for a job once. A finished job is not run again (tasks may be redelivered)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress_at=now,
        worker=worker_name(),
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        logger.info("Job %s is %s; not running it again", job_id, job.status)
        return job.result
    source = audit.current_source.set("task")
    progress = JobProgress(job.pk)
    try:
        try:
            result = work(job, progress) or {}
        finally:
            progress.stop()
    except Exception as exc:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            message=str(getattr(exc, "message", exc))[:300],
        )
        raise
    finally:
        audit.current_source.reset(source)
    # A job stopped by an administrator meanwhile stays stopped.
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED, finished_at=timezone.now(), result=result
    )
    return result


@transaction.atomic
def job_abandon(*, actor: Actor, job: Job, reason: str) -> Job:
    """Mark a job that will not finish (its worker died, its queue lost it) as failed, which
    also frees its kind for a new start."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status not in ACTIVE:
        raise DomainError("job_finished", _("This job has already finished."), status=409)
    if not reason.strip():
        raise DomainError(
            "reason_required",
            _("Say why the job is stopped."),
            details={"reason": [_("This field is required.")]},
        )
    _fail(job, actor=actor, action=JOB_ABANDONED, reason=reason.strip())
    return job


@transaction.atomic
def jobs_reclaim(*, actor: Actor) -> list[Job]:
    """Fail the running jobs whose heartbeat stopped more than JOB_RECLAIM_AFTER_SECONDS ago:
    their worker died (killed, its machine restarted) and nothing else will finish them.

    Each is failed as ``job_abandon`` fails it, with its kind's ``on_failure`` and an audit
    entry, which frees its kind for a new start. A job whose worker process is seen alive on
    this host is left running: it is silent (its heartbeat waits on SQLite's write lock), not
    dead. Run by the worker on start and every minute, and by ``opora_worker_reclaim``.
    """
    limit = timezone.now() - timedelta(seconds=settings.JOB_RECLAIM_AFTER_SECONDS)
    silent = (
        Job.objects.select_for_update(skip_locked=True)
        .filter(status=JobStatus.RUNNING)
        .filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit))
    )
    reclaimed = []
    for job in silent:
        if _process_alive(job.worker):
            continue
        last_sign = job.heartbeat_at or job.started_at
        _fail(
            job,
            actor=actor,
            action=JOB_RECLAIMED,
            reason=(
                f"No heartbeat from its worker {job.worker or '?'} since "
                f"{last_sign.isoformat() if last_sign else '?'}; failed by the reclaim."
            ),
        )
        reclaimed.append(job)
    return reclaimed


def _fail(job: Job, *, actor: Actor, action: str, reason: str) -> None:
    """Mark a locked, active job failed from outside its work, record why, and let its kind
    leave what the work half-did restartable, all in the caller's transaction."""
    before = job.status
    job.status = JobStatus.FAILED
    job.finished_at = timezone.now()
    job.message = ""  # who stopped it and why is in the audit entry and in ``error``
    job.error = reason[:2000]
    job.save(update_fields=["status", "finished_at", "message", "error"])
    audit.record(
        actor=actor,
        action=action,
        obj=job,
        reason=reason,
        changes={"status": [before, job.status]},
        data={"label": job.kind},
    )
    declared = job_kind(job.kind)
    if declared is not None and declared.on_failure is not None:
        declared.on_failure(job)
