import datetime as dt

import pytest
from playwright.sync_api import expect

from opora.catalogue import services
from opora.catalogue.models import ServiceKind, Tariff
from opora.catalogue.reference import ensure_kinds
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.institutions import services as institution_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_service(code, name, kind, **fields):
    fields.setdefault("forms", ["home"])
    fields.setdefault("regime", "one_time")
    return services.service_create(
        actor=SYSTEM,
        code=code,
        name=name,
        kind=ServiceKind.objects.get(code=kind),
        standard_duration_minutes=60,
        **fields,
    )


def test_an_administrator_filters_the_catalogue_opens_a_service_and_adds_a_tariff(page, make_user):
    ensure_kinds()  # a transactional test starts with the migration's kinds flushed
    admin = make_user(Role.ADMINISTRATOR)
    cleaning = add_service(
        "1.08",
        "Уборка жилых помещений",
        "social-household",
        regime="periodic",
        periodicity_times=1,
        periodicity_unit="week",
    )
    add_service("1.02", "Помощь в приготовлении пищи", "social-household")
    add_service("6.01", "Оказание помощи в оформлении документов", "social-legal")
    services.tariff_add(actor=SYSTEM, service=cleaning, price="240", valid_from=dt.date(2025, 1, 1))
    sign_in(page, admin.username, PASSWORD)

    # Filter by kind, then type part of a name: the table follows without a page load.
    page.goto(page.base_url + "/catalogue/")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    page.select_option("#id_kind", "social-household")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    page.fill("#id_q", "убор")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.click("#results tbody a")

    # On the service's page, the Tariffs tab, then a new tariff from next year.
    expect(page.locator("h1")).to_have_text("Уборка жилых помещений")
    page.click("a[role=tab][href='?tab=tariffs']")
    expect(page.locator("#tab-body tbody tr")).to_have_count(1)
    page.click("#tab-body a[href$='/tariffs/add/']")
    page.fill("#id_price", "-1")
    page.fill("#id_valid_from", "2026-01-01")
    page.click("main form button[type=submit]")
    expect(page.locator(".field-error #id_price")).to_be_visible()  # refused next to the field
    page.fill("#id_price", "255.50")
    page.click("main form button[type=submit]")
    expect(page.locator("#tab-body tbody tr")).to_have_count(2)
    expect(page.locator("#tab-body")).to_contain_text("255,50")
    assert Tariff.objects.get(valid_from=dt.date(2025, 1, 1)).valid_to == dt.date(2025, 12, 31)


def test_the_public_district_listing_renders_without_signing_in(page):
    ensure_kinds()
    district = institution_services.district_create(
        actor=SYSTEM, code="tverskoy", name="Тверской", name_en="Tverskoy"
    )
    centre = institution_services.institution_create(
        actor=SYSTEM, code="tcso-tverskoy", name="ТЦСО «Тверской»", address="ул. Тверская, 1"
    )
    service = add_service("1.08", "Уборка жилых помещений", "social-household")
    services.tariff_add(actor=SYSTEM, service=service, price="240", valid_from=dt.date(2025, 1, 1))
    services.provider_add(
        actor=SYSTEM,
        institution=centre,
        service=service,
        form="home",
        district=district,
        valid_from=dt.date(2025, 1, 1),
    )

    page.goto(page.base_url + "/catalogue/public/")
    expect(page.locator("#results .empty")).to_be_visible()
    page.select_option("#id_district", "tverskoy")
    provider = page.locator("[data-testid=public-provider]")
    expect(provider).to_have_count(1)
    expect(provider).to_contain_text("ТЦСО «Тверской»")
    expect(provider).to_contain_text("Уборка жилых помещений")
    expect(provider).to_contain_text("240,00")


def test_the_catalogue_pages_meet_wcag_aa(browser, live_server, make_user):
    from tests.browser.test_accessibility_audit import violations

    ensure_kinds()
    admin = make_user(Role.ADMINISTRATOR)
    district = institution_services.district_create(actor=SYSTEM, code="tverskoy", name="Тверской")
    centre = institution_services.institution_create(
        actor=SYSTEM, code="tcso-tverskoy", name="ТЦСО «Тверской»"
    )
    service = add_service("1.08", "Уборка жилых помещений", "social-household", urgent_allowed=True)
    services.tariff_add(actor=SYSTEM, service=service, price="240", valid_from=dt.date(2025, 1, 1))
    services.provider_add(
        actor=SYSTEM,
        institution=centre,
        service=service,
        form="home",
        district=district,
        valid_from=dt.date(2025, 1, 1),
    )
    # axe is injected into the page; the test context lets it past our script policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    try:
        page.goto(page.base_url + "/catalogue/public/?district=tverskoy")
        assert violations(page) == [], "public listing"
        sign_in(page, admin.username, PASSWORD)
        for path in [
            "/catalogue/",
            f"/catalogue/services/{service.pk}/",
            f"/catalogue/services/{service.pk}/?tab=tariffs",
            f"/catalogue/services/{service.pk}/?tab=providers",
            f"/catalogue/services/{service.pk}/?tab=history",
            "/catalogue/services/new/",
            f"/catalogue/services/{service.pk}/tariffs/add/",
            "/catalogue/providers/",
            "/catalogue/providers/new/",
        ]:
            page.goto(page.base_url + path)
            assert violations(page) == [], path
    finally:
        context.close()
