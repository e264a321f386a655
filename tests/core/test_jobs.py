import pytest
from django.core.management import call_command
from django.urls import reverse

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.jobs import job_start, run_job
from opora.core.models import AuditEntry, Job, JobStatus, User, WorkerHeartbeat
from opora.institutions.models import Institution


def start_demo_job(actor, capture):
    with capture(execute=True):
        return job_start(actor=actor, kind="demo.load")


@pytest.mark.django_db(transaction=True)
def test_the_demo_job_runs_on_the_worker_and_reports_progress(admin_user):
    # A real commit, so the task is enqueued as in production and the worker claims it.
    job = job_start(actor=admin_user, kind="demo.load")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_result_id
    assert AuditEntry.objects.filter(action="core.job.started", object_id=str(job.pk)).exists()

    call_command("opora_worker", batch=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.percent == 100 and job.done == job.total > 0
    assert "institutions" in job.result["steps"]
    assert Institution.objects.filter(code="crisis-centre-women-children").exists()
    # The worker removes its heartbeat when it stops.
    assert not WorkerHeartbeat.objects.exists()


def test_a_finished_job_is_not_run_again(admin_user, django_capture_on_commit_callbacks):
    job = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    calls = []

    def work(job, progress):
        calls.append(job.pk)
        progress(1, 1)
        return {"ok": True}

    assert run_job(job.pk, work) == {"ok": True}
    assert run_job(job.pk, work) == {"ok": True}
    assert len(calls) == 1


def test_a_failing_job_is_marked_failed_with_its_message(
    admin_user, django_capture_on_commit_callbacks
):
    job = start_demo_job(admin_user, django_capture_on_commit_callbacks)

    def work(job, progress):
        raise ValueError("the file has no header row")

    with pytest.raises(ValueError):
        run_job(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "no header row" in job.message and job.finished_at is not None


def test_the_same_job_cannot_be_started_twice_at_once(
    admin_user, django_capture_on_commit_callbacks
):
    first = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as error:
        start_demo_job(admin_user, django_capture_on_commit_callbacks)
    assert error.value.status == 409
    assert error.value.details["job"] == [str(first.pk)]
    assert Job.objects.count() == 1


def test_the_job_page_polls_its_progress_fragment(
    login, admin_user, django_capture_on_commit_callbacks
):
    job = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    client = login(admin_user)
    page = client.get(reverse("core:job", args=[job.pk]))
    assert 'hx-trigger="every 1s"' in page.content.decode()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=3, total=4)
    fragment = client.get(
        reverse("core:job", args=[job.pk]),
        headers={"HX-Request": "true", "HX-Target": "job-progress"},
    )
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'value="75"' in body and "every 1s" in body
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=4)
    done = client.get(
        reverse("core:job", args=[job.pk]),
        headers={"HX-Request": "true", "HX-Target": "job-progress"},
    )
    assert "every 1s" not in done.content.decode()  # polling stops when the job is finished


def test_someone_elses_job_is_not_found(
    login, admin_user, worker_a, django_capture_on_commit_callbacks
):
    job = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    client = login(worker_a)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    listing = client.get(reverse("core:jobs"))
    assert listing.context["table"].page.paginator.count == 0


def test_only_administrators_start_the_demo_load(
    login, worker_a, admin_user, django_capture_on_commit_callbacks
):
    assert login(worker_a).post(reverse("demo:load")).status_code == 403
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin_user).post(reverse("demo:load"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("demo_load", verbosity=0, quiet_logins=True)
    counts = (Institution.objects.count(), User.objects.count(), AuditEntry.objects.count())
    call_command("demo_load", verbosity=0, quiet_logins=True)
    assert (Institution.objects.count(), User.objects.count(), AuditEntry.objects.count()) == counts
    assert counts[0] >= 15
    assert set(User.objects.values_list("role", flat=True)) >= {
        "administrator",
        "analyst",
        "institution_manager",
        "social_worker",
        "employment_specialist",
        "cooperation_officer",
    }


def test_an_administrator_stops_a_stuck_job_and_may_start_it_again(
    login, admin_user, django_capture_on_commit_callbacks
):
    stuck = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    Job.objects.filter(pk=stuck.pk).update(status=JobStatus.RUNNING)
    client = login(admin_user)
    refused = client.post(reverse("core:job_abandon", args=[stuck.pk]), {"reason": " "})
    assert refused.status_code == 302
    assert Job.objects.get(pk=stuck.pk).status == JobStatus.RUNNING  # a reason is required

    client.post(reverse("core:job_abandon", args=[stuck.pk]), {"reason": "worker crashed"})
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and stuck.error == "worker crashed"
    entry = AuditEntry.objects.get(action="core.job.abandoned")
    assert entry.reason == "worker crashed" and entry.changes == {"status": ["running", "failed"]}
    again = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    assert again.pk != stuck.pk


def test_a_job_stopped_meanwhile_is_not_marked_finished_by_its_worker(
    admin_user, django_capture_on_commit_callbacks
):
    from opora.core.jobs import job_abandon

    job = start_demo_job(admin_user, django_capture_on_commit_callbacks)

    def work(job, progress):
        job_abandon(actor=admin_user, job=job, reason="taking too long")
        return {"ok": True}

    run_job(job.pk, work)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_only_administrators_stop_jobs(
    login, worker_a, admin_user, django_capture_on_commit_callbacks
):
    job = start_demo_job(worker_a, django_capture_on_commit_callbacks)
    response = login(worker_a).post(reverse("core:job_abandon", args=[job.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_demo_data_is_refused_in_production(db, settings):
    from opora.demo.loading import DemoContext, load

    settings.PRODUCTION = True
    with pytest.raises(DomainError) as error:
        load(DemoContext(actor=SYSTEM))
    assert error.value.code == "demo_in_production"
    assert not User.objects.exists()
