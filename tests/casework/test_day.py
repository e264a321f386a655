"""A home-care worker's day in one action: the open visits recorded as delivered as planned,
with the visits marked otherwise (missed, partly delivered, an extra service); confirming twice
records nothing twice; another institution's worker does not exist; a refused visit leaves the
whole day unwritten. The day sheet, its confirm action and the dashboard's card of today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from freezegun import freeze_time

from opora.casework import audit_actions as actions
from opora.casework import selectors, services
from opora.casework.models import CaseStatus, Delivery, MissedVisit
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry

from .conftest import footprint, working_day_before

S = CaseStatus
# A Thursday and a working day of the calendar: the recipients below are visited every
# working day, so each is on its sheet.
THURSDAY = "2026-12-03 10:00"


@pytest.fixture(autouse=True)
def on_a_thursday():
    # The API's schemas are built on import with the real date type, before time stands still.
    get_resolver().url_patterns  # noqa: B018
    # pytest times each test by the clock too: it keeps the real one.
    with freeze_time(THURSDAY, tick=True, ignore=["_pytest.timing"]):
        yield


@pytest.fixture
def services_at_home(make_home_service, provide, institution_a):
    """Two services given every working day and one without a periodicity (an extra)."""
    return [
        provide(institution_a, make_home_service(name=name, name_en=name_en))
        for name, name_en in (
            ("Покупка продуктов", "Buying groceries"),
            ("Уборка жилого помещения", "Cleaning the home"),
            ("Сопровождение в поликлинику", "Escort to the clinic"),
        )
    ]


@pytest.fixture
def recipient(case_at, make_person, institution_a, home_worker_a, services_at_home, today):
    """``recipient(surname)``: an agreed case of A given to ``home_worker_a`` whose programme
    has two services five times a week and one extra service."""

    def make(last_name: str, *, volume: int = 100):
        applied_on = working_day_before(today, 20)
        case = case_at(
            S.RECOGNISED,
            person=make_person(institution_a, last_name=last_name),
            applied_on=applied_on,
        )
        programme = services.programme_draft(
            actor=SYSTEM, case=case, form="home", drawn_up_on=applied_on, income=Decimal("30000")
        )
        # case_at's draft already holds provider_a's service twice a week; the day's services
        # are the ones below.
        for item in programme.items.all():
            services.programme_item_remove(actor=SYSTEM, item=item)
        daily, cleaning, extra = services_at_home
        for provider, times in ((daily, 5), (cleaning, 5), (extra, None)):
            services.programme_item_add(
                actor=SYSTEM,
                programme=programme,
                service=provider.service,
                provider=provider,
                volume=volume,
                times=times,
                per="week" if times else "",
            )
        services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=applied_on)
        services.case_assign_worker(actor=SYSTEM, case=case, employee=home_worker_a)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def three(recipient):
    return [recipient(name) for name in ("Астрова", "Бегониева", "Вереск")]


def items_of(case):
    """The programme's items: the two planned every day, then the extra one."""
    return list(case.programmes.get(status="agreed").items.order_by("service__code"))


def test_the_fixture_plans_every_recipient_today(three, worker_a, home_worker_a, today):
    visits = selectors.day_sheet(actor=worker_a, employee=home_worker_a, day=today)
    assert sorted(v.case.pk for v in visits) == sorted(c.pk for c in three)
    assert all(len(v.items) == 2 and len(v.extra) == 1 for v in visits)


# --- The service ------------------------------------------------------------------------------


def test_one_action_records_every_open_visit_and_twice_records_nothing_twice(
    three, worker_a, home_worker_a, today
):
    done = services.day_confirm(actor=worker_a, worker=home_worker_a, day=today)

    assert (done.delivered, done.missed, done.already_recorded) == (6, 0, 0)
    rows = Delivery.objects.filter(delivered_on=today)
    assert sorted(rows.values_list("case", flat=True)) == sorted(2 * [c.pk for c in three])
    assert {(d.quantity, d.minutes, d.worker_id) for d in rows} == {(1, 30, home_worker_a.pk)}
    assert AuditEntry.objects.filter(action=actions.DELIVERIES_RECORDED).count() == 3
    day_entry = AuditEntry.objects.get(action=actions.DAY_CONFIRMED)
    assert day_entry.data["delivered"] == 6 and day_entry.actor == worker_a

    before = footprint()
    again = services.day_confirm(actor=worker_a, worker=home_worker_a, day=today)
    assert (again.delivered, again.missed, again.already_recorded) == (0, 0, 3)
    assert footprint() == before


def test_the_marked_visits_are_recorded_as_marked(three, worker_a, home_worker_a, today):
    missed, partly, extra = three
    partly_daily, partly_cleaning, _partly_extra = items_of(partly)
    extra_daily, extra_cleaning, extra_item = items_of(extra)

    done = services.day_confirm(
        actor=worker_a,
        worker=home_worker_a,
        day=today,
        exceptions=[
            services.VisitException(
                case_pk=missed.pk, missed_reason="in_hospital", note="Городская больница № 1"
            ),
            services.VisitException(case_pk=partly.pk, units={partly_cleaning.pk: 0}),
            services.VisitException(
                case_pk=extra.pk, units={extra_daily.pk: 2}, extra=[(extra_item, 1)]
            ),
        ],
    )

    assert (done.delivered, done.missed) == (4, 1)
    gone = MissedVisit.objects.get(case=missed, planned_on=today)
    assert (gone.reason, gone.note, gone.worker) == (
        "in_hospital",
        "Городская больница № 1",
        home_worker_a,
    )
    assert not Delivery.objects.filter(case=missed, delivered_on=today).exists()
    assert list(
        Delivery.objects.filter(case=partly, delivered_on=today).values_list("item", "quantity")
    ) == [(partly_daily.pk, 1)]
    assert sorted(
        Delivery.objects.filter(case=extra, delivered_on=today).values_list("item", "quantity")
    ) == sorted([(extra_daily.pk, 2), (extra_cleaning.pk, 1), (extra_item.pk, 1)])


def test_a_visit_recorded_elsewhere_is_left_alone(three, worker_a, home_worker_a, today):
    first = three[0]
    services.visit_miss(actor=worker_a, case=first, planned_on=today, reason="not_at_home")

    done = services.day_confirm(actor=worker_a, worker=home_worker_a, day=today)

    assert (done.delivered, done.missed, done.already_recorded) == (4, 0, 1)
    assert not Delivery.objects.filter(case=first, delivered_on=today).exists()


def test_another_institutions_worker_does_not_exist(three, worker_b, home_worker_a, today, refuses):
    error = refuses(
        "not_found", services.day_confirm, actor=worker_b, worker=home_worker_a, day=today
    )
    assert error.status == 404


def test_a_recipient_not_on_the_sheet_is_not_found(
    three, worker_a, home_worker_a, today, refuses, case_at, make_person, institution_a
):
    elsewhere = case_at(S.APPLIED, person=make_person(institution_a, last_name="Гортензиева"))
    error = refuses(
        "visit_not_planned",
        services.day_confirm,
        actor=worker_a,
        worker=home_worker_a,
        day=today,
        exceptions=[services.VisitException(case_pk=elsewhere.pk, missed_reason="not_at_home")],
    )
    assert error.status == 404


def test_one_refused_visit_leaves_the_whole_day_unwritten(
    recipient, worker_a, home_worker_a, today, refuses
):
    first = recipient("Гвоздикина")
    last = recipient("Дубравина", volume=1)
    daily, _cleaning, _extra = items_of(last)
    error = refuses(
        "beyond_volume",
        services.day_confirm,
        actor=worker_a,
        worker=home_worker_a,
        day=today,
        exceptions=[services.VisitException(case_pk=last.pk, units={daily.pk: 2})],
    )
    assert error.details["case"] == last.pk
    assert not Delivery.objects.filter(case=first, delivered_on=today).exists()


@pytest.mark.parametrize(
    "exception, code",
    [
        ({"units": "all zero"}, "reason_missing"),
        ({"missed_reason": "bored"}, "unknown_reason"),
        ({"missed_reason": "other"}, "reason_unexplained"),
        ({"missed_reason": "not_at_home", "units": "one"}, "missed_and_delivered"),
    ],
)
def test_a_visit_marked_wrongly_is_refused(
    three, worker_a, home_worker_a, today, refuses, exception, code
):
    case = three[1]
    daily, cleaning, _extra = items_of(case)
    units = {"all zero": {daily.pk: 0, cleaning.pk: 0}, "one": {daily.pk: 1}}.get(
        exception.get("units", ""), {}
    )
    error = refuses(
        code,
        services.day_confirm,
        actor=worker_a,
        worker=home_worker_a,
        day=today,
        exceptions=[
            services.VisitException(
                case_pk=case.pk, missed_reason=exception.get("missed_reason", ""), units=units
            )
        ],
    )
    assert error.details["case"] == case.pk


def test_a_day_to_come_is_not_recorded(three, worker_a, home_worker_a, today, refuses):
    refuses(
        "date_in_future",
        services.day_confirm,
        actor=worker_a,
        worker=home_worker_a,
        day=today + dt.timedelta(days=1),
    )


# --- The pages --------------------------------------------------------------------------------


def sheet_url(employee, day):
    return reverse("casework:day_sheet", args=[employee.pk, day.isoformat()])


def confirm_url(employee, day):
    return reverse("casework:day_confirm", args=[employee.pk, day.isoformat()])


def test_the_day_sheet_lists_the_visits_by_the_services_names(
    login, three, worker_a, home_worker_a, today
):
    page = login(worker_a).get(sheet_url(home_worker_a, today))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Покупка продуктов" in text and "Уборка жилого помещения" in text
    assert confirm_url(home_worker_a, today) in text
    assert (page.context["planned"], page.context["recorded"]) == (3, 0)


def test_confirming_from_the_sheet_records_the_day_with_its_exception(
    login, three, worker_a, home_worker_a, today
):
    missed = three[0]
    client = login(worker_a)
    response = client.post(
        confirm_url(home_worker_a, today), {f"missed-{missed.pk}": "not_at_home"}
    )
    assert response.status_code == 302
    assert response["Location"] == sheet_url(home_worker_a, today)
    assert MissedVisit.objects.filter(case=missed, planned_on=today).exists()
    assert Delivery.objects.filter(delivered_on=today).count() == 4

    sheet = client.get(sheet_url(home_worker_a, today))
    assert (sheet.context["recorded"], sheet.context["open"]) == (3, 0)
    assert 'data-testid="day-done"' in sheet.content.decode()
    # Pressed again, from a page left open: nothing more is written.
    before = footprint()
    assert client.post(confirm_url(home_worker_a, today), {}).status_code == 302
    assert footprint() == before


def test_a_refused_visit_is_shown_next_to_it_and_nothing_is_written(
    login, recipient, worker_a, home_worker_a, today
):
    case = recipient("Ежевикина")
    daily, cleaning, _extra = items_of(case)
    client = login(worker_a)
    before = footprint()
    response = client.post(
        confirm_url(home_worker_a, today),
        {f"units-{case.pk}-{daily.pk}": "0", f"units-{case.pk}-{cleaning.pk}": "0"},
    )
    assert response.status_code == 200
    assert footprint() == before
    (row,) = response.context["rows"]
    assert row.errors and row.marked


def test_the_confirm_action_is_for_caseworkers_of_the_institution(
    login, three, worker_b, analyst, home_worker_a, today
):
    assert login(worker_b).post(confirm_url(home_worker_a, today), {}).status_code == 404
    assert login(analyst).post(confirm_url(home_worker_a, today), {}).status_code == 403
    assert not Delivery.objects.filter(delivered_on=today).exists()


def test_the_dashboard_counts_todays_visits_and_leads_to_the_sheet(
    login, three, worker_a, home_worker_a, analyst, today
):
    services.visit_miss(actor=worker_a, case=three[0], planned_on=today, reason="not_at_home")
    page = login(worker_a).get(reverse("core:dashboard")).content.decode()
    assert 'data-widget="casework-today"' in page
    assert sheet_url(home_worker_a, today) in page
    (widget,) = [w for w in login(worker_a).get("/").context["widgets"] if w.get("employee")]
    assert (widget["planned"], widget["recorded"], widget["open"]) == (3, 1, 2)

    assert 'data-widget="casework-today"' not in login(analyst).get("/").content.decode()
