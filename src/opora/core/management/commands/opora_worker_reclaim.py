"""Fail the running jobs whose worker stopped answering (the worker also does it by itself)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opora.core.actors import SYSTEM
from opora.core.audit import current_source
from opora.core.jobs import jobs_reclaim


class Command(BaseCommand):
    help = (
        "Fail the running background jobs whose heartbeat stopped more than "
        "OPORA_JOB_RECLAIM_AFTER_SECONDS ago, so that they can be started again."
    )

    def handle(self, **options):
        source = current_source.set("cli")
        try:
            reclaimed = jobs_reclaim(actor=SYSTEM)
        finally:
            current_source.reset(source)
        for job in reclaimed:
            self.stdout.write(f"Failed {job.kind} {job.pk}: {job.error}")
        if not reclaimed and options["verbosity"] > 0:
            self.stdout.write("No job to reclaim.")
