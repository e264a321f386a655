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

    # Loading the demo again, from the command line this time, changes nothing (one test for
    # both: each load of the whole demo costs tens of seconds).
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


def demo_kind_with_on_failure(monkeypatch, on_failure):
    from dataclasses import replace

    from opora.core import job_kinds

    demo_kind = job_kinds.job_kind("demo.load")
    monkeypatch.setitem(job_kinds._KINDS, "demo.load", replace(demo_kind, on_failure=on_failure))


def test_abandoning_a_job_tells_its_kind_inside_the_same_transaction(
    admin_user, django_capture_on_commit_callbacks, monkeypatch
):
    from opora.core.jobs import job_abandon

    seen = []

    def on_failure(job):
        # Inside the abandon's transaction the row already says failed.
        seen.append(Job.objects.get(pk=job.pk).status)

    demo_kind_with_on_failure(monkeypatch, on_failure)
    job = start_demo_job(admin_user, django_capture_on_commit_callbacks)
    job_abandon(actor=admin_user, job=job, reason="worker crashed")
    assert seen == [JobStatus.FAILED]


# --- Heartbeat, progress on its own connection, reclaim ---------------------------------------


def wait_for(condition, seconds=10.0):
    """Poll until ``condition()`` holds: the job's companion thread writes on its own schedule."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def queued_job(actor):
    return Job.objects.create(kind="demo.load", created_by=actor)


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_work_holds_a_transaction_open(admin_user, settings):
    from django.db import connection, transaction

    job = queued_job(admin_user)
    seen = {}

    def work(job, progress):
        with transaction.atomic():
            Institution.objects.filter(pk=-1).update(name="x")  # the work now writes
            progress(5, 10, "half way")
            if connection.vendor == "postgresql":
                # Another connection reads it while this transaction is still open.
                seen["open"] = wait_for(lambda: Job.objects.get(pk=job.pk).done == 5)
        progress(10, 10, "done")
        return {}

    run_job(job.pk, work)
    job.refresh_from_db()
    assert (job.done, job.total, job.message, job.status) == (10, 10, "done", JobStatus.SUCCEEDED)
    assert job.progress_at is not None and job.worker
    if connection.vendor == "postgresql":
        assert seen["open"]


@pytest.mark.django_db(transaction=True)
def test_progress_during_a_copy_neither_breaks_nor_waits_for_it(admin_user):
    """The issue's hang: progress written through the connection that is in a COPY."""
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    job = queued_job(admin_user)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)

    def progress_seen_from_outside(done):
        with observer.cursor() as cursor:
            cursor.execute("SELECT done FROM core_job WHERE id = %s", [job.pk])
            return cursor.fetchone()[0] == done

    seen = {}

    def work(job, progress):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE staging (n integer)")
            with cursor.cursor.copy("COPY staging (n) FROM STDIN") as copy:
                for n in range(1000):
                    copy.write_row((n,))
                    if n == 500:
                        progress(500, 1000, "staging")
                        seen["during"] = wait_for(lambda: progress_seen_from_outside(500))
            cursor.execute("SELECT count(*) FROM staging")
            seen["rows"] = cursor.fetchone()[0]
        return {}

    try:
        run_job(job.pk, work)
    finally:
        observer.close()
    assert seen == {"during": True, "rows": 1000}
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_running_job_keeps_beating_without_reporting_progress(admin_user, settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.2
    job = queued_job(admin_user)
    beats = {}

    def work(job, progress):
        first = Job.objects.get(pk=job.pk).heartbeat_at
        beats["moved"] = wait_for(lambda: Job.objects.get(pk=job.pk).heartbeat_at > first)
        return {}

    run_job(job.pk, work)
    assert beats["moved"]
    # A beat is not progress: the job did not report any.
    job.refresh_from_db()
    assert job.progress_at == job.started_at


def silent_running_job(actor, *, worker, seconds_silent):
    from django.utils import timezone

    last = timezone.now() - timezone.timedelta(seconds=seconds_silent)
    job = queued_job(actor)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=last, heartbeat_at=last, worker=worker
    )
    return job


def test_the_reclaim_fails_jobs_whose_worker_is_gone_and_tells_their_kind(
    admin_user, settings, monkeypatch
):
    from opora.core.jobs import jobs_reclaim, worker_name

    settings.JOB_RECLAIM_AFTER_SECONDS = 120
    told = []
    demo_kind_with_on_failure(monkeypatch, lambda job: told.append(job.pk))
    gone = silent_running_job(admin_user, worker="another-host:4242", seconds_silent=121)
    beating = silent_running_job(admin_user, worker="another-host:4243", seconds_silent=30)
    # Silent, but its process is alive here (blocked on SQLite's lock, say): not dead.
    alive_here = silent_running_job(admin_user, worker=worker_name(), seconds_silent=600)

    reclaimed = jobs_reclaim(actor=SYSTEM)

    assert [job.pk for job in reclaimed] == [gone.pk] and told == [gone.pk]
    gone.refresh_from_db()
    assert gone.status == JobStatus.FAILED and "another-host:4242" in gone.error
    entry = AuditEntry.objects.get(action="core.job.reclaimed")
    assert entry.object_id == str(gone.pk) and entry.changes == {"status": ["running", "failed"]}
    assert Job.objects.get(pk=beating.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=alive_here.pk).status == JobStatus.RUNNING
    assert jobs_reclaim(actor=SYSTEM) == []  # the failed job is not failed twice


def test_a_process_that_ended_on_this_host_is_reclaimed(admin_user, settings):
    import socket
    import subprocess
    import sys

    from opora.core.jobs import jobs_reclaim

    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    worker = f"{socket.gethostname()}:{ended.stdout.strip()}"
    job = silent_running_job(admin_user, worker=worker, seconds_silent=3600)
    assert [j.pk for j in jobs_reclaim(actor=SYSTEM)] == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_the_worker_reclaims_on_start_so_the_kind_can_start_again(admin_user):
    stale = silent_running_job(admin_user, worker="gone-host:1", seconds_silent=3600)
    call_command("opora_worker", batch=True, verbosity=0)
    assert Job.objects.get(pk=stale.pk).status == JobStatus.FAILED
    again = job_start(actor=admin_user, kind="demo.load")  # exclusive kind: free again
    assert again.pk != stale.pk


def test_the_reclaim_command_reports_what_it_failed(admin_user):
    from io import StringIO

    stale = silent_running_job(admin_user, worker="gone-host:1", seconds_silent=3600)
    out = StringIO()
    call_command("opora_worker_reclaim", stdout=out)
    assert str(stale.pk) in out.getvalue()
    assert AuditEntry.objects.get(action="core.job.reclaimed").source == "cli"


def test_the_job_page_says_a_job_is_stuck_or_silent(login, admin_user, settings):
    from django.utils import timezone

    settings.JOB_STUCK_AFTER_SECONDS = 600
    job = silent_running_job(admin_user, worker="w:1", seconds_silent=0)
    client = login(admin_user)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'data-testid="job-trouble"' not in page
    Job.objects.filter(pk=job.pk).update(progress_at=timezone.now() - timezone.timedelta(hours=1))
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'data-testid="job-trouble"' in page
