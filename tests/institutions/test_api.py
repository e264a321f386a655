"""The institutions API: filters, pagination, the shape of the bodies, writes and who may
make them, and the one error body for refused input."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions import services
from opora.institutions.models import Employee, Institution, TrainingRecord

pytestmark = pytest.mark.django_db

API = "/api/v1/institutions"


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def codes(response) -> list[str]:
    return [item["code"] for item in items(response)]


@pytest.fixture
def network(admin_user, reference, institution_a, institution_b):
    district = services.district_create(
        actor=admin_user, code="maryino", name="Марьино", population=250_000
    )
    services.institution_update(
        actor=admin_user,
        institution=institution_a,
        kind=reference.kind("tcso"),
        district=district,
        capacities={"home": 1500},
        accessibility=[reference.feature("ramp")],
    )
    services.institution_set_status(actor=admin_user, institution=institution_b, status="closed")
    return district


# --- Institutions -----------------------------------------------------------------------------


def test_the_list_filters_and_describes_each_institution(login, analyst, network):
    client = login(analyst)
    assert codes(client.get(f"{API}/", {"district": network.pk})) == ["alpha"]
    assert codes(client.get(f"{API}/", {"kind": "tcso"})) == ["alpha"]
    assert codes(client.get(f"{API}/", {"status": "closed"})) == ["beta"]
    assert codes(client.get(f"{API}/", {"q": "Альф"})) == ["alpha"]
    assert codes(client.get(f"{API}/", {"active": "false"})) == ["beta"]
    [alpha] = items(client.get(f"{API}/", {"kind": "tcso"}))
    assert alpha["kind"] == "tcso" and alpha["district_id"] == network.pk
    assert alpha["status"] == "open" and alpha["is_active"] is True
    assert alpha["accessibility"] == ["ramp"]
    assert alpha["capacities"] == [{"form": "home", "capacity": 1500}]
    response = client.get(f"{API}/", {"status": "shut"})
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_the_list_is_paginated(login, admin_user, make_institution):
    for _ in range(55):
        make_institution()
    client = login(admin_user)
    first = client.get(f"{API}/").json()
    second = client.get(f"{API}/", {"page": 2}).json()
    assert first["count"] == second["count"] == 55
    assert len(first["items"]) == 50 and len(second["items"]) == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_an_administrator_adds_an_institution(login, admin_user, network, reference):
    response = login(admin_user).post(
        f"{API}/",
        {
            "code": "crisis-2",
            "name": "Кризисный центр № 2",
            "kind": "crisis-centre",
            "district_id": network.pk,
            "status": "planned",
            "capacities": {"residential": 40},
            "accessibility": ["lift", "ramp"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "planned" and sorted(body["accessibility"]) == ["lift", "ramp"]
    assert Institution.objects.get(code="crisis-2").kind == reference.kind("crisis-centre")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"code": "alpha", "name": "Дубль"}, "code_taken"),
        ({"code": "x-1", "name": "Центр", "kind": "castle"}, "unknown_kind"),
        ({"code": "x-2", "name": "Центр", "capacities": {"home": -1}}, "negative_capacity"),
        ({"code": "x-3", "name": "Центр", "status": "closed"}, "invalid_status"),
        ({"code": "x 4", "name": "Центр"}, "invalid"),
        ({"code": "x-5", "name": "Центр", "website": "not a site"}, "invalid"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(login, admin_user, network, payload, code):
    client = login(admin_user)  # signing in is audited too: count after it
    before = (Institution.objects.count(), AuditEntry.objects.count())
    response = client.post(f"{API}/", payload, content_type="application/json")
    assert 400 <= response.status_code < 500
    body = response.json()
    assert body["code"] == code and body["message"]
    assert (Institution.objects.count(), AuditEntry.objects.count()) == before


def test_a_manager_patches_her_institution_only(
    login, manager_a, institution_a, institution_b, reference
):
    client = login(manager_a)
    response = client.patch(
        f"{API}/{institution_a.pk}",
        {"phone": "+7 495 000-00-01", "capacities": {"semi_residential": 25}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["capacities"] == [{"form": "semi_residential", "capacity": 25}]
    response = client.patch(
        f"{API}/{institution_a.pk}", {"kind": "tcso"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "administrators_only"
    response = client.patch(
        f"{API}/{institution_b.pk}", {"phone": "1"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        f"{API}/", {"code": "mine", "name": "Моё"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_a_social_worker_and_an_analyst_cannot_write(login, worker_a, analyst, institution_a):
    for user in (worker_a, analyst):
        client = login(user)
        response = client.patch(
            f"{API}/{institution_a.pk}", {"phone": "1"}, content_type="application/json"
        )
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
        response = client.post(
            f"{API}/{institution_a.pk}/status",
            {"status": "closed"},
            content_type="application/json",
        )
        assert response.status_code == 403
    assert Institution.objects.get(pk=institution_a.pk).is_active


def test_status_changes_through_the_api(login, manager_a, institution_a):
    client = login(manager_a)
    response = client.post(
        f"{API}/{institution_a.pk}/status",
        {"status": "renovation", "reason": "Ремонт кровли"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "renovation"
    response = client.post(
        f"{API}/{institution_a.pk}/status",
        {"status": "renovation"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "status_unchanged"
    history = client.get(f"{API}/{institution_a.pk}/status-history").json()
    assert [h["status"] for h in history] == ["renovation", "open"]
    assert history[0]["reason"] == "Ремонт кровли"


def test_reference_lists_and_districts(login, worker_a, network):
    client = login(worker_a)
    kinds = {k["code"]: k for k in client.get(f"{API}/kinds").json()}
    assert kinds["tcso"]["name_en"] == "Territorial social service centre"
    assert {"ramp", "induction-loop"} <= {
        f["code"] for f in client.get(f"{API}/accessibility-features").json()
    }
    positions = {p["code"]: p for p in client.get(f"{API}/positions").json()}
    assert positions["social-worker"]["has_caseload"] is True
    [district] = items(client.get(f"{API}/districts"))
    assert district["population"] == 250_000 and district["institution_count"] == 1
    assert client.get(f"{API}/districts/{network.pk}").json()["code"] == "maryino"
    response = client.patch(
        f"{API}/districts/{network.pk}", {"population": 1}, content_type="application/json"
    )
    assert response.status_code == 403


def test_an_administrator_maintains_districts(login, admin_user):
    client = login(admin_user)
    response = client.post(
        f"{API}/districts", {"code": "arbat", "name": "Арбат"}, content_type="application/json"
    )
    assert response.status_code == 201
    district_id = response.json()["id"]
    response = client.patch(
        f"{API}/districts/{district_id}", {"population": -3}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "negative_population"
    response = client.patch(
        f"{API}/districts/{district_id}", {"population": 36_000}, content_type="application/json"
    )
    assert response.json()["population"] == 36_000


# --- Staff ------------------------------------------------------------------------------------


def hire_payload(institution, **fields):
    return {
        "last_name": "Васильева",
        "first_name": "Елена",
        "institution_id": institution.pk,
        "position": "social-worker",
        "hired_on": "2024-04-01",
        "caseload_limit": 10,
        "phone": "+7 916 111-22-33",
        **fields,
    }


def test_a_manager_hires_through_the_api(login, manager_a, institution_a, institution_b):
    client = login(manager_a)
    response = client.post(
        f"{API}/employees", hire_payload(institution_a), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "+7 916 111-22-33"
    [employment] = body["employments"]
    assert employment["institution"] == "alpha" and employment["caseload_limit"] == 10
    assert employment["in_force"] is True
    response = client.post(
        f"{API}/employees", hire_payload(institution_b), content_type="application/json"
    )
    assert response.status_code == 404  # not her institution
    response = client.post(
        f"{API}/employees",
        hire_payload(institution_a, position="nurse"),
        content_type="application/json",
    )
    assert response.json()["code"] == "caseload_not_applicable"
    assert Employee.objects.count() == 1


def test_employees_are_listed_filtered_and_masked(login, worker_a, make_employee, institution_b):
    make_employee(last_name="Алексеева", phone="+7 916 000-00-11")
    make_employee(last_name="Борисова", position="nurse")
    make_employee(last_name="Чужая", institution=institution_b)
    client = login(worker_a)
    everyone = items(client.get(f"{API}/employees"))
    assert [e["last_name"] for e in everyone] == ["Алексеева", "Борисова"]
    assert everyone[0]["phone"] == "•••• ••11"
    nurses = items(client.get(f"{API}/employees", {"position": "nurse"}))
    assert [e["last_name"] for e in nurses] == ["Борисова"]
    other = Employee.objects.get(last_name="Чужая")
    assert client.get(f"{API}/employees/{other.pk}").status_code == 404


def test_leaving_and_training_through_the_api(login, manager_a, make_employee):
    employee = make_employee(hired_on=dt.date(2018, 9, 3))
    employment = employee.employments.get()
    client = login(manager_a)
    response = client.post(
        f"{API}/employees/{employee.pk}/trainings",
        {"title": "Школа ухода", "kind": "course", "started_on": "2023-02-01", "hours": 36},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.post(
        f"{API}/employees/{employee.pk}/trainings",
        {
            "title": "Школа ухода",
            "kind": "course",
            "started_on": "2023-02-01",
            "ended_on": "2023-01-01",
        },
        content_type="application/json",
    )
    assert response.json()["code"] == "ends_before_start"
    assert TrainingRecord.objects.count() == 1
    [listed] = items(client.get(f"{API}/trainings", {"kind": "course"}))
    assert listed["employee_id"] == employee.pk and listed["hours"] == 36
    leave = f"{API}/employees/{employee.pk}/employments/{employment.pk}/leave"
    response = client.post(leave, {"left_on": "2018-01-01"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "leaves_before_hiring"
    response = client.post(leave, {"left_on": "2025-06-30"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["left_on"] == "2025-06-30"


def test_staff_counts(login, analyst, worker_b, make_employee, institution_b):
    make_employee()
    make_employee(institution=institution_b, position="nurse")
    body = login(analyst).get(f"{API}/staff-counts").json()
    assert body["total"] == 2
    assert {row["code"]: row["staff"] for row in body["by_institution"]} == {"alpha": 1, "beta": 1}
    body = login(worker_b).get(f"{API}/staff-counts").json()
    assert body["total"] == 1 and body["by_position"][0]["code"] == "nurse"


def test_the_schema_documents_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        f"{API}/",
        f"{API}/{{institution_id}}",
        f"{API}/{{institution_id}}/status",
        f"{API}/kinds",
        f"{API}/districts",
        f"{API}/employees",
        f"{API}/employees/{{employee_id}}/trainings",
        f"{API}/trainings",
        f"{API}/staff-counts",
    ):
        assert path in paths, path
    assert set(paths[f"{API}/{{institution_id}}"]) == {"get", "patch"}


def test_an_account_linked_must_be_in_scope(
    login, manager_a, make_user, institution_b, institution_a
):
    stranger = make_user(Role.SOCIAL_WORKER, institutions=[institution_b])
    colleague = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    client = login(manager_a)
    response = client.post(
        f"{API}/employees",
        hire_payload(institution_a, user_id=stranger.pk),
        content_type="application/json",
    )
    assert response.json()["code"] == "unknown_user"
    response = client.post(
        f"{API}/employees",
        hire_payload(institution_a, user_id=colleague.pk),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["user_id"] == colleague.pk
