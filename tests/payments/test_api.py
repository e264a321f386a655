"""Every operation of /api/v1/payments, and who may call it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opora.core.models import AuditEntry
from opora.payments.models import LineStatus, PayrollLine

from .conftest import BIK, MONTH, account, return_file

JSON = "application/json"
API = "/api/v1/payments"


def post(client, path, body=None):
    return client.post(API + path, body or {}, content_type=JSON)


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
    client, login, paid_people, accountant, accountant2, person_a
):
    maker = login(accountant)
    generated = post(maker, "/payrolls", {"month": MONTH.isoformat()})
    assert generated.status_code == 200, generated.json()
    assert generated.json()["added"] == 2
    payroll_id = generated.json()["payroll"]["id"]
    assert [p["id"] for p in maker.get(API + "/payrolls").json()["items"]] == [payroll_id]
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


def test_lines_filtered_by_status(login, paid_people, accountant):
    client = login(accountant)
    payroll_id = post(client, "/payrolls", {"month": MONTH.isoformat()}).json()["payroll"]["id"]
    found = client.get(f"{API}/payrolls/{payroll_id}/lines", {"status": LineStatus.PAID})
    assert found.json()["count"] == 0
