"""Fixtures shared by every app's tests. Data is built through the services, as in the app."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, settings

from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.institutions import services as institution_services

# The suite runs on SQLite and PostgreSQL side by side on two cores: how fast examples are drawn
# or run there says nothing about the code, so no test fails on time (speed lives in bench/).
settings.register_profile("opora", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("opora")

PASSWORD = "correct-horse-battery-42"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _language_of_the_settings():
    """Every test starts in the default language: one that activates another without putting
    it back must not change what the next one reads."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def make_institution(db):
    def make(**fields):
        number = next(_counter)
        fields.setdefault("code", f"inst-{number}")
        fields.setdefault("name", f"Учреждение № {number}")
        return institution_services.institution_create(actor=SYSTEM, **fields)

    return make


@pytest.fixture
def make_user(db, make_institution):
    def make(role: str = Role.SOCIAL_WORKER, institutions=None, **fields):
        number = next(_counter)
        if institutions is None:
            institutions = (
                [] if role in (Role.ADMINISTRATOR, Role.ANALYST) else [make_institution()]
            )
        fields.setdefault("username", f"{role}-{number}")
        fields.setdefault("password", PASSWORD)
        return core_services.user_create(
            actor=SYSTEM, role=role, institutions=institutions, **fields
        )

    return make


@pytest.fixture
def institution_a(make_institution):
    return make_institution(code="alpha", name="Центр «Альфа»", name_en="Alpha Centre")


@pytest.fixture
def institution_b(make_institution):
    return make_institution(code="beta", name="Центр «Бета»", name_en="Beta Centre")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMINISTRATOR, username="root-admin")


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def worker_a(make_user, institution_a):
    """A social worker of institution A only."""
    return make_user(Role.SOCIAL_WORKER, institutions=[institution_a])


@pytest.fixture
def worker_b(make_user, institution_b):
    return make_user(Role.SOCIAL_WORKER, institutions=[institution_b])


@pytest.fixture
def login(client):
    """Sign a user in on the test client and return the client."""

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def atomic():
    return transaction.atomic
