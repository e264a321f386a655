"""One actor type: a user, or SYSTEM for commands, tasks and the demo; None is refused."""

from __future__ import annotations

import pickle

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from opora.core import audit
from opora.core.access import USERS_MANAGE
from opora.core.actors import SYSTEM
from opora.core.audit_actions import USER_UPDATED
from opora.core.permissions import has_permission
from opora.core.roles import Role
from opora.core.scoping import Reach, Scope


def test_the_system_sees_everything_and_may_do_everything():
    assert Scope.of(SYSTEM).reach is Reach.ALL
    assert has_permission(SYSTEM, USERS_MANAGE)


@pytest.mark.parametrize("call", [Scope.of, lambda a: has_permission(a, USERS_MANAGE)])
def test_a_missing_actor_is_a_programming_error(call):
    with pytest.raises(TypeError, match="actor is required"):
        call(None)


def test_an_anonymous_visitor_sees_nothing():
    assert Scope.of(AnonymousUser()).reach is Reach.NOTHING
    assert not has_permission(AnonymousUser(), USERS_MANAGE)


def test_the_audit_names_the_system_and_the_user(make_user, institution_a):
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    with transaction.atomic():
        by_system = audit.record(actor=SYSTEM, action=USER_UPDATED, obj=worker)
        by_worker = audit.record(actor=worker, action=USER_UPDATED, obj=worker)
    assert by_system.actor is None and by_system.actor_name == ""
    assert by_worker.actor == worker
    assert "System" in audit.sentence(by_system) or "Система" in audit.sentence(by_system)


def test_the_system_is_one_object_even_through_a_queue():
    assert pickle.loads(pickle.dumps(SYSTEM)) is SYSTEM  # noqa: S301 - our own bytes
