"""The PostgreSQL loader against the portable one, and its SQL against registry/names.py.

These tests need PostgreSQL (COPY, the SQL rules); on SQLite they are skipped, and the same
files' exact problems are asserted on both databases by test_import_people.py and
test_import_references.py."""

from __future__ import annotations

import faulthandler
import random

import pytest
from django.db import connection, connections, transaction

from opora.core.actors import SYSTEM
from opora.core.jobs import job_start
from opora.core.models import Job, JobStatus
from opora.institutions.models import District
from opora.registry.imports import services, tasks
from opora.registry.imports.postgres import PostgresLoader
from opora.registry.imports.postgres_sql import search_keys_in_sql, transliterations_in_sql
from opora.registry.models import (
    Address,
    CategoryKind,
    FormerName,
    HouseholdMember,
    ImportStatus,
    Income,
    Person,
    PersonCategory,
    PersonInstitution,
)
from opora.registry.names import search_key, transliterate

from .conftest import valid_snils
from .test_import_helpers import (
    CATEGORY_HEADER,
    HOUSEHOLD_HEADER,
    INCOME_HEADER,
    ON_POSTGRES,
    PEOPLE_HEADER,
    csv_bytes,
    issues,
    upload,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ON_POSTGRES, reason="the COPY loader runs on PostgreSQL only"),
]

SURNAMES = [
    "Иванова",
    "Щукин",
    "Пётр",
    "Римская-Корсакова",
    "Ёлкин",
    "Хлебников",
    "Цой",
    "Шварцман",
    "Юсупова",
    "Яковлев",
    "Подъячев",
    "Мельникова",
    "Ilyin",
    "Schwarz",
    "Khodorkovsky",
    "Tsvetaeva",
    "Yevgenieva",
    "O'Brien",
    "Müller",
    "Ångström",
    "Жжёнов",
    "Ассонов",
    "Ivanoff",
    "Ткачёв",
    "Кузьмин-Караваев",
    "Ъеъ",
    "Ьь",
    "Іваненко",
    "Їжак",
    "Ґалаґан",
    "Єрмак",
    "Ўсаў",
    "Ⓐлександр",
    "ДЕ ЛА КРУА",
    "x-y-z",
    "İlhan",
    "Straße",
    "Ǆura",
    "  Петров  ",
    "Зайцев\u00a0Бык",
    "Łukasz",
    "Ølsen",
]
FIRST = [
    "Юрий",
    "Iurii",
    "Yuri",
    "Jurij",
    "Евгений",
    "Yevgeny",
    "Evgenii",
    "Щедрин",
    "Фёкла",
    "Xenia",
    "Ксения",
    "Жанна",
    "Zhanna",
    "Philip",
    "Филипп",
    "Quentin",
    "Wladimir",
    "Владимир",
    "Аэлита",
    "Ия",
    "Иеремия",
    "Chris",
    "",
    "Анна-Мария",
    "Ёж",
    "Tzvi",
    "Czesław",
]


def name_triples(count: int, seed: int = 5) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    pool = SURNAMES + FIRST
    triples = [(s, f, p) for s, f, p in zip(SURNAMES, FIRST * 2, reversed(SURNAMES), strict=False)]
    while len(triples) < count:
        triples.append((rng.choice(pool), rng.choice(FIRST), rng.choice(pool + [""] * 5)))
    return triples


def test_the_sql_search_key_equals_the_python_one():
    triples = [*name_triples(400), ("Макхмуд", "Ассия", "Кхан"), ("Tsstzz", "Kkh", "Yye")]
    assert search_keys_in_sql(triples) == [search_key(*t) for t in triples]


def test_the_sql_transliteration_equals_the_python_one():
    texts = [part for triple in name_triples(300) for part in triple]
    assert transliterations_in_sql(texts) == [transliterate(t) for t in texts]


def test_imported_people_have_the_keys_and_spellings_python_gives(admin_user):
    """Through the real load: keys computed per distinct name and joined."""
    triples = name_triples(300, seed=9)
    rows = [
        [f"N{i}", s.strip() or "Фамилия", f or "Имя", p, "F", "", "", "", "", "", "", ""]
        for i, (s, f, p) in enumerate(triples)
    ]
    batch = upload(admin_user, csv_bytes(rows, PEOPLE_HEADER))
    services.import_run(actor=admin_user, batch=batch, strategy="postgres")
    for person in Person.objects.all():
        assert person.search_key == search_key(
            person.last_name, person.first_name, person.patronymic
        ), person
        assert person.last_name_latin == transliterate(person.last_name)
        assert person.patronymic_latin == transliterate(person.patronymic)


# --- One messy file through both loaders ---------------------------------------------------


def messy_people(rng: random.Random, count: int) -> list[list[str]]:
    def pick(*options):
        return rng.choice(options)

    keys = [f"F{i}" for i in range(count)]
    rows = []
    snils_pool = [valid_snils(7_000_000 + i) for i in range(count // 3)]
    for i in range(count):
        key = pick(
            keys[i],
            keys[i],
            keys[i],
            f" {keys[i]} ",
            keys[rng.randrange(count)],
            "",
            "K" * 70,
            "E1",
        )
        snils = pick(
            "",
            "",
            rng.choice(snils_pool),
            rng.choice(snils_pool)[1:],
            "123-456-789 00",
            "abc",
            "001-001-998 00",
            valid_snils(1_234_567),
            "123 456 789 64",
            "12345678964",
        )
        s = rng.choice(snils_pool)
        if rng.random() < 0.3:
            snils = f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}"
        rows.append(
            [
                key,
                pick(*SURNAMES, "", "Ы" * 101, "Иванова  Петрова"),
                pick(*FIRST, "Мария"),
                pick("", "Петровна", "Ильич", "О" * 120),
                pick("M", "F", "М", "Ж", "male", "Female", "MALE", "муж", "x", "", " f "),
                pick(
                    "08.03.1956",
                    "1956-03-08",
                    "31.02.2020",
                    "29.02.2021",
                    "29.02.2020",
                    "00.01.2000",
                    "1.1.0000",
                    "01.01.2999",
                    "32.1.2000",
                    "1.13.2000",
                    "abc",
                    "",
                    "2000-1-1",
                    "7.7.1977",
                ),
                snils,
                pick(
                    "",
                    "+7 (916) 123-45-67",
                    "8 916 123 45 67",
                    "89161234567",
                    "9161234567",
                    "+44 20 7946 0958",
                    "abc",
                    "+",
                    "1" * 25,
                    "(495) 123-45-67",
                ),
                pick(
                    "",
                    "a@b.ru",
                    "ivan.petrov@mail.ru",
                    "ivan@почта.рф",
                    "bad@",
                    "a@b",
                    "@x.ru",
                    "a b@c.ru",
                    "x" * 250 + "@mail.ru",
                ),
                pick("", "", "arbat", "nowhere", "ARBAT"),
                pick("", "г. Москва, ул. Арбат, д. 1", "А" * 301),
                pick("", "", "alpha", "beta", "nowhere"),
            ]
        )
    return rows


def snapshot() -> dict:
    people = list(
        Person.objects.order_by("external_key").values_list(
            "external_key",
            "last_name",
            "first_name",
            "patronymic",
            "last_name_latin",
            "first_name_latin",
            "patronymic_latin",
            "birth_date",
            "sex",
            "snils",
            "phone",
            "email",
            "search_key",
        )
    )
    return {
        "people": people,
        "links": sorted(
            PersonInstitution.objects.values_list("person__external_key", "institution__code")
        ),
        "addresses": sorted(
            Address.objects.values_list("person__external_key", "kind", "text", "district__code")
        ),
        "former": sorted(
            FormerName.objects.values_list(
                "person__external_key", "last_name", "first_name", "patronymic"
            )
        ),
        "members": sorted(
            HouseholdMember.objects.values_list(
                "household__external_key",
                "person__external_key",
                "relation",
                "is_applicant",
                "joined_on",
                "left_on",
            )
        ),
        "categories": sorted(
            PersonCategory.objects.values_list(
                "external_key",
                "person__external_key",
                "kind__code",
                "valid_from",
                "valid_to",
                "basis_document",
                "source",
            )
        ),
        "incomes": sorted(
            Income.objects.values_list("person__external_key", "month", "kind", "source", "amount")
        ),
    }


def both_ways(actor, data: bytes, **kwargs) -> tuple[dict, dict]:
    """The same file through each loader, from the same starting point."""
    results = []
    for strategy in ("portable", "postgres"):
        savepoint = transaction.savepoint()
        batch = upload(actor, data, **kwargs)
        batch = services.import_set_mapping(actor=actor, batch=batch, mapping=batch.mapping)
        outcome = services.import_run(actor=actor, batch=batch, strategy=strategy)
        batch.refresh_from_db()
        results.append(
            {
                "issues": issues(batch),
                "batch": (
                    batch.status,
                    batch.total_rows,
                    batch.error_rows,
                    batch.inserted,
                    batch.updated,
                    outcome["unchanged"],
                ),
                **snapshot(),
            }
        )
        transaction.savepoint_rollback(savepoint)
    return results[0], results[1]


@pytest.fixture
def world(make_person, institution_a, institution_b):
    District.objects.create(code="arbat", name="Арбат")
    make_person(external_key="E1", snils=valid_snils(1_234_567), last_name="Старая")
    for key in ("F3", "F13", "F23", "F33", "F43", "F53"):
        make_person(institution=institution_b, external_key=key, last_name="Чужая")
    return institution_a


@pytest.mark.parametrize("mode", ["valid_only", "all_or_nothing"])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_two_loaders_agree_on_a_messy_people_file(admin_user, world, seed, mode):
    data = csv_bytes(messy_people(random.Random(seed), 250), PEOPLE_HEADER)
    portable, postgres = both_ways(admin_user, data, mode=mode)
    assert portable["issues"], "the file should have problems"
    assert portable == postgres


def test_the_two_loaders_agree_for_a_manager(make_user, world):
    from opora.core.roles import Role

    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[world])
    data = csv_bytes(messy_people(random.Random(3), 200), PEOPLE_HEADER)
    portable, postgres = both_ways(manager, data, mode="valid_only", institution=world)
    found = {i[3] for i in portable["issues"]}
    assert "A record with this key exists outside your institutions." in found
    assert "You cannot import people for this institution." in found
    assert portable == postgres


def test_the_two_loaders_agree_on_households_categories_and_incomes(admin_user, make_person):
    from opora.registry import services as registry_services

    rng = random.Random(4)
    keys = [f"P{i}" for i in range(40)]
    for key in keys[:35]:
        make_person(external_key=key, first_name=key)
    anna = Person.objects.get(external_key="P0")
    registry_services.household_create(actor=SYSTEM, applicant=anna, external_key="H0")
    registry_services.category_assign(
        actor=SYSTEM,
        person=anna,
        kind=CategoryKind.objects.get(code="veteran"),
        valid_from=__import__("datetime").date(2020, 1, 1),
        external_key="C-old",
    )
    person = lambda: rng.choice([*keys, "", "NOBODY"])  # noqa: E731
    households = [
        [
            rng.choice(["H0", "H1", "H2", "H3", "", "H4"]),
            person(),
            rng.choice(["applicant", "spouse", "child", "Child", "cousin", ""]),
            rng.choice(["1", "0", "да", "нет", "", "maybe", "true"]),
            rng.choice(["", "01.02.2020", "31.02.2020", "2021-01-01"]),
        ]
        for _ in range(120)
    ]
    categories = [
        [
            rng.choice([f"C{i}", "C-old", "", f"C{i % 7}"]),
            person(),
            rng.choice(["pensioner", "veteran", "disability-2", "nope", ""]),
            rng.choice(["01.01.2020", "01.06.2020", "2019-01-01", "", "31.02.2020"]),
            rng.choice(["", "31.12.2020", "01.01.2019", "bad"]),
            rng.choice(["", "Справка № 5"]),
            rng.choice(["", "ПФР"]),
        ]
        for i in range(120)
    ]
    incomes = [
        [
            person(),
            rng.choice(["03.2024", "2024-04", "01.05.2024", "13.2024", "x"]),
            rng.choice(["salary", "pension", "Benefit", "bonus"]),
            rng.choice(["", "ООО Ромашка"]),
            rng.choice(["100", "1 234,50", "-1", "1.234", "abc", "99999999999", ""]),
        ]
        for _ in range(150)
    ]
    for entity, header, rows in (
        ("households", HOUSEHOLD_HEADER, households),
        ("categories", CATEGORY_HEADER, categories),
        ("incomes", INCOME_HEADER, incomes),
    ):
        for mode in ("valid_only", "all_or_nothing"):
            portable, postgres = both_ways(
                admin_user, csv_bytes(rows, header), entity=entity, name=f"{entity}.csv", mode=mode
            )
            assert portable["issues"], entity
            assert set(portable["issues"]) ^ set(postgres["issues"]) == set(), (entity, mode)
            assert portable == postgres, (entity, mode)


# --- Progress while the load transaction is open --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_load_transaction_is_open(admin_user, monkeypatch):
    rows = [[f"P{i}", "Иванова", "Мария", "", "F", "", "", "", "", "", "", ""] for i in range(500)]
    batch = upload(admin_user, csv_bytes(rows, PEOPLE_HEADER))
    batch = services.import_set_mapping(actor=admin_user, batch=batch, mapping=batch.mapping)
    job = services.import_start(actor=admin_user, batch=batch)  # enqueued on commit; run below
    seen = []

    original = PostgresLoader._links

    def look_from_outside(self):
        assert connection.in_atomic_block  # inside the load transaction
        other = connections.create_connection("default")  # another session
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done, message FROM core_job WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone())
                cursor.execute("SELECT count(*) FROM registry_person")
                seen.append(cursor.fetchone())
        finally:
            other.close()
        return original(self)

    monkeypatch.setattr(PostgresLoader, "_links", look_from_outside)
    tasks.import_file.call(job_id=str(job.pk))
    (done, message), (people,) = seen
    # A step of the load (which begins inside the transaction), written by the second
    # connection; later steps may fall within the sink's half-second throttle.
    assert done > 650
    assert message in ("Spelling the names", "Recording former names", "Writing the records")
    assert people == 0  # while the people written are not visible yet
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.SUCCEEDED, 1000, 1000)
    assert batch.status == ImportStatus.LOADED and Person.objects.count() == 500
    assert job.result["inserted"] == 500
    Job.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_a_background_import_with_problems_while_copying_never_hangs(admin_user, settings):
    """Problems found while a COPY is open (and, every 50,000 rows, the progress) used to be
    written through the COPY's own connection: psycopg waits for the COPY to end, the COPY for
    the writer, for ever. 2,500 rows of the wrong width are more problems than the buffer
    holds, so they were written mid-COPY; now they wait for the COPY of their chunk to end.
    The watchdog turns a hang into a failure with a traceback."""
    settings.IMPORT_CHUNK_ROWS = 700
    good = [[f"G{i}", "Иванова", "Мария", "", "F", "", "", "", "", "", "", ""] for i in range(1500)]
    short = [[f"S{i}", "Иванова"] for i in range(2500)]
    data = csv_bytes(
        [row for pair in zip(good, short, strict=False) for row in pair], PEOPLE_HEADER
    )
    data += csv_bytes(short[1500:])
    batch = upload(admin_user, data, mode="valid_only")
    batch = services.import_set_mapping(actor=admin_user, batch=batch, mapping=batch.mapping)
    job = services.import_start(actor=admin_user, batch=batch)
    faulthandler.dump_traceback_later(300, exit=True)
    try:
        tasks.import_file.call(job_id=str(job.pk))
    finally:
        faulthandler.cancel_dump_traceback_later()
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.done, batch.status) == (JobStatus.SUCCEEDED, 1000, ImportStatus.LOADED)
    assert (batch.inserted, batch.error_rows, batch.issues.count()) == (1500, 2500, 2500)
    Job.objects.all().delete()


def test_job_kind_is_declared():
    from opora.core.jobs import kind_label

    assert kind_label("registry.import") == "Importing a registry file"
    assert job_start  # imported for the declaration's sake
