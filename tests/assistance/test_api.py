"""The assistance API: every operation exercised as the worker or the analyst who may call it;
another institution's application, evaluation and assignment do not exist (404) and are never
listed; bad input is refused with its code and writes nothing; the published schema lists the
operations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opora.api import api
from opora.assistance import audit_actions as actions
from opora.assistance.models import (
    Application,
    ApplicationFile,
    Assignment,
    Decision,
    Evaluation,
    Measure,
    MeasureVersion,
    Overpayment,
)
from opora.core.models import AuditEntry

from .conftest import APPLIED_ON, DOCUMENTS, rows

API = "/api/v1/assistance"
JSON = "application/json"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLD_AGE = {"all": [{"id": "age90", "clause": "age", "at_least": 90}]}
VERSION_BODY = {
    "valid_from": "2027-01-01",
    "legal_basis": "Постановление № 2-ПП",
    "eligibility": {"all": [{"id": "age65", "clause": "age", "at_least": 65}]},
    "amount": {"fixed": "1200.00"},
    "periodicity": "monthly",
    "decision_working_days": 10,
    "term_months": 12,
    "documents": ["Паспорт"],
}


def post(client, url, body=None):
    return client.post(url, body or {}, content_type=JSON)


def patch(client, url, body):
    return client.patch(url, body, content_type=JSON)


def written():
    return rows(
        Measure,
        MeasureVersion,
        Application,
        ApplicationFile,
        Evaluation,
        Decision,
        Assignment,
        Overpayment,
        AuditEntry,
    )


# --- Measures and versions ----------------------------------------------------------------------


def test_measures_listed_filtered_and_read(login, worker_a, measure, version):
    client = login(worker_a)
    listed = client.get(f"{API}/measures").json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == measure.code
    assert client.get(f"{API}/measures?q=nothing-like-it").json()["count"] == 0
    assert client.get(f"{API}/measures?kind=subsidy").json()["count"] == 0
    assert client.get(f"{API}/measures/{measure.pk}").json()["kind"] == "monthly_payment"
    versions = client.get(f"{API}/measures/{measure.pk}/versions").json()
    assert [v["id"] for v in versions] == [version.pk]
    detail = client.get(f"{API}/versions/{version.pk}").json()
    assert detail["status"] == "published"
    assert [line["clause_id"] for line in detail["eligibility_text"] if line["clause_id"]] == [
        "age60"
    ]
    assert detail["amount_text"]
    rules = client.get(f"{API}/versions/{version.pk}/rules").json()
    assert rules["eligibility"]["all"][0]["id"] == "age60"
    assert any(line["clause_id"] == "age60" for line in rules["eligibility_text"])
    assert client.get(f"{API}/measures/999999").status_code == 404
    assert client.get(f"{API}/versions/999999").status_code == 404


def test_the_analyst_drafts_updates_compares_publishes_and_discards(login, analyst_user, measure):
    client = login(analyst_user)
    created = post(
        client,
        f"{API}/measures",
        {"code": "winter-help", "name": "Зимняя помощь", "kind": "one_time_payment"},
    )
    assert created.status_code == 201, created.json()
    drafted = post(client, f"{API}/measures/{measure.pk}/versions", VERSION_BODY)
    assert drafted.status_code == 201, drafted.json()
    draft = drafted.json()
    assert draft["status"] == "draft" and draft["number"] == 2
    changed = patch(
        client, f"{API}/versions/{draft['id']}", {"legal_basis": "Постановление № 3-ПП"}
    )
    assert changed.status_code == 200 and changed.json()["legal_basis"] == "Постановление № 3-ПП"
    cleared = patch(client, f"{API}/versions/{draft['id']}", {"review_months": None})
    assert cleared.status_code == 200 and cleared.json()["review_months"] is None
    comparison = client.get(f"{API}/versions/{draft['id']}/comparison").json()
    assert comparison["version"]["id"] == draft["id"]
    assert comparison["base"]["number"] == 1
    assert comparison["changed"] and comparison["eligibility_changed"]
    legal = next(row for row in comparison["fields"] if row["field"] == "legal_basis")
    assert legal["changed"] and legal["base"] == "Постановление № 1-ПП"
    assert [line["clause_id"] for line in comparison["base_eligibility"] if line["clause_id"]] == [
        "age60"
    ]
    published = post(client, f"{API}/versions/{draft['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    # A published version never changes.
    refused = patch(client, f"{API}/versions/{draft['id']}", {"note": "x"})
    assert refused.status_code == 409
    copied = post(client, f"{API}/versions/{draft['id']}/copy", {"valid_from": "2028-01-01"})
    assert copied.status_code == 201 and copied.json()["legal_basis"] == "Постановление № 3-ПП"
    discarded = client.delete(f"{API}/versions/{copied.json()['id']}")
    assert discarded.status_code == 204
    assert not MeasureVersion.objects.filter(pk=copied.json()["id"]).exists()


def test_a_rule_naming_a_fact_that_does_not_exist_is_refused_by_its_path(
    login, analyst_user, measure
):
    client = login(analyst_user)
    before = written()
    body = VERSION_BODY | {"eligibility": {"all": [{"clause": "shoe_size", "at_least": 40}]}}
    refused = post(client, f"{API}/measures/{measure.pk}/versions", body)
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_rule"
    assert any(key.startswith("eligibility") for key in refused.json()["details"])
    assert written() == before
    checked = post(client, f"{API}/rules/check", {"eligibility": body["eligibility"]})
    assert checked.status_code == 400 and checked.json()["code"] == "invalid_rule"
    fine = post(client, f"{API}/rules/check", {"eligibility": VERSION_BODY["eligibility"]})
    assert fine.status_code == 200
    assert fine.json()["eligibility"]["all"][0]["id"] == "age65"
    assert written() == before


def test_a_second_version_on_the_same_day_is_refused(login, analyst_user, measure, version):
    client = login(analyst_user)
    draft = post(
        client,
        f"{API}/measures/{measure.pk}/versions",
        VERSION_BODY | {"valid_from": version.valid_from.isoformat()},
    ).json()
    before = written()
    refused = post(client, f"{API}/versions/{draft['id']}/publish")
    assert refused.status_code == 409 and refused.json()["code"] == "version_overlap"
    assert written() == before


def test_a_null_for_a_field_that_cannot_be_empty_is_refused(login, analyst_user, measure):
    client = login(analyst_user)
    draft = post(client, f"{API}/measures/{measure.pk}/versions", VERSION_BODY).json()
    refused = patch(client, f"{API}/versions/{draft['id']}", {"legal_basis": None})
    assert refused.status_code in (400, 422)


def test_a_worker_may_not_draft(login, worker_a, measure):
    client = login(worker_a)
    refused = post(client, f"{API}/measures/{measure.pk}/versions", VERSION_BODY)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def _measure_changes(measure):
    entries = AuditEntry.objects.filter(action=actions.MEASURE_CHANGED, object_id=str(measure.pk))
    return list(entries.order_by("at", "pk").values_list("changes", flat=True))


def test_the_analyst_edits_and_ends_a_measure(login, analyst_user, measure):
    client = login(analyst_user)
    changed = patch(
        client,
        f"{API}/measures/{measure.pk}",
        # The code is not among what a patch changes: it stays.
        {
            "name": "  Ежемесячная выплата пожилым ",
            "description_en": "For the elderly.",
            "code": "other",
        },
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["name"] == "Ежемесячная выплата пожилым"
    assert body["description_en"] == "For the elderly."
    assert body["code"] == measure.code and body["kind"] == "monthly_payment"
    ended = post(client, f"{API}/measures/{measure.pk}/end", {"ended_on": "2027-07-01"})
    assert ended.status_code == 200, ended.json()
    assert ended.json()["ended_on"] == "2027-07-01"
    measure.refresh_from_db()
    assert measure.name == "Ежемесячная выплата пожилым"
    assert measure.ended_on == dt.date(2027, 7, 1)
    granted = post(client, f"{API}/measures/{measure.pk}/end", {"ended_on": None})
    assert granted.status_code == 200 and granted.json()["ended_on"] is None
    changes = _measure_changes(measure)
    assert len(changes) == 3
    assert "name" in changes[0] and "ended_on" in changes[1] and "ended_on" in changes[2]


def test_a_worker_may_not_edit_or_end_a_measure(login, worker_a, measure):
    client = login(worker_a)
    before = written()
    refused = patch(client, f"{API}/measures/{measure.pk}", {"name": "Другое имя"})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    ended = post(client, f"{API}/measures/{measure.pk}/end", {"ended_on": "2027-07-01"})
    assert ended.status_code == 403 and ended.json()["code"] == "permission_denied"
    assert written() == before


def test_bad_edits_and_ends_of_a_measure_are_refused_and_write_nothing(
    login, analyst_user, measure
):
    client = login(analyst_user)
    before = written()
    empty = patch(client, f"{API}/measures/{measure.pk}", {"name": "   "})
    assert empty.status_code == 400 and "name" in empty.json()["details"]
    null = patch(client, f"{API}/measures/{measure.pk}", {"name": None})
    assert null.status_code in (400, 422)
    kind = patch(client, f"{API}/measures/{measure.pk}", {"kind": "no-such-kind"})
    assert kind.status_code == 422
    # The measure's first version is in force from 01.01.2026.
    early = post(client, f"{API}/measures/{measure.pk}/end", {"ended_on": "2025-12-31"})
    assert early.status_code == 400
    assert early.json()["code"] == "ended_before_first_version"
    assert "01.01.2026" in early.json()["message"]
    assert "ended_on" in early.json()["details"]
    missing = post(client, f"{API}/measures/999999/end", {"ended_on": "2027-07-01"})
    assert missing.status_code == 404
    assert written() == before
    measure.refresh_from_db()
    assert measure.ended_on is None and measure.name.startswith("Ежемесячная выплата №")


# --- Applications -------------------------------------------------------------------------------


def test_register_evaluate_decide_and_see_the_assignment(
    login, worker_a, measure, person_a, household_a, institution_a
):
    client = login(worker_a)
    registered = post(
        client,
        f"{API}/applications",
        {
            "measure_id": measure.pk,
            "person_id": person_a.pk,
            "institution_id": institution_a.pk,
            "channel": "in_person",
            "applied_on": APPLIED_ON.isoformat(),
            "documents_received": DOCUMENTS,
        },
    )
    assert registered.status_code == 201, registered.json()
    application = registered.json()
    assert application["status"] == "submitted"
    assert application["documents_received"] == DOCUMENTS
    assert application["evaluation"] is None and application["decision"] is None
    pk = application["id"]

    evaluated = post(client, f"{API}/applications/{pk}/evaluate", {})
    assert evaluated.status_code == 201, evaluated.json()
    evaluation = evaluated.json()
    assert evaluation["eligible"] is True
    assert Decimal(evaluation["amount"]) == Decimal("1000.00")
    assert evaluation["clauses"][0]["mark"] == "✓"
    assert evaluation["clauses"][0]["facts"]
    assert evaluation["explanation"][0] == evaluation["verdict"]
    assert evaluation["failed"] == [] and evaluation["amount_parts"]

    listed = client.get(f"{API}/applications/{pk}/evaluations").json()
    assert [e["id"] for e in listed] == [evaluation["id"]]
    one = client.get(f"{API}/applications/{pk}/evaluations/{evaluation['id']}")
    assert one.status_code == 200 and one.json()["verdict"] == evaluation["verdict"]
    assert client.get(f"{API}/applications/{pk}/evaluations/999999").status_code == 404

    decided = post(
        client,
        f"{API}/applications/{pk}/decision",
        {"outcome": "assign", "decided_on": APPLIED_ON.isoformat()},
    )
    assert decided.status_code == 201, decided.json()
    body = decided.json()
    assert body["status"] == "assigned"
    assert body["decision"]["outcome"] == "assign" and body["decision"]["is_late"] is False
    assignment = client.get(f"{API}/assignments/{body['assignment_id']}").json()
    assert Decimal(assignment["amount"]) == Decimal("1000.00")
    assert [e["kind"] for e in assignment["events"]] == ["assigned"]


def test_the_list_filters_by_status_measure_and_overdue(login, worker_a, application, measure):
    client = login(worker_a)
    assert client.get(f"{API}/applications").json()["count"] == 1
    assert client.get(f"{API}/applications?status=refused").json()["count"] == 0
    assert client.get(f"{API}/applications?measure={measure.pk}").json()["count"] == 1
    overdue = client.get(f"{API}/applications?overdue=true").json()
    assert overdue["count"] == 1 and overdue["items"][0]["overdue"] is True
    assert client.get(f"{API}/applications?measure=999999").status_code == 404
    assert client.get(f"{API}/applications?status=nonsense").status_code == 422


def test_a_refusal_cites_the_failed_clauses(login, worker_a, make_measure, apply):
    application = apply(measure=make_measure(eligibility=OLD_AGE))
    client = login(worker_a)
    evaluation = post(client, f"{API}/applications/{application.pk}/evaluate", {}).json()
    assert evaluation["eligible"] is False
    assert evaluation["clauses"][0]["mark"] == "✗"
    assert len(evaluation["failed"]) == 1 and "90" in evaluation["failed"][0]
    before = written()
    refused = post(
        client,
        f"{API}/applications/{application.pk}/decision",
        {"outcome": "assign", "decided_on": APPLIED_ON.isoformat()},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_eligible"
    assert written() == before
    decided = post(
        client,
        f"{API}/applications/{application.pk}/decision",
        {"outcome": "refuse", "decided_on": APPLIED_ON.isoformat()},
    ).json()
    assert decided["status"] == "refused"
    assert decided["decision"]["failed_clauses"] == ["age90"]
    assert decided["decision"]["cited"] == evaluation["failed"]


def test_a_late_decision_is_kept_and_marked(login, worker_a, application):
    decided = post(
        login(worker_a),
        f"{API}/applications/{application.pk}/decision",
        {"outcome": "assign"},
    ).json()
    assert decided["decision"]["is_late"] is True
    assert decided["decision"]["decided_on"] == timezone.localdate().isoformat()


def test_attach_a_file_and_withdraw(login, worker_a, application):
    client = login(worker_a)
    attached = client.post(
        f"{API}/applications/{application.pk}/files",
        {"title": "Паспорт", "upload": _upload("passport.png", PNG)},
    )
    assert attached.status_code == 201, attached.json()
    assert attached.json()["content_type"] == "image/png"
    before = written()
    refused = client.post(
        f"{API}/applications/{application.pk}/files",
        {"title": "Паспорт", "upload": _upload("x.png", b"MZ not an image")},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "file_type_refused"
    assert written() == before
    assert post(client, f"{API}/applications/{application.pk}/withdraw", {}).status_code == 422
    empty = post(client, f"{API}/applications/{application.pk}/withdraw", {"reason": " "})
    assert empty.status_code == 400
    withdrawn = post(
        client, f"{API}/applications/{application.pk}/withdraw", {"reason": "Передумала"}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = post(client, f"{API}/applications/{application.pk}/evaluate", {})
    assert again.status_code in (400, 409)


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_bad_registrations_are_refused_with_their_code_and_write_nothing(
    login, worker_a, measure, make_measure, person_a, institution_a, institution_b, application
):
    other = make_measure()
    client = login(worker_a)
    body = {
        "measure_id": measure.pk,
        "person_id": person_a.pk,
        "institution_id": institution_a.pk,
        "channel": "in_person",
        "applied_on": APPLIED_ON.isoformat(),
    }
    before = written()
    # The same person with an open application for the measure.
    second = post(client, f"{API}/applications", body)
    assert second.status_code in (400, 409) and second.json()["code"]
    body["measure_id"] = other.pk
    other = post(client, f"{API}/applications", body | {"institution_id": institution_b.pk})
    assert other.status_code == 400 and other.json()["code"] == "unknown_institution"
    nobody = post(client, f"{API}/applications", body | {"person_id": 999999})
    assert nobody.status_code == 404
    channel = post(client, f"{API}/applications", body | {"channel": "pigeon"})
    assert channel.status_code == 422
    future = post(client, f"{API}/applications", body | {"applied_on": "2199-01-01"})
    assert future.status_code == 400
    document = post(client, f"{API}/applications", body | {"documents_received": ["Справка X"]})
    assert document.status_code == 400
    assert written() == before


# --- Assignments, overpayments, reviews ---------------------------------------------------------


def test_suspend_resume_recalculate_terminate(login, worker_a, assignment):
    client = login(worker_a)
    on = max(assignment.starts_on, APPLIED_ON)
    url = f"{API}/assignments/{assignment.pk}"
    assert client.get(f"{API}/assignments").json()["count"] == 1
    assert client.get(f"{API}/assignments?status=terminated").json()["count"] == 0
    suspended = post(client, f"{url}/suspend", {"on": on.isoformat(), "reason": "Лечение"})
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    before = written()
    twice = post(client, f"{url}/suspend", {"on": on.isoformat(), "reason": "Ещё раз"})
    assert twice.status_code in (400, 409)
    assert written() == before
    resumed = post(client, f"{url}/resume", {"on": on.isoformat(), "reason": "Вернулась"})
    assert resumed.json()["status"] == "active"
    recalculated = post(client, f"{url}/recalculate", {"on": on.isoformat(), "reason": "Пересчёт"})
    assert recalculated.status_code == 200, recalculated.json()
    assert recalculated.json()["events"][-1]["kind"] in ("recalculated", "terminated")
    terminated = post(client, f"{url}/terminate", {"on": on.isoformat(), "reason": "Выехала"})
    if recalculated.json()["status"] == "active":
        assert terminated.json()["status"] == "terminated"


def test_overpayments_recorded_listed_and_settled(login, worker_a, assignment):
    client = login(worker_a)
    start = assignment.starts_on
    body = {
        "period_from": start.isoformat(),
        "period_to": (start + dt.timedelta(days=27)).isoformat(),
        "amount": "1000.00",
        "reason": "Доход не заявлен",
        "found_on": max(start, APPLIED_ON).isoformat(),
    }
    recorded = post(client, f"{API}/assignments/{assignment.pk}/overpayments", body)
    assert recorded.status_code == 201, recorded.json()
    before = written()
    negative = post(
        client, f"{API}/assignments/{assignment.pk}/overpayments", body | {"amount": "-5"}
    )
    assert negative.status_code == 422
    backwards = post(
        client,
        f"{API}/assignments/{assignment.pk}/overpayments",
        body | {"period_to": (start - dt.timedelta(days=1)).isoformat()},
    )
    assert backwards.status_code == 400
    assert written() == before
    listed = client.get(f"{API}/overpayments?status=open").json()
    assert [o["id"] for o in listed["items"]] == [recorded.json()["id"]]
    settled = post(
        client, f"{API}/overpayments/{recorded.json()['id']}/settle", {"status": "written_off"}
    )
    assert settled.status_code == 200 and settled.json()["status"] == "written_off"
    assert client.get(f"{API}/overpayments?status=open").json()["count"] == 0
    detail = client.get(f"{API}/assignments/{assignment.pk}").json()
    assert detail["overpayments"][0]["status"] == "written_off"


def test_the_review_list(login, worker_a, assignment):
    reviews = login(worker_a).get(f"{API}/reviews?within_days=3660").json()
    assert reviews["count"] == 1
    row = reviews["items"][0]
    assert row["assignment"]["id"] == assignment.pk
    assert row["reasons"] and len(row["reasons_text"]) == len(row["reasons"])


# --- Scope --------------------------------------------------------------------------------------


def test_another_institutions_worker_finds_nothing(login, worker_b, application, assignment):
    client = login(worker_b)
    assert client.get(f"{API}/applications").json()["count"] == 0
    assert client.get(f"{API}/assignments").json()["count"] == 0
    assert client.get(f"{API}/overpayments").json()["count"] == 0
    assert client.get(f"{API}/reviews?within_days=3660").json()["count"] == 0
    before = written()
    for method, url, body in (
        ("get", f"{API}/applications/{application.pk}", None),
        ("get", f"{API}/applications/{application.pk}/evaluations", None),
        ("post", f"{API}/applications/{application.pk}/evaluate", {}),
        ("post", f"{API}/applications/{application.pk}/decision", {"outcome": "assign"}),
        ("post", f"{API}/applications/{application.pk}/withdraw", {"reason": "x"}),
        ("get", f"{API}/assignments/{assignment.pk}", None),
        ("post", f"{API}/assignments/{assignment.pk}/suspend", {"reason": "x"}),
        ("post", f"{API}/assignments/{assignment.pk}/overpayments", None),
    ):
        if method == "get":
            answer = client.get(url)
        else:
            answer = post(
                client,
                url,
                body
                or {
                    "period_from": "2026-04-01",
                    "period_to": "2026-04-30",
                    "amount": "10",
                    "reason": "x",
                },
            )
        assert answer.status_code == 404, (url, answer.json())
        assert application.person.last_name not in answer.content.decode()
    assert written() == before


def test_the_analyst_reads_measures_but_no_applications(login, analyst_user, application):
    client = login(analyst_user)
    assert client.get(f"{API}/measures").status_code == 200
    assert client.get(f"{API}/applications").status_code == 403
    assert client.get(f"{API}/applications/{application.pk}").status_code == 403
    assert client.get(f"{API}/assignments").status_code == 403


@pytest.mark.parametrize("path", [f"{API}/measures", f"{API}/applications"])
def test_anonymous_callers_are_refused(client, path, db):
    answer = client.get(path)
    assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated"


# --- The published schema -----------------------------------------------------------------------


def test_the_schema_lists_every_operation():
    schema = api.get_openapi_schema()
    operations = {
        (method, path.removeprefix("/api/v1/assistance"))
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/assistance")
        for method in methods
    }
    expected = {
        ("get", "/measures"),
        ("post", "/measures"),
        ("get", "/measures/{measure_id}"),
        ("patch", "/measures/{measure_id}"),
        ("post", "/measures/{measure_id}/end"),
        ("get", "/measures/{measure_id}/versions"),
        ("post", "/measures/{measure_id}/versions"),
        ("get", "/versions/{version_id}"),
        ("patch", "/versions/{version_id}"),
        ("delete", "/versions/{version_id}"),
        ("post", "/versions/{version_id}/copy"),
        ("post", "/versions/{version_id}/publish"),
        ("get", "/versions/{version_id}/comparison"),
        ("get", "/versions/{version_id}/rules"),
        ("post", "/rules/check"),
        ("get", "/applications"),
        ("post", "/applications"),
        ("get", "/applications/{application_id}"),
        ("post", "/applications/{application_id}/files"),
        ("post", "/applications/{application_id}/evaluate"),
        ("get", "/applications/{application_id}/evaluations"),
        ("get", "/applications/{application_id}/evaluations/{evaluation_id}"),
        ("post", "/applications/{application_id}/decision"),
        ("post", "/applications/{application_id}/withdraw"),
        ("get", "/assignments"),
        ("get", "/assignments/{assignment_id}"),
        ("post", "/assignments/{assignment_id}/suspend"),
        ("post", "/assignments/{assignment_id}/resume"),
        ("post", "/assignments/{assignment_id}/terminate"),
        ("post", "/assignments/{assignment_id}/recalculate"),
        ("get", "/overpayments"),
        ("post", "/assignments/{assignment_id}/overpayments"),
        ("post", "/overpayments/{overpayment_id}/settle"),
        ("get", "/reviews"),
        ("get", "/contracts"),
        ("post", "/contracts"),
        ("get", "/contracts/outcomes"),
        ("get", "/contracts/{contract_id}"),
        ("post", "/contracts/{contract_id}/milestones/{milestone_id}/done"),
        ("post", "/contracts/{contract_id}/instalments/{instalment_id}/pay"),
        ("post", "/contracts/{contract_id}/visits"),
        ("post", "/contracts/{contract_id}/terminate"),
        ("post", "/contracts/{contract_id}/complete"),
        ("get", "/goods"),
        ("post", "/goods"),
        ("get", "/stock"),
        ("get", "/stock/movements"),
        ("post", "/stock/receipts"),
        ("post", "/stock/issues"),
        ("post", "/stock/write-offs"),
        ("get", "/measures/{measure_id}/runs"),
        ("post", "/measures/{measure_id}/runs"),
        ("post", "/measures/{measure_id}/whatifs"),
        ("get", "/measures/{measure_id}/explain"),
        ("get", "/runs/{run_id}"),
        ("post", "/runs/{run_id}/restart"),
        ("get", "/runs/{run_id}/results"),
        ("get", "/runs/{run_id}/changes"),
        ("post", "/runs/{run_id}/outreach"),
        ("get", "/outreach"),
        ("post", "/outreach/{outreach_id}/outcome"),
    }
    assert operations == expected
    names = schema["components"]["schemas"]
    assert {
        "AssistanceEvaluationOut",
        "AssistanceComparisonOut",
        "AssistanceVersionIn",
        "AssistanceMeasurePatch",
        "AssistanceMeasureEndIn",
    } <= set(names)
    evaluation = names["AssistanceEvaluationOut"]["properties"]
    assert {"explanation", "clauses", "failed", "amount_parts"} <= set(evaluation)
