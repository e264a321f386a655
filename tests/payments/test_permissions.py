"""Who sees what: accountants the department, social workers their people's details and their
institution's returned payments, the analyst payroll totals but no personal row; out of scope
is a 404 and an empty list."""

from __future__ import annotations

import pytest

from opora.core.actors import SYSTEM
from opora.payments import selectors, services
from opora.payments.models import PayrollLine

from .conftest import BIK, MONTH, account

API = "/api/v1/payments"


@pytest.fixture
def returned_b(paid_people, accountant, accountant2):
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    services.payroll_approve(actor=accountant2, payroll=payroll)
    services.payroll_export(actor=accountant, payroll=payroll)
    PayrollLine.objects.filter(assignment=paid_people["b"]).update(
        status="returned", return_reason="Счёт закрыт"
    )
    return PayrollLine.objects.get(assignment=paid_people["b"])


def test_a_social_worker_sees_the_details_of_her_people_only(
    login, worker_a, person_a, person_b, paid_people
):
    client = login(worker_a)
    listed = client.get(API + "/payout-details").json()
    assert {row["person_id"] for row in listed["items"]} == {person_a.pk}
    other = selectors.payout_details(actor=SYSTEM, person=person_b).get()
    assert client.get(f"{API}/payout-details/{other.pk}").status_code == 404
    response = client.post(
        API + "/payout-details",
        {
            "person_id": person_b.pk,
            "channel": "bank",
            "bik": BIK,
            "account": account(2),
            "valid_from": "2026-05-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_worklist_is_the_institutions(login, worker_a, worker_b, returned_b):
    assert login(worker_a).get(API + "/returned").json()["count"] == 0
    assert login(worker_a).post(f"{API}/lines/{returned_b.pk}/reissue").status_code == 404
    assert [row["id"] for row in login(worker_b).get(API + "/returned").json()["items"]] == [
        returned_b.pk
    ]


def test_social_workers_see_no_payroll(login, worker_a, returned_b):
    client = login(worker_a)
    assert client.get(API + "/payrolls").status_code == 403
    assert client.get(f"{API}/payrolls/{returned_b.payroll_id}").status_code == 403


def test_the_analyst_sees_totals_but_no_personal_row(login, analyst, returned_b):
    client = login(analyst)
    listed = client.get(API + "/payrolls").json()
    assert [row["id"] for row in listed["items"]] == [returned_b.payroll_id]
    detail = client.get(f"{API}/payrolls/{returned_b.payroll_id}").json()
    assert detail["returned"]["count"] == 1
    assert client.get(f"{API}/payrolls/{returned_b.payroll_id}/lines").status_code == 403
    assert client.get(API + "/returned").status_code == 403
    assert client.get(API + "/payout-details").status_code == 403
    assert selectors.payroll_lines(actor=analyst, payroll=returned_b.payroll).count() == 0


def test_an_accountant_sees_every_institution(login, accountant, returned_b, paid_people):
    client = login(accountant)
    assert client.get(API + "/returned").json()["count"] == 1
    assert client.get(API + "/payout-details").json()["count"] == 2


def test_pages_answer_by_permission(login, worker_a, accountant, returned_b):
    worker = login(worker_a)
    assert worker.get("/payments/payrolls/").status_code == 403
    assert worker.get("/payments/returned/").status_code == 200
    accountant_client = login(accountant)
    page = accountant_client.get(f"/payments/payrolls/{returned_b.payroll_id}/")
    assert page.status_code == 200
    assert "Счёт закрыт".encode() in page.content
