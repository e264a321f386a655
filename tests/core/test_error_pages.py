"""Opora's own error pages, as production (and the demo, with DEBUG off) shows them."""

import pytest
from django.test import Client

from opora.cli import demo_server_env
from opora.core import error_pages


@pytest.fixture
def failing_site(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_server_error_page_is_in_the_layout_without_technical_details(
    db, failing_site, language
):
    failing_site.cookies["django_language"] = language
    response = failing_site.get("/fails/")
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}"' in body and 'class="topbar"' in body
    assert 'data-testid="error-way-back"' in body
    assert "secret detail" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_the_server_error_page_falls_back_to_a_plain_page_when_the_layout_fails(
    db, failing_site, monkeypatch
):
    def broken_render(*args, **kwargs):
        raise RuntimeError("the layout cannot be drawn either")

    monkeypatch.setattr(error_pages, "render", broken_render)
    response = failing_site.get("/fails/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Произошла ошибка" in body and "Something went wrong" in body
    assert "secret detail" not in body and "cannot be drawn" not in body


def test_a_mistyped_address_shows_the_404_page_without_the_url_patterns(db, client, settings):
    settings.DEBUG = False
    response = client.get("/registry/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="topbar"' in body and 'data-testid="error-way-back"' in body
    # Django's technical page lists the URLconf; none of the project's patterns show here.
    assert "URLconf" not in body and "api/v1/" not in body and "cooperation/" not in body


def test_a_bad_host_gets_the_plain_400_page(db, client, settings):
    settings.DEBUG = False
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_the_demo_serves_with_debug_off_on_its_own_address(monkeypatch):
    monkeypatch.delenv("OPORA_ALLOWED_HOSTS", raising=False)
    monkeypatch.setenv("OPORA_DEBUG", "true")
    env = demo_server_env("192.168.1.20")
    assert env["OPORA_DEBUG"] == "false"
    assert env["OPORA_ALLOWED_HOSTS"].split(",") == [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "192.168.1.20",
    ]
    # What the person running it set is kept.
    monkeypatch.setenv("OPORA_ALLOWED_HOSTS", "opora.example")
    assert demo_server_env("127.0.0.1")["OPORA_ALLOWED_HOSTS"] == "opora.example"
