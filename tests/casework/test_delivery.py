"""Services delivered against the programme in force: within its volume, its term and what the
recipient agreed to; a whole day's entry is written whole or not at all."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.casework import audit_actions as actions
from opora.casework import selectors, services
from opora.casework.models import CaseStatus, CaseTransition, Delivery
from opora.casework.services import DayLine, DeliveryEntry
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry

S = CaseStatus


def entry(item, day, quantity=1, **fields):
    return DeliveryEntry(item=item, delivered_on=day, quantity=quantity, **fields)


def item_of(case):
    return selectors.programme_in_force(case).items.get()


def test_the_first_delivery_puts_an_agreed_case_into_service(case_at, today, home_worker_a):
    case = case_at(S.AGREED)
    services.case_assign_worker(actor=SYSTEM, case=case, employee=home_worker_a)
    item = item_of(case)
    first_day = case.applied_on + dt.timedelta(days=1)
    recorded = services.deliveries_record(
        actor=SYSTEM,
        case=case,
        entries=[
            entry(item, today, minutes=40, started_at=dt.time(10, 30), note=" Продукты "),
            entry(item, first_day, quantity=2),
        ],
    )
    assert len(recorded) == 2
    case.refresh_from_db()
    assert (case.status, case.status_since) == (S.IN_SERVICE, first_day)
    step = CaseTransition.objects.filter(case=case).last()
    assert (step.from_status, step.to_status, step.on) == (S.AGREED, S.IN_SERVICE, first_day)
    delivery = Delivery.objects.get(case=case, delivered_on=today)
    assert (delivery.minutes, delivery.note, delivery.worker) == (40, "Продукты", home_worker_a)
    assert delivery.unit_price == item.unit_price
    (line,) = selectors.item_lines(item.programme)
    assert (line.delivered, line.left) == (3, item.volume - 3)
    assert AuditEntry.objects.filter(action=actions.DELIVERIES_RECORDED).count() == 1


def test_a_delivery_beyond_the_volume_is_refused(case_at, refuses, today):
    case = case_at(S.IN_SERVICE, volume=3)  # one unit delivered already
    item = item_of(case)
    error = refuses(
        "beyond_volume",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(item, today, quantity=3)],
    )
    assert error.status == 409
    assert "quantity" in error.details
    services.deliveries_record(actor=SYSTEM, case=case, entries=[entry(item, today, quantity=2)])
    refuses(
        "beyond_volume",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(item, today)],
    )


def test_entries_of_one_call_that_together_pass_the_volume_are_refused_whole(
    case_at, refuses, today
):
    case = case_at(S.AGREED, volume=3)
    item = item_of(case)
    error = refuses(
        "beyond_volume",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(item, case.applied_on, 2), entry(item, today, 2)],
    )
    assert error.details["line"] == 1  # the second entry passes the volume, not the first
    case.refresh_from_db()
    assert case.status == S.AGREED


@pytest.mark.parametrize("days, code", [(-1, "outside_term"), (None, "date_in_future")])
def test_a_delivery_outside_the_term_or_in_the_future_is_refused(
    case_at, refuses, today, days, code
):
    case = case_at(S.IN_SERVICE)
    day = case.applied_on + dt.timedelta(days=days) if days else today + dt.timedelta(days=1)
    refuses(
        code,
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(item_of(case), day)],
    )


def test_a_service_refused_in_writing_is_not_delivered_from_that_day(case_at, refuses, today):
    case = case_at(S.IN_SERVICE)
    item = item_of(case)
    services.programme_service_refuse(actor=SYSTEM, item=item, refused_on=today, refusal="Не нужно")
    refuses(
        "service_refused",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(item, today)],
    )
    # A visit before the refusal is still recorded.
    services.deliveries_record(actor=SYSTEM, case=case, entries=[entry(item, case.applied_on)])


@pytest.mark.parametrize(
    "status, code",
    [
        (S.PROGRAMME_DRAFTED, "not_in_service"),
        (S.SUSPENDED, "not_in_service"),
        (S.CLOSED, "case_closed"),
    ],
)
def test_nothing_is_delivered_to_a_case_out_of_service(case_at, refuses, today, status, code):
    case = case_at(S.IN_SERVICE)
    item = item_of(case)
    if status == S.SUSPENDED:
        services.case_suspend(actor=SYSTEM, case=case, on=today, note="В больнице")
    elif status == S.CLOSED:
        services.case_close(actor=SYSTEM, case=case, on=today, note="Переезд")
    else:
        case = case_at(S.PROGRAMME_DRAFTED)
        item = case.programmes.get().items.get()
    refuses(code, services.deliveries_record, actor=SYSTEM, case=case, entries=[entry(item, today)])


def test_a_service_of_a_superseded_version_is_refused(case_at, refuses, today):
    from decimal import Decimal

    case = case_at(S.IN_SERVICE)
    old = item_of(case)
    new = services.programme_draft(
        actor=SYSTEM, case=case, form="home", drawn_up_on=today, income=Decimal("30000")
    )
    services.programme_agree(actor=SYSTEM, programme=new, agreed_on=today)
    refuses(
        "item_not_in_force",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(old, today)],
    )
    services.deliveries_record(actor=SYSTEM, case=case, entries=[entry(new.items.get(), today)])


def test_at_least_one_entry(case_at, refuses):
    refuses(
        "nothing_delivered",
        services.deliveries_record,
        actor=SYSTEM,
        case=case_at(S.IN_SERVICE),
        entries=[],
    )


def test_a_quantity_is_positive(case_at, refuses, today):
    case = case_at(S.IN_SERVICE)
    refuses(
        "quantity_not_positive",
        services.deliveries_record,
        actor=SYSTEM,
        case=case,
        entries=[entry(item_of(case), today, quantity=0)],
    )


# --- A whole day at once -----------------------------------------------------------------------


@pytest.fixture
def two_recipients(case_at, make_person, institution_a, home_worker_a):
    cases = [
        case_at(S.IN_SERVICE, volume=3),
        case_at(S.IN_SERVICE, person=make_person(institution_a), volume=3),
    ]
    for case in cases:
        services.case_assign_worker(actor=SYSTEM, case=case, employee=home_worker_a)
    return cases


def test_a_day_is_recorded_with_its_deliveries_and_missed_visits(
    two_recipients, home_worker_a, worker_a, today
):
    served, away = two_recipients
    counts = services.day_record(
        actor=worker_a,
        worker=home_worker_a,
        day=today,
        lines=[
            DayLine(case=served, delivered=[(item_of(served), 2, 45)], note="Всё хорошо"),
            DayLine(case=away, missed_reason="in_hospital"),
        ],
    )
    assert counts == {"delivered": 1, "missed": 1}
    delivery = Delivery.objects.get(case=served, delivered_on=today)
    assert (delivery.quantity, delivery.minutes, delivery.worker) == (2, 45, home_worker_a)
    assert away.missed_visits.get().reason == "in_hospital"


def test_a_day_is_all_or_nothing(two_recipients, home_worker_a, refuses, today):
    served, too_much = two_recipients
    error = refuses(
        "beyond_volume",
        services.day_record,
        actor=SYSTEM,
        worker=home_worker_a,
        day=today,
        lines=[
            DayLine(case=served, delivered=[(item_of(served), 1, 30)]),
            DayLine(case=too_much, missed_reason="other", note="Не открыла дверь"),
            DayLine(case=too_much, delivered=[(item_of(too_much), 5, 30)]),
        ],
    )
    assert error.details["case"] == too_much.pk  # the refused recipient's line is named


def test_an_empty_day_is_refused(two_recipients, home_worker_a, refuses, today):
    served, _other = two_recipients
    refuses(
        "nothing_entered",
        services.day_record,
        actor=SYSTEM,
        worker=home_worker_a,
        day=today,
        lines=[DayLine(case=served)],
    )


def test_a_delivery_dated_before_the_agreement_does_not_step_back_the_timeline(case_at, today):
    case = case_at(S.PROGRAMME_DRAFTED)
    programme = case.programmes.get()
    services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=today)
    services.deliveries_record(
        actor=SYSTEM, case=case, entries=[entry(programme.items.get(), programme.valid_from)]
    )
    steps = list(CaseTransition.objects.filter(case=case).order_by("id"))
    assert [s.on for s in steps] == sorted(s.on for s in steps)
    case.refresh_from_db()
    assert (case.status, case.status_since) == (S.IN_SERVICE, today)
