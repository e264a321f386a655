import datetime as dt

import pytest
from playwright.sync_api import expect

from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.registry import services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_find_and_record_a_category(page, make_user, institution_a):
    from opora.registry.reference import ensure_reference_data

    ensure_reference_data()  # a transactional test starts with the kinds flushed
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Соколова",
        first_name="Вера",
        patronymic="Ильинична",
        sex="F",
        birth_date=dt.date(1948, 11, 2),
    )
    sign_in(page, worker.username, PASSWORD)

    # Search as you type, in Latin letters with a typo: the Cyrillic record is found.
    page.goto(page.base_url + "/registry/people/")
    page.fill("#id_q", "Sokolvoa Vera")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Соколова Вера Ильинична")
    # The swap replaces the region rather than nesting a second one inside it.
    expect(page.locator("[id=results]")).to_have_count(1)

    # Registering the same woman again shows the likely match first.
    page.goto(page.base_url + "/registry/people/new/")
    page.fill("#id_last_name", "Соколова")
    page.fill("#id_first_name", "Вера")
    page.fill("#id_patronymic", "Ильинишна")
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", "1948-11-02")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=likely-matches]")).to_be_visible()
    page.click("[data-testid=likely-matches] a")

    # On her page, record a category.
    page.click("a[role=tab][href='?tab=categories']")
    expect(page.locator("[id=tab-body]")).to_have_count(1)
    page.click("#tab-body a[href$='/categories/add/']")
    page.select_option("#id_kind", label="Пенсионер")
    page.fill("#id_valid_from", "2008-11-02")
    page.fill("#id_basis_document", "Пенсионное удостоверение № 123")
    page.click("main form button[type=submit]")
    expect(page.locator("#tab-body")).to_contain_text("Пенсионер")
    expect(page.locator("#tab-body")).to_contain_text("Пенсионное удостоверение № 123")
