"""The same rules evaluated in plain Python over plain facts (``facts.World``), one person at a
time. It is the specification the compiled query is tested against (the two must agree on
every clause, on eligibility and on the amount for any household and any rule), and it gives
the detailed facts of one application's explanation. It never decides anything in production:
the query does.

Three-valued logic as SQL's (Kleene): ``all`` is false when a part is false, else unknown when
a part is unknown; ``any`` is true when a part is true, else unknown when a part is unknown;
``not`` of unknown is unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from opora.assistance.models import AssignmentStatus
from opora.rules.recipients import Recipient, age_on, choose_group

from .facts import PersonFacts, World
from .figures import (
    Figures,
    income_months,
    kopecks,
    latest_birth_date,
    roubles,
    share_kopecks,
    times_hundred,
)
from .schema import APPLICANT, HOUSEHOLD_PER_CAPITA, MEMBERS


@dataclass
class Result:
    eligible: bool | None
    amount_kopecks: int | None
    clauses: dict[str, bool | None] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)
    parts: list[int] = field(default_factory=list)  # each amount node's kopecks, in pre-order


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def income_facts(
    *,
    months: list[dt.date],
    members: int,
    total_kopecks: int,
    minimums_kopecks: int,
    times: str,
    incomplete: int,
) -> dict[str, Any]:
    """The facts an income clause read, as both the query and the oracle report them."""
    people = max(members, 1)
    per_capita = Decimal(total_kopecks) / (len(months) * people)
    threshold = Decimal(minimums_kopecks) * Decimal(times) / people
    return {
        "months": [month.isoformat() for month in months],
        "members": members,
        "income_total": str(roubles(total_kopecks)),
        "per_capita_income": str(roubles(per_capita.quantize(Decimal(1), ROUND_HALF_UP))),
        "threshold": str(roubles(threshold.quantize(Decimal(1), ROUND_HALF_UP))),
        "members_missing_months": incomplete,
    }


class Oracle:
    def __init__(self, *, world: World, figures: Figures, on: dt.date) -> None:
        self.world = world
        self.figures = figures
        self.on = on

    # --- the household of a person on the day ------------------------------------------------

    def household_of(self, person_id: int) -> int | None:
        membership = self.world.membership_on(person_id, self.on)
        return membership.household_id if membership else None

    def members(self, person_id: int) -> list[PersonFacts]:
        """The members of the person's household on the day; the person alone without one."""
        household = self.household_of(person_id)
        if household is None:
            return [self.world.people[person_id]]
        return [self.world.people[m.person_id] for m in self.world.members_on(household, self.on)]

    def group_kopecks(self, person: PersonFacts) -> int:
        """The person's group minimum, chosen by the rules app's own logic."""
        recipient = Recipient(
            age=None if person.birth_date is None else age_on(person.birth_date, self.on),
            sex=person.sex,
            categories=frozenset(h.code for h in person.holdings if h.on(self.on)),
        )
        return self.figures.group_kopecks(choose_group(recipient, rule=self.figures.rule).group)

    def children(self, person_id: int, under_age: int) -> int:
        cut = latest_birth_date(self.on, under_age)
        return sum(
            1 for m in self.members(person_id) if m.birth_date is not None and m.birth_date > cut
        )

    def income_kopecks(self, people: list[PersonFacts], months: list[dt.date]) -> int:
        return sum(kopecks(p.incomes.get(month, Decimal(0))) for p in people for month in months)

    # --- eligibility ------------------------------------------------------------------------

    def evaluate(self, person_id: int, eligibility: dict, amount: dict | None, version) -> Result:
        result = Result(eligible=None, amount_kopecks=None)
        result.eligible = self.node(person_id, eligibility, result)
        if amount is not None:
            value = self.amount(person_id, amount, result.parts)
            if version.amount_floor is not None:
                value = max(value, kopecks(version.amount_floor))
            if version.amount_ceiling is not None:
                value = min(value, kopecks(version.amount_ceiling))
            result.amount_kopecks = value if result.eligible else None
        return result

    def node(self, person_id: int, node: dict, result: Result) -> bool | None:
        if "all" in node:
            states = [self.node(person_id, child, result) for child in node["all"]]
            return False if False in states else None if None in states else True
        if "any" in node:
            states = [self.node(person_id, child, result) for child in node["any"]]
            return True if True in states else None if None in states else False
        if "not" in node:
            state = self.node(person_id, node["not"], result)
            return None if state is None else not state
        state, facts = getattr(self, f"clause_{node['clause']}")(person_id, node)
        result.clauses[node["id"]] = state
        result.facts[node["id"]] = facts
        return state

    def clause_age(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        birth = self.world.people[person_id].birth_date
        facts = {"birth_date": iso(birth), "age": None if birth is None else age_on(birth, self.on)}
        if birth is None:
            return None, facts
        held = True
        if "at_least" in clause:
            held = held and birth <= latest_birth_date(self.on, clause["at_least"])
        if "under" in clause:
            held = held and birth > latest_birth_date(self.on, clause["under"])
        return held, facts

    def clause_sex(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        sex = self.world.people[person_id].sex
        return (sex == clause["is"]) if sex else None, {"sex": sex}

    def clause_category(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        people = (
            self.members(person_id)
            if clause["who"] == "any_member"
            else [self.world.people[person_id]]
        )
        holds = any(p.holds(clause["code"], self.on) for p in people)
        return holds, {"holds": holds}

    def clause_children(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        count = self.children(person_id, clause["under_age"])
        return count >= clause["at_least"], {"children": count}

    def clause_relation(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        membership = self.world.membership_on(person_id, self.on)
        relation = membership.relation if membership else None
        return relation in clause["in"], {"relation": relation}

    def clause_household_size(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        size = len(self.members(person_id))
        held = clause.get("at_least", 0) <= size and size <= clause.get("at_most", size)
        return held, {"members": size}

    def clause_income(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        months = income_months(self.on, clause["months"])
        people = self.members(person_id)
        total = self.income_kopecks(people, months)
        incomplete = sum(1 for p in people if any(month not in p.incomes for month in months))
        group = clause["below"]["minimum"]
        if group == MEMBERS:
            minimums = sum(self.group_kopecks(p) for p in people)
        else:
            minimums = self.figures.group_kopecks(group) * len(people)
        times = clause["below"]["times"]
        facts = income_facts(
            months=months,
            members=len(people),
            total_kopecks=total,
            minimums_kopecks=minimums,
            times=times,
            incomplete=incomplete,
        )
        if incomplete and clause["missing_months"] == "unknown":
            return None, facts
        return total * 100 < times_hundred(times) * len(months) * minimums, facts

    def clause_residence(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        person = self.world.people[person_id]
        district, since = person.registration_district, person.registered_on
        facts = {"district": district, "registered_on": iso(since)}
        if district is None or district not in clause.get("districts", [district]):
            return False, facts
        if since is None:
            return (None if clause["years"] else True), facts
        return since <= latest_birth_date(self.on, clause["years"]), facts

    def clause_measure(self, person_id: int, clause: dict) -> tuple[bool | None, dict]:
        holds = any(
            held.measure_code == clause["code"]
            and held.status == AssignmentStatus.ACTIVE
            and held.starts_on <= self.on
            and (held.ends_on is None or self.on <= held.ends_on)
            for held in self.world.people[person_id].assignments
        )
        return holds == clause["held"], {"holds": holds}

    # --- amount ------------------------------------------------------------------------------

    def amount(self, person_id: int, node: dict, parts: list[int]) -> int:
        index = len(parts)
        parts.append(0)
        value = self._amount(person_id, node, parts)
        parts[index] = value
        return value

    def _amount(self, person_id: int, node: dict, parts: list[int]) -> int:
        if "fixed" in node:
            return kopecks(Decimal(node["fixed"]))
        if "minimum" in node:
            if node["minimum"] == APPLICANT:
                figure = self.group_kopecks(self.world.people[person_id])
            else:
                figure = self.figures.group_kopecks(node["minimum"])
            return share_kopecks(figure, node["times"])
        if "rule" in node:
            return self.figures.money(node["rule"])
        if "top_up" in node:
            top_up = node["top_up"]
            standard = self.amount(person_id, top_up["to"], parts)
            months = income_months(self.on, top_up["months"])
            if top_up["income"] == HOUSEHOLD_PER_CAPITA:
                people = self.members(person_id)
            else:
                people = [self.world.people[person_id]]
            income = self.income_kopecks(people, months) // (len(months) * len(people))
            return max(0, standard - income)
        if "per_child" in node:
            each = self.amount(person_id, node["per_child"], parts)
            return each * self.children(person_id, node["under_age"])
        if "at_most" in node:
            return min(self.amount(person_id, item, parts) for item in node["at_most"])
        return sum(self.amount(person_id, item, parts) for item in node["sum"])
