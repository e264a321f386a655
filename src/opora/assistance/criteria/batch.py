# ruff: noqa: S608 - statements are built from model identifiers, quoted, and literals written by
# criteria.batch.literal (whole numbers, dates, validated codes).
"""A version's rules over the whole registry as one SELECT built from aggregates.

``compiler`` writes a rule as correlated subqueries per person: right for a few people (an
application, an explanation), since every fact is an index lookup. Over a million people the
same shape is a million lookups per fact, and no planner turns a scalar subquery into a join.
This module writes the same rule the way one would by hand for the whole registry: the day's
memberships, then each fact aggregated once — per person (income in the window, categories and
measures held, the registration) and per household (members, children, the sum of the members'
incomes and group minimums) — joined to the people with hash joins, and the clauses as CASE
expressions over the joined columns.

It must give exactly what ``compiler`` and the Python ``oracle`` give (the oracle test checks
all three on random registries and rules), so it follows the same definitions: a person's
household is her latest membership on the day; a household's facts count its membership rows
on the day; money is whole kopecks; states are 2 held, 1 unknown, 0 not held, combined with
LEAST / GREATEST / 2 − x.

SQL is the subset SQLite and PostgreSQL share, but for LEAST / GREATEST (SQLite's scalar
MIN / MAX). Table and column names come from the models. Every value enters as a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from opora.assistance.models import Assignment, AssignmentStatus, Beneficiary, Measure
from opora.assistance.models import MeasureVersion as Version
from opora.institutions.models import District
from opora.registry.models import (
    Address,
    AddressKind,
    CategoryKind,
    HouseholdMember,
    Income,
    Person,
    PersonCategory,
)
from opora.rules.catalog import PENSIONER_CATEGORY
from opora.rules.models import SubsistenceGroup

from .compiler import HELD, NOT_HELD, UNKNOWN
from .figures import Figures, income_months, kopecks, latest_birth_date, share_kopecks
from .figures import times_hundred as hundredths
from .schema import APPLICANT, HOUSEHOLD_PER_CAPITA, MEMBERS, clauses_of


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    # A concrete column, never a reverse relation.
    assert isinstance(field, Field) and field.column is not None
    return connection.ops.quote_name(field.column)


def greatest(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    function = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    return f"{function}({', '.join(parts)})"


def least(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    function = "MIN" if connection.vendor == "sqlite" else "LEAST"
    return f"{function}({', '.join(parts)})"


def literal(value: Any) -> str:
    """A value written into the SQL. Only what this module computes or a validated rule holds
    reaches here (whole numbers, dates, codes, choices); strings are quoted as standard SQL
    quotes them, so a quote in one cannot end the literal."""
    if isinstance(value, bool):
        raise TypeError("booleans differ between the databases; compare with a column")
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("a NUL character cannot be written into SQL")
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


@dataclass
class Selected:
    """The query and what its columns are: ``person_id``, ``household_id``, ``district_id``,
    then for each version ``state_<v>``, ``amount_<v>``, ``clauses_<v>``."""

    sql: str
    clause_ids: list[list[str]]


class BatchCompiler:
    """One SELECT over every subject of a measure on a day, for one version or several (a
    what-if evaluates the draft and the version in force in the same pass: the facts they share
    are aggregated once)."""

    def __init__(self, *, versions: list[Version], on: dt.date, figures: Figures) -> None:
        self.versions = versions
        self.on = on
        self.figures = figures
        # Aggregates asked for by the clauses, by name: built into the CTEs once each.
        self.person_facts: dict[str, tuple[str, str]] = {}  # name: (CTE body, its alias)
        # The households' columns asked for, by name: what each aggregates (see households_cte).
        self.household_columns: dict[str, tuple[str, Any]] = {}
        self.income_windows: set[int] = set()
        self.category_codes: dict[str, str] = {}  # code: CTE name
        self.measure_codes: dict[str, str] = {}
        self.needs_pensioner = False
        self.needs_registration = True  # the district is always reported

    # --- the pieces every query has -----------------------------------------------------------

    def on_day(self, alias: str) -> str:
        m, v = HouseholdMember, literal
        return (
            f"({alias}.{column(m, 'joined_on')} IS NULL OR {alias}.{column(m, 'joined_on')} <= "
            f"{v(self.on)}) AND ({alias}.{column(m, 'left_on')} IS NULL OR "
            f"{alias}.{column(m, 'left_on')} > {v(self.on)})"
        )

    def held_on_day(self, alias: str, model: type[Model], start: str, end: str) -> str:
        v = literal
        return (
            f"{alias}.{column(model, start)} <= {v(self.on)} AND ({alias}.{column(model, end)} "
            f"IS NULL OR {alias}.{column(model, end)} >= {v(self.on)})"
        )

    # --- facts per person ---------------------------------------------------------------------

    def income_cte(self, months: int) -> str:
        self.income_windows.add(months)
        return f"income_{months}"

    def category_cte(self, code: str) -> str:
        return self.category_codes.setdefault(code, f"category_{len(self.category_codes)}")

    def measure_cte(self, code: str) -> str:
        return self.measure_codes.setdefault(code, f"holds_{len(self.measure_codes)}")

    def group_figure(self, person: str, pensioner: str, figure: Any) -> str:
        """``figure(group)`` of the person's socio-demographic group, as the compiler's
        ``group_figure`` and ``rules.recipients.choose_group`` choose it."""
        self.needs_pensioner = True
        f, v, p = self.figures, literal, Person
        birth, sex = f"{person}.{column(p, 'birth_date')}", f"{person}.{column(p, 'sex')}"
        men, women = f.pension_cut("M"), f.pension_cut("F")
        g = SubsistenceGroup
        whens = [
            (f"{birth} > {v(f.child_cut)}", g.CHILD),
            (f"{pensioner}.person_id IS NOT NULL", g.PENSIONER),
            (f"{birth} IS NULL", g.PER_CAPITA),
            (f"{sex} = 'M' AND {birth} <= {v(men)}", g.PENSIONER),
            (f"{sex} = 'M'", g.WORKING_AGE),
            (f"{sex} = 'F' AND {birth} <= {v(women)}", g.PENSIONER),
            (f"{sex} = 'F'", g.WORKING_AGE),
            (f"{birth} <= {v(min(men, women))}", g.PENSIONER),
            (f"{birth} > {v(max(men, women))}", g.WORKING_AGE),
        ]
        cases = " ".join(f"WHEN {cond} THEN {v(figure(group))}" for cond, group in whens)
        return f"CASE {cases} ELSE {v(figure(g.PER_CAPITA))} END"

    # --- facts per household ------------------------------------------------------------------

    def household(self, name: str, kind: str, argument: Any = None) -> str:
        """A column of the households' aggregate over the day's membership rows."""
        self.household_columns.setdefault(name, (kind, argument))
        if kind == "minimums":
            self.needs_pensioner = True  # the pensioners' CTE is written before the households'
        return f"hh.{name}"

    def per_household(self, own: str, household: str) -> str:
        return f"(CASE WHEN s.household_id IS NULL THEN {own} ELSE {household} END)"

    def size(self) -> str:
        return self.per_household("1", self.household("members", "count"))

    def children(self, under_age: int) -> str:
        cut = latest_birth_date(self.on, under_age)
        own = f"(CASE WHEN s.birth_date > {literal(cut)} THEN 1 ELSE 0 END)"
        household = self.household(f"children_{under_age}", "children", cut)
        return self.per_household(own, household)

    def income(self, months: int, *, household: bool) -> str:
        cte = self.income_cte(months)
        own = f"COALESCE({cte}.total, 0)"
        if not household:
            return own
        return self.per_household(own, self.household(f"income_{months}", "income", months))

    def incomplete(self, months: int) -> str:
        cte = self.income_cte(months)
        own = f"(CASE WHEN COALESCE({cte}.months, 0) > {months - 1} THEN 0 ELSE 1 END)"
        return self.per_household(own, self.household(f"incomplete_{months}", "incomplete", months))

    # --- clauses ------------------------------------------------------------------------------

    def state(self, whens: list[tuple[str, int]], default: int) -> str:
        cases = " ".join(f"WHEN {cond} THEN {value}" for cond, value in whens)
        return f"(CASE {cases} ELSE {default} END)" if whens else str(default)

    def clause(self, clause: dict) -> str:
        return getattr(self, f"clause_{clause['clause']}")(clause)

    def clause_age(self, clause: dict) -> str:
        v = literal
        held = []
        if "at_least" in clause:
            held.append(f"s.birth_date <= {v(latest_birth_date(self.on, clause['at_least']))}")
        if "under" in clause:
            held.append(f"s.birth_date > {v(latest_birth_date(self.on, clause['under']))}")
        return self.state(
            [("s.birth_date IS NULL", UNKNOWN), (" AND ".join(held) or "1 = 1", HELD)], NOT_HELD
        )

    def clause_sex(self, clause: dict) -> str:
        v = literal
        return self.state([("s.sex = ''", UNKNOWN), (f"s.sex = {v(clause['is'])}", HELD)], NOT_HELD)

    def clause_category(self, clause: dict) -> str:
        cte = self.category_cte(clause["code"])
        own = f"{cte}.person_id IS NOT NULL"
        if clause["who"] != "any_member":
            return self.state([(own, HELD)], NOT_HELD)
        of_members = self.household(f"any_{cte}", "category", cte)
        return self.state(
            [
                (f"s.household_id IS NULL AND {own}", HELD),
                (f"s.household_id IS NOT NULL AND {of_members} = 1", HELD),
            ],
            NOT_HELD,
        )

    def clause_children(self, clause: dict) -> str:
        count = self.children(clause["under_age"])
        return self.state([(f"{count} >= {int(clause['at_least'])}", HELD)], NOT_HELD)

    def clause_relation(self, clause: dict) -> str:
        v = literal
        listed = ", ".join(v(item) for item in clause["in"])
        return self.state([(f"s.relation IN ({listed})", HELD)], NOT_HELD)

    def clause_household_size(self, clause: dict) -> str:
        size = self.size()
        held = []
        if "at_least" in clause:
            held.append(f"{size} >= {int(clause['at_least'])}")
        if "at_most" in clause:
            held.append(f"{size} <= {int(clause['at_most'])}")
        return self.state([(" AND ".join(held) or "1 = 1", HELD)], NOT_HELD)

    def clause_income(self, clause: dict) -> str:
        months = clause["months"]
        total = self.income(months, household=True)
        group = clause["below"]["minimum"]
        if group == MEMBERS:

            def figure(group: str) -> int:
                return self.figures.group_kopecks(group)

            minimums = self.per_household(
                self.group_figure("s", "pensioner", figure),
                self.household("minimums", "minimums"),
            )
        else:
            minimums = f"({self.figures.group_kopecks(group)} * {self.size()})"
        times = hundredths(clause["below"]["times"]) * months
        whens = []
        if clause["missing_months"] == "unknown":
            whens.append((f"{self.incomplete(months)} > 0", UNKNOWN))
        whens.append((f"{times} * {minimums} > {total} * 100", HELD))
        return self.state(whens, NOT_HELD)

    def clause_residence(self, clause: dict) -> str:
        v = literal
        whens = [("reg.district_code IS NULL", NOT_HELD)]
        if "districts" in clause:
            listed = ", ".join(v(code) for code in clause["districts"])
            whens.append((f"reg.district_code NOT IN ({listed})", NOT_HELD))
        if clause["years"]:
            cut = latest_birth_date(self.on, clause["years"])
            whens += [
                ("reg.registered_on IS NULL", UNKNOWN),
                (f"reg.registered_on <= {v(cut)}", HELD),
            ]
            return self.state(whens, NOT_HELD)
        whens.append((f"reg.registered_on > {v(self.on)}", NOT_HELD))
        return self.state(whens, HELD)

    def clause_measure(self, clause: dict) -> str:
        cte = self.measure_cte(clause["code"])
        holds = f"{cte}.person_id IS NOT NULL"
        held = holds if clause["held"] else f"{cte}.person_id IS NULL"
        return self.state([(held, HELD)], NOT_HELD)

    # --- the tree -----------------------------------------------------------------------------

    def combine(self, node: dict, states: dict[int, str]) -> str:
        """The tree over the clauses' columns (``states``: a clause's id() to its column)."""
        if "clause" in node:
            return states[id(node)]
        if "not" in node:
            return f"({HELD} - {self.combine(node['not'], states)})"
        key = "all" if "all" in node else "any"
        parts = [self.combine(child, states) for child in node[key]]
        return (least if key == "all" else greatest)(parts)

    def amount(self, node: dict) -> str:
        if "fixed" in node:
            return str(kopecks(Decimal(node["fixed"])))
        if "minimum" in node:
            times = node["times"]

            def share(group: str) -> int:
                return share_kopecks(self.figures.group_kopecks(group), times)

            if node["minimum"] == APPLICANT:
                return self.group_figure("s", "pensioner", share)
            return str(share(node["minimum"]))
        if "rule" in node:
            return str(self.figures.money(node["rule"]))
        if "top_up" in node:
            top_up = node["top_up"]
            standard = self.amount(top_up["to"])
            months = top_up["months"]
            if top_up["income"] == HOUSEHOLD_PER_CAPITA:
                income = self.income(months, household=True)
                people = f"({months} * {self.size()})"
            else:
                income, people = self.income(months, household=False), str(months)
            average = f"({income} / {people})"
            return f"(CASE WHEN {standard} > {average} THEN {standard} - {average} ELSE 0 END)"
        if "per_child" in node:
            return f"({self.amount(node['per_child'])} * {self.children(node['under_age'])})"
        if "at_most" in node:
            return least([self.amount(item) for item in node["at_most"]])
        return "(" + " + ".join(self.amount(item) for item in node["sum"]) + ")"

    def outcome(self, index: int, version: Version) -> tuple[list[str], str, list[str]]:
        """The inner columns of one version (its clause states and its amount were it
        eligible) and its outer columns (the state, the amount, the clause digits), which read
        the inner ones by name so that nothing is computed twice."""
        rule = version.eligibility
        clauses = clauses_of(rule)
        names = {id(clause): f"c{index}_{n}" for n, clause in enumerate(clauses)}
        inner = [f"{self.clause(clause)} AS {names[id(clause)]}" for clause in clauses]
        eligible = self.combine(rule, names)
        if version.amount:
            whole = self.amount(version.amount)
            if version.amount_floor is not None:
                whole = greatest([whole, str(kopecks(version.amount_floor))])
            if version.amount_ceiling is not None:
                whole = least([whole, str(kopecks(version.amount_ceiling))])
            inner.append(f"{whole} AS whole_{index}")
            amount = f"CASE WHEN {eligible} = {HELD} THEN whole_{index} END"
        else:
            amount = "CAST(NULL AS BIGINT)"
        digits = " || ".join(f"CAST({names[id(c)]} AS VARCHAR(1))" for c in clauses) or "''"
        outer = [
            f"{eligible} AS state_{index}",
            f"{amount} AS amount_{index}",
            f"{digits} AS clauses_{index}",
        ]
        return inner, " , ".join(outer), [clause["id"] for clause in clauses]

    # --- the query ----------------------------------------------------------------------------

    def compile(self) -> Selected:
        outcomes = [self.outcome(index, version) for index, version in enumerate(self.versions)]
        inner = ["s.person_id", "s.household_id", "reg.district_id"]
        for columns, _outer, _ids in outcomes:
            inner += columns
        # The CTEs last: the clauses above asked for the aggregates they read.
        sql = (
            f"WITH {self.ctes()} SELECT person_id, household_id, district_id, "
            f"{', '.join(outer for _inner, outer, _ids in outcomes)} FROM (SELECT "
            f"{', '.join(inner)} FROM subject s {self.joins()}) evaluated"
        )
        return Selected(sql=sql, clause_ids=[ids for _inner, _outer, ids in outcomes])

    def joins(self) -> str:
        parts = ["LEFT JOIN registration reg ON reg.person_id = s.person_id"]
        if self.household_columns:
            parts.append("LEFT JOIN households hh ON hh.household_id = s.household_id")
        for months in sorted(self.income_windows):
            name = f"income_{months}"
            parts.append(f"LEFT JOIN {name} ON {name}.person_id = s.person_id")
        if self.needs_pensioner:
            parts.append("LEFT JOIN pensioners pensioner ON pensioner.person_id = s.person_id")
        for name in [*self.category_codes.values(), *self.measure_codes.values()]:
            parts.append(f"LEFT JOIN {name} ON {name}.person_id = s.person_id")
        return " ".join(parts)

    def ctes(self) -> str:
        v = literal
        m, p = HouseholdMember, Person
        measure = self.versions[0].measure
        # The day's rows are a filter over one table, inlined wherever they are read so that the
        # planner estimates each use from the table itself; a person's current row is the one
        # no later row of hers follows (an anti-join, where MAX(id) … JOIN ON id would leave the
        # planner a join it cannot estimate).
        ctes = [
            f"day_rows AS NOT MATERIALIZED (SELECT m.{column(m, 'id')} AS id, "
            f"m.{column(m, 'household')} AS household_id, m.{column(m, 'person')} AS person_id, "
            f"m.{column(m, 'relation')} AS relation, m.{column(m, 'is_applicant')} AS "
            f"is_applicant FROM {table(m)} m WHERE {self.on_day('m')})",
            "current_row AS NOT MATERIALIZED (SELECT d.person_id, d.household_id, d.relation "
            "FROM day_rows d WHERE NOT EXISTS (SELECT 1 FROM day_rows later WHERE "
            "later.person_id = d.person_id AND later.id > d.id))",
        ]
        where = [f"p.{column(p, 'merged_into')} IS NULL"]
        if measure.beneficiary == Beneficiary.HOUSEHOLD:
            where.append(
                f"p.{column(p, 'id')} IN (SELECT person_id FROM day_rows WHERE is_applicant)"
            )
        else:
            where.append(
                f"(p.{column(p, 'death_date')} IS NULL OR p.{column(p, 'death_date')} > "
                f"{v(self.on)})"
            )
        ctes.append(
            f"subject AS (SELECT p.{column(p, 'id')} AS person_id, p.{column(p, 'birth_date')} "
            f"AS birth_date, p.{column(p, 'sex')} AS sex, d.household_id, d.relation "
            f"FROM {table(p)} p LEFT JOIN current_row d ON d.person_id = p.{column(p, 'id')} "
            f"WHERE {' AND '.join(where)})"
        )
        a, dist = Address, District
        ctes.append(
            f"registration AS (SELECT a.{column(a, 'person')} AS person_id, "
            f"a.{column(a, 'district')} AS district_id, "
            f"dd.{column(dist, 'code')} AS district_code, "
            f"a.{column(a, 'registered_on')} AS registered_on FROM {table(a)} a LEFT JOIN "
            f"{table(dist)} dd ON dd.{column(dist, 'id')} = a.{column(a, 'district')} "
            f"WHERE a.{column(a, 'kind')} = {v(AddressKind.REGISTRATION.value)})"
        )
        for months in sorted(self.income_windows):
            ctes.append(self.income_window_cte(months))
        if self.needs_pensioner:
            ctes.append(f"pensioners AS ({self.holders(PENSIONER_CATEGORY)})")
        for code, name in self.category_codes.items():
            ctes.append(f"{name} AS ({self.holders(code)})")
        for code, name in self.measure_codes.items():
            ctes.append(f"{name} AS ({self.measure_holders(code)})")
        if self.household_columns:
            ctes.append(self.households_cte())
        return ", ".join(ctes)

    def income_window_cte(self, months: int) -> str:
        v, i = literal, Income
        window = income_months(self.on, months)
        return (
            f"income_{months} AS (SELECT i.{column(i, 'person')} AS person_id, "
            f"CAST(SUM(CAST(ROUND(i.{column(i, 'amount')} * 100) AS BIGINT)) AS BIGINT) AS total, "
            f"COUNT(DISTINCT i.{column(i, 'month')}) AS months FROM {table(i)} i "
            f"WHERE i.{column(i, 'month')} >= {v(window[0])} AND i.{column(i, 'month')} <= "
            f"{v(window[-1])} GROUP BY i.{column(i, 'person')})"
        )

    def holders(self, code: str) -> str:
        v, c, k = literal, PersonCategory, CategoryKind
        return (
            f"SELECT DISTINCT c.{column(c, 'person')} AS person_id FROM {table(c)} c JOIN "
            f"{table(k)} k ON k.{column(k, 'id')} = c.{column(c, 'kind')} WHERE "
            f"k.{column(k, 'code')} = {v(code)} AND "
            f"{self.held_on_day('c', c, 'valid_from', 'valid_to')}"
        )

    def measure_holders(self, code: str) -> str:
        v, a, ms = literal, Assignment, Measure
        return (
            f"SELECT DISTINCT a.{column(a, 'person')} AS person_id FROM {table(a)} a JOIN "
            f"{table(ms)} ms ON ms.{column(ms, 'id')} = a.{column(a, 'measure')} WHERE "
            f"ms.{column(ms, 'code')} = {v(code)} AND a.{column(a, 'status')} = "
            f"{v(AssignmentStatus.ACTIVE.value)} AND "
            f"{self.held_on_day('a', a, 'starts_on', 'ends_on')}"
        )

    def households_cte(self) -> str:
        """Every household's facts in one pass over the day's membership rows (the member's
        person as ``mp``)."""
        p = Person
        joins = {"mp": f"JOIN {table(p)} mp ON mp.{column(p, 'id')} = d.person_id"}

        def joined(alias: str, cte: str) -> str:
            joins.setdefault(alias, f"LEFT JOIN {cte} {alias} ON {alias}.person_id = d.person_id")
            return alias

        def figure(group: str) -> int:
            return self.figures.group_kopecks(group)

        columns = []
        for name, (kind, argument) in self.household_columns.items():
            if kind == "count":
                expression = "COUNT(*)"
            elif kind == "children":
                birth = f"mp.{column(p, 'birth_date')}"
                cut = literal(argument)
                expression = f"SUM(CASE WHEN {birth} > {cut} THEN 1 ELSE 0 END)"
            elif kind == "income":
                income = joined(f"mi_{argument}", f"income_{argument}")
                expression = f"CAST(SUM(COALESCE({income}.total, 0)) AS BIGINT)"
            elif kind == "incomplete":
                income = joined(f"mi_{argument}", f"income_{argument}")
                held = f"COALESCE({income}.months, 0)"
                expression = f"SUM(CASE WHEN {held} < {argument} THEN 1 ELSE 0 END)"
            elif kind == "minimums":
                pensioner = joined("mpens", "pensioners")
                expression = f"CAST(SUM({self.group_figure('mp', pensioner, figure)}) AS BIGINT)"
            else:  # a category any member holds
                holder = joined(f"m{argument}", argument)
                expression = f"MAX(CASE WHEN {holder}.person_id IS NOT NULL THEN 1 ELSE 0 END)"
            columns.append(f"{expression} AS {name}")
        return (
            f"households AS (SELECT d.household_id, {', '.join(columns)} FROM day_rows d "
            f"{' '.join(joins.values())} GROUP BY d.household_id)"
        )


def batch_select(*, versions: list[Version], on: dt.date) -> Selected:
    """The SELECT evaluating ``versions`` (of one measure) for all its subjects on ``on``."""
    return BatchCompiler(versions=versions, on=on, figures=Figures(on)).compile()
