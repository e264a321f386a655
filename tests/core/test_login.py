from django.urls import reverse

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from tests.conftest import PASSWORD


def attempt(client, username, password):
    return client.post(
        reverse("core:login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3"
    )


def test_signing_in_is_audited(client, worker_a):
    response = attempt(client, worker_a.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="core.user.logged_in", actor=worker_a).count() == 1


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(client, worker_a):
    response = attempt(client, worker_a.username, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_for_that_address(client, worker_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, worker_a.username, "wrong-password")
    locked = attempt(client, worker_a.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not punished for it.
    assert attempt(client, "someone-else", "x").status_code == 200


def test_login_requires_the_csrf_token(worker_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("core:login"), {"username": worker_a.username, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_passwords_are_validated(db, institution_a):
    import pytest

    from opora.core import services
    from opora.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.user_create(
            actor=SYSTEM,
            username="weak",
            role="social_worker",
            password="12345678",
            institutions=[institution_a],
        )
    assert error.value.code == "weak_password"
    assert error.value.details["password"]


def test_the_admin_site_is_for_administrators_only(login, worker_a, admin_user):
    response = login(worker_a).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert login(admin_user).get("/admin/").status_code == 200
