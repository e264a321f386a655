"""Background jobs: a Job row per long piece of work, run by a task that takes its primary key.

The same work function runs from the CLI (with a terminal progress bar) and from a task (with
a progress bar in the UI that polls the Job row).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .actors import Actor
from .audit_actions import JOB_ABANDONED, JOB_STARTED
from .errors import DomainError
from .job_kinds import JobKind, declare_job_kind, job_kind, kind_label
from .models import Job, JobStatus

# The kinds live in their own module (the audit sentences name them); the apps declare theirs
# through this one, with the jobs.
__all__ = [
    "ACTIVE",
    "JobKind",
    "Progress",
    "declare_job_kind",
    "job_abandon",
    "job_kind",
    "job_start",
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


class JobProgress:
    """Writes progress to the Job row, at most a few times a second."""

    def __init__(self, job_id: Any, min_interval: float = 0.5) -> None:
        self.job_id = job_id
        self.min_interval = min_interval
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        Job.objects.filter(pk=self.job_id).update(done=done, total=total, message=message[:300])


def run_job(job_id: Any, work: Callable[[Job, Progress], dict]) -> dict:
    """Run ``work`` for a job once. A finished job is not run again (tasks may be redelivered)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        logger.info("Job %s is %s; not running it again", job_id, job.status)
        return job.result
    source = audit.current_source.set("task")
    try:
        result = work(job, JobProgress(job.pk)) or {}
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
    before = job.status
    job.status = JobStatus.FAILED
    job.finished_at = timezone.now()
    job.message = ""  # who stopped it and why is in the audit entry and in ``error``
    job.error = reason.strip()[:2000]
    job.save(update_fields=["status", "finished_at", "message", "error"])
    audit.record(
        actor=actor,
        action=JOB_ABANDONED,
        obj=job,
        reason=reason.strip(),
        changes={"status": [before, job.status]},
        data={"label": job.kind},
    )
    return job
