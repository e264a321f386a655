from django.test import Client
from django.urls import reverse

from opora.core.models import ApiToken, AuditEntry, User
from opora.core.roles import Role


def test_an_administrator_creates_an_account_through_the_form(login, admin_user, institution_a):
    client = login(admin_user)
    response = client.post(
        reverse("core:user_create"),
        {
            "username": "new-worker",
            "last_name": "Петрова",
            "first_name": "Ольга",
            "role": Role.SOCIAL_WORKER,
            "institutions": [institution_a.pk],
            "password": "a-good-long-password-7",
        },
    )
    created = User.objects.get(username="new-worker")
    assert response.status_code == 302 and response["Location"].endswith(f"/users/{created.pk}/")
    assert list(created.institutions.all()) == [institution_a]
    assert created.check_password("a-good-long-password-7")
    assert AuditEntry.objects.filter(
        action="core.user.created", object_id=str(created.pk), actor=admin_user
    ).exists()


def test_a_refused_account_shows_the_error_next_to_the_field(login, admin_user):
    response = login(admin_user).post(
        reverse("core:user_create"),
        {
            "username": "no-institution",
            "last_name": "Иванов",
            "first_name": "Иван",
            "role": Role.SOCIAL_WORKER,
            "password": "123",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["institutions"]
    assert not User.objects.filter(username="no-institution").exists()
    assert not AuditEntry.objects.filter(
        action="core.user.created", object_repr__contains="Иванов"
    ).exists()


def test_editing_changes_role_and_institutions_with_history(
    login, admin_user, worker_a, institution_b
):
    client = login(admin_user)
    response = client.post(
        reverse("core:user_edit", args=[worker_a.pk]),
        {
            "username": worker_a.username,
            "last_name": "Смирнова",
            "first_name": "Анна",
            "role": Role.INSTITUTION_MANAGER,
            "institutions": [institution_b.pk],
        },
    )
    assert response.status_code == 302
    worker_a.refresh_from_db()
    assert worker_a.role == Role.INSTITUTION_MANAGER
    assert list(worker_a.institutions.all()) == [institution_b]
    history = client.get(reverse("core:user", args=[worker_a.pk]) + "?tab=history")
    assert "Смирнова" in history.content.decode()


def test_deactivation_and_not_of_oneself(login, admin_user, worker_a):
    client = login(admin_user)
    client.post(reverse("core:user_set_active", args=[worker_a.pk]), {"active": "0"})
    assert User.objects.get(pk=worker_a.pk).is_active is False
    client.post(reverse("core:user_set_active", args=[admin_user.pk]), {"active": "0"})
    assert User.objects.get(pk=admin_user.pk).is_active is True


def test_a_token_key_is_shown_once_and_revoked_tokens_stop_working(login, admin_user, worker_a):
    client = login(admin_user)
    page = client.post(reverse("core:token_issue", args=[worker_a.pk]), {"name": "export"})
    key = page.context["new_key"]
    assert key and key in page.content.decode()
    again = client.get(reverse("core:user", args=[worker_a.pk]))
    assert key not in again.content.decode()

    api = Client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    token = ApiToken.objects.get(user=worker_a)
    client.post(reverse("core:token_revoke", args=[worker_a.pk, token.pk]))
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_account_pages_are_for_administrators_only(login, worker_a, analyst):
    for user in (worker_a, analyst):
        client = login(user)
        assert client.get(reverse("core:users")).status_code == 403
        assert client.get(reverse("core:user", args=[worker_a.pk])).status_code == 403
        assert (
            client.post(
                reverse("core:user_set_active", args=[worker_a.pk]), {"active": "0"}
            ).status_code
            == 403
        )
    assert User.objects.get(pk=worker_a.pk).is_active


def test_the_list_filters_by_role_and_sorts(login, admin_user, worker_a, analyst):
    client = login(admin_user)
    response = client.get(reverse("core:users"), {"role": Role.ANALYST})
    assert [u.pk for u in response.context["table"].rows] == [analyst.pk]
    fragment = client.get(
        reverse("core:users"),
        {"sort": "-username"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert "<html" not in fragment.content.decode()
    names = [u.username for u in fragment.context["table"].rows]
    assert names == sorted(names, reverse=True)
