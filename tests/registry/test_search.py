"""The person search: every kind of query, typos and transliteration, ranking and scope.

Runs on SQLite (the fallback) and on PostgreSQL (pg_trgm) alike: the results must agree.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from opora.core.actors import SYSTEM
from opora.registry import services
from opora.registry.models import DocumentKind, Person
from opora.registry.names import snils_format
from opora.registry.search import (
    MATCHED_BIRTH_DATE,
    MATCHED_DOCUMENT,
    MATCHED_NAME,
    MATCHED_NAME_AND_BIRTH_DATE,
    MATCHED_PHONE,
    MATCHED_SNILS,
    PersonHit,
    parse_query,
    search_people,
    trigram_passes,
    typo_threshold,
)

from .conftest import valid_snils


def names(hits):
    return [h.person.full_name for h in hits]


@pytest.fixture
def people(make_person):
    """A small registry of institution A, with namesakes, near-namesakes and others."""
    return {
        "ivanova": make_person(snils=valid_snils(), phone="8 (912) 345-67-89"),
        "ivanova_marina": make_person(first_name="Марина", birth_date=dt.date(1960, 1, 2)),
        "ivanov": make_person(
            last_name="Иванов",
            first_name="Пётр",
            patronymic="Ильич",
            sex="M",
            birth_date=dt.date(1950, 5, 5),
        ),
        "petrov_ivan": make_person(
            last_name="Петров",
            first_name="Иван",
            patronymic="Сергеевич",
            sex="M",
            birth_date=dt.date(1970, 7, 7),
        ),
        "shchukina": make_person(
            last_name="Щукина",
            first_name="Юлия",
            patronymic="Андреевна",
            birth_date=dt.date(1988, 11, 30),
        ),
        "petrova": make_person(
            last_name="Петрова",
            first_name="Анна",
            patronymic="Ивановна",
            birth_date=dt.date(1956, 3, 8),
        ),
    }


def search(actor, query, **kwargs):
    hits = search_people(actor=actor, query=query, **kwargs)
    assert all(isinstance(h, PersonHit) and 0 <= h.score <= 1 for h in hits)
    return hits


# --- identifiers ----------------------------------------------------------------------------


def test_snils_with_or_without_separators(admin_user, people):
    snils = people["ivanova"].snils
    for query in (snils, snils_format(snils), snils_format(snils).replace("-", " ")):
        hits = search(admin_user, query)
        assert [h.person for h in hits] == [people["ivanova"]]
        assert hits[0].matched_on == MATCHED_SNILS
        assert hits[0].score == 1.0


def test_phone_in_any_russian_form(admin_user, people):
    for query in ("+7 912 345 67 89", "89123456789", "9123456789", "8 (912) 345-67-89"):
        hits = search(admin_user, query)
        assert [h.person for h in hits] == [people["ivanova"]], query
        assert hits[0].matched_on == MATCHED_PHONE


def test_document_number_with_or_without_its_series(admin_user, people):
    passport = DocumentKind.objects.get(code="passport-rf")
    services.document_add(
        actor=SYSTEM, person=people["petrov_ivan"], kind=passport, series="45 10", number="123456"
    )
    for query in ("4510 123456", "45 10 123456", "4510123456", "123456"):
        hits = search(admin_user, query)
        assert [h.person for h in hits] == [people["petrov_ivan"]], query
        assert hits[0].matched_on == MATCHED_DOCUMENT
    assert search(admin_user, "4511 123456") == []


def test_birth_certificate_series_with_letters(admin_user, people):
    certificate = DocumentKind.objects.get(code="birth-certificate")
    services.document_add(
        actor=SYSTEM, person=people["shchukina"], kind=certificate, series="IV-АК", number="654321"
    )
    hits = search(admin_user, "IV-АК 654321")
    assert [h.person for h in hits] == [people["shchukina"]]
    assert search(admin_user, "iv-ак 654321")[0].person == people["shchukina"]


def test_a_date_of_birth_lists_the_people_born_that_day(admin_user, people):
    for query in ("08.03.1956", "8.3.1956", "1956-03-08", "08/03/1956"):
        hits = search(admin_user, query)
        assert {h.person for h in hits} == {people["ivanova"], people["petrova"]}, query
        assert {h.matched_on for h in hits} == {MATCHED_BIRTH_DATE}
    assert search(admin_user, "31.02.1956") == []
    assert [h.person for h in search(admin_user, "П. 08.03.1956")] == [people["petrova"]]


def test_a_date_narrows_a_name(admin_user, people):
    hits = search(admin_user, "Иванова 08.03.1956")
    assert hits[0].person == people["ivanova"]
    assert {h.matched_on for h in hits} == {MATCHED_NAME_AND_BIRTH_DATE}
    # Only people born that day; Петрова Анна Ивановна (patronymic close to "Иванова") may
    # follow where the database looks for near names too.
    assert {h.person for h in hits} <= {people["ivanova"], people["petrova"]}
    assert names(search(admin_user, "Иванова 02.01.1960")) == ["Иванова Марина Петровна"]
    assert search(admin_user, "Иванова 01.01.2000") == []


def test_a_year_narrows_a_name(admin_user, people):
    assert [h.person for h in search(admin_user, "Иванова 1960")] == [people["ivanova_marina"]]


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Ивонова", "Иваонва", "ИВАНОВА", "иванова", "Иванова Мария"])
def test_a_surname_with_typos_or_in_any_case(admin_user, people, query):
    found = [h.person for h in search(admin_user, query)]
    assert people["ivanova"] in found
    assert people["shchukina"] not in found
    assert all(h.matched_on == MATCHED_NAME for h in search(admin_user, query))


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Ivanova Mariia", "ivanova"),  # the passport's Latin
        ("Iwanowa Maria", "ivanova"),  # a German habit
        ("ivanova mariia petrovna", "ivanova"),
        ("Shchukina", "shchukina"),
        ("Shchukina Iuliia", "shchukina"),
        ("Shukina", "shchukina"),  # an English habit, one letter short of the passport's
        ("Шукина", "shchukina"),  # a typo in Cyrillic
        ("Щукина Юля", "shchukina"),  # the familiar form of the first name
    ],
)
def test_latin_queries_find_cyrillic_names_and_typos_are_forgiven(admin_user, people, query, key):
    assert search(admin_user, query)[0].person == people[key]


def test_cyrillic_queries_find_names_registered_in_latin(admin_user, make_person):
    smith = make_person(
        last_name="Smith", first_name="John", patronymic="", sex="M", birth_date=dt.date(1975, 4, 1)
    )
    juergen = make_person(
        last_name="Müller",
        first_name="Jürgen",
        patronymic="",
        sex="M",
        birth_date=dt.date(1975, 4, 2),
    )
    assert search(admin_user, "Смит")[0].person == smith  # "Джон" would not meet "John"
    assert search(admin_user, "Мюллер Юрген")[0].person == juergen


def test_part_of_a_name_as_it_is_typed(admin_user, people):
    found = {h.person for h in search(admin_user, "Иван")}
    assert {
        people["ivanova"],
        people["ivanova_marina"],
        people["ivanov"],
        people["petrov_ivan"],
    } <= found
    assert people["shchukina"] not in found
    # The whole first name Иван comes before the surnames that begin with it.
    assert search(admin_user, "Иван")[0].person == people["petrov_ivan"]
    assert search(admin_user, "Щук")[0].person == people["shchukina"]


def test_initials_narrow_a_surname(admin_user, people):
    for query in ("Иванова М. П.", "М. П. Иванова"):
        assert {h.person for h in search(admin_user, query)} == {
            people["ivanova"],
            people["ivanova_marina"],
        }
    # No Иванова А. here: Петрова Анна Ивановна (Анна, Ивановна) is the closest there is.
    assert names(search(admin_user, "Иванова А.")) == ["Петрова Анна Ивановна"]


def test_ranking_puts_the_closest_names_first(admin_user, people):
    hits = search(admin_user, "Иванова Мария")
    assert [h.person for h in hits[:2]] == [people["ivanova"], people["ivanova_marina"]]
    assert hits[0].score == 1.0 > hits[1].score
    assert people["petrov_ivan"] not in [h.person for h in hits]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    # The surname Иванова before Иванов (one letter short) and the patronymic Ивановна.
    order = [h.person for h in search(admin_user, "Иванова")]
    assert order.index(people["ivanova"]) < order.index(people["ivanov"])
    if people["petrova"] in order:  # found where the database looks for near names too
        assert order.index(people["ivanova"]) < order.index(people["petrova"])


def test_exact_identifier_matches_come_before_names(admin_user, people):
    hits = search(admin_user, f"Иванова {people['ivanova'].snils}")
    assert hits[0].person == people["ivanova"] and hits[0].matched_on == MATCHED_SNILS
    hits = search(admin_user, "Петров 9123456789")
    assert hits[0].person == people["ivanova"] and hits[0].matched_on == MATCHED_PHONE
    assert people["petrov_ivan"] in [h.person for h in hits[1:]]


def test_limit_and_empty_queries(admin_user, people):
    assert len(search(admin_user, "Иван", limit=2)) == 2
    assert search(admin_user, "Иван", limit=0) == []
    for query in ("", "   ", "И", "-", "., ;", "Жжжжжжж"):
        assert search(admin_user, query) == [], query


def test_many_namesakes_are_all_found(admin_user, make_person):
    for day in range(1, 31):
        make_person(birth_date=dt.date(1970, 1, day))
    assert len(search(admin_user, "Иванова Мария Петровна", limit=100)) == 30
    assert len(search(admin_user, "Ивонова Мария", limit=25)) == 25


# --- scope and merged records ---------------------------------------------------------------


def test_a_worker_finds_only_the_people_of_her_institutions(
    worker_a, worker_b, institution_b, people
):
    snils = people["ivanova"].snils
    assert {h.person for h in search(worker_a, "Иванова")} >= {people["ivanova"]}
    for query in ("Иванова", "Ivanova", snils, "9123456789", "08.03.1956", "Иван"):
        assert search(worker_b, query) == [], query
    # Once institution B serves her too, its worker finds her (once).
    services.person_serve(actor=SYSTEM, person=people["ivanova"], institution=institution_b)
    assert [h.person for h in search(worker_b, "Иванова")] == [people["ivanova"]]
    assert [h.person for h in search(worker_b, snils)] == [people["ivanova"]]


def test_analysts_and_anonymous_users_find_no_one(analyst, people):
    for actor in (analyst, AnonymousUser()):
        for query in ("Иванова", people["ivanova"].snils, "08.03.1956", "9123456789"):
            assert search(actor, query) == []


def test_merged_records_are_not_found(admin_user, people):
    Person.objects.filter(pk=people["ivanova"].pk).update(merged_into=people["ivanova_marina"])
    found = {h.person for h in search(admin_user, "Иванова Мария")}
    assert people["ivanova"] not in found and people["ivanova_marina"] in found
    assert search(admin_user, people["ivanova"].snils) == []
    assert search(admin_user, "9123456789") == []


# --- the query parser -----------------------------------------------------------------------


def test_the_query_is_split_into_words_dates_and_identifiers():
    parsed = parse_query("Иванова, Мария 08.03.1956 4510 123456")
    assert parsed.words == ["ivanova", "maria"]
    assert parsed.birth_date == dt.date(1956, 3, 8)
    assert parsed.identifier_tokens == ["4510", "123456"]
    assert parse_query("Иванова 1956").birth_year == 1956
    assert parse_query("1956").identifier_tokens == ["1956"]
    assert parse_query("Петрова-Водкина").words == ["petrova", "vodkina"]


# --- PostgreSQL -----------------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm exists on PostgreSQL only"
)


@postgresql_only
def test_the_trigram_index_and_extensions_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_key_trgm'")
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert "gin" in definition and "gin_trgm_ops" in definition
    assert {"pg_trgm", "unaccent"} <= extensions
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_key_idx'")
        (ranges,) = cursor.fetchone()
    # The ranges a search walks are read from the index alone (migration 0007).
    assert "INCLUDE (id, merged_into_id)" in ranges


@postgresql_only
def test_the_dictionary_of_name_words_follows_every_insert_and_rename(admin_user, make_person):
    from opora.registry.models import NameWord
    from opora.registry.search import similar_name_words

    person = make_person(last_name="Пржевальская", first_name="Ксения", patronymic="")
    assert {"przhevalskaia", "ksenia"} <= set(NameWord.objects.values_list("word", flat=True))
    services.person_update(actor=SYSTEM, person=person, last_name="Крузенштерн", reason="брак")
    assert NameWord.objects.filter(word="kruzenshtern").exists()
    # A misspelt surname meets the right one in the dictionary, and through it the person.
    assert "kruzenshtern" in similar_name_words(["kruzenstern"])["kruzenstern"]
    assert [hit.person for hit in search(admin_user, "Крузенштрен Ксения")] == [person]


@postgresql_only
def test_the_threshold_does_not_leak_into_the_callers_transaction(admin_user, people):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.55")
        assert search(admin_user, "Ивонова")
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold')")
        assert cursor.fetchone()[0] == "0.55"


def test_postgresql_passes_go_from_cheap_ranges_to_the_dictionary_then_one_typo_anywhere():
    as_typed, dictionary, one_typo = trigram_passes(["ivonova", "maria", "p"])
    assert [(st.prefix, st.contains) for st in as_typed.statements] == [
        ("ivonova maria p", ()),
        ("ivonova m", ()),
    ]
    assert dictionary.words == ("ivonova", "maria")
    assert [(st.similar, st.contains) for st in one_typo.statements] == [
        ("ivonova", ("maria",)),
        ("maria", ("ivonova",)),
    ]
    ranges, anywhere, dictionary, (single,) = (
        p if not hasattr(p, "statements") else p.statements for p in trigram_passes(["ivonova"])
    )
    assert [(st.prefix, st.contains) for st in ranges] == [("ivonova", ()), ("ivonov", ())]
    # The word anywhere in the key is looked for only when no surname matched it whole.
    assert [st.contains for st in anywhere] == [("ivonova",)]
    assert dictionary.words == ("ivonova",)
    # Two letters swapped in a seven-letter word leave a word similarity of 0.333.
    assert single.similar == "ivonova" and 0.3 <= single.threshold < 0.333
    ((short,),) = (p.statements for p in trigram_passes(["iv"]))
    assert short.prefix == "iv"
    ranges, anywhere, _dictionary, _one_typo = trigram_passes(["m", "ivanova"])
    assert [st.prefix for st in ranges.statements] == ["m ivanova"]
    assert [st.contains for st in anywhere.statements] == [("ivanova",)]


def test_the_dictionary_pass_puts_similar_words_in_place_of_each_word_in_both_orders():
    (_ranges, dictionary, _typo) = trigram_passes(["ivonova", "maria"])
    statement = dictionary.statement({"ivonova": ["ivanova", "ivonova"], "maria": ["mariia"]})
    assert statement.any_prefix == (
        "ivanova maria",
        "ivonova mariia",
        "mariia ivonova",
        "maria ivanova",
    )
    assert dictionary.statement({"ivonova": ["ivonova"]}) is None
    (*_, single, _typo) = trigram_passes(["ivonova"])
    assert single.statement({"ivonova": ["ivanova", "ivonova"]}).any_first_word == ("ivanova",)


@pytest.mark.parametrize(("word", "lost", "floor"), [("ivonova", 4, 0.3), ("segrei", 5, 0.2)])
def test_a_typo_threshold_stays_within_its_bounds(word, lost, floor):
    assert floor <= typo_threshold(word, lost, floor) <= 0.7
    assert typo_threshold("a" * 40, lost, floor) == 0.7
