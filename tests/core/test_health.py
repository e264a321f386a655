"""The health check: cheap (the migration graph built once per process) and truthful (a worker
whose job does not move is not "ok")."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.core import selectors
from opora.core.management.commands.opora_worker import Heartbeat
from opora.core.models import Job, JobStatus


@pytest.fixture
def fresh_migration_check(monkeypatch):
    """Forget the process's cached migration check, and count the graphs built."""
    monkeypatch.setattr(selectors, "_migrations_checked", None)
    built = []

    def counting(*args, **kwargs):
        built.append(1)
        return MigrationExecutor(*args, **kwargs)

    monkeypatch.setattr(selectors, "MigrationExecutor", counting)
    return built


def running_job(**fields):
    now = timezone.now()
    defaults = {"started_at": now, "heartbeat_at": now, "progress_at": now, "worker": "w:1"}
    return Job.objects.create(kind="demo.load", status=JobStatus.RUNNING, **{**defaults, **fields})


def test_the_migration_graph_is_built_once_per_process(db, client, fresh_migration_check):
    for _ in range(3):
        assert client.get("/api/v1/health").json()["migrations"] == "ok"
    assert len(fresh_migration_check) == 1


def test_the_migration_check_is_redone_after_its_ttl(db, settings, fresh_migration_check):
    selectors.health()
    settings.HEALTH_MIGRATIONS_TTL_SECONDS = 0
    selectors.health()
    assert len(fresh_migration_check) == 2


def test_a_pending_migration_is_reported_and_rechecked_soon(db, monkeypatch, fresh_migration_check):
    plan = [(type("M", (), {"app_label": "core", "name": "0099_future"})(), False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: plan)
    report = selectors.health()
    assert report["status"] == "error" and report["pending_migrations"] == ["core.0099_future"]
    # A pending state is not kept for the whole TTL: the deployment's migrate ends it.
    checked_at, pending = selectors._migrations_checked
    monkeypatch.setattr(
        selectors, "_migrations_checked", (checked_at - selectors._PENDING_RECHECK_SECONDS, pending)
    )
    selectors.health()
    assert len(fresh_migration_check) == 2


def test_a_job_without_progress_makes_the_worker_stuck(db, client, settings):
    Heartbeat("worker-1", "django_tasks_db").beat()
    settings.JOB_STUCK_AFTER_SECONDS = 600
    moving = running_job()
    stuck = running_job(progress_at=timezone.now() - dt.timedelta(seconds=601))
    body = client.get("/api/v1/health").json()
    assert body["worker"] == "stuck" and body["status"] == "degraded"
    assert body["stuck_jobs"] == [str(stuck.pk)]
    assert str(moving.pk) not in body["stuck_jobs"]


def test_a_silent_job_makes_the_worker_stuck_even_with_a_fresh_worker_heartbeat(
    db, client, settings
):
    Heartbeat("worker-1", "django_tasks_db").beat()
    settings.JOB_RECLAIM_AFTER_SECONDS = 120
    silent = running_job(heartbeat_at=timezone.now() - dt.timedelta(seconds=121))
    assert silent.trouble == "silent"
    body = client.get("/api/v1/health").json()
    assert (body["worker"], body["stuck_jobs"]) == ("stuck", [str(silent.pk)])


def test_finished_and_moving_jobs_leave_the_worker_ok(db, client, settings):
    Heartbeat("worker-1", "django_tasks_db").beat()
    long_ago = timezone.now() - dt.timedelta(days=1)
    running_job()
    Job.objects.create(kind="demo.load", status=JobStatus.FAILED, progress_at=long_ago)
    body = client.get("/api/v1/health").json()
    assert (body["worker"], body["status"], body["stuck_jobs"]) == ("ok", "ok", [])


def test_an_unreachable_database_is_an_error(db, client, monkeypatch):
    from django.db import OperationalError

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "jobs_in_trouble", refused)
    monkeypatch.setattr(selectors, "_unreachable", lambda: True)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_the_health_check_costs_two_queries(db, client, fresh_migration_check):
    client.get("/api/v1/health")  # the migration check, once per process
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/health")
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 2, statements  # the freshest heartbeat, the running jobs
