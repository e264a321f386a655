"""The casework demo: cases in every status at the seeds' institutions, a demo social worker
with a caseload and a day of visits, overdue cases, and nothing added by a second load.

The whole demo is loaded once for the module (every step before casework is needed: staff,
residents, the catalogue and the rules) inside a transaction rolled back at the end."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from opora.casework import selectors
from opora.casework.models import (
    Case,
    CaseStatus,
    CaseTransition,
    Delivery,
    MissedVisit,
    ProgrammeStatus,
    ServiceAct,
)
from opora.casework.services import TRANSITIONS
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry, User
from opora.demo.loading import DemoContext, load
from opora.demo.steps.casework import CRISIS, DEMO_WORKER, FAMILY, MARYINO, TVERSKOY
from opora.rules import selectors as rules


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load(DemoContext(actor=SYSTEM))
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return None


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Case, CaseTransition, Delivery, MissedVisit, ServiceAct, AuditEntry)
    }


def test_every_status_has_demo_cases(loaded):
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(by_status) == set(CaseStatus.values), by_status
    assert 60 <= sum(by_status.values()) <= 120


def test_cases_are_spread_over_the_crisis_the_family_and_the_territorial_centres(loaded):
    by_centre = dict(
        Case.objects.values_list("institution__code").annotate(n=Count("pk")).order_by()
    )
    assert all(by_centre.get(code, 0) >= 10 for code in (CRISIS, FAMILY, TVERSKOY, MARYINO))
    crisis = Case.objects.filter(institution__code=CRISIS)
    # Urgent services at intake, on the ground of family violence.
    assert Delivery.objects.filter(case__in=crisis, is_urgent=True).exists()
    assert not crisis.exclude(grounds__code="family-violence").exists()
    # Home care at the territorial centres: assessed by the Barthel index, served at home.
    tcso = Case.objects.filter(institution__code__in=(TVERSKOY, MARYINO))
    assert not tcso.filter(assessments__isnull=False).exclude(assessments__scale__code="barthel")
    assert tcso.filter(status=CaseStatus.IN_SERVICE, programmes__form="home").count() >= 5


def test_some_cases_are_overdue_and_some_due_today(loaded):
    today = timezone.localdate()
    overdue = Case.objects.filter(next_due__lt=today)
    assert overdue.values("institution").distinct().count() >= 3
    assert overdue.filter(status__in=(CaseStatus.APPLIED, CaseStatus.ASSESSED)).exists()
    assert overdue.filter(status__in=(CaseStatus.RECOGNISED, CaseStatus.PROGRAMME_DRAFTED)).exists()


def test_the_demo_social_worker_has_recipients_an_inbox_and_a_day_of_visits(loaded):
    today = timezone.localdate()
    user = User.objects.get(username=DEMO_WORKER)
    employee = selectors.employee_of(user)
    assert employee is not None
    load_of = selectors.caseload(actor=user, employee=employee)
    assert 5 <= load_of.count <= (load_of.limit or 0)
    assert selectors.due_cases(actor=user, on=today).exists()
    plan = selectors.visit_plan(actor=user, employee=employee, start=selectors.week_start(today))
    assert sum(len(visits) for visits in plan.values()) >= 5
    if rules.is_working_day(today):
        assert selectors.day_sheet(actor=user, employee=employee, day=today)
    # She entered her past visits herself, a missed one included.
    assert Delivery.objects.filter(worker=employee, delivered_on__lt=today).count() > 20
    assert MissedVisit.objects.filter(worker=employee).exists()


def test_deliveries_stay_within_the_programme_and_acts_charge_fees(loaded):
    today = timezone.localdate()
    assert not Delivery.objects.filter(delivered_on__gt=today).exists()
    for case in Case.objects.filter(programmes__status=ProgrammeStatus.AGREED).distinct():
        programme = selectors.programme_in_force(case)
        assert all(line.delivered <= line.item.volume for line in selectors.item_lines(programme))
    acts = ServiceAct.objects.all()
    assert acts.filter(fee__gt=0).exists() and acts.filter(fee=0).exists()


def test_every_case_has_a_history_that_leads_to_its_status(loaded):
    steps: dict[int, list[CaseTransition]] = {}
    for step in CaseTransition.objects.order_by("case", "at", "id"):
        steps.setdefault(step.case_id, []).append(step)
    for case in Case.objects.all():
        history = steps[case.pk]
        assert (history[0].from_status, history[0].to_status) == ("", CaseStatus.APPLIED)
        assert history[0].on == case.applied_on
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status, case.number
            assert after.to_status in TRANSITIONS[before.to_status], case.number
            assert after.on >= before.on, case.number
        assert history[-1].to_status == case.status, case.number
        assert history[-1].on == case.status_since, case.number


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    load(DemoContext(actor=SYSTEM))
    assert counts() == before
