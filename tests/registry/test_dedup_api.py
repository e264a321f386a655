"""The deduplication API: searches, the review queue, merges — with scope and permissions."""

from __future__ import annotations

import pytest

from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.registry.dedup import services
from opora.registry.dedup.tasks import search_duplicates
from opora.registry.models import CandidateStatus, DedupRun, DuplicateCandidate, PersonMerge

from .conftest import valid_snils

pytestmark = pytest.mark.django_db

BASE = "/api/v1/registry/duplicates"


@pytest.fixture
def pair(make_person):
    original = make_person(
        last_name="Соколов", first_name="Игорь", patronymic="Павлович", sex="M", snils=valid_snils()
    )
    duplicate = make_person(last_name="Sokolov", first_name="Igor", patronymic="Pavlovich", sex="M")
    return original, duplicate


def _error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_start_a_search_follow_it_and_list_the_pairs(
    login, admin_user, pair, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/runs", {"threshold": 0.95}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["threshold"] == 0.95 and body["job_id"] and body["finished_at"] is None
    with django_capture_on_commit_callbacks(execute=True):
        _error(
            client.post(f"{BASE}/runs", {}, content_type="application/json"),
            409,
            "job_already_running",
        )
    search_duplicates.call(job_id=body["job_id"])

    run = client.get(f"{BASE}/runs/{body['id']}").json()
    assert run["finished_at"] and run["candidates"] == 1 and run["people"] == 2
    listing = client.get(f"{BASE}/runs").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]

    pairs = client.get(f"{BASE}/candidates").json()
    assert pairs["count"] == 1
    item = pairs["items"][0]
    original, duplicate = pair
    assert {item["person_a"]["id"], item["person_b"]["id"]} == {original.pk, duplicate.pk}
    assert item["status"] == "pending" and item["probability"] >= 0.95
    assert client.get(f"{BASE}/candidates/{item['id']}").json() == item


def test_a_threshold_out_of_range_is_a_400(login, admin_user):
    response = login(admin_user).post(
        f"{BASE}/runs", {"threshold": 1.5}, content_type="application/json"
    )
    _error(response, 400, "invalid_threshold")
    assert not DedupRun.objects.exists()


def test_filter_confirm_reject(login, admin_user, pair, make_person):
    make_person(last_name="Орлова", first_name="Нина", patronymic="Ильинична")
    make_person(last_name="Орлова", first_name="Нина", patronymic="")
    services.dedup_run_here(actor=SYSTEM)
    client = login(admin_user)
    everything = client.get(f"{BASE}/candidates").json()["items"]
    assert len(everything) == 2
    probabilities = sorted(item["probability"] for item in everything)
    above = client.get(f"{BASE}/candidates", {"min_probability": probabilities[1]}).json()
    assert [i["probability"] for i in above["items"]] == [probabilities[1]]
    first, second = everything

    _error(client.post(f"{BASE}/candidates/{first['id']}/reject"), 400, "reason_required")
    response = client.post(
        f"{BASE}/candidates/{first['id']}/reject",
        {"reason": "namesakes"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    response = client.post(f"{BASE}/candidates/{second['id']}/confirm")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert response.json()["reviewed_by_id"] == admin_user.pk

    rejected = client.get(f"{BASE}/candidates", {"status": "rejected"}).json()["items"]
    assert [i["id"] for i in rejected] == [first["id"]]
    assert client.get(f"{BASE}/candidates", {"status": "pending"}).json()["count"] == 0


def test_merge_and_unmerge(login, admin_user, pair):
    original, duplicate = pair
    services.dedup_run_here(actor=SYSTEM)
    candidate = DuplicateCandidate.objects.get()
    client = login(admin_user)
    response = client.post(
        f"{BASE}/merges",
        {
            "survivor_id": original.pk,
            "merged_id": duplicate.pk,
            "candidate_id": candidate.pk,
            "reason": "the same man",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    merge = response.json()
    assert merge["survivor_id"] == original.pk and merge["merged_id"] == duplicate.pk
    assert merge["candidate_id"] == candidate.pk and merge["undone_at"] is None
    assert {(e["model"], e["field"]) for e in merge["moved"]} >= {
        ("registry.personinstitution", "person")
    }
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    # The merged record is a redirect now: merging it again is refused.
    again = client.post(
        f"{BASE}/merges",
        {"survivor_id": original.pk, "merged_id": duplicate.pk},
        content_type="application/json",
    )
    _error(again, 409, "already_merged")
    listing = client.get(f"{BASE}/merges").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == merge["id"]

    _error(client.post(f"{BASE}/merges/{merge['id']}/unmerge"), 400, "reason_required")
    response = client.post(
        f"{BASE}/merges/{merge['id']}/unmerge",
        {"reason": "brothers"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["undone_at"]
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    _error(
        client.post(
            f"{BASE}/merges/{merge['id']}/unmerge",
            {"reason": "again"},
            content_type="application/json",
        ),
        409,
        "merge_undone",
    )


def test_merging_a_record_into_itself_is_a_400(login, admin_user, pair):
    original, _duplicate = pair
    response = login(admin_user).post(
        f"{BASE}/merges",
        {"survivor_id": original.pk, "merged_id": original.pk},
        content_type="application/json",
    )
    _error(response, 400, "merge_same")


def test_permissions_and_scope(login, make_user, institution_a, institution_b, pair, make_person):
    original, duplicate = pair
    make_person(
        institution=institution_b, last_name="Соколов", first_name="Игорь", patronymic="", sex="M"
    )
    services.dedup_run_here(actor=SYSTEM)
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    client = login(worker)
    for method, path in (
        ("get", "/runs"),
        ("post", "/runs"),
        ("get", "/candidates"),
        ("post", "/merges"),
        ("get", "/merges"),
    ):
        _error(getattr(client, method)(BASE + path), 403, "permission_denied")
    assert not DedupRun.objects.filter(job__isnull=False).exists()

    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])
    client = login(manager)
    items = client.get(f"{BASE}/candidates").json()["items"]
    assert [(i["person_a"]["id"], i["person_b"]["id"]) for i in items] == [
        tuple(sorted((original.pk, duplicate.pk)))
    ]
    outside = DuplicateCandidate.objects.exclude(pk=items[0]["id"])
    assert outside.exists()
    for candidate in outside:
        _error(client.get(f"{BASE}/candidates/{candidate.pk}"), 404, "not_found")
        _error(client.post(f"{BASE}/candidates/{candidate.pk}/confirm"), 404, "not_found")
    _error(client.post(f"{BASE}/runs"), 403, "permission_denied")
    response = client.post(
        f"{BASE}/merges",
        {"survivor_id": original.pk, "merged_id": duplicate.pk},
        content_type="application/json",
    )
    _error(response, 403, "permission_denied")
    assert not PersonMerge.objects.exists()
    confirmed = client.post(f"{BASE}/candidates/{items[0]['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"


def test_anonymous_calls_are_refused(client):
    for method, path in (
        ("get", "/runs"),
        ("post", "/runs"),
        ("get", "/candidates"),
        ("post", "/merges"),
    ):
        _error(getattr(client, method)(BASE + path), 401, "not_authenticated")


def test_the_schema_lists_every_operation_with_its_parameters(login, admin_user):
    paths = login(admin_user).get("/api/v1/openapi.json").json()["paths"]
    operations = {
        ("get", "/runs"), ("post", "/runs"), ("get", "/runs/{run_id}"),
        ("get", "/candidates"), ("get", "/candidates/{candidate_id}"),
        ("post", "/candidates/{candidate_id}/confirm"),
        ("post", "/candidates/{candidate_id}/reject"),
        ("get", "/merges"), ("post", "/merges"), ("post", "/merges/{merge_id}/unmerge"),
    }  # fmt: skip
    listed = {(m, p[len(BASE) :]) for p, item in paths.items() if p.startswith(BASE) for m in item}
    assert listed == operations
    for path in ("/runs", "/candidates", "/merges"):
        names = {p["name"] for p in paths[BASE + path]["get"]["parameters"]}
        assert "page" in names, path
    filters = {p["name"] for p in paths[BASE + "/candidates"]["get"]["parameters"]}
    assert {"status", "min_probability", "run"} <= filters
    bodies = {
        "/runs": "threshold",
        "/merges": "survivor_id",
        "/candidates/{candidate_id}/reject": "reason",
        "/merges/{merge_id}/unmerge": "reason",
    }
    for path, field in bodies.items():
        body = paths[BASE + path]["post"]["requestBody"]["content"]["application/json"]
        assert field in body["schema"]["properties"], path
