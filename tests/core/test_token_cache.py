"""API tokens kept in the process after verification (core/token_cache.py): a kept token costs
no query, and nothing kept outlives a revocation, a deactivation or a change of institutions,
here or in another process."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.core import services as core_services
from opora.core import token_cache
from opora.core.api_support import TokenAuth
from opora.core.models import ApiToken
from opora.core.roles import Role
from opora.core.scoping import Scope


@pytest.fixture
def robot(make_user, institution_a):
    return make_user(
        Role.SOCIAL_WORKER, institutions=[institution_a], password=None, is_service_account=True
    )


@pytest.fixture
def robot_key(admin_user, robot):
    _, key = core_services.api_token_issue(actor=admin_user, user=robot, name="cached")
    return key


def authenticate(key: str):
    request = RequestFactory().get("/api/v1/me")
    return TokenAuth().authenticate(request, key)


def queries_of(key: str) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        user = authenticate(key)
    return user, [q["sql"] for q in queries]


def test_a_token_verified_moments_ago_costs_no_query(robot, robot_key, institution_a):
    first, looked_up = queries_of(robot_key)
    assert first == robot
    assert looked_up  # the token, her institutions
    again, none = queries_of(robot_key)
    assert again == robot
    assert none == []
    assert Scope.of(again).institution_ids == {institution_a.pk}  # kept, still no query


def test_each_request_gets_its_own_copy_of_the_account(robot_key):
    first = authenticate(robot_key)
    first.preferred_language = "en"  # what preferences_update does to request.user
    assert authenticate(robot_key).preferred_language != "en"


def test_a_revoked_token_is_refused_at_once_though_it_was_kept(admin_user, robot_key):
    assert authenticate(robot_key) is not None
    assert queries_of(robot_key)[1] == []  # kept
    core_services.api_token_revoke(actor=admin_user, token=ApiToken.objects.get())
    assert authenticate(robot_key) is None


def test_a_deactivated_account_is_refused_at_once(admin_user, robot, robot_key):
    assert authenticate(robot_key) is not None
    core_services.user_update(actor=admin_user, user=robot, is_active=False)
    assert authenticate(robot_key) is None


def test_a_deleted_token_is_refused_at_once(robot_key):
    assert authenticate(robot_key) is not None
    ApiToken.objects.get().delete()  # the admin site's delete
    assert authenticate(robot_key) is None


def test_a_change_of_institutions_narrows_the_scope_at_once(
    admin_user, robot, robot_key, institution_a, institution_b
):
    assert Scope.of(authenticate(robot_key)).institution_ids == {institution_a.pk}
    core_services.user_update(actor=admin_user, user=robot, institutions=[institution_b])
    assert Scope.of(authenticate(robot_key)).institution_ids == {institution_b.pk}


def test_a_kept_token_past_its_expiry_is_refused(robot_key, monkeypatch):
    token = ApiToken.objects.get()
    token.expires_at = timezone.now() + dt.timedelta(hours=1)
    token.save(update_fields=["expires_at"])
    assert authenticate(robot_key) is not None
    later = timezone.now() + dt.timedelta(hours=2)
    monkeypatch.setattr("opora.core.api_support.timezone.now", lambda: later)
    assert authenticate(robot_key) is None


def test_a_change_committed_by_another_process_is_seen_by_its_new_stamp(robot_key):
    assert authenticate(robot_key) is not None
    # Another process revokes the token: no signal here, only its stamp in OPORA_VAR_DIR.
    ApiToken.objects.update(revoked_at=timezone.now())
    assert authenticate(robot_key) is not None  # still kept: nothing said otherwise
    token_cache._write_stamp()
    assert authenticate(robot_key) is None


def test_a_write_around_the_orm_is_seen_when_the_seconds_are_up(robot_key, monkeypatch, settings):
    assert authenticate(robot_key) is not None
    ApiToken.objects.update(revoked_at=timezone.now())  # no signal, no stamp
    verified = token_cache.time.monotonic()
    monkeypatch.setattr(
        token_cache.time, "monotonic", lambda: verified + settings.API_TOKEN_CACHE_SECONDS
    )
    assert authenticate(robot_key) is None


def test_the_stamp_is_written_when_the_change_commits(
    admin_user, robot_key, django_capture_on_commit_callbacks
):
    before = token_cache._read_stamp()
    with django_capture_on_commit_callbacks(execute=True):
        core_services.api_token_revoke(actor=admin_user, token=ApiToken.objects.get())
    assert token_cache._read_stamp() != before


def test_a_sign_in_does_not_drop_kept_tokens(robot, robot_key):
    authenticate(robot_key)
    robot.last_login = timezone.now()
    robot.save(update_fields=["last_login"])  # what Django does on every sign-in
    assert queries_of(robot_key)[1] == []


def test_nothing_is_kept_when_the_setting_is_zero(robot_key, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    assert authenticate(robot_key) is not None
    assert queries_of(robot_key)[1]  # asked the database again
