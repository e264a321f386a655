"""Evaluating a version's rules on a day: the compiled query run once for all the people asked
about, each row turned into an ``Outcome`` with the sentences of its clauses and the facts
they read; with ``detail`` (one application), the plain facts behind each clause too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

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
    query = compiled(version=version, on=on, people=people)
    clauses = clauses_of(version.eligibility)
    # The rule's tree and the bounds are applied here, to the clauses' states and the amount's
    # root part: selected as columns, they would repeat every clause's subqueries in the SQL
    # twice more, and a query of a few people would spend its time being planned.
    columns = [
        "pk",
        HOUSEHOLD,
        "birth_date",
        "sex",
        *(clause_name(i) for i in range(len(clauses))),
        *(name for names in query.facts.values() for name in names),
        *(part_name(i) for i in range(query.parts)),
    ]
    rows = list(query.queryset.values(*columns))
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
