"""The pages of runs, what-ifs and the outreach worklist: the measure's page loads its runs
section; a run is started from a form and its page follows the progress, then shows totals,
districts and results (an analyst reads registry numbers, an administrator names); a what-if
shows the gains, losses and cost change and the people who change with the clause that changed
them, and exports them (audited); a failed run offers to start again; the worklist is made from
a run, each institution sees its own tasks and records their outcome; the dashboard counts them;
who may not is refused."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from opora.assistance import services
from opora.assistance.models import EligibilityRun, Outreach, OutreachStatus, RunStatus
from opora.core.jobs import job_abandon
from opora.core.models import AuditEntry, Job

from .conftest import rows
from .runs_support import *  # noqa: F403 - the fixtures
from .runs_support import ON, done, draft_of

HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx(target: str) -> dict[str, str]:
    return {**HTMX, "HTTP_HX_TARGET": target}


def test_the_measure_page_loads_its_runs_section(login, analyst_user, worker_a, whatif_measure):
    client = login(analyst_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assistance:measure", args=[whatif_measure.pk])).content.decode()
    section = reverse("assistance:measure_runs", args=[whatif_measure.pk])
    assert f'hx-get="{section}"' in page
    fragment = client.get(section, **htmx("runs")).content.decode()
    assert 'id="runs"' in fragment and "<html" not in fragment
    assert 'data-testid="run-form"' in fragment
    # No draft: how to get one, instead of the form.
    assert 'data-testid="whatif-form"' not in fragment
    assert "Draft a new version" in fragment
    draft_of(whatif_measure)
    assert 'data-testid="whatif-form"' in client.get(section, **htmx("runs")).content.decode()
    # A social worker sees no runs section and may not open it.
    worker = login(worker_a)
    page = worker.get(reverse("assistance:measure", args=[whatif_measure.pk])).content.decode()
    assert section not in page
    assert worker.get(section).status_code == 403


def test_a_run_started_followed_and_read(
    login, analyst_user, whatif_measure, crafted, django_capture_on_commit_callbacks
):
    client = login(analyst_user)
    version = whatif_measure.versions.get()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("assistance:run_start", args=[whatif_measure.pk]),
            {"version": version.pk, "on": ON.isoformat()},
        )
    run = EligibilityRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "assistance:run", args=[run.pk]
    )
    url = reverse("assistance:run", args=[run.pk])
    waiting = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "<progress" in waiting
    poll = client.get(url, **htmx("run-state"))
    assert "HX-Refresh" not in poll and 'id="run-state"' in poll.content.decode()

    done(run)
    poll = client.get(url, **htmx("run-state"))
    assert poll["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' not in page
    assert run.checksum in page and 'data-testid="by-district"' in page
    assert "Северный" in page and "Южный" in page
    # An analyst reads the people by registry number, never by name.
    assert crafted["amount"].first_name not in page
    assert f'data-person="{crafted["amount"].pk}"' in page
    eligible = client.get(url + "?state=eligible", **htmx("results")).content.decode()
    assert f'data-person="{crafted["amount"].pk}"' in eligible
    assert f'data-person="{crafted["young"].pk}"' not in eligible
    south = client.get(url + f"?district={crafted['south'].pk}", **htmx("results")).content
    assert f'data-person="{crafted["gains"].pk}"'.encode() in south
    assert f'data-person="{crafted["amount"].pk}"'.encode() not in south


def test_an_administrator_reads_names(login, admin_user, whatif_measure, crafted):
    run = done(services.run_start(actor=admin_user, version=whatif_measure.versions.get(), on=ON))
    page = login(admin_user).get(reverse("assistance:run", args=[run.pk])).content.decode()
    assert crafted["amount"].first_name in page


def test_bad_input_on_the_forms_is_refused_next_to_the_field(login, analyst_user, whatif_measure):
    client = login(analyst_user)
    before = rows(EligibilityRun, Job)
    too_early = client.post(
        reverse("assistance:run_start", args=[whatif_measure.pk]),
        {"version": whatif_measure.versions.get().pk, "on": "2025-06-01"},
    )
    assert too_early.status_code == 400
    assert too_early.context["run_form"].errors["on"]
    # No draft: the form is refused (no draft to choose), nothing written.
    no_draft = client.post(
        reverse("assistance:whatif_start", args=[whatif_measure.pk]), {"on": ON.isoformat()}
    )
    assert no_draft.status_code == 400 and no_draft.context["whatif_form"].errors
    assert rows(EligibilityRun, Job) == before


def test_a_whatif_page_and_its_export(login, analyst_user, whatif_measure, crafted):
    draft_of(whatif_measure)
    client = login(analyst_user)
    with_draft = client.post(
        reverse("assistance:whatif_start", args=[whatif_measure.pk]),
        {"draft": whatif_measure.versions.get(status="draft").pk, "on": ON.isoformat()},
    )
    run = EligibilityRun.objects.get()
    assert with_draft.status_code == 302
    done(run)
    url = reverse("assistance:run", args=[run.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="gained">1<' in page and 'data-testid="lost">1<' in page
    assert 'data-testid="whatif-by-district"' in page and 'data-testid="whatif-by-category"' in page
    assert f'data-person="{crafted["loses"].pk}" data-change="lost"' in page
    assert f'data-person="{crafted["gains"].pk}" data-change="gained"' in page
    assert 'data-clause="age65"' in page and "65" in page
    assert crafted["loses"].first_name not in page
    gained = client.get(url + "?change=gained", **htmx("results")).content.decode()
    assert crafted["gains"].pk and f'data-person="{crafted["loses"].pk}"' not in gained

    exported = client.get(reverse("assistance:run_export_csv", args=[run.pk]))
    assert exported.status_code == 200
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(table) == 4 and {int(line[0]) for line in table[1:]} == {
        crafted[k].pk for k in ("amount", "loses", "gains")
    }
    assert not any(crafted["loses"].first_name in cell for line in table for cell in line)
    workbook = client.get(reverse("assistance:run_export_xlsx", args=[run.pk]))
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert sheet.max_row == 4
    audited = AuditEntry.objects.filter(action="assistance.run.exported", object_id=run.pk)
    assert sorted(entry.data["format"] for entry in audited) == ["CSV", "XLSX"]


def test_a_failed_run_offers_to_start_again(
    login, analyst_user, admin_user, whatif_measure, crafted
):
    run = services.run_start(actor=analyst_user, version=whatif_measure.versions.get(), on=ON)
    job_abandon(actor=admin_user, job=run.job, reason="Рабочий процесс остановлен.")
    client = login(analyst_user)
    url = reverse("assistance:run", args=[run.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="restart"' in page and 'data-status="failed"' in page
    response = client.post(reverse("assistance:run_restart", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    assert done(run).status == RunStatus.DONE


@pytest.fixture
def run_with_worklist(analyst_user, measure, person_a, make_person, institution_b):
    other = make_person(institution_b, first_name="Анна")
    run = done(services.run_start(actor=analyst_user, version=measure.versions.get(), on=ON))
    return run, other


def test_the_worklist_made_from_a_run_and_worked_by_the_institutions(
    login, analyst_user, worker_a, worker_b, run_with_worklist, person_a
):
    run, other = run_with_worklist
    analyst = login(analyst_user)
    made = analyst.post(reverse("assistance:run_outreach", args=[run.pk]), follow=True)
    assert Outreach.objects.count() == 2
    assert 'data-testid="outreach-counts"' in made.content.decode()
    assert analyst.get(reverse("assistance:outreach")).status_code == 403

    worker = login(worker_a)
    listing = worker.get(reverse("assistance:outreach")).content.decode()
    mine = Outreach.objects.get(person=person_a)
    theirs = Outreach.objects.get(person=other)
    assert f'data-outreach="{mine.pk}"' in listing and f'data-outreach="{theirs.pk}"' not in listing
    assert person_a.last_name in listing
    assert worker.get(reverse("assistance:outreach_task", args=[theirs.pk])).status_code == 404
    task = worker.get(reverse("assistance:outreach_task", args=[mine.pk])).content.decode()
    assert 'data-testid="explanation"' in task and 'data-eligible="true"' in task
    assert 'data-clause="age60"' in task
    dashboard = worker.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="outreach-open"' in dashboard

    today = timezone.localdate().isoformat()
    recorded = worker.post(
        reverse("assistance:outreach_task", args=[mine.pk]),
        {"status": "applied", "on": today, "next": reverse("assistance:outreach")},
    )
    assert recorded.status_code == 302 and recorded["Location"] == reverse("assistance:outreach")
    mine.refresh_from_db()
    assert mine.status == OutreachStatus.APPLIED
    again = worker.post(
        reverse("assistance:outreach_task", args=[mine.pk]),
        {"status": "declined", "on": today},
    )
    assert again.status_code == 400
    mine.refresh_from_db()
    assert mine.status == OutreachStatus.APPLIED
    closed = worker.get(reverse("assistance:outreach") + "?status=applied").content.decode()
    assert f'data-outreach="{mine.pk}"' in closed
    assert (
        login(worker_b)
        .post(reverse("assistance:outreach_task", args=[mine.pk]), {"status": "contacted"})
        .status_code
        == 404
    )


def test_who_may_not_is_refused(login, worker_a, whatif_measure, analyst_user):
    run = services.run_start(actor=analyst_user, version=whatif_measure.versions.get(), on=ON)
    worker = login(worker_a)
    before = rows(EligibilityRun, Job)
    assert worker.get(reverse("assistance:run", args=[run.pk])).status_code == 403
    assert (
        worker.post(
            reverse("assistance:run_start", args=[whatif_measure.pk]), {"on": ON.isoformat()}
        ).status_code
        == 403
    )
    assert worker.get(reverse("assistance:run_export_csv", args=[run.pk])).status_code == 403
    assert rows(EligibilityRun, Job) == before


def test_the_worklist_is_empty_with_a_word_of_how_it_fills(login, worker_a):
    page = login(worker_a).get(reverse("assistance:outreach")).content.decode()
    assert 'class="empty"' in page
