"""A specialist's path through targeted assistance in the browser: from the person's page she
registers an application for a measure with the documents received, checks the eligibility
(the explanation is swapped into the page), reads why the person is eligible and what the
amount is made of, decides, and finds the assignment."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from opora.assistance import services as assistance_services
from opora.assistance.models import Application, ApplicationStatus
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.demo.steps.rules import load_rules
from opora.registry import services as registry_services
from opora.registry.reference import ensure_reference_data
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENTS = ["Паспорт", "Справка о доходах"]


@pytest.fixture
def measure_in_force(db):
    """What a transactional test starts without: the reference data and rules, and a monthly
    payment from the age of 60 with a fixed sum, in force since the start of last year."""
    ensure_reference_data()
    load_rules()
    measure = assistance_services.measure_create(
        actor=SYSTEM,
        code="elderly-payment",
        name="Ежемесячная выплата пожилым",
        name_en="Monthly payment to the elderly",
        kind="monthly_payment",
        beneficiary="person",
    )
    version = assistance_services.version_draft(
        actor=SYSTEM,
        measure=measure,
        valid_from=dt.date(dt.date.today().year - 1, 1, 1),
        legal_basis="Постановление № 1-ПП",
        eligibility={"all": [{"id": "age60", "clause": "age", "at_least": 60}]},
        amount={"fixed": "1500.00"},
        periodicity="monthly",
        decision_working_days=10,
        term_months=12,
        documents=DOCUMENTS,
    )
    assistance_services.version_publish(actor=SYSTEM, version=version)
    return measure


def test_register_check_decide_and_see_the_assignment(
    page, make_user, institution_a, measure_in_force
):
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    person = registry_services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Лебедева",
        first_name="Нина",
        patronymic="Ивановна",
        sex="F",
        birth_date=dt.date(1944, 6, 1),
    )
    sign_in(page, worker.username, PASSWORD)

    # From the person's page: the measures panel offers to apply.
    page.goto(f"{page.base_url}/registry/people/{person.pk}/")
    panel = page.locator("[data-testid=panel-assistance-person]")
    panel.locator(f"a[href$='/assistance/applications/new/?person={person.pk}']").click()
    # Choosing the measure lists the documents its version in force needs.
    page.select_option("#id_measure", str(measure_in_force.pk))
    expect(page.locator("#documents")).to_contain_text(DOCUMENTS[1])
    page.select_option("#id_channel", "in_person")
    page.locator("#documents input[type=checkbox]").nth(0).check()
    page.locator("#documents input[type=checkbox]").nth(1).check()
    page.click("main form[data-testid=application-register] button[type=submit]")
    application = Application.objects.get(person=person)
    page.wait_for_url(f"**/assistance/applications/{application.pk}/")
    assert application.documents_received == DOCUMENTS

    # Checking the eligibility swaps the explanation into the page.
    page.click("[data-testid=evaluate]")
    explanation = page.locator("#explanation")
    expect(explanation.locator("[data-eligible=true]")).to_be_visible()
    expect(explanation.locator("tr[data-clause=age60][data-held=true]")).to_be_visible()
    expect(explanation.locator("tr[data-clause=age60]")).to_contain_text("60")
    expect(explanation.locator("[data-testid=amount]")).to_contain_text("500")

    # The decision: assign.
    page.click(f"a[href$='/assistance/applications/{application.pk}/decide/']")
    page.check("input[name=outcome][value=assign]")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/assistance/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ASSIGNED
    expect(page.locator("[data-outcome=assign]")).to_be_visible()

    # And the assignment, with its amount and history.
    assignment = application.assignment
    page.click(f"a[href$='/assistance/assignments/{assignment.pk}/']")
    page.wait_for_url(f"**/assistance/assignments/{assignment.pk}/")
    expect(page.locator("[data-testid=assignment-amount]")).to_contain_text("500")
    expect(page.locator("li[data-kind=assigned]")).to_be_visible()
