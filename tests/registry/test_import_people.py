"""Importing people: every rule of registry/services.py, both modes, and importing again.

Runs on both databases: on SQLite the portable loader, on PostgreSQL the COPY loader. The
messy file's problems are listed exactly, so both loaders are held to the same list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.registry import services as registry_services
from opora.registry.imports.validation import m_snils_shared
from opora.registry.models import (
    Address,
    FormerName,
    ImportStatus,
    Person,
    PersonInstitution,
)
from opora.registry.names import search_key, transliterate

from .conftest import valid_snils
from .test_import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    district_fixture,  # noqa: F401 - fixture
    issues,
    manager_a_fixture,  # noqa: F401 - fixture
    messages,
    person_row,
    run,
)

pytestmark = pytest.mark.django_db

S_TAKEN, S_NEW, S_OK, S_SHORT = (
    valid_snils(seed) for seed in (3_111_111, 3_222_222, 3_333_333, 23_456_789)
)
S_OLD = "001-001-998 00"  # issued before the check number existed


def fmt(snils: str) -> str:
    return f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"


@pytest.fixture
def registered(make_person, institution_a, institution_b):
    existing = make_person(external_key="E1", snils=S_TAKEN, phone="+79160000000")
    merged = make_person(external_key="M1", last_name="Дубль")
    survivor = make_person(external_key="M0")
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    make_person(institution=institution_b, external_key="B1", last_name="Чужая")
    return existing


def messy_rows() -> list[list[str]]:
    long_name = "Ы" * 101
    return [
        person_row(
            "P1",
            snils=fmt(S_OK),
            phone="+7 (916) 123-45-67",
            email="m.ivanova@mail.ru",
            district="arbat",
            address="г. Москва, ул. Арбат, д. 1",
            institution="alpha",
        ),
        person_row("P2", "Петров", "Юрий", "", "M"),
        person_row("P2", "Петров", "Юрий", "", "M"),
        person_row(
            "P5", sex="X", born="31.02.2020", snils="123-456-789 00", phone="abc", email="bad@"
        ),
        person_row("P6", last="", born="01.01.2999"),
        person_row("P7", district="nowhere", address="адрес", institution="nowhere"),
        person_row("P8", district="arbat"),
        person_row("P9", snils=fmt(S_TAKEN)),
        person_row("P10", snils=S_NEW),
        person_row("P11", snils=fmt(S_NEW)),
        person_row("M1"),
        person_row("P14", last=long_name),
        person_row("P15", sex="male", born="1960-1-5", snils=S_OLD, phone="8 (916) 123 45 67"),
        person_row("P16", sex="Ж", email="ivan@почта.рф", phone="+44 20 7946 0958"),
        person_row("P17", last="  Римская-Корсакова ", first="Анна   Мария", snils=S_SHORT[1:]),
        person_row("E1", phone="8 916 000 00 01"),
        person_row("P19", born="2020-13-01"),
        person_row("P20", born="1.2.1950", sex="м"),
    ]


EXPECTED = [
    (3, "external_key", "The same key is in rows 3, 4."),
    (4, "external_key", "The same key is in rows 3, 4."),
    (5, "birth_date", "There is no such date."),
    (5, "email", "Not an email address."),
    (5, "phone", "Not a phone number."),
    (5, "sex", "Write the sex as M or F."),
    (5, "snils", "The SNILS check number does not match: check the number."),
    (6, "birth_date", "The date is in the future."),
    (6, "last_name", "A value is required."),
    (7, "district", "No district has this code."),
    (7, "institution", "No institution has this code."),
    (8, "district", "A district is given without the registration address."),
    (9, "snils", "This SNILS already belongs to another record."),
    (12, "external_key", "The record with this key was merged into another one."),
    (13, "last_name", "Too long: at most 100 characters."),
    (18, "birth_date", "There is no such date."),
]


def test_every_rule_gives_its_problem_and_nothing_loads(admin_user, registered, district):
    before = Person.objects.count()
    batch = run(admin_user, csv_bytes(messy_rows(), PEOPLE_HEADER))
    assert batch.status == ImportStatus.REJECTED
    assert messages(batch) == EXPECTED
    assert (batch.total_rows, batch.error_rows, batch.inserted) == (18, 10, 0)
    assert Person.objects.count() == before
    assert Person.objects.get(external_key="E1").phone == "+79160000000"
    values = {(row, column): value for row, column, value, _m in issues(batch)}
    assert values[(5, "snils")] == "123-456-789 00" and values[(13, "last_name")] == "Ы" * 101
    entry = AuditEntry.objects.get(action="registry.import.rejected")
    assert entry.data["error_rows"] == 10


def test_valid_only_loads_the_valid_rows_and_reports_the_others(
    admin_user, registered, district, institution_a
):
    batch = run(admin_user, csv_bytes(messy_rows(), PEOPLE_HEADER), mode="valid_only")
    assert batch.status == ImportStatus.LOADED
    # Rows 10 and 11 share a SNILS: both load, the second without it and with a warning.
    assert messages(batch) == sorted([*EXPECTED, (11, "snils", m_snils_shared(10))])
    assert (batch.total_rows, batch.error_rows, batch.inserted, batch.updated) == (18, 10, 7, 1)
    loaded = set(
        Person.objects.filter(external_key__startswith="P").values_list("external_key", flat=True)
    )
    assert loaded == {"P1", "P10", "P11", "P15", "P16", "P17", "P20"}
    assert [Person.objects.get(external_key=k).snils for k in ("P10", "P11")] == [S_NEW, None]
    p1 = Person.objects.get(external_key="P1")
    assert (p1.snils, p1.phone, p1.email, p1.sex) == (
        S_OK,
        "+79161234567",
        "m.ivanova@mail.ru",
        "F",
    )
    assert (p1.last_name_latin, p1.first_name_latin, p1.patronymic_latin) == (
        "Ivanova",
        "Mariia",
        "Petrovna",
    )
    assert p1.search_key == search_key("Иванова", "Мария", "Петровна")
    assert list(p1.served_by.all()) == [institution_a]
    address = Address.objects.get(person=p1)
    assert (address.kind, address.text, address.district.code) == (
        "registration",
        "г. Москва, ул. Арбат, д. 1",
        "arbat",
    )
    p15 = Person.objects.get(external_key="P15")
    assert (p15.sex, p15.birth_date, p15.snils, p15.phone) == (
        "M",
        dt.date(1960, 1, 5),
        "00100199800",
        "+79161234567",
    )
    p16 = Person.objects.get(external_key="P16")
    assert (p16.sex, p16.email, p16.phone) == ("F", "ivan@почта.рф", "+442079460958")
    p17 = Person.objects.get(external_key="P17")
    assert (p17.last_name, p17.first_name, p17.snils) == (
        "Римская-Корсакова",
        "Анна Мария",
        S_SHORT,
    )
    assert p17.search_key == search_key("Римская-Корсакова", "Анна Мария", "Петровна")
    assert p17.last_name_latin == transliterate("Римская-Корсакова")
    assert Person.objects.get(external_key="P20").birth_date == dt.date(1950, 2, 1)
    assert Person.objects.get(external_key="E1").phone == "+79160000001"
    entry = AuditEntry.objects.get(action="registry.import.loaded")
    assert (entry.data["inserted"], entry.data["updated"], entry.data["error_rows"]) == (7, 1, 10)
    assert entry.data["loaded_without_snils"] == 1
    assert entry.object_id == str(batch.pk)


def test_importing_the_same_file_again_updates_and_never_duplicates(
    admin_user, district, institution_a
):
    rows = [
        person_row(
            f"K{i}",
            snils=valid_snils(4_000_000 + i),
            district="arbat",
            address=f"адрес {i}",
            institution="alpha",
        )
        for i in range(30)
    ]
    data = csv_bytes(rows, PEOPLE_HEADER)
    first = run(admin_user, data)
    assert (first.inserted, first.updated) == (30, 0)
    again = run(admin_user, data)
    assert (again.status, again.inserted, again.updated, again.total_rows) == (
        ImportStatus.LOADED,
        0,
        0,
        30,
    )
    assert Person.objects.count() == 30
    assert PersonInstitution.objects.count() == 30 and Address.objects.count() == 30
    rows[3][7] = "+7 999 111-22-33"
    rows[4][10] = "новый адрес"
    changed = run(admin_user, csv_bytes(rows, PEOPLE_HEADER))
    assert (changed.inserted, changed.updated) == (0, 1)
    assert Person.objects.get(external_key="K3").phone == "+79991112233"
    assert Address.objects.get(person__external_key="K4").text == "новый адрес"
    assert Person.objects.count() == 30 and Address.objects.count() == 30


def test_a_rename_keeps_the_former_name_and_is_audited(admin_user, make_person):
    person = make_person(external_key="R1", last_name="Смирнова")
    Person.objects.filter(pk=person.pk).update(
        last_name_latin="Smirnova-Custom", first_name_latin="Maria-Custom"
    )
    batch = run(admin_user, csv_bytes([person_row("R1", last="Кузнецова")], PEOPLE_HEADER))
    assert (batch.inserted, batch.updated) == (0, 1)
    person.refresh_from_db()
    assert person.last_name == "Кузнецова"
    # The Latin spelling follows the new name, as person_update does.
    assert (person.last_name_latin, person.first_name_latin) == ("Kuznetsova", "Mariia")
    assert person.search_key == search_key("Кузнецова", "Мария", "Петровна")
    former = FormerName.objects.get(person=person)
    assert (former.last_name, former.changed_on) == ("Смирнова", timezone.localdate())
    entry = AuditEntry.objects.get(action="registry.person.renamed", object_id=str(person.pk))
    assert entry.changes == {"last_name": ["Смирнова", "Кузнецова"]}
    assert entry.data == {"batch": batch.pk}


def test_an_update_without_rename_keeps_a_custom_latin_spelling(admin_user, make_person):
    person = make_person(external_key="R2")
    Person.objects.filter(pk=person.pk).update(last_name_latin="Ivanoff")
    run(admin_user, csv_bytes([person_row("R2", phone="+7 916 000-00-09")], PEOPLE_HEADER))
    person.refresh_from_db()
    assert (person.phone, person.last_name_latin) == ("+79160000009", "Ivanoff")
    assert not FormerName.objects.exists()


def test_a_file_without_some_columns_leaves_those_fields_alone(admin_user, make_person):
    person = make_person(external_key="R3", phone="+79160000003", patronymic="Ильинична")
    header = ["external_key", "last_name", "first_name", "sex"]
    batch = run(
        admin_user,
        csv_bytes([["R3", "Иванова", "Мария", "F"], ["N1", "Новая", "Нина", "F"]], header),
    )
    assert (batch.status, batch.inserted, batch.updated) == (ImportStatus.LOADED, 1, 0)
    person.refresh_from_db()
    assert (person.phone, person.patronymic) == ("+79160000003", "Ильинична")
    new = Person.objects.get(external_key="N1")
    assert (new.patronymic, new.phone, new.snils) == ("", "", None)
    assert new.search_key == search_key("Новая", "Нина")


def test_a_manager_imports_for_her_own_institution_only(
    manager_a, institution_a, institution_b, make_person
):
    make_person(institution=institution_b, external_key="B1", last_name="Чужая")
    rows = [
        person_row("A1"),
        person_row("B1"),
        person_row("A2", institution="beta"),
        person_row("A3", institution="alpha"),
    ]
    batch = run(
        manager_a, csv_bytes(rows, PEOPLE_HEADER), institution=institution_a, mode="valid_only"
    )
    assert messages(batch) == [
        (3, "external_key", "A record with this key exists outside your institutions."),
        (4, "institution", "You cannot import people for this institution."),
    ]
    assert Person.objects.get(external_key="B1").last_name == "Чужая"
    for key in ("A1", "A3"):
        assert list(Person.objects.get(external_key=key).served_by.all()) == [institution_a]


def test_a_manager_must_choose_one_of_her_institutions(manager_a, institution_b):
    from opora.core.errors import DomainError

    data = csv_bytes([person_row("A1")], PEOPLE_HEADER)
    with pytest.raises(DomainError) as error:
        run(manager_a, data)
    assert error.value.code == "institution_required"
    with pytest.raises(DomainError) as error:
        run(manager_a, data, institution=institution_b)
    assert error.value.code == "institution_out_of_scope"
    assert not Person.objects.exists()


def test_a_social_worker_cannot_import(worker_a, institution_a):
    from opora.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        run(worker_a, csv_bytes([person_row("A1")], PEOPLE_HEADER), institution=institution_a)
    assert error.value.status == 403
    assert not Person.objects.exists()


def test_people_registered_by_hand_and_by_import_meet_the_same_rules(admin_user, make_person):
    """A SNILS taken by a record made through the services is refused by the import, and a
    record imported is refused a second SNILS through the services."""
    make_person(snils=S_TAKEN)
    batch = run(admin_user, csv_bytes([person_row("X1", snils=S_TAKEN)], PEOPLE_HEADER))
    assert messages(batch) == [(2, "snils", "This SNILS already belongs to another record.")]
    run(admin_user, csv_bytes([person_row("X2", snils=S_NEW)], PEOPLE_HEADER))
    from opora.core.errors import DomainError

    with pytest.raises(DomainError):
        registry_services.person_register(
            actor=SYSTEM, institution=None, last_name="А", first_name="Б", sex="F", snils=S_NEW
        )


def test_role_of_institution_manager_has_the_import_permission():
    from opora.core.permissions import registered
    from opora.registry.access import IMPORT

    assert registered()[IMPORT].roles == frozenset({Role.INSTITUTION_MANAGER})
