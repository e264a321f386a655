"""The assistance demo: five measures with a published version each (one with a draft to
compare), applications of the demo population in every state at the two territorial centres,
decisions that follow the evaluations and are signed by a worker, what follows them (a
suspension, a termination, a recalculation, an overpayment, a social contract, goods handed
out), every made-up figure marked as an example, and nothing added by a second load.

The steps it needs are loaded once for the module, inside a transaction rolled back at the end."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from opora.assistance.models import (
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    ContractInstalment,
    ContractMilestone,
    Decision,
    EligibilityRun,
    Evaluation,
    GoodsKind,
    InstalmentStatus,
    Measure,
    MeasureVersion,
    MonitoringVisit,
    MovementKind,
    Outreach,
    OutreachStatus,
    Overpayment,
    RunStatus,
    SocialContract,
    StockBalance,
    StockMovement,
    VersionStatus,
)
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.demo.data import assistance as data
from opora.demo.loading import DemoContext, steps
from opora.demo.steps.accounts import load_accounts, load_synthetic_staff
from opora.demo.steps.assistance import KEY_PREFIX, load_assistance
from opora.demo.steps.institutions import load_institutions
from opora.demo.steps.registry import load_population
from opora.demo.steps.rules import load_demo_rules
from opora.registry.models import Address, AddressKind, HouseholdMember
from opora.rules import selectors as rules
from opora.rules.catalog import CITY_PENSIONER_STANDARD
from opora.rules.models import RuleVersion
from tests.demo_support import demo_loaded

MODELS = (
    Measure,
    MeasureVersion,
    Application,
    Evaluation,
    Decision,
    Assignment,
    AssignmentEvent,
    Overpayment,
    SocialContract,
    ContractMilestone,
    ContractInstalment,
    MonitoringVisit,
    GoodsKind,
    StockBalance,
    StockMovement,
    RuleVersion,
    Address,
    AuditEntry,
    EligibilityRun,
    Outreach,
)

demo = demo_loaded(
    load_institutions,
    load_demo_rules,
    load_accounts,
    load_synthetic_staff,
    load_population,
    load_assistance,
)


@pytest.fixture
def loaded(demo, db):
    return demo


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_step_is_registered_after_the_population_and_the_accounts():
    order = {s.name: s.order for s in steps()}
    assert order["registry-population"] < order["assistance"]
    assert order["staff"] < order["assistance"]


def test_loading_twice_adds_nothing(loaded):
    before = counts()
    load_assistance(DemoContext(actor=SYSTEM))
    assert counts() == before


def test_every_measure_has_one_published_version_marked_as_an_example(loaded):
    measures = {m.code: m for m in Measure.objects.all()}
    assert set(measures) == {fact.code for fact in data.MEASURES}
    for fact in data.MEASURES:
        published = measures[fact.code].versions.filter(status=VersionStatus.PUBLISHED)
        assert published.count() == 1, fact.code
        version = published.get()
        assert version.is_example and version.example_note, fact.code
        assert version.legal_basis == data.LEGAL_BASIS
    kinds = set(Measure.objects.values_list("kind", flat=True))
    assert kinds == {
        "cash_benefit",
        "monthly_payment",
        "one_time_payment",
        "social_contract",
        "in_kind",
    }


def test_one_measure_has_a_draft_with_another_threshold(loaded):
    draft = MeasureVersion.objects.get(status=VersionStatus.DRAFT)
    published = draft.measure.versions.get(status=VersionStatus.PUBLISHED)
    assert draft.measure.code == data.CHILD_BENEFIT
    assert draft.valid_from > published.valid_from
    assert draft.is_example
    assert draft.eligibility != published.eligibility
    assert draft.amount == published.amount


def test_the_city_standard_is_an_example_value_of_the_rule(loaded):
    versions = RuleVersion.objects.filter(code=CITY_PENSIONER_STANDARD)
    assert versions.count() == len(data.CITY_STANDARD)
    assert all(v.is_example for v in versions)


def test_applications_are_in_every_state(loaded):
    by_status = dict(Application.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(by_status) == set(ApplicationStatus.values), by_status
    assert sum(by_status.values()) == len(data.STORIES)
    assert all(
        a.person.external_key.startswith(KEY_PREFIX)
        for a in Application.objects.select_related("person")
    )
    assert set(Application.objects.values_list("institution__code", flat=True)) == {
        data.TVERSKOY,
        data.MARYINO,
    }
    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED)
    evaluated = submitted.filter(evaluations__isnull=False).distinct()
    assert evaluated.exists()
    assert submitted.exclude(pk__in=evaluated).exists()
    # Each measure has several applications.
    per_measure = Application.objects.values("measure").annotate(n=Count("pk"))
    assert all(row["n"] >= 3 for row in per_measure)


def test_some_are_overdue_one_is_due_today_and_one_was_decided_late(loaded):
    today = timezone.localdate()
    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED)
    assert submitted.filter(due_on__lt=today).count() >= 2
    if rules.work_calendar().is_working_day(today):
        assert submitted.filter(due_on=today).count() == 1
    assert Decision.objects.filter(is_late=True).count() == 1


def test_decisions_follow_the_evaluations_and_are_signed_by_a_worker(loaded):
    for decision in Decision.objects.select_related("evaluation", "decided_by", "application"):
        assert decision.decided_by.role == "social_worker"
        assert decision.decided_by.institutions.filter(pk=decision.application.institution_id)
        if decision.outcome == "assign":
            assert decision.evaluation.eligible is True
        else:
            assert decision.evaluation.eligible is not True
            assert decision.failed_clauses
            assert decision.reason
    assert Decision.objects.filter(decided_by__username="worker").exists()


def test_every_measure_is_assigned_with_the_amount_of_its_rule(loaded):
    assigned = Assignment.objects.select_related("measure", "application__decision__evaluation")
    assert {a.measure.code for a in assigned} == {fact.code for fact in data.MEASURES}
    for assignment in assigned:
        evaluation = assignment.application.decision.evaluation
        assert assignment.amount == (evaluation.amount or Decimal("0"))
        if assignment.measure.kind != "in_kind":
            assert assignment.amount > 0


def test_assignments_are_in_force_suspended_terminated_and_recalculated(loaded):
    by_status = dict(Assignment.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert by_status[AssignmentStatus.ACTIVE] >= 5
    assert by_status[AssignmentStatus.SUSPENDED] == 1
    assert by_status[AssignmentStatus.TERMINATED] == 1
    assert AssignmentEvent.objects.filter(kind="recalculated").count() == 1
    overpayment = Overpayment.objects.get()
    assert overpayment.period_from >= overpayment.assignment.starts_on
    assert overpayment.found_on <= timezone.localdate()


def test_the_social_contract_has_its_plan_money_and_a_visit(loaded):
    contract = SocialContract.objects.select_related("assignment").get()
    assert contract.kind == data.CONTRACT_KIND
    assert contract.milestones.count() == len(data.CONTRACT_PLAN)
    assert contract.milestones.filter(done_on__isnull=False).count() == 1
    assert contract.instalments.aggregate(total=Sum("amount"))["total"] == Decimal("350000.00")
    paid = contract.instalments.get(status=InstalmentStatus.PAID)
    assert paid.milestone is not None and paid.milestone.done_on is not None
    assert contract.visits.count() == 1


def test_goods_are_received_and_handed_out_from_the_stock(loaded):
    assert set(GoodsKind.objects.values_list("code", flat=True)) == {g[0] for g in data.GOODS}
    for balance in StockBalance.objects.select_related("institution", "goods"):
        moved = StockMovement.objects.filter(
            institution=balance.institution, goods=balance.goods
        ).values_list("kind", "quantity")
        received = sum(q for kind, q in moved if kind == MovementKind.RECEIPT)
        given = sum(q for kind, q in moved if kind != MovementKind.RECEIPT)
        assert balance.quantity == received - given > 0
    handouts = StockMovement.objects.filter(kind=MovementKind.ISSUE)
    assert handouts.count() >= 4
    assert {m.goods.code for m in handouts} == {"food-set", "clothing-set"}
    assert all(m.assignment.measure.code == data.FOOD_SETS for m in handouts)


def test_residents_in_a_household_have_a_day_of_registration(loaded):
    in_households = HouseholdMember.objects.filter(person__external_key__startswith=KEY_PREFIX)
    addresses = Address.objects.filter(
        kind=AddressKind.REGISTRATION, person__in=in_households.values("person")
    )
    assert addresses.exists()
    assert not addresses.filter(registered_on__isnull=True).exists()


def test_a_run_of_every_measure_a_whatif_of_the_draft_and_an_outreach_list(loaded):
    runs = EligibilityRun.objects.filter(status=RunStatus.DONE)
    published = MeasureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    ran = runs.filter(baseline__isnull=True)
    assert set(ran.values_list("version", flat=True)) == set(published.values_list("pk", flat=True))
    assert all(run.checksum and run.evaluated > 0 for run in ran)
    whatif = runs.get(baseline__isnull=False)
    assert whatif.version.status == VersionStatus.DRAFT
    assert whatif.version.measure.code == data.CHILD_BENEFIT
    assert whatif.changes.exists() and whatif.summary["total"]["changed"] > 0
    child = ran.get(version__measure__code=data.CHILD_BENEFIT)
    outreach = Outreach.objects.filter(run=child)
    assert outreach.exists()
    assert outreach.exclude(status=OutreachStatus.TO_CONTACT).exists()
    # Nobody listed holds the measure or applied for it.
    holders = Assignment.objects.filter(measure=child.version.measure).values("person")
    applicants = Application.objects.filter(measure=child.version.measure).values("person")
    assert not outreach.filter(person__in=holders).exists()
    assert not outreach.filter(person__in=applicants).exists()
