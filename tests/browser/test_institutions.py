import pytest
from playwright.sync_api import expect

from opora.core.roles import Role
from opora.institutions.reference import ensure_reference_data
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_changes_the_status_and_adds_an_employee(page, make_user, institution_a):
    ensure_reference_data()  # a transactional test starts with the reference data flushed
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(page, admin.username, PASSWORD)

    # Find the institution in the list as you type, and open it.
    page.goto(page.base_url + "/institutions/")
    page.fill("#id_q", "Альфа")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.click("#results tbody tr td:first-child a")
    expect(page.locator("h1")).to_have_text("Центр «Альфа»")
    expect(page.locator(".page-head [data-status]")).to_have_attribute("data-status", "open")

    # Close it for renovation: the badge and the status history say so.
    page.click("[data-testid=change-status]")
    page.select_option("#id_status", "renovation")
    page.fill("#id_reason", "Капитальный ремонт здания")
    page.click("main form button[type=submit]")
    expect(page.locator(".page-head [data-status]")).to_have_attribute("data-status", "renovation")
    expect(page.locator("[data-testid=status-history]")).to_contain_text(
        "Капитальный ремонт здания"
    )

    # Add an employee from the staff tab; the institution is already chosen.
    page.click("a[role=tab][href='?tab=staff']")
    page.click("#tab-body a[href*='/staff/new/']")
    page.fill("#id_last_name", "Кузнецова")
    page.fill("#id_first_name", "Ирина")
    page.fill("#id_patronymic", "Павловна")
    page.select_option("#id_position", label="Социальный работник")
    page.fill("#id_hired_on", "2025-02-03")
    page.fill("#id_caseload_limit", "12")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Кузнецова Ирина Павловна")
    expect(page.locator("[data-testid=employments]")).to_contain_text("Центр «Альфа»")

    # Back on the institution's staff tab, she is on the list.
    page.click(f"[data-testid=employments] a[href$='/institutions/{institution_a.pk}/']")
    page.click("a[role=tab][href='?tab=staff']")
    expect(page.locator("#tab-body")).to_contain_text("Кузнецова Ирина Павловна")
