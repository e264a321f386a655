import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opora.casework import services as casework_services
from opora.casework.models import (
    ApplicationGround,
    AssessmentScale,
    Case,
    CaseStatus,
    Delivery,
    MissedVisit,
)
from opora.casework.reference import ensure_reference
from opora.catalogue import services as catalogue_services
from opora.catalogue.models import ProviderEntry, ServiceKind
from opora.catalogue.reference import ensure_kinds
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.demo.steps.rules import load_rules
from opora.institutions import services as institution_services
from opora.institutions.models import Position
from opora.institutions.reference import ensure_reference_data
from opora.registry import services as registry_services
from opora.rules import selectors as rules
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility_audit import violations
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


# --- A home-care worker's day, on a phone ------------------------------------------------------

PHONE = {"width": 390, "height": 844}
RECIPIENTS = ("Астрова", "Бегониева", "Вересова", "Гвоздикина", "Дубравина", "Ежевикина")


def _weekdays_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _visited_every_working_day(worker, institution, service, provider):
    """Six recipients of ``worker`` whose programmes give ``service`` five times a week."""
    scale = AssessmentScale.objects.get(code="barthel")
    answers = {item.code: min(item.points()) for item in scale.items.all()}
    ground = ApplicationGround.objects.first()
    applied_on = _weekdays_before(timezone.localdate(), 15)
    for last_name in RECIPIENTS:
        person = registry_services.person_register(
            actor=SYSTEM,
            institution=institution,
            last_name=last_name,
            first_name="Анна",
            sex="F",
            birth_date=dt.date(1940, 2, 2),
        )
        case = casework_services.case_register(
            actor=SYSTEM,
            person=person,
            institution=institution,
            channel="in_person",
            applied_on=applied_on,
            grounds=[ground],
            requested_form="home",
        )
        casework_services.assessment_record(
            actor=SYSTEM, case=case, scale=scale, answers=answers, assessed_on=applied_on
        )
        casework_services.need_decide(
            actor=SYSTEM, case=case, outcome="recognised", decided_on=applied_on
        )
        programme = casework_services.programme_draft(
            actor=SYSTEM, case=case, form="home", drawn_up_on=applied_on, income=Decimal("30000")
        )
        casework_services.programme_item_add(
            actor=SYSTEM,
            programme=programme,
            service=service,
            provider=provider,
            volume=100,
            times=5,
            per="week",
        )
        casework_services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=applied_on)
        casework_services.case_assign_worker(actor=SYSTEM, case=case, employee=worker)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_day_of_six_visits_is_recorded_on_a_phone_in_four_taps(
    browser, live_server, make_user, institution_a, home_care_at_a
):
    user = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    worker = institution_services.employee_hire(
        actor=SYSTEM,
        institution=institution_a,
        position=Position.objects.get(code="social-worker"),
        hired_on=dt.date(2020, 1, 1),
        caseload_limit=8,
        last_name="Соколова",
        first_name="Мария",
        user=user,
    )
    provider = ProviderEntry.objects.get(service=home_care_at_a)
    _visited_every_working_day(worker, institution_a, home_care_at_a, provider)
    today = timezone.localdate()
    if not rules.work_calendar().is_working_day(today):
        pytest.skip("today is a day off: no visits are planned")

    # axe is injected into the page to check the sheet; the test context lets it past the
    # script policy (the flow itself runs no script of its own).
    context = browser.new_context(viewport=PHONE, locale="ru-RU", bypass_csp=True)
    page = context.new_page()
    # The server's first answer loads every app's pages and API on a shared machine.
    page.set_default_timeout(60000)
    page.base_url = live_server.url
    taps = 0

    def tap(selector: str) -> None:
        nonlocal taps
        taps += 1
        page.click(selector)

    try:
        sign_in(page, user.username, PASSWORD)
        card = page.locator("[data-widget=casework-today]")
        expect(card).to_contain_text("6")
        assert _fits_the_screen(page)

        # The dashboard's card opens today's sheet.
        tap("[data-widget=casework-today] a.button")
        page.wait_for_url(f"**/day/{today.isoformat()}/")
        expect(page.locator("[data-testid=day-counts]")).to_contain_text("6")
        expect(page.locator("main")).to_contain_text("Покупка и доставка продуктов питания")
        assert _fits_the_screen(page)

        # One visit did not happen: its exception, then one confirmation for the day.
        missed = Case.objects.get(person__last_name="Вересова")
        tap(f"[data-testid=visit-{missed.pk}] summary")
        page.select_option(f"#id_missed-{missed.pk}", "not_at_home")
        taps += 1
        assert _fits_the_screen(page)
        assert violations(page) == []
        tap(".confirm-bar button[type=submit]")
        page.wait_for_url(f"**/day/{today.isoformat()}/")

        expect(page.locator("[data-testid=day-done]")).to_be_visible()
        expect(page.locator(f"[data-testid=visit-{missed.pk}] .badge.warning")).to_be_visible()
        assert _fits_the_screen(page)
        assert taps == 4
        assert Delivery.objects.filter(delivered_on=today).count() == 5
        assert MissedVisit.objects.get(planned_on=today).case == missed
    finally:
        context.close()
