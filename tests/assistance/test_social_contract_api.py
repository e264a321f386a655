"""The API of social contracts and goods in kind: every operation exercised, the error bodies
(409 for an instalment before its step and for goods not in stock, 404 out of scope, 403 for a
role without the permission, 422 for a malformed body) and nothing written by a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from opora.assistance.models import (
    ContractStatus,
    SocialContract,
    StockBalance,
    StockMovement,
)

from .contract_support import *  # noqa: F403 - the fixtures
from .contract_support import plan

API = "/api/v1/assistance"


def _body(assignment) -> dict:
    data = plan(assignment.starts_on)
    return {
        "assignment_id": assignment.pk,
        "kind": data["kind"],
        "concluded_on": data["concluded_on"].isoformat(),
        "ends_on": data["ends_on"].isoformat(),
        "milestones": [{**m, "due_on": m["due_on"].isoformat()} for m in data["milestones"]],
        "instalments": [{**i, "amount": str(i["amount"])} for i in data["instalments"]],
    }


def test_a_contract_through_the_api_from_conclusion_to_termination(
    login, worker_a, contract_assignment, today
):
    client = login(worker_a)
    created = client.post(f"{API}/contracts", _body(contract_assignment), "application/json")
    assert created.status_code == 201, created.content
    contract = created.json()
    assert contract["total"] == "60000.00" and contract["status"] == "active"
    assert [m["order"] for m in contract["milestones"]] == [1, 2, 3]
    base = f"{API}/contracts/{contract['id']}"
    first_step = contract["milestones"][0]["id"]
    untied, tied, _later = (i["id"] for i in contract["instalments"])

    early = client.post(f"{base}/instalments/{tied}/pay", {}, "application/json")
    assert early.status_code == 409
    assert early.json()["code"] == "milestone_not_done"
    paid_at_once = client.post(f"{base}/instalments/{untied}/pay", {}, "application/json")
    assert paid_at_once.status_code == 200
    done = client.post(
        f"{base}/milestones/{first_step}/done", {"note": "Справка"}, "application/json"
    )
    assert done.json()["milestones"][0]["done_on"] == today.isoformat()
    paid = client.post(f"{base}/instalments/{tied}/pay", {}, "application/json").json()
    assert paid["paid"] == "40000.00"
    visit = client.post(
        f"{base}/visits", {"findings": "Ходит на курсы", "on_track": True}, "application/json"
    )
    assert visit.status_code == 201 and len(visit.json()["visits"]) == 1

    ended = client.post(
        f"{base}/terminate", {"reason": "Бросил обучение", "recover": True}, "application/json"
    ).json()
    assert ended["status"] == "terminated" and ended["recovery_amount"] == "40000.00"
    assert [i["status"] for i in ended["instalments"]] == ["paid", "paid", "cancelled"]
    listed = client.get(f"{API}/contracts", {"status": "terminated"}).json()
    assert [c["id"] for c in listed["items"]] == [contract["id"]]
    outcomes = {row["kind"]: row for row in client.get(f"{API}/contracts/outcomes").json()}
    assert outcomes["job_search"]["terminated"] == 1
    assert outcomes["job_search"]["recovered"] == "40000.00"


def test_the_outcome_through_the_api(login, worker_a, contract, today):
    client = login(worker_a)
    response = client.post(
        f"{API}/contracts/{contract.pk}/complete",
        {"outcome": "business_registered", "note": "ИП"},
        "application/json",
    )
    assert response.json()["outcome"] == "business_registered"
    outcomes = {row["kind"]: row for row in client.get(f"{API}/contracts/outcomes").json()}
    assert outcomes["job_search"]["outcomes"]["business_registered"] == 1
    assert outcomes["job_search"]["completed"] == 1


def test_bad_contracts_are_refused_and_write_nothing(login, worker_a, contract_assignment):
    client = login(worker_a)
    body = _body(contract_assignment)
    short = {**body, "instalments": body["instalments"][:1]}
    response = client.post(f"{API}/contracts", short, "application/json")
    assert response.status_code == 400 and response.json()["code"] == "instalments_sum"
    malformed = {**body, "milestones": []}
    assert client.post(f"{API}/contracts", malformed, "application/json").status_code == 422
    negative = {**body, "instalments": [{"amount": "-1", "milestone_index": None}]}
    assert client.post(f"{API}/contracts", negative, "application/json").status_code == 422
    assert not SocialContract.objects.exists()


def test_another_institutions_worker_gets_404_and_an_empty_list(
    login, worker_b, contract, contract_assignment
):
    client = login(worker_b)
    assert client.get(f"{API}/contracts/{contract.pk}").status_code == 404
    assert client.get(f"{API}/contracts").json()["count"] == 0
    terminate = client.post(
        f"{API}/contracts/{contract.pk}/terminate",
        {"reason": "…", "recover": True},
        "application/json",
    )
    assert terminate.status_code == 404
    conclude = client.post(f"{API}/contracts", _body(contract_assignment), "application/json")
    assert conclude.status_code == 404
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_goods_through_the_api(login, worker_a, in_kind_assignment, institution_a, person_a):
    client = login(worker_a)
    goods = client.post(
        f"{API}/goods",
        {"code": "warm-coat", "name": "Пальто", "name_en": "Coat", "unit": "piece"},
        "application/json",
    )
    assert goods.status_code == 201
    goods_id = goods.json()["id"]
    assert [g["code"] for g in client.get(f"{API}/goods").json()] == ["warm-coat"]
    receipt = {"institution_id": institution_a.pk, "goods_id": goods_id, "quantity": 4}
    assert client.post(f"{API}/stock/receipts", receipt, "application/json").status_code == 201
    issue = {"assignment_id": in_kind_assignment.pk, "goods_id": goods_id, "quantity": 3}
    handed = client.post(f"{API}/stock/issues", issue, "application/json")
    assert handed.status_code == 201 and handed.json()["person_id"] == person_a.pk
    too_many = client.post(f"{API}/stock/issues", issue, "application/json")
    assert too_many.status_code == 409
    assert too_many.json()["code"] == "not_enough_stock"
    assert too_many.json()["details"]["left"] == 1
    write_off = {**receipt, "quantity": 1, "note": "Порван"}
    assert client.post(f"{API}/stock/write-offs", write_off, "application/json").status_code == 201
    stock = client.get(f"{API}/stock", {"institution": institution_a.pk}).json()
    assert [(row["goods"], row["quantity"]) for row in stock["items"]] == [("Пальто", 0)]
    kinds = [m["kind"] for m in client.get(f"{API}/stock/movements").json()["items"]]
    assert kinds == ["write_off", "issue", "receipt"]
    assert StockMovement.objects.count() == 3


def test_goods_refusals_and_scope(
    login, worker_b, analyst, in_kind_assignment, institution_a, stocked
):
    client = login(worker_b)
    receipt = {"institution_id": institution_a.pk, "goods_id": stocked.pk, "quantity": 1}
    refused = client.post(f"{API}/stock/receipts", receipt, "application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_institution"
    issue = {"assignment_id": in_kind_assignment.pk, "goods_id": stocked.pk, "quantity": 1}
    assert client.post(f"{API}/stock/issues", issue, "application/json").status_code == 404
    assert client.get(f"{API}/stock").json()["count"] == 0
    assert client.get(f"{API}/stock/movements").json()["count"] == 0
    zero = {**receipt, "quantity": 0}
    assert client.post(f"{API}/stock/receipts", zero, "application/json").status_code == 422
    assert StockBalance.objects.get(goods=stocked).quantity == 5
    login(analyst)
    assert client.get(f"{API}/stock").status_code == 403


@pytest.mark.parametrize("path", ["/contracts", "/contracts/outcomes", "/goods"])
def test_reads_need_a_login(client, path, db):
    assert client.get(f"{API}{path}").status_code == 401


def test_dates_in_the_future_are_refused(login, worker_a, contract):
    client = login(worker_a)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        f"{API}/contracts/{contract.pk}/visits",
        {"visited_on": tomorrow, "findings": "…"},
        "application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "date_in_future"
