"""The pages of the rules in force: every staff role reads, only administrators change, the
fee calculator answers HTMX with its result alone, and an empty database shows explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.rules.models import CalendarDay, Region, RuleVersion, SubsistenceMinimum

READ_PAGES = [
    ("rules:list", {}),
    ("rules:rule", {"code": "fee_cap_share"}),
    ("rules:minimums", {}),
    ("rules:calendar", {"year": 2025}),
    ("rules:fees", {}),
]
EDITS = [
    (
        "rules:version_add",
        {"code": "need_decision_days"},
        {"valid_from": "2027-01-01", "value": "7"},
    ),
    (
        "rules:minimum_add",
        {},
        {
            "region": "1",
            "valid_from": "2027-01-01",
            "per_capita": "1",
            "working_age": "1",
            "pensioner": "1",
            "child": "1",
        },
    ),
    ("rules:region_add", {}, {"code": "tula", "name": "Тульская область"}),
    ("rules:calendar_year_add", {}, {"year": "2027"}),
    ("rules:calendar_day_add", {"year": 2025}, {"date": "2025-07-07", "kind": "day_off"}),
]


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER, Role.ANALYST, Role.COOPERATION_OFFICER],
)
def test_every_staff_role_reads_the_rules(rules, login, make_user, role):
    client = login(make_user(role))
    for name, kwargs in READ_PAGES:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER])
def test_only_administrators_change_the_rules(rules, login, make_user, role):
    client = login(make_user(role))
    before = (
        RuleVersion.objects.count(),
        SubsistenceMinimum.objects.count(),
        Region.objects.count(),
        CalendarDay.objects.count(),
        AuditEntry.objects.count(),
    )
    for name, kwargs, data in EDITS:
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name
    day = CalendarDay.objects.first()
    assert client.post(reverse("rules:calendar_day_remove", args=[day.pk])).status_code == 403
    assert before == (
        RuleVersion.objects.count(),
        SubsistenceMinimum.objects.count(),
        Region.objects.count(),
        CalendarDay.objects.count(),
        AuditEntry.objects.count(),
    )
    # The pages show no editing controls either.
    page = client.get(reverse("rules:rule", kwargs={"code": "fee_cap_share"})).content.decode()
    assert reverse("rules:version_add", kwargs={"code": "fee_cap_share"}) not in page


def test_an_administrator_adds_a_version_and_sees_it_on_the_timeline(rules, login, admin_user):
    client = login(admin_user)
    url = reverse("rules:version_add", kwargs={"code": "fee_cap_share"})
    assert client.get(url, {"service_form": "home"}).status_code == 200
    response = client.post(
        url,
        {
            "service_form": "home",
            "valid_from": "2027-01-01",
            "value": "0.4",
            "basis": "Закон г. Москвы (пример)",
            "is_example": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("rules:rule", kwargs={"code": "fee_cap_share"})
    version = RuleVersion.objects.get(valid_from=dt.date(2027, 1, 1))
    assert (version.service_form, version.value, version.is_example) == (
        "home",
        Decimal("0.4"),
        True,
    )
    assert AuditEntry.objects.filter(action="rules.version.added", actor=admin_user).exists()
    timeline = client.get(response["Location"]).content.decode()
    assert "01.01.2027" in timeline and "40 %" in timeline


def test_bad_input_shows_next_to_the_field_and_writes_nothing(rules, login, admin_user):
    client = login(admin_user)
    url = reverse("rules:version_add", kwargs={"code": "fee_cap_share"})
    count = RuleVersion.objects.count()
    too_much = client.post(
        url, {"service_form": "home", "valid_from": "2027-01-01", "value": "1.5"}
    )
    assert too_much.status_code == 200
    assert too_much.context["form"].errors["value"]
    same_day = client.post(
        url, {"service_form": "home", "valid_from": "2015-01-01", "value": "0.4"}
    )
    assert same_day.context["form"].errors["valid_from"]
    assert RuleVersion.objects.count() == count
    assert client.get(reverse("rules:version_add", kwargs={"code": "nope"})).status_code == 404


def test_the_fee_calculator_answers_htmx_with_the_result_alone(rules, login, worker_a):
    client = login(worker_a)
    query = {
        "income": "40000",
        "service_form": "home",
        "on": "2025-06-01",
        "region": "moscow",
        "group": "per_capita",
    }
    page = client.get(reverse("rules:fees"), query)
    assert page.status_code == 200 and page.context["result"].fee_cap == Decimal("1399.25")
    assert "<html" in page.content.decode()
    fragment = client.get(
        reverse("rules:fees"), query, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="fee-result"
    )
    body = fragment.content.decode()
    assert "<html" not in body and 'id="fee-result"' in body
    assert "1\xa0399,25" in body  # Russian grouping and decimal comma
    assert "HX-Target" in fragment["Vary"]
    # While the income is being typed over, the result says what is missing.
    empty = client.get(
        reverse("rules:fees"),
        {**query, "income": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="fee-result",
    )
    assert 'class="errorlist"' in empty.content.decode()
    assert 'data-testid="fee-cap"' not in empty.content.decode()
    # A link with the income alone is read for the department's region and today.
    short = client.get(reverse("rules:fees"), {"income": "40,5", "service_form": "home"})
    assert short.context["result"].region.code == "moscow"
    assert short.context["result"].income == Decimal("40.50")


def test_the_dashboard_widget_shows_todays_figures(rules, login, worker_a):
    body = login(worker_a).get(reverse("core:dashboard")).content.decode()
    # 1.5 × the Moscow minimum of 2026 (26 463 ₽), in force from 1 January 2026 on.
    assert 'data-widget="rules"' in body and "39\xa0694,50" in body


def test_the_fee_calculator_without_rules_explains_instead_of_failing(login, worker_a):
    Region.objects.create(code="moscow", name="Москва", is_home=True)
    client = login(worker_a)
    response = client.get(
        reverse("rules:fees"),
        {"income": "1000", "service_form": "home", "on": "2026-01-01", "region": "moscow"},
    )
    assert response.status_code == 200
    assert response.context["error"].code == "minimum_not_in_force"


def test_an_empty_database_shows_the_rules_as_not_set_and_the_dashboard_works(login, worker_a):
    client = login(worker_a)
    assert client.get(reverse("rules:list")).status_code == 200
    assert client.get(reverse("rules:calendar", kwargs={"year": 2026})).status_code == 200
    dashboard = client.get(reverse("core:dashboard"))
    assert dashboard.status_code == 200
    assert 'data-widget="rules"' in dashboard.content.decode()


def test_the_calendar_grid_and_marking_days(rules, login, admin_user):
    client = login(admin_user)
    page = client.get(reverse("rules:calendar", kwargs={"year": 2025}))
    body = page.content.decode()
    assert page.context["working_total"] == 247
    assert 'data-date="2025-11-01"' in body  # the working Saturday has its cell
    add = reverse("rules:calendar_day_add", kwargs={"year": 2025})
    response = client.post(add, {"date": "2025-07-07", "kind": "day_off", "name": "Проверка"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2025, 7, 7))
    twice = client.post(add, {"date": "2025-07-07", "kind": "holiday"})
    assert twice.status_code == 400 and twice.context["day_form"].errors["date"]
    removed = client.post(reverse("rules:calendar_day_remove", args=[day.pk]))
    assert removed.status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2025, 7, 7)).exists()
    assert client.get(reverse("rules:calendar", kwargs={"year": 3000})).status_code == 404


def test_an_administrator_opens_a_new_calendar_year(rules, login, admin_user):
    from opora.rules.reference import CALENDARS

    year = max(CALENDARS) + 1
    client = login(admin_user)
    missing = client.get(reverse("rules:calendar", kwargs={"year": year}))
    assert missing.context["calendar"] is None
    opened = client.post(reverse("rules:calendar_year_add"), {"year": str(year), "basis": "ПП РФ"})
    assert opened.status_code == 302
    again = client.post(reverse("rules:calendar_year_add"), {"year": str(year)})
    assert again.status_code == 400 and again.context["year_form"].errors["year"]


def test_subsistence_minimums_filter_by_region_and_date(rules, login, worker_a):
    client = login(worker_a)
    response = client.get(reverse("rules:minimums"), {"region": "moscow", "on": "2025-06-01"})
    rows = list(response.context["table"].rows)
    assert [(m.region.code, m.valid_from) for m in rows] == [("moscow", dt.date(2025, 1, 1))]
    sorted_rows = client.get(reverse("rules:minimums"), {"sort": "per_capita"}).context["table"]
    amounts = [m.per_capita for m in sorted_rows.rows]
    assert amounts == sorted(amounts)
