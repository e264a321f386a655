"""WCAG 2.1 AA, checked by axe-core (shipped inside axe-playwright-python) on the main pages,
in the normal version and in every colour scheme of the version for the visually impaired."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from opora.core.accessibility import SCHEMES
from opora.core.roles import Role
from opora.institutions import services as institution_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


@pytest.fixture
def audited_page(browser, live_server, make_user, institution_a):
    # axe is injected into the page; the test context lets it past our script policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    admin = make_user(Role.ADMINISTRATOR, first_name="Ольга", last_name="Орлова")
    institution_services.institution_update(
        actor=admin, institution=institution_a, address="ул. Новый Арбат, 36"
    )
    yield page, admin, institution_a
    context.close()


PAGES = [
    "/",
    "/institutions/",
    "/institutions/{pk}/",
    "/institutions/{pk}/?tab=history",
    "/users/",
    "/users/new/",
    "/audit/",
    "/jobs/",
    "/search/?q=Центр",
    "/accessibility/",
]


def test_the_main_pages_meet_wcag_aa(audited_page):
    page, admin, institution = audited_page
    page.goto(page.base_url + "/login/")
    assert violations(page) == [], "/login/"
    sign_in(page, admin.username, PASSWORD)
    for path in PAGES:
        page.goto(page.base_url + path.format(pk=institution.pk))
        assert violations(page) == [], path


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_every_scheme_of_the_version_for_the_visually_impaired_meets_wcag_aa(audited_page, scheme):
    page, admin, _institution = audited_page
    sign_in(page, admin.username, PASSWORD)
    page.click("[data-testid=a11y-enable]")
    page.click(f"[data-testid=a11y-scheme-{scheme}]")
    page.wait_for_selector(f"html[data-a11y-scheme={scheme}]")
    for path in ("/", "/institutions/", "/users/new/"):
        page.goto(page.base_url + path)
        assert violations(page) == [], (scheme, path)


def test_the_audit_catches_a_contrast_failure(audited_page):
    """A control: the same check does report a faint text, so a clean result means something."""
    page = audited_page[0]
    page.goto(page.base_url + "/login/")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'faint';"
        " p.style.color = '#c8c8c8'; p.style.background = '#ffffff';"
        " document.querySelector('main').appendChild(p); }"
    )
    assert any(v.startswith("color-contrast") for v in violations(page))
