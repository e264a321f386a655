"""What the fee calculator knows about the recipient on the date, as plain values (so the rules
app never reads the registry), and the socio-demographic group whose subsistence minimum the
income limit is set from (442-FZ art. 31; the groups of 134-FZ: pensioners, the working-age
population, children).

The group is chosen in this order:

1. younger than the children's age in force (rule ``child_group_age``): children;
2. holding the registry's pensioner category on the date (a pension by disability or an early
   pension counts, whatever the age): pensioners;
3. not younger than the pension age in force for the recipient's sex (rules
   ``pension_age_men`` / ``pension_age_women``): pensioners; younger: the working-age
   population. With the sex unknown, an age at or above both ages is a pensioner's and below
   both a working-age person's; between them the group cannot be told;
4. otherwise (no age, or the sex needed and unknown) the group is not known, and the
   per-capita minimum is used.

Age is counted in full years on the date; someone born on 29 February has a birthday on
28 February in a common year (as the review dates of the programme count).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.utils.translation import gettext as _

from opora.core.errors import DomainError

from .catalog import CHILD_GROUP_AGE, PENSION_AGE_MEN, PENSION_AGE_WOMEN, PENSIONER_CATEGORY
from .models import RuleVersion, SubsistenceGroup

# The registry's codes of sex (``registry.models.Sex``), passed in as plain values.
MALE = "M"
FEMALE = "F"
OLDEST_AGE = 150


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of someone born on ``birth_date`` on ``day``."""
    try:
        birthday = birth_date.replace(year=day.year)
    except ValueError:  # 29 February in a common year
        birthday = birth_date.replace(year=day.year, day=28)
    return day.year - birth_date.year - (1 if day < birthday else 0)


@dataclass(frozen=True)
class Recipient:
    """The recipient's facts on the date. ``None`` is "not known": a ground or group that
    needs an unknown fact is not applied, and the explanation says so. ``categories`` are the
    registry category codes held on the date; an empty set means "holds none"."""

    age: int | None = None
    sex: str = ""
    categories: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        *,
        on: dt.date,
        birth_date: dt.date | None = None,
        age: int | None = None,
        sex: str = "",
        categories: Iterable[str] | None = None,
    ) -> Recipient:
        """The facts as the calculator's callers give them, checked: the age from the birth
        date when there is one (an age given too must agree with it)."""
        problems: dict[str, list[str]] = {}
        if birth_date is not None:
            if birth_date > on:
                problems["birth_date"] = [_("The date of birth is after the date of the fee.")]
            else:
                counted = age_on(birth_date, on)
                if age is not None and age != counted:
                    problems["age"] = [
                        _("The age does not agree with the date of birth: %(age)s on that day.")
                        % {"age": counted}
                    ]
                age = counted
        if age is not None and not 0 <= age <= OLDEST_AGE and "age" not in problems:
            problems["age"] = [_("Enter an age from 0 to %(oldest)s.") % {"oldest": OLDEST_AGE}]
        if sex not in ("", MALE, FEMALE):
            problems["sex"] = [_("Enter M, F or nothing.")]
        if problems:
            raise DomainError(
                "invalid_recipient", _("The recipient's facts are not valid."), details=problems
            )
        held = None if categories is None else frozenset(str(c) for c in categories)
        return cls(age=age, sex=sex, categories=held)

    @property
    def knows_age(self) -> bool:
        return self.age is not None

    @property
    def knows_categories(self) -> bool:
        return self.categories is not None


class GroupReason(Enum):
    GIVEN = "given"  # chosen by the caller
    CHILD_AGE = "child_age"
    PENSIONER_CATEGORY = "pensioner_category"
    PENSION_AGE = "pension_age"
    WORKING_AGE = "working_age"
    SEX_UNKNOWN = "sex_unknown"  # between the two pension ages, the sex not given
    UNKNOWN = "unknown"  # no age (and no pensioner category)


@dataclass(frozen=True)
class GroupChoice:
    group: str  # a SubsistenceGroup value: the group whose minimum applies
    reason: GroupReason
    age: int | None = None
    # The age compared (children's age or pension age), and whether that rule value is an
    # example.
    limit: Decimal | None = None
    is_example: bool = False


def choose_group(recipient: Recipient, *, rule: Callable[[str], RuleVersion]) -> GroupChoice:
    """The group of ``recipient``; ``rule(code)`` reads a rule in force on the date, and is
    called only for the rules the choice needs."""
    age = recipient.age
    if age is not None:
        child = rule(CHILD_GROUP_AGE)
        if age < child.value:
            return GroupChoice(
                SubsistenceGroup.CHILD, GroupReason.CHILD_AGE, age, child.value, child.is_example
            )
    if recipient.categories is not None and PENSIONER_CATEGORY in recipient.categories:
        return GroupChoice(SubsistenceGroup.PENSIONER, GroupReason.PENSIONER_CATEGORY, age)
    if age is None:
        return GroupChoice(SubsistenceGroup.PER_CAPITA, GroupReason.UNKNOWN)
    if recipient.sex:
        pension = rule(PENSION_AGE_MEN if recipient.sex == MALE else PENSION_AGE_WOMEN)
        is_pensioner = age >= pension.value
        return GroupChoice(
            SubsistenceGroup.PENSIONER if is_pensioner else SubsistenceGroup.WORKING_AGE,
            GroupReason.PENSION_AGE if is_pensioner else GroupReason.WORKING_AGE,
            age,
            pension.value,
            pension.is_example,
        )
    men, women = rule(PENSION_AGE_MEN), rule(PENSION_AGE_WOMEN)
    low, high = sorted((men, women), key=lambda version: version.value)
    is_example = men.is_example or women.is_example
    if age >= high.value:
        return GroupChoice(
            SubsistenceGroup.PENSIONER, GroupReason.PENSION_AGE, age, high.value, is_example
        )
    if age < low.value:
        return GroupChoice(
            SubsistenceGroup.WORKING_AGE, GroupReason.WORKING_AGE, age, low.value, is_example
        )
    return GroupChoice(
        SubsistenceGroup.PER_CAPITA, GroupReason.SEX_UNKNOWN, age, low.value, is_example
    )
