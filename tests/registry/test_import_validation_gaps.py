"""The cell rules the issue found missing, on both loaders (the portable one, and on PostgreSQL
the COPY one): a date of birth before 1900, a SNILS never issued, a SNILS of the wrong length
said to be of the wrong length."""

from __future__ import annotations

import pytest

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.registry import services as registry_services
from opora.registry.models import ImportStatus

from .conftest import valid_snils
from .test_import_helpers import PEOPLE_HEADER, csv_bytes, messages, person_row, run

pytestmark = pytest.mark.django_db

LOADERS = ["portable", None]  # None: the database's own (COPY on PostgreSQL)


@pytest.mark.parametrize("strategy", LOADERS)
def test_the_rules_missing_before_give_their_problems(admin_user, strategy):
    rows = [
        person_row("P1", born="0001-01-01"),
        person_row("P2", born="31.12.1899"),
        person_row("P3", snils="000-000-000 00"),
        person_row("P4", snils="111-111-111 45"),  # its check number is right
        person_row("P5", snils="112-233-445"),
        person_row("P6", snils="112 233 445 950"),
        person_row("P7", born="01.01.1900", snils=valid_snils(7_123_456)),
        person_row("P8", snils="001-001-998 00"),  # before the check number: no rule
    ]
    batch = run(admin_user, csv_bytes(rows, PEOPLE_HEADER), mode="valid_only", strategy=strategy)
    assert batch.status == ImportStatus.LOADED
    never = "No SNILS has this number (000-000-000, or a digit three times in a row): check it."
    assert messages(batch) == [
        (2, "birth_date", "The date of birth is before 1900."),
        (3, "birth_date", "The date of birth is before 1900."),
        (4, "snils", never),
        (5, "snils", never),
        (6, "snils", "A SNILS has 11 digits; this one has 9."),
        (7, "snils", "A SNILS has 11 digits; this one has 12."),
    ]
    assert (batch.inserted, batch.error_rows) == (2, 6)


@pytest.mark.parametrize(
    ("fields", "hint"),
    [
        ({"snils": "000-000-000 00"}, "No SNILS has this number."),
        ({"snils": "112-233-445"}, "A SNILS has 11 digits; this one has 9."),
        ({"snils": "112-233-445 96"}, "The check number does not match."),
    ],
)
def test_the_services_say_what_is_wrong_with_a_snils(institution_a, fields, hint):
    with pytest.raises(DomainError) as error:
        registry_services.person_register(
            actor=SYSTEM,
            institution=institution_a,
            last_name="Иванова",
            first_name="Мария",
            sex="F",
            **fields,
        )
    assert error.value.details["snils"] == [hint]


def test_the_services_refuse_a_birth_before_1900(institution_a):
    import datetime as dt

    with pytest.raises(DomainError) as error:
        registry_services.person_register(
            actor=SYSTEM,
            institution=institution_a,
            last_name="Иванова",
            first_name="Мария",
            sex="F",
            birth_date=dt.date(1, 1, 1),
        )
    assert error.value.code == "birth_too_early"
