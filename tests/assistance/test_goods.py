"""Help in kind: goods received, handed out under an in-kind assignment in force, written off;
the stock never below zero, even for two hand-outs at once (on PostgreSQL two connections race
for the last sets); a refusal writes nothing; another institution's worker finds nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from opora.assistance import audit_actions as actions
from opora.assistance.models import (
    AssignmentStatus,
    MeasureKind,
    MovementKind,
    StockBalance,
    StockMovement,
)
from opora.assistance.selectors.goods import (
    handouts_of,
    in_kind_assignments,
    stock_balances,
    stock_institutions,
    stock_movements,
)
from opora.assistance.services.goods import (
    goods_kind_create,
    stock_issue,
    stock_receive,
    stock_write_off,
)
from opora.core.actors import SYSTEM
from opora.core.errors import Conflict, DomainError, NotFound
from opora.core.models import AuditEntry

from .contract_support import *  # noqa: F403 - the fixtures


def _left(institution, goods) -> int:
    return StockBalance.objects.get(institution=institution, goods=goods).quantity


def test_receive_issue_and_write_off_move_the_stock(
    stocked, in_kind_assignment, institution_a, worker_a, person_a, today
):
    stock_receive(actor=worker_a, institution=institution_a, goods=stocked, quantity=3, on=today)
    assert _left(institution_a, stocked) == 8
    handout = stock_issue(
        actor=worker_a, assignment=in_kind_assignment, goods=stocked, quantity=2, on=today
    )
    assert (handout.person, handout.institution, handout.kind) == (
        person_a,
        institution_a,
        MovementKind.ISSUE,
    )
    stock_write_off(
        actor=worker_a,
        institution=institution_a,
        goods=stocked,
        quantity=1,
        on=today,
        note="Истёк срок годности",
    )
    assert _left(institution_a, stocked) == 5
    assert [m.kind for m in stock_movements(actor=worker_a, institution=institution_a)] == [
        "write_off",
        "issue",
        "receipt",
        "receipt",
    ]
    assert list(handouts_of(actor=worker_a, person=person_a)) == [handout]
    assert AuditEntry.objects.filter(action=actions.STOCK_ISSUED).get().data["quantity"] == 2
    assert AuditEntry.objects.filter(action=actions.STOCK_WRITTEN_OFF).get().reason == (
        "Истёк срок годности"
    )
    assert AuditEntry.objects.filter(action=actions.STOCK_RECEIVED).count() == 2


def test_more_than_is_in_stock_is_refused_saying_how_many_are_left(
    stocked, in_kind_assignment, institution_a, worker_a, today
):
    with pytest.raises(Conflict) as refusal:
        stock_issue(
            actor=worker_a, assignment=in_kind_assignment, goods=stocked, quantity=6, on=today
        )
    assert refusal.value.code == "not_enough_stock"
    assert refusal.value.details["left"] == 5
    assert "5" in refusal.value.message
    with pytest.raises(Conflict):
        stock_write_off(
            actor=worker_a, institution=institution_a, goods=stocked, quantity=6, on=today,
            note="Порча",
        )  # fmt: skip
    assert _left(institution_a, stocked) == 5
    assert StockMovement.objects.count() == 1  # the receipt of the fixture
    assert not AuditEntry.objects.filter(
        action__in=[actions.STOCK_ISSUED, actions.STOCK_WRITTEN_OFF]
    ).exists()


def test_goods_never_received_are_not_in_stock(food_set, in_kind_assignment, worker_a, today):
    with pytest.raises(Conflict) as refusal:
        stock_issue(
            actor=worker_a, assignment=in_kind_assignment, goods=food_set, quantity=1, on=today
        )
    assert refusal.value.details["left"] == 0
    assert not StockMovement.objects.exists()


def test_issue_only_under_an_in_kind_assignment_in_force_and_within_it(
    stocked, in_kind_assignment, contract_assignment, worker_a, today
):
    def refused(code, **changes):
        fields = {"assignment": in_kind_assignment, "goods": stocked, "quantity": 1, "on": today}
        with pytest.raises(DomainError) as refusal:
            stock_issue(actor=worker_a, **{**fields, **changes})
        assert refusal.value.code == code

    refused("not_in_kind", assignment=contract_assignment)
    refused("quantity_not_positive", quantity=0)
    refused("date_in_future", on=today + dt.timedelta(days=1))
    refused("date_too_early", on=in_kind_assignment.starts_on - dt.timedelta(days=1))
    in_kind_assignment.status = AssignmentStatus.TERMINATED
    in_kind_assignment.save()
    refused("assignment_not_active")
    assert StockMovement.objects.filter(kind=MovementKind.ISSUE).count() == 0


def test_bad_receipts_write_nothing(food_set, institution_a, worker_a, today):
    for quantity, on, code in [
        (0, today, "quantity_not_positive"),
        (-3, today, "quantity_not_positive"),
        (1, today + dt.timedelta(days=1), "date_in_future"),
    ]:
        with pytest.raises(DomainError) as refusal:
            stock_receive(
                actor=worker_a, institution=institution_a, goods=food_set, quantity=quantity, on=on
            )
        assert refusal.value.code == code
    with pytest.raises(DomainError) as reasonless:
        stock_write_off(
            actor=worker_a, institution=institution_a, goods=food_set, quantity=1, on=today,
            note=" ",
        )  # fmt: skip
    assert reasonless.value.code == "required"
    assert not StockMovement.objects.exists()
    assert not StockBalance.objects.filter(quantity__gt=0).exists()


def test_another_institutions_worker_cannot_move_the_stock_and_sees_nothing(
    stocked, in_kind_assignment, institution_a, worker_a, worker_b, person_a, today
):
    stock_issue(actor=worker_a, assignment=in_kind_assignment, goods=stocked, quantity=1, on=today)
    with pytest.raises(NotFound):
        stock_issue(
            actor=worker_b, assignment=in_kind_assignment, goods=stocked, quantity=1, on=today
        )
    with pytest.raises(NotFound):
        stock_receive(
            actor=worker_b, institution=institution_a, goods=stocked, quantity=1, on=today
        )
    with pytest.raises(NotFound):
        stock_write_off(
            actor=worker_b, institution=institution_a, goods=stocked, quantity=1, on=today,
            note="…",
        )  # fmt: skip
    assert _left(institution_a, stocked) == 4
    assert not stock_balances(actor=worker_b).exists()
    assert not stock_movements(actor=worker_b).exists()
    assert not handouts_of(actor=worker_b, person=person_a).exists()
    assert not in_kind_assignments(actor=worker_b).exists()
    assert institution_a not in stock_institutions(actor=worker_b)
    assert list(in_kind_assignments(actor=worker_a)) == [in_kind_assignment]


def test_a_kind_of_goods_needs_a_known_unit_and_a_unique_code(db):
    goods_kind_create(actor=SYSTEM, code="coat", name="Пальто", unit="piece")
    with pytest.raises(DomainError) as unit:
        goods_kind_create(actor=SYSTEM, code="boots", name="Сапоги", unit="pair")
    assert unit.value.code == "invalid_choice"
    with pytest.raises(DomainError) as twice:
        goods_kind_create(actor=SYSTEM, code="coat", name="Пальто", unit="piece")
    assert "code" in twice.value.details
    assert AuditEntry.objects.filter(action=actions.GOODS_KIND_CREATED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_handouts_at_once_never_take_the_stock_below_zero(
    make_assignment, make_person, make_user, make_institution
):
    """Two workers hand out the last sets at the same moment, each in its own transaction on its
    own connection: one succeeds, the other is refused with what is left, and the stock is
    never negative."""
    institution = make_institution()
    worker = make_user(institutions=[institution])
    goods = goods_kind_create(actor=SYSTEM, code="race-set", name="Набор", unit="set")
    today = dt.date.today()
    stock_receive(actor=SYSTEM, institution=institution, goods=goods, quantity=3, on=today)
    assignments = [
        make_assignment(
            kind=MeasureKind.IN_KIND, institution=institution, person=make_person(institution)
        )
        for _ in range(2)
    ]
    # SQLite writes one transaction at a time: there the two go in turn.
    at_once = connection.vendor != "sqlite"
    start = threading.Barrier(2 if at_once else 1)
    outcomes: list[str] = []

    def hand_out(assignment):
        try:
            start.wait(timeout=10)
            stock_issue(actor=worker, assignment=assignment, goods=goods, quantity=2, on=today)
            outcomes.append("issued")
        except Conflict as refusal:
            outcomes.append(f"{refusal.code}:{refusal.details['left']}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hand_out, args=(a,)) for a in assignments]
    for thread in threads:
        thread.start()
        if not at_once:
            thread.join()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued", "not_enough_stock:1"]
    assert _left(institution, goods) == 1
    assert StockMovement.objects.filter(kind=MovementKind.ISSUE).count() == 1
