"""Whole-registry runs, what-ifs and the outreach worklist through the services: a run's results
are what the per-person evaluation gives, its checksum repeats on the same data and moves with
a registry change; a what-if finds who gains, who loses and whose amount changes, by district
and category; the worklist leaves out holders, applicants and those listed; and every refusal
(no draft, a draft run, a day before the version, a run failing half-way, an outcome recorded
twice) leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.assistance import criteria, services
from opora.assistance import tasks as assistance_tasks
from opora.assistance.models import (
    EligibilityRun,
    Outreach,
    OutreachStatus,
    RunChange,
    RunResult,
    RunStatus,
)
from opora.assistance.services import runs as run_services
from opora.core.actors import SYSTEM
from opora.core.errors import Conflict, DomainError, NotFound
from opora.core.models import AuditEntry, Job, JobStatus
from opora.core.roles import Role
from opora.registry import services as registry_services

from .conftest import STATE, rows
from .runs_support import *  # noqa: F403 - the fixtures
from .runs_support import ON, done, draft_of


def test_a_run_keeps_for_every_subject_what_the_evaluation_gives(
    analyst_user, whatif_measure, crafted
):
    version = whatif_measure.versions.get()
    run = done(services.run_start(actor=analyst_user, version=version, on=ON))
    assert run.status == RunStatus.DONE and run.checksum and run.finished_at
    expected = {
        o.person_id: (
            o.household_id,
            STATE[o.eligible],
            None if o.amount is None else int(o.amount * 100),
            "".join(str(STATE[c.held]) for c in o.clauses),
        )
        for o in criteria.evaluate(version=version, on=ON)
    }
    kept = {
        r.person_id: (r.household_id, r.state, r.amount_kopecks, r.clauses)
        for r in RunResult.objects.filter(run=run)
    }
    assert kept == expected
    assert set(kept) >= {crafted[k].pk for k in ("amount", "loses", "gains", "young")}
    eligible = [pk for pk, row in kept.items() if row[1] == 2]
    assert sorted(eligible) == sorted([crafted["amount"].pk, crafted["loses"].pk])
    assert (run.evaluated, run.eligible, run.monthly_kopecks) == (len(kept), 2, 200000)
    districts = dict(RunResult.objects.filter(run=run).values_list("person_id", "district_id"))
    assert districts[crafted["gains"].pk] == crafted["south"].pk
    assert AuditEntry.objects.filter(action="assistance.run.finished", object_id=run.pk).exists()


def test_the_checksum_repeats_on_the_same_data_and_moves_with_a_change(
    analyst_user, whatif_measure, crafted
):
    version = whatif_measure.versions.get()
    first = done(services.run_start(actor=analyst_user, version=version, on=ON))
    second = done(services.run_start(actor=analyst_user, version=version, on=ON))
    assert first.checksum == second.checksum and first.pk != second.pk
    registry_services.person_update(
        actor=SYSTEM, person=crafted["young"], birth_date=dt.date(1950, 1, 1), reason="ошибка"
    )
    third = done(services.run_start(actor=analyst_user, version=version, on=ON))
    assert third.checksum != first.checksum
    assert third.eligible == first.eligible + 1


def test_the_task_runs_the_work_and_reports_its_progress(
    analyst_user, whatif_measure, crafted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.run_start(actor=analyst_user, version=whatif_measure.versions.get(), on=ON)
    assert run.status == RunStatus.QUEUED and run.job.status == JobStatus.QUEUED
    assistance_tasks.evaluate_registry.call(job_id=str(run.job_id))
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert run.status == RunStatus.DONE and job.status == JobStatus.SUCCEEDED
    assert job.percent == 100
    # Delivered again, the task finds the run done and writes nothing more.
    count = RunResult.objects.filter(run=run).count()
    assistance_tasks.evaluate_registry.call(job_id=str(run.job_id))
    assert RunResult.objects.filter(run=run).count() == count


def test_a_whatif_finds_who_gains_who_loses_and_whose_amount_changes(
    analyst_user, whatif_measure, crafted
):
    draft = draft_of(whatif_measure)
    run = done(services.whatif_start(actor=analyst_user, measure=whatif_measure, on=ON))
    assert run.is_whatif and run.version == draft and run.baseline.status == "published"
    changes = {c.person_id: c for c in RunChange.objects.filter(run=run)}
    assert set(changes) == {crafted[k].pk for k in ("amount", "loses", "gains")}
    amount, loses, gains = (changes[crafted[k].pk] for k in ("amount", "loses", "gains"))
    assert (amount.amount_before, amount.amount_after, amount.changed_clause) == (
        100000,
        120000,
        "",
    )
    assert (loses.state_before, loses.state_after, loses.changed_clause) == (2, 0, "age65")
    assert (gains.state_before, gains.state_after, gains.changed_clause) == (0, 2, "woman")
    total = run.summary["total"]
    assert (total["changed"], total["gained"], total["lost"], total["amount_changed"]) == (
        3,
        1,
        1,
        1,
    )
    # +1200 (gains) − 1000 (loses) + 200 (amount) a month; twelve times a year.
    assert total["change_kopecks"] == 40000 and total["yearly_change_kopecks"] == 480000
    by_district = {row["district_name"]: row for row in run.summary["by_district"]}
    assert by_district["Северный"]["lost"] == 1 and by_district["Северный"]["amount_changed"] == 1
    assert by_district["Северный"]["change_kopecks"] == -80000
    assert by_district["Южный"]["gained"] == 1 and by_district["Южный"]["change_kopecks"] == 120000
    by_category = {row["code"]: row for row in run.summary["by_category"]}
    assert set(by_category) == {"pensioner"}
    assert (by_category["pensioner"]["gained"], by_category["pensioner"]["lost"]) == (1, 1)
    assert by_category["pensioner"]["change_kopecks"] == 20000
    # Nothing of the applications or assignments was touched, and a what-if keeps no results.
    assert not RunResult.objects.filter(run=run).exists()


def test_a_whatif_of_a_measure_without_a_draft_is_refused_and_writes_nothing(
    analyst_user, whatif_measure
):
    before = rows(EligibilityRun, Job, AuditEntry)
    with pytest.raises(DomainError) as refused:
        services.whatif_start(actor=analyst_user, measure=whatif_measure, on=ON)
    assert refused.value.code == "no_draft" and "draft" in refused.value.details
    assert rows(EligibilityRun, Job, AuditEntry) == before


def test_a_whatif_on_a_day_without_a_version_in_force_is_refused(analyst_user, whatif_measure):
    draft_of(whatif_measure)
    before = rows(EligibilityRun, Job)
    with pytest.raises(DomainError) as refused:
        services.whatif_start(actor=analyst_user, measure=whatif_measure, on=dt.date(2025, 6, 1))
    assert refused.value.code == "no_version_in_force"
    assert rows(EligibilityRun, Job) == before


def test_a_run_of_a_draft_or_before_the_version_is_refused_and_writes_nothing(
    analyst_user, whatif_measure
):
    draft = draft_of(whatif_measure)
    version = whatif_measure.versions.get(status="published")
    before = rows(EligibilityRun, Job, AuditEntry)
    with pytest.raises(DomainError) as refused:
        services.run_start(actor=analyst_user, version=draft, on=ON)
    assert refused.value.code == "version_not_published"
    with pytest.raises(DomainError) as refused:
        services.run_start(
            actor=analyst_user, version=version, on=version.valid_from - dt.timedelta(days=1)
        )
    assert refused.value.code == "version_not_in_force" and "on" in refused.value.details
    assert rows(EligibilityRun, Job, AuditEntry) == before


def test_a_run_failing_half_way_keeps_nothing_and_starts_again(
    analyst_user, whatif_measure, crafted, monkeypatch
):
    version = whatif_measure.versions.get()
    run = services.run_start(actor=analyst_user, version=version, on=ON)
    written = []

    def fail_after_the_insert(run):
        written.append(RunResult.objects.filter(run=run).count())
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(run_services, "_run_totals", fail_after_the_insert)
        with pytest.raises(RuntimeError):
            assistance_tasks.evaluate_registry.call(job_id=str(run.job_id))
    assert written and written[0] > 0  # the results were being written when it failed
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "went away" in run.error
    assert not RunResult.objects.filter(run=run).exists()
    assert run.checksum == "" and run.evaluated == 0
    assert Job.objects.get(pk=run.job_id).status == JobStatus.FAILED
    with pytest.raises(Conflict):
        services.outreach_from_run(actor=analyst_user, run=run)

    restarted = services.run_restart(actor=analyst_user, run=run)
    assert restarted.status == RunStatus.QUEUED and restarted.error == ""
    run = done(restarted)
    assert run.status == RunStatus.DONE and run.eligible == 2
    reference = done(services.run_start(actor=analyst_user, version=version, on=ON))
    assert run.checksum == reference.checksum
    with pytest.raises(Conflict):  # a finished run is not started again
        services.run_restart(actor=analyst_user, run=run)


def test_a_failing_statement_marks_the_run_failed_with_nothing_kept(
    analyst_user, whatif_measure, crafted, monkeypatch
):
    draft_of(whatif_measure)
    run = services.whatif_start(actor=analyst_user, measure=whatif_measure, on=ON)

    def broken(run, selected):
        selected = type(selected)(
            sql=selected.sql.replace("SELECT", "SELEKT", 1), clause_ids=selected.clause_ids
        )
        return original(run, selected)

    original = run_services._insert_changes
    monkeypatch.setattr(run_services, "_insert_changes", broken)
    with pytest.raises(Exception):  # noqa: B017 - the database's own error, either engine's
        assistance_tasks.evaluate_registry.call(job_id=str(run.job_id))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.summary == {}
    assert not RunChange.objects.filter(run=run).exists()


def test_only_analysts_and_administrators_start_runs(
    worker_a, whatif_measure, make_user, institution_a
):
    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])
    before = rows(EligibilityRun, Job)
    for actor in (worker_a, manager):
        with pytest.raises(DomainError) as refused:
            services.run_start(actor=actor, version=whatif_measure.versions.get(), on=ON)
        assert refused.value.status == 403
    assert rows(EligibilityRun, Job) == before


# --- Outreach ---------------------------------------------------------------------------------


@pytest.fixture
def elderly_run(analyst_user, measure, person_a, household_a, make_person, institution_b):
    """A run of the conftest's measure (60 or more) with person_a, her husband and a third
    pensioner of institution B eligible."""
    other = make_person(institution_b, first_name="Анна", birth_date=dt.date(1945, 3, 3))
    run = done(services.run_start(actor=analyst_user, version=measure.versions.get(), on=ON))
    return run, other


def test_the_worklist_leaves_out_holders_applicants_and_the_listed(
    analyst_user, elderly_run, assignment, person_a, household_a, institution_a, institution_b
):
    run, other = elderly_run
    husband = household_a.members.exclude(person=person_a).get().person
    eligible = set(RunResult.objects.filter(run=run, state=2).values_list("person_id", flat=True))
    assert {person_a.pk, husband.pk, other.pk} <= eligible
    added = services.outreach_from_run(actor=analyst_user, run=run)
    listed = dict(Outreach.objects.filter(run=run).values_list("person_id", "institution_id"))
    # person_a holds the measure; her husband and the other are listed, at their institutions.
    assert person_a.pk not in listed
    assert listed[husband.pk] == institution_a.pk and listed[other.pk] == institution_b.pk
    assert added == len(listed) == len(eligible) - 1
    task = Outreach.objects.get(person=other)
    assert task.status == OutreachStatus.TO_CONTACT and task.amount_kopecks == 100000
    assert services.outreach_from_run(actor=analyst_user, run=run) == 0
    # A later run adds nobody already listed either.
    later = done(services.run_start(actor=analyst_user, version=run.version, on=ON))
    assert services.outreach_from_run(actor=analyst_user, run=later) == 0
    assert Outreach.objects.count() == added


def test_an_applicant_is_not_listed(analyst_user, measure, application, person_a):
    run = done(services.run_start(actor=analyst_user, version=measure.versions.get(), on=ON))
    services.outreach_from_run(actor=analyst_user, run=run)
    assert RunResult.objects.filter(run=run, person=person_a, state=2).exists()
    assert not Outreach.objects.filter(person=person_a).exists()


def test_the_worklist_is_made_only_from_a_finished_run(analyst_user, whatif_measure, crafted):
    draft_of(whatif_measure)
    whatif = done(services.whatif_start(actor=analyst_user, measure=whatif_measure, on=ON))
    queued = services.run_start(
        actor=analyst_user, version=whatif_measure.versions.get(status="published"), on=ON
    )
    for run in (whatif, queued):
        with pytest.raises(Conflict):
            services.outreach_from_run(actor=analyst_user, run=run)
    assert not Outreach.objects.exists()


def test_the_outcome_is_recorded_once_by_the_institution(
    analyst_user, elderly_run, worker_a, worker_b, institution_a
):
    run, _other = elderly_run
    services.outreach_from_run(actor=analyst_user, run=run)
    task = Outreach.objects.filter(institution=institution_a).first()
    with pytest.raises(NotFound):
        services.outreach_record(actor=worker_b, outreach=task, status="contacted")
    with pytest.raises(DomainError) as refused:
        services.outreach_record(actor=analyst_user, outreach=task, status="contacted")
    assert refused.value.status == 403
    with pytest.raises(DomainError) as refused:
        services.outreach_record(actor=worker_a, outreach=task, status="to_contact")
    assert "status" in refused.value.details
    contacted = services.outreach_record(
        actor=worker_a, outreach=task, status="contacted", note="  позвонили   дочери "
    )
    assert contacted.status == OutreachStatus.CONTACTED and contacted.note == "позвонили дочери"
    assert contacted.recorded_by == worker_a and contacted.outcome_on is not None
    applied = services.outreach_record(actor=worker_a, outreach=task, status="applied")
    assert applied.status == OutreachStatus.APPLIED
    entries = AuditEntry.objects.filter(action="assistance.outreach.recorded", object_id=task.pk)
    assert entries.count() == 2
    with pytest.raises(Conflict) as refused:
        services.outreach_record(actor=worker_a, outreach=task, status="declined")
    assert refused.value.code == "outreach_closed"
    task.refresh_from_db()
    assert task.status == OutreachStatus.APPLIED and entries.count() == 2


def test_amounts_are_whole_kopecks(analyst_user, measure, person_a):
    run = done(services.run_start(actor=analyst_user, version=measure.versions.get(), on=ON))
    result = RunResult.objects.get(run=run, person=person_a)
    assert Decimal(result.amount_kopecks) / 100 == Decimal("1000.00")
