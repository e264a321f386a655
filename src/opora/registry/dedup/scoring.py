# ruff: noqa: S608 - DuckDB statements are built from this module's constants.
"""The linkage model: Splink 5 on DuckDB, with no Django in it.

Input: a DuckDB table ``people_raw`` with the columns of ``RAW_COLUMNS`` (linkage.py fills it
from the registry). Output: a DuckDB table ``scored_pairs`` (id_l < id_r, probability,
cluster) of the pairs at or above the threshold, ``cluster`` being the smallest id of the
connected component the pair belongs to at that threshold.

Why these settings:

* Names are compared on their folded Latin key (``names.search_key``'s folding, written here in
  SQL), so a record typed in Latin by another system ("Yuriy", "Iurii") meets "Юрий". Surname,
  first name and patronymic are compared apart: exact; one edit (Damerau-Levenshtein ≤ 1: a
  typo, a swap of neighbours); two edits; Jaro-Winkler ≥ 0.85; different. Surname and first
  name typed into each other's field is a level of its own.
* A patronymic missing on one side is a level of its own (a record from another system often
  lacks it), estimated like the others; missing on both sides is no evidence.
* The date of birth: exact; day and month swapped; one digit; within a year; different.
* SNILS is unique in the registry, so two live records never share one: in a duplicate pair at
  most one record has it (a level of its own, and strong evidence for a match), while two
  different numbers are strong evidence against.
* The phone and the sex weigh little and tip close calls.
* Blocking (which pairs are compared at all) keeps a typo in any one field from hiding a pair,
  while the compared pairs grow nearly linearly with the registry: exact date of birth with
  the first name, the surname or the patronymic; the date with the surname in the first-name
  field; the date with day and month swapped and the first name; surname, first name and year
  of birth; surname, patronymic and year; surname, first name and day and month; SNILS; phone
  with the first name.
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
)

TRAIN_MIN_PEOPLE = 20_000
U_SAMPLE_PAIRS = 2_000_000
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
    # Names repeat a great deal: fold each distinct spelling once.
    run_sql(
        con,
        """
        CREATE OR REPLACE TEMP TABLE name_keys AS
        SELECT name, nullif(opora_key(name), '') AS key FROM (
            SELECT last_name AS name FROM people_raw UNION
            SELECT first_name FROM people_raw UNION
            SELECT patronymic FROM people_raw
        ) WHERE name IS NOT NULL
        """,
    )
    run_sql(
        con,
        """
        CREATE OR REPLACE TABLE people AS
        SELECT
            p.id AS unique_id,
            ln.key AS surname,
            fn.key AS forename,
            pn.key AS patronymic,
            ln.key AS surname_x,
            fn.key AS forename_x,
            p.birth_date,
            strftime(p.birth_date, '%Y%m%d') AS birth_str,
            CASE WHEN day(p.birth_date) <= 12 AND day(p.birth_date) <> month(p.birth_date)
                 THEN make_date(year(p.birth_date), day(p.birth_date), month(p.birth_date))
            END AS birth_swapped,
            year(p.birth_date) AS birth_year,
            strftime(p.birth_date, '%m%d') AS birth_md,
            nullif(p.sex, '') AS sex,
            nullif(p.snils, '') AS snils,
            nullif(right(regexp_replace(p.phone, '[^0-9]', '', 'g'), 10), '') AS phone
        FROM people_raw p
        LEFT JOIN name_keys ln ON ln.name = p.last_name
        LEFT JOIN name_keys fn ON fn.name = p.first_name
        LEFT JOIN name_keys pn ON pn.name = p.patronymic
        """,
    )
    run_sql(con, "DROP TABLE name_keys")
    return _count(con, "SELECT count(*) FROM people")


# --- The model --------------------------------------------------------------------------------


def _level(sql: str, label: str, m: float, u: float, *, fix_m: bool = False) -> dict[str, Any]:
    return {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
        "fix_m_probability": fix_m,
    }


def _null(column: str, *, one_missing: tuple[float, float] | None = None) -> list[dict]:
    """Missing on either side is no evidence; or, with ``one_missing`` (m, u), missing on one
    side only is a level of its own and missing on both is no evidence."""
    if one_missing is None:
        return [
            {
                "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
                "label_for_charts": "missing",
                "is_null_level": True,
            }
        ]
    return [
        {
            "sql_condition": f"{column}_l IS NULL AND {column}_r IS NULL",
            "label_for_charts": "missing",
            "is_null_level": True,
        },
        _level(f"{column}_l IS NULL OR {column}_r IS NULL", "missing on one side", *one_missing),
    ]


def _swapped(column: str, other: str) -> str:
    # Against copies of the other name (``*_x``): Splink does not train a comparison that reads
    # a column of the training block, and the blocks hold the first name or the surname fixed.
    return (
        f"jaro_winkler_similarity({column}_l, {other}_x_r) >= 0.9"
        f" AND jaro_winkler_similarity({other}_x_l, {column}_r) >= 0.9"
    )


def _name(
    column: str,
    *,
    exact_u: float,
    swapped_with: str = "",
    one_missing: tuple[float, float] | None = None,
) -> dict[str, Any]:
    swapped = (
        [
            _level(
                _swapped(column, swapped_with),
                "surname and first name swapped",
                0.05,
                1e-5,
                fix_m=True,
            )
        ]
        if swapped_with
        else []
    )
    return {
        "output_column_name": column,
        "comparison_levels": [
            *_null(column, one_missing=one_missing),
            _level(f"{column}_l = {column}_r", "exact", 0.88, exact_u),
            *swapped,
            _level(
                f"damerau_levenshtein({column}_l, {column}_r) <= 1",
                "one edit",
                0.06,
                exact_u / 3,
            ),
            _level(
                f"damerau_levenshtein({column}_l, {column}_r) <= 2",
                "two edits",
                0.03,
                exact_u / 2,
            ),
            _level(
                f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.85", "similar", 0.01, 0.02
            ),
            _level("ELSE", "different", 0.02, 0.96),
        ],
    }


COMPARISONS: list[dict[str, Any]] = [
    _name("surname", exact_u=0.004, swapped_with="forename"),
    _name("forename", exact_u=0.03, swapped_with="surname"),
    _name("patronymic", exact_u=0.03, one_missing=(0.2, 0.06)),
    {
        "output_column_name": "birth_date",
        "comparison_levels": [
            *_null("birth_date"),
            _level("birth_date_l = birth_date_r", "exact", 0.88, 4e-5, fix_m=True),
            _level(
                "birth_swapped_l = birth_date_r", "day and month swapped", 0.05, 2e-5, fix_m=True
            ),
            _level(
                "damerau_levenshtein(birth_str_l, birth_str_r) <= 1",
                "one digit",
                0.03,
                1e-3,
                fix_m=True,
            ),
            _level(
                "abs(date_diff('day', birth_date_l, birth_date_r)) <= 366",
                "within a year",
                0.02,
                0.02,
                fix_m=True,
            ),
            _level("ELSE", "different", 0.02, 0.98, fix_m=True),
        ],
    },
    {
        "output_column_name": "snils",
        "comparison_levels": [
            *_null("snils", one_missing=(0.97, 0.08)),
            _level("snils_l = snils_r", "exact", 0.01, 1e-7, fix_m=True),
            _level(
                "damerau_levenshtein(snils_l, snils_r) <= 1", "one digit", 0.01, 1e-6, fix_m=True
            ),
            _level("ELSE", "different", 0.003, 0.92, fix_m=True),
        ],
    },
    {
        "output_column_name": "phone",
        "comparison_levels": [
            *_null("phone", one_missing=(0.3, 0.4)),
            _level("phone_l = phone_r", "exact", 0.6, 1e-4),
            _level("ELSE", "different", 0.2, 0.6),
        ],
    },
    {
        "output_column_name": "sex",
        "comparison_levels": [
            *_null("sex"),
            _level("sex_l = sex_r", "same", 0.98, 0.5, fix_m=True),
            _level("ELSE", "different", 0.02, 0.5, fix_m=True),
        ],
    },
]

BLOCKING_RULES = [
    "l.birth_date = r.birth_date AND l.forename = r.forename",
    "l.birth_date = r.birth_date AND l.surname = r.surname",
    "l.birth_date = r.birth_date AND l.patronymic = r.patronymic",
    "l.birth_date = r.birth_date AND l.surname = r.forename",
    "l.birth_swapped = r.birth_date AND l.forename = r.forename",
    "l.surname = r.surname AND l.forename = r.forename AND l.birth_year = r.birth_year",
    "l.surname = r.surname AND l.patronymic = r.patronymic AND l.birth_year = r.birth_year",
    "l.surname = r.surname AND l.forename = r.forename AND l.birth_md = r.birth_md",
    "l.snils = r.snils",
    "l.phone = r.phone AND l.forename = r.forename",
]

# Rules of near certainty, for the prior probability of a match when there is no training.
DETERMINISTIC_RULES = [
    "l.surname = r.surname AND l.forename = r.forename AND l.patronymic = r.patronymic"
    " AND l.birth_date = r.birth_date",
    "l.snils = r.snils",
]
DETERMINISTIC_RECALL = 0.6

# Tight blocks: duplicates are a large share of their pairs, so EM converges on duplicates
# rather than on families (same surname and patronymic) or namesakes.
EM_RULES = [
    "l.birth_date = r.birth_date AND l.forename = r.forename",
    "l.birth_date = r.birth_date AND l.surname = r.surname",
]


def settings_dict(prior: float) -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": COMPARISONS,
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


def _deterministic_prior(con: duckdb.DuckDBPyConnection, people: int) -> float:
    """Pairs found by near-certain rules, scaled up by their recall, over all pairs."""
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
    prior = (max(found, 1) / DETERMINISTIC_RECALL) / total
    return min(max(prior, 1e-9), 0.5)


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


def _implausible(parameters: dict[str, Any], trained_prior: float, prior: float) -> str:
    """Why the trained model is not to be trusted (EM on too little data can converge on
    anything), or "" when it looks sound."""
    if not prior / PLAUSIBLE_PRIOR_RATIO <= trained_prior <= prior * PLAUSIBLE_PRIOR_RATIO:
        return (
            f"the probability of a match came out as {trained_prior:.3g}, against"
            f" {prior:.3g} from the exact matches"
        )
    for name in ("surname", "forename", "patronymic"):
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
    prior = _deterministic_prior(con, people)
    lap("prior")

    from splink import DuckDBAPI, Linker

    def fresh_linker() -> Any:
        return Linker(
            DuckDBAPI(connection=con).register("people"), settings_dict(prior), log_level=None
        )

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
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    estimate_without_term_frequencies=True,
                    max_pairs=EM_MAX_PAIRS,
                    populate_probability_two_random_records_match_from_trained_values=(
                        index == len(EM_RULES) - 1
                    ),
                )
            trained_prior = float(linker._settings_obj._probability_two_random_records_match)
            rejected = _implausible(_parameters(linker), trained_prior, prior)
            if rejected:
                linker, train = fresh_linker(), False
            else:
                prior = trained_prior
            lap("em")
        report("predict", 0.6)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        lap("predict")
        report("cluster", 0.9)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
    run_sql(
        con,
        f"""
        INSERT INTO scored_pairs
        WITH c AS (
            SELECT unique_id, min(unique_id) OVER (PARTITION BY cluster_id) AS cluster
            FROM {clusters.physical_name}
        )
        SELECT least(p.unique_id_l, p.unique_id_r), greatest(p.unique_id_l, p.unique_id_r),
               p.match_probability, c.cluster
        FROM {predictions.physical_name} p JOIN c ON c.unique_id = p.unique_id_l
        WHERE p.match_probability >= ?
        """,
        [float(threshold)],
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
