"""Every operation of /api/v1/payments, and who may call it; generating a payroll starts the
background job the pages start and answers 202 with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opora.api import api
from opora.core.models import AuditEntry, Job
from opora.payments.models import LineStatus, Payroll, PayrollLine
from opora.payments.tasks import generate_payroll

from .conftest import BIK, MONTH, account, return_file

JSON = "application/json"
API = "/api/v1/payments"


def post(client, path, body=None):
    return client.post(API + path, body or {}, content_type=JSON)


def generated(client, captured, month=MONTH) -> dict:
    """Start the month's generation and do the job's work, as the worker would once the
    request commits; the job as its status URL gives it afterwards."""
    with captured(execute=False):
        started = post(client, "/payrolls", {"month": month.isoformat()})
    assert started.status_code == 202, started.json()
    body = started.json()
    assert body["status"] == "queued" and body["month"] == month.isoformat()
    assert body["status_url"] == f"/api/v1/jobs/{body['id']}"
    generate_payroll.call(job_id=body["id"])
    job = client.get(body["status_url"])
    assert job.status_code == 200 and job.json()["status"] == "succeeded", job.json()
    return job.json()


def test_payout_details_recorded_listed_read_and_ended(login, accountant, person_a):
    client = login(accountant)
    created = post(
        client,
        "/payout-details",
        {
            "person_id": person_a.pk,
            "channel": "bank",
            "bik": BIK,
            "account": account(4),
            "valid_from": "2026-01-01",
        },
    )
    assert created.status_code == 201, created.json()
    details_id = created.json()["id"]
    listed = client.get(API + "/payout-details", {"person": person_a.pk})
    assert [row["id"] for row in listed.json()["items"]] == [details_id]
    assert client.get(f"{API}/payout-details/{details_id}").json()["account"] == account(4)
    ended = post(client, f"/payout-details/{details_id}/end", {"valid_to": "2026-06-30"})
    assert ended.status_code == 200 and ended.json()["valid_to"] == "2026-06-30"


def test_a_wrong_check_digit_is_a_422_naming_the_account(login, accountant, person_a):
    good = account(4)
    wrong = good[:8] + str((int(good[8]) + 3) % 10) + good[9:]
    response = post(
        login(accountant),
        "/payout-details",
        {
            "person_id": person_a.pk,
            "channel": "bank",
            "bik": BIK,
            "account": wrong,
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "account_check_digit"
    assert "account" in response.json()["details"]


def test_the_whole_flow_through_the_api(
    client,
    login,
    paid_people,
    accountant,
    accountant2,
    person_a,
    django_capture_on_commit_callbacks,
):
    maker = login(accountant)
    job = generated(maker, django_capture_on_commit_callbacks)
    assert job["result"]["added"] == 2 and job["result"]["reissued"] == 0
    payroll_id = job["result"]["payroll"]
    assert [p["id"] for p in maker.get(API + "/payrolls").json()["items"]] == [payroll_id]
    # The job checks what it generated, as it does from the page.
    assert maker.get(f"{API}/payrolls/{payroll_id}").json()["status"] == "checked"
    checked = post(maker, f"/payrolls/{payroll_id}/check")
    assert checked.json()["status"] == "checked"
    assert checked.json()["control_count"] == 2
    refused = post(maker, f"/payrolls/{payroll_id}/approve")
    assert refused.status_code == 403
    assert refused.json()["code"] == "maker_cannot_approve"
    lines = maker.get(f"{API}/payrolls/{payroll_id}/lines", {"channel": "bank"}).json()
    assert lines["count"] == 1 and lines["items"][0]["person_id"] == person_a.pk

    client.logout()
    checker = login(accountant2)
    assert post(checker, f"/payrolls/{payroll_id}/approve").json()["status"] == "approved"
    assert post(checker, f"/payrolls/{payroll_id}/export").json()["status"] == "exported"
    file = checker.get(f"{API}/payrolls/{payroll_id}/files/post")
    assert file.status_code == 200
    assert file["Content-Type"].startswith("text/csv")
    text = b"".join(file.streaming_content).decode("utf-8")
    assert text.splitlines()[-1] == "T;1;2500.50"
    assert AuditEntry.objects.filter(action="payments.payroll.downloaded").exists()

    a = PayrollLine.objects.get(assignment=paid_people["a"])
    b = PayrollLine.objects.get(assignment=paid_people["b"])
    content = return_file([(a.pk, "paid", "", "1000.00"), (b.pk, "returned", "Выбыл", "2500.50")])
    imported = checker.post(
        f"{API}/payrolls/{payroll_id}/returns",
        {"upload": SimpleUploadedFile("return.csv", content, content_type="text/csv")},
    )
    assert imported.status_code == 201, imported.json()
    assert imported.json()["returned_count"] == 1
    assert len(checker.get(f"{API}/payrolls/{payroll_id}/returns").json()["items"]) == 1
    detail = checker.get(f"{API}/payrolls/{payroll_id}").json()
    assert detail["paid"] == {"count": 1, "amount": "1000.00"}
    assert detail["returned"] == {"count": 1, "amount": "2500.50"}
    assert detail["unmatched"]["count"] == 0
    worklist = checker.get(API + "/returned").json()
    assert [row["id"] for row in worklist["items"]] == [b.pk]
    post(
        checker,
        "/payout-details",
        {
            "person_id": b.person_id,
            "channel": "bank",
            "bik": BIK,
            "account": account(8),
            "valid_from": dt.date.today().isoformat(),
        },
    )
    reissued = post(checker, f"/lines/{b.pk}/reissue")
    assert reissued.status_code == 200, reissued.json()
    assert reissued.json()["reissue_requested_at"]


def test_generating_is_refused_to_a_social_worker(login, worker_a):
    response = post(login(worker_a), "/payrolls", {"month": MONTH.isoformat()})
    assert response.status_code == 403


@pytest.mark.parametrize("month", ["2026-03-02", "2026-13-01", "march"])
def test_a_bad_month_is_refused(login, accountant, month):
    response = post(login(accountant), "/payrolls", {"month": month})
    assert response.status_code in (400, 422)
    assert not Job.objects.exists()


def test_a_day_within_the_month_is_refused_naming_the_month(login, accountant):
    response = post(login(accountant), "/payrolls", {"month": "2026-03-02"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_month" and "month" in response.json()["details"]


def test_generating_starts_the_job_the_pages_start_and_writes_nothing_yet(
    login, paid_people, accountant, django_capture_on_commit_callbacks
):
    client = login(accountant)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = post(client, "/payrolls", {"month": MONTH.isoformat()})
    assert started.status_code == 202, started.json()
    assert len(queued) == 1  # the task is enqueued once the request commits
    job = Job.objects.get(pk=started.json()["id"])
    assert (job.kind, job.params, job.created_by) == (
        "payments.payroll.generate",
        {"month": MONTH.isoformat()},
        accountant,
    )
    assert started.json()["kind"] == job.kind
    documented = api.get_openapi_schema()["components"]["schemas"]["PaymentsGenerateJobOut"]
    assert set(started.json()) == set(documented["properties"]) == set(documented["required"])
    assert not Payroll.objects.exists()
    # One generation of a month at a time: the second start names the running job.
    again = post(client, "/payrolls", {"month": MONTH.isoformat()})
    assert again.status_code == 409
    assert again.json()["code"] == "job_already_running"
    assert again.json()["details"]["job"] == [str(job.pk)]


def test_the_generation_is_documented_as_a_job(db):
    operation = api.get_openapi_schema()["paths"][API + "/payrolls"]["post"]
    responses = {int(code): answer for code, answer in operation["responses"].items()}
    accepted = responses[202]["content"]["application/json"]["schema"]
    assert accepted == {"$ref": "#/components/schemas/PaymentsGenerateJobOut"}
    assert not {200, 201} & set(responses)
    assert {400, 403, 409, 422} <= set(responses)
    assert "invalid_month" in responses[400]["description"]
    assert "job_already_running" in responses[409]["description"]


def test_lines_filtered_by_status(
    login, paid_people, accountant, django_capture_on_commit_callbacks
):
    client = login(accountant)
    payroll_id = generated(client, django_capture_on_commit_callbacks)["result"]["payroll"]
    found = client.get(f"{API}/payrolls/{payroll_id}/lines", {"status": LineStatus.PAID})
    assert found.json()["count"] == 0
    found = client.get(f"{API}/payrolls/{payroll_id}/lines", {"status": LineStatus.PENDING})
    assert found.json()["count"] == 2
