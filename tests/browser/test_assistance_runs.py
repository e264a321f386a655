"""An analyst's what-if in the browser: from the measure's page, whose runs section is loaded
into it, she simulates the draft against the version in force; the simulation's page follows
its progress and, once the work is done, shows how many gain and lose and the people who
change, each with the condition that changed their outcome — by registry number, not name."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from opora.assistance import services as assistance_services
from opora.assistance.models import EligibilityRun
from opora.assistance.tasks import evaluate_registry
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.demo.steps.rules import load_rules
from opora.registry import services as registry_services
from opora.registry.reference import ensure_reference_data
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def measure_with_draft(db):
    """Women of 60 or more in force since last year (1000 roubles); the draft: anyone of 65 or
    more (1200 roubles)."""
    ensure_reference_data()
    load_rules()
    year = dt.date.today().year
    measure = assistance_services.measure_create(
        actor=SYSTEM,
        code="elderly-payment",
        name="Ежемесячная выплата пожилым",
        name_en="Monthly payment to the elderly",
        kind="monthly_payment",
        beneficiary="person",
    )
    common = {
        "legal_basis": "Постановление № 1-ПП",
        "periodicity": "monthly",
        "decision_working_days": 10,
        "term_months": 12,
    }
    version = assistance_services.version_draft(
        actor=SYSTEM,
        measure=measure,
        valid_from=dt.date(year - 1, 1, 1),
        eligibility={
            "all": [
                {"id": "age60", "clause": "age", "at_least": 60},
                {"id": "woman", "clause": "sex", "is": "F"},
            ]
        },
        amount={"fixed": "1000.00"},
        **common,
    )
    assistance_services.version_publish(actor=SYSTEM, version=version)
    assistance_services.version_draft(
        actor=SYSTEM,
        measure=measure,
        valid_from=dt.date(year + 1, 1, 1),
        eligibility={"all": [{"id": "age65", "clause": "age", "at_least": 65}]},
        amount={"fixed": "1200.00"},
        **common,
    )
    return measure


def test_an_analyst_simulates_the_draft_and_reads_who_changes(
    page, make_user, institution_a, measure_with_draft
):
    analyst = make_user(Role.ANALYST)
    year = dt.date.today().year
    gains = registry_services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Орлов",
        first_name="Пётр",
        sex="M",
        birth_date=dt.date(year - 75, 3, 1),
    )
    loses = registry_services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Лебедева",
        first_name="Нина",
        sex="F",
        birth_date=dt.date(year - 62, 3, 1),
    )
    sign_in(page, analyst.username, PASSWORD)

    page.goto(f"{page.base_url}/assistance/measures/{measure_with_draft.pk}/")
    runs = page.locator("#runs")
    # The section is loaded into the page: the form to simulate the draft is there.
    expect(runs.locator("[data-testid=whatif-form]")).to_be_visible()
    runs.locator("[data-testid=simulate]").click()
    page.wait_for_url("**/assistance/runs/*/")
    expect(page.locator("#run-state progress")).to_be_visible()

    # The worker's part, done here: the job the simulation queued.
    run = EligibilityRun.objects.get()
    evaluate_registry.call(job_id=str(run.job_id))

    # The page polls, sees the work done and shows the whole result.
    expect(page.locator("[data-testid=gained]")).to_have_text("1", timeout=20000)
    expect(page.locator("[data-testid=lost]")).to_have_text("1")
    changed = page.locator("#results tbody tr")
    expect(changed).to_have_count(2)
    gained_row = page.locator(f"tr[data-person='{gains.pk}']")
    expect(gained_row).to_have_attribute("data-change", "gained")
    expect(gained_row.locator("td[data-clause]")).to_have_attribute("data-clause", "woman")
    expect(page.locator(f"tr[data-person='{loses.pk}'] td[data-clause]")).to_contain_text("65")
    # An analyst reads registry numbers, not names.
    expect(page.locator("#results")).not_to_contain_text("Лебедева")
