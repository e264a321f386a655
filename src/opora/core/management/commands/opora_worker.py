"""The task worker with a heartbeat that /api/v1/health reports."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from opora.core.actors import SYSTEM
from opora.core.jobs import jobs_reclaim
from opora.core.models import WorkerHeartbeat
from opora.core.registry import chores

logger = logging.getLogger(__name__)


# How often the worker fails the jobs whose own heartbeat stopped (see jobs.jobs_reclaim).
RECLAIM_EVERY_SECONDS = 60


class Heartbeat(threading.Thread):
    """The worker's heartbeat, which also reclaims the jobs of dead workers now and then."""

    def __init__(self, worker_id: str, backend: str) -> None:
        super().__init__(name="opora-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.backend = backend
        self.stopped = threading.Event()
        self.last_reclaim = time.monotonic()
        self.chores_done_at: dict[str, float] = {}

    def run_chores(self) -> None:
        """The apps' chores that are due (each on start, then every its interval); one that
        fails is logged and tried again at its next turn."""
        now = time.monotonic()
        for chore in chores():
            done_at = self.chores_done_at.get(chore.key)
            if done_at is not None and now - done_at < chore.every_seconds:
                continue
            self.chores_done_at[chore.key] = now
            try:
                chore.run()
            except Exception:
                logger.warning("The chore %s failed", chore.key, exc_info=True)

    def reclaim(self) -> None:
        reclaimed = jobs_reclaim(actor=SYSTEM)
        if reclaimed:
            logger.warning(
                "Failed %d job(s) whose worker stopped answering: %s",
                len(reclaimed),
                ", ".join(str(job.pk) for job in reclaimed),
            )
        self.last_reclaim = time.monotonic()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "backend": self.backend,
                "last_seen_at": timezone.now(),
            },
            create_defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "backend": self.backend,
            },
        )

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                self.beat()
                if time.monotonic() - self.last_reclaim >= RECLAIM_EVERY_SECONDS:
                    self.reclaim()
                self.run_chores()
            except Exception:  # a missed beat must not stop the worker
                logger.warning("Worker heartbeat failed", exc_info=True)
            finally:
                connection.close()
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)


class Command(BaseCommand):
    help = "Run the Opora task worker (the database queue, or RQ when OPORA_TASKS_URL is set)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting now, then exit."
        )
        parser.add_argument("--queue", default="default", help="Queue to work on.")

    def handle(self, *, batch: bool, queue: str, verbosity: int, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"
        heartbeat = Heartbeat(worker_id, backend)
        heartbeat.beat()
        # Jobs a killed worker left running are failed before new work is taken.
        heartbeat.reclaim()
        heartbeat.start()
        self.stdout.write(f"Opora worker {worker_id} on {backend.rsplit('.', 1)[-1]}")
        try:
            if settings.TASKS_USE_RQ:
                call_command(
                    "rqworker",
                    queue,
                    job_class="django_tasks_rq.backend.Job",
                    burst=batch,
                    verbosity=verbosity,
                )
            else:
                call_command(
                    "db_worker",
                    queue_name=queue,
                    batch=batch,
                    reload=False,
                    worker_id=worker_id[:64],
                    startup_delay=False,
                    verbosity=verbosity,
                )
        finally:
            heartbeat.stopped.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
