"""The shell's shared pieces: partial rendering, client addresses, the admin site's audit."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from opora.core import audit
from opora.core.models import AuditEntry
from opora.core.net import client_ip
from opora.institutions.models import Institution


def test_pages_that_answer_with_fragments_vary_on_the_htmx_headers(login, admin_user):
    response = login(admin_user).get(reverse("institutions:list"))
    vary = response["Vary"]
    assert "HX-Request" in vary and "HX-Target" in vary


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no proxy: the header is the client's own invention
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the proxy appended the real address
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "", "10.0.0.9"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_deleting_selected_rows_in_the_admin_site_is_audited(login, admin_user, make_institution):
    doomed = [make_institution(), make_institution()]
    response = login(admin_user).post(
        "/admin/institutions/institution/",
        {"action": "delete_selected", "_selected_action": [i.pk for i in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Institution.objects.filter(pk__in=[i.pk for i in doomed]).exists()
    assert AuditEntry.objects.filter(action="core.admin.deleted").count() == 2


def test_stored_codes_are_rendered_in_the_readers_language(admin_user, make_user):
    worker = make_user("social_worker")
    entry = AuditEntry.objects.get(action="core.user.created", object_id=str(worker.pk))
    assert entry.data["role"] == "social_worker"
    with translation.override("en"):
        assert "Social worker" in audit.sentence(entry)
    with translation.override("ru"):
        assert "Социальный работник" in audit.sentence(entry)
    assert entry.actor_name == ""  # "System" is written in the reader's language, not stored
    with translation.override("en"):
        assert audit.sentence(entry).startswith("System")


def test_the_admin_site_keeps_the_rule_that_staff_belong_to_an_institution(
    login, admin_user, worker_a
):
    from opora.core.models import User

    response = login(admin_user).post(
        f"/admin/core/user/{worker_a.pk}/change/",
        {
            "username": worker_a.username,
            "role": "social_worker",
            "institutions": [],
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "institutions" in response.context["adminform"].form.errors
    assert User.objects.get(pk=worker_a.pk).institutions.count() == 1


def test_changes_show_choice_labels_and_system_entries_name_the_system(login, admin_user, worker_a):
    from opora.core import services

    services.user_update(actor=admin_user, user=worker_a, role="institution_manager")
    client = login(admin_user)
    client.post("/language/", {"language": "en"})
    history = client.get(reverse("core:user", args=[worker_a.pk]) + "?tab=history")
    assert "<del>Social worker</del> → <ins>Institution manager</ins>" in history.content.decode()
    log = client.get(reverse("core:audit"), {"action": "core.user.created"})
    assert "<td>System</td>" in log.content.decode()


def test_a_password_set_in_the_admin_site_is_audited(login, admin_user, worker_a):
    response = login(admin_user).post(
        f"/admin/core/user/{worker_a.pk}/password/",
        {
            "password1": "another-long-password-9",
            "password2": "another-long-password-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="core.user.password_set", object_id=str(worker_a.pk), actor=admin_user
    ).exists()


def test_pages_for_signed_in_people_are_never_cached(login, worker_a, client):
    anonymous = client.get(reverse("core:accessibility"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    signed_in = login(worker_a).get(reverse("core:dashboard"))
    assert "no-store" in signed_in["Cache-Control"]


def test_the_demo_is_refused_in_production_from_the_page_and_the_command(
    login, admin_user, settings
):
    import os
    import subprocess
    import sys

    from opora.core.models import Job

    settings.PRODUCTION = True
    response = login(admin_user).post(reverse("demo:load"))
    assert response.status_code == 302
    assert not Job.objects.exists()
    env = {**os.environ, "OPORA_ENVIRONMENT": "production"}
    result = subprocess.run(
        [sys.executable, "-m", "opora.cli", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "never loaded into a production database" in result.stderr


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("institutions:staff", "institutions:staff"),
        ("institutions:list", "institutions:list"),
        ("registry:expiring", "registry:expiring"),
        ("registry:people", "registry:people"),
    ],
)
def test_one_navigation_item_is_current_the_longest_match(login, admin_user, url_name, current):
    page = login(admin_user).get(reverse(url_name)).content.decode()
    marked = re.findall(r'<a href="([^"]+)" aria-current="page">', page)
    assert marked == [reverse(current)]
