# ruff: noqa: S608 - expressions are built from this module's identifiers and the caller's
# column names; every value goes in as a bound parameter.
"""The pieces of the PostgreSQL import (postgres.py) that are expressions rather than steps:
a statement builder with named parameters, the search key and the Latin spelling of names in
SQL, and every rule about one cell as SQL over the staged text.

Every rule mirrors validation.py — same conditions, same messages — and ``sql_search_key`` and
``sql_transliterate`` mirror registry/names.py; tests hold each pair equal
(``search_keys_in_sql``, ``transliterations_in_sql``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from ..models import EARLIEST_BIRTH_DATE, IncomeKind, Relation
from ..names import FOLD_PHASES, ICAO, SNILS_CHECKED_FROM, SNILS_LENGTH
from . import validation as v
from .plan import Plan

LENGTH_MARK = "\x01"  # where a message's count of digits goes, replaced in SQL


class Sql:
    """A statement with named parameters, so that pieces can be built in any order."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def p(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


# --- Names: the search key and the Latin spelling, in SQL ---------------------------------------

_MULTI = [(c, latin) for c, latin in ICAO.items() if len(latin) > 1]
_SINGLE = [(c, latin) for c, latin in ICAO.items() if len(latin) == 1]
_DROPPED = [c for c, latin in ICAO.items() if not latin]
_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = _ASCII_UPPER.lower()
_CYRILLIC_UPPER = "".join(c.upper() for c in ICAO)
_CYRILLIC_LOWER = "".join(ICAO)


def sql_transliterate(q: Sql, expr: str) -> str:
    """names.transliterate in SQL: Cyrillic to the passport's Latin, keeping capitals."""
    out = expr
    for cyrillic, latin in _MULTI:
        out = f"replace({out}, {q.p(cyrillic)}, {q.p(latin)})"
        out = f"replace({out}, {q.p(cyrillic.upper())}, {q.p(latin[0].upper() + latin[1:])})"
    source = "".join(c for c, _l in _SINGLE) + "".join(c.upper() for c, _l in _SINGLE)
    target = "".join(latin for _c, latin in _SINGLE) + "".join(
        latin.upper() for _c, latin in _SINGLE
    )
    dropped = "".join(_DROPPED) + "".join(c.upper() for c in _DROPPED)
    # translate() drops the characters of its second argument that have no counterpart.
    return f"translate({out}, {q.p(source + dropped)}, {q.p(target)})"


def sql_search_key(q: Sql, *parts: str) -> str:
    """names.search_key in SQL, over text expressions (NULL or '' for a missing part).

    Lower case does not depend on the database's locale: ASCII and the Cyrillic letters are
    folded by translate() before lower(); accents go with NFKD and the filter of non-letters
    that follows (what _strip_accents removes is never a letter a–z)."""
    joined = "concat_ws(' ', " + ", ".join(f"nullif({p}, '')" for p in parts) + ")"
    text = (
        f"replace(lower(translate({joined}, {q.p(_ASCII_UPPER + _CYRILLIC_UPPER)}, "
        f"{q.p(_ASCII_LOWER + _CYRILLIC_LOWER)})), 'ё', 'е')"
    )
    text = sql_transliterate(q, text)
    text = f"lower(translate(normalize({text}, NFKD), {q.p(_ASCII_UPPER)}, {q.p(_ASCII_LOWER)}))"
    text = f"regexp_replace(replace({text}, '-', ' '), '[^a-z ]+', '', 'g')"
    for phase in FOLD_PHASES:  # as names.search_key: collapse, fold, and again
        text = rf"regexp_replace({text}, '(.)\1+', '\1', 'g')"
        for before, after in phase:
            text = f"replace({text}, {q.p(before)}, {q.p(after)})"
    text = rf"regexp_replace({text}, '(.)\1+', '\1', 'g')"
    text = rf"regexp_replace({text}, '(^| )ie', '\1e', 'g')"
    return f"btrim(regexp_replace({text}, ' +', ' ', 'g'))"


# --- The rules about one cell, in SQL ---------------------------------------------------------


def _ws_run(q: Sql) -> str:
    return q.p("[" + v.WHITESPACE + "]+")


def _in(q: Sql, expr: str, words: Iterable[str]) -> str:
    return f"{expr} IN ({', '.join(q.p(w) for w in words)})"


def _days_in_month(y: str, m: str) -> str:
    return (
        f"CASE {m} WHEN 2 THEN CASE WHEN (mod({y}, 4) = 0 AND mod({y}, 100) <> 0) "
        f"OR mod({y}, 400) = 0 THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 "
        f"WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END"
    )


class CellRules:
    """SELECT levels that turn the staged text into typed values and messages.

    Level 1 cleans the text (``t_<name>``, NULL when empty), level 2 matches patterns, levels 3
    and 4 take numbers out of the text, level 5 gives the candidate value (``v_<name>``), level
    6 the message (``<name>__err``, NULL when valid) and level 7 the value (``<name>``, NULL
    when empty or invalid). Each level reads the one below through ``OFFSET 0``, which keeps
    PostgreSQL from folding them together: every expression is computed once per row."""

    LEVELS = 7

    def __init__(self, q: Sql, plan: Plan) -> None:
        self.q = q
        self.plan = plan
        self.today = plan.today
        self.levels: list[list[str]] = [[] for _ in range(self.LEVELS)]

    def add(self, level: int, expr: str, name: str) -> str:
        self.levels[level - 1].append(f"{expr} AS {name}")
        return name

    def build(self, stage: str) -> str:
        fields = self.plan.mapped_fields
        for spec in fields:
            getattr(self, f"_{spec.kind}", self._text)(spec)
        raws = [f"f_{f.name} AS {f.name}__raw" for f in fields]
        sql = f"SELECT s.row_no, {', '.join(raws + self.levels[0])} FROM {stage} s"
        for exprs in self.levels[1:]:
            if exprs:
                sql = f"SELECT x.*, {', '.join(exprs)} FROM ({sql} OFFSET 0) x"
        columns = ["row_no"]
        for f in fields:
            columns += [f"{f.name}__raw", f.name, f"{f.name}__err"]
        return f"SELECT {', '.join(columns)} FROM ({sql} OFFSET 0) x"

    def _clean(self, spec: v.Field, expr: str | None = None) -> str:
        # The cells arrive stripped (loader.MappedRows): empty is missing.
        return self.add(1, expr or f"nullif(f_{spec.name}, '')", f"t_{spec.name}")

    def _result(self, spec: v.Field, value: str, error: Any, cast: str = "") -> None:
        """``value``: the candidate value over the levels below; ``error(v)``: the message
        (NULL when valid) given the column ``v`` holding that candidate; ``cast``: the type of
        the value, applied once it is known to be valid."""
        q, n = self.q, spec.name
        candidate = self.add(5, value, f"v_{n}")
        required = q.p(v.m_required()) if spec.required else "NULL"
        self.add(
            6, f"CASE WHEN t_{n} IS NULL THEN {required} ELSE {error(candidate)} END", f"{n}__err"
        )
        self.add(
            7, f"CASE WHEN t_{n} IS NOT NULL AND {n}__err IS NULL THEN {candidate}{cast} END", n
        )

    def _too_long(self, spec: v.Field, t: str) -> Any:
        if not spec.max_length:
            return lambda _v: "NULL"
        message = self.q.p(v.m_too_long(spec.max_length))
        return lambda _v: f"CASE WHEN char_length({t}) > {spec.max_length} THEN {message} END"

    def _text(self, spec: v.Field) -> None:
        t = self._clean(spec)
        self._result(spec, t, self._too_long(spec, t))

    def _name(self, spec: v.Field) -> None:
        q = self.q
        raw = f"f_{spec.name}"
        t = self._clean(
            spec,
            f"nullif(CASE WHEN {raw} ~ {_ws_run(q)} THEN regexp_replace({raw}, "
            f"{_ws_run(q)}, ' ', 'g') ELSE {raw} END, '')",
        )
        self._result(spec, t, self._too_long(spec, t))

    def _folded(self, spec: v.Field) -> str:
        t = self._clean(spec)
        return self.add(
            2, f"translate({t}, {self.q.p(v.UPPER)}, {self.q.p(v.LOWER)})", f"k_{spec.name}"
        )

    def _words(self, spec: v.Field, mapping: dict[str, Any], message: str) -> None:
        q = self.q
        k = self._folded(spec)
        by_value: dict[Any, list[str]] = {}
        for word, value in mapping.items():
            by_value.setdefault(value, []).append(word)
        cases = " ".join(
            f"WHEN {_in(q, k, words)} THEN {q.p(value)}" for value, words in by_value.items()
        )
        self._result(
            spec, f"CASE {cases} END", lambda c: f"CASE WHEN {c} IS NULL THEN {q.p(message)} END"
        )

    def _sex(self, spec: v.Field) -> None:
        self._words(spec, v.SEX_WORDS, v.m_sex())

    def _bool(self, spec: v.Field) -> None:
        self._words(spec, v.BOOL_WORDS, v.m_bool())

    def _choice(self, spec: v.Field, choices: list[str], message: str) -> None:
        self._words(spec, {c: c for c in choices}, message)

    def _relation(self, spec: v.Field) -> None:
        self._choice(spec, list(Relation.values), v.m_relation())

    def _income_kind(self, spec: v.Field) -> None:
        self._choice(spec, list(IncomeKind.values), v.m_income_kind())

    def _forms(self, spec: v.Field, t: str, *forms: tuple[str, str]) -> None:
        """One boolean column per pattern; a pattern is tried only when the ones before it
        failed (the forms exclude one another)."""
        tried: list[str] = []
        for label, pattern in forms:
            test = f"{t} ~ {self.q.p(pattern)}"
            if tried:
                test = f"CASE WHEN {' OR '.join(tried)} THEN false ELSE {test} END"
            self.add(2, test, f"{label}_{spec.name}")
            tried.append(f"{t} ~ {self.q.p(pattern)}")

    def _date(self, spec: v.Field, future: bool = False) -> None:
        q, n = self.q, spec.name
        t = self._clean(spec)
        self._forms(spec, t, ("dmy", v.DATE_DMY), ("iso", v.DATE_ISO))
        parts = {"y": (3, 1), "m": (2, 2), "d": (1, 3)}
        for part, (dmy, iso) in parts.items():
            self.add(
                3,
                f"CASE WHEN dmy_{n} THEN split_part({t}, '.', {dmy})::int "
                f"WHEN iso_{n} THEN split_part({t}, '-', {iso})::int END",
                f"{part}_{n}",
            )
        y, m, d = f"y_{n}", f"m_{n}", f"d_{n}"
        value = (
            f"CASE WHEN {y} < 1 OR {m} < 1 OR {m} > 12 OR {d} < 1 THEN NULL "
            f"WHEN {d} > {_days_in_month(y, m)} THEN NULL ELSE make_date({y}, {m}, {d}) END"
        )
        form, no_such = q.p(v.m_date_form()), q.p(v.m_no_such_date())
        # "future" is the date of birth's rule: not after today, not before the earliest.
        later = (
            f"WHEN {{c}} > {q.p(self.today)}::date THEN {q.p(v.m_future())} "
            f"WHEN {{c}} < {q.p(EARLIEST_BIRTH_DATE)}::date THEN {q.p(v.m_birth_too_early())} "
            if future
            else ""
        )

        def error(c: str) -> str:
            return (
                f"CASE WHEN {y} IS NULL THEN {form} WHEN {c} IS NULL THEN {no_such} "
                f"{later.format(c=c)}END"
            )

        self._result(spec, value, error)

    def _past_date(self, spec: v.Field) -> None:
        self._date(spec, future=True)

    def _month(self, spec: v.Field) -> None:
        q, n = self.q, spec.name
        t = self._clean(spec)
        self._forms(
            spec,
            t,
            ("my", v.MONTH_MY),
            ("mi", v.MONTH_ISO),
            ("dmy", v.DATE_DMY),
            ("iso", v.DATE_ISO),
        )
        # A whole date is a month when it is the first day of it.
        for part, (my, mi, dmy, iso) in {"y": (2, 1, 3, 1), "m": (1, 2, 2, 2)}.items():
            self.add(
                3,
                f"CASE WHEN my_{n} THEN split_part({t}, '.', {my})::int "
                f"WHEN mi_{n} THEN split_part({t}, '-', {mi})::int "
                f"WHEN dmy_{n} AND split_part({t}, '.', 1)::int = 1 "
                f"THEN split_part({t}, '.', {dmy})::int "
                f"WHEN iso_{n} AND split_part({t}, '-', 3)::int = 1 "
                f"THEN split_part({t}, '-', {iso})::int END",
                f"{part}_{n}",
            )
        value = (
            f"CASE WHEN y_{n} IS NULL OR y_{n} < 1 OR m_{n} < 1 OR m_{n} > 12 THEN NULL "
            f"ELSE make_date(y_{n}, m_{n}, 1) END"
        )
        message = q.p(v.m_month())
        self._result(spec, value, lambda c: f"CASE WHEN {c} IS NULL THEN {message} END")

    def _snils(self, spec: v.Field) -> None:
        q, n = self.q, spec.name
        t = self._clean(spec)
        padded = self.add(
            2,
            f"CASE WHEN {t} ~ {q.p(v.SNILS_UNPADDED)} THEN lpad({t}, 11, '0') ELSE {t} END",
            f"p_{n}",
        )
        # The form allows only digits, hyphens and spaces: dropping those two leaves digits.
        digits = self.add(
            3,
            f"CASE WHEN {padded} ~ {q.p(v.SNILS_FORM)} THEN translate({padded}, '- ', '') END",
            f"dg_{n}",
        )
        first = self.add(4, f"left({digits}, 9)::bigint", f"first_{n}")
        total = " + ".join(f"mod({first} / {10 ** (8 - i)}, 10) * {9 - i}" for i in range(9))
        s = self.add(5, total, f"sum_{n}")
        check = (
            f"CASE WHEN {s} < 100 THEN {s} WHEN {s} IN (100, 101) THEN 0 "
            f"WHEN mod({s}, 101) = 100 THEN 0 ELSE mod({s}, 101) END"
        )
        form, wrong = q.p(v.m_snils_form()), q.p(v.m_snils_check())
        count = f"length(translate({padded}, '- ', ''))"
        length = f"replace({q.p(v.m_snils_length(LENGTH_MARK))}, chr(1), {count}::text)"
        not_issued = q.p(v.m_snils_not_issued())
        checked = f"{first} > {SNILS_CHECKED_FROM}"
        repeats = f"left({digits}, 9) ~ {q.p(v.SNILS_REPEATS)}"
        self._result(
            spec,
            digits,
            lambda _c: (
                f"CASE WHEN {digits} IS NULL AND {padded} ~ {q.p(v.SNILS_CHARACTERS)} "
                f"AND {count} <> {SNILS_LENGTH} THEN {length} WHEN {digits} IS NULL THEN {form} "
                f"WHEN {first} = 0 OR ({checked} AND {repeats}) THEN {not_issued} "
                f"WHEN {checked} AND ({check}) <> right({digits}, 2)::int THEN {wrong} END"
            ),
        )

    def _phone(self, spec: v.Field) -> None:
        q, n = self.q, spec.name
        t = self._clean(spec)
        self.add(2, f"{t} ~ {q.p(v.PHONE_FORM)}", f"ok_{n}")
        # The form allows digits and "+()- ." only: dropping those leaves the digits.
        d = self.add(2, f"translate({t}, '+()- .', '')", f"dg_{n}")
        value = (
            f"CASE WHEN char_length({d}) = 11 AND left({d}, 1) IN ('7', '8') "
            f"THEN '+7' || substr({d}, 2) "
            f"WHEN char_length({d}) = 10 AND left({t}, 1) <> '+' THEN '+7' || {d} "
            f"ELSE '+' || {d} END"
        )
        message = q.p(v.m_phone())
        self._result(
            spec,
            value,
            lambda c: (
                f"CASE WHEN NOT ok_{n} OR {d} = '' OR char_length({c}) > {spec.max_length} "
                f"THEN {message} END"
            ),
        )

    def _email(self, spec: v.Field) -> None:
        q = self.q
        t = self._clean(spec)
        message = q.p(v.m_email())
        self._result(
            spec,
            t,
            lambda _c: (
                f"CASE WHEN char_length({t}) > {spec.max_length} OR NOT {t} ~ "
                f"{q.p(v.EMAIL_FORM)} THEN {message} END"
            ),
        )

    def _amount(self, spec: v.Field) -> None:
        q, n = self.q, spec.name
        raw = f"f_{n}"
        t = self._clean(
            spec,
            f"nullif(CASE WHEN {raw} ~ {_ws_run(q)} THEN regexp_replace({raw}, "
            f"{_ws_run(q)}, '', 'g') ELSE {raw} END, '')",
        )
        self.add(2, f"{t} ~ {q.p(v.AMOUNT_FORM)}", f"ok_{n}")
        self.add(2, f"replace({t}, ',', '.')", f"n_{n}")
        self.add(3, f"CASE WHEN ok_{n} THEN n_{n}::numeric END", f"num_{n}")
        number = f"num_{n}"
        self._result(
            spec,
            f"round({number}, 2)",
            cast="::numeric(12, 2)",
            error=lambda _c: (
                f"CASE WHEN NOT ok_{n} THEN {q.p(v.m_amount())} "
                f"WHEN {number} < 0 THEN {q.p(v.m_amount_negative())} "
                f"WHEN char_length(split_part(n_{n}, '.', 2)) > 2 "
                f"THEN {q.p(v.m_amount_precision())} "
                f"WHEN {number} > {q.p(v.AMOUNT_MAX)} THEN {q.p(v.m_amount_large())} END"
            ),
        )


# --- For the tests that hold SQL and Python equal ----------------------------------------------


def search_keys_in_sql(names: list[tuple[str, str, str]]) -> list[str]:
    """The SQL search key of each (last, first, patronymic), for the test against Python."""
    q = Sql()
    rows = ", ".join(
        f"({i}, {q.p(a)}::text, {q.p(b)}::text, {q.p(c)}::text)"
        for i, (a, b, c) in enumerate(names)
    )
    key = sql_search_key(q, "n.a", "n.b", "n.c")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key} FROM (VALUES {rows}) n(i, a, b, c) ORDER BY n.i", q.params)
        return [r[0] for r in cursor.fetchall()]


def transliterations_in_sql(texts: list[str]) -> list[str]:
    q = Sql()
    rows = ", ".join(f"({i}, {q.p(t)}::text)" for i, t in enumerate(texts))
    expr = sql_transliterate(q, "n.t")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expr} FROM (VALUES {rows}) n(i, t) ORDER BY n.i", q.params)
        return [r[0] for r in cursor.fetchall()]
