import datetime as dt

from opora.registry.models import Person
from tests.registry.conftest import valid_snils


def test_listing_filtering_and_pagination(login, worker_a, make_person):
    for index in range(60):
        make_person(first_name=f"Имя{index}", birth_date=dt.date(1950, 1, 1) + dt.timedelta(index))
    client = login(worker_a)
    page = client.get("/api/v1/registry/people", {"page": 2}).json()
    assert page["count"] == 60 and len(page["items"]) == 10


def test_registering_through_the_api_reports_likely_duplicates(login, worker_a, make_person):
    make_person(last_name="Орлова", first_name="Нина", birth_date=dt.date(1951, 5, 9))
    client = login(worker_a)
    body = {"last_name": "Орлова", "first_name": "Нина", "sex": "F", "birth_date": "1951-05-09"}
    refused = client.post("/api/v1/registry/people", body, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "likely_duplicate"
    assert Person.objects.count() == 1
    body["override_reason"] = "однофамилица, другой паспорт"
    created = client.post("/api/v1/registry/people", body, content_type="application/json")
    assert created.status_code == 201


def test_bad_input_gives_a_clear_error_and_nothing_written(login, worker_a):
    client = login(worker_a)
    body = {
        "last_name": "Орлова",
        "first_name": "Нина",
        "sex": "F",
        "birth_date": "1951-05-09",
        "snils": "112-233-445 96",
    }
    response = client.post("/api/v1/registry/people", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_snils"
    bad_date = client.post(
        "/api/v1/registry/people",
        {**body, "birth_date": "31.02.2020"},
        content_type="application/json",
    )
    assert bad_date.status_code == 422
    assert not Person.objects.exists()


def test_categories_and_holders_on_a_date(login, worker_a, make_person):
    person = make_person(snils=valid_snils())
    client = login(worker_a)
    created = client.post(
        f"/api/v1/registry/people/{person.pk}/categories",
        {"category": "large-family", "valid_from": "2024-01-01", "valid_to": "2024-12-31"},
        content_type="application/json",
    )
    assert created.status_code == 201
    held = client.get(
        "/api/v1/registry/categories/holders", {"category": "large-family", "on": "2024-06-01"}
    ).json()
    later = client.get(
        "/api/v1/registry/categories/holders", {"category": "large-family", "on": "2025-01-01"}
    ).json()
    assert [p["id"] for p in held["items"]] == [person.pk] and later["count"] == 0


def test_snils_in_the_api_is_masked_for_roles_without_the_need(
    login, make_user, make_person, institution_a
):
    person = make_person(snils="112-233-445 95")
    specialist = make_user("employment_specialist", institutions=[institution_a])
    body = login(specialist).get(f"/api/v1/registry/people/{person.pk}").json()
    assert body["snils"] == "•••-•••-445 95"
