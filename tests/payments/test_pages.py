"""The pages: the payout details form on a person's page, the payroll list and its generation
form, the payroll's actions, the worklist with its re-issue."""

from __future__ import annotations

from opora.payments.models import PayoutDetails

from .conftest import BIK, account


def test_a_worker_records_payout_details_from_the_form(login, worker_a, person_a):
    client = login(worker_a)
    url = f"/payments/people/{person_a.pk}/payout/"
    assert client.get(url).status_code == 200
    good = account(11)
    wrong = good[:8] + str((int(good[8]) + 1) % 10) + good[9:]
    refused = client.post(
        url, {"channel": "bank", "valid_from": "2026-01-01", "bik": BIK, "account": wrong}
    )
    assert refused.status_code == 200
    assert b"check digit" in refused.content or "контрольн".encode() in refused.content
    assert not PayoutDetails.objects.filter(person=person_a).exists()
    saved = client.post(
        url, {"channel": "bank", "valid_from": "2026-01-01", "bik": BIK, "account": good}
    )
    assert saved.status_code == 302
    assert PayoutDetails.objects.get(person=person_a).account == good
    person_page = client.get(f"/registry/people/{person_a.pk}/")
    assert good.encode() in person_page.content


def test_a_person_out_of_scope_is_a_404(login, worker_a, person_b):
    assert login(worker_a).get(f"/payments/people/{person_b.pk}/payout/").status_code == 404


def test_the_payroll_list_offers_generation_to_accountants_only(login, accountant, analyst):
    page = login(accountant).get("/payments/payrolls/")
    assert page.status_code == 200
    assert b'data-testid="generate-form"' in page.content
    page = login(analyst).get("/payments/payrolls/")
    assert page.status_code == 200
    assert b'data-testid="generate-form"' not in page.content


def test_the_maker_is_told_she_cannot_approve(login, paid_people, accountant):
    from opora.payments import services

    from .conftest import MONTH

    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    client = login(accountant)
    response = client.post(f"/payments/payrolls/{payroll.pk}/approve/", follow=True)
    assert response.status_code == 200
    payroll.refresh_from_db()
    assert payroll.status == "checked"
