"""The rules API under /api/v1/rules: reads for every role, writes for administrators, and the
one error body for refused input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.rules.models import CalendarDay, RuleVersion

API = "/api/v1/rules"


def test_rules_with_their_versions(rules, login, worker_a):
    client = login(worker_a)
    listing = client.get(f"{API}/rules").json()
    codes = [rule["code"] for rule in listing]
    assert codes[0] == "free_threshold_multiplier" and "fee_cap_share" in codes
    share = client.get(f"{API}/rules/fee_cap_share").json()
    assert share["per_service_form"] is True
    assert {(v["service_form"], Decimal(v["value"])) for v in share["versions"]} == {
        ("home", Decimal("0.5")),
        ("semi_residential", Decimal("0.5")),
        ("residential", Decimal("0.75")),
    }
    assert client.get(f"{API}/rules/nope").json()["code"] == "unknown_rule"


def test_value_in_force_on_a_date(rules, login, admin_user, worker_a):
    login(admin_user).post(
        f"{API}/rules/need_decision_days/versions",
        {"valid_from": "2027-01-01", "value": "7"},
        content_type="application/json",
    )
    client = login(worker_a)
    url = f"{API}/rules/need_decision_days/in-force"
    before = client.get(url, {"on": "2026-12-31"}).json()
    assert Decimal(before["value"]) == 5 and before["version"]["valid_to"] == "2026-12-31"
    on_the_day = client.get(url, {"on": "2027-01-01"}).json()
    assert Decimal(on_the_day["value"]) == 7 and on_the_day["version"]["valid_to"] is None
    too_early = client.get(url, {"on": "2014-12-31"})
    assert too_early.status_code == 404 and too_early.json()["code"] == "rule_not_in_force"
    per_form = client.get(
        f"{API}/rules/fee_cap_share/in-force", {"on": "2025-01-01", "service_form": "residential"}
    ).json()
    assert Decimal(per_form["value"]) == Decimal("0.75")


def test_only_administrators_add_versions(rules, login, make_user, admin_user):
    body = {"valid_from": "2027-01-01", "value": "2"}
    url = f"{API}/rules/free_threshold_multiplier/versions"
    for role in (Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER):
        refused = login(make_user(role)).post(url, body, content_type="application/json")
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    client = login(admin_user)
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["valid_from"] == "2027-01-01"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "version_exists"
    bad = client.post(
        f"{API}/rules/fee_cap_share/versions",
        {"valid_from": "2027-01-01", "value": "1.2", "service_form": "home"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["details"]["value"]
    assert RuleVersion.objects.filter(valid_from="2027-01-01").count() == 1


def test_subsistence_minimums_by_region_and_date(rules, login, worker_a, admin_user):
    client = login(worker_a)
    everything = client.get(f"{API}/subsistence-minimums").json()
    assert len(everything) == 6
    in_force = client.get(f"{API}/subsistence-minimums", {"on": "2025-07-01"}).json()
    assert sorted(m["region"] for m in in_force) == ["lugansk-pr", "moscow", "smolensk-oblast"]
    assert {m["valid_from"] for m in in_force} == {"2025-01-01"}
    moscow = client.get(f"{API}/subsistence-minimums", {"region": "moscow"}).json()
    assert [Decimal(m["per_capita"]) for m in moscow] == [Decimal(26463), Decimal(24801)]
    assert all(m["is_example"] for m in moscow)
    assert client.get(f"{API}/subsistence-minimums", {"region": "mars"}).status_code == 404

    admin = login(admin_user)
    body = {
        "region": "moscow",
        "valid_from": "2027-01-01",
        "per_capita": "-1",
        "working_age": "1",
        "pensioner": "1",
        "child": "1",
    }
    refused = admin.post(f"{API}/subsistence-minimums", body, content_type="application/json")
    assert refused.status_code == 400 and list(refused.json()["details"]) == ["per_capita"]
    body["per_capita"] = "28000"
    created = admin.post(f"{API}/subsistence-minimums", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["region"] == "moscow"


def test_calendar_days_and_working_day_helpers(rules, login, worker_a, admin_user):
    client = login(worker_a)
    days = client.get(f"{API}/calendar/days", {"year": 2025}).json()
    assert len(days) == 20
    assert {"date": "2025-11-01", "kind": "working"} in [
        {"date": d["date"], "kind": d["kind"]} for d in days
    ]
    assert client.get(f"{API}/calendar/is-working-day", {"on": "2025-11-01"}).json()[
        "is_working_day"
    ]
    due = client.get(f"{API}/calendar/add-working-days", {"start": "2025-12-30", "days": 1})
    assert due.json()["date"] == "2026-01-12"
    between = client.get(
        f"{API}/calendar/working-days-between", {"start": "2025-12-30", "end": "2026-01-12"}
    )
    assert between.json()["working_days"] == 1
    missing = client.get(f"{API}/calendar/is-working-day", {"on": "2030-01-01"})
    assert missing.status_code == 400 and missing.json()["code"] == "calendar_missing"
    assert (
        client.post(
            f"{API}/calendar/days",
            {"date": "2025-07-07", "kind": "day_off"},
            content_type="application/json",
        ).status_code
        == 403
    )

    admin = login(admin_user)
    created = admin.post(
        f"{API}/calendar/days",
        {"date": "2025-07-07", "kind": "day_off"},
        content_type="application/json",
    )
    assert created.status_code == 201
    twice = admin.post(
        f"{API}/calendar/days",
        {"date": "2025-07-07", "kind": "holiday"},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["code"] == "day_marked"
    removed = admin.delete(f"{API}/calendar/days/{created.json()['id']}")
    assert removed.status_code == 204
    assert not CalendarDay.objects.filter(date="2025-07-07").exists()
    assert AuditEntry.objects.filter(action="rules.calendar.day_removed").count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST])
def test_the_fee_calculator(rules, login, make_user, role):
    client = login(make_user(role))
    result = client.get(
        f"{API}/fees", {"income": "40000", "service_form": "home", "on": "2025-06-01"}
    ).json()
    assert Decimal(result["fee_cap"]) == Decimal("1399.25")
    assert Decimal(result["threshold"]) == Decimal("37201.50")
    assert result["region"] == "moscow" and result["is_example"] is True
    assert len(result["explanation"]) >= 3
    residential = client.get(
        f"{API}/fees",
        {"income": "40000", "service_form": "residential", "on": "2025-06-01"},
    ).json()
    assert Decimal(residential["fee_cap"]) == Decimal("30000.00")
    negative = client.get(f"{API}/fees", {"income": "-5", "service_form": "home"})
    assert negative.status_code == 400 and negative.json()["code"] == "negative_income"
    unknown_form = client.get(f"{API}/fees", {"income": "5", "service_form": "by_pigeon"})
    assert unknown_form.status_code == 400


# --- Free-of-charge grounds and the recipient's facts ------------------------------------------


def test_free_grounds_are_listed_filtered_and_paged(rules, login, worker_a):
    client = login(worker_a)
    page = client.get(f"{API}/free-grounds").json()
    assert page["count"] == 3 and len(page["items"]) == 3
    minor = next(item for item in page["items"] if item["code"] == "minor")
    assert minor["test"] == "age_under" and minor["age_under"] == 18
    assert minor["citation_en"] == "442-FZ art. 31 part 1" and minor["valid_to"] is None
    by_category = client.get(f"{API}/free-grounds", {"test": "category"}).json()
    assert {item["category_code"] for item in by_category["items"]} == {
        "emergency-victim",
        "armed-conflict-victim",
    }
    assert client.get(f"{API}/free-grounds", {"on": "2014-12-31"}).json()["count"] == 0
    assert client.get(f"{API}/free-grounds", {"q": "emergency"}).json()["count"] == 1
    assert client.get(f"{API}/free-grounds", {"test": "luck"}).status_code == 422
    one = client.get(f"{API}/free-grounds/{minor['id']}").json()
    assert one["code"] == "minor"
    assert client.get(f"{API}/free-grounds/999999").status_code == 404


def test_free_grounds_are_in_the_openapi_schema(rules, login, worker_a):
    schema = login(worker_a).get("/api/v1/openapi.json").json()
    listing = schema["paths"]["/api/v1/rules/free-grounds"]
    names = {parameter["name"] for parameter in listing["get"]["parameters"]}
    assert {"on", "test", "q", "page"} <= names
    assert "post" in listing
    assert "patch" in schema["paths"]["/api/v1/rules/free-grounds/{ground_id}"]
    fee_names = {p["name"] for p in schema["paths"]["/api/v1/rules/fees"]["get"]["parameters"]}
    assert {"birth_date", "age", "sex", "categories", "group"} <= fee_names


def test_only_administrators_add_and_end_free_grounds(rules, login, worker_a, admin_user):
    body = {
        "code": "svo-family",
        "name": "Член семьи участника СВО",
        "citation": "Закон субъекта РФ (пример)",
        "valid_from": "2027-01-01",
        "category_code": "svo-family",
    }
    refused = login(worker_a).post(f"{API}/free-grounds", body, content_type="application/json")
    assert refused.status_code == 403
    admin = login(admin_user)
    created = admin.post(f"{API}/free-grounds", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["test"] == "category"
    again = admin.post(f"{API}/free-grounds", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "ground_overlaps"
    both = admin.post(
        f"{API}/free-grounds",
        {**body, "code": "both", "age_under": 18},
        content_type="application/json",
    )
    assert both.status_code == 400 and "category_code" in both.json()["details"]
    ground_id = created.json()["id"]
    ended = admin.patch(
        f"{API}/free-grounds/{ground_id}",
        {"valid_to": "2027-12-31", "reason": "пример"},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["valid_to"] == "2027-12-31"
    fixed = admin.patch(
        f"{API}/free-grounds/{ground_id}", {"code": "other"}, content_type="application/json"
    )
    assert fixed.status_code == 200 and fixed.json()["code"] == "svo-family"  # not changeable
    assert (
        login(worker_a)
        .patch(f"{API}/free-grounds/{ground_id}", {"note": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    assert AuditEntry.objects.filter(action="rules.ground.changed").count() == 1


def test_the_fee_calculator_takes_the_recipients_facts(rules, login, worker_a):
    client = login(worker_a)
    common = {"income": "1000000", "service_form": "home", "on": "2026-06-01"}
    minor = client.get(f"{API}/fees", {**common, "birth_date": "2012-05-05"}).json()
    assert minor["is_free"] and Decimal(minor["fee_cap"]) == 0
    assert minor["free_ground"]["code"] == "minor" and minor["threshold"] is None
    victim = client.get(
        f"{API}/fees",
        {**common, "age": "40", "categories": ["pensioner", "armed-conflict-victim"]},
    ).json()
    assert victim["free_ground"]["code"] == "armed-conflict-victim"
    pensioner = client.get(
        f"{API}/fees", {**common, "income": "29449.50", "age": "70", "categories": "pensioner"}
    ).json()
    assert pensioner["is_free"] and pensioner["group"] == "pensioner"
    assert pensioner["group_reason"] == "pensioner_category"
    assert Decimal(pensioner["subsistence_minimum"]) == Decimal(19633)
    over = client.get(
        f"{API}/fees", {**common, "income": "29449.52", "age": "70", "categories": "pensioner"}
    ).json()
    assert not over["is_free"] and Decimal(over["fee_cap"]) == Decimal("0.01")
    unknown = client.get(f"{API}/fees", common).json()
    assert unknown["group"] == "per_capita" and unknown["group_reason"] == "unknown"
    holds_none = client.get(f"{API}/fees", {**common, "categories": ""}).json()
    assert not any("categories are not given" in line for line in holds_none["explanation"])
    bad = client.get(f"{API}/fees", {**common, "sex": "X", "age": "30"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_recipient"


def test_a_minimum_without_group_figures_is_kept_and_listed_as_null(rules, login, admin_user):
    admin = login(admin_user)
    created = admin.post(
        f"{API}/subsistence-minimums",
        {"region": "lugansk-pr", "valid_from": "2027-01-01", "per_capita": "18000"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["pensioner"] is None and created.json()["working_age"] is None
    fee = admin.get(
        f"{API}/fees",
        {
            "income": "30000",
            "service_form": "home",
            "on": "2027-02-01",
            "region": "lugansk-pr",
            "age": "70",
        },
    ).json()
    assert fee["group"] == "per_capita" and fee["fell_back_from"] == "pensioner"
    assert Decimal(fee["threshold"]) == Decimal("27000.00")
