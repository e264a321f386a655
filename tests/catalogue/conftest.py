"""Catalogue fixtures: kinds, services, tariffs and districts built through the services."""

import datetime as dt
import itertools

import pytest

from opora.catalogue import services
from opora.catalogue.models import ServiceKind
from opora.catalogue.reference import ensure_kinds
from opora.core.actors import SYSTEM
from opora.institutions import services as institution_services

_numbers = itertools.count(1)


@pytest.fixture
def kinds(db):
    ensure_kinds()  # a transactional test starts with the migration's kinds flushed
    return {kind.code: kind for kind in ServiceKind.objects.all()}


@pytest.fixture
def make_service(kinds):
    def make(**fields):
        number = next(_numbers)
        fields.setdefault("code", f"9.{number:03d}")
        fields.setdefault("name", f"Уборка жилых помещений № {number}")
        fields.setdefault("name_en", f"Cleaning of living quarters No. {number}")
        fields.setdefault("kind", kinds["social-household"])
        fields.setdefault("forms", ["home", "semi_residential"])
        fields.setdefault("regime", "periodic")
        if fields["regime"] == "periodic":
            fields.setdefault("periodicity_times", 1)
            fields.setdefault("periodicity_unit", "week")
        fields.setdefault("unit", "hour")
        fields.setdefault("standard_duration_minutes", 60)
        return services.service_create(actor=SYSTEM, **fields)

    return make


@pytest.fixture
def service(make_service):
    return make_service(code="1.08", name="Уборка жилых помещений", name_en="Cleaning")


@pytest.fixture
def make_district(db):
    def make(code=None, **fields):
        number = next(_numbers)
        fields.setdefault("name", f"Район № {number}")
        return institution_services.district_create(
            actor=SYSTEM, code=code or f"district-{number}", **fields
        )

    return make


@pytest.fixture
def tverskoy(make_district):
    return make_district("tverskoy", name="Тверской", name_en="Tverskoy")


@pytest.fixture
def maryino(make_district):
    return make_district("maryino", name="Марьино", name_en="Maryino")


@pytest.fixture
def day():
    return dt.date(2026, 3, 2)
