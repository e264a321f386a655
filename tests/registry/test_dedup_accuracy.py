"""The linkage model on two generators of people with known duplicates: ours (``synth``) and an
independent one with other habits (Latin names, few patronymics, missing dates, transposed
days and months, swapped names). Scored in DuckDB straight from the generators' rows, at the
default threshold; and what blocking, missing fields and training must do whatever the data."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from opora.demo.population import TRUTH_COLUMNS, generate
from opora.demo.population.independent import generate_independent
from opora.registry.dedup import linkage, scoring
from opora.registry.dedup.services import DEFAULT_THRESHOLD

AS_OF = dt.date(2026, 6, 1)


def _raw(number: int, row: Sequence[str]) -> tuple[Any, ...]:
    """A row of ``people.csv`` as the registry would hand it to the model (``people_raw``)."""
    key, last, first, patronymic, sex, birth, snils, phone, email, district = row[:10]
    address = row[10] if len(row) > 10 else ""
    return (
        number,
        key,
        last,
        first,
        patronymic or None,
        dt.datetime.strptime(birth, "%d.%m.%Y").date() if birth else None,
        sex,
        re.sub(r"\D", "", snils) or None,
        phone,
        email,
        district or None,
        address or None,
    )


def load(con: duckdb.DuckDBPyConnection, rows: Sequence[Sequence[str]]) -> None:
    scoring.create_raw_table(con)
    marks = ", ".join("?" * len(scoring.RAW_COLUMNS))
    con.executemany(
        f"INSERT INTO people_raw VALUES ({marks})",  # noqa: S608
        [_raw(number, row) for number, row in enumerate(rows, 1)],
    )
    scoring.prepare_people(con)


def measure(
    rows: Sequence[Sequence[str]], truth: Sequence[Sequence[str]], workdir: Path, **options: Any
) -> tuple[scoring.Scored, dict[str, Any]]:
    con = duckdb.connect()
    load(con, rows)
    scored = scoring.score(con, threshold=DEFAULT_THRESHOLD, **options)
    path = workdir / "truth.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([TRUTH_COLUMNS, *truth])
    evaluation = linkage.evaluate(con, path)
    precision, recall = evaluation["precision"], evaluation["recall"]
    evaluation["f1"] = 2 * precision * recall / (precision + recall)
    return scored, evaluation


def ours(people: int, seed: int) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    rows: list[tuple[str, ...]] = []
    truth: list[tuple[str, ...]] = []
    for chunk in generate(people, seed=seed, as_of=AS_OF):
        rows += chunk.people
        truth += chunk.truth
    return rows, truth


GENERATORS = {
    "ours": ours,
    "independent": lambda people, seed: generate_independent(people, seed=seed),
}


# --- Accuracy ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generator", "min_f1"),
    [
        # Measured at 4,000 records: ours F1 1.0; independent F1 0.98 (precision 0.99, recall
        # 0.97). What is still missed is mostly a pair whose date is missing on one side with
        # nothing but the names and the district shared (docs/registry.md, "Measured").
        ("ours", 0.95),
        ("independent", 0.95),
    ],
)
def test_the_model_finds_the_duplicates_of_each_generator(generator, min_f1, tmp_path):
    rows, truth = GENERATORS[generator](4000, 11)
    scored, evaluation = measure(rows, truth, tmp_path)
    assert evaluation["precision"] >= 0.98, evaluation
    assert evaluation["f1"] >= min_f1, evaluation
    assert scored.trained is False  # a registry this small keeps the fixed priors


def test_the_prior_is_estimated_from_the_scored_pairs_without_patronymics(tmp_path):
    """The independent records carry almost no patronymic, so a prior counted from rules
    that need one collapsed; the estimate is now within a factor of the truth."""
    rows, truth = generate_independent(3000, seed=5)
    scored, evaluation = measure(rows, truth, tmp_path)
    true_share = evaluation["true_pairs"] / (len(rows) * (len(rows) - 1) / 2)
    assert true_share / 2 <= scored.prior <= true_share * 2, (scored.prior, true_share)


# --- Missing fields ---------------------------------------------------------------------------

COLUMNS = ("external_key", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils")
PERSON = ("K", "Смирнова", "Ольга", "Петровна", "F", "12.05.1961", "")
OTHER_PHONE = "+7 916 7654321"


def _variant(
    key: str,
    phone: str = "+7 916 1234567",
    district: str = "tverskoy",
    address: str = "",
    **changes: str,
) -> tuple[str, ...]:
    """PERSON under ``key``, with ``changes``; no email."""
    fields = dict(zip(COLUMNS, PERSON, strict=True))
    fields.update(changes, external_key=key)
    return (*fields.values(), phone, "", district, address)


def _probabilities(rows: Sequence[Sequence[str]]) -> dict[tuple[str, str], float]:
    """Every scored pair of ``rows`` (keys), at a threshold low enough to keep them all."""
    con = duckdb.connect()
    load(con, rows)
    scoring.score(con, threshold=0.5)
    return {
        (a, b): p
        for a, b, p in scoring.run_sql(
            con,
            "SELECT l.external_key, r.external_key, s.probability FROM scored_pairs s"
            " JOIN people_raw l ON l.id = s.id_l JOIN people_raw r ON r.id = s.id_r",
        )
    }


def test_a_field_missing_on_one_side_contributes_nothing():
    """A pair whose only difference is a patronymic missing on one side scores as a pair
    where both lack it; a date missing on one side as a date missing on both; and the pairs
    are found."""
    background, _truth = generate_independent(400, seed=3)
    rows = [
        *background,
        _variant("A1"),
        _variant("A2", patronymic=""),
        _variant("B1", patronymic=""),
        _variant("B2", patronymic=""),
        _variant("C1", phone=OTHER_PHONE),
        _variant("C2", phone=OTHER_PHONE, birth_date=""),
        _variant("E1", phone=OTHER_PHONE, birth_date=""),
        _variant("E2", phone=OTHER_PHONE, birth_date=""),
    ]
    scored = _probabilities(rows)
    assert scored[("A1", "A2")] == pytest.approx(scored[("B1", "B2")], abs=1e-9)
    assert scored[("C1", "C2")] == pytest.approx(scored[("E1", "E2")], abs=1e-9)
    assert min(scored[("A1", "A2")], scored[("C1", "C2")]) >= DEFAULT_THRESHOLD


# --- Blocking ---------------------------------------------------------------------------------


def _blocked(left: tuple[str, ...], right: tuple[str, ...]) -> list[str]:
    """The blocking rules under which the two records are compared at all."""
    con = duckdb.connect()
    load(con, [left, right])
    pair = "SELECT count(*) FROM people l JOIN people r ON l.unique_id = 1 AND r.unique_id = 2"
    return [
        rule
        for rule in scoring.BLOCKING_RULES
        if scoring.run_sql(con, f"{pair} WHERE {rule}")[0][0]
    ]


SNILS = "112-233-445 95"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"last_name": "Smirnova", "first_name": "Olga"}, id="both names in Latin"),
        pytest.param({"last_name": "Смирновва", "first_name": "Ольгя"}, id="both names mistyped"),
        pytest.param({"birth_date": ""}, id="date missing on one side"),
        pytest.param({"birth_date": "12.05.1967"}, id="year mistyped"),
        pytest.param({"birth_date": "19.05.1961", "last_name": "Смирнва"}, id="day and surname"),
        pytest.param({"birth_date": "05.12.1961"}, id="day and month transposed"),
        pytest.param({"last_name": "Ольга", "first_name": "Смирнова"}, id="names swapped"),
        pytest.param(
            {"last_name": "Ольга", "first_name": "Шмирнова"}, id="names swapped, one mistyped"
        ),
        pytest.param(
            {"last_name": "Тмирнова", "birth_date": "12.05.1967"},
            id="first letter of the surname and a digit of the date",
        ),
        pytest.param(
            {"last_name": "Смиронва", "first_name": "Olga", "birth_date": ""},
            id="date missing, the surname's sound changed",
        ),
        pytest.param(
            {"last_name": "Ольга", "first_name": "Смирнова", "birth_date": ""},
            id="names swapped, date missing",
        ),
        pytest.param(
            {"last_name": "Петрова", "first_name": "Мария", "birth_date": "", "snils": SNILS},
            id="only the SNILS",
        ),
    ],
)
def test_blocking_compares_a_pair_whatever_one_error(changes):
    assert _blocked(_variant("O", snils=SNILS), _variant("D", **changes)), changes


def test_blocking_leaves_strangers_apart():
    stranger = _variant("S", last_name="Котова", first_name="Анна", birth_date="01.01.1990")
    assert _blocked(_variant("O", phone=""), stranger) == []


# --- Training ---------------------------------------------------------------------------------


def test_training_works_on_the_independent_generator(tmp_path, monkeypatch):
    """The training used to be refused on such data (its check compared against a collapsed
    prior); it is kept now, and finds as much as the fixed priors do."""
    monkeypatch.setattr(scoring, "U_SAMPLE_PAIRS", 300_000)
    rows, truth = generate_independent(4000, seed=11)
    scored, evaluation = measure(rows, truth, tmp_path, train=True)
    assert scored.trained is True, scored.rejected_training
    assert scored.rejected_training == ""
    assert evaluation["precision"] >= 0.98, evaluation
    assert evaluation["f1"] >= 0.92, evaluation
    # What training learnt from these data: their names are mistyped more than the priors say.
    assert scored.parameters["surname"]["one edit"]["m"] > 0.1


def test_a_trained_model_that_contradicts_itself_is_set_aside():
    sound = {"exact": {"m": 0.8}, "different": {"m": 0.05}}
    parameters = {"surname": sound, "forename": sound}
    assert scoring._implausible(parameters, prior=2e-5, floor=1e-5) == ""
    assert "probability of a match" in scoring._implausible(parameters, prior=1e-3, floor=1e-5)
    backwards = {**parameters, "forename": {"exact": {"m": 0.1}, "different": {"m": 0.6}}}
    assert "forename" in scoring._implausible(backwards, prior=2e-5, floor=1e-5)


# --- Classes of pairs that must stay found ----------------------------------------------------


def test_each_class_of_duplicate_is_found_at_the_default_threshold():
    """One pair of each kind the model was taught to recognise, among strangers: found at the
    default threshold; a pair that only shares names scores higher in one district."""
    background, _truth = generate_independent(400, seed=3)
    pairs = {
        "swapped, date mistyped": (
            _variant("S1"),
            _variant("S2", last_name="Ольга", first_name="Смирнова", birth_date="12.05.1967"),
        ),
        "swapped in Latin, no date": (
            _variant("L1", phone=OTHER_PHONE),
            _variant("L2", phone="", last_name="Olga", first_name="Smirnova", birth_date=""),
        ),
        "day and month transposed, in Latin": (
            _variant("T1"),
            _variant(
                "T2", phone="", last_name="Smirnova", first_name="Olga", birth_date="05.12.1961"
            ),
        ),
        "no date, same district": (
            _variant("D1", phone=OTHER_PHONE),
            _variant("D2", phone="", birth_date=""),
        ),
    }
    rows = [*background, *(row for pair in pairs.values() for row in pair)]
    # The same pair without a date on one side, once in one district and once in two: the
    # district is what tells it from namesakes.
    kotova = {"last_name": "Котова", "first_name": "Анна"}
    districts = (
        _variant("M1", phone=OTHER_PHONE, **kotova),
        _variant("M2", phone="", birth_date="", **kotova),
        _variant("N1", phone=OTHER_PHONE, **kotova),
        _variant("N2", phone="", birth_date="", district="maryino", **kotova),
    )
    scored = _probabilities([*rows, *districts])
    for kind, (left, right) in pairs.items():
        assert scored.get((left[0], right[0]), 0) >= DEFAULT_THRESHOLD, kind
    assert scored.get(("N1", "N2"), 0) < scored[("M1", "M2")]


# --- What the comparisons read ----------------------------------------------------------------


def _people(rows: Sequence[Sequence[str]], columns: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    load(con, rows)
    return scoring.run_sql(con, f"SELECT {columns} FROM people ORDER BY unique_id")  # noqa: S608


def test_spellings_of_e_and_yo_compare_as_one_name():
    """Фёдор is Fyodor, Fiodor or Fedor, Григорьев Grigoryev or Grigorev, Романов Romanoff:
    the comparisons read them alike, though the search key keeps them apart."""
    names = [
        ("Фёдоров", "Фёдор"),
        ("Fyodorov", "Fiodor"),
        ("Fedorov", "Fedor"),
        ("Григорьев", "Семён"),
        ("Grigoryev", "Semyon"),
        ("Grigorev", "Semen"),
        ("Романов", "Пётр"),
        ("Romanoff", "Piotr"),
    ]
    rows = [
        _variant(f"K{i}", last_name=last, first_name=first) for i, (last, first) in enumerate(names)
    ]
    keys = _people(rows, "surname, forename")
    assert len({keys[0], keys[1], keys[2]}) == 1, keys
    assert len({keys[3], keys[4], keys[5]}) == 1, keys
    assert keys[6][0] == keys[7][0] and keys[6][1] == keys[7][1], keys
    assert keys[0] != keys[3]


def test_the_forms_of_a_surname_for_either_sex_are_told_from_a_typo():
    rows = [
        _variant("A", last_name="Иванова"),
        _variant("B", last_name="Ivanov"),
        _variant("C", last_name="Мироновская"),
        _variant("D", last_name="Mironovsky"),
        _variant("E", last_name="Иваненко"),
    ]
    masculine = [m for (m,) in _people(rows, "surname_masculine")]
    assert masculine[0] == masculine[1] == "ivanov"
    assert masculine[2] == masculine[3] == "mironovski"
    assert masculine[4] == "ivanenko"


HOME = "г. Москва, ул. Тверская, д. 7, корп. 2, кв. 15"


def test_a_shared_home_tells_a_pair_without_a_date_from_namesakes():
    """The same names without a date on one side: far likelier one person when the two
    records name the same house and flat, whatever way the address is written."""
    background, _truth = generate_independent(400, seed=3)
    kotova = {"last_name": "Котова", "first_name": "Анна", "phone": ""}
    rows = [
        *background,
        _variant("H1", address=HOME, **kotova),
        _variant("H2", address="Тверская ул., 7-2-15", birth_date="", **kotova),
        _variant("N1", address=HOME, **kotova),
        _variant("N2", address="г. Москва, ул. Тверская, д. 9, кв. 3", birth_date="", **kotova),
    ]
    scored = _probabilities(rows)
    assert scored[("H1", "H2")] >= DEFAULT_THRESHOLD
    assert scored.get(("N1", "N2"), 0) < scored[("H1", "H2")]


def _family(family: int, *, together: bool) -> list[tuple[str, ...]]:
    """A father, a mother, a son of the father's name and another son; at one home or not."""
    surname = ("Котов", "Смирнов", "Петров", "Волков", "Орлов", "Зайцев")[family % 6]
    born = dt.date(1950, 1, 1) + dt.timedelta(days=397 * family)
    members = (
        ("Иван", "Петрович", "M", born),
        ("Анна", "Сергеевна", "F", born + dt.timedelta(days=500)),
        ("Иван", "Иванович", "M", born + dt.timedelta(days=9000)),
        ("Пётр", "Иванович", "M", born + dt.timedelta(days=9800)),
    )
    return [
        _variant(
            f"F{family}-{member}",
            address=f"ул. Тверская, д. {family + 1}, кв. {member + 1 if not together else 0}",
            phone="",
            last_name=surname + ("а" if sex == "F" else ""),
            first_name=first,
            patronymic=patronymic,
            sex=sex,
            birth_date=f"{birth:%d.%m.%Y}",
        )
        for member, (first, patronymic, sex, birth) in enumerate(members)
    ]


def test_a_home_shared_by_families_counts_for_less():
    """A family's members share a home and a surname, and children the patronymic: the u of
    a shared home is measured on pairs of one surname and different first names, so that it
    is not taken for the chance of two strangers living together."""
    apart, together = duckdb.connect(), duckdb.connect()
    load(apart, [row for family in range(30) for row in _family(family, together=False)])
    load(together, [row for family in range(30) for row in _family(family, together=True)])
    alone, families = scoring._home_u(apart), scoring._home_u(together)
    assert alone.apart == alone.siblings == pytest.approx(1 / 120)  # the chance: 120 homes
    assert families.apart > 10 * alone.apart
    assert families.siblings >= families.apart
