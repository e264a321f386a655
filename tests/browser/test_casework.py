import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opora.casework.models import Case, CaseStatus
from opora.casework.reference import ensure_reference
from opora.catalogue import services as catalogue_services
from opora.catalogue.models import ServiceKind
from opora.catalogue.reference import ensure_kinds
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.demo.steps.rules import load_rules
from opora.institutions import services as institution_services
from opora.institutions.reference import ensure_reference_data
from opora.registry import services as registry_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def home_care_at_a(institution_a):
    """What a transactional test starts without: the reference data, and a service given at
    home by institution A with its tariff."""
    ensure_reference()
    ensure_kinds()
    ensure_reference_data()
    load_rules()
    service = catalogue_services.service_create(
        actor=SYSTEM,
        code="1.01",
        name="Покупка и доставка продуктов питания",
        name_en="Buying and delivering groceries",
        kind=ServiceKind.objects.get(code="social-household"),
        forms=["home"],
        regime="periodic",
        periodicity_times=2,
        periodicity_unit="week",
        unit="service",
        standard_duration_minutes=30,
    )
    catalogue_services.tariff_add(
        actor=SYSTEM, service=service, price=Decimal("250.00"), valid_from=dt.date(2024, 1, 1)
    )
    district = institution_services.district_create(actor=SYSTEM, code="tverskoy", name="Тверской")
    catalogue_services.provider_add(
        actor=SYSTEM,
        institution=institution_a,
        service=service,
        form="home",
        district=district,
        valid_from=dt.date(2024, 1, 1),
    )
    return service


def open_step(page, url_end: str):
    page.click(f".casework-actions a[href$='{url_end}']")


def submit(page):
    page.click("main form button[type=submit]")


def test_intake_recognition_programme_and_first_delivery(
    page, make_user, institution_a, home_care_at_a
):
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    person = registry_services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Морозова",
        first_name="Галина",
        patronymic="Петровна",
        sex="F",
        birth_date=dt.date(1938, 3, 14),
    )
    sign_in(page, worker.username, PASSWORD)

    # Intake, from the person's page.
    page.goto(f"{page.base_url}/registry/people/{person.pk}/")
    page.click(f"a[href$='/casework/new/?person={person.pk}']")
    page.select_option("#id_channel", "in_person")
    page.locator("input[name=grounds]").first.check()
    page.select_option("#id_requested_form", "home")
    submit(page)
    case = Case.objects.get(person=person)
    page.wait_for_url(f"**/casework/{case.pk}/**")
    expect(page.locator("main h1")).to_contain_text(case.number)

    # Assessment: every Barthel item at its lowest answer proposes the most care.
    open_step(page, "/assess/")
    items = page.locator(".casework-scale input[type=radio][value='0']")
    for index in range(items.count()):
        items.nth(index).check()
    submit(page)
    page.wait_for_url(f"**/casework/{case.pk}/**")

    # Recognition within the deadline; the decision prints.
    open_step(page, "/decide/")
    page.check("input[name=outcome][value=recognised]")
    submit(page)
    page.wait_for_url(f"**/casework/{case.pk}/**")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOGNISED
    assert case.programme_due is not None and case.next_due == case.programme_due

    # The programme: at home, the fee from the calculator, a service of the register.
    open_step(page, "/programmes/new/")
    page.select_option("#id_form", "home")
    page.fill("#id_income", "30 000,00")
    submit(page)
    page.wait_for_url(f"**/casework/{case.pk}/**")
    open_step(page, "/services/add/")
    page.select_option("#id_provider", index=1)
    page.fill("#id_volume", "20")
    page.fill("#id_times", "2")
    page.select_option("#id_per", "week")
    submit(page)
    page.wait_for_url(f"**/casework/{case.pk}/**")
    open_step(page, "/agree/")
    submit(page)
    page.wait_for_url(f"**/casework/{case.pk}/**")
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED

    # The first visit.
    open_step(page, "/deliver/")
    page.select_option("#id_item_0", index=1)
    page.fill("#id_minutes_0", "40")
    submit(page)
    page.wait_for_url(f"**/casework/{case.pk}/**")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_SERVICE
    assert case.deliveries.get().minutes == 40

    # The programme tab counts what is delivered and what is still due.
    page.goto(f"{page.base_url}/casework/{case.pk}/?tab=programme")
    expect(page.locator("#tab-body")).to_contain_text("1.01")
    expect(page.locator("#tab-body")).to_contain_text("19")
    pdf = page.request.get(
        page.base_url + page.get_attribute("[data-testid=programme-pdf]", "href")
    )
    assert pdf.ok and pdf.body().startswith(b"%PDF")
