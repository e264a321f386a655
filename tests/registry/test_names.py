"""Transliteration, the search key, SNILS check numbers and phone normalisation."""

import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from opora.registry.names import (
    SNILS_CHECKED_FROM,
    phone_normalised,
    search_key,
    snils_check_number,
    snils_digits,
    snils_format,
    snils_is_valid,
    snils_issuable,
    snils_masked,
    snils_problem,
    transliterate,
)

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
cyrillic_names = st.text(alphabet=CYRILLIC + " -", max_size=40)
any_names = st.text(
    alphabet=st.sampled_from(CYRILLIC + "abcdefghijklmnopqrstuvwxyzABCXYZéüößçłÿ -'.,\t1"),
    max_size=40,
)
KEY = re.compile(r"([a-z]+( [a-z]+)*)?")


# --- transliteration and the search key ---------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Щукина Юлия", "Shchukina Iuliia"),
        ("Иванова Мария Петровна", "Ivanova Mariia Petrovna"),
        ("Хабибуллин Ренат", "Khabibullin Renat"),
        ("Царёв Фёдор", "Tsarev Fedor"),
        ("Подъячев", "Podieiachev"),
        ("Ёлкин", "Elkin"),
        ("Smith", "Smith"),
    ],
)
def test_transliteration_follows_the_passport_rules(cyrillic, latin):
    assert transliterate(cyrillic) == latin


@pytest.mark.parametrize(
    "spellings",
    [
        ("Юрий", "Yuri", "Iurii", "Jurij", "Yuriy"),
        ("Иванова", "Ivanova", "Iwanowa", "IVANOVA"),
        ("Щукина", "Shchukina"),
        ("Хабибуллин", "Khabibullin", "Habibulin"),
        ("Евгений", "Evgenii", "Yevgeny", "Jewgeni"),
        ("Цой", "Tsoi", "Tsoy"),
        ("Петрова-Водкина", "Petrova Vodkina", "petrova  vodkina"),
        ("Müller", "Muller", "MÜLLER"),
    ],
)
def test_spellings_of_one_name_share_the_key(spellings):
    keys = {search_key(s) for s in spellings}
    assert len(keys) == 1, keys


def test_search_key_joins_parts_with_single_spaces():
    assert search_key("  Иванова ", "", "Мария", "Петровна") == "ivanova maria petrovna"


@given(cyrillic_names)
@example("Подъячев Ёлкин-Щукин")
def test_a_cyrillic_name_and_its_transliteration_have_the_same_key(name):
    assert search_key(name) == search_key(transliterate(name))


@given(any_names)
def test_keys_hold_only_lowercase_latin_letters_and_single_spaces(text):
    assert KEY.fullmatch(search_key(text))


@pytest.mark.parametrize(
    "name",
    [
        "Иванова Мария Петровна",
        "Щукина Юлия",
        "Хабибуллин Ренат Ильдарович",
        "Yevgeny Tsoi",
        "Müller-Lüdenscheidt",
        "Подъячев Ёлкин",
        "Ng Xiaoqing",
        "Жанна Д'Арк",
    ],
)
def test_search_key_is_idempotent_on_keys_of_real_names(name):
    key = search_key(name)
    assert search_key(key) == key


@given(any_names)
@example("КХ")
def test_search_key_is_idempotent_on_its_own_output(text):
    key = search_key(text)
    assert search_key(key) == key


# --- SNILS ----------------------------------------------------------------------------------

checked_bases = (
    st.integers(min_value=SNILS_CHECKED_FROM + 1, max_value=999_999_999)
    .map(lambda n: snils_issuable(f"{n:09d}"))
    .filter(lambda base: int(base) > SNILS_CHECKED_FROM)
)


def with_check(base: str) -> str:
    return base + f"{snils_check_number(base):02d}"


def test_a_published_example_is_valid():
    assert snils_is_valid("112-233-445 95")
    assert snils_digits("112-233-445 95") == "11223344595"
    assert snils_format("11223344595") == "112-233-445 95"
    assert snils_masked("11223344595") == "•••-•••-445 95"


@given(checked_bases)
def test_numbers_built_with_the_check_number_are_valid(base):
    number = with_check(base)
    assert snils_is_valid(number)
    assert snils_is_valid(snils_format(number))


@given(checked_bases, st.integers(0, 1), st.integers(0, 9))
def test_a_changed_check_digit_fails(base, position, digit):
    number = with_check(base)
    assume(number[9 + position] != str(digit))
    changed = number[: 9 + position] + str(digit) + number[10 + position :]
    assert not snils_is_valid(changed)


@given(checked_bases, st.integers(0, 8), st.integers(0, 9))
def test_a_changed_digit_fails_unless_both_check_numbers_are_zero(base, position, digit):
    number = with_check(base)
    assume(number[position] != str(digit))
    changed = number[:position] + str(digit) + number[position + 1 :]
    assume(int(changed[:9]) > SNILS_CHECKED_FROM)
    assume(snils_issuable(changed[:9]) == changed[:9])
    if snils_is_valid(changed):
        # Totals of 100 and 101 (and 201, 202…) all give the check number 00: the only way a
        # one-digit change (which moves the total by at most 81) keeps the check number.
        assert snils_check_number(base) == snils_check_number(changed[:9]) == 0
    else:
        assert snils_check_number(base) != snils_check_number(changed[:9])


@pytest.mark.parametrize(
    "value", ["", "123", "112-233-445 96", "1122334459", "112233445950", "112-233-445 95 xxxxx"]
)
def test_malformed_or_wrong_numbers_are_invalid(value):
    assert not snils_is_valid(value)


def test_numbers_issued_before_the_check_number_are_accepted():
    assert snils_is_valid("001-001-998 00")


@given(checked_bases, st.integers(0, 6), st.integers(0, 9))
def test_zeros_and_a_digit_three_times_in_a_row_were_never_issued(base, start, digit):
    assert snils_problem("00000000000") == "not_issued"
    repeated = base[:start] + str(digit) * 3 + base[start + 3 :]
    assume(int(repeated) > SNILS_CHECKED_FROM)
    assert snils_problem(with_check(repeated)) == "not_issued"
    assert snils_problem(with_check(base)) == ""


def test_a_number_of_the_wrong_length_is_a_matter_of_length():
    assert snils_problem("1122334459") == snils_problem("112233445950") == "length"


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "8 (912) 345-67-89",
        "+7 912 345 67 89",
        "89123456789",
        "79123456789",
        "9123456789",
        " +7(912)3456789 ",
    ],
)
def test_russian_numbers_are_normalised(value):
    assert phone_normalised(value) == "+79123456789"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+49 30 1234567", "+49301234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("", ""),
        ("нет", ""),
    ],
)
def test_other_numbers_keep_their_country_code(value, expected):
    assert phone_normalised(value) == expected


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_every_russian_form_of_a_number_gives_one_value(ten):
    forms = ["8" + ten, "+7" + ten, "7" + ten, ten, f"8 ({ten[:3]}) {ten[3:6]}-{ten[6:]}"]
    assert {phone_normalised(f) for f in forms} == {"+7" + ten}


@given(st.text(alphabet="0123456789 +()-", max_size=20))
def test_normalising_twice_changes_nothing(value):
    once = phone_normalised(value)
    assert phone_normalised(once) == once


def test_an_international_number_starting_with_8_keeps_its_country_code():
    assert phone_normalised("+81 3 1234 5678") == "+81312345678"
