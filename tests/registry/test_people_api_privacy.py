"""Nothing outside the caller's scope is named or numbered in an API body: a household's
members of another institution, and the record a registration would repeat."""

from __future__ import annotations

import datetime as dt

from opora.core.actors import SYSTEM
from opora.registry import services
from opora.registry.models import Person
from tests.registry.conftest import valid_snils

API = "/api/v1/registry"


def _post(client, path: str, body: dict):
    return client.post(f"{API}{path}", body, content_type="application/json")


def test_a_household_names_only_the_members_in_scope(
    login, worker_a, make_person, institution_a, institution_b
):
    applicant = make_person(institution=institution_a, first_name="Анна")
    stranger = make_person(institution=institution_b, last_name="Соколов", first_name="Пётр")
    household = services.household_create(actor=SYSTEM, applicant=applicant, address="ул. Мира, 1")
    services.household_add_member(
        actor=SYSTEM, household=household, person=stranger, relation="spouse"
    )

    response = login(worker_a).get(f"{API}/households/{household.pk}")

    assert response.status_code == 200
    body = response.json()
    assert [member["person_id"] for member in body["members"]] == [applicant.pk]
    assert body["others_outside_scope"] == 1
    assert "Соколов" not in response.content.decode()
    assert str(stranger.pk) not in {str(member["id"]) for member in body["members"]}


def test_a_household_counts_nobody_outside_scope_for_whoever_sees_everyone(
    login, admin_user, make_person, institution_a, institution_b
):
    applicant = make_person(institution=institution_a)
    other = make_person(institution=institution_b, first_name="Ольга")
    household = services.household_create(actor=SYSTEM, applicant=applicant)
    services.household_add_member(actor=SYSTEM, household=household, person=other, relation="child")

    body = login(admin_user).get(f"{API}/households/{household.pk}").json()

    assert {member["person_id"] for member in body["members"]} == {applicant.pk, other.pk}
    assert body["others_outside_scope"] == 0


def test_a_snils_held_in_another_institution_is_refused_without_its_holder(
    login, worker_a, make_person, institution_b
):
    snils = valid_snils()
    make_person(institution=institution_b, last_name="Кузнецова", snils=snils)
    body = {"last_name": "Петрова", "first_name": "Анна", "sex": "F", "snils": snils}

    refused = _post(login(worker_a), "/people", body)

    assert refused.status_code == 409
    error = refused.json()
    assert error["code"] == "snils_taken"
    assert set(error["details"]) == {"snils"}
    assert Person.objects.count() == 1


def test_a_snils_held_in_scope_names_the_record_to_open(login, worker_a, make_person):
    snils = valid_snils()
    holder = make_person(snils=snils)
    body = {"last_name": "Петрова", "first_name": "Анна", "sex": "F", "snils": snils}

    refused = _post(login(worker_a), "/people", body)

    assert refused.status_code == 409
    assert refused.json()["details"]["person"] == [str(holder.pk)]


def test_a_likely_duplicate_in_another_institution_is_counted_not_numbered(
    login, worker_a, make_person, institution_b
):
    namesake = make_person(
        institution=institution_b,
        last_name="Орлова",
        first_name="Нина",
        birth_date=dt.date(1951, 5, 9),
    )
    body = {"last_name": "Орлова", "first_name": "Нина", "sex": "F", "birth_date": "1951-05-09"}

    refused = _post(login(worker_a), "/people", body)

    assert refused.status_code == 409
    error = refused.json()
    assert error["code"] == "likely_duplicate"
    assert error["details"] == {"matches": [], "others_outside_scope": 1}
    assert str(namesake.pk) not in error["details"]["matches"]
    assert "Орлова" not in error["message"]
