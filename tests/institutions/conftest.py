"""Institutions fixtures: reference data, managers of institutions A and B, and employees
hired through the services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.institutions import services
from opora.institutions.models import AccessibilityFeature, InstitutionKind, Position
from opora.institutions.reference import ensure_reference_data

_numbers = itertools.count(1)


class Reference:
    """The reference rows by code: ``reference.kind("tcso")``, ``reference.position(...)``."""

    def kind(self, code: str) -> InstitutionKind:
        return InstitutionKind.objects.get(code=code)

    def position(self, code: str) -> Position:
        return Position.objects.get(code=code)

    def feature(self, code: str) -> AccessibilityFeature:
        return AccessibilityFeature.objects.get(code=code)


@pytest.fixture
def reference(db) -> Reference:
    # Loaded by a data migration; created again in case a transactional test flushed them.
    ensure_reference_data()
    return Reference()


@pytest.fixture
def manager_a(make_user, institution_a):
    return make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])


@pytest.fixture
def manager_b(make_user, institution_b):
    return make_user(Role.INSTITUTION_MANAGER, institutions=[institution_b])


@pytest.fixture
def make_employee(reference, institution_a):
    """Hire a new employee (a psychologist at institution A unless said) through the service."""

    def make(
        institution=None,
        position: str = "psychologist",
        hired_on: dt.date = dt.date(2020, 1, 15),
        caseload_limit: int | None = None,
        **fields,
    ):
        number = next(_numbers)
        fields.setdefault("last_name", "Смирнова")
        fields.setdefault("first_name", "Анна")
        fields.setdefault("patronymic", "Сергеевна")
        fields.setdefault("personnel_number", f"T-{number:05d}")
        return services.employee_hire(
            actor=SYSTEM,
            institution=institution or institution_a,
            position=reference.position(position),
            hired_on=hired_on,
            caseload_limit=caseload_limit,
            **fields,
        )

    return make
