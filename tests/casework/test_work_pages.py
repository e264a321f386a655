"""The worker's pages: the inbox, the overdue lists with and without names, and home care (the
caseloads, the weekly plan, the day sheet and the quick entry of a day's visits)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from opora.casework import selectors, services
from opora.casework.models import CaseStatus, Delivery, MissedVisit
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.rules import selectors as rules

from .conftest import working_day_before

HTMX_PLAN = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "plan"}


@pytest.fixture
def overdue_case(case_at, make_person, institution_a, today):
    """A case of A whose decision is long overdue, of a person with a surname found nowhere
    else on the pages."""
    person = make_person(institution_a, last_name="Незабудкина")
    case = case_at(CaseStatus.APPLIED, person=person, applied_on=working_day_before(today, 40))
    assert case.next_due < today
    return case


@pytest.fixture
def served(case_at, make_person, institution_a, home_worker_a, today):
    """``served(surname, volume=…)``: a case of A in service, given to ``home_worker_a``, with a
    home service twice a week; its first delivery was six weeks ago."""

    def make(last_name: str, **kw):
        person = make_person(institution_a, last_name=last_name)
        case = case_at(
            CaseStatus.IN_SERVICE,
            person=person,
            applied_on=working_day_before(today, 30),
            **kw,
        )
        services.case_assign_worker(actor=SYSTEM, case=case, employee=home_worker_a)
        return case

    return make


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def day_region(page: str, day: dt.date) -> str:
    """The part of the weekly plan that shows ``day``."""
    start = page.index(f'id="day-{day.isoformat()}"')
    return page[start : page.index("</section>", start)]


def visit_day(actor, employee, cases, today) -> dt.date:
    """A past day (not today's future) whose plan visits every case of ``cases``, none recorded."""
    wanted = {c.pk for c in cases}
    for back in range(28):
        day = today - dt.timedelta(days=back)
        visits = selectors.day_sheet(actor=actor, employee=employee, day=day)
        open_visits = {v.case.pk for v in visits if not v.recorded}
        if wanted <= open_visits:
            return day
    pytest.skip("no day of the last four weeks visits all of these recipients")


# --- The inbox --------------------------------------------------------------------------------


def test_the_inbox_shows_what_is_due_to_the_institutions_staff_only(
    login, worker_a, worker_b, overdue_case
):
    page = html(login(worker_a).get(reverse("casework:inbox")))
    assert overdue_case.number in page
    assert "Незабудкина" in page
    assert reverse("casework:case", args=[overdue_case.pk]) in page

    page = html(login(worker_b).get(reverse("casework:inbox")))
    assert overdue_case.number not in page
    assert "Незабудкина" not in page


def test_the_inbox_lists_overdue_cases_before_the_ones_due_today(
    login, worker_a, overdue_case, case_at, make_person, institution_a, today
):
    later = case_at(
        CaseStatus.APPLIED,
        person=make_person(institution_a, last_name="Позднякова"),
        applied_on=working_day_before(today, 30),
    )
    assert later.next_due > overdue_case.next_due
    response = login(worker_a).get(reverse("casework:inbox"))
    assert [row["case"].pk for row in response.context["rows"]] == [overdue_case.pk, later.pk]
    assert response.context["rows"][0]["late"] == (today - overdue_case.next_due).days


def test_the_inbox_of_a_home_care_worker_shows_todays_visits(
    login, worker_a, served, home_worker_a, today
):
    case = served("Ландышева")
    response = login(worker_a).get(reverse("casework:inbox"))
    assert response.context["employee"] == home_worker_a
    planned = selectors.day_sheet(actor=worker_a, employee=home_worker_a, day=today)
    assert [v.case.pk for v in response.context["visits"]] == [v.case.pk for v in planned]
    day_sheet = reverse("casework:day_sheet", args=[home_worker_a.pk, today.isoformat()])
    assert day_sheet in html(response)
    if planned:
        assert case.pk in {v.case.pk for v in planned}


def test_roles_outside_casework_get_403_from_the_inbox(client, make_user):
    client.force_login(make_user(Role.EMPLOYMENT_SPECIALIST))
    assert client.get(reverse("casework:inbox")).status_code == 403


# --- The overdue lists ------------------------------------------------------------------------


def test_staff_see_the_overdue_cases_of_their_institution_only(
    login, worker_a, worker_b, overdue_case, today
):
    response = login(worker_a).get(reverse("casework:overdue"))
    page = html(response)
    assert overdue_case.number in page
    assert "Незабудкина" in page
    assert response.context["rows"][0]["late"] == (today - overdue_case.next_due).days

    page = html(login(worker_b).get(reverse("casework:overdue")))
    assert overdue_case.number not in page
    assert "Незабудкина" not in page


def test_an_analyst_counts_per_institution_and_reads_no_name(
    login, analyst, overdue_case, institution_a, institution_b
):
    response = login(analyst).get(reverse("casework:overdue"))
    page = html(response)
    assert [(row["institution"], row["count"]) for row in response.context["counts"]] == [
        (institution_a.pk, 1)
    ]
    assert institution_a.name in page
    assert overdue_case.number in page
    assert "Незабудкина" not in page
    assert reverse("casework:case", args=[overdue_case.pk]) not in page

    # The filter by institution: none overdue at B.
    response = login(analyst).get(reverse("casework:overdue"), {"institution": institution_b.pk})
    assert response.status_code == 200
    assert overdue_case.number not in [row["case"].number for row in response.context["rows"]]


def test_an_administrator_sees_the_department_with_names(login, admin_user, overdue_case):
    response = login(admin_user).get(reverse("casework:overdue"))
    page = html(response)
    assert response.context["show_counts"]
    assert "Незабудкина" in page
    assert reverse("casework:case", args=[overdue_case.pk]) in page


# --- Home care --------------------------------------------------------------------------------


def test_an_analyst_gets_403_from_home_care(login, analyst):
    assert login(analyst).get(reverse("casework:caseloads")).status_code == 403


def test_the_caseloads_show_each_worker_against_her_limit(
    login, worker_a, worker_b, served, home_worker_a
):
    served("Ромашкина")
    response = login(worker_a).get(reverse("casework:caseloads"))
    page = html(response)
    [summary] = response.context["summaries"]
    assert (summary.employee, summary.count, summary.limit) == (home_worker_a, 1, 8)
    assert home_worker_a.last_name in page
    assert reverse("casework:worker", args=[home_worker_a.pk]) in page

    assert home_worker_a.last_name not in html(login(worker_b).get(reverse("casework:caseloads")))
    url = reverse("casework:worker", args=[home_worker_a.pk])
    assert login(worker_b).get(url).status_code == 404


def test_the_weekly_plan_shows_the_recipient_on_her_visit_days(
    login, worker_a, served, home_worker_a, today
):
    case = served("Василькова")
    start = selectors.week_start(today)
    calendar = rules.work_calendar()
    weekdays = selectors.visit_days(case.pk, 2)
    client = login(worker_a)
    url = reverse("casework:worker", args=[home_worker_a.pk])
    page = html(client.get(url, {"week": start.isoformat()}))
    assert "Василькова" in page  # the recipients of the caseload
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        visited = day.weekday() in weekdays and calendar.is_working_day(day)
        assert ("Василькова" in day_region(page, day)) is visited, day
        if not calendar.is_working_day(day):
            assert 'class="plan-day day-off' in page

    # HTMX moves a week forward and swaps the plan alone.
    following = start + dt.timedelta(days=7)
    fragment = html(client.get(url, {"week": following.isoformat()}, **HTMX_PLAN))
    assert "<html" not in fragment
    assert f'id="day-{following.isoformat()}"' in fragment
    assert f'id="day-{start.isoformat()}"' not in fragment


def test_a_malformed_week_falls_back_to_this_one(login, worker_a, home_worker_a, today):
    url = reverse("casework:worker", args=[home_worker_a.pk])
    response = login(worker_a).get(url, {"week": "next tuesday"})
    assert response.context["start"] == selectors.week_start(today)


def test_the_day_sheet_prints_the_visits_of_the_day(login, worker_a, served, home_worker_a, today):
    case = served("Незабудкина")
    day = visit_day(worker_a, home_worker_a, [case], today)
    client = login(worker_a)
    page = html(client.get(reverse("casework:day_sheet", args=[home_worker_a.pk, day.isoformat()])))
    assert "Незабудкина" in page
    assert case.number in page
    assert "data-print" in page
    assert "casework/homecare.css" in page
    picked = client.get(reverse("casework:day_sheet_of", args=[home_worker_a.pk]), {"day": day})
    assert picked.status_code == 302
    assert picked["Location"].endswith(f"/day/{day.isoformat()}/")


@pytest.mark.parametrize("day", ["x", "2025-02-30", "31.12.2025"])
def test_a_malformed_day_is_not_found(login, worker_a, home_worker_a, day):
    client = login(worker_a)
    assert client.get(f"/casework/home-care/{home_worker_a.pk}/day/{day}/").status_code == 404
    assert (
        client.post(f"/casework/home-care/{home_worker_a.pk}/day/{day}/entry/").status_code == 404
    )


def _same_visit_days(served, names):
    """Recipients whose visits fall on the same weekdays (the plan spreads them by case)."""
    cases = [served(name) for name in names]
    by_days: dict[tuple, list] = {}
    for case in cases:
        by_days.setdefault(selectors.visit_days(case.pk, 2), []).append(case)
    return max(by_days.values(), key=len)[:2]


def test_the_day_entry_records_deliveries_and_a_missed_visit(
    login, worker_a, served, home_worker_a, today
):
    delivered_case, missed_case = _same_visit_days(served, ["Астрова", "Бегониева", "Вереск"])
    day = visit_day(worker_a, home_worker_a, [delivered_case, missed_case], today)
    item = delivered_case.programmes.get().items.get()
    url = reverse("casework:day_entry", args=[home_worker_a.pk, day.isoformat()])
    client = login(worker_a)
    form = client.get(url).context["form"]
    assert f"done-{delivered_case.pk}-{item.pk}" in form.fields
    response = client.post(
        url,
        {
            f"done-{delivered_case.pk}-{item.pk}": "on",
            f"units-{delivered_case.pk}-{item.pk}": "2",
            f"minutes-{delivered_case.pk}-{item.pk}": "45",
            f"missed-{missed_case.pk}": "not_at_home",
            f"note-{missed_case.pk}": "Соседи: уехала к дочери",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "casework:day_sheet", args=[home_worker_a.pk, day.isoformat()]
    )
    delivery = Delivery.objects.get(case=delivered_case, delivered_on=day)
    assert (delivery.item, delivery.quantity, delivery.minutes) == (item, 2, 45)
    assert delivery.worker == home_worker_a
    missed = MissedVisit.objects.get(case=missed_case, planned_on=day)
    assert (missed.reason, missed.note) == ("not_at_home", "Соседи: уехала к дочери")
    # Recorded visits leave the form.
    assert client.get(url).context["form"].visits == []


def test_a_day_beyond_the_volume_writes_nothing_and_names_the_line(
    login, worker_a, served, home_worker_a, today
):
    full_case, missed_case = _same_visit_days(served, ["Гвоздикина", "Дубравина", "Ежевикина"])
    item = full_case.programmes.get().items.get()
    left = item.volume - 1  # the first delivery took one unit
    day = visit_day(worker_a, home_worker_a, [full_case, missed_case], today)
    deliveries_before = Delivery.objects.count()
    url = reverse("casework:day_entry", args=[home_worker_a.pk, day.isoformat()])
    response = login(worker_a).post(
        url,
        {
            f"done-{full_case.pk}-{item.pk}": "on",
            f"units-{full_case.pk}-{item.pk}": str(left + 1),
            f"missed-{missed_case.pk}": "in_hospital",
        },
    )
    page = html(response)
    assert Delivery.objects.count() == deliveries_before
    assert not MissedVisit.objects.filter(case=missed_case).exists()
    errors = {row.visit.case.pk: row.errors for row in response.context["rows"]}
    assert errors[full_case.pk] and not errors[missed_case.pk]
    assert str(left) in errors[full_case.pk][0]
    # The refusal stands inside the refused recipient's fieldset.
    fieldset = page[page.index("Гвоздикина") :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert escape(errors[full_case.pk][0]) in fieldset


def test_a_visit_both_delivered_and_missed_is_refused_by_the_form(
    login, worker_a, served, home_worker_a, today
):
    case = served("Жасминова")
    item = case.programmes.get().items.get()
    day = visit_day(worker_a, home_worker_a, [case], today)
    url = reverse("casework:day_entry", args=[home_worker_a.pk, day.isoformat()])
    response = login(worker_a).post(
        url,
        {
            f"done-{case.pk}-{item.pk}": "on",
            f"units-{case.pk}-{item.pk}": "1",
            f"missed-{case.pk}": "not_at_home",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"missed-{case.pk}"]
    assert not Delivery.objects.filter(case=case, delivered_on=day).exists()


def test_an_empty_day_entry_says_what_to_enter(login, worker_a, served, home_worker_a, today):
    case = served("Зверобоева")
    day = visit_day(worker_a, home_worker_a, [case], today)
    url = reverse("casework:day_entry", args=[home_worker_a.pk, day.isoformat()])
    response = login(worker_a).post(url, {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_the_lists_run_as_many_queries_for_many_rows_as_for_one(
    login, worker_a, analyst, overdue_case, case_at, make_person, institution_a, today
):
    """No query per row: the inbox and the overdue lists stay fast on a large department."""

    def queries(user, name):
        client = login(user)
        client.get(reverse(name))  # the session and the caches settle
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    pages = [
        (worker_a, "casework:inbox"),
        (worker_a, "casework:overdue"),
        (analyst, "casework:overdue"),
    ]
    with_one = [queries(user, name) for user, name in pages]
    for number in range(3):
        case_at(
            CaseStatus.APPLIED,
            person=make_person(institution_a, last_name=f"Позднякова{number}"),
            applied_on=working_day_before(today, 35 + number),
        )
    assert [queries(user, name) for user, name in pages] == with_one
