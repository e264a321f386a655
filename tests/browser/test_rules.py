import re

import pytest
from playwright.sync_api import expect

from opora.core.roles import Role
from opora.demo.steps.rules import load_rules
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_use_the_fee_calculator(page, make_user, institution_a):
    load_rules()
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    sign_in(page, worker.username, PASSWORD)

    page.goto(page.base_url + "/rules/fees/")
    page.select_option("#id_service_form", "home")
    page.fill("#id_on", "2025-06-01")
    page.fill("#id_income", "40000")
    # The result region is replaced as she types, without a page load.
    expect(page.locator("[data-testid=fee-cap]")).to_have_text(re.compile(r"1\s?399,25"))
    expect(page.locator("[data-testid=fee-threshold]")).to_have_text(re.compile(r"37\s?201,50"))
    expect(page.locator("[data-testid=fee-explanation] li")).to_have_count(6)

    page.fill("#id_income", "30000")
    expect(page.locator("[data-testid=fee-cap]")).to_have_text(re.compile(r"^0,00"))
    expect(page).to_have_url(re.compile(r"income=30000"))


def test_an_administrator_adds_a_version_of_a_rule(page, admin_user):
    load_rules()
    sign_in(page, admin_user.username, PASSWORD)

    page.goto(page.base_url + "/rules/")
    page.click("[data-testid=rules-table] a[href$='/rule/need_decision_days/']")
    page.click("main a[href$='/rule/need_decision_days/add/']")
    page.fill("#id_valid_from", "2027-01-01")
    page.fill("#id_value", "2.5")
    page.click("main form button[type=submit]")
    # A fraction of a day is refused next to the field.
    expect(page.locator(".field-error #id_value")).to_be_visible()

    page.fill("#id_value", "7")
    page.fill("#id_basis", "Закон субъекта (пример)")
    page.click("main form button[type=submit]")
    line = page.locator("[data-testid=rule-line]")
    expect(line.locator("li").first).to_contain_text("01.01.2027")
    expect(line.locator("li").first).to_contain_text("7")
    expect(line.locator("li").nth(1)).to_contain_text("31.12.2026")
