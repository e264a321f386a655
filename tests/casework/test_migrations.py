"""The data migration that counts the programme deadline of stored cases again from the
application (442-FZ art. 16 part 4), run backwards and forwards on the test database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opora.casework import services
from opora.casework.models import Case, CaseStatus
from opora.core.actors import SYSTEM

from .conftest import barthel_answers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("casework", "0003_labels")]
AFTER = [("casework", "0004_programme_due_from_application")]
# A Friday before a Monday holiday (23 February 2026); 9 March is a day off moved from Sunday.
APPLIED_ON = dt.date(2026, 2, 20)
DUE = dt.date(2026, 3, 10)  # the tenth working day after the application
DECIDED_ON = dt.date(2026, 3, 2)
OLD_DUE = dt.date(2026, 3, 17)  # the tenth working day after the decision: the old, wrong date


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_to_latest() -> None:
    """Every app at its last migration again, so the tests after this one find the schema
    whole (going back to ``BEFORE`` also took back the casework migrations after ``AFTER``)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def stored(casework_reference, grounds, barthel, make_person, institution_a, provider_a):
    """Cases as the old code stored them: the programme deadline counted from the decision."""

    def case(status: str, *, applied_on: dt.date = APPLIED_ON) -> Case:
        case = services.case_register(
            actor=SYSTEM,
            person=make_person(institution_a),
            institution=institution_a,
            channel="in_person",
            applied_on=applied_on,
            grounds=[grounds["self-care-loss"]],
        )
        if status == CaseStatus.APPLIED:
            return case
        services.assessment_record(
            actor=SYSTEM,
            case=case,
            scale=barthel,
            answers=barthel_answers(barthel),
            assessed_on=DECIDED_ON,
        )
        services.need_decide(actor=SYSTEM, case=case, outcome="recognised", decided_on=DECIDED_ON)
        if status == CaseStatus.AGREED:
            programme = services.programme_draft(
                actor=SYSTEM, case=case, form="home", drawn_up_on=DECIDED_ON, income=Decimal(0)
            )
            services.programme_item_add(
                actor=SYSTEM,
                programme=programme,
                service=provider_a.service,
                provider=provider_a,
                volume=10,
            )
            services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=DECIDED_ON)
        case.refresh_from_db()
        waiting = case.status == CaseStatus.RECOGNISED
        Case.objects.filter(pk=case.pk).update(
            programme_due=OLD_DUE, **({"next_due": OLD_DUE} if waiting else {})
        )
        case.refresh_from_db()
        return case

    return case


def test_stored_deadlines_are_counted_again_from_the_application(stored):
    waiting = stored(CaseStatus.RECOGNISED)
    agreed = stored(CaseStatus.AGREED)
    undecided = stored(CaseStatus.APPLIED)
    assert (waiting.programme_due, waiting.next_due) == (OLD_DUE, OLD_DUE)
    review_due = agreed.next_due
    assert agreed.programme_due == OLD_DUE and review_due != OLD_DUE
    # A case whose year has no calendar keeps its date: the migration does not guess.
    uncounted = stored(CaseStatus.RECOGNISED)
    Case.objects.filter(pk=uncounted.pk).update(applied_on=dt.date(2019, 3, 1))
    try:
        _migrate(BEFORE)
    finally:
        _migrate_to_latest()

    waiting.refresh_from_db()
    assert (waiting.programme_due, waiting.next_due) == (DUE, DUE)
    agreed.refresh_from_db()
    # The programme is agreed: its deadline is corrected, the case waits for the review.
    assert (agreed.programme_due, agreed.next_due) == (DUE, review_due)
    undecided.refresh_from_db()
    assert undecided.programme_due is None
    assert undecided.next_due == undecided.decision_due
    uncounted.refresh_from_db()
    assert (uncounted.programme_due, uncounted.next_due) == (OLD_DUE, OLD_DUE)
    # What the services count is what the migration wrote.
    assert services.programme_due_of(waiting) == DUE
