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
