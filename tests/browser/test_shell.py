import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from opora.casework.models import CaseStatus
from opora.cooperation import services as cooperation_services
from opora.cooperation.models import EventKind
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility_audit import WCAG_AA
from tests.casework import conftest as casework_fixtures
from tests.conftest import PASSWORD
from tests.cooperation import conftest as cooperation_fixtures

# The objects of the tabbed pages come from the casework and cooperation fixtures, built through
# the services; pytest finds a fixture by its name in the module.
barthel = casework_fixtures.barthel
case_at = casework_fixtures.case_at
casework_reference = casework_fixtures.casework_reference
district = casework_fixtures.district
grounds = casework_fixtures.grounds
home_service = casework_fixtures.home_service
make_home_service = casework_fixtures.make_home_service
make_person = casework_fixtures.make_person
person_a = casework_fixtures.person_a
provide = casework_fixtures.provide
provider_a = casework_fixtures.provider_a
today = casework_fixtures.today
make_partner = cooperation_fixtures.make_partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def computed(page, selector, prop):
    return page.eval_on_selector(
        selector, "(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop
    )


def test_sign_in_switch_language_and_the_version_for_the_visually_impaired(page, make_user):
    worker = make_user(Role.SOCIAL_WORKER, first_name="Анна", last_name="Смирнова")
    sign_in(page, worker.username, PASSWORD)

    # Russian by default, even though the browser asks for English.
    assert page.get_attribute("html", "lang") == "ru"
    assert page.locator("[data-widget=institutions]").is_visible()

    page.click("form.lang-switch button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text().startswith("Good to see you, Анна")
    assert page.locator(".sidebar").get_by_text("Dashboard").is_visible()

    normal_background = computed(page, "body", "background-color")
    normal_size = float(computed(page, "html", "font-size").removesuffix("px"))

    page.click("[data-testid=a11y-enable]")
    page.wait_for_selector("[data-testid=a11y-panel]")
    assert computed(page, "body", "background-color") == "rgb(255, 255, 255)"
    assert computed(page, "body", "background-color") != normal_background

    page.click("[data-testid=a11y-scheme-white-black]")
    page.wait_for_selector("html[data-a11y-scheme=white-black]")
    assert computed(page, "body", "background-color") == "rgb(0, 0, 0)"
    assert computed(page, "body", "color") == "rgb(255, 255, 255)"
    # Tables and form fields follow the scheme too.
    assert computed(page, "#global-search", "background-color") == "rgb(0, 0, 0)"

    page.click("[data-testid=a11y-size-3]")
    page.wait_for_selector("html[data-a11y-size='3']")
    assert float(computed(page, "html", "font-size").removesuffix("px")) > normal_size * 1.5

    page.click("[data-testid=a11y-spacing-3]")
    page.wait_for_selector("html[data-a11y-spacing='3']")
    assert computed(page, "body", "letter-spacing") not in ("normal", "0px")

    page.click("[data-testid=a11y-font-serif]")
    page.wait_for_selector("html[data-a11y-font=serif]")
    assert "serif" in computed(page, "body", "font-family").lower()
    assert "sans" not in computed(page, "body", "font-family").split(",")[0].lower()

    # The account remembers it: a new browser context signs in to the same look.
    page.click("[data-testid=a11y-reset]")
    page.wait_for_selector("html[data-a11y-scheme=black-white][data-a11y-size='2']")
    assert computed(page, "body", "background-color") == "rgb(255, 255, 255)"


def test_the_account_settings_follow_the_person_to_another_browser(browser, live_server, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    first = browser.new_context()
    page = first.new_page()
    page.base_url = live_server.url
    sign_in(page, worker.username, PASSWORD)
    page.click("[data-testid=a11y-enable]")
    page.click("[data-testid=a11y-scheme-blue]")
    page.wait_for_selector("html[data-a11y-scheme=blue]")
    first.close()

    second = browser.new_context()
    page = second.new_page()
    page.base_url = live_server.url
    sign_in(page, worker.username, PASSWORD)
    assert page.get_attribute("html", "data-a11y-scheme") == "blue"
    assert computed(page, "body", "background-color") == "rgb(157, 209, 255)"
    second.close()


def test_an_htmx_table_sorts_and_filters_without_a_full_reload(page, make_user, make_institution):
    institutions = [make_institution(name=f"Центр {letter}") for letter in "ВБА"]
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(page, admin.username, PASSWORD)
    page.goto(page.base_url + "/institutions/")
    page.evaluate("window.fullReloadMarker = true")
    names = page.locator("#results tbody tr td:first-child a")
    assert names.all_inner_texts()[:3] == ["Центр А", "Центр Б", "Центр В"]

    page.click("#results thead th >> nth=0 >> a")
    page.wait_for_selector("#results th[aria-sort=descending]")
    assert names.all_inner_texts()[0] == "Центр В"

    page.fill("#id_q", "Центр Б")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert names.all_inner_texts() == ["Центр Б"]
    assert page.evaluate("window.fullReloadMarker") is True  # the page was not reloaded
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["Центр Б"]  # pushed into the history, so Back and links work
    assert len(institutions) == 3


# --- Tabs, a phone, wide tables, a form's errors ----------------------------------------------
SERIOUS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def selected_tab(page) -> str:
    return page.get_attribute("[role=tablist] [role=tab][aria-selected=true]", "id")


@pytest.fixture
def tabbed_pages(case_at, person_a, institution_a, make_partner):
    case = case_at(CaseStatus.PROGRAMME_DRAFTED)
    partner = make_partner()
    event = cooperation_services.event_create(
        actor=SYSTEM, kind=EventKind.MEETING, title="Телемост", starts_on=dt.date(2021, 9, 20)
    )
    return {
        "case": reverse("casework:case", args=[case.pk]),
        "person": reverse("registry:person", args=[person_a.pk]),
        "partner": reverse("cooperation:partner", args=[partner.pk]),
        "event": reverse("cooperation:event", args=[event.pk]),
        "institution": reverse("institutions:detail", args=[institution_a.pk]),
    }


def test_the_chosen_tab_moves_with_a_click_on_every_tabbed_page(
    browser, live_server, make_user, tabbed_pages
):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(page, admin.username, PASSWORD)
    for name, path in tabbed_pages.items():
        page.goto(page.base_url + path)
        tabs = page.locator("[role=tablist] [role=tab]")
        first, last = tabs.first.get_attribute("id"), tabs.last.get_attribute("id")
        assert selected_tab(page) == first, name
        page.evaluate("window.sameDocument = true")
        tabs.last.click()
        expect(page.locator("#tab-body")).to_have_attribute("aria-labelledby", last)
        expect(tabs.last).to_have_attribute("aria-selected", "true")
        assert tabs.first.get_attribute("aria-selected") == "false", name
        assert tabs.last.get_attribute("aria-controls") == "tab-body"
        assert page.evaluate("window.sameDocument") is True, name  # swapped, not reloaded
        assert f"tab={last.removeprefix('tab-')}" in page.url, name
        assert serious_violations(page) == [], name
        # The arrows move along the bar; Enter opens the tab they reach.
        tabs.last.focus()
        page.keyboard.press("Home")
        assert page.evaluate("document.activeElement.id") == first, name
        page.keyboard.press("Enter")
        expect(page.locator("#tab-body")).to_have_attribute("aria-labelledby", first)
        expect(tabs.first).to_have_attribute("aria-selected", "true")
        # Back returns to the tab chosen before; a reload keeps the one in the address.
        page.go_back()
        expect(page.locator("[role=tab][aria-selected=true]")).to_have_attribute("id", last)
        page.reload()
        assert selected_tab(page) == last, name
    context.close()


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COOPERATION_OFFICER, Role.ADMINISTRATOR])
def test_on_a_phone_the_menu_folds_and_no_page_of_the_menu_scrolls_sideways(
    browser, live_server, make_user, institution_a, tabbed_pages, role
):
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    user = make_user(role, institutions=[institution_a])
    sign_in(page, user.username, PASSWORD)

    # The heading comes before the menu's links: they wait behind one button.
    menu = page.locator("details[data-nav-menu]")
    assert menu.get_attribute("open") is None
    assert not page.locator(".sidebar nav a").first.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    button = menu.locator("summary")
    assert button.bounding_box()["height"] >= 44
    button.click()
    links = page.locator(".sidebar nav a")
    expect(links.first).to_be_visible()
    assert all(box["height"] >= 44 for box in (a.bounding_box() for a in links.all()))
    paths = [a.get_attribute("href") for a in links.all()]
    assert len(paths) >= 3

    def overflowing(paths) -> dict[str, int]:
        visited = {}
        for path in paths:
            response = page.goto(page.base_url + path)
            if response.status == 200:  # not an object page the role may not open
                visited[path] = horizontal_overflow(page)
        assert len(visited) >= 3
        return {path: px for path, px in visited.items() if px > 0}

    assert overflowing(paths + list(tabbed_pages.values())) == {}
    # The largest text of the version for the visually impaired fits as well.
    page.click("[data-testid=a11y-enable]")
    page.click("[data-testid=a11y-size-3]")
    page.wait_for_selector("html[data-a11y-size='3']")
    assert overflowing(paths[:3] + list(tabbed_pages.values())) == {}
    context.close()


def test_a_programmes_table_shows_every_column_at_1366_and_in_large_text(
    browser, live_server, make_user, case_at
):
    case = case_at(CaseStatus.PROGRAMME_DRAFTED)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.base_url = live_server.url
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(page, admin.username, PASSWORD)
    url = page.base_url + reverse("casework:case", args=[case.pk]) + "?tab=programme"

    def every_column_reachable(label):
        page.goto(url)
        frame = page.locator("#tab-body .table-wrap").first
        headers = frame.locator("thead th")
        assert headers.count() >= 6, label
        assert horizontal_overflow(page) <= 0, label
        frame_box = frame.bounding_box()
        for index in range(headers.count()):
            header = headers.nth(index)
            header.scroll_into_view_if_needed()
            box = header.bounding_box()
            # Inside the frame and on the screen, once the frame is scrolled to it.
            assert box["x"] >= frame_box["x"] - 1, (label, index)
            assert box["x"] + min(box["width"], 40) <= frame_box["x"] + frame_box["width"] + 1
            assert box["x"] + min(box["width"], 40) <= 1366, (label, index)
        wide = frame.evaluate("f => f.scrollWidth > f.clientWidth")
        if wide:  # a frame that hides columns says so, and takes the keyboard
            assert frame.evaluate("f => f.tabIndex") == 0, label
            expect(page.locator("#tab-body .table-hint").first).to_be_visible()
        return wide

    every_column_reachable("normal")
    page.click("[data-testid=a11y-enable]")
    page.click("[data-testid=a11y-size-3]")
    page.wait_for_selector("html[data-a11y-size='3']")
    assert every_column_reachable("large text")  # at 162.5 % the table must scroll
    context.close()


def test_a_refused_form_puts_its_errors_first_and_each_leads_to_its_field(page, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(page, admin.username, PASSWORD)
    page.goto(page.base_url + reverse("core:user_create"))
    page.click("main form button[type=submit]")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    link = summary.locator("a[href='#id_last_name']")
    link.click()
    expect(page.locator("#id_last_name")).to_be_focused()
    assert page.get_attribute("#id_last_name", "aria-invalid") == "true"
