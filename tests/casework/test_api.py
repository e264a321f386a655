"""The casework API: the whole path from the application to the first delivery, the filters and
pages of the lists, scope (another institution's case does not exist), the analyst's overdue
rows without names, and illegal steps refused with their code and nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from opora.casework import services
from opora.casework.models import (
    Case,
    CaseStatus,
    Delivery,
    NeedDecision,
    Programme,
    ProgrammeItem,
)
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry

from .conftest import barthel_answers, working_day_before

API = "/api/v1/casework"
JSON = "application/json"
SNILS = "112-233-445 95"


def post(client, url, body):
    return client.post(url, body, content_type=JSON)


def keys_of(value) -> set[str]:
    """Every key anywhere in a JSON body."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


@pytest.fixture
def person_with_snils(make_person, institution_a):
    return make_person(institution_a, last_name="Смирнова", snils=SNILS)


@pytest.fixture
def person_b(make_person, institution_b):
    return make_person(institution_b, last_name="Кузнецова")


@pytest.fixture
def applied_case(case_at):
    return case_at(CaseStatus.APPLIED)


# --- The main path ---------------------------------------------------------------------------


def test_register_assess_decide_draft_agree_deliver(
    login,
    worker_a,
    person_with_snils,
    institution_a,
    home_service,
    provider_a,
    urgent_service,
    barthel,
    today,
):
    client = login(worker_a)
    applied_on = working_day_before(today, 5)
    delivered_on = working_day_before(today, 2)

    registered = post(
        client,
        f"{API}/cases",
        {
            "person_id": person_with_snils.pk,
            "institution_id": institution_a.pk,
            "channel": "in_person",
            "applied_on": applied_on.isoformat(),
            "grounds": ["self-care-loss"],
            "requested_services": [home_service.pk],
            "requested_form": "home",
            "circumstances": "Живёт одна, после перелома.",
            "urgent": [{"service_id": urgent_service.pk, "quantity": 1, "minutes": 20}],
        },
    )
    assert registered.status_code == 201, registered.json()
    case = registered.json()
    case_id = case["id"]
    assert case["status"] == "applied"
    assert case["person"].startswith("Смирнова")
    assert case["grounds"] == ["self-care-loss"]
    assert case["requested_services"] == [home_service.pk]
    assert case["next_due"] == case["decision_due"] is not None
    assert case["decision"] is None and case["programme"] is None
    assert "snils" not in keys_of(case)
    assert "445" not in registered.content.decode()

    urgent = client.get(f"{API}/cases/{case_id}/deliveries").json()
    assert [(d["service_id"], d["is_urgent"], d["unit_price"]) for d in urgent["items"]] == [
        (urgent_service.pk, True, "0.00")
    ]

    assessed = post(
        client,
        f"{API}/cases/{case_id}/assessments",
        {
            "scale": "barthel",
            "answers": barthel_answers(barthel, "min"),
            "assessed_on": applied_on.isoformat(),
        },
    )
    assert assessed.status_code == 201, assessed.json()
    assert assessed.json()["score"] == 0
    assert assessed.json()["care_level"]

    decided = post(
        client,
        f"{API}/cases/{case_id}/decision",
        {"outcome": "recognised", "decided_on": applied_on.isoformat()},
    )
    assert decided.status_code == 201, decided.json()
    assert decided.json()["status"] == "recognised"
    assert decided.json()["decision"]["outcome"] == "recognised"
    assert decided.json()["decision"]["care_level"] == assessed.json()["care_level"]

    drafted = post(
        client,
        f"{API}/cases/{case_id}/programmes",
        {"form": "home", "drawn_up_on": applied_on.isoformat(), "income": "30000.00"},
    )
    assert drafted.status_code == 201, drafted.json()
    programme = drafted.json()
    assert (programme["version"], programme["status"], programme["items"]) == (1, "draft", [])

    added = post(
        client,
        f"{API}/programmes/{programme['id']}/items",
        {
            "service_id": home_service.pk,
            "provider_id": provider_a.pk,
            "volume": 10,
            "times": 2,
            "per": "week",
        },
    )
    assert added.status_code == 201, added.json()
    item = added.json()
    assert (item["volume"], item["delivered"], item["left"], item["unit_price"]) == (
        10,
        0,
        10,
        "250.00",
    )
    assert item["provider_institution_id"] == institution_a.pk

    agreed = post(
        client, f"{API}/programmes/{programme['id']}/agree", {"agreed_on": applied_on.isoformat()}
    )
    assert agreed.status_code == 200, agreed.json()
    assert agreed.json()["status"] == "agreed"
    detail = client.get(f"{API}/cases/{case_id}").json()
    assert detail["status"] == "agreed"
    assert detail["programme"]["id"] == programme["id"]
    assert detail["next_due"] == detail["programme"]["review_due"]

    delivered = post(
        client,
        f"{API}/cases/{case_id}/deliveries",
        {
            "entries": [
                {
                    "item_id": item["id"],
                    "delivered_on": delivered_on.isoformat(),
                    "quantity": 2,
                    "minutes": 45,
                    "started_at": "10:30",
                    "note": "Продукты по списку",
                }
            ]
        },
    )
    assert delivered.status_code == 201, delivered.json()
    assert [(d["item_id"], d["quantity"], d["started_at"]) for d in delivered.json()] == [
        (item["id"], 2, "10:30:00")
    ]
    assert client.get(f"{API}/cases/{case_id}").json()["status"] == "in_service"
    lines = client.get(f"{API}/programmes/{programme['id']}").json()["items"]
    assert [(line["delivered"], line["left"]) for line in lines] == [(2, 8)]

    timeline = client.get(f"{API}/cases/{case_id}/timeline").json()
    kinds = {event["kind"] for event in timeline}
    assert kinds == {"step", "assessment", "decision", "programme", "delivery"}
    steps = [e["details"]["to_status"] for e in timeline if e["kind"] == "step"]
    assert steps[0] == "in_service" and steps[-1] == "applied"
    assert "snils" not in keys_of(timeline)


def test_suspend_resume_close_and_the_worker(
    login, worker_a, case_at, home_worker_a, make_home_worker, institution_b, today
):
    case = case_at(CaseStatus.IN_SERVICE)
    client = login(worker_a)

    refused = post(client, f"{API}/cases/{case.pk}/suspend", {"on": today.isoformat()})
    assert refused.status_code == 400
    assert refused.json()["code"] == "reason_missing"
    assert refused.json()["code"] == "reason_missing"
    assert list(refused.json()["details"]) == ["note"]

    suspended = post(client, f"{API}/cases/{case.pk}/suspend", {"note": "В больнице"})
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    resumed = post(client, f"{API}/cases/{case.pk}/resume", {})
    assert resumed.status_code == 200 and resumed.json()["status"] == "in_service"

    assigned = post(client, f"{API}/cases/{case.pk}/worker", {"employee_id": home_worker_a.pk})
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["worker_id"] == home_worker_a.pk
    elsewhere = make_home_worker(institution_b)
    foreign = post(client, f"{API}/cases/{case.pk}/worker", {"employee_id": elsewhere.pk})
    assert foreign.status_code == 404

    closed = post(client, f"{API}/cases/{case.pk}/close", {"note": "Переехала"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["programme"] is None
    again = post(client, f"{API}/cases/{case.pk}/close", {"note": "Ещё раз"})
    assert again.status_code == 409 and again.json()["code"] == "case_closed"


def test_acts_are_issued_once_a_month_and_listed(login, worker_a, case_at, today):
    case = case_at(CaseStatus.IN_SERVICE)
    client = login(worker_a)
    month = case.deliveries.get().delivered_on.replace(day=1)
    issued = post(client, f"{API}/cases/{case.pk}/acts", {"month": month.isoformat()})
    assert issued.status_code == 201, issued.json()
    assert (issued.json()["deliveries"], issued.json()["cost"]) == (1, "250.00")
    again = post(client, f"{API}/cases/{case.pk}/acts", {"month": month.isoformat()})
    assert again.status_code == 409 and again.json()["code"] == "act_exists"
    listed = client.get(f"{API}/acts", {"case": case.pk}).json()
    assert [a["id"] for a in listed] == [issued.json()["id"]]


def test_a_draft_item_is_removed_only_from_its_own_programme(login, worker_a, case_at):
    first = case_at(CaseStatus.PROGRAMME_DRAFTED)
    second = case_at(CaseStatus.PROGRAMME_DRAFTED)
    client = login(worker_a)
    programme = first.programmes.get()
    item = programme.items.get()
    other_programme = second.programmes.get()

    wrong = client.delete(f"{API}/programmes/{other_programme.pk}/items/{item.pk}")
    assert wrong.status_code == 404
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()
    removed = client.delete(f"{API}/programmes/{programme.pk}/items/{item.pk}")
    assert removed.status_code == 204
    assert not programme.items.exists()


# --- Lists: filters and pages --------------------------------------------------------------------


def test_cases_are_paginated_and_filtered(
    login, worker_a, make_person, institution_a, grounds, barthel, home_worker_a, today
):
    long_ago = today - dt.timedelta(days=90)
    cases = []
    for number in range(55):
        person = make_person(institution_a, last_name="Орлова" if number < 3 else "Петрова")
        cases.append(
            services.case_register(
                actor=SYSTEM,
                person=person,
                institution=institution_a,
                channel="in_person",
                applied_on=long_ago if number < 4 else today,
                grounds=[grounds["self-care-loss"]],
            )
        )
    services.assessment_record(
        actor=SYSTEM,
        case=cases[10],
        scale=barthel,
        answers=barthel_answers(barthel),
        assessed_on=today,
    )
    services.case_close(actor=SYSTEM, case=cases[11], on=today, note="Отозвано")
    services.case_assign_worker(actor=SYSTEM, case=cases[12], employee=home_worker_a)
    client = login(worker_a)

    first = client.get(f"{API}/cases").json()
    assert first["count"] == 55 and len(first["items"]) == 50
    second = client.get(f"{API}/cases", {"page": 2}).json()
    assert len(second["items"]) == 5
    assert {c["id"] for c in first["items"]} | {c["id"] for c in second["items"]} == {
        c.pk for c in cases
    }

    def ids(**filters):
        response = client.get(f"{API}/cases", filters)
        assert response.status_code == 200, response.json()
        return {c["id"] for c in response.json()["items"]}

    assert ids(status="assessed") == {cases[10].pk}
    assert ids(q=cases[20].number) == {cases[20].pk}
    assert ids(q="орлова") == {c.pk for c in cases[:3]}
    assert ids(overdue="true") == {c.pk for c in cases[:4]}
    assert cases[11].pk not in ids(open_only="true")
    assert client.get(f"{API}/cases", {"institution": institution_a.pk}).json()["count"] == 55
    assert client.get(f"{API}/cases", {"open_only": "true"}).json()["count"] == 54
    assert ids(worker=home_worker_a.pk) == {cases[12].pk}
    overdue_rows = client.get(f"{API}/cases", {"overdue": "true"}).json()["items"]
    assert all(row["overdue"] for row in overdue_rows)
    assert client.get(f"{API}/cases", {"status": "flying"}).status_code == 422


def test_deliveries_are_filtered_by_dates(login, worker_a, case_at, today):
    case = case_at(CaseStatus.IN_SERVICE)
    item = case.programmes.get().items.get()
    day = case.deliveries.get().delivered_on
    services.deliveries_record(
        actor=SYSTEM,
        case=case,
        entries=[services.DeliveryEntry(item=item, delivered_on=today)],
    )
    client = login(worker_a)

    def days(**filters):
        body = client.get(f"{API}/cases/{case.pk}/deliveries", filters).json()
        return [d["delivered_on"] for d in body["items"]]

    assert days() == [today.isoformat(), day.isoformat()]
    assert days(**{"from": today.isoformat()}) == [today.isoformat()]
    assert days(to=day.isoformat()) == [day.isoformat()]


def test_the_inbox_holds_what_is_due_by_today(login, worker_a, worker_b, case_at, today):
    overdue = case_at(CaseStatus.APPLIED, applied_on=today - dt.timedelta(days=60))
    fresh = case_at(CaseStatus.APPLIED, applied_on=today)
    body = login(worker_a).get(f"{API}/inbox").json()
    ids = [c["id"] for c in body["items"]]
    assert overdue.pk in ids and fresh.pk not in ids
    assert login(worker_b).get(f"{API}/inbox").json()["count"] == 0


# --- Scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, message", [("ru", "Такого дела нет."), ("en", "No such case.")])
def test_a_case_out_of_scope_is_not_found_in_the_callers_language(
    login, worker_b, case_at, language, message
):
    case = case_at(CaseStatus.AGREED)
    worker_b.preferred_language = language
    worker_b.save(update_fields=["preferred_language"])
    client = login(worker_b)
    body = client.get(f"{API}/cases/{case.pk}").json()
    assert (body["code"], body["message"]) == ("not_found", message)
    body = client.get(f"{API}/programmes/{case.programmes.get().pk}").json()
    assert body["code"] == "not_found"
    if language == "en":
        assert body["message"] == "No such programme."


def test_another_institution_sees_nothing_of_the_case(login, worker_b, case_at, today):
    case = case_at(CaseStatus.AGREED)
    item = case.programmes.get().items.get()
    client = login(worker_b)

    for url in (
        f"{API}/cases/{case.pk}",
        f"{API}/cases/{case.pk}/timeline",
        f"{API}/cases/{case.pk}/programmes",
        f"{API}/cases/{case.pk}/deliveries",
        f"{API}/programmes/{item.programme_id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert client.get(f"{API}/cases").json() == {"items": [], "count": 0}
    assert client.get(f"{API}/overdue").json()["count"] == 0

    attempt = post(
        client,
        f"{API}/cases/{case.pk}/deliveries",
        {"entries": [{"item_id": item.pk, "delivered_on": today.isoformat()}]},
    )
    assert attempt.status_code == 404
    assert post(client, f"{API}/cases/{case.pk}/close", {"note": "x"}).status_code == 404
    assert not Delivery.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED


def test_intake_refuses_a_person_or_an_institution_out_of_scope(
    login, worker_a, person_a, person_b, institution_a, institution_b, grounds
):
    client = login(worker_a)
    body = {
        "person_id": person_a.pk,
        "institution_id": institution_a.pk,
        "channel": "in_person",
        "grounds": ["self-care-loss"],
    }
    assert post(client, f"{API}/cases", {**body, "person_id": person_b.pk}).status_code == 404
    foreign = post(client, f"{API}/cases", {**body, "institution_id": institution_b.pk})
    assert foreign.status_code == 404
    unknown = post(client, f"{API}/cases", {**body, "grounds": ["moon-landing"]})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_ground"
    assert not Case.objects.exists()


def test_bad_input_is_a_422_with_the_one_body(login, worker_a, person_a, institution_a):
    response = post(
        login(worker_a),
        f"{API}/cases",
        {"person_id": person_a.pk, "institution_id": institution_a.pk, "channel": "pigeon"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    locations = {tuple(d["location"]) for d in body["details"]}
    assert ("body", "payload", "channel") in locations
    assert ("body", "payload", "grounds") in locations
    assert not Case.objects.exists()


def test_an_item_of_another_case_is_refused(login, worker_a, case_at, today):
    mine = case_at(CaseStatus.AGREED)
    other = case_at(CaseStatus.AGREED)
    other_item = other.programmes.get().items.get()
    response = post(
        login(worker_a),
        f"{API}/cases/{mine.pk}/deliveries",
        {"entries": [{"item_id": other_item.pk, "delivered_on": today.isoformat()}]},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "item_not_in_force"
    assert not Delivery.objects.exists()


def test_a_refusal_names_only_items_of_the_programme(login, worker_a, case_at):
    draft = case_at(CaseStatus.PROGRAMME_DRAFTED).programmes.get()
    other = case_at(CaseStatus.PROGRAMME_DRAFTED).programmes.get()
    response = post(
        login(worker_a),
        f"{API}/programmes/{draft.pk}/agree",
        {"refused_item_ids": [other.items.get().pk], "refusal": "Отказываюсь"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "item_not_in_programme"
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ProgrammeItem.objects.filter(refused_on__isnull=False).exists()


# --- The analyst ------------------------------------------------------------------------------


def test_the_analyst_counts_overdue_cases_without_names(
    login, analyst, worker_a, case_at, person_with_snils, today
):
    late = case_at(
        CaseStatus.APPLIED, person=person_with_snils, applied_on=today - dt.timedelta(days=60)
    )
    case_at(CaseStatus.APPLIED, applied_on=today)
    client = login(analyst)

    refused = client.get(f"{API}/cases")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert client.get(f"{API}/cases/{late.pk}").status_code == 403
    assert client.get(f"{API}/inbox").status_code == 403

    response = client.get(f"{API}/overdue")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["items"]
    assert row["id"] == late.pk and row["days_overdue"] > 0
    assert row["person"] is None and row["person_id"] is None
    content = response.content.decode()
    assert "Смирнова" not in content and "445" not in content
    counts = client.get(f"{API}/overdue/institutions").json()
    assert [(c["institution_id"], c["count"]) for c in counts] == [(late.institution_id, 1)]

    [staff_row] = login(worker_a).get(f"{API}/overdue").json()["items"]
    assert staff_row["person"].startswith("Смирнова")
    assert staff_row["person_id"] == person_with_snils.pk


# --- Illegal steps ----------------------------------------------------------------------------


def test_a_second_decision_is_refused(login, worker_a, case_at):
    case = case_at(CaseStatus.RECOGNISED)
    casework_entries = AuditEntry.objects.filter(action__startswith="casework.")
    entries_before = casework_entries.count()
    response = post(
        login(worker_a), f"{API}/cases/{case.pk}/decision", {"outcome": "refused", "reasons": "Нет"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert NeedDecision.objects.get(case=case).outcome == "recognised"
    assert casework_entries.count() == entries_before


def test_no_delivery_before_the_agreement(login, worker_a, case_at, today):
    case = case_at(CaseStatus.PROGRAMME_DRAFTED)
    item = case.programmes.get().items.get()
    response = post(
        login(worker_a),
        f"{API}/cases/{case.pk}/deliveries",
        {"entries": [{"item_id": item.pk, "delivered_on": today.isoformat()}]},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_in_service"
    assert not Delivery.objects.exists()


def test_deliveries_beyond_the_volume_write_nothing(login, worker_a, case_at, today):
    case = case_at(CaseStatus.AGREED, volume=3)
    item = case.programmes.get().items.get()
    entry = {"item_id": item.pk, "delivered_on": today.isoformat(), "quantity": 2}
    response = post(login(worker_a), f"{API}/cases/{case.pk}/deliveries", {"entries": [entry] * 2})
    assert response.status_code == 409
    assert response.json()["code"] == "beyond_volume"
    assert "quantity" in response.json()["details"]
    assert not Delivery.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED


def test_a_provider_that_does_not_offer_the_service_is_refused(
    login, worker_a, case_at, provider_a, make_home_service, today
):
    case = case_at(CaseStatus.RECOGNISED)
    other_service = make_home_service()
    client = login(worker_a)
    drafted = post(client, f"{API}/cases/{case.pk}/programmes", {"form": "home", "income": "0"})
    assert drafted.status_code == 201, drafted.json()
    response = post(
        client,
        f"{API}/programmes/{drafted.json()['id']}/items",
        {"service_id": other_service.pk, "provider_id": provider_a.pk, "volume": 5},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "provider_does_not_offer"
    assert not ProgrammeItem.objects.filter(programme_id=drafted.json()["id"]).exists()
    assert Programme.objects.get(pk=drafted.json()["id"]).status == "draft"


def test_nothing_can_be_decided_in_a_closed_case(login, worker_a, case_at):
    case = case_at(CaseStatus.CLOSED)
    response = post(login(worker_a), f"{API}/cases/{case.pk}/decision", {"outcome": "recognised"})
    assert response.status_code == 409
    assert response.json()["code"] == "case_closed"
    assert not NeedDecision.objects.exists()


def test_a_session_write_needs_the_csrf_token(worker_a, case_at):
    case = case_at(CaseStatus.APPLIED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker_a)
    refused = post(client, f"{API}/cases/{case.pk}/close", {"note": "Отозвано"})
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLIED

    client.get("/api/v1/docs")  # sets the CSRF cookie
    closed = client.post(
        f"{API}/cases/{case.pk}/close",
        {"note": "Отозвано"},
        content_type=JSON,
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"


# --- The schema -------------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_casework_paths(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    paths = {path for path in schema["paths"] if path.startswith(API)}
    assert paths >= {
        f"{API}/cases",
        f"{API}/cases/{{case_id}}",
        f"{API}/cases/{{case_id}}/timeline",
        f"{API}/cases/{{case_id}}/assessments",
        f"{API}/cases/{{case_id}}/decision",
        f"{API}/cases/{{case_id}}/programmes",
        f"{API}/programmes/{{programme_id}}",
        f"{API}/programmes/{{programme_id}}/items",
        f"{API}/programmes/{{programme_id}}/items/{{item_id}}",
        f"{API}/programmes/{{programme_id}}/agree",
        f"{API}/cases/{{case_id}}/deliveries",
        f"{API}/cases/{{case_id}}/urgent",
        f"{API}/overdue",
        f"{API}/inbox",
        f"{API}/acts",
        f"{API}/cases/{{case_id}}/acts",
    }
    case_fields = schema["components"]["schemas"]["CaseDetailOut"]["properties"]
    assert "snils" not in case_fields
