from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from opora.core.roles import Role
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

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
