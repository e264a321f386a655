"""The background eligibility run: a task taking the job's primary key."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from opora.core.actors import SYSTEM
from opora.core.jobs import declare_job_kind, run_job

from .models import EligibilityRun, RunStatus
from .services.runs import RUN_JOB_KIND, run_execute, run_mark_failed


@task()
def evaluate_registry(job_id: str) -> dict:
    def work(job, progress):
        run = EligibilityRun.objects.get(pk=job.params["run"])
        if run.status == RunStatus.DONE:  # a redelivered task: the run is done
            return {"run": run.pk, "evaluated": run.evaluated, "eligible": run.eligible}
        return run_execute(run=run, actor=job.created_by or SYSTEM, progress=progress)

    return run_job(job_id, work)


def _failed(job) -> None:
    run_mark_failed(job.params.get("run"), job.error or str(job.message))


RUN_JOB = declare_job_kind(
    RUN_JOB_KIND,
    _("Evaluating a measure over the whole registry"),
    evaluate_registry,
    on_failure=_failed,
)
