"""The monthly act of delivered services: once a month, for a month begun, with something
delivered; its cost the sum of the deliveries and its fee the cost up to the programme's cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.casework import audit_actions as actions
from opora.casework import selectors, services
from opora.casework.models import CaseStatus
from opora.casework.services import DeliveryEntry, UrgentEntry
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry

S = CaseStatus
SPRING = dt.date(2026, 3, 2)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def served(case_at):
    """A case in service since ``SPRING`` (one unit delivered that day) at ``income``."""

    def do(income="45000"):
        return case_at(S.IN_SERVICE, applied_on=SPRING, income=Decimal(income))

    return do


def deliver(case, *quantities, on=dt.date(2026, 4, 14)):
    item = selectors.programme_in_force(case).items.get()
    services.deliveries_record(
        actor=SYSTEM,
        case=case,
        entries=[DeliveryEntry(item=item, delivered_on=on, quantity=q) for q in quantities],
    )
    return item


@pytest.mark.parametrize(
    "income, quantities, fee",
    [
        # Above the income limit: the fee is the cost while it stays under the cap...
        ("45000", (3, 2), "cost"),
        # ... and the cap once the cost passes it.
        ("45000", (40, 30), "cap"),
        # Within the limit the services are free.
        ("25000", (3, 2), "free"),
    ],
)
def test_the_act_of_a_month_sums_its_deliveries_and_caps_the_fee(
    served, urgent_service, worker_a, income, quantities, fee
):
    case = served(income)
    item = deliver(case, *quantities)
    services.urgent_service_deliver(
        actor=SYSTEM,
        case=case,
        entry=UrgentEntry(service=urgent_service),
        delivered_on=dt.date(2026, 4, 20),
    )
    programme = item.programme
    act = services.act_issue(actor=worker_a, case=case, month=dt.date(2026, 4, 17))
    cost = item.unit_price * sum(quantities)
    assert (act.month, act.programme, act.deliveries) == (APRIL, programme, len(quantities))
    assert act.cost == cost
    # The cap is the calculator's for this recipient (a pensioner: her group's minimum).
    assert programme.is_free == (fee == "free")
    expected = {"cost": cost, "cap": programme.fee_cap, "free": Decimal("0")}[fee]
    assert act.fee == expected
    if fee == "cap":
        assert programme.fee_cap < cost
    elif fee == "cost":
        assert cost <= programme.fee_cap
    assert act.issued_by == worker_a
    assert AuditEntry.objects.filter(action=actions.ACT_ISSUED).count() == 1


def test_an_act_is_issued_once_a_month(served, refuses):
    case = served()
    deliver(case, 1)
    services.act_issue(actor=SYSTEM, case=case, month=APRIL)
    refuses("act_exists", services.act_issue, actor=SYSTEM, case=case, month=dt.date(2026, 4, 30))


def test_an_act_is_for_a_month_that_has_begun(served, refuses, today):
    case = served()
    next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    refuses("month_not_begun", services.act_issue, actor=SYSTEM, case=case, month=next_month)


def test_an_act_needs_something_delivered_against_a_programme(served, refuses):
    case = served()
    refuses("nothing_delivered", services.act_issue, actor=SYSTEM, case=case, month=APRIL)
    refuses(
        "no_programme_that_month",
        services.act_issue,
        actor=SYSTEM,
        case=case,
        month=dt.date(2026, 2, 1),
    )


def test_the_figures_are_those_of_the_month_only(served):
    case = served()
    deliver(case, 2, on=dt.date(2026, 3, 31))
    deliver(case, 4, on=dt.date(2026, 4, 1))
    deliver(case, 8, on=dt.date(2026, 5, 1))
    figures = selectors.act_figures(case, APRIL)
    assert [d.quantity for d in figures.deliveries] == [4]
    assert figures.cost == Decimal("1000.00")
