"""The pages: the payout details form on a person's page, the payroll list and its generation
form, the payroll's actions, the worklist with its re-issue; every sum in the reader's format,
and links to a person's page (or a job's) only for whoever may open it."""

from __future__ import annotations

import pytest

from opora.payments import services
from opora.payments.models import PayoutDetails

from .conftest import BIK, MONTH, account


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
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    client = login(accountant)
    response = client.post(f"/payments/payrolls/{payroll.pk}/approve/", follow=True)
    assert response.status_code == 200
    payroll.refresh_from_db()
    assert payroll.status == "checked"


# --- Money in the reader's format --------------------------------------------------------------


def _card(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def test_every_sum_on_the_payroll_page_is_in_the_readers_format(
    client, login, person_a, bank_details, make_assignment, accountant
):
    bank_details(person_a)
    make_assignment(person_a, "55001.60")
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    client = login(accountant)
    url = f"/payments/payrolls/{payroll.pk}/"
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "55001.60" not in page
    assert "55,001.60" in _card(page, "payroll-checks")
    assert "55,001.60" in _card(page, "payroll-totals")
    client.cookies["django_language"] = "ru"
    page = client.get(url).content.decode()
    assert "55001.60" not in page and "55001,60" not in page
    assert "55\xa0001,60" in _card(page, "payroll-checks")


# --- Links only to the pages the reader may open -----------------------------------------------


def _person_link(person) -> str:
    return f'href="/registry/people/{person.pk}/"'


@pytest.fixture
def not_paid_line(person_a, make_assignment, accountant, accountant2):
    """A payment held for want of payout details and not sent: it waits in the worklist."""
    make_assignment(person_a, "1000.00")
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    services.payroll_approve(actor=accountant2, payroll=payroll)
    services.payroll_export(actor=accountant2, payroll=payroll)
    return payroll.lines.get()


def test_an_accountant_records_payout_details_without_a_link_to_the_person_page(
    login, accountant, person_a
):
    client = login(accountant)
    assert client.get(f"/registry/people/{person_a.pk}/").status_code == 403
    url = f"/payments/people/{person_a.pk}/payout/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert _person_link(person_a) not in text
    assert person_a.full_name in text
    assert 'href="/payments/returned/"' in text
    saved = client.post(
        url, {"channel": "bank", "valid_from": "2026-01-01", "bik": BIK, "account": account(12)}
    )
    assert saved.status_code == 302 and saved["Location"] == "/payments/returned/"
    assert client.get(saved["Location"]).status_code == 200


def test_a_worker_goes_back_to_the_person_page(login, worker_a, person_a):
    client = login(worker_a)
    url = f"/payments/people/{person_a.pk}/payout/"
    assert _person_link(person_a) in client.get(url).content.decode()
    saved = client.post(
        url, {"channel": "bank", "valid_from": "2026-01-01", "bik": BIK, "account": account(13)}
    )
    assert saved["Location"] == f"/registry/people/{person_a.pk}/"


def test_the_worklist_links_people_only_for_whoever_may_open_their_page(
    login, not_paid_line, accountant, worker_a, person_a
):
    page = login(accountant).get("/payments/returned/").content.decode()
    assert f"№&nbsp;{not_paid_line.pk}" in page
    assert _person_link(person_a) not in page and person_a.full_name in page
    assert f'href="/payments/people/{person_a.pk}/payout/"' in page
    page = login(worker_a).get("/payments/returned/").content.decode()
    assert _person_link(person_a) in page


def test_the_payroll_lines_link_people_only_for_whoever_may_open_their_page(
    login, not_paid_line, accountant, admin_user, person_a
):
    url = f"/payments/payrolls/{not_paid_line.payroll_id}/"
    page = login(accountant).get(url).content.decode()
    assert person_a.full_name in page and _person_link(person_a) not in page
    page = login(admin_user).get(url).content.decode()
    assert _person_link(person_a) in page


def test_the_analyst_is_not_offered_the_worklist_she_may_not_open(login, analyst, accountant):
    client = login(analyst)
    assert client.get("/payments/returned/").status_code == 403
    page = client.get("/payments/payrolls/").content.decode()
    assert 'href="/payments/returned/"' not in page
    page = login(accountant).get("/payments/payrolls/").content.decode()
    assert 'data-testid="worklist-link"' in page


def test_another_accountants_generation_is_named_not_linked(login, accountant, accountant2):
    job = services.payroll_generate_start(actor=accountant, month=MONTH)
    job_link = f'href="/jobs/{job.pk}/"'
    client = login(accountant2)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    page = client.get("/payments/payrolls/").content.decode()
    assert 'data-testid="generation-running"' in page and job_link not in page
    page = login(accountant).get("/payments/payrolls/").content.decode()
    assert job_link in page
