"""The accountants' path in the browser: the second accountant opens the payroll the first one
generated and checked, approves it, exports it, finds the payment files, imports the bank's
return file and reads the totals; the first one is told she cannot approve her own payroll."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opora.assistance.models import Application, Assignment, Measure, MeasureVersion
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.payments import services
from opora.payments.bank import with_check_digit
from opora.payments.models import PayrollLine
from opora.registry import services as registry_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTH = dt.date(2026, 3, 1)


@pytest.fixture
def checked_payroll(make_user, institution_a):
    maker = make_user(Role.ACCOUNTANT, institutions=[], username="maker")
    person = registry_services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Орлова",
        first_name="Анна",
        patronymic="Сергеевна",
        sex="F",
        birth_date=dt.date(1948, 3, 1),
    )
    services.payout_details_record(
        actor=SYSTEM,
        person=person,
        channel="bank",
        bik="044525225",
        account=with_check_digit("044525225", "40817810000000000042"),
        valid_from=dt.date(2026, 1, 1),
    )
    measure = Measure.objects.create(code="m", name="Выплата", kind="monthly_payment")
    version = MeasureVersion.objects.create(
        measure=measure,
        number=1,
        status="published",
        valid_from=dt.date(2025, 1, 1),
        legal_basis="1-ПП",
        eligibility={"all": []},
        periodicity="monthly",
        decision_working_days=10,
    )
    application = Application.objects.create(
        measure=measure,
        version=version,
        person=person,
        institution=institution_a,
        channel="in_person",
        applied_on=dt.date(2025, 6, 1),
        due_on=dt.date(2025, 6, 1),
        status="assigned",
    )
    Assignment.objects.create(
        application=application,
        version=version,
        measure=measure,
        person=person,
        institution=institution_a,
        amount=Decimal("1200.00"),
        starts_on=dt.date(2025, 6, 1),
    )
    payroll = services.payroll_generate(actor=maker, month=MONTH)["payroll"]
    return maker, services.payroll_check(actor=maker, payroll=payroll)


def in_english(page) -> None:
    """The interface in English (the department's default is Russian)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])


def test_approve_export_and_reconcile(page, make_user, checked_payroll, tmp_path):
    maker, payroll = checked_payroll
    in_english(page)
    sign_in(page, maker.username, PASSWORD)
    page.goto(f"{page.base_url}/payments/payrolls/{payroll.pk}/")
    expect(page.get_by_text("another accountant approves it")).to_be_visible()
    page.context.clear_cookies()

    checker = make_user(Role.ACCOUNTANT, institutions=[], username="checker")
    in_english(page)
    sign_in(page, checker.username, PASSWORD)
    page.goto(f"{page.base_url}/payments/payrolls/")
    page.click(f"a[href$='/payments/payrolls/{payroll.pk}/']")
    expect(page.get_by_test_id("payroll-checks")).to_contain_text("1")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("payroll-status")).to_have_text("approved")
    page.get_by_test_id("export").click()
    expect(page.get_by_test_id("file-bank")).to_be_visible()

    line = PayrollLine.objects.get(payroll=payroll)
    path = tmp_path / "return.csv"
    path.write_text(
        f"reference;status;reason;amount\r\n{line.pk};returned;Счёт закрыт;1200.00\r\n"
        "T;1;1200.00\r\n",
        encoding="utf-8",
    )
    page.set_input_files("[data-testid=return-form] input[type=file]", str(path))
    page.click("[data-testid=return-form] button[type=submit]")
    expect(page.get_by_test_id("total-returned")).to_contain_text("1")
    page.goto(f"{page.base_url}/payments/returned/")
    expect(page.get_by_text("Счёт закрыт")).to_be_visible()
