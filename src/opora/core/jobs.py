"""Background jobs: a Job row per long piece of work, run by a task that takes its primary key.

The same work function runs from the CLI (with a terminal progress bar) and from a task (with
a progress bar in the UI that polls the Job row).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .audit_actions import JOB_STARTED
from .errors import DomainError
from .models import Job, JobStatus

logger = logging.getLogger(__name__)


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress sink for work run where nobody watches."""


@dataclass(frozen=True)
class JobKind:
    code: str
    label: Any
    task: Any  # a django_tasks Task taking job_id


_KINDS: dict[str, JobKind] = {}


def declare_job_kind(code: str, label: Any, task: Any) -> JobKind:
    kind = JobKind(code=code, label=label, task=task)
    _KINDS[code] = kind
    return kind


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


@transaction.atomic
def job_start(*, actor: Any, kind: str, params: dict | None = None) -> Job:
    """Create the job and enqueue its task once the transaction commits."""
    if kind not in _KINDS:
        raise DomainError("unknown_job", _("Unknown kind of job."))
    running = Job.objects.filter(kind=kind, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if running.exists():
        raise DomainError(
            "job_already_running",
            _("This job is already running; follow its progress instead."),
            details={"job": [str(running.first().pk)]},
            status=409,
        )
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action=JOB_STARTED, obj=job, data={"label": kind_label(kind)})
    task = _KINDS[kind].task

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
    try:
        result = work(job, JobProgress(job.pk)) or {}
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            message=str(getattr(exc, "message", exc))[:300],
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, finished_at=timezone.now(), result=result
    )
    return result
