"""Evaluating a version's rules on a day: the compiled query run once for all the people asked
about, each row turned into an ``Outcome`` with the sentences of its clauses and the facts
they read; with ``detail`` (one application), the plain facts behind each clause too."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connections
from django.db.models import BigIntegerField, QuerySet, Value

from opora.assistance.models import MeasureVersion
from opora.registry.models import Person
from opora.rules.recipients import age_on

from .compiler import (
    HELD,
    HOUSEHOLD,
    NOT_HELD,
    Compiled,
    Compiler,
    clause_name,
    fact_name,
    part_name,
)
from .facts import World, load_world
from .figures import Figures, income_months, kopecks, latest_birth_date, roubles
from .oracle import Oracle, income_facts, iso
from .outcome import ClauseOutcome, Outcome
from .schema import clauses_of
from .sentences import describe, describe_amount

STATES = {HELD: True, NOT_HELD: False}


def compiled(*, version: MeasureVersion, on: dt.date, people: Iterable[int] | None) -> Compiled:
    return Compiler(version=version, on=on, figures=Figures(on)).compile(people)


# --- One person's query, compiled once ------------------------------------------------------------
#
# Building and compiling the annotated query costs far more than running it for one person, and
# its SQL depends only on the rules, the day and the figures in force on it: so the SQL is kept,
# with the person as its one parameter, and reused while all three are the same. The key is the
# rules' content, not the version's number or timestamp, so an edited draft (or another version)
# never meets a query compiled for other rules; the figures are read again on every use (as an
# uncached evaluation reads them) and a query compiled with other figures is compiled anew.

PERSON_QUERIES = 64  # kept per process, the least recently used dropped first
# Compiled in the person's and her household's place and then found among the parameters: no
# registry number is negative, so neither can be confused with a figure or a day of the rules.
PLACEHOLDER = -7_391_482_615_003
HOUSEHOLD_PLACEHOLDER = -7_391_482_615_004


class RecordedFigures(Figures):
    """The figures, noting each one the compiler asked for and what it was."""

    def __init__(self, on: dt.date) -> None:
        super().__init__(on)
        self.read: dict[tuple, Any] = {}

    def _noted(self, key: tuple, value: Any) -> Any:
        self.read[key] = value
        return value

    def money(self, code: str) -> int:
        return self._noted(("money", code), super().money(code))

    def group_kopecks(self, group: str) -> int:
        return self._noted(("group_kopecks", group), super().group_kopecks(group))

    def pension_cut(self, sex: str) -> dt.date:
        return self._noted(("pension_cut", sex), super().pension_cut(sex))

    @cached_property
    def child_cut(self) -> dt.date:
        return self._noted(("child_cut",), Figures.child_cut.func(self))  # type: ignore[attr-defined]


def figure_now(figures: Figures, key: tuple) -> Any:
    name, *args = key
    if name == "child_cut":
        return figures.child_cut
    return getattr(figures, name)(*args)


@dataclass(frozen=True)
class PersonQuery:
    """The query of one person as SQL: ``params`` with the person at ``person_at`` and her
    household on the day at ``household_at``. The household is found first, by a query of its
    own: the SQL then reads it as a constant, where finding it in the SQL itself would repeat
    that subquery for every clause that reads the household (planned and run each time). The
    ORM writes a constant household's ``IS NULL`` as its answer, so a person in no household
    has a query of her own (``household_at`` empty)."""

    sql: str
    params: tuple
    person_at: int
    household_at: tuple[int, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple], ...]  # column: (its converters, its expression)
    facts: dict[int, list[str]]
    parts: int
    figures: tuple[tuple[tuple, Any], ...]  # what the SQL was compiled with

    def current(self, figures: Figures) -> bool:
        return all(figure_now(figures, key) == value for key, value in self.figures)

    def rows(self, person: int, household: int | None, using: str) -> list[dict[str, Any]]:
        params = list(self.params)
        params[self.person_at] = type(params[self.person_at])(person)
        for at in self.household_at:
            params[at] = type(params[at])(household)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        width = len(self.names)
        rows = []
        for fetched_row in fetched:
            row = list(fetched_row[:width])
            # As the ORM's values() converts them (dates read back as text on SQLite, …).
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            rows.append(dict(zip(self.names, row, strict=True)))
        return rows


_person_queries: OrderedDict[tuple, PersonQuery] = OrderedDict()
_person_queries_lock = threading.Lock()


def rules_key(version: MeasureVersion) -> str:
    """What the compiled SQL depends on in a version: its rules and bounds (the subjects'
    choice by beneficiary is not in a one-person query)."""
    content = json.dumps(
        [
            version.eligibility,
            version.amount,
            None if version.amount_floor is None else str(version.amount_floor),
            None if version.amount_ceiling is None else str(version.amount_ceiling),
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def person_query(
    *,
    version: MeasureVersion,
    on: dt.date,
    alone: bool,
    columns_of: Callable[[Compiled], list[str]],
) -> PersonQuery | None:
    """The one-person query of ``version`` on ``on`` (``alone``: for a person in no household
    on the day), from the process's cache when the rules and the figures it was compiled with
    are still the same. None: the query's parameters do not let the person or the household be
    told apart (the person is then evaluated by a query compiled anew)."""
    using = Person.objects.db
    key = (using, on, alone, rules_key(version))
    with _person_queries_lock:
        kept = _person_queries.get(key)
        if kept is not None:
            _person_queries.move_to_end(key)
    if kept is not None and kept.current(Figures(on)):
        return kept
    figures = RecordedFigures(on)
    compiling = Compiler(version=version, on=on, figures=figures)
    household = Value(None if alone else HOUSEHOLD_PLACEHOLDER, output_field=BigIntegerField())
    query = compiling.compile([PLACEHOLDER], household=household)
    values = query.queryset.values(*columns_of(query))
    compiler = values.query.get_compiler(using=using)
    sql, params = compiler.as_sql()

    def found(placeholder: int) -> list[int]:
        # A backend may wrap a number in a type of its own (psycopg's Int8 for a bigint): the
        # value is put back in the same wrapping.
        return [
            i
            for i, param in enumerate(params)
            if isinstance(param, int) and not isinstance(param, bool) and param == placeholder
        ]

    at, household_at = found(PLACEHOLDER), found(HOUSEHOLD_PLACEHOLDER)
    if len(at) != 1 or alone == bool(household_at):
        return None
    names = (
        list(values.query.selected)
        if values.query.selected
        else [
            *values.query.extra_select,
            *values.query.values_select,
            *values.query.annotation_select,
        ]
    )
    fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
    made = PersonQuery(
        sql=sql,
        params=tuple(params),
        person_at=at[0],
        household_at=tuple(household_at),
        names=tuple(names),
        converters=tuple(compiler.get_converters(fields).items()),
        facts=query.facts,
        parts=query.parts,
        figures=tuple(figures.read.items()),
    )
    with _person_queries_lock:
        _person_queries[key] = made
        _person_queries.move_to_end(key)
        while len(_person_queries) > PERSON_QUERIES:
            _person_queries.popitem(last=False)
    return made


def evaluation_queryset(
    *, version: MeasureVersion, on: dt.date, people: Iterable[int] | None = None
) -> QuerySet[Person]:
    """The rule as one annotated query over ``registry.Person``: ``subject_household``,
    ``eligible`` (true, false or NULL for unknown), ``amount_kopecks`` (NULL unless eligible)
    and ``clause_<n>`` (2 held, 1 unknown, 0 not held) for the n-th clause in writing order."""
    return compiled(version=version, on=on, people=people).queryset


def evaluate(
    *,
    version: MeasureVersion,
    on: dt.date,
    people: Iterable[int] | None = None,
    detail: bool = False,
) -> list[Outcome]:
    """The outcome for each of ``people`` (None: every subject of the measure) in one query."""
    clauses = clauses_of(version.eligibility)

    # The rule's tree and the bounds are applied here, to the clauses' states and the amount's
    # root part: selected as columns, they would repeat every clause's subqueries in the SQL
    # twice more, and a query of a few people would spend its time being planned.
    def columns_of(query: Compiled) -> list[str]:
        return [
            "pk",
            HOUSEHOLD,
            "birth_date",
            "sex",
            *(clause_name(i) for i in range(len(clauses))),
            *(name for names in query.facts.values() for name in names),
            *(part_name(i) for i in range(query.parts)),
        ]

    chosen = None if people is None else list(people)
    query: Compiled | PersonQuery | None = None
    if chosen is not None and len(chosen) == 1:
        person = Person._meta.pk.get_prep_value(chosen[0])
        household = Compiler(version=version, on=on, figures=Figures(on)).household_of_person(
            person
        )
        query = person_query(version=version, on=on, alone=household is None, columns_of=columns_of)
        if query is not None:
            rows = query.rows(person, household, Person.objects.db)
    if query is None:
        query = compiled(version=version, on=on, people=chosen)
        rows = list(query.queryset.values(*columns_of(query)))
    texts = {line.clause_id: line.text for line in describe(version.eligibility)}
    amount_lines = describe_amount(version.amount)
    oracle = None
    if detail and rows:
        world = load_world([row["pk"] for row in rows])
        oracle = Oracle(world=world, figures=Figures(on), on=on)
    indexes = {id(clause): index for index, clause in enumerate(clauses)}
    outcomes = []
    for row in rows:
        state = fold(version.eligibility, {i: row[clause_name(n)] for i, n in indexes.items()})
        amount = bounded(version, row[part_name(0)]) if state == HELD and query.parts else None
        clause_outcomes = []
        for index, clause in enumerate(clauses):
            held = STATES.get(row[clause_name(index)])
            facts = row_facts(clause, index, row, held, on)
            if oracle is not None:
                facts.update(details(oracle, row["pk"], clause))
            clause_outcomes.append(ClauseOutcome(clause["id"], held, texts[clause["id"]], facts))
        outcomes.append(
            Outcome(
                person_id=row["pk"],
                household_id=row[HOUSEHOLD],
                eligible=STATES.get(state),
                amount=None if amount is None else roubles(amount),
                clauses=clause_outcomes,
                amount_parts=[
                    {
                        "depth": line.depth,
                        "text": line.text,
                        "value": str(roubles(row[part_name(i)])),
                    }
                    for i, line in enumerate(amount_lines)
                ],
            )
        )
    return outcomes


def fold(node: dict, states: dict[int, int]) -> int:
    """The tree over its clauses' states (``states``: a clause's id() to 2, 1 or 0), as the
    compiled query combines them: all is the least, any the greatest, not is 2 − x."""
    if "clause" in node:
        return states[id(node)]
    if "not" in node:
        return HELD - fold(node["not"], states)
    values = [fold(child, states) for child in node["all" if "all" in node else "any"]]
    return min(values) if "all" in node else max(values)


def bounded(version: MeasureVersion, kopeck_count: int) -> int:
    """The amount within the version's smallest and largest amounts."""
    if version.amount_floor is not None:
        kopeck_count = max(kopeck_count, kopecks(version.amount_floor))
    if version.amount_ceiling is not None:
        kopeck_count = min(kopeck_count, kopecks(version.amount_ceiling))
    return kopeck_count


def row_facts(clause: dict, index: int, row: dict, held: bool | None, on: dt.date) -> dict:
    """The facts a clause read, from its columns of the query."""
    kind = clause["clause"]

    def fact(name: str) -> Any:
        return row[fact_name(index, name)]

    if kind == "age":
        birth = row["birth_date"]
        return {"birth_date": iso(birth), "age": None if birth is None else age_on(birth, on)}
    if kind == "sex":
        return {"sex": row["sex"]}
    if kind == "category":
        return {"holds": held is True}
    if kind == "children":
        return {"children": int(fact("children"))}
    if kind == "relation":
        return {"relation": fact("relation")}
    if kind == "household_size":
        return {"members": int(fact("members"))}
    if kind == "income":
        return income_facts(
            months=income_months(on, clause["months"]),
            members=int(fact("members")),
            total_kopecks=int(fact("total")),
            minimums_kopecks=int(fact("minimums")),
            times=clause["below"]["times"],
            incomplete=int(fact("incomplete")),
        )
    if kind == "residence":
        return {"district": fact("district"), "registered_on": iso(fact("registered_on"))}
    return {"holds": (held is True) == clause["held"]}


def details(oracle: Oracle, person_id: int, clause: dict) -> dict[str, Any]:
    """What stands behind a clause for one application: the rows a worker can check."""
    kind = clause["clause"]
    world: World = oracle.world
    on = oracle.on
    members = oracle.members(person_id)
    if kind == "category":
        people = members if clause["who"] == "any_member" else [world.people[person_id]]
        return {
            "rows": [
                {
                    "person_id": person.pk,
                    "code": holding.code,
                    "category": holding.name,
                    "valid_from": iso(holding.valid_from),
                    "valid_to": iso(holding.valid_to),
                    "basis_document": holding.basis_document,
                    "held_on_day": holding.on(on),
                }
                for person in people
                for holding in person.holdings
                if holding.code == clause["code"]
            ]
        }
    if kind in ("children", "household_size", "income"):
        cut = latest_birth_date(on, clause.get("under_age", 0)) if kind == "children" else None
        counted = [
            {
                "person_id": person.pk,
                "birth_date": iso(person.birth_date),
                "counted": cut is None
                or (person.birth_date is not None and person.birth_date > cut),
            }
            for person in members
        ]
        extra: dict[str, Any] = {"members_counted": counted}
        if kind == "income":
            months = income_months(on, clause["months"])
            extra["by_month"] = [
                {
                    "person_id": person.pk,
                    "month": month.isoformat(),
                    "amount": None if month not in person.incomes else str(person.incomes[month]),
                }
                for person in members
                for month in months
            ]
            extra["missing"] = [
                {"person_id": item["person_id"], "month": item["month"]}
                for item in extra["by_month"]
                if item["amount"] is None
            ]
        return extra
    if kind == "measure":
        return {
            "assignments": [
                {
                    "status": held.status,
                    "starts_on": iso(held.starts_on),
                    "ends_on": iso(held.ends_on),
                }
                for held in world.people[person_id].assignments
                if held.measure_code == clause["code"]
            ]
        }
    return {}
