"""Every view and every API operation declares the permission it needs, and enforces it.

The views are found by walking the project's URL configuration and the API's routers, so a view
added later without ``permissions.require`` (or an endpoint without ``api_require``) fails here.
The Django admin site is not walked: it has its own site-level check, tested at the end.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from opora.api import api
from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.permissions import PUBLIC, registered
from opora.core.roles import ALL_ROLES, Role
from opora.institutions import services as institution_services

SKIPPED_NAMESPACES = {"admin", "api"}  # the admin site and the ninja API, tested on their own
# Views that must be found by the walk, so that skipping never hides the whole project.
KNOWN_VIEWS = {
    "core:dashboard",
    "core:login",
    "core:logout",
    "core:search",
    "core:audit",
    "core:accessibility",
    "core:set_language",
    "core:jobs",
    "core:job",
    "institutions:list",
    "institutions:detail",
    "demo:load",
    "catalogue:list",
    "catalogue:public",
    "rules:list",
    "rules:fees",
    "registry:person_serve",
}
KNOWN_OPERATIONS = {
    ("GET", "/health"),
    ("GET", "/me"),
    ("GET", "/jobs"),
    ("GET", "/jobs/{job_id}"),
    ("GET", "/audit"),
    ("GET", "/institutions/"),
    ("GET", "/institutions/{institution_id}"),
}


@dataclass(frozen=True)
class FoundView:
    name: str  # "namespace:name"
    route: str
    pattern: URLPattern

    @property
    def view(self) -> Any:
        return self.pattern.callback

    def url(self) -> str:
        kwargs = {}
        for key, converter in self.pattern.pattern.converters.items():
            if isinstance(converter, IntConverter):
                kwargs[key] = 2_000_000_000
            elif isinstance(converter, UUIDConverter):
                kwargs[key] = uuid.UUID(int=1)
            else:
                kwargs[key] = "x"
        return reverse(self.name, kwargs=kwargs)


def walk(patterns, namespaces=(), route="") -> list[FoundView]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            found += walk(entry.url_patterns, inner, route + str(entry.pattern))
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            found.append(FoundView(name, route + str(entry.pattern), entry))
    return found


def project_views() -> list[FoundView]:
    return walk(get_resolver().url_patterns)


@dataclass(frozen=True)
class FoundOperation:
    method: str
    path: str  # relative to /api/v1
    operation: Any

    @property
    def view(self) -> Any:
        return self.operation.view_func

    def url(self) -> str:
        def sample(match: re.Match) -> str:
            name = match.group(1)
            for model in self.operation.models:
                field = model.model_fields.get(name)
                if field is None:
                    continue
                if field.annotation is int:
                    return "2000000000"
                if field.annotation is uuid.UUID:
                    return str(uuid.UUID(int=1))
            return "x"

        return "/api/v1" + re.sub(r"\{(\w+)\}", sample, self.path)


def api_operations() -> list[FoundOperation]:
    found = []
    for prefix, router in api._routers:
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append(FoundOperation(method, prefix.rstrip("/") + route, operation))
    return found


# Collected with DEBUG off, as the tests run (pytest-django turns DEBUG off only after collection,
# and the URL configuration is imported once).
with override_settings(DEBUG=False):
    VIEWS = project_views()
    OPERATIONS = api_operations()


def permission_of(view: Any) -> str:
    code = getattr(view, "opora_permission", None)
    assert isinstance(code, str), f"{view!r} declares no permission"
    return code


def roles_without(code: str) -> list[str]:
    if code == PUBLIC:
        return []
    return sorted(ALL_ROLES - registered()[code].roles - {Role.ADMINISTRATOR})


def roles_with(code: str) -> list[str]:
    if code == PUBLIC:
        return sorted(ALL_ROLES)
    return sorted(registered()[code].roles | {Role.ADMINISTRATOR})


# --- The walk itself --------------------------------------------------------------------------


def test_the_walk_finds_every_known_view():
    names = {v.name for v in VIEWS}
    assert names >= KNOWN_VIEWS
    assert not any(v.route.startswith(("admin/", "api/")) for v in VIEWS)


def test_every_view_has_a_url_name():
    assert [v.route for v in VIEWS if not v.name] == []


def test_the_walk_finds_every_known_operation():
    assert {(o.method, o.path) for o in OPERATIONS} >= KNOWN_OPERATIONS


# --- Declarations -----------------------------------------------------------------------------


@pytest.mark.parametrize("found", VIEWS, ids=lambda v: v.name)
def test_every_view_declares_a_registered_permission(found):
    code = permission_of(found.view)
    assert code == PUBLIC or code in registered(), f"{found.name}: undeclared {code!r}"


@pytest.mark.parametrize("found", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
def test_every_api_operation_declares_a_registered_permission(found):
    code = permission_of(found.view)
    assert code == PUBLIC or code in registered(), f"{found.path}: undeclared {code!r}"


def test_registered_permissions_name_known_roles():
    for permission in registered().values():
        assert permission.roles, permission.code
        assert permission.roles <= ALL_ROLES, permission.code
        assert str(permission.label), permission.code


# --- Enforcement: the declaration is not decoration -------------------------------------------


@pytest.fixture(scope="module")
def user_of_role(django_db_setup, django_db_blocker):
    """One account per role for the whole module, made once and undone at its end: the checks
    below read the role alone, and some thousand of them would otherwise each make their own
    accounts and institutions."""
    with django_db_blocker.unblock(), transaction.atomic():
        institution = institution_services.institution_create(
            actor=SYSTEM, code="declared-permissions", name="Учреждение проверки прав"
        )
        users = {
            role: core_services.user_create(
                actor=SYSTEM,
                role=role,
                username=f"declared-{role}",
                password=None,
                institutions=[] if role in (Role.ADMINISTRATOR, Role.ANALYST) else [institution],
            )
            for role in ALL_ROLES
        }
        yield users
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("found", VIEWS, ids=lambda v: v.name)
def test_anonymous_visitors_are_sent_to_login(client, found):
    response = client.get(found.url())
    if permission_of(found.view) == PUBLIC:
        assert not (
            response.status_code == 302
            and response["Location"].startswith(reverse("core:login") + "?")
        ), found.name
        assert response.status_code < 500
    else:
        assert response.status_code == 302, found.name
        assert response["Location"].startswith(reverse("core:login") + "?next="), found.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "found", [v for v in VIEWS if roles_without(permission_of(v.view))], ids=lambda v: v.name
)
def test_roles_without_the_permission_get_403(client, user_of_role, found):
    for role in roles_without(permission_of(found.view)):
        client.force_login(user_of_role[role])
        assert client.get(found.url()).status_code == 403, (found.name, role)
        assert client.post(found.url()).status_code == 403, (found.name, role)


@pytest.mark.django_db
@pytest.mark.parametrize("found", VIEWS, ids=lambda v: v.name)
def test_roles_with_the_permission_get_past_the_check(client, user_of_role, found):
    for role in roles_with(permission_of(found.view)):
        client.force_login(user_of_role[role])
        status = client.get(found.url()).status_code
        # 404: the sample object does not exist; 405: a POST-only view; 302: login redirects on.
        assert status in {200, 302, 404, 405}, (found.name, role, status)


@pytest.mark.django_db
@pytest.mark.parametrize("found", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
def test_anonymous_api_calls_get_401(client, found):
    response = client.generic(found.method, found.url())
    if permission_of(found.view) == PUBLIC:
        assert response.status_code < 400, found.path
    else:
        assert response.status_code == 401, found.path
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "found",
    [o for o in OPERATIONS if roles_without(permission_of(o.view))],
    ids=lambda o: f"{o.method} {o.path}",
)
def test_api_roles_without_the_permission_get_403(client, user_of_role, found):
    for role in roles_without(permission_of(found.view)):
        client.force_login(user_of_role[role])
        response = client.generic(found.method, found.url())
        assert response.status_code == 403, (found.path, role)
        assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize("found", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
def test_api_roles_with_the_permission_get_past_the_check(client, user_of_role, found):
    for role in roles_with(permission_of(found.view)):
        client.force_login(user_of_role[role])
        # Past the check: found, not found, or an empty request refused for its content.
        status = client.generic(found.method, found.url()).status_code
        assert status in {200, 404, 400, 409, 422}, (found.path, role, status)


@pytest.mark.django_db
def test_debug_only_urls_declare_permissions_too(client, settings, tmp_path):
    import importlib

    import opora.urls

    (tmp_path / "passport-scan.txt").write_text("personal data")
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    try:
        importlib.reload(opora.urls)
        clear_url_caches()
        undeclared = [
            v.route for v in walk(opora.urls.urlpatterns) if not hasattr(v.view, "opora_permission")
        ]
        response = client.get(settings.MEDIA_URL + "passport-scan.txt")
        assert response.status_code != 200, "an anonymous visitor downloaded an uploaded file"
        assert undeclared == []
    finally:
        settings.DEBUG = False
        importlib.reload(opora.urls)
        clear_url_caches()


# --- The Django admin site --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL_ROLES - {Role.ADMINISTRATOR}))
@pytest.mark.parametrize("url", ["/admin/", "/admin/core/user/", "/admin/core/auditentry/"])
def test_admin_site_refuses_other_roles(client, make_user, role, url):
    client.force_login(make_user(role, password=None))
    response = client.get(url)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_site_refuses_anonymous_visitors(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_site_lets_an_administrator_in(client, admin_user, worker_a):
    assert not admin_user.is_superuser
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'href="/admin/core/user/"' in response.content.decode()
    response = client.get("/admin/core/user/")
    assert response.status_code == 200
    content = response.content.decode()
    assert worker_a.username in content
    assert admin_user.username in content
    assert client.get(f"/admin/core/user/{worker_a.pk}/change/").status_code == 200
    assert client.get("/admin/institutions/institution/").status_code == 200


@pytest.mark.django_db
def test_admin_site_follows_role_changes(client, admin_user, make_user, institution_a):
    colleague = make_user(Role.ADMINISTRATOR)
    client.force_login(colleague)
    assert client.get("/admin/").status_code == 200
    core_services.user_update(
        actor=admin_user, user=colleague, role=Role.SOCIAL_WORKER, institutions=[institution_a]
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_site_refuses_a_deactivated_administrator(client, admin_user, make_user):
    colleague = make_user(Role.ADMINISTRATOR)
    client.force_login(colleague)
    core_services.user_update(actor=admin_user, user=colleague, is_active=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
