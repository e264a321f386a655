"""The registry's facts about some people as plain values, for the Python oracle and for the
detailed explanation of one application (the months of income, the category rows with their
basis documents, the members counted). A handful of queries for any number of people: never
one per person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from opora.registry.models import (
    Address,
    AddressKind,
    HouseholdMember,
    Income,
    Person,
    PersonCategory,
)


@dataclass(frozen=True)
class Membership:
    pk: int
    person_id: int
    household_id: int
    relation: str
    is_applicant: bool
    joined_on: dt.date | None
    left_on: dt.date | None

    def on(self, day: dt.date) -> bool:
        """A member on ``day``: joined on or before it, not yet left (open ends count)."""
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or day < self.left_on
        )


@dataclass(frozen=True)
class Holding:
    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis_document: str

    def on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Held:
    """An assignment of a measure, as the measure clause reads it."""

    measure_code: str
    status: str
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass
class PersonFacts:
    pk: int
    birth_date: dt.date | None
    sex: str
    death_date: dt.date | None
    holdings: list[Holding] = field(default_factory=list)
    incomes: dict[dt.date, Decimal] = field(default_factory=dict)  # month: the sum of kinds
    registration_district: str | None = None
    registration_address: bool = False
    registered_on: dt.date | None = None
    assignments: list[Held] = field(default_factory=list)

    def holds(self, code: str, day: dt.date) -> bool:
        return any(h.code == code and h.on(day) for h in self.holdings)


@dataclass
class World:
    """Everyone loaded, with every membership of the households they belong to."""

    people: dict[int, PersonFacts]
    memberships: list[Membership]

    def membership_on(self, person_id: int, day: dt.date) -> Membership | None:
        """The person's membership on ``day``; of several, the latest recorded (as the query
        takes it)."""
        rows = [m for m in self.memberships if m.person_id == person_id and m.on(day)]
        return max(rows, key=lambda m: m.pk) if rows else None

    def members_on(self, household_id: int, day: dt.date) -> list[Membership]:
        return [m for m in self.memberships if m.household_id == household_id and m.on(day)]


def load_world(people: Iterable[int] | None) -> World:
    """The facts of ``people`` (None: everyone) and of everyone sharing a household with them."""
    ids = None if people is None else set(people)
    memberships_qs = HouseholdMember.objects.all()
    if ids is not None:
        households = HouseholdMember.objects.filter(person_id__in=ids).values("household_id")
        memberships_qs = memberships_qs.filter(household_id__in=households)
    memberships = [
        Membership(*row)
        for row in memberships_qs.values_list(
            "pk", "person_id", "household_id", "relation", "is_applicant", "joined_on", "left_on"
        )
    ]
    if ids is not None:
        ids |= {m.person_id for m in memberships}
    chosen = Q() if ids is None else Q(person_id__in=ids)
    people_qs = Person.objects.all() if ids is None else Person.objects.filter(pk__in=ids)
    facts = {
        pk: PersonFacts(pk, birth_date, sex, death_date)
        for pk, birth_date, sex, death_date in people_qs.values_list(
            "pk", "birth_date", "sex", "death_date"
        )
    }
    for person_id, code, name, valid_from, valid_to, basis in PersonCategory.objects.filter(
        chosen
    ).values_list(
        "person_id", "kind__code", "kind__name", "valid_from", "valid_to", "basis_document"
    ):
        facts[person_id].holdings.append(Holding(code, name, valid_from, valid_to, basis))
    sums: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for person_id, month, amount in Income.objects.filter(chosen).values_list(
        "person_id", "month", "amount"
    ):
        sums[person_id, month] += amount
    for (person_id, month), amount in sums.items():
        facts[person_id].incomes[month] = amount
    for person_id, district, registered_on in Address.objects.filter(
        chosen, kind=AddressKind.REGISTRATION
    ).values_list("person_id", "district__code", "registered_on"):
        person = facts[person_id]
        person.registration_address = True
        person.registration_district = district
        person.registered_on = registered_on
    from opora.assistance.models import Assignment

    for person_id, measure, status, starts_on, ends_on in Assignment.objects.filter(
        chosen
    ).values_list("person_id", "measure__code", "status", "starts_on", "ends_on"):
        facts[person_id].assignments.append(Held(measure, status, starts_on, ends_on))
    return World(people=facts, memberships=memberships)
