"""The payroll generated in the background: a task taking the job's primary key, generating
the month's payroll and checking it."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from opora.core.actors import SYSTEM
from opora.core.jobs import declare_job_kind, run_job

from .services import GENERATE_JOB, payroll_generate_and_check


@task()
def generate_payroll(job_id: str) -> dict:
    def work(job, progress):
        month = dt.date.fromisoformat(job.params["month"])
        return payroll_generate_and_check(
            actor=job.created_by or SYSTEM, month=month, progress=progress
        )

    return run_job(job_id, work)


PAYROLL_JOB = declare_job_kind(GENERATE_JOB, _("Generating a payroll"), generate_payroll)
