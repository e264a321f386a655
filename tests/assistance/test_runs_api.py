"""The API of runs, what-ifs, the outreach worklist and one person's explanation: every
operation called by whom may call it; an analyst reads people by registry number, an
administrator by name; a social worker may not start a run (403); a worker of another
institution finds no task (404) and lists none; bad input is refused with nothing written; the
schema documents each operation with its error responses."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.api import api
from opora.assistance import services
from opora.assistance.models import EligibilityRun, Outreach, RunStatus
from opora.core.jobs import job_abandon
from opora.core.models import AuditEntry, Job
from opora.core.roles import Role

from .conftest import rows
from .runs_support import *  # noqa: F403 - the fixtures
from .runs_support import ON, done, draft_of

API = "/api/v1/assistance"
JSON = "application/json"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type=JSON)


def run_now(client, url, body, captured):
    """Start a run or a what-if and do its work: the job is queued when the request commits."""
    with captured(execute=False):
        response = post(client, url, body)
    assert response.status_code == 202, response.json()
    run = EligibilityRun.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == RunStatus.QUEUED
    return done(run)


def test_an_analyst_runs_a_measure_and_reads_numbers_not_names(
    login, analyst_user, whatif_measure, crafted, django_capture_on_commit_callbacks
):
    client = login(analyst_user)
    url = f"{API}/measures/{whatif_measure.pk}/runs"
    run = run_now(client, url, {"on": ON.isoformat()}, django_capture_on_commit_callbacks)
    assert run.version == whatif_measure.versions.get()
    body = client.get(f"{API}/runs/{run.pk}").json()
    assert body["status"] == "done" and body["progress"] == 100
    assert body["eligible"] == 2 and body["checksum"] == run.checksum
    assert body["is_whatif"] is False and body["measure_id"] == whatif_measure.pk
    listed = client.get(url).json()
    assert [item["id"] for item in listed["items"]] == [run.pk]

    results = client.get(f"{API}/runs/{run.pk}/results?state=eligible").json()
    assert results["count"] == 2
    assert {item["person_id"] for item in results["items"]} == {
        crafted["amount"].pk,
        crafted["loses"].pk,
    }
    assert all(item["person_name"] == "" for item in results["items"])
    south = client.get(f"{API}/runs/{run.pk}/results?district={crafted['south'].pk}").json()
    assert {item["person_id"] for item in south["items"]} == {
        crafted["gains"].pk,
        crafted["young"].pk,
    }
    refused = client.get(f"{API}/runs/{run.pk}/results?state=maybe")
    assert refused.status_code == 400 and "state" in refused.json()["details"]


def test_an_administrator_reads_the_names(
    login, admin_user, whatif_measure, crafted, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    url = f"{API}/measures/{whatif_measure.pk}/runs"
    run = run_now(client, url, {"on": ON.isoformat()}, django_capture_on_commit_callbacks)
    results = client.get(f"{API}/runs/{run.pk}/results?state=eligible").json()
    names = {item["person_id"]: item["person_name"] for item in results["items"]}
    assert crafted["amount"].last_name in names[crafted["amount"].pk]
    assert crafted["amount"].first_name in names[crafted["amount"].pk]


def test_a_whatif_and_its_changes(
    login, analyst_user, whatif_measure, crafted, django_capture_on_commit_callbacks
):
    draft = draft_of(whatif_measure)
    client = login(analyst_user)
    url = f"{API}/measures/{whatif_measure.pk}/whatifs"
    run = run_now(client, url, {"on": ON.isoformat()}, django_capture_on_commit_callbacks)
    body = client.get(f"{API}/runs/{run.pk}").json()
    assert body["is_whatif"] and body["version_id"] == draft.pk
    assert body["summary"]["total"]["gained"] == 1 and body["summary"]["total"]["lost"] == 1
    changes = client.get(f"{API}/runs/{run.pk}/changes").json()
    assert changes["count"] == 3
    lost = client.get(f"{API}/runs/{run.pk}/changes?change=lost").json()["items"]
    assert [item["person_id"] for item in lost] == [crafted["loses"].pk]
    assert lost[0]["changed_clause"] == "age65" and "65" in lost[0]["changed_clause_text"]
    assert lost[0]["person_name"] == ""
    gained = client.get(f"{API}/runs/{run.pk}/changes?change=gained").json()["items"]
    assert [(item["person_id"], item["changed_clause"]) for item in gained] == [
        (crafted["gains"].pk, "woman")
    ]
    south = client.get(f"{API}/runs/{run.pk}/changes?district={crafted['south'].pk}").json()
    assert south["count"] == 1
    # A named draft of the measure is simulated; another measure's version is refused.
    again = post(client, url, {"on": ON.isoformat(), "draft_id": draft.pk})
    assert again.status_code == 202


def test_bad_input_is_refused_and_writes_nothing(login, analyst_user, whatif_measure, make_measure):
    client = login(analyst_user)
    other = make_measure()
    before = rows(EligibilityRun, Job, AuditEntry)
    no_draft = post(client, f"{API}/measures/{whatif_measure.pk}/whatifs", {"on": ON.isoformat()})
    assert no_draft.status_code == 400 and no_draft.json()["code"] == "no_draft"
    too_early = post(
        client, f"{API}/measures/{whatif_measure.pk}/runs", {"on": "2025-06-01"}
    ).json()
    assert too_early["code"] == "no_version_in_force" and "on" in too_early["details"]
    foreign = post(
        client,
        f"{API}/measures/{whatif_measure.pk}/runs",
        {"on": ON.isoformat(), "version_id": other.versions.get().pk},
    )
    assert foreign.status_code == 400 and foreign.json()["code"] == "unknown_version"
    draft = draft_of(whatif_measure)
    before = rows(EligibilityRun, Job, AuditEntry)
    of_draft = post(
        client,
        f"{API}/measures/{whatif_measure.pk}/runs",
        {"on": ON.isoformat(), "version_id": draft.pk},
    )
    assert of_draft.status_code == 400 and of_draft.json()["code"] == "version_not_published"
    assert rows(EligibilityRun, Job, AuditEntry) == before
    assert client.get(f"{API}/runs/999999").status_code == 404


def test_a_failed_run_is_restarted(
    login, analyst_user, admin_user, whatif_measure, crafted, django_capture_on_commit_callbacks
):
    client = login(analyst_user)
    with django_capture_on_commit_callbacks(execute=False):
        run = EligibilityRun.objects.get(
            pk=post(
                client, f"{API}/measures/{whatif_measure.pk}/runs", {"on": ON.isoformat()}
            ).json()["id"]
        )
    not_failed = post(client, f"{API}/runs/{run.pk}/restart")
    assert not_failed.status_code == 409 and not_failed.json()["code"] == "run_not_failed"
    job_abandon(actor=admin_user, job=run.job, reason="Рабочий процесс остановлен.")
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    with django_capture_on_commit_callbacks(execute=False):
        restarted = post(client, f"{API}/runs/{run.pk}/restart")
    assert restarted.status_code == 202 and restarted.json()["status"] == "queued"
    run.refresh_from_db()  # the new job of the restart
    assert done(run).status == RunStatus.DONE


@pytest.fixture
def listed(analyst_user, measure, person_a, make_person, institution_b):
    """A run of the conftest's measure with its worklist: person_a (A) and a pensioner of B."""
    make_person(institution_b, first_name="Анна", birth_date=dt.date(1945, 3, 3))
    run = done(services.run_start(actor=analyst_user, version=measure.versions.get(), on=ON))
    return run


def test_the_worklist_made_listed_and_its_outcome_recorded(
    login, analyst_user, worker_a, worker_b, listed, person_a, institution_a
):
    analyst = login(analyst_user)
    made = post(analyst, f"{API}/runs/{listed.pk}/outreach")
    assert made.status_code == 201 and made.json()["added"] == 2
    assert post(analyst, f"{API}/runs/{listed.pk}/outreach").json()["added"] == 0
    # An analyst reads no list of people.
    assert analyst.get(f"{API}/outreach").status_code == 403

    worker = login(worker_a)
    mine = worker.get(f"{API}/outreach").json()
    assert [item["person_id"] for item in mine["items"]] == [person_a.pk]
    task = mine["items"][0]
    assert task["institution_id"] == institution_a.pk and task["status"] == "to_contact"
    assert task["amount_kopecks"] == 100000 and person_a.last_name in task["person"]
    assert worker.get(f"{API}/outreach?status=applied").json()["count"] == 0
    recorded = post(
        worker, f"{API}/outreach/{task['id']}/outcome", {"status": "applied", "note": "заявление"}
    )
    assert recorded.status_code == 200 and recorded.json()["status"] == "applied"
    twice = post(worker, f"{API}/outreach/{task['id']}/outcome", {"status": "declined"})
    assert twice.status_code == 409 and twice.json()["code"] == "outreach_closed"
    wrong = post(worker, f"{API}/outreach/{task['id']}/outcome", {"status": "maybe"})
    assert wrong.status_code == 422

    other = login(worker_b)
    theirs = other.get(f"{API}/outreach").json()
    assert task["id"] not in [item["id"] for item in theirs["items"]]
    assert theirs["count"] == 1
    hidden = post(other, f"{API}/outreach/{task['id']}/outcome", {"status": "contacted"})
    assert hidden.status_code == 404
    assert Outreach.objects.get(pk=task["id"]).status == "applied"


def test_a_social_worker_may_not_run_or_simulate(login, worker_a, whatif_measure):
    client = login(worker_a)
    before = rows(EligibilityRun, Job)
    for url in ("runs", "whatifs"):
        response = post(client, f"{API}/measures/{whatif_measure.pk}/{url}", {})
        assert response.status_code == 403
    assert client.get(f"{API}/measures/{whatif_measure.pk}/runs").status_code == 403
    assert rows(EligibilityRun, Job) == before


def test_one_persons_explanation(login, worker_a, worker_b, measure, person_a):
    client = login(worker_a)
    url = f"{API}/measures/{measure.pk}/explain?person={person_a.pk}&on={ON.isoformat()}"
    body = client.get(url).json()
    assert body["eligible"] is True and body["amount"] == "1000.00"
    assert body["version_id"] == measure.versions.get().pk and body["on"] == ON.isoformat()
    assert [(c["id"], c["held"], c["mark"]) for c in body["clauses"]] == [("age60", True, "✓")]
    assert body["clauses"][0]["facts"]["age"] >= 60
    young = client.get(
        f"{API}/measures/{measure.pk}/explain?person={person_a.pk}&on=2025-06-01"
    ).json()
    assert young["code"] == "no_version_in_force"
    # A person of another institution does not exist for the worker of B.
    hidden = login(worker_b).get(url)
    assert hidden.status_code == 404


def test_the_explanation_needs_the_outreach_permission(login, make_user, measure, person_a):
    analyst = login(make_user(Role.ANALYST))
    url = f"{API}/measures/{measure.pk}/explain?person={person_a.pk}"
    assert analyst.get(url).status_code == 403


def test_the_schema_documents_every_operation():
    schema = api.get_openapi_schema()
    expected = {
        ("/measures/{measure_id}/runs", "get"),
        ("/measures/{measure_id}/runs", "post"),
        ("/measures/{measure_id}/whatifs", "post"),
        ("/runs/{run_id}", "get"),
        ("/runs/{run_id}/restart", "post"),
        ("/runs/{run_id}/results", "get"),
        ("/runs/{run_id}/changes", "get"),
        ("/runs/{run_id}/outreach", "post"),
        ("/outreach", "get"),
        ("/outreach/{outreach_id}/outcome", "post"),
        ("/measures/{measure_id}/explain", "get"),
    }
    paths = schema["paths"]
    for path, method in expected:
        operation = paths[API + path][method]
        assert operation["summary"], path
        codes = {int(code) for code in operation["responses"]}
        assert {401, 403, 404} <= codes, (path, method)
    names = schema["components"]["schemas"]
    assert {"AssistanceRunOut", "AssistanceRunChangeOut", "AssistanceExplainOut"} <= set(names)
