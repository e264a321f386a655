"""The cooperation API: a partner with its people, an event with its itinerary, a letter whose
versions disagree, needs and aid; answers in the asked language with the Russian fallback;
other roles read but cannot write; bad input gives the one error body."""

from __future__ import annotations

import pytest

from opora.cooperation.models import Event, Letter, Partner
from opora.core.models import AuditEntry
from opora.core.roles import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/cooperation"
JSON = "application/json"


def post(client, url, body):
    return client.post(url, body, content_type=JSON)


@pytest.fixture
def officer(make_user):
    return make_user(Role.COOPERATION_OFFICER)


@pytest.fixture
def helsinki(login, officer):
    response = post(
        login(officer),
        f"{API}/partners",
        {
            "code": "helsinki",
            "kind": "city",
            "name": {"ru": "Город Хельсинки", "fi": "Helsingin kaupunki"},
            "country": "FI",
            "languages": ["fi", "sv", "en"],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_partner_answers_in_the_asked_language_with_the_russian_fallback(
    login, officer, helsinki
):
    client = login(officer)
    url = f"{API}/partners/{helsinki['id']}"
    assert client.get(url, {"lang": "fi"}).json()["name"] == "Helsingin kaupunki"
    # No English name: Russian stands in.
    assert client.get(url, {"lang": "en"}).json()["name"] == "Город Хельсинки"
    assert helsinki["i18n"]["name"]["en"] == ""
    assert client.get(url, {"lang": "xx"}).json()["code"] == "unknown_language"

    patched = client.patch(url, {"name": {"en": "City of Helsinki"}}, content_type=JSON)
    assert patched.status_code == 200, patched.content
    assert client.get(url, {"lang": "en"}).json()["name"] == "City of Helsinki"


def test_people_positions_and_partnerships(login, officer, helsinki):
    client = login(officer)
    base = f"{API}/partners/{helsinki['id']}"
    person = post(client, f"{base}/people", {"full_name": "Sanna Vesikansa"}).json()
    response = post(
        client,
        f"{base}/people/{person['id']}/positions",
        {"title": {"ru": "Вице-мэр", "en": "Deputy Mayor"}, "valid_from": "2019-07-02"},
    )
    assert response.status_code == 201, response.content
    [listed] = client.get(f"{base}/people", {"lang": "en"}).json()
    assert listed["position_now"] == "Deputy Mayor"
    response = post(
        client,
        f"{base}/partnerships",
        {"kind": "cooperation", "since": "2018-04-01", "since_precision": "month"},
    )
    assert response.status_code == 201, response.content
    timeline = client.get(f"{base}/timeline").json()
    assert [row["kind"] for row in timeline] == ["partnership"]


def test_the_partner_list_filters_and_pages(login, officer, helsinki):
    client = login(officer)
    post(
        client,
        f"{API}/partners",
        {"code": "berlin", "kind": "state_body", "name": {"ru": "Берлин"}, "country": "DE"},
    )
    codes = [p["code"] for p in client.get(f"{API}/partners", {"country": "DE"}).json()["items"]]
    assert codes == ["berlin"]
    page = client.get(f"{API}/partners", {"page": 1}).json()
    assert page["count"] == 2


def test_an_event_with_an_itinerary_refuses_overlapping_stops(
    login, officer, helsinki, institution_a
):
    client = login(officer)
    created = post(
        client,
        f"{API}/events",
        {
            "kind": "incoming_visit",
            "title": {"ru": "Визит делегации Хельсинки", "fi": "Helsingin delegaation vierailu"},
            "starts_on": "2019-07-02",
            "ends_on": "2019-07-03",
            "status": "held",
            "partners": [{"partner_id": helsinki["id"], "role": "participant"}],
        },
    )
    assert created.status_code == 201, created.content
    event = created.json()
    stop = {
        "day": "2019-07-02",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "kind": "institution_visit",
        "institution_id": institution_a.pk,
        "title": {"ru": "Кризисный центр"},
    }
    first = post(client, f"{API}/events/{event['id']}/itinerary", stop)
    assert first.status_code == 201, first.content
    before = AuditEntry.objects.count()
    clash = post(client, f"{API}/events/{event['id']}/itinerary", {**stop, "starts_at": "11:00"})
    assert clash.status_code in (400, 409), clash.content
    assert clash.json()["code"] == "stops_overlap"
    assert AuditEntry.objects.count() == before
    [day] = client.get(f"{API}/events/{event['id']}/itinerary").json()
    assert day["day"] == "2019-07-02" and len(day["stops"]) == 1

    found = client.get(f"{API}/events", {"year": 2019, "partner": helsinki["id"]}).json()
    assert [e["id"] for e in found["items"]] == [event["id"]]
    assert client.get(f"{API}/events", {"year": 2020}).json()["count"] == 0
    calendar = client.get(f"{API}/calendar", {"from": "2019-07-01", "to": "2019-07-31"})
    assert [e["id"] for e in calendar.json()] == [event["id"]]
    removed = client.delete(f"{API}/events/{event['id']}/itinerary/{first.json()['id']}")
    assert removed.status_code == 204


def test_a_letter_keeps_both_versions_and_a_discrepancy_is_resolved(login, officer, helsinki):
    client = login(officer)
    response = post(
        client,
        f"{API}/letters",
        {
            "direction": "incoming",
            "dated_on": "2019-07-12",
            "partner_id": helsinki["id"],
            "subject": "Благодарность за приём делегации",
            "versions": [
                {"language": "fi", "is_original": True, "text": "vierailu 2.-3.7.2019"},
                {"language": "ru", "text": "визит 2-3 июня 2019 года"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    letter = response.json()
    fi, ru = sorted(letter["versions"], key=lambda v: not v["is_original"])
    flagged = post(
        client,
        f"{API}/letters/{letter['id']}/discrepancies",
        {"description": "Месяц визита", "version_ids": [fi["id"], ru["id"]]},
    )
    assert flagged.status_code == 201, flagged.content
    assert flagged.json()["version_ids"] == [fi["id"], ru["id"]]
    unresolved = client.get(f"{API}/letters", {"unresolved": "true"}).json()
    assert [row["id"] for row in unresolved["items"]] == [letter["id"]]
    url = f"{API}/letters/{letter['id']}/discrepancies/{flagged.json()['id']}/resolve"
    unnamed = post(client, url, {"resolution": "Верен оригинал"})
    assert unnamed.status_code == 400, unnamed.content
    assert unnamed.json()["code"] == "correct_version_required"
    resolved = post(
        client,
        f"{API}/letters/{letter['id']}/discrepancies/{flagged.json()['id']}/resolve",
        {"resolution": "Верен оригинал", "correct_version_id": fi["id"]},
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["correct_version_id"] == fi["id"]
    texts = {
        v["language"]: v["text"]
        for v in client.get(f"{API}/letters/{letter['id']}").json()["versions"]
    }
    assert texts == {"fi": "vierailu 2.-3.7.2019", "ru": "визит 2-3 июня 2019 года"}


def test_needs_and_aid(login, officer, helsinki):
    client = login(officer)
    need = post(
        client,
        f"{API}/needs",
        {
            "partner_id": helsinki["id"],
            "kind": "training",
            "title": {"ru": "Обучение специалистов онлайн"},
            "raised_on": "2022-11-01",
        },
    )
    assert need.status_code == 201, need.content
    changed = post(client, f"{API}/needs/{need.json()['id']}/status", {"status": "accepted"})
    assert changed.status_code == 200, changed.content
    assert client.get(f"{API}/needs", {"status": "accepted"}).json()["count"] == 1
    aid = post(
        client,
        f"{API}/aid",
        {
            "partner_id": helsinki["id"],
            "need_id": need.json()["id"],
            "handed_over_on": "2022-11-28",
            "items": [{"name": {"ru": "Комплект"}, "quantity": "1", "unit": "комплект"}],
        },
    )
    assert aid.status_code == 201, aid.content
    assert client.get(f"{API}/aid").json()["items"][0]["items"][0]["quantity"] == "1.000"


def test_a_social_worker_reads_but_cannot_write(login, worker_a, officer, helsinki):
    client = login(worker_a)
    assert client.get(f"{API}/partners").json()["count"] == 1
    before = (Partner.objects.count(), AuditEntry.objects.count())
    refused = post(
        client,
        f"{API}/partners",
        {"code": "x", "kind": "city", "name": {"ru": "X"}, "country": "FI"},
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert (
        client.patch(
            f"{API}/partners/{helsinki['id']}", {"notes": "x"}, content_type=JSON
        ).status_code
        == 403
    )
    assert (Partner.objects.count(), AuditEntry.objects.count()) == before


def test_bad_input_gives_the_one_error_body(login, officer, helsinki):
    client = login(officer)
    missing = post(client, f"{API}/events", {"kind": "seminar"})
    assert missing.status_code == 422
    assert set(missing.json()) == {"code", "message", "details"}
    reversed_dates = post(
        client,
        f"{API}/events",
        {
            "kind": "seminar",
            "title": {"ru": "Семинар"},
            "starts_on": "2017-07-09",
            "ends_on": "2017-07-04",
            "place": {"ru": "Москва"},
        },
    )
    assert reversed_dates.status_code in (400, 409), reversed_dates.content
    assert set(reversed_dates.json()) == {"code", "message", "details"}
    assert Event.objects.count() == 0
    assert client.get(f"{API}/letters/999999").status_code == 404
    assert Letter.objects.count() == 0


def test_the_openapi_schema_lists_the_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cooperation/partners",
        "/api/v1/cooperation/agreements",
        "/api/v1/cooperation/events/{event_id}/itinerary",
        "/api/v1/cooperation/series/{series_id}/next",
        "/api/v1/cooperation/letters/{letter_id}/discrepancies",
        "/api/v1/cooperation/needs",
        "/api/v1/cooperation/aid",
        "/api/v1/cooperation/calendar",
    ):
        assert path in paths, path


def test_agreements_their_action_plan_and_a_series(login, officer, helsinki):
    client = login(officer)
    created = post(
        client,
        f"{API}/agreements",
        {
            "kind": "programme",
            "title": {"ru": "Программа сотрудничества", "fi": "Yhteistyöohjelma"},
            "signed_on": "2018-04-01",
            "valid_from": "2018-04-01",
            "valid_to": "2030-01-01",
            "status": "in_force",
            "parties": [{"partner_id": None}, {"partner_id": helsinki["id"]}],
        },
    )
    assert created.status_code == 201, created.content
    agreement = created.json()
    assert {p["partner_id"] for p in agreement["parties"]} == {None, helsinki["id"]}
    far = client.get(f"{API}/agreements", {"expiring_within": 36500}).json()
    assert [a["id"] for a in far["items"]] == [agreement["id"]]
    assert client.get(f"{API}/agreements", {"expiring_within": 1}).json()["count"] == 0
    action = post(
        client,
        f"{API}/agreements/{agreement['id']}/actions",
        {"title": {"ru": "Обмен специалистами"}, "due_on": "2019-12-31"},
    )
    assert action.status_code == 201, action.content
    assert action.json()["overdue"] is True
    overdue = client.get(f"{API}/actions/overdue").json()
    assert [a["id"] for a in overdue["items"]] == [action.json()["id"]]
    plan = client.get(f"{API}/agreements/{agreement['id']}/actions")
    assert plan.status_code == 200, plan.content
    assert [a["id"] for a in plan.json()] == [action.json()["id"]]
    version = post(
        client, f"{API}/agreements/{agreement['id']}/versions", {"summary": {"ru": "Изменения"}}
    )
    assert version.status_code == 201, version.content
    assert version.json()["number"] == 2


def test_participants_are_people_of_the_event_s_partners(login, officer, helsinki, make_partner):
    client = login(officer)
    event = post(
        client,
        f"{API}/events",
        {
            "kind": "incoming_visit",
            "title": {"ru": "Визит делегации Хельсинки"},
            "starts_on": "2019-07-02",
            "ends_on": "2019-07-03",
            "partners": [{"partner_id": helsinki["id"]}],
        },
    ).json()
    base = f"{API}/partners/{helsinki['id']}/people"
    guest = post(client, base, {"full_name": "Sanna Vesikansa"}).json()
    stranger = post(
        client, f"{API}/partners/{make_partner().pk}/people", {"full_name": "Jan Muster"}
    ).json()
    url = f"{API}/events/{event['id']}/participants"
    refused = post(client, url, {"side": "partner", "partner_person_id": stranger["id"]})
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "unknown_person"
    added = post(client, url, {"side": "partner", "partner_person_id": guest["id"]})
    assert added.status_code == 201, added.content
    assert added.json()["display_name"] == "Sanna Vesikansa"
    assert [p["display_name"] for p in client.get(url).json()] == ["Sanna Vesikansa"]
