"""Cooperation fixtures, built through the services: a cooperation officer, a ``make_partner``
factory, and two partners of the seeds — Helsinki (a partner city with its Deputy Mayor) and
Berlin's Senate administration with its State Office for Health and Social Affairs (LaGeSo)
and the partnership of the two cities since 1990."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from opora.cooperation import services
from opora.cooperation.models import DatePrecision, PartnerKind, PartnershipKind
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.institutions import services as institution_services

_numbers = itertools.count(1)

# The first bytes of the kinds of file the uploads tell apart.
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def employee(db):
    """A member of our staff (no institution needed) for participants and exchanges."""
    return institution_services.employee_create(
        actor=SYSTEM, last_name="Иванова", first_name="Мария", patronymic="Петровна"
    )


@pytest.fixture
def officer(make_user):
    return make_user(Role.COOPERATION_OFFICER)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def make_partner(db):
    def make(**fields):
        number = next(_numbers)
        fields.setdefault("actor", SYSTEM)
        fields.setdefault("code", f"partner-{number}")
        fields.setdefault("kind", PartnerKind.CITY)
        fields.setdefault("country", "FI")
        if not any(name.startswith("name") for name in fields):
            fields["name_ru"] = f"Партнёр № {number}"
        return services.partner_create(**fields)

    return make


@pytest.fixture
def helsinki(make_partner):
    partner = make_partner(
        code="helsinki",
        kind=PartnerKind.CITY,
        country="FI",
        name_ru="Хельсинки",
        name_en="Helsinki",
        name_fi="Helsinki",
        city_ru="Хельсинки",
        city_fi="Helsinki",
        languages=["fi", "sv", "en"],
        website="https://www.hel.fi",
    )
    person = services.person_add(
        actor=SYSTEM,
        partner=partner,
        full_name="Sanna Vesikansa",
        full_name_ru="Санна Весиканса",
    )
    services.position_add(
        actor=SYSTEM,
        person=person,
        valid_from=dt.date(2017, 6, 1),
        title_ru="заместитель мэра",
        title_en="Deputy Mayor",
        title_fi="apulaispormestari",
    )
    return partner


@pytest.fixture
def berlin(make_partner):
    senate = make_partner(
        code="berlin-senate",
        kind=PartnerKind.STATE_BODY,
        country="DE",
        name_ru="Сенатская администрация по вопросам интеграции, труда и социальным вопросам",
        name_en="Senate Department for Integration, Labour and Social Services",
        name_de="Senatsverwaltung für Integration, Arbeit und Soziales",
        short_name_ru="Сенат Берлина",
        short_name_de="Senat Berlin",
        city_ru="Берлин",
        city_de="Berlin",
        languages=["de"],
    )
    make_partner(
        code="lageso",
        kind=PartnerKind.AGENCY,
        country="DE",
        parent=senate,
        name_ru="Земельное ведомство здравоохранения и социальных вопросов",
        name_de="Landesamt für Gesundheit und Soziales",
        short_name_de="LAGeSo",
        languages=["de"],
    )
    services.partnership_add(
        actor=SYSTEM,
        partner=senate,
        kind=PartnershipKind.PARTNER_CITY,
        since=dt.date(1990, 1, 1),
        since_precision=DatePrecision.YEAR,
        description_ru="Москва и Берлин — города-партнёры",
    )
    return senate
