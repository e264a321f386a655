from django.utils.translation import gettext_lazy as _
from django_tasks import task

from opora.core.actors import SYSTEM
from opora.core.jobs import declare_job_kind, run_job

from .loading import DemoContext, load


@task()
def load_demo_data(job_id: str) -> dict:
    def work(job, progress):
        result = load(DemoContext(actor=job.created_by or SYSTEM, progress=progress))
        # Passwords are printed by the CLI only; a job result is visible in the UI.
        return {"steps": result["steps"], "accounts": [a["username"] for a in result["accounts"]]}

    return run_job(job_id, work)


DEMO_JOB = declare_job_kind("demo.load", _("Loading the demo data"), load_demo_data, exclusive=True)
