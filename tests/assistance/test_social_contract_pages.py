"""The pages of social contracts and goods in kind: the list with the outcomes, concluding a
contract from the plan's lines (a refused line marked where it stands), the contract's page and
its steps, the stock page and its hand-outs (more than is left refused on the form); another
institution's worker gets 404."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from opora.assistance.models import (
    ContractStatus,
    InstalmentStatus,
    SocialContract,
    StockBalance,
    StockMovement,
)

from .contract_support import *  # noqa: F403 - the fixtures


def _management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _conclude_form(assignment, *, second_due: dt.date | None = None) -> dict:
    start = assignment.starts_on
    data = {
        "assignment": str(assignment.pk),
        "kind": "own_business",
        "concluded_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=180)).isoformat(),
        **_management("step", 4),
        **_management("money", 4),
        # A gap in the lines: the second step filled in is on the fourth line.
        "step-0-title": "Зарегистрироваться как самозанятый",
        "step-0-owner": "recipient",
        "step-0-due_on": (start + dt.timedelta(days=10)).isoformat(),
        "step-3-title": "Купить оборудование",
        "step-3-owner": "recipient",
        "step-3-due_on": (second_due or start + dt.timedelta(days=40)).isoformat(),
        "money-0-amount": "30 000,00",
        "money-1-amount": "30000",
        "money-1-step": "1",
    }
    return data


def test_concluding_a_contract_from_the_page(login, worker_a, contract_assignment):
    client = login(worker_a)
    url = reverse("assistance:contract_new")
    page = client.get(url, {"assignment": contract_assignment.pk})
    assert page.status_code == 200
    assert contract_assignment.person.full_name in page.content.decode()
    response = client.post(url, _conclude_form(contract_assignment))
    contract = SocialContract.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "assistance:contract", args=[contract.pk]
    )
    assert [m.title for m in contract.milestones.order_by("order")] == [
        "Зарегистрироваться как самозанятый",
        "Купить оборудование",
    ]
    tied = contract.instalments.get(milestone__isnull=False)
    assert tied.milestone.order == 1


def test_a_refused_line_is_marked_where_it_stands_and_nothing_is_written(
    login, worker_a, contract_assignment
):
    client = login(worker_a)
    late = contract_assignment.starts_on + dt.timedelta(days=400)
    response = client.post(
        reverse("assistance:contract_new"), _conclude_form(contract_assignment, second_due=late)
    )
    assert response.status_code == 200
    form_steps = response.context["steps"]
    assert form_steps.forms[3].errors["due_on"]
    assert not form_steps.forms[1].errors
    assert "error-summary" in response.content.decode()
    assert not SocialContract.objects.exists()


def test_the_contract_page_and_its_steps(login, worker_a, contract, today):
    client = login(worker_a)
    page = client.get(reverse("assistance:contract", args=[contract.pk]))
    body = page.content.decode()
    assert "Пройти обучение" in body and 'data-testid="contract-plan"' in body
    step = contract.milestones.order_by("order").first()
    tied = contract.instalments.get(milestone=step)

    pay = reverse("assistance:contract_instalment_pay", args=[contract.pk, tied.pk])
    refused = client.post(pay, {"on": today.isoformat()})
    assert refused.status_code == 200
    assert step.title in refused.content.decode()  # the message names the step not done
    done = reverse("assistance:contract_milestone_done", args=[contract.pk, step.pk])
    assert client.post(done, {"on": today.isoformat(), "note": ""}).status_code == 302
    assert client.post(pay, {"on": today.isoformat()}).status_code == 302
    tied.refresh_from_db()
    assert tied.status == InstalmentStatus.PAID

    visit = reverse("assistance:contract_visit", args=[contract.pk])
    assert client.post(visit, {"visited_on": today.isoformat(), "findings": "Всё по плану",
                               "on_track": "on"}).status_code == 302  # fmt: skip
    terminate = reverse("assistance:contract_terminate", args=[contract.pk])
    assert client.post(terminate, {"on": today.isoformat(), "reason": "Не выполняет план",
                                   "recover": "on"}).status_code == 302  # fmt: skip
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    page = client.get(reverse("assistance:contract", args=[contract.pk])).content.decode()
    assert 'data-testid="contract-recovery"' in page and "Всё по плану" in page


def test_the_list_counts_outcomes_and_offers_assignments_waiting(
    login, worker_a, contract_assignment, today
):
    client = login(worker_a)
    page = client.get(reverse("assistance:contracts")).content.decode()
    assert 'data-testid="contracts-waiting"' in page
    assert contract_assignment.person.full_name in page
    assert 'data-testid="contract-outcomes"' in page


def test_another_institutions_worker_gets_404(login, worker_b, contract, today):
    client = login(worker_b)
    assert client.get(reverse("assistance:contract", args=[contract.pk])).status_code == 404
    terminate = reverse("assistance:contract_terminate", args=[contract.pk])
    assert client.post(terminate, {"on": today.isoformat(), "reason": "…"}).status_code == 404
    page = client.get(reverse("assistance:contracts")).content.decode()
    assert contract.assignment.person.full_name not in page


def test_the_goods_page_and_a_hand_out(
    login, worker_a, stocked, in_kind_assignment, institution_a, today, person_a
):
    client = login(worker_a)
    page = client.get(reverse("assistance:goods")).content.decode()
    assert "Продуктовый набор" in page and 'data-testid="stock-balances"' in page
    issue = reverse("assistance:goods_issue", args=[institution_a.pk])
    form = {"assignment": in_kind_assignment.pk, "goods": stocked.pk, "on": today.isoformat()}
    too_many = client.post(issue, {**form, "quantity": "9"})
    assert too_many.status_code == 200
    assert too_many.context["form"].errors["quantity"]
    assert client.post(issue, {**form, "quantity": "2"}).status_code == 302
    assert StockBalance.objects.get(goods=stocked).quantity == 3
    page = client.get(reverse("assistance:goods")).content.decode()
    assert person_a.full_name in page
    write_off = reverse("assistance:goods_write_off", args=[institution_a.pk])
    no_reason = client.post(write_off, {"goods": stocked.pk, "quantity": "1", "on": today})
    assert no_reason.status_code == 200
    assert StockMovement.objects.count() == 2


def test_a_new_kind_of_goods_and_receipts(login, worker_a, institution_a, today):
    client = login(worker_a)
    new = client.post(
        reverse("assistance:goods_kind_new"),
        {"code": "boots", "name": "Сапоги", "name_en": "Boots", "unit": "piece"},
    )
    assert new.status_code == 302
    receive = reverse("assistance:goods_receive", args=[institution_a.pk])
    goods = StockMovement._meta.get_field("goods").related_model.objects.get(code="boots")
    response = client.post(receive, {"goods": goods.pk, "quantity": "7", "on": today.isoformat()})
    assert response.status_code == 302
    assert StockBalance.objects.get(goods=goods).quantity == 7


def test_another_institutions_goods_are_not_found(login, worker_b, stocked, institution_a):
    client = login(worker_b)
    for name in ("goods_issue", "goods_receive", "goods_write_off"):
        assert client.get(reverse(f"assistance:{name}", args=[institution_a.pk])).status_code == 404
    assert (
        client.get(reverse("assistance:goods"), {"institution": institution_a.pk}).status_code
        == 404
    )
    assert "Продуктовый набор" not in client.get(reverse("assistance:goods")).content.decode()
