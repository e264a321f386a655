"""The pages of the rules in force: every staff role reads, only administrators change, the
fee calculator answers HTMX with its result alone, and an empty database shows explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.rules.models import (
    CalendarDay,
    FreeGround,
    Region,
    RuleVersion,
    SubsistenceMinimum,
)

READ_PAGES = [
    ("rules:list", {}),
    ("rules:rule", {"code": "fee_cap_share"}),
    ("rules:minimums", {}),
    ("rules:grounds", {}),
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
    (
        "rules:ground_add",
        {},
        {
            "code": "svo",
            "name": "Основание",
            "citation": "Закон",
            "valid_from": "2027-01-01",
            "category_code": "svo",
        },
    ),
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
        FreeGround.objects.count(),
        AuditEntry.objects.count(),
    )
    minor = FreeGround.objects.get(code="minor")
    edits = [*EDITS, ("rules:ground_edit", {"pk": minor.pk}, {"name": "x", "citation": "y"})]
    for name, kwargs, data in edits:
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
        FreeGround.objects.count(),
        AuditEntry.objects.count(),
    )
    assert FreeGround.objects.get(code="minor").name == minor.name
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


def test_the_free_grounds_page_lists_them_in_force_and_filters(rules, login, worker_a):
    client = login(worker_a)
    page = client.get(reverse("rules:grounds"))
    body = page.content.decode()
    assert page.status_code == 200 and body.count('data-testid="ground-row"') == 3
    assert "442-ФЗ, ст. 31 ч. 1" in body and "Несовершеннолетний" in body
    assert reverse("rules:ground_add") not in body  # no editing controls for staff
    by_age = client.get(reverse("rules:grounds"), {"test": "age_under"})
    assert [g.code for g in by_age.context["table"].rows] == ["minor"]
    before_the_law = client.get(
        reverse("rules:grounds"), {"on": "2014-12-31"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="ground-row"' not in before_the_law.content.decode()


def test_an_administrator_adds_and_ends_a_ground_on_the_pages(rules, login, admin_user):
    client = login(admin_user)
    assert reverse("rules:ground_add") in client.get(reverse("rules:grounds")).content.decode()
    data = {
        "code": "svo-family",
        "name": "Член семьи участника СВО",
        "name_en": "A family member of a participant of the special military operation",
        "citation": "Закон субъекта РФ (пример)",
        "valid_from": "2027-01-01",
        "category_code": "svo-family",
    }
    both = client.post(reverse("rules:ground_add"), {**data, "age_under": "18"})
    assert both.status_code == 200 and both.context["form"].errors["category_code"]
    added = client.post(reverse("rules:ground_add"), data)
    assert added.status_code == 302 and added["Location"] == reverse("rules:grounds")
    ground = FreeGround.objects.get(code="svo-family")
    overlapping = client.post(reverse("rules:ground_add"), {**data, "valid_from": "2028-01-01"})
    assert overlapping.context["form"].errors["valid_from"]
    edit = reverse("rules:ground_edit", kwargs={"pk": ground.pk})
    assert client.get(edit).context["form"].initial["citation"] == "Закон субъекта РФ (пример)"
    ended = client.post(
        edit,
        {
            "name": ground.name,
            "citation": ground.citation,
            "valid_to": "2027-12-31",
            "reason": "закон изменён",
        },
    )
    assert ended.status_code == 302
    ground.refresh_from_db()
    assert ground.valid_to == dt.date(2027, 12, 31) and ground.category_code == "svo-family"
    assert AuditEntry.objects.filter(action="rules.ground.changed", actor=admin_user).exists()
    assert client.get(reverse("rules:ground_edit", kwargs={"pk": 999999})).status_code == 404


def test_the_fee_calculator_checks_the_grounds_and_names_the_group(rules, login, worker_a):
    client = login(worker_a)
    query = {"income": "1000000", "service_form": "home", "on": "2026-06-01", "region": "moscow"}
    minor = client.get(reverse("rules:fees"), {**query, "birth_date": "2012-01-01"})
    body = minor.content.decode()
    assert minor.context["result"].is_free and 'data-testid="fee-ground"' in body
    assert "442-ФЗ, ст. 31 ч. 1" in body and 'data-testid="fee-threshold"' not in body
    pensioner = client.get(
        reverse("rules:fees"), {**query, "income": "30000", "categories": "pensioner"}
    )
    result = pensioner.context["result"]
    assert result.group == "pensioner" and result.subsistence_minimum == Decimal(19633)
    assert "19\xa0633,00" in pensioner.content.decode()
    by_hand = client.get(reverse("rules:fees"), {**query, "age": "", "group": "child"})
    assert by_hand.context["result"].group == "child"
    bad = client.get(
        reverse("rules:fees"), {**query, "birth_date": "2030-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert bad.context["error"].code == "invalid_recipient"


def test_a_minimum_without_group_figures_shows_a_dash(rules, login, admin_user):
    client = login(admin_user)
    response = client.post(
        reverse("rules:minimum_add"),
        {
            "region": Region.objects.get(code="smolensk-oblast").pk,
            "valid_from": "2027-01-01",
            "per_capita": "19 000",
        },
    )
    assert response.status_code == 302
    minimum = SubsistenceMinimum.objects.get(valid_from=dt.date(2027, 1, 1))
    assert minimum.per_capita == Decimal(19000) and minimum.pensioner is None
    page = client.get(reverse("rules:minimums"), {"region": "smolensk-oblast", "on": "2027-02-01"})
    body = page.content.decode()
    assert [m.valid_from for m in page.context["table"].rows] == [dt.date(2027, 1, 1)]
    assert body.count('<span class="muted" title=') == 3  # working-age, pensioners, children


def test_the_admin_site_keeps_the_grounds_audited(rules, login, admin_user):
    client = login(admin_user)
    assert client.get("/admin/rules/freeground/").status_code == 200
    response = client.post(
        "/admin/rules/freeground/add/",
        {
            "code": "flood-2027",
            "name": "Пострадавший от паводка (пример)",
            "citation": "Закон субъекта РФ (пример)",
            "valid_from": "2027-04-01",
            "category_code": "flood-victim",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ground = FreeGround.objects.get(code="flood-2027")
    assert AuditEntry.objects.filter(action="core.admin.added", object_id=str(ground.pk)).exists()
    neither = client.post(
        "/admin/rules/freeground/add/",
        {"code": "nothing", "name": "x", "citation": "y", "valid_from": "2027-04-01"},
    )
    assert neither.status_code == 200 and not FreeGround.objects.filter(code="nothing").exists()
    change = client.get(f"/admin/rules/freeground/{ground.pk}/change/").content.decode()
    assert 'name="category_code"' not in change  # the criterion is fixed once saved
