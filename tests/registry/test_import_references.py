"""Importing households, categories and incomes: references to people (who must exist, in the
importer's scope), the rules of each, and importing again. Both databases, both loaders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.core.actors import SYSTEM
from opora.registry.models import (
    Household,
    HouseholdMember,
    ImportStatus,
    Income,
    PersonCategory,
)

from .test_import_helpers import (
    CATEGORY_HEADER,
    HOUSEHOLD_HEADER,
    INCOME_HEADER,
    csv_bytes,
    manager_a_fixture,  # noqa: F401 - fixture
    messages,
    run,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_person, institution_b):
    made = {key: make_person(external_key=key, first_name=key) for key in ("A", "B", "C", "D")}
    made["X"] = make_person(institution=institution_b, external_key="X")
    merged = make_person(external_key="M")
    made["M"] = merged
    from opora.registry.models import Person

    Person.objects.filter(pk=merged.pk).update(merged_into=made["A"])
    return made


# --- Households -------------------------------------------------------------------------------


def test_households_and_their_members(admin_user, people):
    rows = [
        ["H1", "A", "applicant", "1", "01.02.2020"],
        ["H1", "B", "spouse", "0", ""],
        ["H1", "C", "Child", "нет", "2021-03-04"],
        ["H2", "D", "applicant", "да", ""],
    ]
    batch = run(admin_user, csv_bytes(rows, HOUSEHOLD_HEADER), entity="households")
    assert batch.status == ImportStatus.LOADED, messages(batch)
    assert (batch.inserted, batch.updated) == (4, 0)
    h1 = Household.objects.get(external_key="H1")
    members = {m.person.external_key: m for m in h1.members.select_related("person")}
    assert members["A"].is_applicant and members["A"].relation == "applicant"
    assert members["A"].joined_on == dt.date(2020, 2, 1)
    assert members["C"].relation == "child" and members["C"].joined_on == dt.date(2021, 3, 4)
    assert members["B"].joined_on is not None  # today, as the services do
    again = run(admin_user, csv_bytes(rows, HOUSEHOLD_HEADER), entity="households")
    assert (again.inserted, again.updated) == (0, 0)
    rows[1][2] = "other"
    changed = run(admin_user, csv_bytes(rows, HOUSEHOLD_HEADER), entity="households")
    assert (changed.inserted, changed.updated) == (0, 1)
    assert HouseholdMember.objects.count() == 4 and Household.objects.count() == 2


def test_household_rules(admin_user, people, make_person):
    from opora.registry import services

    existing = services.household_create(actor=SYSTEM, applicant=people["D"], external_key="H9")
    assert existing.members.count() == 1
    rows = [
        ["H1", "A", "applicant", "1", ""],
        ["H1", "B", "applicant", "1", ""],  # a second applicant
        ["H2", "C", "spouse", "0", ""],  # a new household without an applicant
        ["H3", "NOBODY", "applicant", "1", ""],  # a person who does not exist
        ["H3", "A", "child", "0", ""],  # its applicant's row has a problem
        ["H4", "X", "applicant", "1", ""],  # out of scope for a manager; fine for admin
        ["H5", "M", "applicant", "1", ""],  # merged
        ["H6", "C", "cousin", "0", ""],  # unknown relation
        ["H7", "C", "spouse", "1", ""],  # applicant flag against the relation
        ["H7", "B", "applicant", "maybe", ""],
        ["H9", "B", "applicant", "1", ""],  # H9 has another applicant
        ["H9", "C", "child", "0", "31.04.2020"],
        ["H1", "A", "applicant", "1", ""],  # the same member twice
    ]
    batch = run(
        admin_user, csv_bytes(rows, HOUSEHOLD_HEADER), entity="households", mode="valid_only"
    )
    new_without_applicant = (
        "The household is new, and no row of the file gives it a valid applicant."
    )
    assert messages(batch) == [
        (2, "household_key", new_without_applicant),
        (2, "person_key", "The same person is in this household in rows 2, 14."),
        (2, "relation", "The household has more than one applicant: rows 2, 3, 14."),
        (3, "household_key", new_without_applicant),
        (3, "relation", "The household has more than one applicant: rows 2, 3, 14."),
        (4, "household_key", new_without_applicant),
        (5, "household_key", new_without_applicant),
        (5, "person_key", "No person in your scope has this key."),
        (6, "household_key", new_without_applicant),
        (8, "household_key", new_without_applicant),
        (8, "person_key", "The record with this key was merged into another one."),
        (9, "household_key", new_without_applicant),
        (
            9,
            "relation",
            "Unknown relation: use one of applicant, spouse, child, parent, "
            "sibling, grandparent, grandchild, guardian, ward, other.",
        ),
        (10, "household_key", new_without_applicant),
        (10, "relation", "The applicant, and only the applicant, has the relation “applicant”."),
        (11, "household_key", new_without_applicant),
        (11, "is_applicant", "Write 1 or 0 (yes or no)."),
        (12, "relation", "The household already has another applicant."),
        (13, "joined_on", "There is no such date."),
        (14, "household_key", new_without_applicant),
        (14, "person_key", "The same person is in this household in rows 2, 14."),
        (14, "relation", "The household has more than one applicant: rows 2, 3, 14."),
    ]
    assert batch.status == ImportStatus.LOADED
    assert set(Household.objects.values_list("external_key", flat=True)) == {"H4", "H9"}
    assert HouseholdMember.objects.filter(household__external_key="H4").get().is_applicant


def test_households_of_people_outside_the_managers_scope(manager_a, people, institution_a):
    rows = [["H1", "A", "applicant", "1", ""], ["H1", "X", "spouse", "0", ""]]
    batch = run(
        manager_a, csv_bytes(rows, HOUSEHOLD_HEADER), entity="households", institution=institution_a
    )
    assert batch.status == ImportStatus.REJECTED
    assert messages(batch) == [(3, "person_key", "No person in your scope has this key.")]
    assert not Household.objects.exists()


# --- Categories -------------------------------------------------------------------------------


def test_categories_and_their_periods(admin_user, people):
    from opora.registry import services
    from opora.registry.models import CategoryKind

    pensioner = CategoryKind.objects.get(code="pensioner")
    services.category_assign(
        actor=SYSTEM,
        person=people["C"],
        kind=pensioner,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2020, 12, 31),
        external_key="OLD",
    )
    rows = [
        ["K1", "A", "pensioner", "01.01.2020", "", "Удостоверение № 1", "ПФР"],
        ["K2", "B", "disability-2", "01.01.2020", "31.12.2022", "", ""],
        ["K3", "NOBODY", "pensioner", "01.01.2020", "", "", ""],
        ["K4", "B", "no-such-category", "01.01.2020", "", "", ""],
        ["K5", "B", "veteran", "01.01.2021", "01.01.2020", "", ""],
        ["K6", "D", "veteran", "01.01.2020", "31.12.2020", "", ""],
        ["K7", "D", "veteran", "01.06.2020", "", "", ""],
        ["K8", "C", "pensioner", "01.06.2020", "", "", ""],
        ["OLD", "A", "pensioner", "01.01.2020", "", "", ""],
        ["K1", "A", "veteran", "01.01.2030", "", "", ""],
        ["K11", "B", "pensioner", "", "", "", ""],
    ]
    batch = run(
        admin_user, csv_bytes(rows, CATEGORY_HEADER), entity="categories", mode="valid_only"
    )
    assert messages(batch) == [
        (2, "external_key", "The same key is in rows 2, 11."),
        (2, "valid_from", "The periods of this category of this person overlap in rows 2, 10."),
        (4, "person_key", "No person in your scope has this key."),
        (5, "category", "No category has this code."),
        (6, "valid_to", "The category ends before it starts."),
        (7, "valid_from", "The periods of this category of this person overlap in rows 7, 8."),
        (8, "valid_from", "The periods of this category of this person overlap in rows 7, 8."),
        (9, "valid_from", "This person already holds this category for part of this period."),
        (10, "external_key", "This key belongs to a category of another person."),
        (10, "valid_from", "The periods of this category of this person overlap in rows 2, 10."),
        (11, "external_key", "The same key is in rows 2, 11."),
        (12, "valid_from", "A value is required."),
    ]
    assert batch.status == ImportStatus.LOADED and batch.inserted == 1
    holding = PersonCategory.objects.get(external_key="K2")
    assert (holding.kind.code, holding.valid_to) == ("disability-2", dt.date(2022, 12, 31))


def test_categories_are_updated_by_their_key(admin_user, people):
    rows = [["K1", "A", "pensioner", "01.01.2020", "", "Удостоверение № 1", "ПФР"]]
    assert run(admin_user, csv_bytes(rows, CATEGORY_HEADER), entity="categories").inserted == 1
    again = run(admin_user, csv_bytes(rows, CATEGORY_HEADER), entity="categories")
    assert (again.inserted, again.updated) == (0, 0)
    rows[0][4] = "31.12.2030"
    changed = run(admin_user, csv_bytes(rows, CATEGORY_HEADER), entity="categories")
    assert (changed.inserted, changed.updated) == (0, 1)
    holding = PersonCategory.objects.get()
    assert (holding.valid_to, holding.basis_document) == (
        dt.date(2030, 12, 31),
        "Удостоверение № 1",
    )


# --- Incomes ----------------------------------------------------------------------------------


def test_incomes(admin_user, people):
    rows = [
        ["A", "03.2024", "salary", "ООО Ромашка", "85 000,50"],
        ["A", "2024-04", "Pension", "", "21500"],
        ["B", "01.05.2024", "benefit", "", "1000.5"],
        ["NOBODY", "03.2024", "salary", "", "1"],
        ["C", "13.2024", "salary", "", "1"],
        ["C", "15.05.2024", "salary", "", "1"],
        ["C", "03.2024", "bonus", "", "1"],
        ["C", "03.2024", "salary", "", "-5"],
        ["C", "04.2024", "salary", "", "1.234"],
        ["C", "05.2024", "salary", "", "ten"],
        ["C", "06.2024", "salary", "", "99999999999"],
        ["D", "03.2024", "salary", "X", "1"],
        ["D", "03.2024", "salary", "X", "2"],
        ["M", "03.2024", "salary", "", "1"],
    ]
    batch = run(admin_user, csv_bytes(rows, INCOME_HEADER), entity="incomes", mode="valid_only")
    assert messages(batch) == [
        (5, "person_key", "No person in your scope has this key."),
        (6, "month", "Not a month: write it as mm.yyyy."),
        (7, "month", "Not a month: write it as mm.yyyy."),
        (8, "kind", "Unknown kind of income: use one of salary, pension, benefit, other."),
        (9, "amount", "An income cannot be negative."),
        (10, "amount", "An amount has at most two digits after the point."),
        (11, "amount", "Not an amount: write it as 1234.56 or 1234,56."),
        (12, "amount", "The amount is too large."),
        (13, "person_key", "The same person, month, kind and source are in rows 13, 14."),
        (14, "person_key", "The same person, month, kind and source are in rows 13, 14."),
        (15, "person_key", "The record with this key was merged into another one."),
    ]
    assert batch.inserted == 3
    salary = Income.objects.get(person=people["A"], kind="salary")
    assert (salary.month, salary.amount, salary.source) == (
        dt.date(2024, 3, 1),
        Decimal("85000.50"),
        "ООО Ромашка",
    )
    assert Income.objects.get(person=people["B"]).amount == Decimal("1000.50")
    valid = rows[:3]
    again = run(admin_user, csv_bytes(valid, INCOME_HEADER), entity="incomes")
    assert (again.inserted, again.updated) == (0, 0)
    valid[0][4] = "90000"
    changed = run(admin_user, csv_bytes(valid, INCOME_HEADER), entity="incomes")
    assert (changed.inserted, changed.updated) == (0, 1)
    assert Income.objects.count() == 3
