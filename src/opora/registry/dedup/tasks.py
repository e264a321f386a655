"""The background search for duplicates: a task taking the job's primary key."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from opora.core.actors import SYSTEM
from opora.core.jobs import declare_job_kind, run_job

from ..models import DedupRun
from .services import JOB_KIND, dedup_execute


@task()
def search_duplicates(job_id: str) -> dict:
    def work(job, progress):
        run = DedupRun.objects.get(pk=job.params["run"])
        if run.finished_at is not None:  # a redelivered task: the search is done
            return {"run": run.pk, "candidates": run.candidates}
        return dedup_execute(run=run, actor=job.created_by or SYSTEM, progress=progress)

    return run_job(job_id, work)


DEDUP_JOB = declare_job_kind(
    JOB_KIND,
    _("Searching the registry for duplicates"),
    search_duplicates,
    exclusive=True,
)
