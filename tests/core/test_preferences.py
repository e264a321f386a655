from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from opora.core.accessibility import CHOICES, COOKIE_NAME, AccessibilityPrefs
from opora.core.models import AuditEntry, User


def html_tag(response) -> str:
    body = response.content.decode()
    return body[body.index("<html") : body.index(">", body.index("<html"))]


def test_russian_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get(reverse("core:login"), headers={"Accept-Language": "en-GB,en"})
    assert 'lang="ru"' in html_tag(response)
    assert response["Content-Language"] == "ru"


def test_the_switch_changes_the_language_for_a_visitor(client, db):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert 'lang="en"' in html_tag(client.get("/login/"))


def test_the_switch_refuses_an_unknown_language_and_an_outside_redirect(client, db):
    response = client.post(
        reverse("core:set_language"), {"language": "xx", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("core:dashboard")
    assert "django_language" not in response.cookies


def test_a_signed_in_person_keeps_her_language_in_the_account(login, worker_a, client):
    login(worker_a).post(reverse("core:set_language"), {"language": "en"})
    assert User.objects.get(pk=worker_a.pk).preferred_language == "en"
    client.cookies.clear()
    client.force_login(User.objects.get(pk=worker_a.pk))
    assert 'lang="en"' in html_tag(client.get(reverse("core:dashboard")))


def test_dates_follow_the_language(login, worker_a):
    client = login(worker_a)
    russian = client.get(reverse("core:dashboard")).content.decode()
    client.post(reverse("core:set_language"), {"language": "en"})
    english = client.get(reverse("core:dashboard")).content.decode()
    import re

    assert re.search(r"\d{2}\.\d{2}\.\d{4}", russian)
    assert re.search(r"\d{1,2} \w{3} \d{4}", english)


def test_turning_on_the_version_for_the_visually_impaired(client, db):
    response = client.post(reverse("core:accessibility"), {"command": "enable", "next": "/login/"})
    assert response.status_code == 302
    page = client.get("/login/")
    tag = html_tag(page)
    assert 'data-a11y="on"' in tag and 'data-a11y-scheme="black-white"' in tag
    assert 'data-testid="a11y-panel"' in page.content.decode()


def test_each_choice_is_applied_and_remembered_by_the_browser(client, db):
    client.post(reverse("core:accessibility"), {"command": "enable"})
    client.post(
        reverse("core:accessibility"),
        {"scheme": "green", "font": "serif", "spacing": "3", "size": "3", "images": "hide"},
    )
    tag = html_tag(client.get("/login/"))
    for attribute in (
        'data-a11y-scheme="green"',
        'data-a11y-font="serif"',
        'data-a11y-spacing="3"',
        'data-a11y-size="3"',
        'data-a11y-images="hide"',
    ):
        assert attribute in tag
    client.post(reverse("core:accessibility"), {"command": "reset"})
    assert 'data-a11y-scheme="black-white"' in html_tag(client.get("/login/"))
    client.post(reverse("core:accessibility"), {"command": "disable"})
    assert "data-a11y" not in html_tag(client.get("/login/"))


def test_an_account_carries_the_settings_to_another_browser(login, worker_a, client):
    login(worker_a).post(reverse("core:accessibility"), {"scheme": "blue"})
    stored = User.objects.get(pk=worker_a.pk).accessibility
    assert stored["enabled"] is True and stored["scheme"] == "blue"
    assert AuditEntry.objects.filter(
        action="core.user.preferences_changed", object_id=str(worker_a.pk)
    ).exists()
    client.cookies.clear()
    client.force_login(User.objects.get(pk=worker_a.pk))
    response = client.get(reverse("core:dashboard"))
    assert 'data-a11y-scheme="blue"' in html_tag(response)
    assert "scheme=blue" in response.cookies[COOKIE_NAME].value  # synced to the new browser


@given(st.dictionaries(st.sampled_from([*CHOICES, "enabled", "evil"]), st.text(max_size=12)))
def test_untrusted_input_never_yields_an_unknown_value(data):
    prefs = AccessibilityPrefs.from_mapping(data)
    for key, allowed in CHOICES.items():
        assert getattr(prefs, key) in allowed
    assert AccessibilityPrefs.from_cookie(prefs.to_cookie()) == prefs


def test_a_tampered_cookie_falls_back_to_safe_values(client, db):
    client.cookies[COOKIE_NAME] = 'enabled=1&scheme="><script>&size=99'
    tag = html_tag(client.get("/login/"))
    assert "<script" not in tag
    assert 'data-a11y-scheme="black-white"' in tag and 'data-a11y-size="2"' in tag
