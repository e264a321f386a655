# ruff: noqa: S608 - DuckDB statements are built from this module's constants.
"""The linkage model: Splink 5 on DuckDB, with no Django in it.

Input: a DuckDB table ``people_raw`` with the columns of ``RAW_COLUMNS`` (linkage.py fills it
from the registry). Output: a DuckDB table ``scored_pairs`` (id_l < id_r, probability,
cluster) of the pairs at or above the threshold, ``cluster`` being the smallest id of the
connected component the pair belongs to at that threshold.

Why these settings:

* Names are compared on their folded Latin key (``names.search_key``'s folding, written here in
  SQL), so a record typed in Latin by another system ("Yuriy", "Iurii") meets "Юрий"; and for
  comparing, the spellings of е and ё that the key keeps apart are brought together ("Fyodor",
  "Fiodor", "Fedor"; "Grigoryev", "Grigorev"; "Romanoff", "Romanov": ``sound_sql``). Surname,
  first name and patronymic are compared apart: exact, weighted by how rare the name is (term
  frequency, as Splink's adjustments do); one edit (Damerau-Levenshtein ≤ 1: a typo, a swap of
  neighbours) and two edits, weighted by how rare the commoner of the two spellings is;
  Jaro-Winkler ≥ 0.85; different. Surname and first name typed into each other's field are two
  levels of their own: exactly, or one crossed name the same and the other within three edits
  (or both within one). The masculine and feminine forms of one surname (Ivanov, Ivanova) are a
  level of their own too, so that the one-edit level means a typo.
* A value missing on either side is no evidence either way.
* The date of birth: exact; day and month swapped; one digit; day and month swapped and a digit;
  within a year; different.
* SNILS is unique in the registry, so two live records never share one: in a duplicate pair at
  most one record has it (a level of its own, and strong evidence for a match), while two
  different numbers are strong evidence against.
* The phone and the sex weigh little and tip close calls; the sex says nothing when the first
  names agree (they tell it already).
* The district of the registration address tells a pair whose names are all it shares (a date
  missing on one side) from namesakes, and the house and flat within it (the numbers of the
  address's text) much more: a shared home is counted for as much as it says of two records of
  one family (``_home_u``), not of strangers, since a family lives together. The m of both is
  fixed, since people move.
* Blocking (which pairs are compared at all) keeps a typo in any one field from hiding a pair,
  while the compared pairs grow nearly linearly with the registry: see ``BLOCKING_RULES``.
* Parameters start from fixed priors, which a small registry (a demo, a test) uses as they are.
  From ``TRAIN_MIN_PEOPLE`` records on, u is estimated by random sampling and m by
  expectation-maximisation on two tight blocks (date and first name; date and surname), in
  which true pairs are a large share, so EM converges on duplicates rather than on namesakes;
  the prior probability of a match is then derived from those sessions. The m values of the
  date of birth, SNILS, the sex and the swapped names stay fixed: every training block holds
  the date fixed, SNILS agreement cannot occur, and the tight blocks exclude swapped names, so
  EM would estimate them from a biased sample.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb

from opora.registry.names import FOLD_PHASES, ICAO

RAW_COLUMNS = (
    ("id", "BIGINT"),
    ("external_key", "VARCHAR"),
    ("last_name", "VARCHAR"),
    ("first_name", "VARCHAR"),
    ("patronymic", "VARCHAR"),
    ("birth_date", "DATE"),
    ("sex", "VARCHAR"),
    ("snils", "VARCHAR"),
    ("phone", "VARCHAR"),
    ("email", "VARCHAR"),
    ("district", "VARCHAR"),  # of the registration address
    ("address", "VARCHAR"),  # the registration address's text
)

TRAIN_MIN_PEOPLE = 20_000
U_SAMPLE_PAIRS = 1_000_000
EM_MAX_PAIRS = 2_000_000
SEED = 20261123

ProgressFn = Callable[[str, float], None]  # (phase, share of the scoring done) -> None


# --- Preparing the records --------------------------------------------------------------------


def _collapse_repeats(expr: str) -> str:
    # RE2 has no back-references: collapse each repeated letter (and space) on its own.
    for char in "abcdefghijklmnopqrstuvwxyz ":
        expr = f"regexp_replace({expr}, '{char}{char}+', '{char}', 'g')"
    return expr


def key_sql(column: str) -> str:
    """SQL for ``names.search_key`` of one column: the same folding, step by step."""
    single = {k: v for k, v in ICAO.items() if len(v) == 1}
    multi = {k: v for k, v in ICAO.items() if len(v) != 1}
    expr = f"replace(lower({column}), 'ё', 'е')"
    for cyrillic, latin in multi.items():
        expr = f"replace({expr}, '{cyrillic}', '{latin}')"
    expr = f"translate({expr}, '{''.join(single)}', '{''.join(single.values())}')"
    expr = f"regexp_replace(replace(lower(strip_accents({expr})), '-', ' '), '[^a-z ]', '', 'g')"
    for phase in FOLD_PHASES:  # as names.search_key: collapse, fold, and again
        expr = _collapse_repeats(expr)
        for before, after in phase:
            expr = f"replace({expr}, '{before}', '{after}')"
    expr = _collapse_repeats(expr)
    return f"trim(regexp_replace({expr}, '\\bie', 'e', 'g'))"


def sound_sql(key: str) -> str:
    """A folded key with the spellings of е and ё that the search key keeps apart brought
    together, for comparing records: "fiodor", "fyodor" and "fedor"; "grigoriev" and
    "grigorev"; "semionova" and "semenova"; "romanoff" and "romanov". Both letters are one
    vowel written many ways, and Russian itself writes ё as е."""
    expr = f"replace(replace({key}, 'io', 'e'), 'ie', 'e')"
    return f"regexp_replace({expr}, 'of\\b', 'ov', 'g')"


def _skeleton_sql(key: str) -> str:
    """A name's sound, for blocking: its first letter and then its consonants, each repeat
    once, three at most ("matveyenko" and "matveenko" → "mtv"), so that a vowel typed
    otherwise, a letter doubled or dropped among the vowels, or a slip late in the name keeps
    the pair in one block."""
    rest = f"regexp_replace(substr({key}, 2), '[aeiouy ]', '', 'g')"
    return f"nullif(left(left({key}, 1) || {_collapse_repeats(rest)}, 3), '')"


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[tuple]:
    """Execute and drain (DuckDB refuses new work while a result is unread)."""
    return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(run_sql(con, sql)[0][0])


def create_raw_table(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in RAW_COLUMNS)
    run_sql(con, f"CREATE OR REPLACE TABLE people_raw ({columns})")


def prepare_people(con: duckdb.DuckDBPyConnection) -> int:
    """``people``: one row per record of ``people_raw`` with the columns the model compares."""
    run_sql(con, f"CREATE OR REPLACE MACRO opora_key(s) AS {key_sql('s')}")
    run_sql(con, f"CREATE OR REPLACE MACRO opora_sound(s) AS {sound_sql('s')}")
    run_sql(con, f"CREATE OR REPLACE MACRO opora_masculine(s) AS {GENDER_FORM_SQL}")
    # Names repeat a great deal: fold each distinct spelling once.
    run_sql(
        con,
        """
        CREATE OR REPLACE TEMP TABLE name_keys AS
        SELECT name, nullif(opora_sound(opora_key(name)), '') AS key FROM (
            SELECT last_name AS name FROM people_raw UNION
            SELECT first_name FROM people_raw UNION
            SELECT patronymic FROM people_raw
        ) WHERE name IS NOT NULL
        """,
    )
    run_sql(
        con,
        f"""
        CREATE OR REPLACE TABLE people AS
        SELECT
            *,
            -- Both names by their sound whichever field holds which: a blocking key that a
            -- swap of surname and first name leaves as it is.
            least(surname_sound, forename_sound) || ' ' || greatest(surname_sound, forename_sound)
                AS sounds
        FROM (SELECT
            p.id AS unique_id,
            ln.key AS surname,
            fn.key AS forename,
            pn.key AS patronymic,
            ln.key AS surname_x,
            opora_masculine(ln.key) AS surname_masculine,
            fn.key AS forename_x,
            {_skeleton_sql("ln.key")} AS surname_sound,
            {_skeleton_sql("fn.key")} AS forename_sound,
            left(ln.key, 1) AS surname_initial,
            left(fn.key, 1) AS forename_initial,
            left(ln.key, 2) AS surname_start,
            left(fn.key, 2) AS forename_start,
            p.birth_date,
            strftime(p.birth_date, '%Y%m%d') AS birth_str,
            CASE WHEN day(p.birth_date) <= 12 AND day(p.birth_date) <> month(p.birth_date)
                 THEN make_date(year(p.birth_date), day(p.birth_date), month(p.birth_date))
            END AS birth_swapped,
            CASE WHEN day(p.birth_date) <= 12 AND day(p.birth_date) <> month(p.birth_date)
                 THEN strftime(make_date(year(p.birth_date), day(p.birth_date),
                                         month(p.birth_date)), '%Y%m%d')
            END AS birth_swapped_str,
            year(p.birth_date) AS birth_year,
            strftime(p.birth_date, '%m%d') AS birth_md,
            strftime(p.birth_date, '%Y%m') AS birth_ym,
            nullif(p.sex, '') AS sex,
            nullif(p.snils, '') AS snils,
            nullif(right(regexp_replace(p.phone, '[^0-9]', '', 'g'), 10), '') AS phone,
            nullif(lower(trim(p.email)), '') AS email,
            nullif(p.district, '') AS district,
            nullif(array_to_string(regexp_extract_all(p.address, '[0-9]+'), ' '), '') AS address
        FROM people_raw p
        LEFT JOIN name_keys ln ON ln.name = p.last_name
        LEFT JOIN name_keys fn ON fn.name = p.first_name
        LEFT JOIN name_keys pn ON pn.name = p.patronymic
        )
        """,
    )
    run_sql(con, "DROP TABLE name_keys")
    return _count(con, "SELECT count(*) FROM people")


# --- The model --------------------------------------------------------------------------------


def _level(
    sql: str, label: str, m: float, u: float, *, fix_m: bool = False, fix_u: bool = False
) -> dict[str, Any]:
    return {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
        "fix_m_probability": fix_m,
        "fix_u_probability": fix_u,
    }


# A swap shows in both the surname's and the first name's comparison: each counts half of the
# evidence, so that the pair is not counted twice. Typed exactly into each other's field, the
# two names say about as much as two names that agree (strangers hardly ever have one's surname
# as the other's first name, and the other way round); only resembling each other, less.
SWAPPED_EXACT_U = 2e-4
SWAPPED_M, SWAPPED_U = 0.05, 1.3e-3


def _null(column: str) -> list[dict]:
    """Missing on either side is no evidence either way: the pair is scored on what both
    records hold, so a source that never fills a field neither helps nor hides its pairs."""
    return [
        {
            "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
            "label_for_charts": "missing",
            "is_null_level": True,
        }
    ]


def _swapped(column: str, other: str, *, exact: bool) -> str:
    # Against copies of the other name (``*_x``): Splink does not train a comparison that reads
    # a column of the training block, and the blocks hold the first name or the surname fixed.
    if exact:
        return f"{column}_l = {other}_x_r AND {other}_x_l = {column}_r"
    # Typed into each other's field and mistyped too: both crossed names within two edits, or
    # one the same and the other within three; and the crossed reading closer than the straight.
    # (The cheap tests first: DuckDB leaves the rest of a conjunction out once it fails.)
    a_l, a_r, b_l, b_r = f"{column}_l", f"{other}_x_r", f"{other}_x_l", f"{column}_r"
    crossed_a, crossed_b = _edits(a_l, a_r), _edits(b_l, b_r)
    straight = f"{_edits(a_l, b_r)} + {_edits(b_l, a_r)}"
    return (
        f"(({a_l} = {a_r} AND {_within(b_l, b_r, 3)})"
        f" OR ({b_l} = {b_r} AND {_within(a_l, a_r, 3)})"
        f" OR ({_within(a_l, a_r, 1)} AND {_within(b_l, b_r, 1)}))"
        f" AND {crossed_a} + {crossed_b} < {straight}"
    )


def _edits(left: str, right: str) -> str:
    return f"damerau_levenshtein({left}, {right})"


def _within(left: str, right: str, edits: int) -> str:
    """At most ``edits`` edits apart, the lengths compared first (far cheaper than the
    distance, and enough to rule out most pairs of strangers)."""
    return (
        f"(abs(length({left}) - length({right})) <= {edits} AND {_edits(left, right)} <= {edits})"
    )


FUZZY_TF_WEIGHT = 1.0


# The masculine form of a folded surname: "ivanova" → "ivanov", "mironskaia" → "mironski".
GENDER_FORM_SQL = (
    "regexp_replace(regexp_replace(s, '(sk|ck|c)(aia|ai|a)$', '\\1i'), '(ov|ev|in|yn)a$', '\\1')"
)


def _name(
    column: str,
    *,
    exact_u: float,
    swapped_with: str = "",
    gender_forms: bool = False,
) -> dict[str, Any]:
    swapped = (
        [
            _level(
                _swapped(column, swapped_with, exact=True),
                "surname and first name swapped",
                SWAPPED_M,
                SWAPPED_EXACT_U,
                fix_m=True,
                fix_u=True,
            ),
            _level(
                _swapped(column, swapped_with, exact=False),
                "surname and first name swapped, resembling",
                SWAPPED_M,
                SWAPPED_U,
                fix_m=True,
                fix_u=True,
            ),
        ]
        if swapped_with
        else []
    )
    # The masculine and feminine forms of one surname (Ivanov, Ivanova) are one edit apart,
    # and strangers of either sex share them often: apart from the typos they would make the
    # one-edit level look common among strangers. Two records of one person seldom differ so.
    gender = (
        [
            _level(
                f"{column}_masculine_l = {column}_masculine_r",
                "masculine and feminine forms",
                0.005,
                exact_u,
                fix_m=True,
            )
        ]
        if gender_forms
        else []
    )
    return {
        "output_column_name": column,
        "comparison_levels": [
            *_null(column),
            {
                **_level(f"{column}_l = {column}_r", "exact", 0.88, exact_u),
                # A shared rare name says more than a shared common one.
                "tf_adjustment_column": column,
                "tf_adjustment_weight": 1.0,
            },
            *swapped,
            *gender,
            {
                **_level(
                    _within(f"{column}_l", f"{column}_r", 1),
                    "one edit",
                    0.1,
                    exact_u / 3,
                ),
                "tf_adjustment_column": column,
                "tf_adjustment_weight": FUZZY_TF_WEIGHT,
            },
            {
                **_level(
                    _within(f"{column}_l", f"{column}_r", 2),
                    "two edits",
                    0.03,
                    exact_u / 2,
                ),
                "tf_adjustment_column": column,
                "tf_adjustment_weight": FUZZY_TF_WEIGHT,
            },
            _level(
                f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.85", "similar", 0.01, 0.02
            ),
            _level("ELSE", "different", 0.01, 0.96),
        ],
    }


@dataclass(frozen=True)
class HomeU:
    """How often two records of one family share a home (``apart``), and how often they do
    when their patronymics agree too (``siblings``)."""

    apart: float = 1e-3
    siblings: float = 1e-2


def comparisons(home_u: HomeU | None = None) -> list[dict[str, Any]]:
    home_u = home_u or HomeU()
    return [
        _name("surname", exact_u=0.004, swapped_with="forename", gender_forms=True),
        _name("forename", exact_u=0.03, swapped_with="surname"),
        _name("patronymic", exact_u=0.03),
        {
            "output_column_name": "birth_date",
            "comparison_levels": [
                *_null("birth_date"),
                _level("birth_date_l = birth_date_r", "exact", 0.88, 4e-5, fix_m=True),
                _level(
                    "birth_swapped_l = birth_date_r",
                    "day and month swapped",
                    0.04,
                    2e-5,
                    fix_m=True,
                ),
                _level(
                    # A digit changes the year or the day and month, not both.
                    "(birth_year_l = birth_year_r OR birth_md_l = birth_md_r)"
                    " AND damerau_levenshtein(birth_str_l, birth_str_r) <= 1",
                    "one digit",
                    0.05,
                    1e-3,
                    fix_m=True,
                ),
                # Two slips: day and month swapped, and a digit.
                _level(
                    "birth_year_l = birth_year_r"
                    " AND (damerau_levenshtein(birth_swapped_str_l, birth_str_r) <= 1"
                    " OR damerau_levenshtein(birth_str_l, birth_swapped_str_r) <= 1)",
                    "day and month swapped and a digit",
                    0.01,
                    5e-3,
                    fix_m=True,
                ),
                _level(
                    "abs(date_diff('day', birth_date_l, birth_date_r)) <= 366",
                    "within a year",
                    0.01,
                    0.02,
                    fix_m=True,
                ),
                _level("ELSE", "different", 0.01, 0.98, fix_m=True),
            ],
        },
        {
            "output_column_name": "snils",
            "comparison_levels": [
                *_null("snils"),
                _level("snils_l = snils_r", "exact", 0.01, 1e-7, fix_m=True),
                _level(
                    "(left(snils_l, 5) = left(snils_r, 5) OR right(snils_l, 6) = right(snils_r, 6))"
                    " AND damerau_levenshtein(snils_l, snils_r) <= 1",
                    "one digit",
                    0.01,
                    1e-6,
                    fix_m=True,
                ),
                _level("ELSE", "different", 0.001, 0.92, fix_m=True),
            ],
        },
        {
            "output_column_name": "phone",
            "comparison_levels": [
                *_null("phone"),
                _level("phone_l = phone_r", "exact", 0.75, 1e-4),
                _level("ELSE", "different", 0.25, 1.0),
            ],
        },
        {
            "output_column_name": "email",
            "comparison_levels": [
                *_null("email"),
                _level("email_l = email_r", "exact", 0.9, 1e-6),
                _level("ELSE", "different", 0.1, 1.0),
            ],
        },
        {
            # The district of the registration address: two records of one person usually name
            # the same one, and namesakes seldom do, so it tells apart pairs whose names are all
            # they share (a date missing on one side). People move, and another system may hold
            # the address where they live, so a different district is weak evidence against: m is
            # fixed rather than learnt (a synthetic source that copies the district would teach
            # EM that a move never happens).
            # Within the district, the house and flat: the numbers of the address's text (house,
            # building, flat), which survive another system's way of writing the street. A family
            # shares its home, so how often strangers do says too much: u is how often two records
            # of one family do (``home_u``), and m is fixed like the district's.
            "output_column_name": "district",
            "comparison_levels": [
                *_null("district"),
                _level(
                    "district_l = district_r AND address_l = address_r"
                    " AND patronymic_l = patronymic_r",
                    "same house and flat, and patronymic",
                    0.6,
                    home_u.siblings,
                    fix_m=True,
                    fix_u=True,
                ),
                _level(
                    "district_l = district_r AND address_l = address_r",
                    "same house and flat",
                    0.6,
                    home_u.apart,
                    fix_m=True,
                    fix_u=True,
                ),
                _level("district_l = district_r", "same", 0.2, 0.01, fix_m=True),
                _level("ELSE", "different", 0.2, 0.99, fix_m=True),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_levels": [
                *_null("sex"),
                # First names that agree already tell the sex: it says nothing more then.
                _level(
                    "sex_l = sex_r AND forename_x_l = forename_x_r",
                    "same, and so are the first names",
                    0.5,
                    0.5,
                    fix_m=True,
                    fix_u=True,
                ),
                _level("sex_l = sex_r", "same", 0.98, 0.5, fix_m=True),
                _level("ELSE", "different", 0.02, 0.5, fix_m=True),
            ],
        },
    ]


# Which pairs are compared at all: a pair is compared when any rule holds. Each rule leaves out
# a different field, so that no one error (a typo, a missing or mistyped date, another
# spelling, names typed into each other's field) keeps a pair apart, while the compared pairs
# grow nearly linearly with the registry.
BLOCKING_RULES = [
    # The date with one of the names: a typo, another spelling or no value in the other names.
    "l.birth_date = r.birth_date AND l.forename = r.forename",
    "l.birth_date = r.birth_date AND l.surname = r.surname",
    "l.birth_date = r.birth_date AND l.patronymic = r.patronymic",
    # The date with one name's first letter: both names mistyped, the other's first letter too.
    "l.birth_date = r.birth_date AND l.surname_initial = r.surname_initial",
    "l.birth_date = r.birth_date AND l.forename_initial = r.forename_initial",
    # Surname and first name typed into each other's field: the date, or the other name, holds;
    # or the date and the names' first letters crossed, when a swapped name is mistyped too.
    "l.birth_date = r.birth_date AND l.surname = r.forename",
    "l.birth_date = r.birth_date AND l.forename = r.surname",
    "l.surname = r.forename AND l.forename = r.surname",
    "l.birth_date = r.birth_date AND l.surname_initial = r.forename_initial"
    " AND l.forename_initial = r.surname_initial",
    # Day and month transposed.
    "l.birth_swapped = r.birth_date AND l.forename = r.forename",
    "l.birth_swapped = r.birth_date AND l.surname = r.surname",
    # A mistyped date, and perhaps a mistyped name: one name, the other's first letter, and
    # the part of the date a one-digit slip leaves (the year and month, or the day and month);
    # or both names by their sound (in either field) with the year.
    "l.forename = r.forename AND l.surname_initial = r.surname_initial AND l.birth_ym = r.birth_ym",
    "l.surname = r.surname AND l.forename_initial = r.forename_initial AND l.birth_ym = r.birth_ym",
    "l.forename = r.forename AND l.surname_initial = r.surname_initial AND l.birth_md = r.birth_md",
    "l.surname = r.surname AND l.forename_initial = r.forename_initial AND l.birth_md = r.birth_md",
    "l.sounds = r.sounds AND l.birth_year = r.birth_year",
    # Whatever the date (missing, or mistyped more than once): both names by their sound in
    # the same district, or against the few records without a date.
    "l.sounds = r.sounds AND l.district = r.district",
    "l.sounds = r.sounds AND l.birth_date IS NULL",
    "l.sounds = r.sounds AND r.birth_date IS NULL",
    # A typo that changes a name's sound, and no date on one side: one name, and the other's
    # first two letters, in the same district.
    "l.forename = r.forename AND l.surname_start = r.surname_start AND l.district = r.district"
    " AND (l.birth_date IS NULL OR r.birth_date IS NULL)",
    "l.surname = r.surname AND l.forename_start = r.forename_start AND l.district = r.district"
    " AND (l.birth_date IS NULL OR r.birth_date IS NULL)",
    # A typo in a name and a digit of the date: both names' first letters in the same district
    # with the year, or with the day and month.
    "l.district = r.district AND l.birth_year = r.birth_year"
    " AND l.surname_initial = r.surname_initial AND l.forename_initial = r.forename_initial",
    "l.district = r.district AND l.birth_md = r.birth_md"
    " AND l.surname_initial = r.surname_initial AND l.forename_initial = r.forename_initial",
    # One home (the district and the house and flat), whatever the date: one name, in its own
    # field or in the other's, so that a first letter mistyped in the other keeps the pair.
    # (Not the home alone: a hostel or a care home may be the address of hundreds.)
    "l.district = r.district AND l.address = r.address AND l.surname = r.surname",
    "l.district = r.district AND l.address = r.address AND l.forename = r.forename",
    "l.district = r.district AND l.address = r.address AND l.surname = r.forename",
    "l.district = r.district AND l.address = r.address AND l.forename = r.surname",
    # Identifiers, whatever the names and the date say.
    "l.snils = r.snils",
    "l.email = r.email",
    "l.phone = r.phone",
]

# Pairs of near certainty that need no one field in particular (no patronymic, no SNILS): they
# give the floor of the prior probability of a match, and its first estimate.
DETERMINISTIC_RULES = [
    "l.surname = r.surname AND l.forename = r.forename AND l.birth_date = r.birth_date",
    "l.snils = r.snils",
    "l.email = r.email",
]
# The share of true pairs the rules above are taken to find, for the first estimate only: the
# estimate is then refined from the scored pairs themselves (``_refined_prior``).
DETERMINISTIC_RECALL = 0.5

# Tight blocks: duplicates are a large share of their pairs, so EM converges on duplicates
# rather than on families (same surname and patronymic) or namesakes.
EM_RULES = [
    "l.birth_date = r.birth_date AND l.forename = r.forename",
    "l.birth_date = r.birth_date AND l.surname = r.surname",
]


def settings_dict(prior: float, home_u: HomeU | None = None) -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons(home_u),
        "blocking_rules_to_generate_predictions": BLOCKING_RULES,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.001,
    }


@dataclass
class Scored:
    people: int
    pairs: int  # at or above the threshold
    clusters: int  # connected components of two or more records
    trained: bool
    prior: float
    rejected_training: str = ""  # why the estimates were set aside for the priors
    timings: dict[str, float] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)


def _log_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))


@dataclass(frozen=True)
class Prior:
    """The prior probability of a match: ``floor`` counts only the near-certain pairs, ``first``
    scales them up by the rules' assumed recall."""

    floor: float
    first: float


def _deterministic_prior(con: duckdb.DuckDBPyConnection, people: int) -> Prior:
    found = _count(
        con,
        "SELECT count(*) FROM ("
        + " UNION ".join(
            "SELECT l.unique_id, r.unique_id FROM people l JOIN people r"
            f" ON ({rule}) AND l.unique_id < r.unique_id"
            for rule in DETERMINISTIC_RULES
        )
        + ")",
    )
    total = people * (people - 1) / 2
    floor = min(max(found, 1) / total, 0.5)
    return Prior(floor=floor, first=min(floor / DETERMINISTIC_RECALL, 0.5))


def _pairs(group: str, where: str = "TRUE") -> str:
    """SQL for the number of pairs of ``people`` that agree on the columns of ``group``."""
    return (
        f"(SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM"
        f" (SELECT count(*) AS n FROM people WHERE {where} GROUP BY {group}))"
    )


def _home_u(con: duckdb.DuckDBPyConnection) -> HomeU:
    """The u of sharing a home, measured on the registry: of the pairs with one surname (in
    either form) and first names of different initials, which are nearly never one person,
    the share that name the same house and flat; and of those whose patronymics agree too
    (brothers and sisters). Never below the chance of two records sharing a home (one in the
    number of homes)."""
    family = "surname_masculine IS NOT NULL AND forename IS NOT NULL"
    home = "district IS NOT NULL AND address IS NOT NULL"
    siblings = "patronymic IS NOT NULL"

    def share(where: str, columns: str) -> str:
        where_home = f"{where} AND {home}"
        at_home = (
            f"{_pairs(f'{columns}, district, address', where_home)}"
            f" - {_pairs(f'{columns}, district, address, left(forename, 1)', where_home)}"
        )
        pairs = f"{_pairs(columns, where)} - {_pairs(f'{columns}, left(forename, 1)', where)}"
        return f"{at_home}, {pairs}"

    row = run_sql(
        con,
        f"SELECT {share(family, 'surname_masculine')},"
        f" {share(f'{family} AND {siblings}', 'surname_masculine, patronymic')},"
        f" (SELECT count(DISTINCT (district, address)) FROM people WHERE {home})",
    )[0]
    apart_home, apart, siblings_home, siblings_pairs, homes = (float(v) for v in row)
    if not homes:
        return HomeU()
    chance = 1 / homes

    def u(at_home: float, pairs: float, default: float) -> float:
        return min(max(at_home / pairs if pairs else default, chance), 0.5)

    apart_u = u(apart_home, apart, HomeU.apart)
    return HomeU(apart=apart_u, siblings=max(u(siblings_home, siblings_pairs, apart_u), apart_u))


PRIOR_ROUNDS = 30


def _refined_prior(
    con: duckdb.DuckDBPyConnection, predictions: str, scored_with: float, people: int, floor: float
) -> float:
    """The prior that agrees with the scores it gives: expectation-maximisation of the prior
    alone, m and u held, over the scored pairs (those left out of the blocks or below the
    cut weigh next to nothing). Never below the near-certain pairs' share."""
    total = people * (people - 1) / 2
    evidence = f"match_weight - {_log_odds(scored_with)!r}"  # the pairs' Bayes factors, log2
    prior = scored_with
    for _round in range(PRIOR_ROUNDS):
        expected = float(
            run_sql(
                con,
                f"SELECT coalesce(sum(1 / (1 + pow(2, -({evidence} + ?)))), 0) FROM {predictions}",
                [_log_odds(prior)],
            )[0][0]
        )
        estimate = min(max(expected / total, floor), 0.5)
        if abs(math.log(estimate / prior)) < 0.001:
            return estimate
        prior = estimate
    return prior


def _parameters(linker: Any) -> dict[str, Any]:
    """The model's m and u by comparison and level, for the run's record."""
    out: dict[str, Any] = {}
    for comparison in linker._settings_obj.comparisons:
        levels = {}
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            m, u = level.m_probability, level.u_probability
            levels[level.label_for_charts] = {
                "m": float(f"{m:.4g}") if isinstance(m, int | float) else None,
                "u": float(f"{u:.4g}") if isinstance(u, int | float) else None,
            }
        out[comparison.output_column_name] = levels
    return out


PLAUSIBLE_PRIOR_RATIO = 20.0


def _implausible(parameters: dict[str, Any], prior: float, floor: float) -> str:
    """Why the trained model is not to be trusted (EM on too little data can converge on
    anything), or "" when it looks sound. The surname and the first name are always there to
    check; the patronymic may be missing from a whole source, and is not."""
    if prior > floor * PLAUSIBLE_PRIOR_RATIO:
        return (
            f"the probability of a match came out as {prior:.3g}, more than"
            f" {PLAUSIBLE_PRIOR_RATIO:g} times the {floor:.3g} of the near-certain pairs"
        )
    for name in ("surname", "forename"):
        levels = parameters.get(name, {})
        exact, different = levels.get("exact", {}).get("m"), levels.get("different", {}).get("m")
        if exact is None or different is None or exact <= different:
            return f"duplicates came out as disagreeing on the {name} more often than agreeing"
    return ""


@contextlib.contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink reports to its loggers and warns about levels a small sample lacks; a run's
    progress is reported by the caller instead."""
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_logger.setLevel(level)


def score(
    con: duckdb.DuckDBPyConnection,
    *,
    threshold: float,
    train: bool | None = None,
    progress: ProgressFn | None = None,
) -> Scored:
    """Score the pairs of ``people`` and cluster them, leaving ``scored_pairs`` in ``con``."""
    report = progress or (lambda phase, share: None)
    timings: dict[str, float] = {}
    started = time.monotonic()

    def lap(name: str) -> None:
        nonlocal started
        now = time.monotonic()
        timings[name] = round(now - started, 2)
        started = now

    people = _count(con, "SELECT count(*) FROM people")
    run_sql(
        con,
        "CREATE OR REPLACE TABLE scored_pairs"
        " (id_l BIGINT, id_r BIGINT, probability DOUBLE, cluster BIGINT)",
    )
    if people < 2:
        return Scored(people=people, pairs=0, clusters=0, trained=False, prior=0.0)
    train = people >= TRAIN_MIN_PEOPLE if train is None else train
    report("prior", 0.0)
    deterministic = _deterministic_prior(con, people)
    home_u = _home_u(con)
    lap("prior")

    from splink import DuckDBAPI, Linker

    def fresh_linker() -> Any:
        return Linker(
            DuckDBAPI(connection=con).register("people"),
            settings_dict(deterministic.first, home_u),
            log_level=None,
        )

    def predict(linker: Any) -> tuple[Any, float]:
        """The pairs whose evidence is at least a quarter for a match, and the prior refined
        on them."""
        frame = linker.inference.predict(
            threshold_match_weight=_log_odds(deterministic.first) - 2, warning_mode="never"
        )
        refined = _refined_prior(
            con, frame.physical_name, deterministic.first, people, deterministic.floor
        )
        return frame, refined

    rejected = ""
    with _quiet_splink():
        linker = fresh_linker()
        if train:
            report("u", 0.05)
            linker.training.estimate_u_using_random_sampling(
                max_pairs=U_SAMPLE_PAIRS, seed=SEED, min_count_per_level=None
            )
            lap("estimate_u")
            for index, rule in enumerate(EM_RULES):
                report("em", 0.4 + 0.1 * index)
                # The prior is not taken from these sessions: it comes from the scored pairs.
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    estimate_without_term_frequencies=True,
                    max_pairs=EM_MAX_PAIRS,
                    populate_probability_two_random_records_match_from_trained_values=False,
                )
            lap("em")
        report("predict", 0.6)
        predictions, prior = predict(linker)
        if train:
            rejected = _implausible(_parameters(linker), prior, deterministic.floor)
            if rejected:
                predictions.drop_table_from_database_and_remove_from_cache()
                linker, train = fresh_linker(), False
                predictions, prior = predict(linker)
        lap("predict")
        report("cluster", 0.9)
        # The scores were computed with the first prior; the refined one shifts every pair's
        # log-odds by the same amount, so the threshold moves instead of the scores.
        shift = _log_odds(prior) - _log_odds(deterministic.first)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_weight=_log_odds(threshold) - shift
        )
    run_sql(
        con,
        f"""
        INSERT INTO scored_pairs
        WITH c AS (
            SELECT unique_id, min(unique_id) OVER (PARTITION BY cluster_id) AS cluster
            FROM {clusters.physical_name}
        ), p AS (
            SELECT unique_id_l, unique_id_r, 1 / (1 + pow(2, -(match_weight + ?))) AS probability
            FROM {predictions.physical_name}
        )
        SELECT least(p.unique_id_l, p.unique_id_r), greatest(p.unique_id_l, p.unique_id_r),
               p.probability, c.cluster
        FROM p JOIN c ON c.unique_id = p.unique_id_l
        WHERE p.probability >= ?
        """,
        [shift, float(threshold)],
    )
    for frame in (predictions, clusters):
        frame.drop_table_from_database_and_remove_from_cache()
    lap("cluster")
    return Scored(
        people=people,
        pairs=_count(con, "SELECT count(*) FROM scored_pairs"),
        clusters=_count(con, "SELECT count(DISTINCT cluster) FROM scored_pairs"),
        trained=bool(train),
        prior=prior,
        rejected_training=rejected,
        timings=timings,
        parameters=_parameters(linker),
    )
